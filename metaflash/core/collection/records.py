"""The collection's row types: what a prompt's record and a review-log entry look like, and
how each is read from its SQLite row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, NewType

from metaflash.core.decks.model import CardId, DeckId, PromptKey, StepId
from metaflash.core.scheduling.scheduler import NEW_CARD, CardState, Phase, Rating
from metaflash.core.scheduling.study_day import DayNumber

#: The collection's own number for a prompt (its ``prompts`` row); stable for its lifetime.
PromptRowId = NewType("PromptRowId", int)
#: A review-log entry's number; later entries have larger numbers.
ReviewId = NewType("ReviewId", int)

PHASE_CODE: dict[Phase, int] = {
    Phase.NEW: 0,
    Phase.LEARNING: 1,
    Phase.REVIEW: 2,
    Phase.RELEARNING: 3,
}
CODE_PHASE: dict[int, Phase] = {code: phase for phase, code in PHASE_CODE.items()}

NEW_STATE_JSON = NEW_CARD.to_json()


class Flag(IntEnum):
    """A coloured flag a student puts on a card, as in Anki."""

    NONE = 0
    RED = 1
    ORANGE = 2
    GREEN = 3
    BLUE = 4
    PINK = 5
    TURQUOISE = 6
    PURPLE = 7


class ReviewKind(IntEnum):
    ANSWER = 0  # a scheduled answer: changes the card's state
    CRAM = 1  # an answer in a cram session: logged, state unchanged
    UNDO = 2  # cancels the entry named by ``undoes``, restoring the state before it


class LeechMark(IntEnum):
    """What an answer did about leeches, so that undoing it can put things back."""

    NONE = 0
    BECAME_LEECH = 1  # tagged leech and suspended
    LEECH_AGAIN = 2  # already tagged; suspended again


@dataclass(frozen=True, slots=True)
class PromptRecord:
    """One scheduled prompt as the collection knows it."""

    row: PromptRowId
    key: PromptKey
    position: int
    stage: StepId | None
    state: CardState
    suspended: bool = False
    buried_until: DayNumber | None = None
    flag: Flag = Flag.NONE
    leech: bool = False
    retired: bool = False

    def is_buried(self, today: DayNumber) -> bool:
        return self.buried_until is not None and self.buried_until > today

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags the collection adds to the deck's own (``leech``)."""
        return ("leech",) if self.leech else ()


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One line of the review log."""

    id: ReviewId
    row: PromptRowId
    key: PromptKey
    reviewed_at: datetime
    kind: ReviewKind
    rating: Rating | None
    duration_ms: int
    state_before: CardState
    state_after: CardState
    undoes: ReviewId | None
    leech: LeechMark


def to_millis(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def from_millis(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


def to_seconds(instant: datetime | None) -> int | None:
    return None if instant is None else int(instant.timestamp())


def state_from_column(text: str | None) -> CardState:
    return NEW_CARD if text is None else CardState.from_json(text)


def state_to_column(state: CardState) -> str | None:
    return None if state == NEW_CARD else state.to_json()


def scheduled_days(state: CardState) -> float | None:
    """The interval the card was scheduled for (due minus last review), in days."""
    if state.due is None or state.last_review is None:
        return None
    return (state.due - state.last_review).total_seconds() / 86400


#: The ``prompts`` columns :func:`record_from_row` reads, in its order.
RECORD_COLUMNS = (
    "id, deck_id, card_id, variant, position, stage, state, suspended, buried_until, flag, "
    "leech, retired"
)
#: The ``review_log`` columns :func:`entry_from_row` reads, in its order.
ENTRY_COLUMNS = (
    "id, prompt, deck_id, card_id, variant, reviewed_at, kind, rating, duration_ms, "
    "state_before, state_after, undoes, leech"
)


def record_from_row(row: tuple[Any, ...]) -> PromptRecord:
    """A :class:`PromptRecord` from a row selected with :data:`RECORD_COLUMNS`."""
    (
        row_id,
        deck_id,
        card_id,
        variant,
        position,
        stage,
        state,
        suspended,
        buried,
        flag,
        leech,
        retired,
    ) = row
    return PromptRecord(
        row=PromptRowId(int(row_id)),
        key=PromptKey(DeckId(str(deck_id)), CardId(str(card_id)), str(variant)),
        position=int(position),
        stage=None if stage is None else StepId(str(stage)),
        state=state_from_column(None if state is None else str(state)),
        suspended=bool(suspended),
        buried_until=None if buried is None else DayNumber(int(buried)),
        flag=Flag(flag),
        leech=bool(leech),
        retired=bool(retired),
    )


def entry_from_row(row: tuple[Any, ...]) -> ReviewEntry:
    """A :class:`ReviewEntry` from a row selected with :data:`ENTRY_COLUMNS`."""
    (
        entry_id,
        prompt,
        deck_id,
        card_id,
        variant,
        reviewed_at,
        kind,
        rating,
        duration,
        before,
        after,
        undoes,
        leech,
    ) = row
    return ReviewEntry(
        id=ReviewId(int(entry_id)),
        row=PromptRowId(int(prompt)),
        key=PromptKey(DeckId(str(deck_id)), CardId(str(card_id)), str(variant)),
        reviewed_at=from_millis(int(reviewed_at)),
        kind=ReviewKind(kind),
        rating=None if rating is None else Rating(rating),
        duration_ms=int(duration),
        state_before=CardState.from_json(str(before)),
        state_after=CardState.from_json(str(after)),
        undoes=None if undoes is None else ReviewId(int(undoes)),
        leech=LeechMark(leech),
    )
