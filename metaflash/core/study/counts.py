"""Today's counts for the deck list: cheap enough to run after every answer.

For every deck, the counts cover the deck with its sub-decks, exactly as a study session
started on that deck would show them before its first card: learning cards due today, then
new cards and reviews due today, each capped by the daily limits minus what was already
studied today in that scope (:mod:`metaflash.core.study.queue` applies the same rules).

Two grouped queries over indexed columns, whatever the size of the collection; no card
state is parsed. :func:`due_forecast` is the matching cheap query for a small forecast chart
(:func:`metaflash.core.stats.statistics.collect_statistics` computes everything, for the
statistics screen).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from metaflash.core.collection.records import to_millis
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId
from metaflash.core.scheduling.study_day import DayNumber, StudyDay, require_utc
from metaflash.core.study.scope import deck_tree_order

_AVAILABLE = "suspended = 0 AND retired = 0 AND (buried_until IS NULL OR buried_until <= ?)"


@dataclass(frozen=True, slots=True)
class TodayCounts:
    """What studying a deck (with its sub-decks) now would bring today."""

    new: int = 0
    learning: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass(slots=True)
class _Tally:
    new: int = 0
    learning: int = 0
    due: int = 0
    new_done: int = 0
    reviews_done: int = 0


def today_counts(
    collection: Collection, decks: Sequence[Deck], day: StudyDay, now: datetime
) -> dict[DeckId, TodayCounts]:
    """Today's counts of every deck in ``decks``, each with its sub-decks (limits applied)."""
    now = require_utc(now)
    today = day.day_of(now)
    day_start, day_end = day.start_of(today), day.end_of(today)
    loaded = {deck.id for deck in decks}
    own: dict[DeckId, _Tally] = {deck.id: _Tally() for deck in decks}
    for deck_id, new, learning, due in collection.db.execute(
        "SELECT deck_id, "
        "COALESCE(SUM(phase = 0), 0), "
        "COALESCE(SUM(phase IN (1, 3) AND due < :end), 0), "
        "COALESCE(SUM(phase = 2 AND due < :end), 0) "
        "FROM prompts WHERE suspended = 0 AND retired = 0 "
        "AND (buried_until IS NULL OR buried_until <= :today) GROUP BY deck_id",
        {"end": int(day_end.timestamp()), "today": today},
    ):
        tally = own.get(DeckId(str(deck_id)))
        if tally is not None:
            tally.new, tally.learning, tally.due = int(new), int(learning), int(due)
    for deck_id, phase_before, count in collection.db.execute(
        # the deck a prompt is in now (a moved card's answers go with it); CROSS JOIN keeps
        # review_log outside, so only today's entries are read
        "SELECT p.deck_id, l.phase_before, count(*) FROM review_log AS l "
        "CROSS JOIN prompts AS p ON p.id = l.prompt "
        "WHERE l.reviewed_at >= ? AND l.kind = 0 AND l.phase_before IN (0, 2) "
        "AND NOT EXISTS (SELECT 1 FROM review_log AS u WHERE u.undoes = l.id) "
        "GROUP BY p.deck_id, l.phase_before",
        (to_millis(day_start),),
    ):
        tally = own.get(DeckId(str(deck_id)))
        if tally is None:
            continue
        if int(phase_before) == 0:
            tally.new_done = int(count)
        else:
            tally.reviews_done = int(count)
    settings = collection.study_settings()
    result: dict[DeckId, TodayCounts] = {}
    for deck in decks:
        subtree = [own[deck_id] for deck_id in deck_tree_order(decks, deck.id) if deck_id in loaded]
        new_quota = max(0, settings.new_per_day - sum(t.new_done for t in subtree))
        review_quota = max(0, settings.reviews_per_day - sum(t.reviews_done for t in subtree))
        result[deck.id] = TodayCounts(
            new=min(sum(t.new for t in subtree), new_quota),
            learning=sum(t.learning for t in subtree),
            due=min(sum(t.due for t in subtree), review_quota),
        )
    return result


@dataclass(frozen=True, slots=True)
class ForecastDay:
    day: date
    due: int  # scheduled cards coming due that study day (day 0 includes the overdue ones)


def due_forecast(
    collection: Collection,
    deck_ids: Sequence[DeckId],
    day: StudyDay,
    now: datetime,
    days: int,
) -> tuple[ForecastDay, ...]:
    """Cards coming due on each of the next ``days`` study days (today first), as in
    :func:`metaflash.core.stats.statistics.collect_statistics`, from one grouped query."""
    now = require_utc(now)
    today = day.day_of(now)
    if days <= 0 or not deck_ids:
        return ()
    ends = [int(day.end_of(DayNumber(today + i)).timestamp()) for i in range(days)]
    marks = ", ".join("?" for _ in deck_ids)
    buckets = [0] * days
    for due, count in collection.db.execute(
        f"SELECT due, count(*) FROM prompts WHERE deck_id IN ({marks}) AND phase != 0 "
        f"AND due IS NOT NULL AND due < ? AND {_AVAILABLE} GROUP BY due",
        [*deck_ids, ends[-1], today],
    ):
        index = bisect.bisect_right(ends, int(due))
        buckets[index] += int(count)
    return tuple(
        ForecastDay(day.date_of(DayNumber(today + i)), count) for i, count in enumerate(buckets)
    )


def subtree_ids(decks: Sequence[Deck], root: DeckId) -> tuple[DeckId, ...]:
    """``root`` and its sub-decks, for :func:`due_forecast`."""
    return deck_tree_order(decks, root)


def counts_or_zero(counts: Mapping[DeckId, TodayCounts], deck_id: DeckId) -> TodayCounts:
    return counts.get(deck_id, TodayCounts())
