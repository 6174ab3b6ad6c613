"""Card text is shown as a reader sees it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from metaflash.core.decks.cloze import ClozeText, parse_cloze
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    ReverseContent,
    SequenceContent,
)
from metaflash.ui.common.card_text import (
    answer_markdown,
    card_markdown,
    markdown_to_plain,
    question_plain,
)


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
