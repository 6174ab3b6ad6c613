"""Cards as the review screen renders them: Markdown, cloze gaps, images, steps, notes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QTextDocument

from metaflash.core.decks.cloze import ClozeText, parse_cloze
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    DeckId,
    SequenceContent,
)
from metaflash.ui.common.card_render import (
    MAX_IMAGE_WIDTH,
    CardContext,
    card_html,
    card_stylesheet,
    markdown_html,
)
from metaflash.ui.common.theme import DARK, LIGHT

DECK = DeckId("deck")


def plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def test_markdown_is_rendered_and_raw_html_is_shown_as_text() -> None:
    html = markdown_html("Cells **invade** <script>alert(1)</script> *tissue*")
    assert "<strong>invade</strong>" in html and "<em>tissue</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_only_the_models_cloze_marker_survives_as_html() -> None:
    html = markdown_html('A <span class="cloze">**secondary**</span> tumour <span>x</span>')
    assert '<span class="cloze"><strong>secondary</strong></span>' in html
    assert "&lt;span&gt;x&lt;/span&gt;" in html


def test_basic_card_shows_the_answer_notes_and_source_once_revealed() -> None:
    card = Card(
        CardId("c"),
        BasicContent("What is *intravasation*?", "Entering a vessel."),
        notes="A **note**.",
    )
    (prompt,) = card.prompts(DECK)
    context = CardContext("Deck", "The Q&A, “Stages”")
    question = plain(card_html(prompt, revealed=False, context=context))
    assert question == "What is intravasation?"
    answer = plain(card_html(prompt, revealed=True, context=context))
    assert answer.startswith("What is intravasation?")
    assert "Entering a vessel." in answer and "Notes\nA note." in answer
    assert answer.endswith("Source: The Q&A, “Stages”")


def test_a_cloze_reveals_its_gap_in_place() -> None:
    cloze = parse_cloze("Cells {{c1::invade}} nearby {{c2::tissue}}.")
    assert isinstance(cloze, ClozeText)
    card = Card(CardId("c"), ClozeContent("", cloze))
    first = card.prompts(DECK)[0]
    assert plain(card_html(first, revealed=False)) == "Cells [...] nearby tissue."
    html = card_html(first, revealed=True)
    assert '<span class="cloze">invade</span>' in html
    assert plain(html) == "Cells invade nearby tissue."


def test_an_image_is_shown_from_its_file_no_wider_than_the_card(tmp_path: Path) -> None:
    picture = tmp_path / "wide.png"
    image = QImage(1200, 600, QImage.Format.Format_RGB32)
    image.fill(0)
    assert image.save(str(picture))
    card = Card(CardId("c"), BasicContent("Which organ?", "The liver."), image=picture)
    (prompt,) = card.prompts(DECK)
    html = card_html(prompt, revealed=False)
    assert f'src="{picture.as_uri()}"' in html
    assert f'width="{MAX_IMAGE_WIDTH}" height="{MAX_IMAGE_WIDTH // 2}"' in html


def test_sequence_prompts_show_steps() -> None:
    card = Card(
        CardId("s"), SequenceContent("The cascade", ("Invasion", "Intravasation", "Extravasation"))
    )
    first, _second, order = card.prompts(DECK)
    revealed = card_html(first, revealed=True)
    assert revealed.count("<li>") == 3
    assert '<span class="step-current">Invasion</span>' in revealed
    assert '<span class="step-current">Intravasation</span>' in revealed
    question = plain(card_html(order, revealed=False))
    assert [question.index(step) for step in order.shown_steps] == sorted(
        question.index(step) for step in order.shown_steps
    )
    assert "In order" in plain(card_html(order, revealed=True))


def test_the_stylesheet_takes_the_themes_colours() -> None:
    light, dark = card_stylesheet(LIGHT), card_stylesheet(DARK)
    assert LIGHT.cloze_background in light and LIGHT.text in light
    assert DARK.cloze_background in dark and DARK.text in dark
    assert LIGHT.text not in dark
