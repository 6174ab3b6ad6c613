"""The pieces under the evaluation, on small made-up logs: study days, which reviews are
scored, SM-2's replay, the fitting threshold and the review log CSV reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from metaflash.core.evaluation import sm2
from metaflash.core.evaluation.optimizer import (
    MAX_EPOCHS,
    MIN_CROSS_DAY_REVIEWS,
    MIN_EPOCHS,
    fit_parameters,
    training_epochs,
    training_items,
)
from metaflash.core.evaluation.prediction import evaluate_all_reviews, evaluate_review_log
from metaflash.core.evaluation.recall_models import cross_day_reviews, fsrs_recall, sm2_recall
from metaflash.core.evaluation.review_history import HistoryError, build_history
from metaflash.core.evaluation.review_log_csv import ReviewLogError, read_review_log
from metaflash.core.scheduling.scheduler import DEFAULT_PARAMETERS
from metaflash.core.scheduling.study_day import StudyDay

T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def at(days: float, hour: float = 10.0) -> datetime:
    return datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=days, hours=hour)


# --- study days and scored reviews ---------------------------------------------------------


def test_days_start_at_four_in_the_morning_utc() -> None:
    history = build_history(
        [
            ("a", 3, at(0, 3.9), 0),  # 03:54: still the previous study day
            ("a", 3, at(0, 4.1), 0),  # 04:06: a new study day
            ("a", 3, at(0, 23.0), 0),  # same study day as 04:06
            ("a", 3, at(1, 2.0), 0),  # 02:00 the next morning: still the same study day
        ]
    )
    assert [review.elapsed_days for review in history.cards[0].reviews] == [0, 1, 0, 0]


def test_the_study_day_can_be_the_learners_own() -> None:
    eastern = StudyDay(timezone=timezone(timedelta(hours=-5)), start_hour=4)
    history = build_history([("a", 3, at(0, 8.0), 0), ("a", 3, at(0, 10.0), 0)], eastern)
    # 03:00 and 05:00 local time: either side of the learner's 04:00
    assert [review.elapsed_days for review in history.cards[0].reviews] == [0, 1]


def test_only_reviews_on_a_later_day_are_scored_with_their_bin_counts() -> None:
    history = build_history(
        [
            ("a", 1, at(0), 0),
            ("a", 3, at(0, 11), 0),  # same day: shapes the state, not scored
            ("a", 1, at(2), 0),  # scored: 2 days, review number 2, no lapse before
            ("a", 3, at(2, 11), 0),
            ("a", 3, at(5), 0),  # scored: 3 days, number 3, one lapse before
            ("b", 3, at(1), 0),  # a card seen once: nothing to score
        ]
    )
    scored = cross_day_reviews(history)
    assert [(r.elapsed_days, r.review_number, r.lapses, r.recalled) for r in scored] == [
        (2, 2, 0, False),
        (3, 3, 1, True),
    ]
    assert history.cross_day_reviews() == 2
    assert len(fsrs_recall(history, DEFAULT_PARAMETERS)) == 2


def test_fsrs_predicts_its_own_forgetting_curve() -> None:
    # after a first Good, FSRS-6's stability is w[2] days: recall 90% after w[2] days
    history = build_history([("a", 3, at(0), 0), ("a", 3, at(2), 0), ("b", 3, at(0), 0)])
    (predicted,) = fsrs_recall(history, DEFAULT_PARAMETERS)
    factor = 0.9 ** (-1 / DEFAULT_PARAMETERS[20]) - 1
    expected = (1 + factor * 2 / DEFAULT_PARAMETERS[2]) ** -DEFAULT_PARAMETERS[20]
    assert predicted == pytest.approx(expected)


def test_a_log_without_cross_day_reviews_has_nothing_to_score() -> None:
    history = build_history([("a", 3, at(0), 0), ("a", 1, at(0, 12), 0)])
    with pytest.raises(HistoryError, match="nothing to predict"):
        evaluate_all_reviews(history)


def test_a_log_whose_later_half_has_nothing_to_score_has_no_split() -> None:
    report = evaluate_review_log(
        [("a", 3, at(0), 0), ("a", 3, at(3), 0), ("b", 3, at(4), 0), ("c", 3, at(5), 0)]
    )
    assert report.all_reviews.n_scored == 1
    assert report.split is None
    assert "later half" in report.split_note


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (("", 3, T0, 0), "review 1: the card key must be a non-empty text"),
        (("a", 5, T0, 0), "review 1 \\(card a\\): the rating must be 1, 2, 3 or 4"),
        (("a", True, T0, 0), "the rating must be"),
        (("a", 3, datetime(2024, 3, 1), 0), "must be timezone-aware"),
        (("a", 3, T0, -5), "0 or more milliseconds"),
    ],
)
def test_bad_records_are_named(record: tuple[str, int, datetime, int], message: str) -> None:
    with pytest.raises(HistoryError, match=message):
        build_history([record])


# --- SM-2 ---------------------------------------------------------------------------------


def test_sm2_intervals_by_hand() -> None:
    state = sm2.Sm2State()
    intervals = []
    eases = []
    for rating in (4, 3, 3, 1, 3, 2):
        state = sm2.review(state, rating)
        intervals.append(state.interval)
        eases.append(round(state.ease, 2))
    # Easy: 1 day, EF 2.6; Good: 6 days; Good: 6 x 2.6 = 15.6 -> 16; Again: 1 day, EF 2.6 - 0.32;
    # Good: 1 day (first success again); Hard: 6 days, EF 2.28 - 0.14
    assert intervals == [1, 6, 16, 1, 1, 6]
    assert eases == [2.6, 2.6, 2.6, 2.28, 2.28, 2.14]


def test_sm2_ease_never_falls_below_1_3() -> None:
    state = sm2.Sm2State()
    for _ in range(10):
        state = sm2.review(state, 1)
    assert state.ease == sm2.MINIMUM_EASE


def test_sm2_predicts_90_percent_at_its_interval() -> None:
    state = sm2.review(sm2.review(sm2.Sm2State(), 3), 3)
    assert sm2.predicted_recall(state, 6) == pytest.approx(0.9)
    assert sm2.predicted_recall(state, 12) == pytest.approx(0.81)
    with pytest.raises(ValueError, match="before a card's first review"):
        sm2.predicted_recall(sm2.Sm2State(), 1)


def test_sm2_replay_leaves_same_day_repeats_out() -> None:
    with_repeat = build_history(
        [("a", 3, at(0), 0), ("a", 1, at(0, 12), 0), ("a", 3, at(1), 0), ("a", 3, at(7), 0)]
    )
    without = build_history([("a", 3, at(0), 0), ("a", 3, at(1), 0), ("a", 3, at(7), 0)])
    # first Good: 1 day; second: 6 days; then 6 days later p = 0.9
    assert sm2_recall(with_repeat) == sm2_recall(without) == pytest.approx((0.9, 0.9))


# --- the fitting threshold ----------------------------------------------------------------


def test_too_little_history_keeps_the_defaults() -> None:
    records = []
    for card in range(50):
        for day, rating in enumerate((3, 3, 1, 3)):
            records.append((f"c{card}", rating, at(day * 3, 10 + card / 100), 1000))
    history = build_history(records)
    result = fit_parameters(history)
    assert result.n_reviews == 150 < MIN_CROSS_DAY_REVIEWS
    assert result.used_defaults
    assert result.parameters == DEFAULT_PARAMETERS
    assert result.before is not None and result.before == result.after
    assert result.before.n == 150
    assert f"at least {MIN_CROSS_DAY_REVIEWS}" in result.reason


def test_no_history_at_all_keeps_the_defaults_with_nothing_scored() -> None:
    result = fit_parameters(build_history([]))
    assert result.used_defaults and result.before is None and result.n_reviews == 0


def test_training_items_are_each_cross_day_review_with_its_past() -> None:
    history = build_history(
        [("a", 3, at(0), 0), ("a", 3, at(0, 12), 0), ("a", 3, at(2), 0), ("a", 1, at(5), 0)]
    )
    items = training_items(history)
    assert [len(item.reviews) for item in items] == [3, 4]
    # fsrs-rs's reviews show their fields only in their repr
    assert [repr(r) for r in items[1].reviews] == [
        f"FSRSReview {{ rating: {rating}, delta_t: {days} }}"
        for rating, days in [(3, 0), (3, 0), (3, 2), (1, 3)]
    ]


@pytest.mark.parametrize(
    ("items", "epochs"),
    [(10, MAX_EPOCHS), (2769, 34), (17_000, 6), (100_000, MIN_EPOCHS)],
)
def test_small_histories_train_for_more_epochs(items: int, epochs: int) -> None:
    assert training_epochs(items) == epochs


# --- the CSV reader -------------------------------------------------------------------------

HEADER = "card_id,review_rating,review_time,review_duration\n"


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_log_reads_with_columns_in_any_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "review_time,card_id,extra,review_rating,review_duration\n"
        "2024-03-29T20:32:32.250000+00:00,17,x,1,25060\n"
        "2024-03-30T01:00:00+02:00,17,y,4,\n",
    )
    records = read_review_log(path)
    assert [(r.card_key, r.rating, r.duration_ms) for r in records] == [
        ("17", 1, 25060),
        ("17", 4, 0),
    ]
    assert records[1].time == datetime(2024, 3, 29, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,5,2024-03-29T20:32:32+00:00,10\n", "log.csv:2: review_rating must be 1, 2, 3 or 4"),
        (",3,2024-03-29T20:32:32+00:00,10\n", "log.csv:2: card_id is empty"),
        ("1,3,yesterday,10\n", "log.csv:2: review_time 'yesterday' is not an ISO 8601 time"),
        ("1,3,2024-03-29T20:32:32,10\n", "log.csv:2: review_time .* has no UTC offset"),
        ("1,3,2024-03-29T20:32:32+00:00,1.5\n", "log.csv:2: review_duration must be whole"),
        (
            "1,3,2024-03-29T20:32:32+00:00,10\n1,9,2024-03-29T20:33:32+00:00,10\n",
            "log.csv:3: review_rating",
        ),
    ],
)
def test_bad_lines_are_reported_by_line(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ReviewLogError, match=message):
        read_review_log(write(tmp_path, HEADER + body))


def test_every_bad_line_is_listed_up_to_ten(tmp_path: Path) -> None:
    body = "".join(f"{n},7,2024-03-29T20:32:32+00:00,1\n" for n in range(15))
    with pytest.raises(ReviewLogError) as raised:
        read_review_log(write(tmp_path, HEADER + body))
    lines = str(raised.value).splitlines()
    assert len(lines) == 11
    assert lines[-1] == "... and 5 more"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"card,rating\n1,3\n", "log.csv:1: the header lacks card_id, review_rating, review_time"),
        (HEADER.encode(), "has a header but no reviews"),
        (b"\xff\xfe\x00card", "not UTF-8 text"),
    ],
)
def test_unreadable_files_say_what_to_do(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    with pytest.raises(ReviewLogError, match=message):
        read_review_log(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReviewLogError, match=r"missing\.csv: cannot read the review log"):
        read_review_log(tmp_path / "missing.csv")
