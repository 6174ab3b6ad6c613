"""The time the window works with, injected so that tests decide what time it is.

``now()`` is the wall-clock instant in UTC (what the study engine is given); ``elapsed_ms()``
is a monotonic millisecond counter for how long a card was on screen (never affected by the
wall clock being changed). :class:`SystemClock` is the real one.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Protocol

from PySide6.QtCore import QElapsedTimer

from metaflash.core.scheduling.study_day import local_timezone


class Clock(Protocol):
    timezone: tzinfo

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...

    def elapsed_ms(self) -> int:
        """Milliseconds on a monotonic clock (only differences mean anything)."""
        ...


class SystemClock:
    """The computer's clock and time zone."""

    def __init__(self, timezone: tzinfo | None = None) -> None:
        self.timezone = timezone or local_timezone()
        self._timer = QElapsedTimer()
        self._timer.start()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def elapsed_ms(self) -> int:
        return int(self._timer.elapsed())
