"""A deck's references to the steps of its diagram: checked, resolved, or dropped.

Cards name diagram steps in three places: a card's ``stage``, a diagram card's ``answer``
and a sequence card's ``stages``. :func:`check_against_diagram` checks each against the
loaded diagram (problems at the value, with a "did you mean") and fills in each diagram
card's answer label and summary, so that everything downstream (review, export) can show
the step without the diagram at hand. :func:`without_diagram` is the deck when its diagram
did not load. What is broken is dropped, never guessed: a stage is cleared, a sequence's
``stages`` are cleared, and a diagram card whose answer is not a step is left out (its
progress is kept in the collection and comes back with the card).
"""

from __future__ import annotations

import dataclasses

from metaflash.core.decks.loader import DeckReferences
from metaflash.core.decks.model import (
    Card,
    Deck,
    Diagram,
    DiagramContent,
    Location,
    Problem,
    SequenceContent,
    StepId,
)
from metaflash.core.decks.yaml_fields import suggest


def check_against_diagram(
    deck: Deck, references: DeckReferences, diagram: Diagram
) -> tuple[Deck, tuple[Problem, ...]]:
    """``deck`` with every step reference checked against ``diagram``, and the problems."""
    problems: list[Problem] = []
    steps = frozenset(step.id for step in diagram.steps)

    def broken(step: StepId, where: Location, what: str) -> bool:
        if step in steps:
            return False
        hint = suggest(step, steps) or f"the steps of '{diagram.id}' are listed in its file"
        problems.append(
            Problem(
                where.file,
                where.line,
                where.column,
                f"{what} '{step}' is not a step of the diagram '{diagram.id}'",
                hint,
            )
        )
        return True

    cards: list[Card] = []
    for card in deck.cards:
        if card.stage is not None:
            where = references.stages.get(card.id, card.location)
            if broken(card.stage, where, "the stage"):
                card = dataclasses.replace(card, stage=None)
        content = card.content
        if isinstance(content, DiagramContent):
            where = references.answers.get(card.id, card.location)
            if broken(content.answer, where, "the answer"):
                continue  # a diagram card cannot be asked without its step
            step = diagram.step(content.answer)
            assert step is not None
            resolved = dataclasses.replace(
                content, answer_label=step.label, answer_summary=step.summary
            )
            card = dataclasses.replace(card, content=resolved)
        elif isinstance(content, SequenceContent) and content.stages:
            places = references.sequence_stages.get(card.id, ())
            bad = [
                broken(
                    stage,
                    places[index] if index < len(places) else card.location,
                    "the stage",
                )
                for index, stage in enumerate(content.stages)
                if stage is not None
            ]
            if any(bad):
                card = dataclasses.replace(card, content=dataclasses.replace(content, stages=()))
        cards.append(card)
    return dataclasses.replace(deck, cards=tuple(cards)), tuple(problems)


def without_diagram(deck: Deck) -> tuple[Deck, int]:
    """``deck`` as it loads when its diagram does not, and how many diagram cards it loses."""
    kept = tuple(card for card in deck.cards if not isinstance(card.content, DiagramContent))
    cards = tuple(_without_steps(card) for card in kept)
    return dataclasses.replace(deck, diagram=None, cards=cards), len(deck.cards) - len(kept)


def _without_steps(card: Card) -> Card:
    content = card.content
    if isinstance(content, SequenceContent) and content.stages:
        card = dataclasses.replace(card, content=dataclasses.replace(content, stages=()))
    return dataclasses.replace(card, stage=None) if card.stage is not None else card


def left_out_hint(hint: str, count: int) -> str:
    """``hint`` extended with how many diagram cards wait for the diagram (none: unchanged)."""
    if not count:
        return hint
    cards = "its diagram card is" if count == 1 else f"its {count} diagram cards are"
    return f"{hint}; {cards} left out until then"
