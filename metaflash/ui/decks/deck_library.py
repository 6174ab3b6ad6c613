"""The decks the window shows: every deck found in the library's folders, and what was wrong.

Loading and checking is the core's job (:func:`metaflash.core.library.sources.load_sources`);
this module keeps what it found together with where it looked, as one immutable snapshot
for the views, and arranges the decks into the tree their ``parent`` ids make.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.decks.model import Deck, DeckId, Diagram, Problem
from metaflash.core.library.sources import DeckSources, load_sources


@dataclass(frozen=True, slots=True)
class DeckLibrary:
    """A snapshot of the loaded decks and the problems found while loading them."""

    folders: tuple[Path, ...]
    decks: tuple[Deck, ...]
    problems: tuple[Problem, ...]
    diagrams: tuple[Diagram, ...] = ()
    stale: tuple[DeckId, ...] = ()  # decks whose file broke: their last good version is shown
    files: tuple[str, ...] = ()  # the files read

    @property
    def card_count(self) -> int:
        return sum(len(deck.cards) for deck in self.decks)

    def deck(self, deck_id: DeckId) -> Deck | None:
        return next((deck for deck in self.decks if deck.id == deck_id), None)

    def diagram_of(self, deck: Deck) -> Diagram | None:
        """The diagram ``deck`` uses, when it loaded."""
        if deck.diagram is None:
            return None
        wanted = os.path.realpath(deck.diagram)
        return next(
            (d for d in self.diagrams if d.path is not None and os.path.realpath(d.path) == wanted),
            None,
        )


@dataclass(frozen=True, slots=True)
class DeckNode:
    """A deck with its sub-decks, sorted by title."""

    deck: Deck
    children: tuple[DeckNode, ...]

    @property
    def total_cards(self) -> int:
        """Cards in this deck and all its sub-decks."""
        return len(self.deck.cards) + sum(child.total_cards for child in self.children)


def deck_forest(decks: Sequence[Deck]) -> tuple[DeckNode, ...]:
    """The decks nested by ``parent``. A deck whose parent is missing, or that sits in a
    cycle of parents (both reported by the loader), is shown at the top level."""
    by_id = {deck.id: deck for deck in decks}
    children: dict[DeckId, list[Deck]] = {}
    roots: list[Deck] = []
    for deck in decks:
        if deck.parent is not None and deck.parent in by_id and not _in_cycle(deck, by_id):
            children.setdefault(deck.parent, []).append(deck)
        else:
            roots.append(deck)

    def node(deck: Deck) -> DeckNode:
        kids = sorted(children.get(deck.id, ()), key=_sort_key)
        return DeckNode(deck, tuple(node(kid) for kid in kids))

    return tuple(node(deck) for deck in sorted(roots, key=_sort_key))


def _in_cycle(deck: Deck, by_id: dict[DeckId, Deck]) -> bool:
    """Whether following parents from ``deck`` comes back to it."""
    seen: set[DeckId] = set()
    parent = deck.parent
    while parent is not None and parent in by_id and parent not in seen:
        if parent == deck.id:
            return True
        seen.add(parent)
        parent = by_id[parent].parent
    return False


def _sort_key(deck: Deck) -> tuple[str, str]:
    return (deck.title.casefold(), deck.id)


def deck_path(library: DeckLibrary, deck_id: DeckId) -> tuple[Deck, ...]:
    """The deck and its ancestors, outermost first (for a breadcrumb)."""
    chain: list[Deck] = []
    current = library.deck(deck_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = library.deck(current.parent) if current.parent is not None else None
    return tuple(reversed(chain))


def load_deck_library(
    sources: DeckSources | Sequence[Path], previous: DeckLibrary | None = None
) -> DeckLibrary:
    """Load every deck and diagram of ``sources`` (or of a list of folders), checked across
    files, with every problem; a deck whose file broke since ``previous`` keeps that version."""
    if not isinstance(sources, DeckSources):
        sources = DeckSources(tuple(sources))
    loaded, stale = load_sources(sources, previous.decks if previous is not None else ())
    return DeckLibrary(
        sources.folders, loaded.decks, loaded.problems, loaded.diagrams, stale, loaded.files
    )
