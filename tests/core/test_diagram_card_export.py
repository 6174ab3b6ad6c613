"""Diagram cards exported for Anki: basic notes whose back is the step's label and summary,
read by Anki's own library; the CSV keeps the metaflash type, and importing it again warns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from metaflash.core.decks.model import Card, CardId, Deck, DeckId, DiagramContent, StepId
from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.csv.export import CsvExportResult, export_csv
from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.import_result import ImportResult
from metaflash.core.library.snapshot import load_library
from tests.core.interop_support import NOW, anki_collection, anki_import, anki_notes

pytest.importorskip("anki", reason="Anki's library is a test dependency (the 'test' extra)")

QUESTION = "Where do cells *leave* the circulation?"
LABEL_AND_SUMMARY = "<p><strong>Extravasation</strong></p>\n<p>Cells leave the blood or lymph.</p>"


def deck(folder: Path) -> Deck:
    card = Card(
        CardId("where-cells-leave"),
        DiagramContent(
            QUESTION, StepId("extravasation"), "Extravasation", "Cells leave the blood or lymph."
        ),
        tags=("on-the-diagram",),
    )
    return Deck(DeckId("stages"), "Stages", (card,), path=folder / "stages.yaml")


def test_anki_imports_a_diagram_card_as_a_basic_note_with_the_step_on_the_back(
    tmp_path: Path,
) -> None:
    result = export_apkg([deck(tmp_path)], tmp_path / "out.apkg", now=NOW)
    assert isinstance(result, ExportResult), result
    assert (result.notes, result.anki_cards, result.warnings) == (1, 1, ())
    with anki_collection(tmp_path / "anki") as collection:
        anki_import(collection, tmp_path / "out.apkg")
        (note,) = anki_notes(collection)
    assert note.notetype == "metaflash Basic"
    assert note.fields["Front"] == "Where do cells <em>leave</em> the circulation?"
    assert note.fields["Back"] == LABEL_AND_SUMMARY
    assert note.fields["ID"] == "stages/where-cells-leave"
    assert len(note.questions) == 1 and "Extravasation" not in note.questions[0]


def test_the_csv_row_is_a_basic_note_of_type_diagram(tmp_path: Path) -> None:
    result = export_csv([deck(tmp_path)], tmp_path / "out.csv")
    assert isinstance(result, CsvExportResult) and result.rows == 1
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    (row,) = csv.reader(io.StringIO("\n".join(text.splitlines()[7:])))
    assert row[0] == "Basic"
    assert (row[3], row[4]) == ("Where do cells <em>leave</em> the circulation?", LABEL_AND_SUMMARY)
    assert row[7:] == ["stages/where-cells-leave", "diagram", "on-the-diagram"]

    (tmp_path / "back").mkdir()
    back = import_csv(tmp_path / "out.csv", tmp_path / "back" / "stages.yaml")
    assert isinstance(back, ImportResult), back
    (warning,) = back.warnings
    assert warning.severity == "warning"
    assert warning.message.startswith("1 diagram card imported as a basic card")
    assert "'answer: STEP-ID'" in warning.hint
    (again,) = load_library([tmp_path / "back"]).decks
    assert again.cards[0].id == "where-cells-leave"  # same id: the progress stays
    assert again.cards[0].type.value == "basic"


def test_the_bundled_diagram_cards_export_with_their_labels(
    repo_root: Path, tmp_path: Path
) -> None:
    library = load_library([repo_root / "decks"])
    assert library.problems == ()
    diagram_cards = [
        (deck.id, card)
        for deck in library.decks
        for card in deck.cards
        if isinstance(card.content, DiagramContent)
    ]
    assert len(diagram_cards) >= 8  # every step that is a place on the figure has one or more
    result = export_csv(library.decks, tmp_path / "all.csv")
    assert isinstance(result, CsvExportResult)
    text = (tmp_path / "all.csv").read_text(encoding="utf-8")
    rows = {row[7]: row for row in csv.reader(io.StringIO("\n".join(text.splitlines()[7:])))}
    diagram = library.diagrams[0]
    for deck_id, card in diagram_cards:
        assert isinstance(card.content, DiagramContent)
        step = diagram.step(card.content.answer)
        assert step is not None
        row = rows[f"{deck_id}/{card.id}"]
        assert (row[0], row[8]) == ("Basic", "diagram")
        assert row[4].startswith(f"<p><strong>{step.label}</strong></p>")
