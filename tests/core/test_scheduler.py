"""The pure scheduling step: next states, fuzz, settings, state JSON and interval labels."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import fsrs
import pytest

from metaflash.core.scheduling.scheduler import (
    DEFAULT_PARAMETERS,
    NEW_CARD,
    CardState,
    Phase,
    Rating,
    SchedulerSettings,
    format_interval,
    fuzz_seed,
    next_states,
    retrievability,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
EXACT = SchedulerSettings(fuzz=False)


def review_card(stability: float, difficulty: float = 5.0, days_ago: int = 10) -> CardState:
    last = NOW - timedelta(days=days_ago)
    return CardState(
        phase=Phase.REVIEW,
        stability=stability,
        difficulty=difficulty,
        due=last + timedelta(days=days_ago),
        last_review=last,
        reps=4,
        lapses=1,
    )


# --- next states ------------------------------------------------------------------------


def test_a_new_card_steps_through_learning_or_graduates_on_easy() -> None:
    states = next_states(NEW_CARD, NOW, EXACT, fuzz_seed=1)
    assert [o.interval for o in states] == [
        timedelta(minutes=1),
        timedelta(minutes=5, seconds=30),  # halfway between the two learning steps
        timedelta(minutes=10),
        timedelta(days=8),  # FSRS-6's initial Easy stability, 8.2956 days, at 90%
    ]
    assert [o.state.phase for o in states] == [Phase.LEARNING] * 3 + [Phase.REVIEW]
    assert [o.state.step for o in states] == [0, 0, 1, None]
    for rating in Rating:
        outcome = states[rating]
        assert outcome.rating is rating
        assert outcome.state.stability == pytest.approx(DEFAULT_PARAMETERS[rating - 1])
        assert outcome.state.last_review == NOW
        assert outcome.state.due == NOW + outcome.interval
        assert (outcome.state.reps, outcome.state.lapses) == (1, 0)


def test_the_stability_and_difficulty_are_fsrs_own() -> None:
    card = review_card(stability=12.0, difficulty=6.0, days_ago=15)
    ours = next_states(card, NOW, EXACT, fuzz_seed=0)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    for rating in Rating:
        theirs, _ = scheduler.review_card(
            fsrs.Card(
                card_id=0,
                state=fsrs.State.Review,
                stability=12.0,
                difficulty=6.0,
                due=card.due,
                last_review=card.last_review,
            ),
            fsrs.Rating(int(rating)),
            review_datetime=NOW,
        )
        assert ours[rating].state.stability == theirs.stability
        assert ours[rating].state.difficulty == theirs.difficulty


def test_forgetting_a_review_card_is_a_lapse_into_relearning() -> None:
    states = next_states(review_card(20.0), NOW, EXACT, fuzz_seed=0)
    again = states[Rating.AGAIN]
    assert again.state.phase is Phase.RELEARNING
    assert again.state.step == 0
    assert again.interval == timedelta(minutes=10)
    assert (again.state.reps, again.state.lapses) == (5, 2)
    good = states[Rating.GOOD]
    assert good.state.phase is Phase.REVIEW
    assert (good.state.reps, good.state.lapses) == (5, 1)


def test_without_relearning_steps_again_stays_in_review_below_hard() -> None:
    settings = SchedulerSettings(relearning_steps=(), fuzz=False)
    states = next_states(review_card(30.0), NOW, settings, fuzz_seed=0)
    assert states.again.state.phase is Phase.REVIEW
    assert states.again.state.lapses == 2
    assert states.again.interval < states.hard.interval


def test_without_learning_steps_a_new_card_goes_straight_to_review() -> None:
    settings = SchedulerSettings(learning_steps=(), fuzz=False)
    states = next_states(NEW_CARD, NOW, settings, fuzz_seed=0)
    assert all(outcome.state.phase is Phase.REVIEW for outcome in states)


def test_passing_intervals_are_kept_apart_when_fsrs_rounds_them_together() -> None:
    # py-fsrs alone gives this card 1, 1 and 2 days for Hard, Good and Easy.
    tiny = review_card(stability=0.05, days_ago=1)
    states = next_states(tiny, NOW, EXACT, fuzz_seed=0)
    days = [states[r].interval.days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
    assert days == [1, 2, 3]


def test_the_maximum_interval_caps_every_review_interval() -> None:
    exact = SchedulerSettings(maximum_interval_days=10, fuzz=False)
    states = next_states(review_card(500.0, days_ago=400), NOW, exact, fuzz_seed=3)
    assert [o.interval for o in list(states)[1:]] == [timedelta(days=10)] * 3
    for seed in range(20):
        fuzzed = next_states(review_card(500.0, days_ago=400), NOW, replace(exact, fuzz=True), seed)
        assert all(o.interval <= timedelta(days=10) for o in fuzzed)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_states(NEW_CARD, datetime(2024, 5, 1, 12), EXACT, fuzz_seed=0)


def test_now_in_another_time_zone_means_the_same_instant() -> None:
    elsewhere = NOW.astimezone(timezone(timedelta(hours=-7)))
    assert next_states(review_card(9.0), elsewhere, SchedulerSettings(), 5) == next_states(
        review_card(9.0), NOW, SchedulerSettings(), 5
    )


def test_invalid_settings_are_refused_with_their_problems() -> None:
    with pytest.raises(ValueError, match=r"desired retention 0\.5"):
        next_states(NEW_CARD, NOW, SchedulerSettings(desired_retention=0.5), fuzz_seed=0)


# --- fuzz -------------------------------------------------------------------------------


def test_fuzz_is_decided_by_the_seed_alone() -> None:
    card = review_card(60.0, days_ago=60)
    first = next_states(card, NOW, SchedulerSettings(), fuzz_seed=42)
    assert next_states(card, NOW, SchedulerSettings(), fuzz_seed=42) == first
    goods = {
        next_states(card, NOW, SchedulerSettings(), fuzz_seed=seed).good.interval.days
        for seed in range(40)
    }
    exact = next_states(card, NOW, EXACT, fuzz_seed=0).good.interval.days
    assert len(goods) > 3  # the seeds spread the intervals
    # FSRS's fuzz range: 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * (d - 20) days either side
    spread = 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * (exact - 20)
    assert all(abs(days - exact) <= spread + 0.5 for days in goods)


def test_fuzz_leaves_the_global_random_generator_alone() -> None:
    random.seed(1234)
    expected = [random.random() for _ in range(3)]
    random.seed(1234)
    for seed in range(20):
        next_states(review_card(40.0, days_ago=40), NOW, SchedulerSettings(), fuzz_seed=seed)
    assert [random.random() for _ in range(3)] == expected


def test_fuzz_seed_is_the_same_on_every_run_and_platform() -> None:
    # A fixed value: a change here reshuffles every student's schedule.
    assert fuzz_seed("metastasis", "intravasation", "", 3) == 5126197416635965942
    assert fuzz_seed("metastasis", "intravasation", "", 4) != fuzz_seed(
        "metastasis", "intravasation", "", 3
    )
    assert fuzz_seed("a", "bc", "", 0) != fuzz_seed("ab", "c", "", 0)
    assert 0 <= fuzz_seed("d", "c", "forward", 10) < 2**63


# --- retrievability ---------------------------------------------------------------------


def test_retrievability_follows_fsrs_forgetting_curve() -> None:
    settings = SchedulerSettings()
    assert retrievability(NEW_CARD, NOW, settings) == 0.0
    card = review_card(stability=10.0, days_ago=10)
    assert retrievability(card, NOW, settings) == pytest.approx(0.9)  # R = 90% at t = S
    assert retrievability(card, card.last_review or NOW, settings) == 1.0
    later = retrievability(card, NOW + timedelta(days=30), settings)
    assert 0.0 < later < 0.9


# --- labels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(0), "<1m"),
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=59), "59m"),
        (timedelta(minutes=59, seconds=50), "1h"),
        (timedelta(hours=1), "1h"),
        (timedelta(minutes=90), "1.5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=36), "1.2mo"),
        (timedelta(days=300), "10mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=912), "2.5y"),
    ],
)
def test_interval_labels_read_like_anki(interval: timedelta, label: str) -> None:
    assert format_interval(interval) == label


def test_a_negative_interval_has_no_label() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_interval(timedelta(seconds=-1))


# --- card state -------------------------------------------------------------------------


def test_py_fsrs_leaves_the_reviewed_card_unchanged() -> None:
    # next_states hands one py-fsrs card to all four reviews: an fsrs that changed the card
    # in place would give Hard, Good and Easy the state after Again
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        step=None,
        stability=5.0,
        difficulty=6.0,
        due=NOW,
        last_review=NOW - timedelta(days=5),
    )
    before = dict(vars(card))
    for rating in fsrs.Rating:
        reviewed, _ = scheduler.review_card(card, rating, review_datetime=NOW)
        assert reviewed is not card
    assert vars(card) == before


def test_card_states_round_trip_through_json() -> None:
    learning = next_states(NEW_CARD, NOW, EXACT, 0).hard.state
    for state in (NEW_CARD, review_card(3.25, 7.125), learning):
        text = state.to_json()
        assert CardState.from_json(text) == state
        assert " " not in text


def test_card_state_times_are_kept_in_utc() -> None:
    local = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    state = replace(review_card(5.0), last_review=local)
    assert state.last_review is not None and state.last_review.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"v": 2, "phase": "new"}', "newer metaflash"),
        ('{"v": 1, "phase": "graduated"}', "unknown card phase"),
        ('{"v": 1, "phase": "review", "step": null, "reps": 1, "lapses": 0}', "needs stability"),
        (
            '{"v": 1, "phase": "new", "due": "2024-05-01T12:00:00", "reps": 0, "lapses": 0}',
            "timezone-aware",
        ),
        ('{"v": 1, "phase": "new", "reps": "3", "lapses": 0}', "whole number"),
        ('{"v": 1, "phase": "new", "stability": 2.0, "reps": 0, "lapses": 0}', "new card has no"),
    ],
)
def test_bad_card_state_json_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CardState.from_json(text)


def test_impossible_card_states_cannot_be_built() -> None:
    with pytest.raises(ValueError, match=r"difficulty must lie in 1\.\.10"):
        review_card(5.0, difficulty=11.0)
    with pytest.raises(ValueError, match="more lapses than reviews"):
        replace(review_card(5.0), lapses=9)
    with pytest.raises(ValueError, match="needs a step index"):
        replace(review_card(5.0), phase=Phase.LEARNING)


# --- settings ---------------------------------------------------------------------------


def test_the_defaults_are_fsrs6_and_valid() -> None:
    settings = SchedulerSettings()
    assert settings.problems() == ()
    assert settings.parameters == tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert len(settings.parameters) == 21


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"desired_retention": 0.69}, "desired retention 0.69 lies outside 0.70..0.99"),
        ({"desired_retention": 0.995}, "lies outside 0.70..0.99"),
        ({"desired_retention": float("nan")}, "desired retention nan"),
        ({"parameters": DEFAULT_PARAMETERS[:20]}, "needs 21 parameters, got 20"),
        ({"parameters": (-1.0, *DEFAULT_PARAMETERS[1:])}, "w[0] = -1.0 lies outside"),
        ({"learning_steps": (timedelta(0),)}, "learning steps: step 1"),
        ({"relearning_steps": (timedelta(days=2),)}, "at most one day"),
        ({"learning_steps": (timedelta(seconds=1.5),)}, "whole seconds"),
        (
            {"learning_steps": (timedelta(minutes=10), timedelta(minutes=1))},
            "step 2 (0:01:00) is shorter",
        ),
        ({"learning_steps": (timedelta(minutes=1),) * 11}, "at most 10 steps"),
        ({"maximum_interval_days": 0}, "maximum interval 0 days"),
        ({"maximum_interval_days": 36501}, "lies outside 1..36500"),
    ],
)
def test_invalid_settings_are_explained(changes: dict[str, object], message: str) -> None:
    problems = replace(SchedulerSettings(), **changes).problems()  # type: ignore[arg-type]
    assert any(message in problem for problem in problems), problems


def test_settings_round_trip_and_fingerprint() -> None:
    custom = SchedulerSettings(
        desired_retention=0.85,
        learning_steps=(timedelta(minutes=2), timedelta(hours=1)),
        relearning_steps=(),
        maximum_interval_days=365,
        fuzz=False,
    )
    for settings in (SchedulerSettings(), custom):
        assert SchedulerSettings.from_json(settings.to_json()) == settings
    assert SchedulerSettings().fingerprint() == SchedulerSettings().fingerprint()
    assert custom.fingerprint() != SchedulerSettings().fingerprint()
    assert len(custom.fingerprint()) == 16
    int(custom.fingerprint(), 16)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null", "must be a JSON object"),
        ('{"v": 9}', "newer metaflash"),
        ('{"v": 1, "parameters": "x"}', "parameters must be a list of numbers"),
    ],
)
def test_bad_settings_json_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SchedulerSettings.from_json(text)
