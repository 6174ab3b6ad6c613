"""File › Export: a deck, or every deck in its folder, to an Anki package or a CSV file.

The decks are loaded and checked the way ``metaflash export`` loads them (a deck with
errors is not exported), and the file is written by the core's exporters, atomically, in a
worker thread.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.csv.export import CsvExportResult, export_csv
from metaflash.core.interop.export_source import decks_to_export
from metaflash.core.interop.import_result import CancelCheck, ProgressCallback
from metaflash.ui.interop.background_task import BackgroundTask


class ExportDialog(QDialog):
    """Chooses what to export, the format and the file; :attr:`exported` is the file written."""

    def __init__(
        self, deck_path: Path, deck_title: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Decks")
        self.deck_path = deck_path
        self.exported: Path | None = None
        self.task: BackgroundTask | None = None
        self.progress: QProgressDialog | None = None

        self.this_deck = QRadioButton(f"This deck: {deck_title or deck_path.name}")
        self.this_deck.setObjectName("exportThisDeck")
        self.whole_folder = QRadioButton(f"Every deck in its folder ({deck_path.parent.name})")
        self.whole_folder.setObjectName("exportFolder")
        self.this_deck.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.this_deck)
        scope.addButton(self.whole_folder)
        self.apkg = QRadioButton("Anki package (.apkg): opens in Anki, with images")
        self.apkg.setObjectName("exportApkg")
        self.csv = QRadioButton(
            "CSV file (.csv): for spreadsheets and Anki's text import, without images"
        )
        self.csv.setObjectName("exportCsv")
        self.apkg.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.apkg)
        kind.addButton(self.csv)
        self.output_edit = QLineEdit(str(Path.home() / f"{deck_path.stem}.apkg"))
        self.output_edit.setObjectName("exportOutput")
        self.output_button = QPushButton("Choose…")
        self.output_button.setObjectName("exportChooseOutput")
        self.output_button.setAutoDefault(False)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.output_button)
        self.error = QLabel()
        self.error.setObjectName("exportError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        for heading, widgets in (
            ("Export", (self.this_deck, self.whole_folder)),
            ("As", (self.apkg, self.csv)),
        ):
            label = QLabel(heading)
            label.setProperty("role", "subheading")
            layout.addWidget(label)
            for widget in widgets:
                layout.addWidget(widget)
            layout.addSpacing(6)
        label = QLabel("To file")
        label.setProperty("role", "subheading")
        layout.addWidget(label)
        layout.addLayout(output_row)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.apkg.toggled.connect(self._format_changed)
        self.output_button.clicked.connect(self._choose_output)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.start_export)

    def suffix(self) -> str:
        return ".apkg" if self.apkg.isChecked() else ".csv"

    @Slot(bool)
    def _format_changed(self, _checked: bool) -> None:
        text = self.output_edit.text().strip()
        if text:
            self.output_edit.setText(str(Path(text).with_suffix(self.suffix())))

    @Slot()
    def _choose_output(self) -> None:
        wanted = "Anki packages (*.apkg)" if self.apkg.isChecked() else "CSV files (*.csv)"
        chosen, _ = QFileDialog.getSaveFileName(self, "Export To", self.output_edit.text(), wanted)
        if chosen:
            self.output_edit.setText(str(Path(chosen).with_suffix(self.suffix())))

    @Slot()
    def start_export(self) -> bool:
        """Check the form and start the export; whether it started."""
        text = self.output_edit.text().strip()
        out = Path(text).expanduser() if text else None
        if out is None or out.suffix.lower() != self.suffix():
            self._show_error(f"Choose a file ending in {self.suffix()}.")
            return False
        if not out.parent.is_dir():
            self._show_error(f"The folder {out.parent} does not exist.")
            return False
        source = self.deck_path if self.this_deck.isChecked() else self.deck_path.parent
        as_apkg = self.apkg.isChecked()
        now = time.time()  # the notes' modification time in Anki

        def job(_progress: ProgressCallback, _cancelled: CancelCheck) -> object:
            decks, errors = decks_to_export(source)
            if errors:
                return errors
            return export_apkg(decks, out, now=now) if as_apkg else export_csv(decks, out)

        self.error.hide()
        self.export_button.setEnabled(False)
        self.progress = QProgressDialog("Exporting…", "", 0, 0, self)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowTitle("Exporting")
        self.progress.setCancelButton(None)  # an export is atomic and quick: it runs to the end
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(0)
        self.task = BackgroundTask(job, self)
        self.task.finished.connect(self._on_finished)
        self.task.start()
        self.progress.setValue(0)
        self.progress.show()
        return True

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.export_button.setEnabled(True)
        self.task = None
        if isinstance(result, (ExportResult, CsvExportResult)):
            self.exported = result.path
            self.accept()
        elif isinstance(result, tuple):
            lines = [str(problem) for problem in result]
            self._show_error(
                "Nothing was exported: fix these problems first.\n" + "\n".join(lines[:8])
            )
        else:
            self._show_error(f"The export failed unexpectedly: {result}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            return  # an export runs to its end (it writes atomically); then the dialog closes
        super().reject()


def run_export_dialog(parent: QWidget | None, deck_path: Path, deck_title: str = "") -> Path | None:
    """File › Export: the file written, or ``None`` when nothing was exported."""
    dialog = ExportDialog(deck_path, deck_title, parent)
    dialog.exec()
    exported = dialog.exported
    dialog.deleteLater()
    return exported
