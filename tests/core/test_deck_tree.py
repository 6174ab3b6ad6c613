"""Decks nest by their ``parent`` id: one tree for the deck list, study scopes and
statistics."""

from __future__ import annotations

from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
from metaflash.core.decks.tree import DeckNode, DeckTree, deck_forest, deck_tree_order
from metaflash.core.library.snapshot import Library


def deck(deck_id: str, title: str, parent: str | None = None, cards: int = 0) -> Deck:
    return Deck(
        DeckId(deck_id),
        title,
        tuple(Card(CardId(f"{deck_id}-{n}"), BasicContent(f"Q{n}", f"A{n}")) for n in range(cards)),
        parent=DeckId(parent) if parent else None,
    )


def shape(nodes: tuple[DeckNode, ...]) -> list[object]:
    return [(node.deck.id, node.total_cards, shape(node.children)) for node in nodes]


def test_decks_nest_by_parent_sorted_by_title_with_total_counts() -> None:
    decks = [
        deck("stages", "Stages", "metastasis", 3),
        deck("metastasis", "Metastasis", None, 2),
        deck("invasion", "Invasion", "stages", 4),
        deck("biology", "Biology", "metastasis", 1),
        deck("alone", "Another topic", None, 5),
    ]
    assert shape(deck_forest(decks)) == [
        ("alone", 5, []),
        ("metastasis", 10, [("biology", 1, []), ("stages", 7, [("invasion", 4, [])])]),
    ]


def test_missing_parents_and_cycles_stay_visible_at_the_top() -> None:
    decks = [
        deck("orphan", "Orphan", "nowhere"),
        deck("a", "A", "b"),
        deck("b", "B", "a"),
        deck("child-of-cycle", "Child", "a"),
        deck("self", "Self", "self"),
    ]
    forest = deck_forest(decks)
    assert [node.deck.id for node in forest] == ["a", "b", "orphan", "self"]
    assert [child.deck.id for child in forest[0].children] == ["child-of-cycle"]


def test_breadcrumb_path_stops_at_a_cycle() -> None:
    library = Library((deck("a", "A", "b"), deck("b", "B", "a"), deck("c", "C", "a")), (), ())
    assert [d.id for d in library.tree.chain(DeckId("c"))] == ["b", "a", "c"]


def test_subtrees_depths_and_the_whole_order_come_from_one_tree() -> None:
    decks = [
        deck("stages", "Stages", "metastasis"),
        deck("metastasis", "Metastasis"),
        deck("invasion", "Invasion", "stages"),
        deck("biology", "Biology", "metastasis"),
        deck("alone", "Another topic"),
        deck("a", "A", "b"),
        deck("b", "B", "a"),
    ]
    tree = DeckTree(decks)
    assert tree.subtree(DeckId("metastasis")) == ("metastasis", "biology", "stages", "invasion")
    assert deck_tree_order(decks, DeckId("stages")) == ("stages", "invasion")
    assert tree.subtree(DeckId("a")) == ("a", "b")  # a cycle is cut, never looped
    assert tree.in_order() == ("a", "alone", "b", "metastasis", "biology", "stages", "invasion")
    assert [tree.depth(DeckId(d)) for d in ("metastasis", "stages", "invasion", "a")] == [
        0,
        1,
        2,
        0,
    ]


def test_a_library_builds_its_tree_once_and_finds_decks_by_id() -> None:
    library = Library((deck("x", "X"), deck("y", "Y", "x")), (), ())
    assert library.tree is library.tree
    assert library.deck(DeckId("y")) is library.decks[1] and library.deck(DeckId("z")) is None
