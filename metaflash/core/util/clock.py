"""What time it is, as the command line is given it: a function returning the current UTC
instant. The command line passes :func:`system_now`; tests pass a clock of their own, so no
test reads the real time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

#: A source of the current instant, timezone-aware in UTC.
Now = Callable[[], datetime]


def system_now() -> datetime:
    """The computer's clock, in UTC."""
    return datetime.now(UTC)
