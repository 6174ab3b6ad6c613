"""What each model predicts for every cross-day review of a history: FSRS-6 and SM-2.

A review is *scored* (predicted and compared with its outcome) when it comes on a later study
day than the card's previous review; same-day repeats still shape the FSRS memory state (its
short-term stability) but are not predictions of long-term recall.

FSRS-6 is replayed with the library of its authors: ``fsrs-rs-python`` computes each card's
memory state after every review from ``(rating, elapsed whole days)`` pairs, and py-fsrs's
forgetting curve turns a state and the whole days elapsed into a recall probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
import fsrs_rs_python

from metaflash.core.evaluation import sm2
from metaflash.core.evaluation.metrics import ScoredReview
from metaflash.core.evaluation.review_history import CardHistory, ReviewHistory

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CrossDayReview:
    """A review made on a later study day than the card's previous one: what models predict.

    ``card`` and ``position`` locate it in :attr:`ReviewHistory.cards`; ``order`` in the
    whole log. ``review_number`` and ``lapses`` are the RMSE(bins) groupings (see
    :mod:`metaflash.core.evaluation.metrics`).
    """

    card: int
    position: int
    order: int
    recalled: bool
    elapsed_days: int
    review_number: int
    lapses: int

    def scored(self, predicted: float) -> ScoredReview:
        return ScoredReview(
            recalled=self.recalled,
            predicted=predicted,
            elapsed_days=self.elapsed_days,
            review_number=self.review_number,
            lapses=self.lapses,
        )


def cross_day_reviews(history: ReviewHistory) -> tuple[CrossDayReview, ...]:
    """Every cross-day review, card by card, in time order within a card."""
    found: list[CrossDayReview] = []
    for card_index, card in enumerate(history.cards):
        counted = 0
        lapses = 0
        for position, review in enumerate(card.reviews):
            if position == 0 or review.elapsed_days == 0:
                continue
            counted += 1
            found.append(
                CrossDayReview(
                    card=card_index,
                    position=position,
                    order=review.order,
                    recalled=review.rating > 1,
                    elapsed_days=review.elapsed_days,
                    review_number=counted + 1,
                    lapses=lapses,
                )
            )
            if review.rating == 1:
                lapses += 1
    return tuple(found)


def fsrs_item(reviews: Sequence[tuple[int, int]]) -> fsrs_rs_python.FSRSItem:
    """An fsrs-rs item from ``(rating, elapsed_days)`` pairs, the first one's days being 0."""
    return fsrs_rs_python.FSRSItem(
        [fsrs_rs_python.FSRSReview(rating, days) for rating, days in reviews]
    )


def _card_item(card: CardHistory) -> fsrs_rs_python.FSRSItem:
    return fsrs_item([(review.rating, review.elapsed_days) for review in card.reviews])


def fsrs_recall(
    history: ReviewHistory,
    parameters: Sequence[float],
    reviews: Sequence[CrossDayReview] | None = None,
) -> tuple[float, ...]:
    """FSRS-6's predicted recall for each of ``reviews`` (default: all cross-day reviews)."""
    targets = cross_day_reviews(history) if reviews is None else reviews
    if not targets:
        return ()
    model = fsrs_rs_python.FSRS(list(parameters))
    needed = sorted({target.card for target in targets})
    states = model.historical_memory_state_batch([_card_item(history.cards[i]) for i in needed])
    by_card = dict(zip(needed, states))
    curve = fsrs.Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    predictions: list[float] = []
    for target in targets:
        before = by_card[target.card][target.position - 1]  # the state after the previous review
        card = fsrs.Card(
            card_id=0,
            state=fsrs.State.Review,
            stability=before.stability,
            difficulty=before.difficulty,
            due=_EPOCH,
            last_review=_EPOCH,
        )
        at = _EPOCH + timedelta(days=target.elapsed_days)
        predictions.append(float(curve.get_card_retrievability(card, current_datetime=at)))
    return tuple(predictions)


def sm2_recall(
    history: ReviewHistory, reviews: Sequence[CrossDayReview] | None = None
) -> tuple[float, ...]:
    """SM-2's predicted recall for each of ``reviews`` (conventions in :mod:`.sm2`)."""
    targets = cross_day_reviews(history) if reviews is None else reviews
    by_card: dict[int, list[sm2.Sm2State]] = {}
    for index in {target.card for target in targets}:
        state = sm2.Sm2State()
        after: list[sm2.Sm2State] = []  # the SM-2 state after each review of the card
        for position, review in enumerate(history.cards[index].reviews):
            if position == 0 or review.elapsed_days > 0:
                state = sm2.review(state, review.rating)
            after.append(state)
        by_card[index] = after
    return tuple(
        sm2.predicted_recall(by_card[target.card][target.position - 1], target.elapsed_days)
        for target in targets
    )
