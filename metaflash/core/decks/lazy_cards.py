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
from typing import Final, Generic, Protocol, TypeVar, overload


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Card = TypeVar("Card", bound=_Identified)  # a deck's Card (this module knows no model)

#: cards per chunk: small enough that one chunk decodes in well under a millisecond
CHUNK: Final = 16


class LazyCards(Generic[Card]):
    """The encoded cards of one deck: the chunks that hold them, in deck order, and their ids
    sorted, each with its place in the deck (so that finding a card builds no index).

    Once every card is decoded (:meth:`every_card`) the deck keeps the cards itself and this
    lets go of the encoded form; it still knows how many cards and prompts there are."""

    __slots__ = (
        "_all",
        "_chunks",
        "_decoded",
        "_places",
        "_sorted_ids",
        "count",
        "pending",
        "prompt_count",
    )

    def __init__(
        self, sorted_ids: tuple[str, ...], places: array[int], chunks: list[bytes], prompts: int
    ) -> None:
        self._sorted_ids = sorted_ids
        self._places = places
        self.count = len(sorted_ids)
        self.prompt_count = prompts
        self._chunks = chunks
        self._decoded: list[tuple[Card, ...] | None] = [None] * len(chunks)
        #: whether the cards are still kept here (not all decoded into the deck yet)
        self.pending = True
        self._all: tuple[Card, ...] | None = None  # every card, once decoded

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

    def encoded(self) -> tuple[tuple[str, ...], array[int], list[bytes]] | None:
        """What the constructor took (to store the deck again without decoding it)."""
        return (self._sorted_ids, self._places, self._chunks) if self.pending else None

    def ids(self) -> tuple[str, ...]:
        """The cards' ids, sorted (nothing is decoded)."""
        return self._sorted_ids

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

    def view(self) -> CardView[Card]:
        """The cards in deck order, each chunk decoded when one of its cards is read."""
        return CardView(self)

    def decode_some(self, chunks: int) -> bool:
        """Decode up to ``chunks`` more chunks (a window does it a little at a time while it
        is idle); True once every chunk is decoded."""
        decoded = self._decoded
        for index, found in enumerate(decoded):
            if found is None:
                self._chunk(index)
                chunks -= 1
                if chunks <= 0:
                    return all(found is not None for found in decoded[index + 1 :])
        return True

    def every_card(self) -> tuple[Card, ...]:
        """Every card, in deck order; the encoded form is let go."""
        if self._all is None:
            self._all = tuple(
                card for index in range(len(self._chunks)) for card in self._chunk(index)
            )
            self._sorted_ids, self._places, self._chunks, self._decoded = (), array("L"), [], []
            self.pending = False
        return self._all


class CardView(Sequence[Card]):
    """A deck's cards in deck order, read through its :class:`LazyCards` (for a table that
    shows a few rows of a 20,000-card deck)."""

    __slots__ = ("_cards",)

    def __init__(self, cards: LazyCards[Card]) -> None:
        self._cards = cards

    def __len__(self) -> int:
        return self._cards.count

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Card]: ...

    def __getitem__(self, index: int | slice) -> Card | Sequence[Card]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        every = self._cards._all
        if every is not None:  # decoded since the view was made
            return every[index]
        return self._cards._chunk(index // CHUNK)[index % CHUNK]
