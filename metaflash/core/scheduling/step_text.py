"""Learning steps as people type them: ``"1m 10m"``, ``"30s, 5m, 1h"``, ``"1d"``.

:func:`parse_steps` turns such text into durations or says exactly which word is wrong;
:func:`format_steps` writes durations back in the shortest whole unit. The scheduler's own
checks (:meth:`metaflash.core.scheduling.scheduler.SchedulerSettings.problems`) still apply on top.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_SEPARATORS = re.compile(r"[\s,]+")


class StepsError(ValueError):
    """The text is not a list of steps; the message says which word and how to write it."""


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """``"1m 10m"`` -> (1 minute, 10 minutes). Units: s, m, h, d. Empty text: no steps."""
    words = [word for word in _SEPARATORS.split(text.strip().lower()) if word]
    steps: list[timedelta] = []
    for word in words:
        match = _STEP.match(word)
        if match is None:
            raise StepsError(
                f"'{word}' is not a step: write a number and a unit (s, m, h or d), e.g. 1m 10m"
            )
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if seconds != int(seconds):
            raise StepsError(f"'{word}' is not a whole number of seconds")
        steps.append(timedelta(seconds=int(seconds)))
    return tuple(steps)


def format_step(step: timedelta) -> str:
    seconds = int(step.total_seconds())
    for unit in ("d", "h", "m"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def format_steps(steps: Sequence[timedelta]) -> str:
    """(1 minute, 10 minutes) -> ``"1m 10m"``."""
    return " ".join(format_step(step) for step in steps)
