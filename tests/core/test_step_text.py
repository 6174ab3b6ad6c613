"""Learning steps as typed in the settings: parsed, refused with the word at fault, written back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from metaflash.core.scheduling.step_text import StepsError, format_steps, parse_steps

M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("1m 10m", (M, 10 * M)),
        ("30s, 5m,1h", (timedelta(seconds=30), 5 * M, timedelta(hours=1))),
        ("1D", (timedelta(days=1),)),
        ("1.5h", (90 * M,)),
        ("", ()),
        ("   ", ()),
    ],
)
def test_parse_steps(text: str, steps: tuple[timedelta, ...]) -> None:
    assert parse_steps(text) == steps


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10", "'10' is not a step"),
        ("1m 10 m", "'10' is not a step"),
        ("5min", "'5min' is not a step"),
        ("-1m", "'-1m' is not a step"),
        ("0.5s", "not a whole number of seconds"),
    ],
)
def test_bad_steps_name_the_word(text: str, message: str) -> None:
    with pytest.raises(StepsError, match=message):
        parse_steps(text)


def test_format_steps_uses_the_largest_whole_unit() -> None:
    steps = (timedelta(seconds=30), M, 90 * M, timedelta(hours=2), timedelta(days=1))
    assert format_steps(steps) == "30s 1m 90m 2h 1d"
    assert parse_steps(format_steps(steps)) == steps
