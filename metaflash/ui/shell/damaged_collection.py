"""The dialog shown at start when the collection cannot be used as it is.

The core refuses a damaged, empty, missing or foreign collection, and one whose review log
lost acknowledged answers, before anything writes to it
(:class:`~metaflash.core.collection.errors.DamagedCollectionError`). This dialog says what is
wrong and offers what can be done: restore the newest good backup, keep a collection that only
lost answers as it is, open another data folder, or quit. Either way the files as they were
are kept among the backups first.
"""

from __future__ import annotations

from enum import Enum, auto
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from metaflash.core.collection.errors import DamagedCollectionError, DamageKind


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


_PLAIN = {
    DamageKind.EMPTY: "The file that holds your progress is empty.",
    DamageKind.MISSING: "The file that holds your progress is not in the data folder.",
    DamageKind.NOT_SQLITE: "The file that holds your progress was overwritten with something "
    "else, or its beginning is damaged.",
    DamageKind.NOT_A_COLLECTION: "The file in the data folder is a database of another program.",
    DamageKind.DAMAGED: "Part of the file that holds your progress cannot be read.",
    DamageKind.LOST_ANSWERS: "The newest answers you gave are no longer in the file that holds "
    "your progress: it was damaged, or replaced by an older copy.",
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
        lines = [_PLAIN[error.kind], error.backup_line()]
        if error.kind is DamageKind.LOST_ANSWERS and error.answers_now is not None:
            lines.append(f"Your collection still holds {error.answers_now:,} answers.")
            if error.backup is not None and error.restore_loses_more:
                lines.append(
                    f"Restoring the backup would leave {error.backup.reviews:,}: keeping your "
                    "collection as it is loses fewer."
                )
        lines.append(
            "metaflash has not changed your collection file. Whatever you choose, the file "
            "as it is now is kept among the backups first."
        )
        self.setInformativeText("\n\n".join(lines))
        self.setDetailedText(f"{error.path}\n\n{error.problem}")
        self._buttons: dict[QPushButton, DamageChoice] = {}
        if error.backup is not None:
            restore = self._add("&Restore This Backup", DamageChoice.RESTORE, "restoreButton")
            self.setDefaultButton(restore)
        if error.kind is DamageKind.LOST_ANSWERS:
            keep = self._add("&Keep It as It Is", DamageChoice.KEEP, "keepButton")
            if error.restore_loses_more:
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
