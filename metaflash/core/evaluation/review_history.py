"""A review log made ready for measuring and fitting models: validated, in time order, per card.

Anything that keeps reviews (the collection, a CSV file) feeds plain
``(card_key, rating, time, duration_ms)`` tuples to :func:`build_history`. Elapsed time is
counted in whole study days (:class:`~metaflash.core.scheduling.study_day.StudyDay`), the way FSRS and
the srs-benchmark count it: two reviews on the same study day are 0 days apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from metaflash.core.scheduling.study_day import StudyDay

#: The day boundary of the shared reference figures: days start at 04:00 UTC.
UTC_0400 = StudyDay(timezone=UTC, start_hour=4)


class ReviewRecord(NamedTuple):
    """One answer: which card, the rating (1 Again, 2 Hard, 3 Good, 4 Easy), when, how long."""

    card_key: str
    rating: int
    time: datetime
    duration_ms: int


@dataclass(frozen=True, slots=True)
class CardReview:
    """One review of a card as the models see it.

    ``order`` is the review's position in the whole log (0 = the earliest review), which is
    how a split by time selects it; ``elapsed_days`` is the number of study days since the
    card's previous review (0 for the first review and for same-day reviews).
    """

    order: int
    rating: int
    elapsed_days: int


@dataclass(frozen=True, slots=True)
class CardHistory:
    card_key: str
    reviews: tuple[CardReview, ...]


@dataclass(frozen=True, slots=True)
class ReviewHistory:
    """Every card's reviews in time order; ``size`` reviews in all."""

    cards: tuple[CardHistory, ...]
    size: int

    def cross_day_reviews(self) -> int:
        """How many reviews came on a later day than the card's previous review."""
        return sum(
            1
            for card in self.cards
            for index, review in enumerate(card.reviews)
            if index > 0 and review.elapsed_days > 0
        )


class HistoryError(ValueError):
    """A review that cannot be used; the message says which one and why."""


def validate_record(record: tuple[str, int, datetime, int], position: int) -> ReviewRecord:
    """``record`` as a :class:`ReviewRecord`, or a :class:`HistoryError` naming ``position``."""
    card_key, rating, time, duration_ms = record
    where = f"review {position + 1}"
    if not isinstance(card_key, str) or not card_key:
        raise HistoryError(f"{where}: the card key must be a non-empty text, got {card_key!r}")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
        raise HistoryError(
            f"{where} (card {card_key}): the rating must be 1, 2, 3 or 4, got {rating!r}"
        )
    if not isinstance(time, datetime) or time.tzinfo is None or time.utcoffset() is None:
        raise HistoryError(
            f"{where} (card {card_key}): the time must be timezone-aware, got {time!r}"
        )
    if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0:
        raise HistoryError(
            f"{where} (card {card_key}): the duration must be 0 or more milliseconds, "
            f"got {duration_ms!r}"
        )
    return ReviewRecord(card_key, rating, time.astimezone(UTC), duration_ms)


def sorted_records(records: Iterable[tuple[str, int, datetime, int]]) -> list[ReviewRecord]:
    """The records validated and in time order (ties keep their given order)."""
    checked = [validate_record(record, position) for position, record in enumerate(records)]
    return sorted(checked, key=lambda record: record.time)


def build_history(
    records: Iterable[tuple[str, int, datetime, int]], study_day: StudyDay = UTC_0400
) -> ReviewHistory:
    """Group a review log by card, in time order, with elapsed whole study days."""
    return history_of_sorted(sorted_records(records), study_day)


def history_of_sorted(records: Sequence[ReviewRecord], study_day: StudyDay) -> ReviewHistory:
    """:func:`build_history` for records already validated and in time order."""
    per_card: dict[str, list[CardReview]] = {}
    last_day: dict[str, int] = {}
    for order, record in enumerate(records):
        day = study_day.day_of(record.time)
        previous = last_day.get(record.card_key)
        elapsed = 0 if previous is None else day - previous
        last_day[record.card_key] = day
        per_card.setdefault(record.card_key, []).append(
            CardReview(order=order, rating=record.rating, elapsed_days=elapsed)
        )
    cards = tuple(CardHistory(key, tuple(reviews)) for key, reviews in per_card.items())
    return ReviewHistory(cards=cards, size=len(records))
