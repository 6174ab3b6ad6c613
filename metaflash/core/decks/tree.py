"""The decks nested by ``parent``: the one tree the deck list, study scopes and statistics
share.

A deck whose parent is not loaded, or that sits in a cycle of parents (both reported by the
loader as errors), is shown at the top level; walking down from a deck never loops. Siblings
are sorted by title (case-insensitively), then id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metaflash.core.decks.model import Deck, DeckId


@dataclass(frozen=True, slots=True)
class DeckNode:
    """A deck with its sub-decks, sorted by title."""

    deck: Deck
    children: tuple[DeckNode, ...]

    @property
    def total_cards(self) -> int:
        """Cards in this deck and all its sub-decks."""
        return self.deck.card_count + sum(child.total_cards for child in self.children)


def _sort_key(deck: Deck) -> tuple[str, str]:
    return (deck.title.casefold(), deck.id)


class DeckTree:
    """The decks of a library (or of a scope) arranged by ``parent``, built once."""

    def __init__(self, decks: Sequence[Deck]) -> None:
        self._by_id = {deck.id: deck for deck in decks}
        self._children: dict[DeckId, list[Deck]] = {}
        for deck in decks:
            if deck.parent is not None and deck.parent in self._by_id:
                self._children.setdefault(deck.parent, []).append(deck)
        for siblings in self._children.values():
            siblings.sort(key=_sort_key)
        in_cycle = {deck.id for deck in decks if self._in_cycle(deck)}
        self._parent = {
            deck.id: deck.parent
            for deck in decks
            if deck.parent is not None and deck.parent in self._by_id and deck.id not in in_cycle
        }
        roots = sorted((d for d in decks if d.id not in self._parent), key=_sort_key)

        def node(deck: Deck) -> DeckNode:
            kids = [kid for kid in self._children.get(deck.id, ()) if kid.id not in in_cycle]
            return DeckNode(deck, tuple(node(kid) for kid in kids))

        self.roots: tuple[DeckNode, ...] = tuple(node(deck) for deck in roots)

    def _in_cycle(self, deck: Deck) -> bool:
        seen: set[DeckId] = set()
        parent = deck.parent
        while parent is not None and parent in self._by_id and parent not in seen:
            if parent == deck.id:
                return True
            seen.add(parent)
            parent = self._by_id[parent].parent
        return False

    def subtree(self, root: DeckId) -> tuple[DeckId, ...]:
        """``root`` and every deck nested under it, parents first, siblings by title; a cycle
        of parents is cut, never looped."""
        if root not in self._by_id:
            raise KeyError(f"no deck {root!r} among the loaded decks")
        order: list[DeckId] = []
        seen: set[DeckId] = set()
        stack = [root]
        while stack:
            deck_id = stack.pop()
            if deck_id in seen:
                continue
            seen.add(deck_id)
            order.append(deck_id)
            stack.extend(kid.id for kid in reversed(self._children.get(deck_id, ())))
        return tuple(order)

    def in_order(self) -> tuple[DeckId, ...]:
        """Every deck, top-level decks by title, each followed by its sub-decks."""
        order: list[DeckId] = []
        seen: set[DeckId] = set()

        def walk(nodes: Sequence[DeckNode]) -> None:
            for node in nodes:
                if node.deck.id not in seen:
                    seen.add(node.deck.id)
                    order.append(node.deck.id)
                    walk(node.children)

        walk(self.roots)
        return tuple(order)

    def depth(self, deck_id: DeckId) -> int:
        """How deep ``deck_id`` sits below a top-level deck (0 for a top-level deck)."""
        level = 0
        seen: set[DeckId] = set()
        while deck_id in self._parent and deck_id not in seen:
            seen.add(deck_id)
            deck_id = self._parent[deck_id]
            level += 1
        return level

    def chain(self, deck_id: DeckId) -> tuple[Deck, ...]:
        """The deck and its ancestors, outermost first (for a breadcrumb)."""
        found: list[Deck] = []
        current = self._by_id.get(deck_id)
        while current is not None and current not in found:
            found.append(current)
            current = self._by_id.get(current.parent) if current.parent is not None else None
        return tuple(reversed(found))


def deck_forest(decks: Sequence[Deck]) -> tuple[DeckNode, ...]:
    """The decks nested by ``parent``, top-level decks first (see :class:`DeckTree`)."""
    return DeckTree(decks).roots


def deck_tree_order(decks: Sequence[Deck], root: DeckId) -> tuple[DeckId, ...]:
    """``root`` and every deck nested under it (see :meth:`DeckTree.subtree`)."""
    return DeckTree(decks).subtree(root)
