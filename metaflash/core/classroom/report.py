"""The class's mastery, from the summaries its students shared (:mod:`.summary`).

Per diagram step: how many students studied it, their mean predicted recall and how often
they lapse per answer; per card the same, so that the cards the class forgets most come first.
A figure that rests on fewer than :data:`MIN_STUDENTS` students is hidden (None): with a few
students, an average would say something about one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metaflash.core.classroom.summary import (
    CLASS_FORMAT,
    STUDENTS_FOLDER,
    ClassInfo,
    read_class,
)
from metaflash.core.stats.mastery import CLASS_MIN_STUDENTS

#: The fewest students a figure may rest on.
MIN_STUDENTS = CLASS_MIN_STUDENTS


@dataclass(frozen=True, slots=True)
class Figure:
    """A class figure: how many students it rests on, and the values (None when hidden)."""

    students: int
    recall: float | None  # mean predicted recall, 0..1
    lapse_rate: float | None  # lapses per answer

    @property
    def hidden(self) -> bool:
        return self.students < MIN_STUDENTS


@dataclass(frozen=True, slots=True)
class StepFigure:
    step: str
    figure: Figure


@dataclass(frozen=True, slots=True)
class CardFigure:
    deck: str
    card: str
    variant: str
    figure: Figure


@dataclass(frozen=True, slots=True)
class ClassReport:
    info: ClassInfo
    students: int
    steps: tuple[StepFigure, ...]
    #: the cards the class forgets most first (the hidden ones are left out)
    cards: tuple[CardFigure, ...]
    hidden_cards: int  # cards studied by fewer than MIN_STUDENTS students
    problems: tuple[tuple[Path, str], ...]  # files that were skipped, and why


def _figure(recalls: list[float], lapses: int, reviews: int) -> Figure:
    students = len(recalls)
    if students < MIN_STUDENTS:
        return Figure(students, None, None)
    return Figure(students, sum(recalls) / students, lapses / reviews if reviews else 0.0)


def _number(value: Any, low: float, high: float) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and low <= value <= high


def _valid(data: Any, info: ClassInfo) -> str | None:
    """Why ``data`` is not a summary of this class (None: it is)."""
    if not isinstance(data, dict) or data.get("format") != CLASS_FORMAT:
        return "not a class summary this metaflash reads"
    if data.get("class") != info.id:
        return "a summary for another class"
    if not isinstance(data.get("student"), str) or not isinstance(data.get("day"), str):
        return 'it needs a "student" and a "day"'
    for key, fields in (("cards", ("deck", "card", "variant")), ("steps", ("step",))):
        rows = data.get(key)
        if not isinstance(rows, list):
            return f'"{key}" must be a list'
        for row in rows:
            if not isinstance(row, dict) or not all(isinstance(row.get(f), str) for f in fields):
                return f'a row of "{key}" lacks {", ".join(fields)}'
            if not (
                _number(row.get("reviews"), 0, 1e9)
                and _number(row.get("lapses"), 0, 1e9)
                and _number(row.get("recall"), 0, 1)
            ):
                return f'a row of "{key}" has counts or a recall out of range'
    return None


def class_report(folder: Path) -> ClassReport:
    """Read every student's summary in the class folder and put the class's figures together."""
    if folder.is_file():  # its class.json, given for the folder
        folder = folder.parent
    info = read_class(folder)
    latest: dict[str, dict[str, Any]] = {}
    problems: list[tuple[Path, str]] = []
    for path in sorted((folder / STUDENTS_FOLDER).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.append((path, f"cannot be read ({error})"))
            continue
        reason = _valid(data, info)
        if reason is not None:
            problems.append((path, reason))
            continue
        if not data["cards"]:  # nothing studied yet: not counted as a student
            continue
        known = latest.get(data["student"])
        if known is None or data["day"] > known["day"]:  # a sync tool's older copy loses
            latest[data["student"]] = data
    steps: dict[str, tuple[list[float], list[int]]] = {}
    cards: dict[tuple[str, str, str], tuple[list[float], list[int]]] = {}
    for data in latest.values():
        for row in data["steps"]:
            recalls, counts = steps.setdefault(row["step"], ([], [0, 0]))
            recalls.append(float(row["recall"]))
            counts[0] += int(row["lapses"])
            counts[1] += int(row["reviews"])
        for row in data["cards"]:
            recalls, counts = cards.setdefault(
                (row["deck"], row["card"], row["variant"]), ([], [0, 0])
            )
            recalls.append(float(row["recall"]))
            counts[0] += int(row["lapses"])
            counts[1] += int(row["reviews"])
    step_figures = tuple(
        StepFigure(step, _figure(recalls, lapses, reviews))
        for step, (recalls, (lapses, reviews)) in sorted(steps.items())
    )
    card_figures = [
        CardFigure(deck, card, variant, _figure(recalls, lapses, reviews))
        for (deck, card, variant), (recalls, (lapses, reviews)) in cards.items()
    ]
    shown = [c for c in card_figures if not c.figure.hidden]
    shown.sort(
        key=lambda c: (-(c.figure.lapse_rate or 0.0), c.figure.recall or 0.0, c.deck, c.card)
    )
    return ClassReport(
        info,
        len(latest),
        step_figures,
        tuple(shown),
        len(card_figures) - len(shown),
        tuple(problems),
    )
