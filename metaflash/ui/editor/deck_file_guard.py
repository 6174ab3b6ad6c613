"""The edited deck's file on disk: saving it (asking when it has errors or changed on disk),
reloading it, and noticing when another program changes it.

The file is watched with a QFileSystemWatcher. A change whose bytes hash to what the editor
last read or wrote (:attr:`~metaflash.core.editing.edit_session.DeckEditSession.disk_digest`) is
the editor's own save and is ignored; any other change reloads the deck when nothing is
unsaved, and otherwise is announced (:attr:`DeckFileGuard.outside_change`) and settled when
the author saves: nothing is ever overwritten without the author's choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from metaflash.core.decks.model import Problem
from metaflash.core.editing.edit_session import DeckEditSession, DocumentError, SaveConflict
from metaflash.ui.editor.conflict_dialog import ConflictChoice, ConflictDialog
from metaflash.ui.editor.problem_places import problem_text

#: How long file changes are gathered before the file on disk is looked at.
SETTLE_MS = 250
#: How many times an empty file is looked at again before it counts as emptied (~2 s).
EMPTY_LOOKS = 8


class DeckFileGuard(QObject):
    """Saves, reloads and watches the file of the session being edited."""

    reloaded = Signal()  # the session holds the file from disk again
    outside_change = Signal(str, bool)  # what happened, whether the file can be reloaded
    settled = Signal()  # the file on disk is the editor's again (the notice can go)

    def __init__(self, widget: QWidget, has_unsaved: Callable[[], bool]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._has_unsaved = has_unsaved
        self._session: DeckEditSession | None = None
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        # Editors that save without an atomic rename truncate the file, then write it: the
        # change is looked at once the writes have settled, and an empty file is given a
        # moment to fill before it counts as emptied.
        self._settle = QTimer(self)
        self._settle.setObjectName("deckFileSettle")
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._look_at_disk)
        self._empty_looks = 0

    def set_session(self, session: DeckEditSession | None) -> None:
        self.stop()
        self._session = session
        self.watch()

    def watch(self) -> None:
        session = self._session
        if (
            session is not None
            and session.path.exists()
            and str(session.path) not in self.watcher.files()
        ):
            self.watcher.addPath(str(session.path))

    def stop(self) -> None:
        self._settle.stop()
        watched = self.watcher.files()
        if watched:
            self.watcher.removePaths(watched)

    # --- saving -------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the session's document; whether it was written."""
        session = self._session
        if session is None:
            return False
        errors = session.check().errors
        if errors and not self.confirm_save_with_errors(errors):
            return False
        overwrite = False
        conflict = session.disk_conflict()
        if conflict is not None:
            choice = self.ask_conflict(conflict)
            if choice is ConflictChoice.RELOAD:
                self.reload()
                return False
            if choice is ConflictChoice.CANCEL:
                return False
            overwrite = True
        return self._write(overwrite)

    def _write(self, overwrite: bool) -> bool:
        session = self._session
        assert session is not None
        try:
            session.save(overwrite=overwrite)
        except SaveConflict:
            QMessageBox.warning(
                self._widget,
                "Not Saved",
                "The file changed on disk again while it was being saved. Save again to choose what to do.",
            )
            return False
        except OSError as error:
            QMessageBox.critical(
                self._widget,
                "Not Saved",
                f"{session.path} could not be written: {error.strerror or error}.\n\n"
                "Your edits are still here; check that the folder is writable and has free space.",
            )
            return False
        self.watch()
        self.settled.emit()
        return True

    def confirm_save_with_errors(self, errors: Sequence[Problem]) -> bool:
        """Ask before saving a deck with errors; whether to save it anyway."""
        box = QMessageBox(self._widget)
        box.setObjectName("saveWithErrors")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The Deck Has Problems")
        count = len(errors)
        box.setText(f"This deck has {count} problem{'s' if count != 1 else ''}:")
        listed = "\n".join(f"• Line {p.line}: {problem_text(p)}" for p in errors[:6])
        more = f"\n…and {count - 6} more." if count > 6 else ""
        box.setInformativeText(
            f"{listed}{more}\n\nUntil they are fixed, this version of the deck cannot be "
            "studied (the last version that loaded stays in use). Save it anyway, to finish it later?"
        )
        save = box.addButton("Save Anyway", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is save

    def ask_conflict(self, conflict: SaveConflict) -> ConflictChoice:
        session = self._session
        assert session is not None
        return ConflictDialog.ask(
            session.path, conflict.disk_text, session.document.text, self._widget
        )

    # --- the file on disk -----------------------------------------------------------------

    def reload(self) -> bool:
        """Load the file from disk again (dropping unsaved edits); whether it could be."""
        session = self._session
        if session is None:
            return False
        try:
            session.reload()
        except DocumentError as error:
            QMessageBox.warning(
                self._widget,
                "Cannot Reload",
                f"The file on disk cannot be edited: {problem_text(error.problem)} "
                f"(line {error.problem.line}). Your version is kept.",
            )
            return False
        self.watch()
        self.settled.emit()
        self.reloaded.emit()
        return True

    def compare(self) -> None:
        """Show how the file on disk differs, and do what the author chooses."""
        session = self._session
        if session is None:
            return
        conflict = session.disk_conflict()
        if conflict is None:
            self.settled.emit()
            return
        choice = self.ask_conflict(conflict)
        if choice is ConflictChoice.RELOAD:
            self.reload()
        elif choice is ConflictChoice.KEEP_MINE:
            self._write(overwrite=True)

    @Slot(str)
    def _on_file_changed(self, changed: str) -> None:
        session = self._session
        if session is None or Path(changed) != session.path:
            return
        self.watch()  # a save by rename drops the path from the watcher
        self._empty_looks = 0
        self._settle.start()

    @Slot()
    def _look_at_disk(self) -> None:
        session = self._session
        if session is None:
            return
        self.watch()
        conflict = session.disk_conflict()
        if conflict is None:
            return  # the editor's own save, or the same bytes
        if conflict.disk_text is not None and not conflict.disk_text.strip():
            if self._empty_looks < EMPTY_LOOKS:  # truncated, and maybe being written
                self._empty_looks += 1
                self._settle.start()
                return
            self.outside_change.emit(
                f"{session.path.name} was emptied on disk. Your version is kept; saving asks "
                "what to do.",
                False,
            )
            return
        if not self._has_unsaved() and conflict.disk_text is not None:
            problem = self._reload_quietly()
            if problem is None:
                return
            self.outside_change.emit(
                f"{session.path.name} changed on disk and cannot be edited as it is now "
                f"({problem}). Your version is kept; fix the file, or save to replace it.",
                False,
            )
            return
        what = "was deleted" if conflict.disk_text is None else "changed on disk"
        self.outside_change.emit(
            f"{session.path.name} {what}. Your edits are kept; saving asks what to do.",
            conflict.disk_text is not None,
        )

    def _reload_quietly(self) -> str | None:
        """Reload after an outside change with nothing unsaved; what stops it, or None."""
        session = self._session
        assert session is not None
        try:
            session.reload()
        except DocumentError as error:
            return f"{problem_text(error.problem)}, line {error.problem.line}"
        self.watch()
        self.settled.emit()
        self.reloaded.emit()
        return None
