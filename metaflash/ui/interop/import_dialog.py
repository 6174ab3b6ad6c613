"""File › Import: an Anki package (.apkg, .colpkg) or a CSV/TSV file becomes YAML decks.

The dialog asks for the file and where the decks go (a folder and the top deck's file
name), then runs the core's import in a worker thread behind a progress dialog that can
cancel it. A cancelled or failed import writes nothing (the core's guarantee).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.editing.edit_session import slug_words
from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.csv.importer import CsvPreview, import_csv, preview_csv
from metaflash.core.interop.import_result import (
    CancelCheck,
    ImportFailure,
    ImportResult,
    ProgressCallback,
)
from metaflash.ui.interop.background_task import BackgroundTask
from metaflash.ui.interop.csv_columns import CsvColumnsBox

PACKAGE_NOTE = (
    "Each Anki deck becomes a YAML deck; sub-decks and a media/ folder are written beside "
    "this file. Importing the same file again updates the same decks and cards."
)
CSV_NOTE = (
    "The rows become the cards of one YAML deck (a Deck column makes sub-decks beside it); "
    "images go into a media/ folder there. Importing the file again updates the same cards."
)
PACKAGE_SUFFIXES = (".apkg", ".colpkg")
TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
FILE_FILTER = "Anki packages and CSV files (*.apkg *.colpkg *.csv *.tsv *.txt);;All files (*)"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def import_summary(result: ImportResult) -> str:
    media = f" and {_count(len(result.media), 'image')}" if result.media else ""
    return (
        f"Imported {_count(result.cards, 'card')} into {_count(len(result.decks), 'deck')}{media}."
    )


class ImportDialog(QDialog):
    """Chooses what to import and where; :attr:`imported` is the finished import."""

    def __init__(self, library_dirs: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import Decks")
        self.imported: ImportResult | None = None
        self.task: BackgroundTask | None = None
        self.progress: QProgressDialog | None = None
        self._name_edited = False

        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("importSource")
        self.source_edit.setPlaceholderText("An .apkg, .colpkg, .csv or .tsv file")
        self.source_button = QPushButton("Choose…")
        self.source_button.setObjectName("importChooseSource")
        self.source_button.setAutoDefault(False)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(self.source_button)
        self.folder_combo = QComboBox()
        self.folder_combo.setObjectName("importFolder")
        self.folder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.folder_combo.setMinimumContentsLength(24)
        for folder in library_dirs:
            self.folder_combo.addItem(str(folder), str(folder))
        self.folder_button = QPushButton("Choose…")
        self.folder_button.setObjectName("importChooseFolder")
        self.folder_button.setAutoDefault(False)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_combo, 1)
        folder_row.addWidget(self.folder_button)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("importFileName")
        self.name_edit.setPlaceholderText("my-deck.yaml")
        note = QLabel(PACKAGE_NOTE)
        note.setObjectName("importNote")
        self.note = note
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.columns = CsvColumnsBox()
        self.columns.hide()
        self.columns.changed.connect(self._columns_changed)

        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("File to import", source_row)
        form.addRow("Into folder", folder_row)
        form.addRow("Deck file", self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.columns, 1)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.source_edit.textChanged.connect(self._source_changed)
        self.name_edit.textEdited.connect(self._name_typed)
        self.source_button.clicked.connect(self._choose_source)
        self.folder_button.clicked.connect(self._choose_folder)
        self.buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.start_import)

    # --- the form -------------------------------------------------------------------------

    def set_source(self, path: Path) -> None:
        self.source_edit.setText(str(path))

    def set_folder(self, folder: Path) -> None:
        found = self.folder_combo.findData(str(folder))
        if found < 0:
            self.folder_combo.addItem(str(folder), str(folder))
            found = self.folder_combo.count() - 1
        self.folder_combo.setCurrentIndex(found)

    def target(self) -> Path | None:
        folder = self.folder_combo.currentData()
        name = self.name_edit.text().strip()
        return Path(folder) / name if folder and name else None

    @Slot()
    def _choose_source(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a File to Import", str(Path.home()), FILE_FILTER
        )
        if chosen:
            self.set_source(Path(chosen))

    @Slot()
    def _choose_folder(self) -> None:
        current = self.folder_combo.currentData() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the Imported Decks", current)
        if chosen:
            self.set_folder(Path(chosen))

    @Slot(str)
    def _source_changed(self, text: str) -> None:
        if not self._name_edited and text.strip():
            stem = "-".join(slug_words(Path(text.strip()).stem)) or "imported"
            self.name_edit.setText(f"{stem}.yaml")
        source = Path(text.strip())
        preview = None
        if text.strip() and source.is_file() and not _is_package(source):
            found = preview_csv(source)
            preview = found if isinstance(found, CsvPreview) else None
            if isinstance(found, ImportFailure):
                self._show_error("\n".join(str(problem) for problem in found.problems[:4]))
            else:
                self.error.hide()
        self.columns.set_preview(preview)
        self.columns.setVisible(preview is not None)
        self.note.setText(CSV_NOTE if preview is not None else PACKAGE_NOTE)
        self._columns_changed()
        self.adjustSize()

    @Slot()
    def _columns_changed(self) -> None:
        mapping = self.columns.mapping()
        self.import_button.setEnabled(mapping is None or not mapping.problem())

    @Slot(str)
    def _name_typed(self, _text: str) -> None:
        self._name_edited = True

    def problem(self) -> str:
        """What keeps the import from starting ("" when nothing does)."""
        source = Path(self.source_edit.text().strip())
        target = self.target()
        if not self.source_edit.text().strip() or not source.is_file():
            return "Choose the file to import."
        if target is None or not target.parent.is_dir():
            return "Choose a folder that exists for the decks."
        if (
            target.suffix.lower() not in (".yaml", ".yml")
            or target.name != self.name_edit.text().strip()
        ):
            return "The deck file name must end in .yaml (no folders in it)."
        mapping = self.columns.mapping()
        if mapping is not None and mapping.problem():
            return f"Columns: {mapping.problem()}."
        return ""

    # --- importing ------------------------------------------------------------------------

    @Slot()
    def start_import(self) -> bool:
        """Check the form and start the import; whether it started."""
        problem = self.problem()
        if problem:
            self._show_error(problem)
            return False
        source = Path(self.source_edit.text().strip())
        target = self.target()
        assert target is not None
        overwrite = False
        if target.exists():
            if not self.confirm_replace(target):
                return False
            overwrite = True
        mapping = None if _is_package(source) else self.columns.mapping()

        def job(progress: ProgressCallback, cancelled: CancelCheck) -> object:
            if _is_package(source):
                return import_anki_package(
                    source, target, progress=progress, cancelled=cancelled, overwrite=overwrite
                )
            return import_csv(
                source,
                target,
                progress=progress,
                cancelled=cancelled,
                overwrite=overwrite,
                mapping=mapping,
            )

        self.error.hide()
        self.import_button.setEnabled(False)
        self.progress = QProgressDialog("Starting the import…", "Cancel", 0, 0, self)
        self.progress.setObjectName("importProgress")
        self.progress.setWindowTitle("Importing")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self._cancel)
        self.task = BackgroundTask(job, self)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.start()
        self.progress.setValue(0)
        self.progress.show()
        return True

    def confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace the Deck File?",
            f"{target.name} already exists in {target.parent}. Replace it (and the sub-deck files "
            "the import writes beside it) with the imported decks?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.progress is not None:
            self.progress.setLabelText("Cancelling…")

    @Slot(str, int, int)
    def _on_progress(self, phase: str, done: int, total: int) -> None:
        progress = self.progress
        if progress is None or (self.task is not None and self.task.cancel_requested):
            return
        counted = f" ({done:,} of {total:,})" if total else ""
        progress.setLabelText(f"{phase[:1].upper()}{phase[1:]}{counted}…")
        progress.setMaximum(max(total, 0))
        progress.setValue(min(done, total) if total else 0)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._close_progress()
        self.import_button.setEnabled(True)
        self.task = None
        if isinstance(result, ImportResult):
            self.imported = result
            self.accept()
        elif isinstance(result, ImportFailure) and result.cancelled:
            self._show_error("The import was cancelled; nothing was written.")
        elif isinstance(result, ImportFailure):
            lines = [str(problem) for problem in result.problems if problem.severity == "error"]
            self._show_error(
                "The file could not be imported; nothing was written.\n" + "\n".join(lines[:8])
            )
        else:
            self._show_error(f"The import failed unexpectedly; nothing was written: {result}")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.finished.disconnect(self._on_finished)
            self.task.cancel()
            self.task.wait()
            self.task = None
        self._close_progress()
        super().reject()


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _is_package(path: Path) -> bool:
    """An Anki package (by its name, or a zip file under another name)."""
    suffix = path.suffix.lower()
    return suffix in PACKAGE_SUFFIXES or (suffix not in TEXT_SUFFIXES and _is_zip(path))


def run_import_dialog(parent: QWidget | None, library_dirs: Sequence[Path]) -> Path | None:
    """File › Import: the top deck file written, or ``None`` when nothing was imported."""
    dialog = ImportDialog(library_dirs, parent)
    dialog.exec()
    result = dialog.imported
    dialog.deleteLater()
    if result is None or not result.decks:
        return None
    box = QMessageBox(parent)  # the import ends with what it did, warnings or not
    box.setObjectName("importSummary")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Imported")
    box.setText(import_summary(result))
    files = "\n".join(str(path) for path in result.decks[:6])
    more = f"\n… and {len(result.decks) - 6} more" if len(result.decks) > 6 else ""
    informative = f"Written to:\n{files}{more}"
    if result.warnings:
        informative += f"\n\n{_count(len(result.warnings), 'warning')}: see the details."
        box.setDetailedText("\n".join(str(warning) for warning in result.warnings))
    box.setInformativeText(informative)
    box.exec()
    return result.decks[0]
