"""How much to study each day, and when a card becomes a leech. Stored in the collection."""

from __future__ import annotations

import json
from dataclasses import dataclass

from metaflash.core.scheduling.study_day import DEFAULT_DAY_START_HOUR

_FORMAT = 1


@dataclass(frozen=True, slots=True)
class StudySettings:
    """Daily limits count what was already studied that day; they apply per study session
    scope (a deck with its sub-decks, or a diagram step)."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8  # lapses; then again every half of it (8, 12, 16, ...)
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    learn_ahead_minutes: int = 20  # when nothing else is left, show learning cards this early
    #: Anki's two sibling settings: once one prompt of a card is answered, its other new
    #: prompts (and its other reviews) wait for the next study day, so that one side of a
    #: card never gives another away on the same day. On by default here: a cloze's gaps
    #: and a reverse card's sides show each other's answers.
    bury_new_siblings: bool = True
    bury_review_siblings: bool = True

    def problems(self) -> tuple[str, ...]:
        problems: list[str] = []
        if not 0 <= self.new_per_day <= 9999:
            problems.append(f"new cards per day must be 0..9999, got {self.new_per_day}")
        if not 0 <= self.reviews_per_day <= 99999:
            problems.append(f"reviews per day must be 0..99999, got {self.reviews_per_day}")
        if not 1 <= self.leech_threshold <= 99:
            problems.append(f"the leech threshold must be 1..99 lapses, got {self.leech_threshold}")
        if not 0 <= self.day_start_hour <= 23:
            problems.append(f"the study day must start at an hour 0..23, got {self.day_start_hour}")
        if not 0 <= self.learn_ahead_minutes <= 24 * 60:
            problems.append(f"learn ahead must be 0..1440 minutes, got {self.learn_ahead_minutes}")
        return tuple(problems)

    def quotas(self, new_done: int, reviews_done: int) -> tuple[int, int]:
        """How many new cards and reviews are still allowed today, after those done."""
        return max(0, self.new_per_day - new_done), max(0, self.reviews_per_day - reviews_done)

    def is_leech(self, lapses: int) -> bool:
        """True when reaching ``lapses`` makes a card a leech (Anki's rule)."""
        if lapses < self.leech_threshold:
            return False
        step = max(1, self.leech_threshold // 2)
        return (lapses - self.leech_threshold) % step == 0

    def to_json(self) -> str:
        data = {
            "v": _FORMAT,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "leech_threshold": self.leech_threshold,
            "day_start_hour": self.day_start_hour,
            "learn_ahead_minutes": self.learn_ahead_minutes,
            "bury_new_siblings": self.bury_new_siblings,
            "bury_review_siblings": self.bury_review_siblings,
        }
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @staticmethod
    def from_json(text: str) -> StudySettings:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"study settings are not valid JSON: {error}") from error
        if not isinstance(data, dict) or data.get("v") != _FORMAT:
            raise ValueError("study settings were written by a newer metaflash")
        defaults = StudySettings()

        def whole(key: str, default: int) -> int:
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"study settings: {key} must be a whole number, got {value!r}")
            return value

        def flag(key: str, default: bool) -> bool:
            value = data.get(key, default)
            if not isinstance(value, bool):
                raise ValueError(f"study settings: {key} must be true or false, got {value!r}")
            return value

        return StudySettings(
            bury_new_siblings=flag("bury_new_siblings", defaults.bury_new_siblings),
            bury_review_siblings=flag("bury_review_siblings", defaults.bury_review_siblings),
            new_per_day=whole("new_per_day", defaults.new_per_day),
            reviews_per_day=whole("reviews_per_day", defaults.reviews_per_day),
            leech_threshold=whole("leech_threshold", defaults.leech_threshold),
            day_start_hour=whole("day_start_hour", defaults.day_start_hour),
            learn_ahead_minutes=whole("learn_ahead_minutes", defaults.learn_ahead_minutes),
        )
