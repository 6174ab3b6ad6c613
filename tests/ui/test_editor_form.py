"""The card form's fields: steps with their diagram steps, a diagram card's answer, tags,
citations; each read back as the draft the editor writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import (
    CardType,
    Deck,
    DiagramContent,
    SequenceContent,
    SourceDocument,
    SourceRef,
)
from metaflash.core.editing.draft import CardDraft
from metaflash.core.library.sources import DeckSources, load_sources
from metaflash.ui.editor.card_form import CardForm
from metaflash.ui.editor.editor_view import EditorView
from tests.ui.editor_helpers import copy_bundled_decks, settle

STAGES = (
    ("local-invasion", "Local invasion"),
    ("intravasation", "Intravasation"),
    ("colonisation", "Colonisation"),
)
QA = SourceDocument("qa", "How does the metastatic process work in cancer?")
EXPLAINED = SourceDocument("explained", "Explain metastasis and how it occurs")


@pytest.fixture
def form(qtbot: object) -> CardForm:
    widget = CardForm()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.set_context(
        deck_path=Path("/decks/deck.yaml"),
        stages=STAGES,
        documents=(QA, EXPLAINED),
        sections=("Stages of Metastasis", "Sites of spread"),
        tags=("definition", "stage-1", "stage-2"),
        has_diagram=True,
    )
    return widget


def test_steps_can_be_added_moved_removed_and_given_diagram_steps(form: CardForm) -> None:
    drafts: list[CardDraft] = []
    form.draft_changed.connect(drafts.append)
    form.set_draft(
        CardDraft(id="order", type=CardType.SEQUENCE, prompt="Order", steps=("A", "B")),
        id_locked=False,
    )
    steps = form.steps
    assert [row.edit.text() for row in steps.rows] == ["A", "B"]
    steps.add_button.click()
    steps.rows[2].edit.setText("C")
    steps.rows[0].stage.setCurrentIndex(steps.rows[0].stage.findData("local-invasion"))
    steps.rows[2].stage.setCurrentIndex(steps.rows[2].stage.findData("colonisation"))
    assert form.draft().steps == ("A", "B", "C")
    assert form.draft().stages == ("local-invasion", "", "colonisation")
    steps.rows[0].down.click()
    assert form.draft().steps == ("B", "A", "C")
    assert form.draft().stages == ("", "local-invasion", "colonisation")
    steps.rows[1].remove.click()
    assert form.draft().steps == ("B", "C") and form.draft().stages == ("", "colonisation")
    assert drafts[-1] == form.draft()


def test_a_diagram_cards_answer_is_a_step_of_the_diagram(form: CardForm) -> None:
    form.set_draft(
        CardDraft(id="where", type=CardType.DIAGRAM, question="Where?", answer="intravasation"),
        id_locked=False,
    )
    assert form.rows["answer"].isVisibleTo(form) and not form.rows["front"].isVisibleTo(form)
    assert form.answer.currentData() == "intravasation"
    assert [form.answer.itemData(i) for i in range(form.answer.count())] == [
        "",
        *[step for step, _ in STAGES],
    ]
    form.answer.setCurrentIndex(form.answer.findData("colonisation"))
    assert form.draft().answer == "colonisation"
    form.set_draft(
        CardDraft(id="where", type=CardType.DIAGRAM, question="Where?", answer="liver"),
        id_locked=False,
    )
    assert form.answer.currentText() == "liver (not a step of the diagram)"


def test_tags_complete_from_the_decks_tags(form: CardForm) -> None:
    form.set_draft(CardDraft(id="x", front="Q", back="A", tags=("definition",)), id_locked=False)
    form.tags.setText("definition st")
    form.tags.setCursorPosition(len("definition st"))
    form.tags._complete("stage-2")  # what choosing "stage-2" in the completer does
    assert form.tags.text() == "definition stage-2 "
    assert form.draft().tags == ("definition", "stage-2")
    form.tags.setText("a, b a")
    assert form.draft().tags == ("a", "b")


def test_citations_name_the_decks_documents(form: CardForm) -> None:
    form.set_draft(
        CardDraft(id="x", front="Q", back="A", sources=(SourceRef("qa", "Stages of Metastasis"),)),
        id_locked=False,
    )
    sources = form.sources
    assert form.draft().sources == (SourceRef("qa", "Stages of Metastasis"),)
    sources.add_button.click()
    combo, section, _ = sources.rows[1]
    combo.setCurrentIndex(combo.findData("explained"))
    section.setText("Sites of spread")
    assert form.draft().sources == (
        SourceRef("qa", "Stages of Metastasis"),
        SourceRef("explained", "Sites of spread"),
    )
    sources.rows[0][2].click()
    assert form.draft().sources == (SourceRef("explained", "Sites of spread"),)
    form.set_draft(
        CardDraft(id="x", front="Q", back="A", sources=(SourceRef("gone", ""),)), id_locked=False
    )
    assert sources.rows[0][0].currentText() == "gone (not a source of this deck)"


def test_sequence_stages_and_diagram_answers_are_saved(qtbot: object, tmp_path: Path) -> None:
    decks = copy_bundled_decks(tmp_path)
    view = EditorView(load_sources(DeckSources((decks,))))
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.open_deck(decks / "stages.yaml", "five-stages-order")
    rows = view.form.steps.rows
    rows[2].stage.setCurrentIndex(0)  # "Survival in circulation" is no step of its own
    settle(qtbot, view)
    view.add_card(CardType.DIAGRAM)
    view.form.question.setPlainText("Where do cancer cells leave the circulation?")
    view.form.answer.setCurrentIndex(view.form.answer.findData("extravasation"))
    settle(qtbot, view)
    assert view.session is not None and view.session.check().problems == ()
    assert view.save()
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck)
    sequence = deck.card("five-stages-order").content  # type: ignore[union-attr]
    assert isinstance(sequence, SequenceContent) and sequence.stages[2] is None
    new = deck.cards[1]
    assert new.id == "cancer-cells-leave-circulation"
    assert isinstance(new.content, DiagramContent) and new.content.answer == "extravasation"
