"""Starts study sessions for the window and keeps the study views (review, diagram,
statistics, editor) fed with the current library.

A session is started for a deck with its sub-decks (``Study now``, Enter in the deck list)
or for one diagram step (``Study this step`` in the diagram). When the decks it studies are
reloaded with changes, or the study settings change, the same scope is started again so the
new text and settings apply at once (the undo history of the old session is left behind).

The host is given what it works with (the collection, the clock, the window's settings, the
library controller, the review view, and two questions it may ask: which deck is selected,
which view is shown); it talks back to the window through its signals.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.errors import CollectionError
from metaflash.core.decks.model import CardId, Deck, DeckId, Diagram, StepId
from metaflash.core.library.snapshot import Library
from metaflash.core.library.sources import AddDeckError
from metaflash.core.stats.statistics import Statistics, collect_statistics, step_mastery
from metaflash.core.study.scope import StudyScope, card_scope, deck_scope, step_scope
from metaflash.core.study.session import ReviewSession
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.window_settings import WindowSettings
from metaflash.ui.decks.library_controller import LibraryController
from metaflash.ui.review.review_view import ReviewContext, ReviewView
from metaflash.ui.shell.views import ViewName
from metaflash.ui.stats.statistics_view import FORECAST_DAYS, HISTORY_DAYS, StatisticsView

if TYPE_CHECKING:
    from metaflash.core.collection.store import Collection
    from metaflash.ui.editor.editor_view import EditorView


def editor_available() -> bool:
    """Whether the editor package (a colleague's) is installed in this build."""
    return importlib.util.find_spec("metaflash.ui.editor") is not None


class StudyHost(QObject):
    #: put this widget in the window as the named view (replacing the one before)
    view_ready = Signal(str, QWidget)
    #: show the named view (the window prepares it as it does for the toolbar)
    view_wanted = Signal(str)
    #: a session has started: show the review screen as it is
    review_started = Signal()
    #: the running session's decks are gone: back to the deck list
    decks_wanted = Signal()

    def __init__(
        self,
        *,
        collection: Collection,
        clock: Clock,
        settings: WindowSettings,
        library: LibraryController,
        review: ReviewView,
        selected_deck: Callable[[], DeckId | None],
        current_view: Callable[[], ViewName],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._collection = collection
        self._clock = clock
        self._settings = settings
        self._library = library
        self._review = review
        self._selected_deck = selected_deck
        self._current_view = current_view
        self._scope: StudyScope | None = None
        self._decks: dict[DeckId, Deck] = {}
        self.statistics: StatisticsView | None = None
        self.diagram_view: QWidget | None = None
        self._diagram: Diagram | None = None
        #: steps whose mastery is stale (None: all of them), refreshed with the counts
        self._stale_steps: set[StepId] | None = set()
        self._editor: EditorView | None = None  # built when first wanted (see editor)
        self.has_editor = False

    @property
    def library(self) -> Library:
        return self._library.library

    # --- the views this build can show -------------------------------------------------

    def add_optional_views(self) -> None:
        self.statistics = StatisticsView(self._compute_statistics)
        self.view_ready.emit(ViewName.STATS.value, self.statistics)
        self._update_statistics_decks()
        self.has_editor = editor_available()
        if self.has_editor:
            # its place in the window now, the editor itself when first wanted: importing and
            # building it is about a fifth of the window's start (bench/startup.py)
            placeholder = QWidget()
            placeholder.setObjectName("editorPlaceholder")
            self.view_ready.emit(ViewName.EDITOR.value, placeholder)

    @property
    def editor(self) -> EditorView | None:
        """The deck editor, built on first use; None when this build has none."""
        if self._editor is None and self.has_editor:
            from metaflash.ui.editor.editor_view import EditorView

            editor = EditorView(self.library, read_only_folder=self._library.bundled)
            editor.setObjectName("editorView")
            editor.study_requested.connect(self.study_deck)
            editor.copy_requested.connect(self.copy_bundled)
            self._editor = editor
            self.view_ready.emit(ViewName.EDITOR.value, editor)
        return self._editor

    def edit_deck(self, deck_id: DeckId, card_id: str | None = None) -> bool:
        """Open a deck (at a card) in the editor view; False when this build has none or the
        deck cannot be edited there."""
        deck = self.library.deck(deck_id)
        if self.editor is None or deck is None or deck.path is None:
            return False
        if not self.editor.open_deck(deck.path, card_id):
            return False
        self.view_wanted.emit(ViewName.EDITOR.value)
        return True

    @Slot(Path)
    def copy_bundled(self, deck_file: Path) -> Path | None:
        """ "Copy to My Decks": the bundled decks become the user's own files (same ids, so
        the progress stays), and the copy of this deck opens in the editor, editable."""
        try:
            copy = self._library.copy_bundled(deck_file)
        except AddDeckError as error:
            QMessageBox.warning(self._parent, "Cannot Copy the Deck", str(error))
            return None
        if self.editor is not None:
            self.editor.close_deck()
            self.editor.open_deck(copy)
        return copy

    def prepare_editor(self) -> bool:
        """Before showing the editor: the selected deck, unless a deck is open already."""
        if self.editor is None:
            return False
        if self.editor.path is None:
            selected = self._selected_deck()
            deck = self.library.deck(selected) if selected is not None else None
            if deck is not None and deck.path is not None:
                self.editor.open_deck(deck.path)
        return True

    # --- sessions ---------------------------------------------------------------------

    @property
    def scope(self) -> StudyScope | None:
        return self._scope

    @Slot(str)
    def study_deck(self, deck_id: str) -> None:
        """Study ``deck_id`` with its sub-decks, and show the review screen."""
        decks = self.library.decks
        if not any(deck.id == deck_id for deck in decks):
            return
        self.start(deck_scope(decks, DeckId(deck_id)))

    @Slot(str)
    def study_step(self, step_id: str) -> None:
        """Study the cards of one diagram step."""
        decks = self.library.decks
        label = self._diagram.step(StepId(step_id)) if self._diagram is not None else None
        title = label.label if label is not None else step_id
        if any(card.diagram_step == step_id for deck in decks for card in deck.cards):
            self.start(step_scope(decks, StepId(step_id), title))

    def study_card(self, deck_id: str, card_id: str) -> str | None:
        """Show one card in the review (``--card``): studied as usual when it is due, else
        previewed (cram: answers change nothing). None, or why it cannot be shown."""
        deck = self.library.deck(DeckId(deck_id))
        if deck is None:
            known = ", ".join(sorted(d.id for d in self.library.decks)) or "none"
            return f"no deck has the id {deck_id!r}; the decks are: {known}"
        if deck.card(CardId(card_id)) is None:
            return f"the deck {deck_id} has no card {card_id!r}: see the ids in {deck.path}"
        scope = card_scope(deck, CardId(card_id))
        if not self.start(scope) or self._review.session is None:
            return f"{deck_id}/{card_id} cannot be studied now"
        if self._review.session.current is None and not self.start(scope, cram=True):
            return f"{deck_id}/{card_id} cannot be studied now"
        return None

    def start(self, scope: StudyScope, *, show: bool = True, cram: bool = False) -> bool:
        library = self.library
        try:
            session = ReviewSession(
                self._collection,
                library.decks,
                scope,
                self._collection.study_day(self._clock.timezone),
                self._clock.now(),
                cram=cram,
            )
        except (CollectionError, ValueError) as error:
            QMessageBox.warning(
                self._parent, "Cannot study", f"This deck cannot be studied now: {error}"
            )
            return False
        self._scope = scope
        self._decks = {deck.id: deck for deck in library.decks if deck.id in scope.deck_ids}
        self._review.set_session(session, self._context(scope))
        if show:
            self.review_started.emit()
        return True

    def ensure_session(self) -> bool:
        """Before showing the review screen: a session for the selected deck (a running one
        for the same deck is resumed)."""
        selected = self._selected_deck()
        scope = self._scope if self._review.session is not None else None
        if scope is not None and (selected in (None, scope.deck_ids[0]) or scope.stage):
            return True
        if selected is None:
            return False
        return self.start(deck_scope(self.library.decks, selected), show=False)

    def _context(self, scope: StudyScope) -> ReviewContext:
        library = self.library
        decks = {deck.id: deck for deck in library.decks}
        diagrams: dict[DeckId, Diagram] = {}
        for deck_id in scope.deck_ids:
            deck = decks.get(deck_id)
            diagram = library.diagram_of(deck) if deck is not None else None
            if diagram is not None:
                diagrams[deck_id] = diagram
        mastery = (
            step_mastery(self._collection, list(decks.values()), self._clock.now())
            if diagrams
            else {}
        )
        return ReviewContext(decks, diagrams, mastery)

    def restart(self) -> None:
        """Start the running session's scope again (new decks or settings)."""
        if self._scope is None or self._review.session is None:
            return
        shown = self._current_view() is ViewName.REVIEW
        ids = {deck.id for deck in self.library.decks}
        if all(deck_id in ids for deck_id in self._scope.deck_ids):
            self.start(self._scope, show=shown)
        else:
            self._scope = None
            self._review.set_session(None)
            if shown:
                self.decks_wanted.emit()

    # --- the library changed ---------------------------------------------------------------

    def library_changed(self) -> None:
        library = self.library
        if self._scope is not None and self._review.session is not None:
            now = {deck.id: deck for deck in library.decks if deck.id in self._scope.deck_ids}
            if now != self._decks:
                self.restart()
        self._update_statistics_decks()
        if self._editor is not None:
            self._editor.set_library(library)
        if self.diagram_view is not None and self._diagram is not None:
            self.prepare_diagram()

    def deck_selected(self, deck_id: DeckId) -> None:
        if self.statistics is not None:
            self.statistics.show_deck(deck_id)
        editor = self._editor  # not built just for this: it opens the deck when first shown
        if editor is not None and self._current_view() is ViewName.EDITOR:
            deck = self.library.deck(deck_id)  # the editor follows the deck list
            if deck is not None and deck.path is not None and editor.path != deck.path:
                editor.open_deck(deck.path)

    # --- the diagram ----------------------------------------------------------------------

    def _diagram_for_selection(self) -> Diagram | None:
        library = self.library
        selected = self._selected_deck()
        deck = library.deck(selected) if selected is not None else None
        diagram = library.diagram_of(deck) if deck is not None else None
        return diagram or (library.diagrams[0] if library.diagrams else None)

    def prepare_diagram(self) -> bool:
        """Before showing the diagram view: the selected deck's diagram, with its mastery."""
        from metaflash.ui.diagram import DiagramView, prompts_by_step

        diagram = self._diagram_for_selection()
        if diagram is None:
            return False
        decks = self.library.decks
        mastery = step_mastery(self._collection, decks, self._clock.now())
        prompts = [prompt for deck in decks for prompt in deck.prompts()]
        if self.diagram_view is None or self._diagram != diagram:
            view = DiagramView(diagram, mastery, prompts_by_step(prompts))
            view.setObjectName("diagramView")
            view.studyStepRequested.connect(self.study_step)
            view.set_reduce_motion(self._settings.reduce_motion)
            self.view_ready.emit(ViewName.DIAGRAM.value, view)
            self.diagram_view = view
            self._diagram = diagram
        else:
            assert isinstance(self.diagram_view, DiagramView)
            self.diagram_view.set_mastery(mastery)
            self.diagram_view.set_cards_for_step(prompts_by_step(prompts))
        return True

    # --- step mastery, kept true ----------------------------------------------------------

    def note_change(self, change: CollectionChange) -> None:
        """Remember which steps' mastery a change of the collection made stale: the steps
        of the prompts answered (or undone), or all of them (decks or settings changed)."""
        if change.kind is ChangeKind.MARKS:
            return  # burying, suspending or flagging changes no one's recall
        if change.kind is not ChangeKind.REVIEWS or not change.prompts:
            self._stale_steps = None
            return
        if self._stale_steps is None:
            return
        library = self.library
        for key in change.prompts:
            deck = library.deck(key.deck_id)
            card = deck.card(key.card_id) if deck is not None else None
            if card is None:
                continue
            for prompt in card.prompts(key.deck_id):
                if prompt.variant == key.variant and prompt.stage is not None:
                    self._stale_steps.add(prompt.stage)

    def refresh_mastery(self) -> None:
        """Recompute the stale steps' mastery; the diagram and the review's compact diagram
        show it (its step panel too), so no screen shows an old figure."""
        stale, self._stale_steps = self._stale_steps, set()
        if stale is not None and not stale:
            return
        if self.diagram_view is None and self._review.session is None:
            return
        mastery = step_mastery(
            self._collection,
            self.library.decks,
            self._clock.now(),
            steps=None if stale is None else frozenset(stale),
        )
        from metaflash.ui.diagram import DiagramView

        if isinstance(self.diagram_view, DiagramView):
            if stale is None:
                self.diagram_view.set_mastery(mastery)
            else:
                for step in mastery.values():
                    self.diagram_view.update_step_mastery(step)
        if self._review.session is not None:
            self._review.update_mastery(mastery)

    def set_reduce_motion(self, on: bool) -> None:
        setter = getattr(self.diagram_view, "set_reduce_motion", None)
        if callable(setter):
            setter(on)

    # --- statistics ------------------------------------------------------------------------

    def _step_labels(self) -> dict[StepId, str]:
        labels: dict[StepId, str] = {}
        for diagram in self.library.diagrams:
            for step in diagram.ordered_steps():
                labels.setdefault(step.id, step.label)
        return labels

    def _update_statistics_decks(self) -> None:
        if self.statistics is None:
            return
        rows: list[tuple[DeckId, str, int]] = []

        def walk(nodes, depth: int) -> None:  # type: ignore[no-untyped-def]
            for node in nodes:
                rows.append((node.deck.id, node.deck.title, depth))
                walk(node.children, depth + 1)

        walk(self.library.tree.roots, 0)
        self.statistics.set_decks(rows, self._step_labels())

    def _compute_statistics(self, deck_id: DeckId | None) -> Statistics:
        library = self.library
        order: list[StepId] = []
        for diagram in library.diagrams:
            order.extend(step.id for step in diagram.ordered_steps() if step.id not in order)
        root = deck_id if deck_id is not None and library.deck(deck_id) is not None else None
        return collect_statistics(
            self._collection,
            library.decks,
            self._collection.study_day(self._clock.timezone),
            self._clock.now(),
            root=root,
            forecast_days=FORECAST_DAYS,
            history_days=HISTORY_DAYS,
            step_order=order,
        )

    def refresh_statistics(self) -> None:
        if self.statistics is not None:
            self.statistics.refresh()

    def may_close(self) -> bool:
        """Ask the editor to save unsaved edits; whether the window may close."""
        return self._editor is None or self._editor.maybe_close()

    def shutdown(self) -> None:
        self._scope = None
        if self._editor is not None:
            self._editor.shutdown()
