"""How well a student knows one step of a pathway: shared by statistics and the diagram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metaflash.core.decks.model import StepId
from metaflash.core.scheduling.scheduler import CardState, SchedulerSettings, retrievability

#: The fewest students a class figure may rest on (fewer: the figure is hidden).
CLASS_MIN_STUDENTS = 5


@dataclass(frozen=True, slots=True)
class StepMastery:
    """``studied`` of ``total`` prompts have been reviewed; ``recall`` is their mean recall
    now (0..1, see :func:`prompt_recall`), or None when none has been studied yet;
    ``forgotten`` of them were last answered Again (they count 0 until answered right)."""

    step_id: StepId
    total: int
    studied: int
    recall: float | None
    forgotten: int = 0
    #: a class's mastery (:mod:`metaflash.core.classroom`): the students it rests on
    class_students: int | None = None

    @property
    def level(self) -> str:
        """A word for the colour legend, so colour is never the only signal."""
        if self.total == 0:
            return "no cards"
        if self.recall is None or self.studied == 0:
            return "not started"
        if self.recall >= 0.9 and self.studied == self.total and not self.forgotten:
            return "mastered"
        if self.recall >= 0.7:
            return "learning"
        return "weak"

    def label(self) -> str:
        """E.g. ``"7/9 cards, 82% recall"`` (a class's: ``"82% recall, 12 students"``)."""
        if self.class_students is not None:
            if self.recall is None:
                return f"fewer than {CLASS_MIN_STUDENTS} students"
            return f"{round(self.recall * 100)}% recall, {self.class_students} students"
        cards = f"{self.studied}/{self.total} cards"
        if self.recall is None:
            return f"{cards}, not studied yet" if self.total else "no cards"
        text = f"{cards}, {round(self.recall * 100)}% recall"
        return text + (f", {self.forgotten} forgotten" if self.forgotten else "")


def prompt_recall(
    state: CardState, forgotten: bool, now: datetime, settings: SchedulerSettings
) -> float:
    """How well one studied prompt is known now, for step mastery: 0 while its last answer
    was Again (it was just forgotten: FSRS's predicted recall right after a lapse is near
    100%, because it was *just* seen, which would call a failed card mastered); otherwise
    FSRS's predicted recall (retrievability) at ``now``."""
    return 0.0 if forgotten else retrievability(state, now, settings)


def class_step_mastery(step_id: StepId, students: int, recall: float | None) -> StepMastery:
    """A class's mastery of a step: its students' mean recall (None: hidden, too few)."""
    return StepMastery(step_id, students, students, recall, 0, students)


def step_mastery_of(
    step_id: StepId, total: int, recalls: list[float], forgotten: int
) -> StepMastery:
    """A step's mastery from its prompts' :func:`prompt_recall` values."""
    recall = sum(recalls) / len(recalls) if recalls else None
    return StepMastery(step_id, total, len(recalls), recall, forgotten)
