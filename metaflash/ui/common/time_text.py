"""Lengths of time as the window writes them: ``45 s``, ``4 min``, ``1 h 05 min``."""

from __future__ import annotations

from datetime import timedelta


def duration_text(spent: timedelta) -> str:
    """``"45 s"``, ``"4 min"``, ``"1 h 05 min"``."""
    seconds = round(spent.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
