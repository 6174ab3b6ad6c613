"""How well FSRS-6 and SM-2 predict a learner's recall, measured on their review log.

Two evaluations, both scoring only reviews made on a later study day than the card's previous
review (days start at 04:00; predictions use the whole days elapsed):

* **All reviews**: every cross-day review, predicted by FSRS-6 with its default parameters
  and by SM-2. Nothing is fitted, so nothing is scored on data it was fitted to.
* **Split by time**: the log is cut at its median review. FSRS-6 is fitted on the earlier
  half (:func:`metaflash.core.evaluation.optimizer.fit_parameters`); then every card's whole history is
  replayed and the later half's cross-day reviews are scored for the fitted FSRS-6, the
  default FSRS-6 and SM-2. This is how a fit would serve the learner's future reviews.

Log loss, RMSE(bins) and AUC are defined in :mod:`metaflash.core.evaluation.metrics`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from metaflash.core.evaluation.metrics import Scores, score
from metaflash.core.evaluation.optimizer import FitResult, fit_parameters
from metaflash.core.evaluation.recall_models import (
    CrossDayReview,
    cross_day_reviews,
    fsrs_recall,
    sm2_recall,
)
from metaflash.core.evaluation.review_history import (
    UTC_0400,
    HistoryError,
    ReviewHistory,
    ReviewRecord,
    history_of_sorted,
    sorted_records,
)
from metaflash.core.scheduling.scheduler import DEFAULT_PARAMETERS
from metaflash.core.scheduling.study_day import StudyDay


class ModelName(StrEnum):
    FSRS6_FITTED = "fsrs6_fitted"
    FSRS6_DEFAULT = "fsrs6_default"
    SM2 = "sm2"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ModelName.FSRS6_FITTED: "FSRS-6, fitted on the earlier half",
    ModelName.FSRS6_DEFAULT: "FSRS-6, default parameters",
    ModelName.SM2: "SM-2 (p = 0.9^(t/interval))",
}


@dataclass(frozen=True, slots=True)
class ModelScores:
    model: ModelName
    scores: Scores


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One table: ``n_scored`` reviews scored for each model in ``rows``."""

    n_scored: int
    rows: tuple[ModelScores, ...]

    def __getitem__(self, model: ModelName) -> Scores:
        for row in self.rows:
            if row.model is model:
                return row.scores
        raise KeyError(model)


@dataclass(frozen=True, slots=True)
class SplitEvaluation:
    """The split by time: where it fell, the fit on the earlier half, and the later half's table."""

    split_time: datetime
    n_training_reviews: int  # all reviews of the earlier half
    fit: FitResult
    evaluation: Evaluation


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Both evaluations of one review log. ``split`` is None, with ``split_note`` saying why,
    when the later half has no cross-day review to score."""

    n_reviews: int
    n_cards: int
    all_reviews: Evaluation
    split: SplitEvaluation | None
    split_note: str


def _table(
    history: ReviewHistory,
    targets: Sequence[CrossDayReview],
    models: Sequence[tuple[ModelName, tuple[float, ...] | None]],
) -> Evaluation:
    rows: list[ModelScores] = []
    for model, parameters in models:
        if parameters is None:
            predictions = sm2_recall(history, targets)
        else:
            predictions = fsrs_recall(history, parameters, targets)
        scored = [target.scored(p) for target, p in zip(targets, predictions)]
        rows.append(ModelScores(model, score(scored)))
    return Evaluation(n_scored=len(targets), rows=tuple(rows))


def evaluate_all_reviews(history: ReviewHistory) -> Evaluation:
    """Default FSRS-6 and SM-2 on every cross-day review of ``history``."""
    targets = cross_day_reviews(history)
    if not targets:
        raise HistoryError(
            "no review comes on a later day than the card's previous review, so there is "
            "nothing to predict yet; study the same cards on more than one day"
        )
    return _table(
        history, targets, [(ModelName.FSRS6_DEFAULT, DEFAULT_PARAMETERS), (ModelName.SM2, None)]
    )


def evaluate_split(records: Sequence[ReviewRecord], study_day: StudyDay) -> SplitEvaluation | None:
    """Fit on the earlier half of ``records`` (validated, in time order), score the later half.

    None when the later half has no cross-day review.
    """
    half = len(records) // 2
    history = history_of_sorted(records, study_day)
    targets = [target for target in cross_day_reviews(history) if target.order >= half]
    if not targets:
        return None
    fit = fit_parameters(history_of_sorted(records[:half], study_day))
    evaluation = _table(
        history,
        targets,
        [
            (ModelName.FSRS6_FITTED, fit.parameters),
            (ModelName.FSRS6_DEFAULT, DEFAULT_PARAMETERS),
            (ModelName.SM2, None),
        ],
    )
    return SplitEvaluation(
        split_time=records[half].time, n_training_reviews=half, fit=fit, evaluation=evaluation
    )


def evaluate_review_log(
    reviews: Iterable[tuple[str, int, datetime, int]], study_day: StudyDay = UTC_0400
) -> EvaluationReport:
    """Both evaluations of a review log of ``(card_key, rating, time, duration_ms)`` tuples.

    This is the entry point for any store of reviews (a CSV file, the collection). Bad
    records raise :class:`~metaflash.core.evaluation.review_history.HistoryError`, as does a log with
    nothing to score.
    """
    records = sorted_records(reviews)
    history = history_of_sorted(records, study_day)
    all_reviews = evaluate_all_reviews(history)
    split = evaluate_split(records, study_day)
    note = (
        ""
        if split is not None
        else "the later half of the reviews has no review on a later day than the card's "
        "previous one, so the split evaluation has nothing to score"
    )
    return EvaluationReport(
        n_reviews=len(records),
        n_cards=len(history.cards),
        all_reviews=all_reviews,
        split=split,
        split_note=note,
    )
