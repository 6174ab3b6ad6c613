"""How well a student knows one step of a pathway: shared by statistics and the diagram."""

from __future__ import annotations

from dataclasses import dataclass

from metaflash.core.decks.model import StepId


@dataclass(frozen=True, slots=True)
class StepMastery:
    """``studied`` of ``total`` prompts have been reviewed; ``recall`` is their mean
    predicted recall now (0..1), or None when none has been studied yet."""

    step_id: StepId
    total: int
    studied: int
    recall: float | None

    @property
    def level(self) -> str:
        """A word for the colour legend, so colour is never the only signal."""
        if self.total == 0:
            return "no cards"
        if self.recall is None or self.studied == 0:
            return "not started"
        if self.recall >= 0.9 and self.studied == self.total:
            return "mastered"
        if self.recall >= 0.7:
            return "learning"
        return "weak"

    def label(self) -> str:
        """E.g. ``"7/9 cards, 82% recall"``."""
        cards = f"{self.studied}/{self.total} cards"
        if self.recall is None:
            return f"{cards}, not studied yet" if self.total else "no cards"
        return f"{cards}, {round(self.recall * 100)}% recall"
