"""Properties of the scheduling step over generated settings, card states and times."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.scheduling.scheduler import (
    DEFAULT_PARAMETERS,
    NEW_CARD,
    CardState,
    Phase,
    Rating,
    SchedulerSettings,
    format_interval,
    next_states,
    retrievability,
)

times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)

parameters = st.one_of(
    st.just(DEFAULT_PARAMETERS),
    st.tuples(
        *(
            st.floats(min_value=low, max_value=high, allow_nan=False)
            for low, high in zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
        )
    ),
)


def _steps(max_size: int) -> st.SearchStrategy[tuple[timedelta, ...]]:
    return st.lists(st.integers(1, 86400), max_size=max_size).map(
        lambda seconds: tuple(timedelta(seconds=s) for s in sorted(seconds))
    )


valid_settings = st.builds(
    SchedulerSettings,
    parameters=parameters,
    desired_retention=st.floats(min_value=0.70, max_value=0.99),
    learning_steps=_steps(4),
    relearning_steps=_steps(3),
    maximum_interval_days=st.integers(1, 36500),
    fuzz=st.booleans(),
)


@st.composite
def review_states(draw: st.DrawFn) -> CardState:
    last = draw(times)
    return CardState(
        phase=Phase.REVIEW,
        stability=draw(st.floats(min_value=0.001, max_value=1e5)),
        difficulty=draw(st.floats(min_value=1.0, max_value=10.0)),
        due=last + timedelta(days=draw(st.integers(1, 36500))),
        last_review=last,
        reps=draw(st.integers(1, 1000)),
        lapses=0,
    )


@st.composite
def lived_states(draw: st.DrawFn) -> tuple[CardState, datetime, SchedulerSettings]:
    """A card answered a few times with its settings, and a later moment to answer it again."""
    chosen = draw(valid_settings)
    now = draw(times)
    state = NEW_CARD
    for _ in range(draw(st.integers(0, 8))):
        rating = draw(st.sampled_from(Rating))
        state = next_states(state, now, chosen, draw(st.integers(0, 2**63 - 1)))[rating].state
        assert state.due is not None
        late = timedelta(minutes=draw(st.integers(0, 60 * 24 * 400)))
        now = state.due + late if draw(st.booleans()) else now + late
    return state, now, chosen


@settings(max_examples=150, deadline=None)
@given(lived=lived_states(), seed=st.integers(0, 2**63 - 1))
def test_never_an_exception_and_always_consistent(
    lived: tuple[CardState, datetime, SchedulerSettings], seed: int
) -> None:
    state, now, chosen = lived
    states = next_states(state, now, chosen, seed)
    for rating in Rating:
        outcome = states[rating]
        assert outcome.rating is rating
        assert outcome.interval >= timedelta(0)
        assert outcome.state.due == now + outcome.interval
        assert outcome.state.reps == state.reps + 1
        if outcome.state.phase is Phase.REVIEW:
            assert outcome.interval.seconds == 0 and outcome.interval.microseconds == 0
            assert 1 <= outcome.interval.days <= chosen.maximum_interval_days
        format_interval(outcome.interval)
    assert 0.0 <= retrievability(state, now, chosen) <= 1.0


@settings(max_examples=150, deadline=None)
@given(state=review_states(), chosen=valid_settings, seed=st.integers(0, 2**63 - 1))
def test_review_intervals_are_ordered_again_hard_good_easy(
    state: CardState, chosen: SchedulerSettings, seed: int
) -> None:
    assert state.last_review is not None
    now = state.last_review + timedelta(days=int(state.stability or 1) % 3000)
    states = next_states(state, now, chosen, seed)
    assert states.again.interval <= states.hard.interval
    assert states.hard.interval <= states.good.interval
    assert states.good.interval <= states.easy.interval


@settings(max_examples=100, deadline=None)
@given(lived=lived_states(), seed=st.integers(0, 2**63 - 1))
def test_next_states_is_pure(
    lived: tuple[CardState, datetime, SchedulerSettings], seed: int
) -> None:
    state, now, chosen = lived
    assert next_states(state, now, chosen, seed) == next_states(state, now, chosen, seed)


def json_of(state: CardState) -> str:
    """The stored form of a state, as json.dumps writes it (what CardState.to_json must give)."""
    data = {
        "v": 1,
        "phase": state.phase.value,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": None if state.due is None else state.due.isoformat(),
        "last_review": None if state.last_review is None else state.last_review.isoformat(),
        "reps": state.reps,
        "lapses": state.lapses,
    }
    return json.dumps(data, separators=(",", ":"), sort_keys=True, allow_nan=False)


def test_unusual_field_types_are_stored_as_json_dumps_writes_them() -> None:
    class Step(IntEnum):
        FIRST = 0

    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    learning = next_states(NEW_CARD, now, SchedulerSettings(fuzz=False), 0).hard.state
    review = next_states(learning, now + timedelta(days=1), SchedulerSettings(), 0).good.state
    for state in (
        replace(review, stability=5),  # an int where a float is usual
        replace(review, stability=1e-7, difficulty=9.999999999999998, reps=10**20),
        replace(learning, step=Step.FIRST),
    ):
        assert state.to_json() == json_of(state)
        assert CardState.from_json(state.to_json()) == state
    odd = replace(learning, reps=True, lapses=False)  # written as json.dumps would, though
    assert odd.to_json() == json_of(odd)  # reading it back refuses it, as it always did


@settings(max_examples=100, deadline=None)
@given(lived=lived_states())
def test_states_round_trip_through_json(
    lived: tuple[CardState, datetime, SchedulerSettings],
) -> None:
    state, _, chosen = lived
    text = state.to_json()
    assert CardState.from_json(text) == state
    # the answer path formats states itself: it must write what json.dumps writes
    assert text == json_of(state)
    for odd in (replace(state, reps=state.reps + 1), replace(state, lapses=0)):
        assert odd.to_json() == json_of(odd)
    assert SchedulerSettings.from_json(chosen.to_json()) == chosen
    assert chosen.problems() == ()
