"""The CSV export: Anki's text importer reads it with no choices, and re-imports update."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from metaflash.core.decks.model import BasicContent
from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.csv.export import COLUMNS, CsvExportResult, export_csv
from tests.core.interop_support import NOW, anki_collection, anki_import, anki_notes, sample_decks

pytest.importorskip("anki", reason="Anki's library is a test dependency (the 'test' extra)")


def anki_csv_import(collection: object, path: Path) -> object:
    from anki.collection import Collection, ImportCsvRequest

    assert isinstance(collection, Collection)
    metadata = collection.get_csv_metadata(str(path), None)
    return collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_the_csv_has_anki_headers_and_one_row_per_card(tmp_path: Path) -> None:
    result = export_csv(sample_decks(tmp_path / "decks"), tmp_path / "cards.csv")
    assert isinstance(result, CsvExportResult) and result.rows == 5
    text = (tmp_path / "cards.csv").read_text(encoding="utf-8")
    head = text.splitlines()[:7]
    assert head == [
        "#separator:Comma",
        "#html:true",
        "#notetype column:1",
        "#deck column:2",
        "#guid column:3",
        "#tags column:10",
        "#columns:" + ",".join(COLUMNS),
    ]
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[7:]))))
    assert [row[0] for row in rows] == [
        "Basic",
        "Basic (and reversed card)",
        "Cloze",
        "Cloze",
        "Basic",
    ]
    assert [row[1] for row in rows][:2] == [
        "Metastasis",
        "Metastasis::The stages",
    ]  # parent deck first
    assert rows[0][7:] == ["metastasis/intravasation-definition", "basic", "definition stage_2"]
    assert [row[8] for row in rows] == ["basic", "reverse", "cloze", "sequence", "basic"]
    assert any("cannot carry images" in warning.message for warning in result.warnings)


def test_anki_imports_the_csv_with_the_same_guids_as_the_package(tmp_path: Path) -> None:
    decks = sample_decks(tmp_path / "decks")
    assert isinstance(export_csv(decks, tmp_path / "cards.csv"), CsvExportResult)
    assert isinstance(export_apkg(decks, tmp_path / "cards.apkg", now=NOW), ExportResult)
    with anki_collection(tmp_path / "from-csv") as collection:
        log = anki_csv_import(collection, tmp_path / "cards.csv")
        assert len(log.new) == 5  # type: ignore[attr-defined]
        from_csv = {view.guid: view for view in anki_notes(collection)}
    with anki_collection(tmp_path / "from-apkg") as collection:
        anki_import(collection, tmp_path / "cards.apkg")
        from_apkg = {view.guid: view for view in anki_notes(collection)}
    assert set(from_csv) == set(from_apkg)
    for guid, view in from_csv.items():
        assert view.decks[0] == from_apkg[guid].decks[0]
        assert sorted(view.tags) == sorted(from_apkg[guid].tags)
    cloze_notes = [view for view in from_csv.values() if view.notetype == "Cloze"]
    assert sorted(len(view.questions) for view in cloze_notes) == [2, 4]
    reverse = next(
        view for view in from_csv.values() if view.notetype == "Basic (and reversed card)"
    )
    assert reverse.fields == {"Front": "EMT", "Back": "Epithelial-mesenchymal transition"}


def test_importing_an_edited_csv_again_updates_the_notes(tmp_path: Path) -> None:
    parent, child = sample_decks(tmp_path / "decks")
    assert isinstance(export_csv([parent, child], tmp_path / "one.csv"), CsvExportResult)
    edited = replace(
        parent, cards=(replace(parent.cards[0], content=BasicContent("Reworded?", "Same answer")),)
    )
    assert isinstance(export_csv([edited, child], tmp_path / "two.csv"), CsvExportResult)
    with anki_collection(tmp_path / "anki") as collection:
        anki_csv_import(collection, tmp_path / "one.csv")
        anki_csv_import(collection, tmp_path / "two.csv")
        notes = anki_notes(collection)
    assert len(notes) == 5
    assert any(view.fields.get("Front") == "Reworded?" for view in notes)
