"""Pickles of decks whose cards are stored in chunks and decoded only when asked for.

What the parsed-files cache and the library cache store (see
:mod:`metaflash.core.decks.lazy_cards`). A deck read back this way equals the deck that was
stored; its cards are decoded chunk by chunk as :meth:`Deck.card` asks for them, all at once
when ``cards`` is read.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from array import array
from typing import Any, TypeAlias

from metaflash.core.decks.lazy_cards import LazyCards
from metaflash.core.decks.model import Card, Deck

_DECK_FIELDS = tuple(f.name for f in dataclasses.fields(Deck) if f.init and f.name != "cards")

#: A deck's cards as stored: ids sorted, their places in the deck, the pickled chunks.
Encoded: TypeAlias = "tuple[tuple[str, ...], array[int], list[bytes]]"


def _lazy_deck(
    state: tuple[Any, ...],
    sorted_ids: tuple[str, ...],
    places: array[int],
    chunks: list[bytes],
    prompts: int,
) -> Deck:
    """A deck as stored by :func:`dumps`, its cards decoded when first asked for."""
    deck = object.__new__(Deck)
    for name, value in zip(_DECK_FIELDS, state, strict=True):
        object.__setattr__(deck, name, value)
    object.__setattr__(deck, "_by_id", {})
    object.__setattr__(deck, "_prompts", [])
    object.__setattr__(deck, "_prompt_total", [])
    lazy: LazyCards[Card] = LazyCards(sorted_ids, places, chunks, prompts)
    object.__setattr__(deck, "_lazy", [lazy])
    return deck


class Encodings:
    """The cards of the decks pickled during one load, encoded once however often the
    decks are stored (a deck's own file entry, then the whole library's)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Deck, Encoded]] = {}

    def of(self, deck: Deck) -> Encoded:
        found = self._kept.get(id(deck))
        if found is not None and found[0] is deck:
            return found[1]
        lazy = deck.encoded_cards()
        encoded = lazy if lazy is not None else LazyCards.encode(deck.cards)
        self._kept[id(deck)] = (deck, encoded)
        return encoded

    def clear(self) -> None:
        self._kept.clear()


class _Pickler(pickle.Pickler):
    def __init__(self, stream: io.BytesIO, encodings: Encodings) -> None:
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.encodings = encodings

    def reducer_override(self, obj: object) -> Any:
        if type(obj) is not Deck:
            return NotImplemented
        return (
            _lazy_deck,
            (
                tuple(getattr(obj, name) for name in _DECK_FIELDS),
                *self.encodings.of(obj),
                obj.prompt_count(),
            ),
        )


def dumps(value: object, encodings: Encodings | None = None) -> bytes:
    """``value`` pickled, every deck in it with its cards in chunks."""
    buffer = io.BytesIO()
    _Pickler(buffer, encodings or Encodings()).dump(value)
    return buffer.getvalue()
