"""What changed in a collection: the payload of :attr:`Collection.changed`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metaflash.core.decks.model import DeckId


class ChangeKind(StrEnum):
    DECKS = "decks"  # a deck was reconciled: cards added, moved or retired
    REVIEWS = "reviews"  # answers recorded or undone
    MARKS = "marks"  # suspended, buried, flagged
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class CollectionChange:
    kind: ChangeKind
    deck_ids: frozenset[DeckId]
