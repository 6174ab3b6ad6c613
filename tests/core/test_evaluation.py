"""The evaluation and the fit on a real learner's review log, against the reference figures.

The figures come from tests/data/review-logs/README.md. Scoring the all-reviews table to
the reference's fourth decimal proves the scoring (day boundary, which reviews count, the
RMSE bins, SM-2's conventions); the split table must match for the unfitted models, and
the fit made here must do at least as well as the reference fit made inside Anki.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from metaflash.core.evaluation.metrics import Scores
from metaflash.core.evaluation.optimizer import MIN_CROSS_DAY_REVIEWS, fit_parameters
from metaflash.core.evaluation.prediction import (
    EvaluationReport,
    ModelName,
    evaluate_all_reviews,
    evaluate_review_log,
)
from metaflash.core.evaluation.review_history import ReviewRecord, build_history
from metaflash.core.evaluation.review_log_csv import read_review_log
from metaflash.core.scheduling.scheduler import DEFAULT_PARAMETERS, SchedulerSettings

JOSH = Path(__file__).resolve().parents[1] / "data/review-logs/py-fsrs-josh.csv"


def figures(scores: Scores) -> tuple[float, float, float | None]:
    auc = None if scores.auc is None else round(scores.auc, 4)
    return round(scores.log_loss, 4), round(scores.rmse_bins, 4), auc


@pytest.fixture(scope="module")
def josh() -> list[ReviewRecord]:
    assert JOSH.is_file(), f"the review log is missing: {JOSH}"
    return read_review_log(JOSH)


@pytest.fixture(scope="module")
def report(josh: list[ReviewRecord]) -> EvaluationReport:
    return evaluate_review_log(josh)  # the suite's one fit on the earlier half


def test_the_log_reads_completely(josh: list[ReviewRecord], report: EvaluationReport) -> None:
    assert len(josh) == 12580
    assert (report.n_reviews, report.n_cards) == (12580, 1205)


def test_all_reviews_match_the_reference_figures(report: EvaluationReport) -> None:
    table = report.all_reviews
    assert table.n_scored == 6276
    assert [row.model for row in table.rows] == [ModelName.FSRS6_DEFAULT, ModelName.SM2]
    assert figures(table[ModelName.FSRS6_DEFAULT]) == (0.4650, 0.0832, 0.7270)
    assert figures(table[ModelName.SM2]) == (0.5610, 0.1057, 0.5929)


def test_the_split_falls_at_the_median_review(report: EvaluationReport) -> None:
    split = report.split
    assert split is not None
    assert split.n_training_reviews == 6290
    assert split.split_time.date() == date(2024, 9, 5)
    assert split.evaluation.n_scored == 3507


def test_the_split_matches_the_reference_for_the_unfitted_models(
    report: EvaluationReport,
) -> None:
    assert report.split is not None
    table = report.split.evaluation
    assert figures(table[ModelName.FSRS6_DEFAULT]) == (0.4388, 0.0634, 0.6727)
    assert figures(table[ModelName.SM2]) == (0.5049, 0.0914, 0.5323)


def test_the_fit_predicts_the_later_half_at_least_as_well_as_the_reference_fit(
    report: EvaluationReport,
) -> None:
    assert report.split is not None
    fitted = report.split.evaluation[ModelName.FSRS6_FITTED]
    assert fitted.log_loss <= 0.4341
    assert fitted.rmse_bins <= 0.0470
    assert fitted.log_loss < report.split.evaluation[ModelName.FSRS6_DEFAULT].log_loss


def test_the_fit_on_the_earlier_half_is_adopted_and_usable(report: EvaluationReport) -> None:
    assert report.split is not None
    fit = report.split.fit
    assert not fit.used_defaults
    assert fit.n_reviews >= MIN_CROSS_DAY_REVIEWS
    assert fit.parameters != DEFAULT_PARAMETERS
    assert SchedulerSettings(parameters=fit.parameters).problems() == ()
    assert fit.before is not None and fit.after is not None
    assert fit.after.log_loss < fit.before.log_loss
    assert "fitted on" in fit.reason


def test_a_fit_that_cannot_beat_the_parameters_in_force_keeps_them(
    josh: list[ReviewRecord], report: EvaluationReport
) -> None:
    assert report.split is not None
    earlier = build_history(josh[: report.split.n_training_reviews])
    # the suite's second fit: from the defaults again, it finds what is already in force
    again = fit_parameters(earlier, current=report.split.fit.parameters)
    assert again.used_defaults
    assert again.parameters == report.split.fit.parameters
    assert again.before == again.after
    assert "no better" in again.reason


def test_the_order_of_the_log_does_not_matter(josh: list[ReviewRecord]) -> None:
    shuffled = list(josh)
    random.Random(7).shuffle(shuffled)
    assert evaluate_all_reviews(build_history(shuffled)) == evaluate_all_reviews(
        build_history(josh)
    )


def test_the_collection_can_feed_plain_tuples(josh: list[ReviewRecord]) -> None:
    plain = [(r.card_key, r.rating, r.time, r.duration_ms) for r in josh[:3000]]
    from_tuples = evaluate_all_reviews(build_history(plain))
    assert from_tuples == evaluate_all_reviews(build_history(josh[:3000]))
    assert from_tuples.n_scored > 0
