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

from metaflash.core.collection import queries
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId
from metaflash.core.decks.tree import DeckTree, deck_tree_order
from metaflash.core.scheduling.study_day import DayNumber, StudyDay, require_utc


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
    for deck_id, (new, learning, due) in queries.deck_tallies(collection, today, day_end).items():
        tally = own.get(deck_id)
        if tally is not None:
            tally.new, tally.learning, tally.due = new, learning, due
    for deck_id, (new_done, reviews_done) in queries.answered_since_by_deck(
        collection, day_start
    ).items():
        tally = own.get(deck_id)
        if tally is not None:
            tally.new_done, tally.reviews_done = new_done, reviews_done
    settings = collection.study_settings()
    result: dict[DeckId, TodayCounts] = {}
    tree = DeckTree(decks)
    for deck in decks:
        subtree = [own[deck_id] for deck_id in tree.subtree(deck.id) if deck_id in loaded]
        new_quota, review_quota = settings.quotas(
            sum(t.new_done for t in subtree), sum(t.reviews_done for t in subtree)
        )
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
    buckets = [0] * days
    for due, count in queries.due_times(collection, deck_ids, ends[-1], today):
        index = bisect.bisect_right(ends, due)
        buckets[index] += count
    return tuple(
        ForecastDay(day.date_of(DayNumber(today + i)), count) for i, count in enumerate(buckets)
    )


def subtree_ids(decks: Sequence[Deck], root: DeckId) -> tuple[DeckId, ...]:
    """``root`` and its sub-decks, for :func:`due_forecast`."""
    return deck_tree_order(decks, root)


def counts_or_zero(counts: Mapping[DeckId, TodayCounts], deck_id: DeckId) -> TodayCounts:
    return counts.get(deck_id, TodayCounts())
