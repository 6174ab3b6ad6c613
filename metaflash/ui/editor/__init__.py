"""The deck editor: :class:`EditorView`, and the New Deck, Import and Export dialogs.

What the main window uses::

    from metaflash.ui.editor import EditorView, run_export_dialog, run_import_dialog, run_new_deck_dialog
"""

from metaflash.ui.editor.editor_view import EditorView
from metaflash.ui.editor.export_dialog import run_export_dialog
from metaflash.ui.editor.import_dialog import run_import_dialog
from metaflash.ui.editor.new_deck_dialog import run_new_deck_dialog

__all__ = ["EditorView", "run_export_dialog", "run_import_dialog", "run_new_deck_dialog"]
