"""The dialog shown at start when the collection cannot be used as it is.

The core refuses a damaged, empty, missing or foreign collection, and one whose review log
lost acknowledged answers, before anything writes to it
(:class:`~metaflash.core.collection_errors.DamagedCollectionError`). This dialog says what is
wrong and offers what can be done: restore the newest good backup, keep a collection that only
lost answers as it is, open another data folder, or quit. Either way the files as they were
are kept among the backups first.
"""

from __future__ import annotations

from enum import Enum, auto
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from metaflash.core.collection_errors import DamagedCollectionError, DamageKind


class DamageChoice(Enum):
    RESTORE = auto()
    KEEP = auto()
    OTHER_FOLDER = auto()
    QUIT = auto()


_HEADLINES = {
    DamageKind.EMPTY: "Your collection file is empty",
    DamageKind.MISSING: "Your collection file is missing",
    DamageKind.NOT_SQLITE: "Your collection file has been overwritten or damaged",
    DamageKind.NOT_A_COLLECTION: "The collection file belongs to something else",
    DamageKind.DAMAGED: "Your collection file is damaged",
    DamageKind.LOST_ANSWERS: "Some of your answers are missing from the collection",
}


class DamagedCollectionDialog(QMessageBox):
    """What is wrong, and one button per way out; :meth:`choice` after it closes."""

    def __init__(self, error: DamagedCollectionError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.setObjectName("damagedCollectionDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("metaflash cannot open your collection")
        self.setText(_HEADLINES[error.kind])
        advice = "metaflash has not changed it."
        if error.backup is not None:
            advice += " Restoring the backup keeps the current files among the backups first."
        if error.kind is DamageKind.LOST_ANSWERS:
            advice += (
                f" About {error.lost:,} review log entr{'y' if error.lost == 1 else 'ies'} "
                "are missing. You can also keep the collection as it is."
            )
        self.setInformativeText(f"{error.problem}\n\n{error.backup_line()}\n\n{advice}")
        self.setDetailedText(str(error))
        self._buttons: dict[QPushButton, DamageChoice] = {}
        if error.backup is not None:
            restore = self._add("&Restore This Backup", DamageChoice.RESTORE, "restoreButton")
            self.setDefaultButton(restore)
        if error.kind is DamageKind.LOST_ANSWERS:
            keep = self._add("&Keep It as It Is", DamageChoice.KEEP, "keepButton")
            if error.backup is None or error.backup.reviews < 1:
                self.setDefaultButton(keep)
        self._add("&Open Another Data Folder…", DamageChoice.OTHER_FOLDER, "otherFolderButton")
        quit_button = self.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quitButton")
        self._buttons[quit_button] = DamageChoice.QUIT
        self.setEscapeButton(quit_button)

    def _add(self, text: str, choice: DamageChoice, name: str) -> QPushButton:
        button = self.addButton(text, QMessageBox.ButtonRole.AcceptRole)
        button.setObjectName(name)
        self._buttons[button] = choice
        return button

    def button_for(self, choice: DamageChoice) -> QPushButton | None:
        return next((b for b, c in self._buttons.items() if c is choice), None)

    def choice(self) -> DamageChoice:
        clicked = self.clickedButton()
        if isinstance(clicked, QPushButton):
            return self._buttons.get(clicked, DamageChoice.QUIT)
        return DamageChoice.QUIT


class DamageResolver(Protocol):
    """Asks the user what to do about a collection that cannot be opened."""

    def ask(self, error: DamagedCollectionError) -> DamageChoice: ...

    def choose_folder(self, current: Path) -> Path | None: ...


class DialogResolver:
    """The real one: :class:`DamagedCollectionDialog`, then a folder chooser if asked."""

    def ask(self, error: DamagedCollectionError) -> DamageChoice:
        dialog = DamagedCollectionDialog(error)
        dialog.exec()
        return dialog.choice()

    def choose_folder(self, current: Path) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(
            None, "Open another data folder", str(current.parent)
        )
        return Path(chosen) if chosen else None
