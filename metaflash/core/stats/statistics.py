"""Statistics over the loaded decks and the collection, shared by the window and ``metaflash stats``.

The decks say which prompts exist (and their diagram step); the collection says where each
stands. A prompt the collection has never seen counts as new, so statistics are right even
when the collection is opened read-only while the window has it.

- counts per deck (its own and with its sub-decks) and per diagram step: new, learning, due;
- a due forecast for the next days, reviews per day for the past days;
- true retention as in Anki: the share of passed answers (Hard, Good, Easy) among answers to
  cards in review, split into young (interval under 21 days) and mature;
- mastery per step: how many of its prompts were studied and their mean predicted recall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from metaflash.core.collection import queries
from metaflash.core.collection.records import CODE_PHASE, state_from_column
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId, StepId
from metaflash.core.decks.tree import DeckNode, DeckTree
from metaflash.core.scheduling.scheduler import Phase, SchedulerSettings
from metaflash.core.scheduling.study_day import DayNumber, StudyDay, require_utc
from metaflash.core.stats.mastery import StepMastery, prompt_recall, step_mastery_of

MATURE_DAYS = 21


@dataclass(frozen=True, slots=True)
class Counts:
    """Prompts by what they need today. ``due`` is reviews due today (overdue included);
    ``learning`` is learning cards due today; suspended, buried and retired are excluded."""

    new: int = 0
    learning: int = 0
    due: int = 0
    studied: int = 0  # prompts answered at least once
    suspended: int = 0
    total: int = 0  # prompts in the deck file

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.new + other.new,
            self.learning + other.learning,
            self.due + other.due,
            self.studied + other.studied,
            self.suspended + other.suspended,
            self.total + other.total,
        )


@dataclass(frozen=True, slots=True)
class DeckCounts:
    deck_id: DeckId
    title: str
    depth: int  # 0 for a top-level deck
    own: Counts
    with_subdecks: Counts


@dataclass(frozen=True, slots=True)
class StepCounts:
    step_id: StepId
    counts: Counts


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class DayReviews:
    day: date
    answers: int
    again: int
    new_cards: int  # answers that introduced a new card
    time_ms: int


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention over one period."""

    label: str
    days: int | None  # None: all time
    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    @staticmethod
    def _share(passed: int, failed: int) -> float | None:
        return None if passed + failed == 0 else passed / (passed + failed)

    @property
    def young(self) -> float | None:
        return self._share(self.young_passed, self.young_failed)

    @property
    def mature(self) -> float | None:
        return self._share(self.mature_passed, self.mature_failed)

    @property
    def total(self) -> float | None:
        return self._share(
            self.young_passed + self.mature_passed, self.young_failed + self.mature_failed
        )


@dataclass(frozen=True, slots=True)
class Statistics:
    decks: tuple[DeckCounts, ...]
    overall: Counts
    steps: tuple[StepCounts, ...]
    forecast: tuple[DayCount, ...]  # day 0 (today) includes overdue cards
    reviews: tuple[DayReviews, ...]  # oldest first, today last
    retention: tuple[Retention, ...]
    mastery: tuple[StepMastery, ...]
    generated_at: datetime = field(compare=False)


RETENTION_PERIODS: tuple[tuple[str, int | None], ...] = (
    ("today", 1),
    ("last 7 days", 7),
    ("last 30 days", 30),
    ("last year", 365),
    ("all time", None),
)


def collect_statistics(
    collection: Collection,
    decks: Sequence[Deck],
    day: StudyDay,
    now: datetime,
    *,
    root: DeckId | None = None,
    forecast_days: int = 30,
    history_days: int = 30,
    step_order: Sequence[StepId] = (),
) -> Statistics:
    """Statistics of ``root`` and its sub-decks, or of every deck when ``root`` is None.

    ``step_order`` lists diagram steps in pathway order (steps not listed follow by id).
    """
    now = require_utc(now)
    tree = DeckTree(decks)
    deck_ids = tree.in_order() if root is None else tree.subtree(root)
    by_id = {deck.id: deck for deck in decks}
    scope = [by_id[deck_id] for deck_id in deck_ids]
    today = day.day_of(now)
    day_end = int(day.end_of(today).timestamp())
    settings = collection.scheduler_settings()

    own: dict[DeckId, Counts] = {}
    steps: dict[StepId, Counts] = {}
    step_recall: dict[StepId, list[float]] = {}
    step_forgotten: dict[StepId, int] = {}
    forecast = [0] * max(0, forecast_days)
    horizon = [int(day.end_of(DayNumber(today + i)).timestamp()) for i in range(forecast_days)]
    for deck in scope:
        known = queries.prompt_schedules(collection, deck.id)
        forgotten = queries.forgotten_prompts(collection, deck.id)
        counts = Counts()
        for prompt in deck.prompts():
            phase, due, suspended, buried, state = known.get(
                (prompt.card_id, prompt.variant), (0, None, 0, None, None)
            )
            one = _classify(CODE_PHASE[phase], due, bool(suspended), buried, today, day_end)
            counts += one
            if phase != 0 and due is not None and not suspended and (buried or 0) <= today:
                for index, end in enumerate(horizon):
                    if due < end:
                        forecast[index] += 1
                        break
            if prompt.stage is not None:
                steps[prompt.stage] = steps.get(prompt.stage, Counts()) + one
                recalls = step_recall.setdefault(prompt.stage, [])
                if phase != 0 and state is not None:
                    lapsed = (prompt.card_id, prompt.variant) in forgotten
                    step_forgotten[prompt.stage] = step_forgotten.get(prompt.stage, 0) + lapsed
                    recalls.append(prompt_recall(state_from_column(state), lapsed, now, settings))
        own[deck.id] = counts

    deck_counts = _deck_tree_counts(scope, own, deck_ids)
    overall = Counts()
    for counts in own.values():
        overall += counts
    order = {step: index for index, step in enumerate(step_order)}
    step_ids = sorted(steps, key=lambda step: (order.get(step, len(order)), step))
    mastery = tuple(
        step_mastery_of(step, steps[step].total, step_recall[step], step_forgotten.get(step, 0))
        for step in step_ids
    )
    return Statistics(
        decks=deck_counts,
        overall=overall,
        steps=tuple(StepCounts(step, steps[step]) for step in step_ids),
        forecast=tuple(
            DayCount(day.date_of(DayNumber(today + i)), count) for i, count in enumerate(forecast)
        ),
        reviews=reviews_per_day(collection, deck_ids, day, now, history_days),
        retention=true_retention(collection, deck_ids, day, now),
        mastery=mastery,
        generated_at=now,
    )


def _classify(
    phase: Phase, due: int | None, suspended: bool, buried: int | None, today: int, day_end: int
) -> Counts:
    studied = int(phase is not Phase.NEW)
    if suspended:
        return Counts(studied=studied, suspended=1, total=1)
    if buried is not None and buried > today:
        return Counts(studied=studied, total=1)
    if phase is Phase.NEW:
        return Counts(new=1, total=1)
    due_today = due is not None and due < day_end
    if phase is Phase.REVIEW:
        return Counts(due=int(due_today), studied=1, total=1)
    return Counts(learning=int(due_today), studied=1, total=1)


def _deck_tree_counts(
    scope: Sequence[Deck], own: dict[DeckId, Counts], order: Sequence[DeckId]
) -> tuple[DeckCounts, ...]:
    """Each deck's own counts and its totals with its sub-decks, nested as in the scope (a
    scope's top deck has depth 0)."""
    tree = DeckTree(scope)
    titles = {deck.id: deck.title for deck in scope}
    totals: dict[DeckId, Counts] = {}

    def total(node: DeckNode) -> Counts:
        sum_ = own[node.deck.id]
        for child in node.children:
            sum_ = sum_ + total(child)
        totals[node.deck.id] = sum_
        return sum_

    for node in tree.roots:
        total(node)
    return tuple(
        DeckCounts(
            deck_id,
            titles[deck_id],
            tree.depth(deck_id),
            own[deck_id],
            totals.get(deck_id, own[deck_id]),
        )
        for deck_id in order
    )


def reviews_per_day(
    collection: Collection,
    deck_ids: Sequence[DeckId],
    day: StudyDay,
    now: datetime,
    days: int,
) -> tuple[DayReviews, ...]:
    """Answers per study day over the last ``days`` days (today last); undone and cram
    answers are not counted."""
    today = day.day_of(require_utc(now))
    first = DayNumber(today - days + 1)
    buckets: dict[int, list[int]] = {first + i: [0, 0, 0, 0] for i in range(days)}
    for reviewed_at, rating, duration, phase_before in queries.answers_since(
        collection, deck_ids, day.start_of(first)
    ):
        moment = datetime.fromtimestamp(reviewed_at / 1000, now.tzinfo)
        bucket = buckets.get(day.day_of(moment))
        if bucket is None:
            continue
        bucket[0] += 1
        bucket[1] += rating == 1
        bucket[2] += phase_before == 0
        bucket[3] += duration
    return tuple(
        DayReviews(day.date_of(DayNumber(number)), *values)
        for number, values in sorted(buckets.items())
    )


def true_retention(
    collection: Collection, deck_ids: Sequence[DeckId], day: StudyDay, now: datetime
) -> tuple[Retention, ...]:
    """Anki's true retention for :data:`RETENTION_PERIODS` (study days, today included)."""
    today = day.day_of(require_utc(now))
    periods = [
        None if days is None else day.start_of(DayNumber(today - days + 1))
        for _, days in RETENTION_PERIODS
    ]
    outcomes = queries.review_outcomes(collection, deck_ids, periods, MATURE_DAYS)
    result = []
    for (label, days), counts in zip(RETENTION_PERIODS, outcomes, strict=True):
        young_passed, young_failed, mature_passed, mature_failed = counts
        result.append(
            Retention(label, days, young_passed, young_failed, mature_passed, mature_failed)
        )
    return tuple(result)


def step_mastery(
    collection: Collection,
    decks: Sequence[Deck],
    now: datetime,
    settings: SchedulerSettings | None = None,
    steps: frozenset[StepId] | None = None,
) -> dict[StepId, StepMastery]:
    """Mastery of every diagram step that has prompts in ``decks`` (for the diagram view),
    or of ``steps`` only (after answers to some of their cards)."""
    settings = settings or collection.scheduler_settings()
    totals: dict[StepId, int] = {}
    recalls: dict[StepId, list[float]] = {}
    forgotten_count: dict[StepId, int] = {}
    now = require_utc(now)
    for deck in decks:
        if steps is None:
            prompts = [prompt for prompt in deck.prompts() if prompt.stage is not None]
        else:  # only the cards of those steps: a prompt's stage is its card's step
            prompts = [
                prompt
                for card in deck.cards
                if card.diagram_step in steps
                for prompt in card.prompts(deck.id)
            ]
        if not prompts:
            continue
        states = queries.stage_states(collection, deck.id)
        forgotten = queries.forgotten_prompts(collection, deck.id)
        for prompt in prompts:
            stage = prompt.stage
            assert stage is not None
            totals[stage] = totals.get(stage, 0) + 1
            values = recalls.setdefault(stage, [])
            key = (prompt.card_id, prompt.variant)
            text = states.get(key)
            if text is not None:
                lapsed = key in forgotten
                forgotten_count[stage] = forgotten_count.get(stage, 0) + lapsed
                values.append(prompt_recall(state_from_column(text), lapsed, now, settings))
    return {
        step: step_mastery_of(step, totals[step], recalls[step], forgotten_count.get(step, 0))
        for step in totals
    }


__all__ = [
    "Counts",
    "DayCount",
    "DayReviews",
    "DeckCounts",
    "Retention",
    "Statistics",
    "StepCounts",
    "collect_statistics",
    "reviews_per_day",
    "step_mastery",
    "true_retention",
]
