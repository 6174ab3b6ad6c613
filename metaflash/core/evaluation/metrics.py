"""How well predicted recall matches what happened: log loss, RMSE(bins) and AUC.

RMSE(bins) follows the open-spaced-repetition srs-benchmark: each scored review falls into a
bin by its elapsed days, its review number and its lapse count, each on a logarithmic scale;
within a bin the mean prediction is compared with the observed recall rate, and the squared
differences are averaged weighted by bin size. The logarithmic scales are the benchmark's:

* elapsed days ``t``: bins of ``floor(log(t) / log(3.62))``;
* review number ``i``: ``floor(log(i) / log(1.89))``;
* lapses ``l``: ``l = 0`` alone, else ``floor(log(l) / log(1.73))``.

For a scored review, ``i`` is 1 plus the number of the card's cross-day reviews up to and
including this one (so the first cross-day review has ``i = 2``), and ``l`` counts the card's
earlier cross-day reviews answered Again. (See :mod:`metaflash.core.evaluation.prediction`.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Predictions are kept this far from 0 and 1 so that log loss stays finite.
PROBABILITY_EPSILON = 1e-12

_ELAPSED_BASE = 3.62
_REVIEW_BASE = 1.89
_LAPSE_BASE = 1.73


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """One prediction and its outcome, with what RMSE(bins) groups it by."""

    recalled: bool
    predicted: float
    elapsed_days: int
    review_number: int
    lapses: int


@dataclass(frozen=True, slots=True)
class Scores:
    """The three figures for ``n`` scored reviews; AUC is None when all outcomes agree."""

    n: int
    log_loss: float
    rmse_bins: float
    auc: float | None


@dataclass(frozen=True, slots=True)
class BinKey:
    elapsed: int
    review: int
    lapses: int | None  # None: no lapse


def _log_bin(value: int, base: float) -> int:
    return math.floor(math.log(value) / math.log(base))


def bin_of(review: ScoredReview) -> BinKey:
    """The RMSE(bins) bin of a scored review (elapsed days and review number are 1 or more)."""
    if review.elapsed_days < 1 or review.review_number < 1 or review.lapses < 0:
        raise ValueError(
            "a scored review needs elapsed days >= 1, review number >= 1 and lapses >= 0, "
            f"got {review}"
        )
    return BinKey(
        elapsed=_log_bin(review.elapsed_days, _ELAPSED_BASE),
        review=_log_bin(review.review_number, _REVIEW_BASE),
        lapses=None if review.lapses == 0 else _log_bin(review.lapses, _LAPSE_BASE),
    )


def _clamped(p: float) -> float:
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise ValueError(f"a predicted probability must lie in 0..1, got {p}")
    return min(max(p, PROBABILITY_EPSILON), 1.0 - PROBABILITY_EPSILON)


def log_loss(outcomes: Sequence[bool], predictions: Sequence[float]) -> float:
    """Mean negative log-likelihood of the outcomes under the predictions."""
    _check_lengths(outcomes, predictions)
    total = 0.0
    for recalled, p in zip(outcomes, predictions):
        q = _clamped(p)
        total -= math.log(q) if recalled else math.log(1.0 - q)
    return total / len(outcomes)


def auc(outcomes: Sequence[bool], predictions: Sequence[float]) -> float | None:
    """Area under the ROC curve: the chance a recalled review was predicted above a forgotten
    one, ties counting half. None when every outcome is the same (the area is undefined)."""
    _check_lengths(outcomes, predictions)
    positives = sum(1 for recalled in outcomes if recalled)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    ranked = sorted(zip(predictions, outcomes), key=lambda pair: pair[0])
    rank_sum = 0.0  # of the recalled reviews, with tied predictions sharing their mean rank
    start = 0
    while start < len(ranked):
        end = start
        while end < len(ranked) and ranked[end][0] == ranked[start][0]:
            end += 1
        mean_rank = (start + 1 + end) / 2.0
        rank_sum += mean_rank * sum(1 for _, recalled in ranked[start:end] if recalled)
        start = end
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def rmse_bins(reviews: Sequence[ScoredReview]) -> float:
    """The srs-benchmark's RMSE(bins) (see the module documentation)."""
    if not reviews:
        raise ValueError("RMSE(bins) needs at least one scored review")
    sums: dict[BinKey, list[float]] = {}
    for review in reviews:
        entry = sums.setdefault(bin_of(review), [0.0, 0.0, 0.0])
        entry[0] += 1.0 if review.recalled else 0.0
        entry[1] += review.predicted
        entry[2] += 1.0
    weighted = sum(
        count * ((recalled - predicted) / count) ** 2
        for recalled, predicted, count in sums.values()
    )
    return math.sqrt(weighted / len(reviews))


def score(reviews: Sequence[ScoredReview]) -> Scores:
    """Log loss, RMSE(bins) and AUC of ``reviews`` (at least one)."""
    if not reviews:
        raise ValueError("there are no reviews to score")
    outcomes = [review.recalled for review in reviews]
    predictions = [review.predicted for review in reviews]
    return Scores(
        n=len(reviews),
        log_loss=log_loss(outcomes, predictions),
        rmse_bins=rmse_bins(reviews),
        auc=auc(outcomes, predictions),
    )


def _check_lengths(outcomes: Sequence[bool], predictions: Sequence[float]) -> None:
    if len(outcomes) != len(predictions):
        raise ValueError(
            f"{len(outcomes)} outcomes but {len(predictions)} predictions; they must pair up"
        )
    if not outcomes:
        raise ValueError("there are no reviews to score")
