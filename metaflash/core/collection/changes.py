"""What changed in a collection: the payload of :attr:`Collection.changed`, so that each
view updates exactly what is stale (a deck's counts, one card's mastery, the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metaflash.core.decks.model import DeckId, PromptKey


class ChangeKind(StrEnum):
    DECKS = "decks"  # decks were reconciled: cards added, moved or retired
    REVIEWS = "reviews"  # an answer recorded or undone
    MARKS = "marks"  # suspended, buried, flagged
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class CollectionChange:
    """Which decks changed, and (for answers and marks) which of their prompts."""

    kind: ChangeKind
    deck_ids: frozenset[DeckId]
    prompts: frozenset[PromptKey] = frozenset()
