"""A study session: the model the review view displays (a passive view, as in Mnemosyne).

The session decides everything: which prompt is on screen, the four next states its answer
buttons show (computed once, and the chosen one is what gets committed), the remaining counts,
and what answering, undoing, burying, suspending and flagging do. Views subscribe to
:attr:`ReviewSession.changed` and redraw from the session's properties.

Every answer is committed to the collection before the next prompt is shown (the next prompt
and its states are computed from memory while the COMMIT syncs to disk; a failed commit leaves
the session as it was). Time is always passed in (``now``); nothing here reads the clock.

Cram sessions (``cram=True``) go through every card in scope, weakest first, and never change
a schedule: each cram answer is logged as a CRAM entry whose state before and after are equal,
so the history shows the practice while states, limits and retention statistics ignore it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from metaflash.core.collection import queries
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.records import Flag
from metaflash.core.collection.store import Collection, PromptRecord, ReviewId
from metaflash.core.decks.model import Deck, DeckId, Prompt, PromptKey
from metaflash.core.scheduling.scheduler import NextStates, Outcome, Rating, fuzz_seed, next_states
from metaflash.core.scheduling.study_day import DayNumber, StudyDay, require_utc
from metaflash.core.study.queue import (
    CramQueue,
    PromptQueue,
    QueuedPrompt,
    RemainingCounts,
    StudyQueue,
    kind_of,
    prompts_of,
)
from metaflash.core.study.scope import StudyScope
from metaflash.core.util.observers import Signal


class SessionEventKind(StrEnum):
    SHOWN = "shown"  # another prompt is on screen (or none: see ``finished``)
    ANSWERED = "answered"
    UNDONE = "undone"
    BURIED = "buried"
    SUSPENDED = "suspended"
    FLAGGED = "flagged"
    LEECH = "leech"  # the answered card became a leech: tagged and suspended; tell the user


@dataclass(frozen=True, slots=True)
class SessionEvent:
    kind: SessionEventKind
    key: PromptKey | None


@dataclass(frozen=True, slots=True)
class AnswerResult:
    review_id: ReviewId
    key: PromptKey
    rating: Rating
    outcome: Outcome | None  # None in a cram session (the schedule did not change)
    became_leech: bool


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The end-of-session summary."""

    reviewed: int
    again: int
    time_spent: timedelta
    next_due: datetime | None  # when the next scheduled card in scope comes due
    due_tomorrow: int  # cards in scope due by the end of the next study day
    leeches: tuple[PromptKey, ...]

    @property
    def retention(self) -> float | None:
        """The share of answers that were not Again; None before any answer."""
        return None if not self.reviewed else (self.reviewed - self.again) / self.reviewed


@dataclass(frozen=True, slots=True)
class _Answered:
    queued: QueuedPrompt
    review_id: ReviewId
    rating: Rating
    duration_ms: int
    became_leech: bool
    siblings: tuple[QueuedPrompt, ...] = ()  # buried until tomorrow by this answer


@dataclass(frozen=True, slots=True)
class _Buried:
    queued: QueuedPrompt


@dataclass(frozen=True, slots=True)
class _Suspended:
    queued: QueuedPrompt


@dataclass(frozen=True, slots=True)
class _Flagged:
    record: PromptRecord
    previous: Flag


_Action = _Answered | _Buried | _Suspended | _Flagged


class _Shown(NamedTuple):
    """A prompt ready to be shown: what the view displays for it."""

    queued: QueuedPrompt | None
    prompt: Prompt | None
    next_states: NextStates | None


class ReviewSession:
    """Study ``scope`` from ``decks`` (already reconciled with ``collection``)."""

    UNDO_DEPTH = 30

    def __init__(
        self,
        collection: Collection,
        decks: Sequence[Deck],
        scope: StudyScope,
        day: StudyDay,
        now: datetime,
        *,
        cram: bool = False,
        cram_limit: int | None = None,
    ) -> None:
        now = require_utc(now)
        self.collection = collection
        self.scope = scope
        self.day = day
        self.is_cram = cram
        self.changed: Signal[SessionEvent] = Signal()
        self._decks: dict[DeckId, Deck] = {deck.id: deck for deck in decks}
        self._prompts: dict[PromptKey, Prompt] = {}  # built as cards come up
        missing = [deck_id for deck_id in scope.deck_ids if deck_id not in self._decks]
        if missing:
            raise ValueError(f"the session's decks are not loaded: {', '.join(missing)}")
        self._settings = collection.scheduler_settings()
        study = collection.study_settings()
        self._queue: PromptQueue = (
            CramQueue(collection, scope, day, now, cram_limit)
            if cram
            else StudyQueue(collection, scope, day, study, now)
        )
        self._undo: list[_Action] = []
        self._answers: list[_Answered] = []
        self._current: QueuedPrompt | None = None
        self._prompt: Prompt | None = None
        self._next_states: NextStates | None = None
        self._shown_at = now
        self._show(self._queue.select(now), now)

    # --- what the view displays -----------------------------------------------------------

    @property
    def current(self) -> Prompt | None:
        """The prompt on screen; None when nothing is due now."""
        return self._prompt

    @property
    def current_record(self) -> PromptRecord | None:
        return None if self._current is None else self._current.record

    @property
    def tags(self) -> tuple[str, ...]:
        """The current prompt's tags, with the collection's own (``leech``)."""
        if self._prompt is None or self._current is None:
            return ()
        extra = tuple(t for t in self._current.record.tags if t not in self._prompt.tags)
        return self._prompt.tags + extra

    @property
    def next_states(self) -> NextStates | None:
        """What each answer button leads to (None in cram: answers change nothing)."""
        return self._next_states

    @property
    def counts(self) -> RemainingCounts:
        return self._queue.counts()

    @property
    def waiting_until(self) -> datetime | None:
        """When nothing is shown but a learning card comes due later today: when."""
        return self._queue.waiting_until() if self._current is None else None

    @property
    def finished(self) -> bool:
        return self._current is None and self.waiting_until is None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # --- what the student does ----------------------------------------------------------------

    def answer(self, rating: Rating, now: datetime, duration_ms: int) -> AnswerResult:
        """Commit the answer to the prompt on screen, then move to the next prompt.

        The next prompt and its four states are computed from memory while the collection's
        commit thread syncs the answer to disk; this returns (and the next prompt is shown)
        only once the commit succeeded. If it fails, the session is left exactly as it was,
        the same prompt on screen, and the error is raised.
        """
        queued = self._require_current()
        rating = Rating(rating)
        key = queued.record.key
        if self.is_cram:
            review_id = self.collection.record_cram_answer(queued.record, rating, now, duration_ms)
            self._queue.take(queued)
            self._queue.requeue(queued.record, rating)
            self._answered(queued, review_id, rating, duration_ms, False)
            self._show(self._queue.select(now), now)
            return AnswerResult(review_id, key, rating, None, False)
        now = require_utc(now)
        outcome = self._outcome_at(rating, now)
        restore = self._queue.checkpoint(queued)
        pending = self.collection.begin_answer(
            queued.record, outcome, now, duration_ms, self._settings
        )
        prepared: list[_Shown] = []

        def prepare_next() -> None:  # on the side thread, during the COMMIT: memory only
            self._queue.take(queued)
            self._queue.requeue(pending.record, rating)
            if not self._queue.needs_database(now):
                prepared.append(self._prepare(self._queue.select(now), now))

        try:
            receipt = pending.commit(prepare_next)
        except BaseException:
            if pending.committed is None:  # nothing was stored: the session stays as it was
                restore()
                raise
            receipt = pending.committed  # stored; preparing the next card failed
            self._answered(queued, receipt.review_id, rating, duration_ms, receipt.became_leech)
            raise
        siblings = self._bury_siblings(receipt.record, now)
        self._answered(
            queued, receipt.review_id, rating, duration_ms, receipt.became_leech, siblings
        )
        chosen = self._queue.select(now)  # the prepared prompt, unless an observer intervened
        if prepared and chosen is prepared[0].queued:
            self._present(prepared[0], now)
        else:
            self._show(chosen, now)
        return AnswerResult(receipt.review_id, key, rating, outcome, receipt.became_leech)

    def _bury_siblings(self, record: PromptRecord, now: datetime) -> tuple[QueuedPrompt, ...]:
        """Bury the answered card's other new prompts and reviews until the next study day,
        as the study settings ask; if that cannot be written they simply stay queued."""
        siblings = self._queue.take_siblings(record)
        if not siblings:
            return ()
        tomorrow = DayNumber(self.day.day_of(now) + 1)
        try:
            self.collection.bury([q.record for q in siblings], until=tomorrow)
        except (CollectionError, sqlite3.Error):
            self._queue.put_back_siblings(siblings)
            return ()
        self._queue.top_up(siblings, now)  # the next cards take the buried ones' places
        return tuple(siblings)

    def _answered(
        self,
        queued: QueuedPrompt,
        review_id: ReviewId,
        rating: Rating,
        duration_ms: int,
        became_leech: bool,
        siblings: tuple[QueuedPrompt, ...] = (),
    ) -> None:
        done = _Answered(queued, review_id, rating, max(0, duration_ms), became_leech, siblings)
        self._answers.append(done)
        self._remember(done)
        key = queued.record.key
        self.changed.emit(SessionEvent(SessionEventKind.ANSWERED, key))
        if became_leech:
            self.changed.emit(SessionEvent(SessionEventKind.LEECH, key))

    def undo(self, now: datetime) -> PromptKey | None:
        """Undo the last answer, bury, suspend or flag; that card is shown again. Several
        levels deep. Returns the card's key, or None when there is nothing to undo."""
        if not self._undo:
            return None
        action = self._undo.pop()
        match action:
            case _Answered(queued, review_id, siblings=siblings):
                restored = self.collection.undo(review_id, now)
                if siblings:  # the siblings this answer buried come back with it, and the
                    # cards that took their places step back: today's queue is read again
                    self.collection.unbury([sibling.record for sibling in siblings])
                    self._queue.refill(now)
                self._answers = [a for a in self._answers if a.review_id != review_id]
                back = QueuedPrompt(restored, queued.kind if self.is_cram else kind_of(restored))
                self._queue.put_back(back)
                key = restored.key
            case _Buried(queued):
                self.collection.unbury([queued.record])
                self._queue.refill(now)
                self._queue.put_back(queued)
                key = queued.record.key
            case _Suspended(queued):
                self.collection.set_suspended([queued.record], False)
                self._queue.refill(now)
                self._queue.put_back(queued)
                key = queued.record.key
            case _Flagged(record, previous):
                self.collection.set_flag([record], previous)
                key = record.key
                if self._current is not None and self._current.record.row == record.row:
                    self._current = QueuedPrompt(
                        self.collection.record_by_row(record.row), self._current.kind
                    )
                self.changed.emit(SessionEvent(SessionEventKind.UNDONE, key))
                return key
        self.changed.emit(SessionEvent(SessionEventKind.UNDONE, key))
        self._show(self._queue.select(now), now)
        return key

    def bury(self, now: datetime) -> None:
        """Hide the prompt on screen until the next study day."""
        queued = self._require_current()
        today = self.day.day_of(require_utc(now))
        self.collection.bury([queued.record], until=DayNumber(today + 1))
        self._queue.take(queued)
        self._queue.refill(now)
        self._remember(_Buried(queued))
        self.changed.emit(SessionEvent(SessionEventKind.BURIED, queued.record.key))
        self._show(self._queue.select(now), now)

    def suspend(self, now: datetime) -> None:
        """Never show the prompt on screen again until it is unsuspended."""
        queued = self._require_current()
        self.collection.set_suspended([queued.record], True)
        self._queue.take(queued)
        self._queue.refill(now)
        self._remember(_Suspended(queued))
        self.changed.emit(SessionEvent(SessionEventKind.SUSPENDED, queued.record.key))
        self._show(self._queue.select(now), now)

    def flag(self, flag: Flag) -> None:
        """Put a coloured flag on the prompt on screen (``Flag.NONE`` removes it)."""
        queued = self._require_current()
        self.collection.set_flag([queued.record], flag)
        self._remember(_Flagged(queued.record, queued.record.flag))
        self._current = QueuedPrompt(self.collection.record_by_row(queued.record.row), queued.kind)
        self.changed.emit(SessionEvent(SessionEventKind.FLAGGED, queued.record.key))

    def refresh(self, now: datetime) -> None:
        """Time passed without an answer (a learning card may be due, or a new day began)."""
        chosen = self._queue.select(now)
        if chosen != self._current:
            self._show(chosen, now)

    def summary(self, now: datetime) -> SessionSummary:
        now = require_utc(now)
        tomorrow_end = self.day.end_of(DayNumber(self.day.day_of(now) + 1))
        next_due, due_tomorrow = queries.next_due(
            self.collection,
            prompts_of(self.scope),
            int(now.timestamp()),
            int(tomorrow_end.timestamp()),
        )
        return SessionSummary(
            reviewed=len(self._answers),
            again=sum(1 for a in self._answers if a.rating is Rating.AGAIN),
            time_spent=timedelta(milliseconds=sum(a.duration_ms for a in self._answers)),
            next_due=None if next_due is None else datetime.fromtimestamp(next_due, now.tzinfo),
            due_tomorrow=int(due_tomorrow),
            leeches=tuple(a.queued.record.key for a in self._answers if a.became_leech),
        )

    # --- inside ---------------------------------------------------------------------------

    def _outcome_at(self, rating: Rating, now: datetime) -> Outcome:
        """The outcome the button showed, moved to the moment of the answer.

        Like Anki, the four states are computed when the card is shown and the chosen one is
        committed with the same interval, counted from the answer. If a new study day began
        while the card was on screen, the states are computed afresh.
        """
        assert self._current is not None and self._next_states is not None
        if self.day.day_of(now) != self.day.day_of(self._shown_at):
            self._show(self._current, now)
            assert self._next_states is not None
        shown = self._next_states[rating]
        delta = now - self._shown_at
        state = shown.state
        if not delta or state.due is None or state.last_review is None:
            return shown
        moved = replace(state, due=state.due + delta, last_review=state.last_review + delta)
        return Outcome(shown.rating, moved, shown.interval)

    def _require_current(self) -> QueuedPrompt:
        if self._current is None:
            raise CollectionError("no card is on screen: the session has nothing due now")
        return self._current

    def _remember(self, action: _Action) -> None:
        self._undo.append(action)
        del self._undo[: -self.UNDO_DEPTH]

    def _prompt_for(self, record: PromptRecord) -> Prompt:
        key = record.key
        known = self._prompts.get(key)
        if known is not None:
            return known
        deck = self._decks.get(key.deck_id)
        card = None if deck is None else deck.card(key.card_id)
        if card is not None:  # all of the card's prompts at once: its siblings come up too
            for prompt in card.prompts(key.deck_id):
                self._prompts[prompt.key] = prompt
            known = self._prompts.get(key)
            if known is not None:
                return known
        raise CollectionError(
            f"the collection schedules {key.deck_id}/{key.card_id} ({key.variant or 'basic'}) "
            "but the loaded deck has no such card: reload the deck so it is reconciled"
        )

    def _prepare(self, queued: QueuedPrompt | None, now: datetime) -> _Shown:
        """What showing ``queued`` at ``now`` displays: computed from memory only."""
        if queued is None:
            return _Shown(None, None, None)
        prompt = self._prompt_for(queued.record)
        if self.is_cram:
            return _Shown(queued, prompt, None)
        state, key = queued.record.state, queued.record.key
        seed = fuzz_seed(key.deck_id, key.card_id, key.variant, state.reps)
        return _Shown(queued, prompt, next_states(state, now, self._settings, seed))

    def _present(self, shown: _Shown, now: datetime) -> None:
        self._current, self._prompt, self._next_states = shown
        self._shown_at = now
        key = None if shown.queued is None else shown.queued.record.key
        self.changed.emit(SessionEvent(SessionEventKind.SHOWN, key))

    def _show(self, queued: QueuedPrompt | None, now: datetime) -> None:
        now = require_utc(now)
        self._present(self._prepare(queued, now), now)
