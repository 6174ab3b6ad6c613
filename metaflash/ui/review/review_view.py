"""The review screen: a passive view of a :class:`~metaflash.core.study.session.ReviewSession`.

The view shows what the session says (the prompt, the four next states on the buttons, the
remaining counts, the summary) and forwards what the student does (reveal, grade, undo,
bury, suspend, flag) to it, with the time from the injected clock; the session decides
everything (STYLE.md, example 3). Answers commit synchronously (one SQLite transaction) and
the next card is drawn at once; nothing slow happens on that path.

Keys (also in the window's Study menu): Space or Enter shows the answer, then means Good
(Again after a wrong pick on a diagram card); 1 to 4 grade; Ctrl+Z undoes; ``-`` buries,
``@`` suspends, ``*`` flags, E edits the card, Escape goes back to the decks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.collection.records import Flag
from metaflash.core.decks.model import (
    CardType,
    Deck,
    DeckId,
    Diagram,
    DiagramContent,
    Prompt,
    StepId,
)
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.stats.mastery import StepMastery
from metaflash.core.study.session import ReviewSession, SessionEvent, SessionEventKind
from metaflash.core.util.observers import Subscription
from metaflash.ui.common.card_render import CARD_FONT_SCALE, CardContext, card_html, card_stylesheet
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.counts_label import CountsLabel
from metaflash.ui.common.theme import colors_for_palette
from metaflash.ui.review.answer_bar import RATING_LABELS, AnswerBar
from metaflash.ui.review.review_diagram import ReviewDiagram
from metaflash.ui.review.session_summary import SessionSummaryView, when_text

#: Time on one card counted at most (as Anki's "maximum answer seconds"): a card left on
#: screen during a break does not count as an hour of study.
MAX_ANSWER_MS = 60_000
PICK_HINT = (
    "Pick the step on the diagram (click it, or Tab to it and press Enter), "
    "or press Space to see the answer."
)


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """What the view needs besides the session: the decks (titles, citations) and the
    diagram of each deck with the mastery of its steps (for the compact diagram)."""

    decks: Mapping[DeckId, Deck] = field(default_factory=dict)
    diagrams: Mapping[DeckId, Diagram] = field(default_factory=dict)
    mastery: Mapping[StepId, StepMastery] = field(default_factory=dict)


def prompt_kind(prompt: Prompt) -> str:
    """What kind of question this is, in a student's words."""
    variant = prompt.variant
    match prompt.card_type:
        case CardType.REVERSE:
            return "front → back" if variant == "forward" else "back → front"
        case CardType.CLOZE:
            return f"gap {variant.removeprefix('c')}"
        case CardType.SEQUENCE:
            return "put in order" if variant == "order" else "what comes next"
        case CardType.DIAGRAM:
            return "pick it on the diagram"
        case _:
            return "question"


class ReviewView(QWidget):
    """Shows a session; :meth:`set_session` starts showing one (None: nothing to study)."""

    back_requested = Signal()
    edit_requested = Signal(str, str)  # deck id, card id

    CARD_PAGE, WAITING_PAGE, SUMMARY_PAGE = 0, 1, 2

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setProperty("role", "page")
        self._clock = clock
        self._session: ReviewSession | None = None
        self._subscription: Subscription[SessionEvent] | None = None
        self._context = ReviewContext()
        self._revealed = False
        self._shown_at_ms = 0
        self._pending_notice = ""
        self._picked: tuple[StepId, bool] | None = None
        self._wake = QTimer(self)
        self._wake.setObjectName("review-wake")
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self.check_time)
        self._build_actions()
        self._build_pages()
        self._update_actions()

    # --- actions -------------------------------------------------------------------------

    def _action(
        self, text: str, keys: list[str | QKeySequence.StandardKey], slot: Callable[..., object]
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.continue_action = self._action(
            "Show &Answer", ["Space", "Return", "Enter"], self.continue_
        )
        self.grade_actions: dict[Rating, QAction] = {}
        for rating in Rating:
            action = self._action(
                f"&{int(rating)} {RATING_LABELS[rating]}",
                [str(int(rating))],
                lambda _checked=False, r=rating: self.grade(r),
            )
            self.grade_actions[rating] = action
        self.undo_action = self._action("&Undo", [QKeySequence.StandardKey.Undo], self.undo)
        self.bury_action = self._action("&Bury Until Tomorrow", ["-"], self.bury)
        self.suspend_action = self._action("&Suspend", ["@"], self.suspend)
        self.flag_action = self._action("&Flag", ["*"], self.toggle_flag)
        self.edit_action = self._action("&Edit Card", ["E"], self.edit)
        self.back_action = self._action("Back to &Decks", ["Escape"], self.back_requested.emit)

    def study_actions(self) -> list[QAction | None]:
        """The actions for the window's Study menu, with None where a separator goes."""
        return [
            self.continue_action,
            *self.grade_actions.values(),
            None,
            self.undo_action,
            self.bury_action,
            self.suspend_action,
            self.flag_action,
            self.edit_action,
            None,
            self.back_action,
        ]

    # --- layout -------------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.deck_title = QLabel()
        self.deck_title.setProperty("role", "muted")
        self.flag_label = QLabel()
        self.flag_label.setProperty("role", "error")
        self.counts = CountsLabel(big=True)
        top = QHBoxLayout()
        top.setContentsMargins(24, 14, 24, 6)
        top.addWidget(self.deck_title)
        top.addWidget(self.flag_label)
        top.addStretch(1)
        top.addWidget(self.counts, 0)

        self.card = QTextBrowser()
        self.card.setObjectName("card")
        self.card.setOpenExternalLinks(True)
        self.card.setAccessibleName("Card")
        self.card.setFrameShape(QFrame.Shape.NoFrame)
        self.card.document().setDocumentMargin(28)
        self.card.setMaximumWidth(860)
        self.card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.diagram_box = ReviewDiagram()
        self.diagram_box.picked.connect(self._on_step_picked)
        middle = QHBoxLayout()
        middle.setContentsMargins(24, 0, 24, 0)
        middle.setSpacing(16)
        middle.addStretch(0)
        middle.addWidget(self.card, 1)
        middle.addWidget(self.diagram_box, 0)
        middle.addStretch(0)

        self.notice = QLabel()
        self.notice.setObjectName("reviewNotice")
        self.notice.setProperty("role", "warning")
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.hide()
        self.answer_bar = AnswerBar(self.continue_action, self.grade_actions)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(24, 8, 24, 18)
        bottom.setSpacing(8)
        bottom.addWidget(self.notice)
        bottom.addWidget(self.answer_bar)

        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.setSpacing(0)
        card_layout.addLayout(top)
        card_layout.addLayout(middle, 1)
        card_layout.addLayout(bottom)

        self.waiting_text = QLabel()
        self.waiting_text.setProperty("role", "empty")
        self.waiting_text.setWordWrap(True)
        self.waiting_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        waiting_back = QPushButton("Back to decks")
        waiting_back.clicked.connect(self.back_requested)
        waiting_page = QWidget()
        waiting_layout = QVBoxLayout(waiting_page)
        waiting_layout.addStretch(1)
        waiting_layout.addWidget(self.waiting_text)
        waiting_layout.addWidget(waiting_back, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting_layout.addStretch(2)

        self.summary = SessionSummaryView()
        self.summary.back_requested.connect(self.back_requested)

        self.pages = QStackedWidget()
        self.pages.addWidget(card_page)
        self.pages.addWidget(waiting_page)
        self.pages.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.card)
        self._restyle()

    # --- the session ---------------------------------------------------------------------

    @property
    def session(self) -> ReviewSession | None:
        return self._session

    @property
    def revealed(self) -> bool:
        return self._revealed

    def set_session(
        self, session: ReviewSession | None, context: ReviewContext | None = None
    ) -> None:
        """Show ``session`` from its current state (None: show nothing)."""
        if self._subscription is not None:
            self._subscription.disconnect()
            self._subscription = None
        self._wake.stop()
        self._session = session
        self._context = context or ReviewContext()
        self._pending_notice = ""
        if session is not None:
            self._subscription = session.changed.connect(self._on_event)
        self.diagram_box.set_mastery(self._context.mastery)
        self._show_current()

    def update_mastery(self, mastery: Mapping[StepId, StepMastery]) -> None:
        """Some steps' mastery changed (an answer here or anywhere): the compact diagram
        shows it now."""
        merged = {**self._context.mastery, **mastery}
        self._context = replace(self._context, mastery=merged)
        self.diagram_box.set_mastery(merged)

    def shutdown(self) -> None:
        """Stop listening and stop the wake-up timer (the window is closing)."""
        self.set_session(None)

    def _on_event(self, event: SessionEvent) -> None:
        kind = event.kind
        if kind is SessionEventKind.SHOWN:
            self._show_current()
            return
        if kind is SessionEventKind.LEECH:
            self._pending_notice = (
                "That card has been forgotten many times: it is now a leech, suspended and "
                "tagged “leech”. Press Ctrl+Z to undo, or consider rewriting it."
            )
        elif kind is SessionEventKind.BURIED:
            self._pending_notice = "Buried until tomorrow. Ctrl+Z brings it back."
        elif kind is SessionEventKind.SUSPENDED:
            self._pending_notice = (
                "Suspended: it will not be shown until you unsuspend it. Ctrl+Z undoes."
            )
        self._show_flag()  # a flag set, or taken back by an undo
        if kind in (SessionEventKind.FLAGGED, SessionEventKind.UNDONE):
            self.notice.hide()  # "Buried…" and the like told of the step before this one
        self._update_counts()
        self._update_actions()

    def _show_current(self) -> None:
        session = self._session
        self._revealed = False
        self._wake.stop()
        if session is None:
            self.pages.setCurrentIndex(self.CARD_PAGE)
            self.card.clear()
            self.deck_title.clear()
            self.answer_bar.show_question()
            self.answer_bar.set_intervals(None)
            self.diagram_box.hide()
        elif session.current is not None:
            self.pages.setCurrentIndex(self.CARD_PAGE)
            self._picked = None
            self._shown_at_ms = self._clock.elapsed_ms()
            self.answer_bar.show_question()
            self.answer_bar.set_intervals(session.next_states)
            self._render()
            self._show_flag()
            self._show_diagram()
        elif session.waiting_until is not None:
            self._show_waiting(session.waiting_until)
        else:
            now = self._clock.now()
            self.summary.show_summary(session.summary(now), now, self._clock.timezone)
            self.pages.setCurrentIndex(self.SUMMARY_PAGE)
        if self._pending_notice or not self.picking():
            self.notice.setText(self._pending_notice)
            self.notice.setVisible(bool(self._pending_notice))
        self._pending_notice = ""
        self._update_counts()
        self._update_actions()

    def _show_waiting(self, until: datetime) -> None:
        now = self._clock.now()
        self.waiting_text.setText(
            "Well done: everything due is done, except learning cards that come back "
            f"{when_text(until, now, self._clock.timezone)}.\nTake a short break; they appear "
            "here by themselves."
        )
        self.pages.setCurrentIndex(self.WAITING_PAGE)
        wait_ms = int((until - now).total_seconds() * 1000) + 250
        self._wake.setInterval(max(250, min(wait_ms, 60_000)))  # re-check at least each minute
        if self.isVisible():
            self._wake.start()

    @Slot()
    def check_time(self) -> None:
        """Time passed: show a learning card that came due (or check again later)."""
        if self._session is not None and self._session.current is None:
            self._session.refresh(self._clock.now())
            if self._session.current is None:
                self._show_current()

    # --- what is shown -----------------------------------------------------------------------

    def _context_for(self) -> CardContext:
        session = self._session
        prompt = session.current if session is not None else None
        if prompt is None:
            return CardContext()
        deck = self._context.decks.get(prompt.deck_id)
        if deck is None:
            return CardContext()
        card = deck.card(prompt.card_id)
        titles = {document.id: document.title for document in deck.sources}
        cited = []
        for ref in card.sources if card is not None else ():
            title = titles.get(ref.document, ref.document)
            cited.append(f"{title}, “{ref.section}”" if ref.section else title)
        summary = (
            card.content.answer_summary
            if card is not None and isinstance(card.content, DiagramContent)
            else ""
        )
        return CardContext(deck.title, "; ".join(cited), summary, self._verdict(prompt, deck))

    def _verdict(self, prompt: Prompt, deck: Deck) -> str:
        """What the student picked on the diagram, said plainly (diagram cards)."""
        if self._picked is None or prompt.answer_step is None:
            return ""
        step, right = self._picked
        diagram = self._context.diagrams.get(deck.id)
        picked = diagram.step(step) if diagram is not None else None
        name = picked.label if picked is not None else step
        return f"You picked {name}: right." if right else f"You picked {name}: not this one."

    def _render(self) -> None:
        session = self._session
        if session is None or session.current is None:
            return
        prompt = session.current
        context = self._context_for()
        kind = prompt_kind(prompt)
        self.deck_title.setText(f"{context.deck_title}  ·  {kind}" if context.deck_title else kind)
        scroll = self.card.verticalScrollBar().value() if self._revealed else 0
        self.card.setHtml(card_html(prompt, revealed=self._revealed, context=context))
        self.card.verticalScrollBar().setValue(scroll)
        self.card.setAccessibleDescription(self.card.toPlainText())

    def _show_flag(self) -> None:
        record = self._session.current_record if self._session is not None else None
        flagged = record is not None and record.flag is not Flag.NONE
        self.flag_label.setText("  ⚑ Flagged" if flagged else "")
        self.flag_label.setAccessibleName("Flagged" if flagged else "")

    def _diagram_of(self, prompt: Prompt | None) -> Diagram | None:
        return None if prompt is None else self._context.diagrams.get(prompt.deck_id)

    def _show_diagram(self) -> None:
        """The compact diagram beside a question: its cue, or a pick for a diagram card."""
        prompt = self._session.current if self._session is not None else None
        if self.diagram_box.show_question(prompt, self._diagram_of(prompt)):
            self.notice.setText(PICK_HINT)
            self.notice.show()

    def _on_step_picked(self, step: str, right: bool) -> None:
        self._picked = (StepId(step), right)
        if self._revealed:
            self._render()
        else:
            self.reveal()
        self._update_actions()

    def picking(self) -> bool:
        """Whether the compact diagram waits for the student to pick a step."""
        return self.diagram_box.is_picking()

    def highlighted_step(self) -> StepId | None:
        """The step the compact diagram highlights (None when it is hidden or none)."""
        return self.diagram_box.highlighted_step()

    def _update_counts(self) -> None:
        if self._session is None:
            self.counts.set_counts(0, 0, 0)
            return
        counts = self._session.counts
        self.counts.set_counts(counts.new, counts.learning, counts.review)

    def _update_actions(self) -> None:
        session = self._session
        on_card = session is not None and session.current is not None
        if self._revealed:
            self.continue_action.setText(f"&{self.default_rating().name.capitalize()}")
        else:
            self.continue_action.setText("Show &Answer")
        self.continue_action.setEnabled(session is not None)
        for action in self.grade_actions.values():
            action.setEnabled(on_card and self._revealed)
        self.undo_action.setEnabled(session is not None and session.can_undo)
        for action in (self.bury_action, self.suspend_action, self.flag_action, self.edit_action):
            action.setEnabled(on_card)

    # --- what the student does -----------------------------------------------------------

    @Slot()
    def continue_(self) -> None:
        """Space or Enter: show the answer; once shown, answer Good; at the end, go back."""
        session = self._session
        if session is None:
            return
        if session.current is None:
            self.back_requested.emit()
        elif not self._revealed and self.diagram_box.pick_focused():
            return
        elif not self._revealed:
            self.reveal()
        else:
            self.grade(self.default_rating())

    def default_rating(self) -> Rating:
        """What Space and Enter answer once the answer shows: Good, or Again after a wrong
        pick on a diagram card (the student just showed they did not know it)."""
        if self._picked is not None and not self._picked[1]:
            return Rating.AGAIN
        return Rating.GOOD

    def reveal(self) -> None:
        if self._session is None or self._session.current is None or self._revealed:
            return
        self._revealed = True
        if self._session.current is not None:
            self.diagram_box.show_answer(self._session.current)
        if self.notice.text() == PICK_HINT:
            self.notice.hide()
        self._render()
        self.answer_bar.show_grades()
        self._update_actions()

    def grade(self, rating: Rating) -> None:
        session = self._session
        if session is None or session.current is None or not self._revealed:
            return
        spent = max(0, min(self._clock.elapsed_ms() - self._shown_at_ms, MAX_ANSWER_MS))
        session.answer(rating, self._clock.now(), spent)

    @Slot()
    def undo(self) -> None:
        if self._session is not None and self._session.can_undo:
            self._session.undo(self._clock.now())
            self._update_actions()

    @Slot()
    def bury(self) -> None:
        if self._session is not None and self._session.current is not None:
            self._session.bury(self._clock.now())

    @Slot()
    def suspend(self) -> None:
        if self._session is not None and self._session.current is not None:
            self._session.suspend(self._clock.now())

    @Slot()
    def toggle_flag(self) -> None:
        session = self._session
        record = session.current_record if session is not None else None
        if session is None or record is None:
            return
        session.flag(Flag.NONE if record.flag is not Flag.NONE else Flag.RED)

    @Slot()
    def edit(self) -> None:
        prompt = self._session.current if self._session is not None else None
        if prompt is not None:
            self.edit_requested.emit(prompt.deck_id, prompt.card_id)

    # --- looks and visibility -----------------------------------------------------------

    def _restyle(self) -> None:
        colors = colors_for_palette(self.palette())
        self.card.document().setDefaultStyleSheet(card_stylesheet(colors))
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * CARD_FONT_SCALE)
        self.card.document().setDefaultFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()
            self._render()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentIndex() == self.WAITING_PAGE and not self._wake.isActive():
            self._wake.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._wake.stop()
