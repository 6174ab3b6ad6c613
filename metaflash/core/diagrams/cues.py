"""What a review shows on the deck's diagram for one prompt, before and after the answer.

The review screen asks :func:`diagram_cue` and does what the cue says, so that every card
type uses the diagram the same way and the rules are tested without Qt:

- a ``diagram`` card highlights nothing while it asks (that would give the answer away): the
  student picks a step (``pick``), and the answer shows that step;
- a sequence card whose ``stages`` are given shows, for "what comes after step *k*?", step
  *k* while asking and the step that comes next with the answer; steps without a stage, and
  the "put these in order" prompt, fall back to the card's ``stage``;
- every other prompt highlights the card's ``stage`` (if any) with the answer.

The question side never names or singles out the answer: a step is highlighted while asking
only when the question itself names it (its label, or its id's words, appear in the
question's text: "What is **intravasation**?" may show Intravasation; "A tumour that arises
far away from the primary tumour" must not show Secondary tumour, nor may "To which tissue
can prostate cancer spread?" show Bone). Otherwise the diagram asks without a highlight and
the step lights up with the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from metaflash.core.decks.markdown import plain_text
from metaflash.core.decks.model import CardType, Diagram, Prompt, StepId

_NEXT: Final = re.compile(r"next-([1-9][0-9]*)")
_WORD: Final = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class DiagramCue:
    """``asking``: the step to highlight with the question; ``pick``: the step the student
    must pick on the diagram (diagram cards), else ``None``; ``answered``: the step to
    highlight once the answer shows (or the pick is made)."""

    asking: StepId | None
    pick: StepId | None
    answered: StepId | None


def diagram_cue(prompt: Prompt, diagram: Diagram | None = None) -> DiagramCue:
    """What the diagram shows for ``prompt`` (see the module's description); ``diagram``
    gives the steps' labels (without it, a step is named by its id's words only)."""
    if prompt.card_type is CardType.DIAGRAM and prompt.answer_step is not None:
        return DiagramCue(None, prompt.answer_step, prompt.answer_step)
    asking, answered = prompt.stage, prompt.stage
    if prompt.card_type is CardType.SEQUENCE and prompt.step_stages:
        found = _NEXT.fullmatch(prompt.variant)
        if found is not None:
            after = int(found.group(1))  # "what comes after step `after`" (1-based)
            if after < len(prompt.step_stages):
                asking = prompt.step_stages[after - 1] or prompt.stage
                answered = prompt.step_stages[after] or prompt.stage
    if asking is not None and not names_step(prompt.question, asking, diagram):
        asking = None
    return DiagramCue(asking, None, answered)


def names_step(question: str, step: StepId, diagram: Diagram | None = None) -> bool:
    """Whether ``question`` (Markdown) names ``step``: its label or its id's words appear in
    the question's text as a run of whole words (case and punctuation aside)."""
    words = _words(plain_text(question))
    found = diagram.step(step) if diagram is not None else None
    names = [found.label] if found is not None else []
    names.append(step.replace("-", " "))
    for name in names:
        wanted = _words(name)
        if wanted and any(
            words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)
        ):
            return True
    return False


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]
