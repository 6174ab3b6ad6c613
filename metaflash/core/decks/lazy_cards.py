"""A deck's cards kept encoded until they are needed.

The library cache (:mod:`metaflash.core.library.library_memo`) stores each deck's cards as
pickled chunks. A start that shows one card decodes the chunk holding it, not the whole
deck: decoding 20,000 cards costs about 100 ms, one chunk well under a millisecond. Asking a
deck for ``cards`` decodes the rest (the chunks already decoded are reused, so a card is the
same object however it was reached).
"""

from __future__ import annotations

import pickle
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from typing import Final, Generic, Protocol, TypeVar


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Card = TypeVar("Card", bound=_Identified)  # a deck's Card (this module knows no model)

#: cards per chunk: small enough that one chunk decodes in well under a millisecond
CHUNK: Final = 16


class LazyCards(Generic[Card]):
    """The encoded cards of one deck: the chunks that hold them, in deck order, and their ids
    sorted, each with its place in the deck (so that finding a card builds no index)."""

    __slots__ = ("_chunks", "_decoded", "_places", "_sorted_ids", "count", "prompt_count")

    def __init__(
        self, sorted_ids: tuple[str, ...], places: array[int], chunks: list[bytes], prompts: int
    ) -> None:
        self._sorted_ids = sorted_ids
        self._places = places
        self.count = len(sorted_ids)
        self.prompt_count = prompts
        self._chunks = chunks
        self._decoded: list[tuple[Card, ...] | None] = [None] * len(chunks)

    @staticmethod
    def encode(cards: Sequence[Card]) -> tuple[tuple[str, ...], array[int], list[bytes]]:
        """What the constructor takes for ``cards``: ids sorted, their places, and the cards
        as chunks of :data:`CHUNK`, each pickled on its own."""
        order = sorted(range(len(cards)), key=lambda index: cards[index].id)
        chunks = [
            pickle.dumps(tuple(cards[start : start + CHUNK]), protocol=pickle.HIGHEST_PROTOCOL)
            for start in range(0, len(cards), CHUNK)
        ]
        return tuple(cards[index].id for index in order), array("L", order), chunks

    def encoded(self) -> tuple[tuple[str, ...], array[int], list[bytes]]:
        """What the constructor took (to store the deck again without decoding it)."""
        return self._sorted_ids, self._places, self._chunks

    def _chunk(self, index: int) -> tuple[Card, ...]:
        found = self._decoded[index]
        if found is None:
            found = pickle.loads(self._chunks[index])
            assert isinstance(found, tuple)
            self._decoded[index] = found
        return found

    def has(self, card_id: str) -> bool:
        """Whether a card has the id ``card_id`` (nothing is decoded)."""
        ids = self._sorted_ids
        at = bisect_left(ids, card_id)
        return at < len(ids) and ids[at] == card_id

    def chunk_with(self, card_id: str) -> tuple[Card, ...]:
        """The cards of the chunk that holds the card ``card_id`` (empty: no such card)."""
        ids = self._sorted_ids
        at = bisect_left(ids, card_id)
        if at == len(ids) or ids[at] != card_id:
            return ()
        return self._chunk(self._places[at] // CHUNK)

    def every_card(self) -> tuple[Card, ...]:
        """Every card, in deck order."""
        return tuple(card for index in range(len(self._chunks)) for card in self._chunk(index))
