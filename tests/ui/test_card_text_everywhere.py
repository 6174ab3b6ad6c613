"""One Markdown renderer for card text: a card reads the same in the review, the editor's
preview, the deck overview, the diagram's step panel, the card list and an Anki export.

The card's question uses what renderers disagree on: emphasis, raw HTML (shown as text), an
inline tag Anki imports keep (``<sub>``), a list, strikethrough and a table.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig

from metaflash.core.decks.markdown import plain_text, render_inline, render_markdown
from metaflash.core.decks.model import (
    DeckId,
    DiagramStep,
    Point,
    SourceDocument,
    StepId,
    StepKind,
)
from metaflash.core.interop.html_markdown import markdown_to_html
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.common.card_text import question_plain
from metaflash.ui.diagram.colours import DiagramColours
from metaflash.ui.diagram.step_panel import StepPanel

QUESTION = (
    "Cells **invade** the <b>stroma</b>: CO<sub>2</sub>\n"
    "\n"
    "- one\n"
    "- ~~two~~\n"
    "\n"
    "| a | b |\n"
    "|---|---|\n"
    "| 1 | 2 |"
)
DECK = """\
format: 1
id: markdown
title: Markdown everywhere
cards:
  - id: rich
    front: |
{front}
    back: An answer.
"""


def shown(html: str) -> str:
    """What a reader sees of some HTML, as Qt lays it out."""
    document = QTextDocument()
    document.setHtml(html)
    return " ".join(document.toPlainText().split())


def test_the_renderer_shows_raw_html_as_text_and_keeps_what_imports_keep() -> None:
    rendered = render_markdown(QUESTION)
    assert "<strong>invade</strong>" in rendered and "&lt;b&gt;stroma&lt;/b&gt;" in rendered
    assert "CO<sub>2</sub>" in rendered and "<s>two</s>" in rendered and "<table>" in rendered
    assert plain_text(QUESTION) == "Cells invade the <b>stroma</b>: CO2 one two a b 1 2"
    assert markdown_to_html(QUESTION) == render_inline(QUESTION) == render_markdown(QUESTION)
    assert markdown_to_html("One *line*") == "One <em>line</em>"


def test_a_card_reads_the_same_in_every_view(qtbot: QtBot, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    front = "\n".join(f"      {line}" if line else "" for line in QUESTION.splitlines())
    (decks / "markdown.yaml").write_text(DECK.format(front=front), encoding="utf-8")
    rig = WindowRig(tmp_path / "data", decks, FakeClock(), RecordingOpener())
    expected = shown(render_markdown(QUESTION))
    assert expected.startswith("Cells invade the <b>stroma</b>: CO2")
    with rig.window(qtbot) as main:
        assert not main.library.problems, main.library.problems
        deck = main.library.deck(DeckId("markdown"))
        assert deck is not None
        card = deck.cards[0]
        # the card list and the deck overview's preview
        assert question_plain(card) == plain_text(QUESTION)
        main.deck_manager.select_deck(DeckId("markdown"))
        assert expected in " ".join(main.overview.preview.toPlainText().split())
        # the review screen
        main.study.study_deck("markdown")
        assert " ".join(main.review.card.toPlainText().split()) == expected
        # the editor's preview, drawn by the review's renderer
        assert main.study.edit_deck(DeckId("markdown"), "rich")
        editor = main.study.editor
        assert editor is not None
        qtbot.waitUntil(lambda: expected in " ".join(editor.preview.browser.toPlainText().split()))
    # the diagram's step panel lists the card by its question's plain text
    panel = StepPanel()
    qtbot.addWidget(panel)
    step = DiagramStep(
        StepId("invasion"), "Local invasion", "Cells invade.", 1, StepKind.STEP, Point(10, 10)
    )
    prompt = card.prompts(DeckId("markdown"))[0]
    documents: dict[str, SourceDocument] = {}
    mastery = StepMastery(StepId("invasion"), 1, 0, None)
    colours = DiagramColours.from_palette(panel.palette())
    panel.show_step(step, 1, 1, mastery, [prompt], documents, colours)
    assert panel.cards.item(0).text() == plain_text(QUESTION)
