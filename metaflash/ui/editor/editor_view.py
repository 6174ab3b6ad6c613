"""The deck editor: browse a deck's cards, edit them in a form with a live preview, edit the
deck's details, and save the YAML back with the author's formatting kept.

The view shows a :class:`~metaflash.core.editing.edit_session.DeckEditSession` (the core does every
edit, check and save). What the author types is applied and checked
:data:`VALIDATE_DELAY_MS` after they stop typing (one single-shot timer); the preview follows
every keystroke. How the window hosts it: docs/editor.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QWidget,
)

from metaflash.core.decks.model import CardType, Deck
from metaflash.core.editing.draft import CardDraft, DeckMeta
from metaflash.core.editing.edit_session import (
    ChangeKind,
    DeckEditSession,
    DocumentError,
    EditChange,
)
from metaflash.core.library.snapshot import Library
from metaflash.core.util.observers import Subscription
from metaflash.ui.common.theme import set_role
from metaflash.ui.editor.deck_file_guard import DeckFileGuard
from metaflash.ui.editor.editor_actions import EditorCommands, build_actions
from metaflash.ui.editor.editor_widgets import EditorWidgets, shown_path
from metaflash.ui.editor.new_deck_dialog import run_new_deck_dialog
from metaflash.ui.editor.problem_places import place_problems, problem_text

#: How long after the last keystroke an edit is applied and checked.
VALIDATE_DELAY_MS = 300


class EditorView(EditorWidgets):
    """Edits one deck file at a time (see the module's documentation for the window's part)."""

    deck_saved = Signal(Path)
    study_requested = Signal(str)
    dirty_changed = Signal(bool)
    copy_requested = Signal(Path)  # "Copy to My Decks" on a read-only (bundled) deck

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        read_only_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        #: decks under this folder (the bundled ones) open read-only
        self._read_only_folder = (
            Path(os.path.realpath(read_only_folder)) if read_only_folder is not None else None
        )
        self._session: DeckEditSession | None = None
        self._subscriptions: list[Subscription[EditChange] | Subscription[Path]] = []
        self._current = -1
        self._pending_card: tuple[int, CardDraft] | None = None
        self._pending_meta: DeckMeta | None = None
        self._stages: tuple[tuple[str, str], ...] = ()
        self._was_dirty = False

        self._timer = QTimer(self)
        self._timer.setObjectName("editorValidateTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.guard = DeckFileGuard(self, lambda: self.is_dirty)
        self.guard.reloaded.connect(self._on_reloaded)
        self.guard.outside_change.connect(self._on_outside_change)
        self.guard.settled.connect(self.banner.hide)

        self.editor_actions = build_actions(
            self,
            EditorCommands(
                save=self.save,
                undo=self.undo,
                redo=self.redo,
                add_card=self.add_card,
                duplicate=self.duplicate_card,
                delete=self.delete_card,
                move=self.move_card,
                find=self.focus_search,
                study=self.study,
            ),
        )
        self.card_list.current_changed.connect(self._on_current_changed)
        self.form.draft_changed.connect(self._on_draft_changed)
        self.details.meta_changed.connect(self._on_meta_changed)
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.itemClicked.connect(self._go_to_problem)
        self.banner_reload.clicked.connect(self.guard.reload)
        self.banner_compare.clicked.connect(self._compare_from_banner)
        self.copy_button.clicked.connect(self._request_copy)
        self.new_deck_button.clicked.connect(self.new_deck)
        self.open_file_button.clicked.connect(self._choose_file)
        self._show_empty()

    # --- opening and closing ---------------------------------------------------------------

    @property
    def session(self) -> DeckEditSession | None:
        return self._session

    @property
    def path(self) -> Path | None:
        return self._session.path if self._session is not None else None

    @property
    def read_only(self) -> bool:
        """Whether the open deck comes with metaflash (shown, not edited)."""
        path = self.path
        folder = self._read_only_folder
        return (
            path is not None
            and folder is not None
            and Path(os.path.realpath(path)).is_relative_to(folder)
        )

    @Slot()
    def _request_copy(self) -> None:
        if self.path is not None and self.read_only:
            self.copy_requested.emit(self.path)

    @property
    def is_dirty(self) -> bool:
        """Whether there are edits that are not saved (typed but not yet applied count too)."""
        pending = self._pending_card is not None or self._pending_meta is not None
        return self._session is not None and (self._session.dirty or pending)

    @property
    def edits_pending(self) -> bool:
        """Whether typed edits wait for the timer to be applied and checked."""
        return self._timer.isActive()

    @property
    def last_saved_digest(self) -> str | None:
        """The SHA-256 (hex) of the file as the editor last read or wrote it."""
        return self._session.disk_digest if self._session is not None else None

    @property
    def current_index(self) -> int:
        return self._current

    def set_library(self, library: Library) -> None:
        """The decks now loaded (for the parent deck and the checks that span files)."""
        self._library = library
        if self._session is not None:
            self._session.set_library(self._other_decks())
            self._refresh_all()
            self._validate()

    def _other_decks(self) -> tuple[Deck, ...]:
        path = self.path
        return tuple(deck for deck in self._library.decks if path is None or deck.path != path)

    def open_deck(self, path: Path, card_id: str | None = None) -> bool:
        """Edit the deck file at ``path`` (selecting ``card_id``); after asking to save the
        deck being edited. Returns whether the deck is open."""
        path = Path(os.path.abspath(path))
        if self._session is not None and self._session.path == path:
            if card_id is not None:
                self.select_card(card_id)
            return True
        if not self.maybe_close():
            return False
        try:
            others = tuple(deck for deck in self._library.decks if deck.path != path)
            session = DeckEditSession.open(path, others=others)
        except DocumentError as error:
            problem = error.problem
            QMessageBox.warning(
                self,
                "Cannot Edit This Deck",
                f"{path.name} cannot be opened in the editor:\n\n{problem_text(problem)} "
                f"(line {problem.line}, column {problem.column}).\n\nFix it in a text editor first.",
            )
            return False
        self._set_session(session)
        if card_id is None or not self.select_card(card_id):
            self.card_list.select(0)
        row = self.card_list.current_index()
        if row >= 0 and row != self._current:  # the list kept its row: no signal came
            self._on_current_changed(row)
        self.card_list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def close_deck(self) -> None:
        """Stop editing (without asking: call :meth:`maybe_close` first)."""
        self._timer.stop()
        self._pending_card = None
        self._pending_meta = None
        self._set_session(None)

    def maybe_close(self) -> bool:
        """Ask to save unsaved edits; whether the deck may be closed."""
        if self._session is None:
            return True
        self.flush()
        if not self._session.dirty:
            return True
        box = QMessageBox(self)
        box.setObjectName("unsavedChanges")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved Changes")
        box.setText(f"Save the changes to “{self._session.path.name}”?")
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def shutdown(self) -> None:
        """Stop the timer and the file watcher (the window is closing)."""
        self._timer.stop()
        self.guard.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _set_session(self, session: DeckEditSession | None) -> None:
        for subscription in self._subscriptions:
            subscription.disconnect()
        self._subscriptions = []
        self._timer.stop()
        self.guard.set_session(session)
        self._session = session
        self._current = -1
        self.banner.hide()
        if session is None:
            self._show_empty()
            return
        self._subscriptions = [
            session.changed.connect(self._on_session_changed),
            session.saved.connect(self._on_saved),
        ]
        self._show_editor()
        read_only = self.read_only
        self.read_only_banner.setVisible(read_only)
        for widget in (self.form, self.details):
            widget.setEnabled(not read_only)
        self._refresh_all()
        self._validate()

    # --- showing the document --------------------------------------------------------------

    def _refresh_all(self, *, reload_forms: bool = False) -> None:
        session = self._session
        if session is None:
            return
        document = session.document
        meta = document.meta()
        cards = document.cards()
        steps = session.diagram_steps()
        self._stages = tuple((step.id, step.label) for step in steps)
        self.title_label.setText(meta.title or session.path.stem)
        self.path_label.set_full_text(shown_path(session.path))
        self.card_list.set_cards(cards, self._stages)
        self.form.set_context(
            deck_path=session.path,
            stages=self._stages,
            documents=meta.sources,
            sections=sorted({ref.section for card in cards for ref in card.sources if ref.section}),
            tags=sorted({tag for card in cards for tag in card.tags}),
            has_diagram=bool(meta.diagram),
        )
        self.preview.set_deck(
            folder=session.path.parent,
            deck_id=meta.id,
            title=meta.title,
            documents=meta.sources,
            steps={step.id: (step.label, step.summary) for step in steps},
        )
        if reload_forms or not self.details.isVisible() or self._pending_meta is None:
            self.details.set_meta(meta, decks=self._other_decks(), folder=session.path.parent)
        if reload_forms and 0 <= self._current < len(cards):
            self._show_card(self._current)
        self._update_state()

    def _show_card(self, index: int) -> None:
        session = self._session
        if session is None or not 0 <= index < len(session.document.cards()):
            self.form.setEnabled(False)
            self.preview.show_draft(None)
            return
        draft = session.document.card(index)
        provisional = session.is_provisional(draft.id)
        self.form.setEnabled(not self.read_only)
        self.form.set_draft(
            draft, id_locked=draft.id in session.saved_ids(), id_follows_question=provisional
        )
        self.preview.show_draft(draft)

    def _update_state(self) -> None:
        session = self._session
        dirty = self.is_dirty
        count = len(session.document.cards()) if session is not None else 0
        self.editor_actions.set_states(
            editable=session is not None and not self.read_only,
            can_undo=session is not None and (session.can_undo or self._pending_card is not None),
            can_redo=session is not None and session.can_redo,
            current=self._current if 0 <= self._current < count else None,
            count=count,
        )
        self.add_button.setEnabled(session is not None and not self.read_only)
        if self.read_only:
            self.saved_label.setText("Read-only")
        else:
            self.saved_label.setText("Unsaved changes" if dirty else "All changes saved")
        set_role(self.saved_label, "warning" if dirty else "muted")
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    # --- the author's edits ----------------------------------------------------------------

    def select_card(self, card_id: str) -> bool:
        session = self._session
        if session is None:
            return False
        self.flush()
        ids = session.document.card_ids()
        if card_id not in ids:
            return False
        self.tabs.setCurrentIndex(0)
        return self.card_list.select(ids.index(card_id))

    @Slot(int)
    def _on_current_changed(self, index: int) -> None:
        if index == self._current:
            return
        self.flush()
        self._current = index
        self._show_card(index)
        self._validate()
        self._update_state()

    @Slot(object)
    def _on_draft_changed(self, draft: CardDraft) -> None:
        if self._session is None or self._current < 0:
            return
        self._pending_card = (self._current, draft)
        self.preview.show_draft(draft)
        self._timer.start()
        self._update_state()

    @Slot(object)
    def _on_meta_changed(self, meta: DeckMeta) -> None:
        if self._session is None:
            return
        self._pending_meta = meta
        self._timer.start()
        self._update_state()

    @Slot()
    def flush(self) -> None:
        """Apply what was typed and not yet applied, then check the deck."""
        self._timer.stop()
        session = self._session
        if session is None:
            return
        pending_card, self._pending_card = self._pending_card, None
        pending_meta, self._pending_meta = self._pending_meta, None
        if pending_card is None and pending_meta is None:
            return
        try:
            if pending_card is not None:
                index, draft = pending_card
                written = session.update_card(index, draft)
                if index == self._current and written.id != draft.id:
                    self.form.set_id(
                        written.id, id_follows_question=session.is_provisional(written.id)
                    )
            if pending_meta is not None:
                session.update_meta(pending_meta)
        except DocumentError as error:
            self._edit_failed(error)
        self._validate()
        self._update_state()

    def _edit_failed(self, error: DocumentError) -> None:
        QMessageBox.warning(
            self, "Edit Not Applied", f"The edit could not be written: {error.problem.message}"
        )
        self._refresh_all(reload_forms=True)

    @Slot(object)
    def _on_session_changed(self, change: EditChange) -> None:
        session = self._session
        if session is None:
            return
        if change.kind is ChangeKind.CARD:
            self.card_list.set_cards(session.document.cards(), self._stages)
            self._update_state()
        else:
            self._refresh_all(reload_forms=change.kind is ChangeKind.ALL)

    def add_card(self, card_type: CardType = CardType.BASIC) -> int:
        session = self._session
        if session is None:
            return -1
        self.flush()
        index = self._current + 1 if self._current >= 0 else len(session.document.cards())
        self._structural(lambda: session.add_card(index, card_type))
        self.tabs.setCurrentIndex(0)
        self.form.focus_field({"cloze": "text", "sequence": "prompt"}.get(card_type.value, "front"))
        return index

    def duplicate_card(self) -> int:
        session = self._session
        if session is None or self._current < 0:
            return -1
        self.flush()
        current = self._current
        return self._structural(lambda: session.duplicate_card(current))

    def delete_card(self) -> None:
        session = self._session
        if session is None or self._current < 0:
            return
        self.flush()
        current = self._current
        card_id = session.document.card(current).id
        count = len(session.document.cards())

        def delete() -> int:
            session.delete_card(current)
            return min(current, count - 2)

        self._structural(delete)
        self.status_label.setText(f"Deleted “{card_id}”. Undo brings it back.")

    def move_card(self, offset: int) -> None:
        session = self._session
        if session is None or self._current < 0:
            return
        self.flush()
        current = self._current
        count = len(session.document.cards())
        if 0 <= current + offset < count:
            self._structural(lambda: session.move_card(current, current + offset))

    def _structural(self, operation: Callable[[], int]) -> int:
        try:
            index = operation()
        except DocumentError as error:
            self._edit_failed(error)
            return -1
        self._current = -1
        self.card_list.select(index)
        if self._current != index:  # the same row stayed current: show it anyway
            self._current = index
            self._show_card(index)
        self._validate()
        self._update_state()
        return index

    def undo(self) -> None:
        self.flush()
        if self._session is not None and self._session.undo():
            self._after_history()

    def redo(self) -> None:
        self.flush()
        if self._session is not None and self._session.redo():
            self._after_history()

    def _after_history(self) -> None:
        session = self._session
        assert session is not None
        count = len(session.document.cards())
        index = min(max(self._current, 0), count - 1)
        self._current = -1
        self.card_list.select(index)
        if self._current != index:
            self._current = index
            self._show_card(index)
        self._validate()

    # --- checking ----------------------------------------------------------------------------

    def _validate(self) -> None:
        session = self._session
        if session is None:
            return
        places = place_problems(session.check().problems, session.document, self._current)
        self.card_list.set_problems(places.by_card)
        self.form.set_problems(places.card_fields, places.card_general)
        self.details.set_problems(places.deck_fields, places.deck_general)
        self.show_problems(places.located, session.document.card_ids())
        deck_problems = places.deck_fields or places.deck_general
        self.tabs.setTabText(1, "Deck Details ⚠" if deck_problems else "Deck Details")

    @Slot()
    def _go_to_problem(self, item: object) -> None:
        data = item.data(Qt.ItemDataRole.UserRole) if hasattr(item, "data") else None
        if not data:
            return
        index, field = data
        if index is None:
            self.tabs.setCurrentIndex(1)
            return
        self.tabs.setCurrentIndex(0)
        self.card_list.select(index)
        if field:
            self.form.focus_field(field)

    # --- saving and the file on disk --------------------------------------------------------

    def save(self) -> bool:
        """Save the deck (asking when it has errors or changed on disk); whether it was saved."""
        if self._session is None:
            return False
        self.flush()
        return self.guard.save()

    @Slot(object)
    def _on_saved(self, path: Path) -> None:
        self.status_label.setText(f"Saved {path.name}.")
        if 0 <= self._current:
            self._show_card(self._current)
        self._update_state()
        self.deck_saved.emit(path)

    @Slot()
    def _on_reloaded(self) -> None:
        self._timer.stop()
        self._pending_card = None
        self._pending_meta = None
        session = self._session
        if session is not None:
            self.status_label.setText(f"Loaded {session.path.name} from disk.")
        self._after_history()

    @Slot(str, bool)
    def _on_outside_change(self, message: str, can_reload: bool) -> None:
        self.banner_label.setText(message)
        self.banner_reload.setEnabled(can_reload)
        self.banner.show()

    @Slot()
    def _compare_from_banner(self) -> None:
        self.flush()
        self.guard.compare()

    # --- other commands --------------------------------------------------------------------

    @Slot()
    def new_deck(self) -> Path | None:
        """Ask for a new deck's details, create its file and open it."""
        created = run_new_deck_dialog(self, self._library.folders, self._library.decks)
        if created is not None:
            self.open_deck(created)
        return created

    @Slot()
    def _choose_file(self) -> None:
        start = str(self._library.folders[-1]) if self._library.folders else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open Deck File", start, "Decks (*.yaml *.yml)"
        )
        if chosen:
            self.open_deck(Path(chosen))

    @Slot()
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.card_list.search.setFocus()
        self.card_list.search.selectAll()

    @Slot()
    def study(self) -> None:
        session = self._session
        if session is None:
            return
        if self.is_dirty and not self.save():
            return
        self.study_requested.emit(session.document.meta().id)
