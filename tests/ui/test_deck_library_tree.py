"""Decks nest by their ``parent`` id; card text is shown as a reader sees it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from metaflash.core.decks.cloze import ClozeText, parse_cloze
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    Deck,
    DeckId,
    ReverseContent,
    SequenceContent,
)
from metaflash.ui.common.card_text import (
    answer_markdown,
    card_markdown,
    markdown_to_plain,
    question_plain,
)
from metaflash.ui.decks.deck_library import DeckLibrary, DeckNode, deck_forest, deck_path


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
    library = DeckLibrary((), (deck("a", "A", "b"), deck("b", "B", "a"), deck("c", "C", "a")), ())
    assert [d.id for d in deck_path(library, DeckId("c"))] == ["b", "a", "c"]


def cloze(text: str) -> ClozeText:
    parsed = parse_cloze(text)
    assert isinstance(parsed, ClozeText)
    return parsed


def test_questions_are_plain_text_of_the_markdown(qapp: QApplication) -> None:
    basic = Card(CardId("b"), BasicContent("What is **intravasation**?\n\n- one\n- two", "x"))
    assert question_plain(basic) == "What is intravasation? one two"
    assert markdown_to_plain("[a link](https://example.org) and `code`") == "a link and code"
    gaps = Card(
        CardId("c"), ClozeContent("t", cloze("Cells {{c1::invade}} then {{c2::spread::how?}}."))
    )
    assert question_plain(gaps) == "Cells […] then [how?]."
    assert answer_markdown(gaps) == "Cells **invade** then **spread**."
    steps = Card(CardId("s"), SequenceContent("The *order*", ("one", "two", "three")))
    assert question_plain(steps) == "The order"
    assert answer_markdown(steps) == "1. one\n2. two\n3. three"


def test_card_markdown_names_the_sides() -> None:
    reverse = Card(CardId("r"), ReverseContent("Front text", "Back text"), notes="See *also*.")
    text = card_markdown(reverse)
    assert text.index("##### Front") < text.index("Front text") < text.index("##### Back")
    assert "##### Notes\n\nSee *also*." in text
    assert "both ways" in text
