"""How well a student knows one step of a pathway: shared by statistics and the diagram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metaflash.core.decks.model import StepId
from metaflash.core.scheduling.scheduler import CardState, SchedulerSettings, retrievability


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
        """E.g. ``"7/9 cards, 82% recall"``."""
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


def step_mastery_of(
    step_id: StepId, total: int, recalls: list[float], forgotten: int
) -> StepMastery:
    """A step's mastery from its prompts' :func:`prompt_recall` values."""
    recall = sum(recalls) / len(recalls) if recalls else None
    return StepMastery(step_id, total, len(recalls), recall, forgotten)
