"""What a review shows on the deck's diagram for one prompt, before and after the answer.

The review screen asks :func:`diagram_cue` and does what the cue says, so that every card
type uses the diagram the same way and the rules are tested without Qt:

- a ``diagram`` card highlights nothing while it asks (that would give the answer away): the
  student picks a step (``pick``), and the answer shows that step;
- a sequence card whose ``stages`` are given shows, for "what comes after step *k*?", step
  *k* while asking and the step that comes next with the answer; steps without a stage, and
  the "put these in order" prompt, fall back to the card's ``stage``;
- every other prompt highlights the card's ``stage`` (if any) on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from metaflash.core.decks.model import CardType, Prompt, StepId

_NEXT: Final = re.compile(r"next-([1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class DiagramCue:
    """``asking``: the step to highlight with the question; ``pick``: the step the student
    must pick on the diagram (diagram cards), else ``None``; ``answered``: the step to
    highlight once the answer shows (or the pick is made)."""

    asking: StepId | None
    pick: StepId | None
    answered: StepId | None


def diagram_cue(prompt: Prompt) -> DiagramCue:
    """What the diagram shows for ``prompt`` (see the module's description)."""
    if prompt.card_type is CardType.DIAGRAM and prompt.answer_step is not None:
        return DiagramCue(None, prompt.answer_step, prompt.answer_step)
    if prompt.card_type is CardType.SEQUENCE and prompt.step_stages:
        found = _NEXT.fullmatch(prompt.variant)
        if found is not None:
            after = int(found.group(1))  # "what comes after step `after`" (1-based)
            if after < len(prompt.step_stages):
                shown = prompt.step_stages[after - 1] or prompt.stage
                following = prompt.step_stages[after] or prompt.stage
                return DiagramCue(shown, None, following)
    return DiagramCue(prompt.stage, None, prompt.stage)
