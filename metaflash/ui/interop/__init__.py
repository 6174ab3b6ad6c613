"""File › Import and File › Export: the dialogs, and the worker thread they run their job in.

May import: ``ui.common`` and ``metaflash.core``.
"""

from metaflash.ui.interop.export_dialog import run_export_dialog
from metaflash.ui.interop.import_dialog import run_import_dialog

__all__ = ["run_export_dialog", "run_import_dialog"]
