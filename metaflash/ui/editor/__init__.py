"""The deck editor: :class:`EditorView` and the New Deck dialog.

What the main window uses::

    from metaflash.ui.editor import EditorView, run_new_deck_dialog

May import: ``ui.decks``, ``ui.common`` and ``metaflash.core``.
"""

from metaflash.ui.editor.editor_view import EditorView
from metaflash.ui.editor.new_deck_dialog import run_new_deck_dialog

__all__ = ["EditorView", "run_new_deck_dialog"]
