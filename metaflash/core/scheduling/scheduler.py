"""The pure scheduling step: a card's state, the time and the settings in; all four next states out.

FSRS-6 maths comes from the ``fsrs`` package (py-fsrs). Fuzz does not: py-fsrs draws it from
the global :mod:`random` module, so metaflash asks py-fsrs for unfuzzed intervals and applies
fuzz itself from an explicit seed (:func:`fuzz_seed`). One call to :func:`next_states` gives the
four outcomes, so the answer buttons show exactly the intervals that answering will commit.

Review intervals are whole days. Like Anki, the passing answers of a review get strictly
increasing intervals (Hard < Good < Easy, each above Again when Again also stays in review),
unless the maximum interval caps them; fuzz moves an interval within FSRS's fuzz range
(about ±15% at a week, ±5% beyond three weeks), never below the interval of a lower answer.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum

import fsrs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS as _FSRS_DEFAULT_PARAMETERS,
)
from fsrs.scheduler import (
    FUZZ_RANGES as _FSRS_FUZZ_RANGES,
)
from fsrs.scheduler import (
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "NEW_CARD",
    "CardState",
    "NextStates",
    "Outcome",
    "Phase",
    "Rating",
    "SchedulerSettings",
    "format_interval",
    "fuzz_seed",
    "next_states",
    "retrievability",
]


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Phase(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


#: FSRS-6's 21 default parameters, as py-fsrs ships them.
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(float(w) for w in _FSRS_DEFAULT_PARAMETERS)

_STATE_FORMAT = 1
_PHASE_VALUES = frozenset(phase.value for phase in Phase)
_SETTINGS_FORMAT = 1
_ONE_DAY = timedelta(days=1)


def _require_aware(value: datetime, what: str) -> datetime:
    """``value`` in UTC (``UTC``); a naive datetime is a ValueError."""
    if value.tzinfo is UTC:  # the common case, on the answer path: nothing to convert
        return value
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{what} must be a timezone-aware datetime (UTC), got naive {value!r}")
    return value.astimezone(UTC)


def _format_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


_JSON_NUMBERS = frozenset({float, int, type(None)})
_JSON_INTS = frozenset({int, type(None)})


def _json_number(value: float | None) -> str:
    # float.__repr__ is what json.dumps writes for a finite float; validation keeps NaN out
    return "null" if value is None else repr(value)


def _json_time(value: datetime | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _parse_time(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be an ISO 8601 time or null, got {value!r}")
    return _require_aware(datetime.fromisoformat(value), what)


def _parse_optional_float(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number or null, got {value!r}")
    return float(value)


def _parse_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    return value


def _load_object(text: str, what: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{what} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a JSON object, got {text[:60]!r}")
    return data


@dataclass(frozen=True, slots=True)
class CardState:
    """Where one prompt stands in its learning: the FSRS memory state plus the schedule.

    Times are timezone-aware and normalised to UTC. A new card has no memory state and no due
    time; every other phase has stability, difficulty, a due time and a last review. Learning
    and relearning cards have a step index; review cards do not.
    """

    phase: Phase = Phase.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def __post_init__(self) -> None:
        if type(self.phase) is not Phase:
            object.__setattr__(self, "phase", Phase(self.phase))
        if self.due is not None:
            object.__setattr__(self, "due", _require_aware(self.due, "CardState.due"))
        if self.last_review is not None:
            object.__setattr__(
                self, "last_review", _require_aware(self.last_review, "CardState.last_review")
            )
        problems = self._problems()
        if problems:
            raise ValueError("invalid card state: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if self.reps < 0 or self.lapses < 0:
            problems.append("reps and lapses cannot be negative")
        if self.lapses > self.reps:
            problems.append("a card cannot have more lapses than reviews")
        if self.phase is Phase.NEW:
            if any(
                value is not None
                for value in (self.step, self.stability, self.difficulty, self.last_review)
            ):
                problems.append("a new card has no step, memory state or last review")
            return problems
        if self.stability is None or self.difficulty is None:
            problems.append(f"a {self.phase} card needs stability and difficulty")
        else:
            if not (math.isfinite(self.stability) and self.stability > 0):
                problems.append(f"stability must be a positive number, got {self.stability}")
            if not (math.isfinite(self.difficulty) and 1.0 <= self.difficulty <= 10.0):
                problems.append(f"difficulty must lie in 1..10, got {self.difficulty}")
        if self.due is None or self.last_review is None:
            problems.append(f"a {self.phase} card needs a due time and a last review")
        if self.phase is Phase.REVIEW:
            if self.step is not None:
                problems.append("a review card has no learning step")
        elif self.step is None or self.step < 0:
            problems.append(f"a {self.phase} card needs a step index (0 or more)")
        return problems

    def to_json(self) -> str:
        """Compact JSON with sorted keys; :meth:`from_json` gives back an equal state.

        Written on every answer (twice: the state before and after), so the usual field types
        are formatted directly, as :func:`json.dumps` would write them (the tests compare the
        two); anything else (an int subclass, say) goes through :func:`json.dumps`."""
        stability, difficulty, step = self.stability, self.difficulty, self.step
        if (
            type(stability) in _JSON_NUMBERS
            and type(difficulty) in _JSON_NUMBERS
            and type(step) in _JSON_INTS
            and type(self.reps) is int
            and type(self.lapses) is int
        ):
            return (
                f'{{"difficulty":{_json_number(difficulty)},"due":{_json_time(self.due)},'
                f'"lapses":{self.lapses},"last_review":{_json_time(self.last_review)},'
                f'"phase":"{self.phase.value}","reps":{self.reps},'
                f'"stability":{_json_number(stability)},"step":{_json_number(step)},'
                f'"v":{_STATE_FORMAT}}}'
            )
        return self._to_json_general()

    def _to_json_general(self) -> str:
        data = {
            "v": _STATE_FORMAT,
            "phase": self.phase.value,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": _format_time(self.due),
            "last_review": _format_time(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
        }
        return json.dumps(data, separators=(",", ":"), sort_keys=True, allow_nan=False)

    @staticmethod
    def from_json(text: str) -> CardState:
        """Parse :meth:`to_json` output; anything else is a ValueError saying what is wrong."""
        data = _load_object(text, "card state")
        version = data.get("v")
        if version != _STATE_FORMAT:
            raise ValueError(
                f"card state format {version!r} is not {_STATE_FORMAT}; "
                "it was written by a newer metaflash"
            )
        phase = data.get("phase")
        if phase not in _PHASE_VALUES:
            raise ValueError(f"unknown card phase {phase!r}")
        step = data.get("step")
        return CardState(
            phase=Phase(str(phase)),
            step=None if step is None else _parse_int(step, "step"),
            stability=_parse_optional_float(data.get("stability"), "stability"),
            difficulty=_parse_optional_float(data.get("difficulty"), "difficulty"),
            due=_parse_time(data.get("due"), "due"),
            last_review=_parse_time(data.get("last_review"), "last_review"),
            reps=_parse_int(data.get("reps", 0), "reps"),
            lapses=_parse_int(data.get("lapses", 0), "lapses"),
        )


NEW_CARD = CardState()

_MIN_RETENTION = 0.70
_MAX_RETENTION = 0.99
_MAX_INTERVAL_LIMIT = 36500
_MAX_STEPS = 10


def _steps_problems(name: str, steps: tuple[timedelta, ...]) -> list[str]:
    problems: list[str] = []
    if len(steps) > _MAX_STEPS:
        problems.append(f"{name}: at most {_MAX_STEPS} steps, got {len(steps)}")
    for index, step in enumerate(steps, start=1):
        if step <= timedelta(0) or step > _ONE_DAY:
            problems.append(
                f"{name}: step {index} is {step}; each step must be longer than 0 "
                "and at most one day"
            )
        elif step.microseconds:
            problems.append(f"{name}: step {index} is {step}; use whole seconds")
    for index, (shorter, longer) in enumerate(itertools.pairwise(steps), start=2):
        if longer < shorter:
            problems.append(f"{name}: step {index} ({longer}) is shorter than the step before it")
    return problems


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """Everything that decides a schedule. Stored beside each review to say what was in force."""

    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = _MAX_INTERVAL_LIMIT
    fuzz: bool = True

    def problems(self) -> tuple[str, ...]:
        """Human-readable reasons these settings cannot be used; empty when they are valid."""
        problems: list[str] = []
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            problems.append(
                f"FSRS-6 needs {len(DEFAULT_PARAMETERS)} parameters, got {len(self.parameters)}"
            )
        else:
            for index, (value, low, high) in enumerate(
                zip(self.parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
            ):
                if not (math.isfinite(value) and low <= value <= high):
                    problems.append(f"parameter w[{index}] = {value} lies outside {low}..{high}")
        if not (
            math.isfinite(self.desired_retention)
            and _MIN_RETENTION <= self.desired_retention <= _MAX_RETENTION
        ):
            problems.append(
                f"desired retention {self.desired_retention} lies outside "
                f"{_MIN_RETENTION:.2f}..{_MAX_RETENTION:.2f}"
            )
        problems += _steps_problems("learning steps", self.learning_steps)
        problems += _steps_problems("relearning steps", self.relearning_steps)
        if not 1 <= self.maximum_interval_days <= _MAX_INTERVAL_LIMIT:
            problems.append(
                f"maximum interval {self.maximum_interval_days} days lies outside "
                f"1..{_MAX_INTERVAL_LIMIT}"
            )
        return tuple(problems)

    def to_json(self) -> str:
        """Compact JSON with sorted keys; steps in seconds."""
        data = {
            "v": _SETTINGS_FORMAT,
            "parameters": list(self.parameters),
            "desired_retention": self.desired_retention,
            "learning_steps": [int(step.total_seconds()) for step in self.learning_steps],
            "relearning_steps": [int(step.total_seconds()) for step in self.relearning_steps],
            "maximum_interval_days": self.maximum_interval_days,
            "fuzz": self.fuzz,
        }
        return json.dumps(data, separators=(",", ":"), sort_keys=True, allow_nan=False)

    @staticmethod
    def from_json(text: str) -> SchedulerSettings:
        """Parse :meth:`to_json` output. The result may still have :meth:`problems`."""
        data = _load_object(text, "scheduler settings")
        version = data.get("v")
        if version != _SETTINGS_FORMAT:
            raise ValueError(
                f"scheduler settings format {version!r} is not {_SETTINGS_FORMAT}; "
                "they were written by a newer metaflash"
            )

        def numbers(key: str) -> list[float]:
            value = data.get(key)
            if not isinstance(value, list) or not all(
                isinstance(item, (int, float)) and not isinstance(item, bool) for item in value
            ):
                raise ValueError(f"scheduler settings: {key} must be a list of numbers")
            return [float(item) for item in value]

        def seconds(key: str) -> tuple[timedelta, ...]:
            return tuple(timedelta(seconds=value) for value in numbers(key))

        parameters = tuple(numbers("parameters"))
        learning_steps = seconds("learning_steps")
        relearning_steps = seconds("relearning_steps")
        retention = _parse_optional_float(data.get("desired_retention"), "desired_retention")
        fuzz = data.get("fuzz")
        if retention is None or not isinstance(fuzz, bool):
            raise ValueError("scheduler settings need desired_retention and fuzz (true/false)")
        return SchedulerSettings(
            parameters=parameters,
            desired_retention=retention,
            learning_steps=learning_steps,
            relearning_steps=relearning_steps,
            maximum_interval_days=_parse_int(
                data.get("maximum_interval_days"), "maximum_interval_days"
            ),
            fuzz=fuzz,
        )

    def fingerprint(self) -> str:
        """A short stable hash of :meth:`to_json`: equal settings, equal fingerprint."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Outcome:
    rating: Rating
    state: CardState
    interval: timedelta


@dataclass(frozen=True, slots=True)
class NextStates:
    again: Outcome
    hard: Outcome
    good: Outcome
    easy: Outcome
    _by_rating: tuple[Outcome, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        outcomes = (self.again, self.hard, self.good, self.easy)
        for rating, outcome in zip(Rating, outcomes):
            if outcome.rating is not rating:
                raise ValueError(f"the {rating.name.lower()} outcome has rating {outcome.rating}")
        object.__setattr__(self, "_by_rating", outcomes)

    def __getitem__(self, rating: Rating) -> Outcome:
        return self._by_rating[Rating(rating) - 1]

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self._by_rating)


# --- FSRS through py-fsrs ------------------------------------------------------------------

_PHASE_TO_FSRS = {
    Phase.NEW: fsrs.State.Learning,
    Phase.LEARNING: fsrs.State.Learning,
    Phase.REVIEW: fsrs.State.Review,
    Phase.RELEARNING: fsrs.State.Relearning,
}
_FSRS_TO_PHASE = {
    fsrs.State.Learning: Phase.LEARNING,
    fsrs.State.Review: Phase.REVIEW,
    fsrs.State.Relearning: Phase.RELEARNING,
}


_RATINGS = tuple((rating, fsrs.Rating(int(rating))) for rating in Rating)


@functools.lru_cache(maxsize=16)
def _fsrs_scheduler(settings: SchedulerSettings) -> fsrs.Scheduler:
    """py-fsrs's scheduler for ``settings``, with its own (global-random) fuzz turned off."""
    problems = settings.problems()
    if problems:
        raise ValueError("invalid scheduler settings: " + "; ".join(problems))
    return fsrs.Scheduler(
        parameters=settings.parameters,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=False,
    )


class _FsrsCard(fsrs.Card):
    """py-fsrs's card, copied cheaply: ``Scheduler.review_card`` starts with ``copy(card)``,
    which for a plain class goes through ``__reduce_ex__`` (a quarter of a review's time)."""

    def __copy__(self) -> _FsrsCard:
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        return twin


def _to_fsrs_card(state: CardState, now: datetime) -> fsrs.Card:
    return _FsrsCard(
        card_id=0,
        state=_PHASE_TO_FSRS[state.phase],
        step=0 if state.phase is Phase.NEW else state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due or now,
        last_review=state.last_review,
    )


def _fuzz_bounds(days: int, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole-day range fuzz may move ``days`` within, kept inside ``minimum..maximum``."""
    if days < 2.5:
        low = high = days
    else:
        delta = 1.0
        for fuzz_range in _FSRS_FUZZ_RANGES:
            delta += fuzz_range["factor"] * max(
                min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
            )
        low = max(2, round(days - delta))
        high = round(days + delta)
    low = min(max(low, minimum), maximum)
    high = min(max(high, minimum), maximum)
    return low, high


def _review_days(days: int, minimum: int, maximum: int, fuzz_factor: float | None) -> int:
    """``days`` kept within ``minimum..maximum`` and, with a fuzz factor in [0, 1), fuzzed."""
    if fuzz_factor is None:
        return min(max(days, minimum), maximum)
    low, high = _fuzz_bounds(days, minimum, maximum)
    return min(low + math.floor(fuzz_factor * (high - low + 1)), high)


def next_states(
    state: CardState, now: datetime, settings: SchedulerSettings, fuzz_seed: int
) -> NextStates:
    """The state each answer would lead to at ``now``. Pure: no clock, no global randomness.

    ``now`` must be timezone-aware (naive is a ValueError); invalid ``settings`` are a
    ValueError listing :meth:`SchedulerSettings.problems`.
    """
    now = _require_aware(now, "now")
    scheduler = _fsrs_scheduler(settings)
    fuzz_factor = random.Random(fuzz_seed).random() if settings.fuzz else None
    maximum = settings.maximum_interval_days
    card = _to_fsrs_card(state, now)  # py-fsrs copies the card it reviews: one serves all four
    reps, lapses = state.reps + 1, state.lapses
    in_review = state.phase is Phase.REVIEW

    outcomes: list[Outcome] = []
    floor_days = 1  # the next passing review interval must be at least this
    for rating, fsrs_rating in _RATINGS:
        reviewed, _ = scheduler.review_card(card, fsrs_rating, review_datetime=now)
        phase = _FSRS_TO_PHASE[reviewed.state]
        due = reviewed.due
        if phase is Phase.REVIEW:
            days = (due - now).days
            minimum = floor_days if rating is not Rating.AGAIN else 1
            days = _review_days(days, minimum, maximum, fuzz_factor)
            floor_days = min(days + 1, maximum)
            due = now + timedelta(days=days)
        new_state = CardState(
            phase=phase,
            step=reviewed.step if phase is not Phase.REVIEW else None,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            due=due,
            last_review=now,
            reps=reps,
            lapses=lapses + 1 if in_review and rating is Rating.AGAIN else lapses,
        )
        outcomes.append(Outcome(rating, new_state, due - now))
    return NextStates(*outcomes)


def fuzz_seed(deck_id: str, card_id: str, variant: str, reps: int) -> int:
    """A 63-bit seed from a prompt's identity and review count, equal on every run and platform."""
    key = "\x1f".join((deck_id, card_id, variant, str(reps)))
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def retrievability(state: CardState, now: datetime, settings: SchedulerSettings) -> float:
    """FSRS's predicted probability of recall at ``now`` (whole days elapsed); 0 for new cards."""
    now = _require_aware(now, "now")
    if state.phase is Phase.NEW or state.stability is None or state.last_review is None:
        return 0.0
    scheduler = _fsrs_scheduler(settings)
    value = scheduler.get_card_retrievability(_to_fsrs_card(state, now), current_datetime=now)
    return min(max(float(value), 0.0), 1.0)


# --- labels ---------------------------------------------------------------------------------

_UNITS: tuple[tuple[str, float, float], ...] = (
    # label, seconds per unit, the unit's upper end in seconds
    ("m", 60.0, 3600.0),
    ("h", 3600.0, 86400.0),
    ("d", 86400.0, 30 * 86400.0),
    ("mo", 30 * 86400.0, 365 * 86400.0),
    ("y", 365 * 86400.0, math.inf),
)


def format_interval(interval: timedelta) -> str:
    """An Anki-like short label: ``<1m``, ``10m``, ``1.5h``, ``3d``, ``1.2mo``, ``2.5y``.

    Minutes and days are whole; hours, months (30 days) and years (365 days) keep one
    decimal when it is not zero. Negative intervals are a ValueError.
    """
    seconds = interval.total_seconds()
    if seconds < 0:
        raise ValueError(f"an interval cannot be negative: {interval}")
    if seconds < 59.5:
        return "<1m"
    for label, unit, end in _UNITS:
        decimals = 1 if label in {"h", "mo", "y"} else 0
        value = round(seconds / unit, decimals)
        if value * unit < end:
            text = f"{value:.{decimals}f}"
            if decimals and text.endswith(".0"):
                text = text[:-2]
            return f"{text}{label}"
    raise AssertionError("unreachable: years have no upper end")
