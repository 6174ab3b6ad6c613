"""Exported packages are imported by Anki's own library, and re-exports update notes."""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from metaflash.core.decks.model import BasicContent, Card, CardId, CardType, Deck, DeckId
from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.anki.notetypes import deck_anki_id, model_id, note_guid
from metaflash.core.interop.export_source import decks_to_export
from tests.core.engine_testing import Clock
from tests.core.interop_support import NOW, anki_collection, anki_import, anki_notes, sample_decks

pytest.importorskip("anki", reason="Anki's library is a test dependency (the 'test' extra)")


def export(decks: tuple[Deck, ...] | list[Deck], out: Path, now: float = NOW) -> ExportResult:
    result = export_apkg(decks, out, now=now)
    assert isinstance(result, ExportResult), result
    return result


def test_anki_imports_every_card_as_one_note(tmp_path: Path) -> None:
    decks = sample_decks(tmp_path / "decks")
    result = export(decks, tmp_path / "out.apkg")
    assert (result.notes, result.decks, result.media) == (5, 2, 1)
    assert result.anki_cards == 1 + 2 + 2 + 4 + 1
    assert result.warnings == ()

    with anki_collection(tmp_path / "anki") as collection:
        log = anki_import(collection, tmp_path / "out.apkg")
        assert len(log.new) == 5
        notes = {view.fields["ID"]: view for view in anki_notes(collection)}
        media_dir = Path(collection.media.dir())  # type: ignore[attr-defined]
        assert collection.card_count() == 10  # type: ignore[attr-defined]

    assert set(notes) == {
        "metastasis/intravasation-definition",
        "metastasis-stages/emt",
        "metastasis-stages/invasion-cloze",
        "metastasis-stages/five-stages",
        "metastasis-stages/vessel-picture",
    }
    basic = notes["metastasis/intravasation-definition"]
    assert basic.notetype == "metaflash Basic"
    assert basic.fields["Front"] == "What is <strong>intravasation</strong>?"
    assert basic.fields["Back"] == "Cancer cells crossing <em>into</em> a vessel."
    assert sorted(basic.tags) == ["definition", "stage_2"]  # spaces are not allowed in Anki tags
    assert basic.decks == ["Metastasis"]
    assert basic.guid == note_guid(DeckId("metastasis"), CardId("intravasation-definition"))

    reverse = notes["metastasis-stages/emt"]
    assert reverse.notetype == "metaflash Reverse"
    assert reverse.decks == ["Metastasis::The stages"] * 2
    assert (
        "EMT" in reverse.questions[0]
        and "Epithelial-mesenchymal transition" in reverse.questions[1]
    )
    assert reverse.fields["Notes"] == "Cells lose their <em>adhesion</em>."
    assert (
        reverse.fields["Source"]
        == "How does the metastatic process work in cancer?, Stages of Metastasis"
    )

    cloze_note = notes["metastasis-stages/invasion-cloze"]
    assert cloze_note.notetype == "metaflash Cloze"
    assert (
        cloze_note.fields["Text"]
        == "Cells {{c1::invade}} nearby tissue, then {{c2::intravasate::verb}}."
    )
    assert len(cloze_note.questions) == 2
    assert "[verb]" in cloze_note.questions[1]
    assert cloze_note.fields["Image"] == '<img src="vessel.png">'
    assert (media_dir / "vessel.png").read_bytes().startswith(b"\x89PNG")

    picture = notes["metastasis-stages/vessel-picture"]
    assert '<img src="vessel.png" alt="a vessel"' in picture.fields["Front"]


def test_a_sequence_is_a_cloze_note_asking_what_comes_next(tmp_path: Path) -> None:
    export(sample_decks(tmp_path / "decks"), tmp_path / "out.apkg")
    with anki_collection(tmp_path / "anki") as collection:
        anki_import(collection, tmp_path / "out.apkg")
        sequence = {view.fields["ID"]: view for view in anki_notes(collection)}[
            "metastasis-stages/five-stages"
        ]
    assert sequence.notetype == "metaflash Sequence"
    assert sequence.fields["Prompt"] == "The five stages"
    assert len(sequence.questions) == 4  # one per step after the first
    items = re.findall(r"<li>(.*?)</li>", sequence.questions[1])
    assert items[0] == "Local invasion"  # the steps before are shown
    assert re.sub(r"<[^>]+>", "", items[1]) == "Intravasation"  # shown, as an inactive deletion
    assert 'class="cloze"' in items[2] and "[...]" in items[2]  # card 2 asks for step 3
    assert "mf-asking" in sequence.questions[1]  # the question side hides the steps after it


def test_a_second_export_of_an_edited_deck_updates_the_notes(tmp_path: Path) -> None:
    parent, child = sample_decks(tmp_path / "decks")
    export((parent, child), tmp_path / "first.apkg", now=NOW)
    edited_card = replace(
        parent.cards[0],
        content=BasicContent("What is intravasation, exactly?", "Entry into a vessel."),
    )
    added = Card(
        CardId("extravasation-definition"),
        BasicContent("What is extravasation?", "Leaving a vessel."),
    )
    edited = replace(parent, cards=(edited_card, added))
    export((edited, child), tmp_path / "second.apkg", now=NOW + 60)

    with anki_collection(tmp_path / "anki") as collection:
        anki_import(collection, tmp_path / "first.apkg")
        log = anki_import(collection, tmp_path / "second.apkg")
        notes = {view.fields["ID"]: view for view in anki_notes(collection)}
        deck_names = sorted(name.name for name in collection.decks.all_names_and_ids())  # type: ignore[attr-defined]
    assert len(log.new) == 1
    assert len(notes) == 6  # the cards, not twice the cards
    assert (
        notes["metastasis/intravasation-definition"].fields["Front"]
        == "What is intravasation, exactly?"
    )
    assert notes["metastasis/extravasation-definition"].decks == ["Metastasis"]
    assert deck_names == ["Default", "Metastasis", "Metastasis::The stages"]
    assert sorted({view.notetype for view in notes.values()}) == [
        "metaflash Basic",
        "metaflash Cloze",
        "metaflash Reverse",
        "metaflash Sequence",
    ]


def test_ids_are_derived_from_metaflash_ids_not_the_clock(tmp_path: Path) -> None:
    decks = sample_decks(tmp_path / "decks")
    export(decks, tmp_path / "a.apkg", now=NOW)
    export(decks, tmp_path / "b.apkg", now=NOW + 3600)

    def ids(package: Path) -> tuple[list[str], list[str], str]:
        import json
        import sqlite3

        with zipfile.ZipFile(package) as archive:
            (tmp_path / "c.db").write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(tmp_path / "c.db")
        try:
            guids = sorted(row[0] for row in connection.execute("SELECT guid FROM notes"))
            models, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        finally:
            connection.close()
        return guids, sorted(json.loads(models)), json.dumps(sorted(json.loads(decks_json)))

    assert ids(tmp_path / "a.apkg") == ids(tmp_path / "b.apkg")
    guids, models, decks_json = ids(tmp_path / "a.apkg")
    assert str(model_id(CardType.CLOZE)) in models
    assert str(deck_anki_id(DeckId("metastasis-stages"))) in decks_json
    assert len(set(guids)) == 5


def test_export_problems_are_values(tmp_path: Path) -> None:
    parent, child = sample_decks(tmp_path / "decks")
    missing = export_apkg([parent], tmp_path / "no-such-folder" / "out.apkg", now=NOW)
    assert isinstance(missing, tuple) and "does not exist" in missing[0].message
    twice = export_apkg([parent, replace(child, id=parent.id)], tmp_path / "out.apkg", now=NOW)
    assert isinstance(twice, tuple) and "also used by" in twice[0].message
    assert not (tmp_path / "out.apkg").exists()


def test_a_missing_image_is_a_warning_and_the_rest_exports(tmp_path: Path) -> None:
    parent, child = sample_decks(tmp_path / "decks")
    (tmp_path / "decks" / "images" / "vessel.png").unlink()
    result = export((parent, child), tmp_path / "out.apkg")
    assert result.media == 0 and result.notes == 5
    assert result.warnings and all(w.severity == "warning" for w in result.warnings)
    assert any("not found" in warning.message for warning in result.warnings)
    assert not list(tmp_path.glob("*.part"))  # the temporary file was renamed, not left behind


def test_a_sub_deck_file_exports_on_its_own_from_the_command_line(
    repo_root: Path, tmp_path: Path
) -> None:
    """A single deck file whose parent is not exported with it becomes a top-level deck."""
    from metaflash.cli import main

    out = tmp_path / "sites.apkg"
    assert (
        main(
            ["export", str(repo_root / "decks" / "metastasis" / "sites.yaml"), "-o", str(out)],
            clock=Clock(),
        )
        == 0
    )
    assert out.stat().st_size > 0
    missing = ["export", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.apkg")]
    assert main(missing, clock=Clock()) == 1


def test_a_parent_deck_file_exports_with_its_sub_decks(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As Anki exports a deck: the deck and every deck nested under it, from its folder."""
    from metaflash.cli import main

    folder = tmp_path / "copy"
    shutil.copytree(repo_root / "decks" / "metastasis", folder)  # ids as the bundled ones
    decks, problems = decks_to_export(folder / "overview.yaml")
    assert problems == ()
    assert decks[0].id == "metastasis" and len(decks) == 5
    assert {d.parent for d in decks[1:]} == {"metastasis"}
    out = tmp_path / "all.apkg"
    assert main(["export", str(folder / "overview.yaml"), "-o", str(out)], clock=Clock()) == 0
    assert "in 5 decks" in capsys.readouterr().out
    with anki_collection(tmp_path / "anki") as collection:  # Anki imports every card
        anki_import(collection, out)
        assert len(anki_notes(collection)) == sum(len(d.cards) for d in decks)
    # a sub-deck on its own is just that deck
    alone, problems = decks_to_export(folder / "sites.yaml")
    assert problems == () and [d.id for d in alone] == ["metastasis-sites"]


def test_a_deck_whose_parent_is_bundled_exports_from_its_folder(tmp_path: Path) -> None:
    """The README's own example: a deck of one's own, nested under a bundled deck."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.yaml").write_text(
        "format: 1\nid: my-metastasis-notes\ntitle: My notes\nparent: metastasis\n"
        "cards:\n  - {id: one, front: What is EMT?, back: A transition.}\n",
        encoding="utf-8",
    )
    (folder / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    decks, problems = decks_to_export(folder / "notes.yaml")
    assert problems == () and [d.id for d in decks] == ["my-metastasis-notes"]
    (folder / "broken.yaml").unlink()
    decks, problems = decks_to_export(folder)
    assert problems == () and [d.id for d in decks] == ["my-metastasis-notes"]


def test_a_missing_output_folder_is_a_plain_error(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from metaflash.cli import main

    out = tmp_path / "missing" / "x.apkg"
    deck = str(repo_root / "decks" / "metastasis" / "sites.yaml")
    assert main(["export", deck, "-o", str(out)], clock=Clock()) == 1
    error = capsys.readouterr().err
    assert f"the folder {out.parent} does not exist" in error and ":1:1:" not in error
    assert not out.parent.exists()
