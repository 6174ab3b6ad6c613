"""Study days: a day of study starts at a configurable local hour (04:00 by default, as Anki).

Reviews "due today" are those due before the next day start, in the user's time zone. The
time zone is passed in (a :class:`zoneinfo.ZoneInfo` or any ``tzinfo``); :func:`local_timezone`
finds the user's at the edges of the program (the window, the command line), never deep inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NewType

import tzlocal

#: A study day, counted as the proleptic Gregorian ordinal of its local date (date.toordinal()).
DayNumber = NewType("DayNumber", int)

DEFAULT_DAY_START_HOUR = 4


def require_utc(value: datetime, what: str = "now") -> datetime:
    """``value`` as an aware UTC datetime; a naive datetime is a ValueError."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got naive {value!r}")
    return value.astimezone(UTC)


def local_timezone() -> tzinfo:
    """The user's time zone (from $TZ or the system setting), for the program's edges."""
    return tzlocal.get_localzone()


@dataclass(frozen=True, slots=True)
class StudyDay:
    """Maps instants to study days in ``timezone``, with days starting at ``start_hour``."""

    timezone: tzinfo
    start_hour: int = DEFAULT_DAY_START_HOUR

    def __post_init__(self) -> None:
        if not 0 <= self.start_hour <= 23:
            raise ValueError(f"the study day must start at an hour 0..23, got {self.start_hour}")

    def day_of(self, instant: datetime) -> DayNumber:
        """The study day ``instant`` falls in."""
        local = require_utc(instant, "instant").astimezone(self.timezone)
        shifted = local - timedelta(hours=self.start_hour)
        return DayNumber(shifted.date().toordinal())

    def start_of(self, day: DayNumber) -> datetime:
        """When study day ``day`` starts, in UTC (the local ``start_hour`` of its date)."""
        local = datetime.combine(date.fromordinal(day), time(self.start_hour), self.timezone)
        # A start hour inside a DST gap: zoneinfo resolves it like the wall clock (fold=0).
        return local.astimezone(UTC)

    def end_of(self, day: DayNumber) -> datetime:
        """When study day ``day`` ends: the start of the next one, in UTC."""
        return self.start_of(DayNumber(day + 1))

    def date_of(self, day: DayNumber) -> date:
        """The calendar date a study day is named by."""
        return date.fromordinal(day)
