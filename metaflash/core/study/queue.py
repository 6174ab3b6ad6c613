"""The study queue, in Anki's order, built once and then kept up to date answer by answer.

Order: learning cards due now first; then reviews due today (most overdue relative to their
interval first), with new cards spread evenly among them up to the daily new-card limit; new
cards in deck order. When nothing else is left, learning cards due within the learn-ahead
window (20 minutes) are shown early. Limits count what was already studied today in the same
scope. Building the queue reads only what it will show (indexed, limited queries); answering
changes only in-memory lists, never re-reads the table.

:class:`CramQueue` is the cram variant: every card in scope, weakest first, no limits.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Protocol

from metaflash.core.collection import queries
from metaflash.core.collection.queries import PromptFilter
from metaflash.core.collection.records import PromptRowId
from metaflash.core.collection.store import Collection, PromptRecord, record_from_row
from metaflash.core.scheduling.scheduler import Phase, Rating
from metaflash.core.scheduling.study_day import DayNumber, StudyDay, require_utc
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.scope import StudyScope


class QueueKind(IntEnum):
    NEW = 0
    LEARNING = 1
    REVIEW = 2


@dataclass(frozen=True, slots=True)
class QueuedPrompt:
    record: PromptRecord
    kind: QueueKind


@dataclass(frozen=True, slots=True)
class RemainingCounts:
    """What is left today, the card on screen included (as Anki counts)."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def kind_of(record: PromptRecord) -> QueueKind:
    match record.state.phase:
        case Phase.NEW:
            return QueueKind.NEW
        case Phase.REVIEW:
            return QueueKind.REVIEW
        case _:
            return QueueKind.LEARNING


class PromptQueue(Protocol):
    """What a review session needs from a queue (scheduled or cram)."""

    def select(self, now: datetime) -> QueuedPrompt | None: ...
    def take(self, queued: QueuedPrompt) -> None: ...
    def requeue(self, record: PromptRecord, rating: Rating) -> None: ...
    def put_back(self, queued: QueuedPrompt) -> None: ...
    def counts(self) -> RemainingCounts: ...
    def waiting_until(self) -> datetime | None: ...
    def needs_database(self, now: datetime) -> bool: ...
    def checkpoint(self, queued: QueuedPrompt) -> Callable[[], None]: ...
    def take_siblings(self, record: PromptRecord) -> list[QueuedPrompt]: ...
    def put_back_siblings(self, siblings: list[QueuedPrompt]) -> None: ...
    def top_up(self, siblings: Sequence[QueuedPrompt], now: datetime) -> None: ...
    def refill(self, now: datetime) -> None: ...


def prompts_of(scope: StudyScope) -> PromptFilter:
    """The collection's filter for the prompts a scope covers."""
    return PromptFilter(scope.deck_ids, scope.stage, scope.card)


def studied_today(
    collection: Collection, scope: StudyScope, day_start: datetime
) -> tuple[int, int]:
    """(new cards introduced, reviews answered) in ``scope`` since ``day_start``; undone
    answers and cram answers do not count."""
    return queries.answered_since(collection, prompts_of(scope), day_start)


class StudyQueue:
    """The scheduled queue of one scope for the current study day.

    Waiting prompts are kept as their raw rows and turned into records only when they reach
    the screen, so building a queue of hundreds of reviews parses none of their states.
    """

    def __init__(
        self,
        collection: Collection,
        scope: StudyScope,
        day: StudyDay,
        settings: StudySettings,
        now: datetime,
    ) -> None:
        self._collection = collection
        self._scope = scope
        self._day = day
        self._settings = settings
        self._learn_ahead = timedelta(minutes=settings.learn_ahead_minutes)
        self._waiting: dict[int, tuple[Any, ...] | QueuedPrompt] = {}
        self._learning: list[tuple[int, int]] = []  # a heap of (due, row)
        self._reviews: deque[int] = deque()
        self._new: deque[int] = deque()
        self._front: list[QueuedPrompt] = []
        self._reviews_since_new = 0
        self._last_card: tuple[str, str] | None = None  # the card answered last (siblings)
        self._shared_cards: set[tuple[str, str]] = set()
        self.today = DayNumber(0)
        self.day_end = require_utc(now)
        self.build(now)

    def build(self, now: datetime) -> None:
        """(Re)read the queue for the study day of ``now``."""
        now = require_utc(now)
        self.today = self._day.day_of(now)
        day_start = self._day.start_of(self.today)
        self.day_end = self._day.end_of(self.today)
        new_done, reviews_done = studied_today(self._collection, self._scope, day_start)
        new_quota, review_quota = self._settings.quotas(new_done, reviews_done)
        prompts = prompts_of(self._scope)
        end = int(self.day_end.timestamp())
        collection = self._collection
        self._waiting = {}
        self._front = []
        self._reviews_since_new = 0

        self._learning = []
        for row, due in queries.learning_rows(collection, prompts, end, self.today):
            self._waiting[row[0]] = row
            self._learning.append((due, int(row[0])))
        heapq.heapify(self._learning)

        self._reviews = deque()
        if review_quota:
            now_s = int(now.timestamp())
            for row in queries.review_rows(
                collection, prompts, end, self.today, now_s, review_quota
            ):
                self._waiting[row[0]] = row
                self._reviews.append(int(row[0]))

        self._new = deque()
        for deck_id in self._scope.deck_ids:
            if len(self._new) >= new_quota:
                break
            for row in queries.new_rows(
                collection,
                deck_id,
                self._scope.stage,
                self.today,
                new_quota - len(self._new),
                self._scope.card,
            ):
                self._waiting[row[0]] = row
                self._new.append(int(row[0]))
        # the cards with several prompts waiting today (siblings to bury, see take_siblings)
        cards = Counter(self._card_of(row) for row in self._waiting)
        self._shared_cards = {card for card, count in cards.items() if count > 1}

    def _queued(self, row: int, kind: QueueKind) -> QueuedPrompt:
        waiting = self._waiting[row]
        if isinstance(waiting, QueuedPrompt):
            return waiting
        queued = QueuedPrompt(record_from_row(waiting), kind)
        self._waiting[row] = queued
        return queued

    def select(self, now: datetime) -> QueuedPrompt | None:
        """The prompt to show at ``now`` (not removed; :meth:`take` it once it is answered).

        Siblings (the prompts of one card: a cloze's gaps, a reverse card's two sides, a
        sequence's questions) never come back-to-back while anything else is waiting: the
        first non-sibling of the same queue comes forward, or another queue goes first."""
        now = require_utc(now)
        if now >= self.day_end:
            self.build(now)
        if self._front:
            return self._front[-1]
        seconds = int(now.timestamp())
        learning_due = bool(self._learning) and self._learning[0][0] <= seconds
        if learning_due and not self._is_sibling(self._learning[0][1]):
            return self._queued(self._learning[0][1], QueueKind.LEARNING)
        self._bring_forward_non_sibling(self._new)
        self._bring_forward_non_sibling(self._reviews)
        reviews, new = len(self._reviews), len(self._new)
        new_first = bool(new) and (reviews == 0 or self._reviews_since_new * new >= reviews)
        order = [(self._new, QueueKind.NEW), (self._reviews, QueueKind.REVIEW)]
        if not new_first:
            order.reverse()
        for queue, kind in order:
            if queue and not self._is_sibling(queue[0]):
                return self._queued(queue[0], kind)
        if learning_due:  # only siblings are waiting: the learning card's time has come
            return self._queued(self._learning[0][1], QueueKind.LEARNING)
        for queue, kind in order:
            if queue:
                return self._queued(queue[0], kind)
        ahead = int((now + self._learn_ahead).timestamp())
        if self._learning and self._learning[0][0] <= ahead:
            return self._queued(self._learning[0][1], QueueKind.LEARNING)
        return None

    def _card_of(self, row: int) -> tuple[str, str]:
        waiting = self._waiting[row]
        if isinstance(waiting, QueuedPrompt):
            key = waiting.record.key
            return (key.deck_id, key.card_id)
        return (str(waiting[1]), str(waiting[2]))

    def _is_sibling(self, row: int) -> bool:
        """Whether ``row`` belongs to the card answered last."""
        return self._last_card is not None and self._card_of(row) == self._last_card

    def _bring_forward_non_sibling(self, queue: deque[int], look: int = 50) -> None:
        """When the head of ``queue`` is a sibling of the card answered last, move the first
        prompt of another card among the next ``look`` to the head (the order of the rest
        is kept)."""
        if not queue or not self._is_sibling(queue[0]):
            return
        for index in range(1, min(len(queue), look)):
            if not self._is_sibling(queue[index]):
                row = queue[index]
                del queue[index]
                queue.appendleft(row)
                return

    def take(self, queued: QueuedPrompt) -> None:
        """Remove ``queued`` (just answered, buried or suspended) from wherever it waits."""
        row = int(queued.record.row)
        self._last_card = (queued.record.key.deck_id, queued.record.key.card_id)
        if self._front and self._front[-1].record.row == row:
            self._front.pop()
        elif self._reviews and self._reviews[0] == row:
            self._reviews.popleft()
            self._reviews_since_new += 1
        elif self._new and self._new[0] == row:
            self._new.popleft()
            self._reviews_since_new = 0
        elif self._learning and self._learning[0][1] == row:
            heapq.heappop(self._learning)
        else:
            self._remove_row(queued.record.row)
        self._waiting.pop(row, None)

    def take_siblings(self, record: PromptRecord) -> list[QueuedPrompt]:
        """After ``record`` was answered: take its card's other new prompts and reviews out
        of today's queue, as the study settings ask (``bury_new_siblings``,
        ``bury_review_siblings``); the caller buries them. Learning prompts stay."""
        card = (record.key.deck_id, record.key.card_id)
        if card not in self._shared_cards:  # one prompt waiting today: nothing to scan
            return []
        taken: list[QueuedPrompt] = []
        for wanted, queue, kind in (
            (self._settings.bury_new_siblings, self._new, QueueKind.NEW),
            (self._settings.bury_review_siblings, self._reviews, QueueKind.REVIEW),
        ):
            if not wanted:
                continue
            for row in [r for r in queue if r != record.row and self._card_of(r) == card]:
                taken.append(self._queued(row, kind))
                queue.remove(row)
                del self._waiting[row]
        return taken

    def top_up(self, siblings: Sequence[QueuedPrompt], now: datetime) -> None:
        """After ``siblings`` were buried: as many prompts of their kinds join today's queue
        (the next new cards in deck order, the next due reviews), when the day's limits left
        room for them, so that the queue holds what the deck list counts."""
        collection = self._collection
        for kind, queue in ((QueueKind.NEW, self._new), (QueueKind.REVIEW, self._reviews)):
            missing = sum(1 for queued in siblings if queued.kind is kind)
            if not missing:
                continue
            candidates: Iterator[tuple[Any, ...]]
            if kind is QueueKind.NEW:
                candidates = (
                    row
                    for deck_id in self._scope.deck_ids
                    for row in queries.new_rows(
                        collection,
                        deck_id,
                        self._scope.stage,
                        self.today,
                        len(queue) + len(self._waiting) + missing,
                        self._scope.card,
                    )
                )
            else:
                candidates = iter(
                    queries.review_rows(
                        collection,
                        prompts_of(self._scope),
                        int(self.day_end.timestamp()),
                        self.today,
                        int(require_utc(now).timestamp()),
                        len(queue) + len(self._waiting) + missing,
                    )
                )
            for row in candidates:
                if missing == 0:
                    break
                if row[0] in self._waiting:
                    continue
                self._waiting[row[0]] = row
                queue.append(int(row[0]))
                missing -= 1

    def put_back_siblings(self, siblings: list[QueuedPrompt]) -> None:
        """Undo :meth:`take_siblings`: they wait at the head of their queue again."""
        for queued in reversed(siblings):
            row = int(queued.record.row)
            self._waiting[row] = queued
            (self._new if queued.kind is QueueKind.NEW else self._reviews).appendleft(row)

    def _remove_row(self, row: PromptRowId) -> None:
        self._front = [q for q in self._front if q.record.row != row]
        if row in self._waiting:
            self._reviews = deque(r for r in self._reviews if r != row)
            self._new = deque(r for r in self._new if r != row)
            kept = [entry for entry in self._learning if entry[1] != row]
            if len(kept) != len(self._learning):
                heapq.heapify(kept)
                self._learning = kept
            del self._waiting[row]

    def needs_database(self, now: datetime) -> bool:
        """Whether :meth:`select` at ``now`` reads the collection (a new study day began);
        otherwise it works from memory alone."""
        return require_utc(now) >= self.day_end

    def checkpoint(self, queued: QueuedPrompt) -> Callable[[], None]:
        """A function that undoes :meth:`take` of ``queued`` and :meth:`requeue` of its new
        record (used when the answer's commit fails). Cheap: deques and lists that those
        methods mutate in place lose at most their head, and the ones they replace are kept
        by reference; only the learning heap (today's learning cards) is copied. Valid while
        no :meth:`build` happens (see :meth:`needs_database`)."""
        row = queued.record.row
        front, reviews, new = self._front, self._reviews, self._new
        front_length, reviews_length, new_length = len(front), len(reviews), len(new)
        front_top = front[-1] if front else None
        reviews_head = reviews[0] if reviews else None
        new_head = new[0] if new else None
        learning = list(self._learning)
        reviews_since_new = self._reviews_since_new
        last_card = self._last_card
        waiting = self._waiting.get(row)

        def restore() -> None:
            if front_top is not None and len(front) < front_length:
                front.append(front_top)
            if reviews_head is not None and len(reviews) < reviews_length:
                reviews.appendleft(reviews_head)
            if new_head is not None and len(new) < new_length:
                new.appendleft(new_head)
            self._front, self._reviews, self._new = front, reviews, new
            self._learning = learning
            self._reviews_since_new = reviews_since_new
            self._last_card = last_card
            if waiting is None:
                self._waiting.pop(row, None)
            else:
                self._waiting[row] = waiting

        return restore

    def requeue(self, record: PromptRecord, rating: Rating) -> None:
        """After an answer: a card due again before the day ends comes back today."""
        due = record.state.due
        available = not record.suspended and not record.retired
        if available and due is not None and due < self.day_end:
            self._waiting[record.row] = QueuedPrompt(record, QueueKind.LEARNING)
            heapq.heappush(self._learning, (int(due.timestamp()), record.row))

    def put_back(self, queued: QueuedPrompt) -> None:
        """Show ``queued`` next (after an undo), wherever else it was waiting."""
        self._remove_row(queued.record.row)
        self._front.append(queued)

    def refill(self, now: datetime) -> None:
        """After a bury or suspend (or their undo): read today's queue again, so that a new
        card taken out frees its place for the next one, as in the deck list's counts."""
        self.build(now)

    def counts(self) -> RemainingCounts:
        front_kinds = [queued.kind for queued in self._front]
        return RemainingCounts(
            new=len(self._new) + front_kinds.count(QueueKind.NEW),
            learning=len(self._learning) + front_kinds.count(QueueKind.LEARNING),
            review=len(self._reviews) + front_kinds.count(QueueKind.REVIEW),
        )

    def waiting_until(self) -> datetime | None:
        """When the next learning card comes due, if one is left for today."""
        if not self._learning:
            return None
        return datetime.fromtimestamp(self._learning[0][0], self.day_end.tzinfo)


class CramQueue:
    """Every available card in scope, weakest first (lowest predicted recall), then the new
    ones in deck order. Answers never change schedules; Again brings a card back a few cards
    later in the session."""

    AGAIN_GAP = 3

    def __init__(
        self,
        collection: Collection,
        scope: StudyScope,
        day: StudyDay,
        now: datetime,
        limit: int | None = None,
    ) -> None:
        now = require_utc(now)
        today = day.day_of(now)
        studied = [
            QueuedPrompt(record_from_row(row), QueueKind.REVIEW)
            for row in queries.weakest_rows(
                collection, prompts_of(scope), today, int(now.timestamp()), limit
            )
        ]
        remaining = None if limit is None else max(0, limit - len(studied))
        new: list[QueuedPrompt] = []
        for deck_id in scope.deck_ids:
            if remaining is not None and len(new) >= remaining:
                break
            new.extend(
                QueuedPrompt(record_from_row(row), QueueKind.NEW)
                for row in queries.new_rows(
                    collection,
                    deck_id,
                    scope.stage,
                    today,
                    None if remaining is None else remaining - len(new),
                    scope.card,
                )
            )
        self._queue: list[QueuedPrompt] = studied + new

    def select(self, now: datetime) -> QueuedPrompt | None:
        return self._queue[0] if self._queue else None

    def take(self, queued: QueuedPrompt) -> None:
        self._queue = [q for q in self._queue if q.record.row != queued.record.row]

    def requeue(self, record: PromptRecord, rating: Rating) -> None:
        if rating is Rating.AGAIN and not record.suspended:
            kind = QueueKind.NEW if record.state.phase is Phase.NEW else QueueKind.REVIEW
            self._queue.insert(min(self.AGAIN_GAP, len(self._queue)), QueuedPrompt(record, kind))

    def put_back(self, queued: QueuedPrompt) -> None:
        self.take(queued)
        self._queue.insert(0, queued)

    def needs_database(self, now: datetime) -> bool:
        return False

    def checkpoint(self, queued: QueuedPrompt) -> Callable[[], None]:
        """Undoes :meth:`take` and :meth:`requeue`: take always builds a new list."""
        kept = self._queue

        def restore() -> None:
            self._queue = kept

        return restore

    def take_siblings(self, record: PromptRecord) -> list[QueuedPrompt]:
        return []  # cramming changes no schedule, and buries nothing

    def put_back_siblings(self, siblings: list[QueuedPrompt]) -> None:
        return None

    def top_up(self, siblings: Sequence[QueuedPrompt], now: datetime) -> None:
        return None

    def refill(self, now: datetime) -> None:
        return None  # a cram session's list is chosen once

    def counts(self) -> RemainingCounts:
        new = sum(1 for q in self._queue if q.kind is QueueKind.NEW)
        return RemainingCounts(new=new, learning=0, review=len(self._queue) - new)

    def waiting_until(self) -> datetime | None:
        return None
