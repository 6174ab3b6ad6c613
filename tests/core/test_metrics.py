"""Log loss, AUC and the srs-benchmark's RMSE(bins), on cases small enough to work by hand."""

from __future__ import annotations

import math

import pytest

from metaflash.core.evaluation.metrics import (
    BinKey,
    ScoredReview,
    auc,
    bin_of,
    log_loss,
    rmse_bins,
    score,
)


def review(
    recalled: bool, predicted: float, elapsed: int = 1, number: int = 2, lapses: int = 0
) -> ScoredReview:
    return ScoredReview(recalled, predicted, elapsed, number, lapses)


def test_log_loss_by_hand() -> None:
    assert log_loss([True, False], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert log_loss([True], [0.8]) == pytest.approx(-math.log(0.8))
    assert log_loss([False, True], [0.25, 0.75]) == pytest.approx(-math.log(0.75))


def test_a_certain_wrong_prediction_costs_a_lot_but_stays_finite() -> None:
    cost = log_loss([False], [1.0])
    assert math.isfinite(cost)
    assert cost > 20


@pytest.mark.parametrize(
    ("outcomes", "predictions", "message"),
    [
        ([True], [0.5, 0.5], "pair up"),
        ([], [], "no reviews"),
        ([True], [1.5], "must lie in 0..1"),
        ([True], [float("nan")], "must lie in 0..1"),
    ],
)
def test_log_loss_refuses_nonsense(
    outcomes: list[bool], predictions: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        log_loss(outcomes, predictions)


@pytest.mark.parametrize(
    ("outcomes", "predictions", "expected"),
    [
        ([False, True], [0.1, 0.9], 1.0),
        ([True, False], [0.1, 0.9], 0.0),
        ([True, False], [0.5, 0.5], 0.5),
        # recalled at 0.9 and 0.4, forgotten at 0.8 and 0.2: 3 of 4 pairs in order
        ([True, False, True, False], [0.9, 0.8, 0.4, 0.2], 0.75),
        # a tie between a recalled and a forgotten review counts half: (1 + 0.5) / 2
        ([True, True, False], [0.9, 0.3, 0.3], 0.75),
    ],
)
def test_auc_by_hand(outcomes: list[bool], predictions: list[float], expected: float) -> None:
    assert auc(outcomes, predictions) == pytest.approx(expected)


def test_auc_is_undefined_when_every_outcome_agrees() -> None:
    assert auc([True, True], [0.2, 0.9]) is None
    assert auc([False], [0.2]) is None


@pytest.mark.parametrize(
    ("elapsed", "number", "lapses", "expected"),
    [
        (1, 1, 0, BinKey(0, 0, None)),
        (3, 2, 1, BinKey(0, 1, 0)),  # 3 < 3.62; 1.89 <= 2 < 1.89^2; one lapse
        (4, 3, 2, BinKey(1, 1, 1)),  # 3.62 <= 4; 1.73 <= 2 < 1.73^2
        (13, 4, 3, BinKey(1, 2, 2)),  # 13 < 3.62^2 = 13.10; 1.89^2 = 3.57 <= 4; 2.99 <= 3
        (14, 7, 5, BinKey(2, 3, 2)),  # 14 >= 13.10; 6.75 <= 7; 5 < 1.73^3 = 5.18
        (48, 13, 6, BinKey(3, 4, 3)),  # 3.62^3 = 47.4; 1.89^4 = 12.8; 1.73^3 = 5.18
    ],
)
def test_bins_follow_the_benchmark_log_scales(
    elapsed: int, number: int, lapses: int, expected: BinKey
) -> None:
    assert bin_of(review(True, 0.9, elapsed, number, lapses)) == expected


def test_a_review_without_elapsed_days_has_no_bin() -> None:
    with pytest.raises(ValueError, match="elapsed days >= 1"):
        bin_of(review(True, 0.9, elapsed=0))


def test_rmse_bins_compares_means_within_a_bin() -> None:
    # one bin: observed 1/2 recalled, predicted (0.9 + 0.5) / 2 = 0.7
    assert rmse_bins([review(True, 0.9), review(False, 0.5)]) == pytest.approx(0.2)


def test_rmse_bins_weights_bins_by_size() -> None:
    # two bins of one review: errors 0.1 and 0.5, each weighing 1/2
    apart = [review(True, 0.9, elapsed=1), review(False, 0.5, elapsed=20)]
    assert rmse_bins(apart) == pytest.approx(math.sqrt((0.1**2 + 0.5**2) / 2))
    # a bin of three (observed 2/3, predicted 0.6) and a bin of one (error 0.3)
    mixed = [
        review(True, 0.6),
        review(True, 0.6),
        review(False, 0.6),
        review(True, 0.7, elapsed=30),
    ]
    expected = math.sqrt((3 * (2 / 3 - 0.6) ** 2 + 0.3**2) / 4)
    assert rmse_bins(mixed) == pytest.approx(expected)


def test_no_lapse_and_one_lapse_are_different_bins() -> None:
    reviews = [review(True, 0.9, lapses=0), review(False, 0.5, lapses=1)]
    assert rmse_bins(reviews) == pytest.approx(math.sqrt((0.1**2 + 0.5**2) / 2))


def test_score_gathers_the_three_figures() -> None:
    reviews = [review(True, 0.9), review(False, 0.5)]
    scores = score(reviews)
    assert scores.n == 2
    assert scores.log_loss == pytest.approx((-math.log(0.9) - math.log(0.5)) / 2)
    assert scores.rmse_bins == pytest.approx(0.2)
    assert scores.auc == 1.0
    with pytest.raises(ValueError, match="no reviews"):
        score([])
