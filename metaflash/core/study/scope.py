"""What a study session covers: a deck with its sub-decks, or the prompts of one diagram step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metaflash.core.decks.model import CardId, Deck, DeckId, StepId
from metaflash.core.decks.tree import deck_tree_order


@dataclass(frozen=True, slots=True)
class StudyScope:
    """Decks in tree order (a parent before its sub-decks); optionally one diagram step, or
    one card (its prompts only: ``metaflash --screenshot --card``)."""

    deck_ids: tuple[DeckId, ...]
    stage: StepId | None = None
    title: str = ""
    card: CardId | None = None

    def __post_init__(self) -> None:
        if not self.deck_ids:
            raise ValueError("a study scope needs at least one deck")
        if len(set(self.deck_ids)) != len(self.deck_ids):
            raise ValueError(f"a study scope lists a deck twice: {self.deck_ids}")


def deck_scope(decks: Sequence[Deck], root: DeckId) -> StudyScope:
    """Study a deck with its sub-decks."""
    title = next(deck.title for deck in decks if deck.id == root)
    return StudyScope(deck_tree_order(decks, root), None, title)


def step_scope(decks: Sequence[Deck], step: StepId, title: str = "") -> StudyScope:
    """Study one diagram step: the prompts whose ``stage`` is ``step``, in any of ``decks``."""
    with_step = [deck for deck in decks if any(c.diagram_step == step for c in deck.cards)]
    ids = tuple(deck.id for deck in (with_step or decks))
    return StudyScope(ids, step, title or str(step))


def card_scope(deck: Deck, card: CardId) -> StudyScope:
    """Study one card of ``deck``: its prompts (the two sides, the gaps) and nothing else."""
    if deck.card(card) is None:
        raise ValueError(f"the deck {deck.id} has no card {card}")
    return StudyScope((deck.id,), None, deck.title, card)
