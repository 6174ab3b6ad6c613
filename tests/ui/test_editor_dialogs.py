"""The New Deck, Import and Export dialogs, with real files, real imports and real exports."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QDialog, QProgressDialog

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck
from metaflash.core.library.sources import DeckSources, load_sources
from metaflash.core.util.paths import resources_dir
from metaflash.ui.editor.editor_view import EditorView
from metaflash.ui.editor.new_deck_dialog import NewDeckDialog
from metaflash.ui.interop.export_dialog import ExportDialog
from metaflash.ui.interop.import_dialog import ImportDialog, run_import_dialog
from tests.ui.editor_helpers import (
    button_in,
    copy_bundled_decks,
    summary_text,
    when_modal,
)


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        for number in range(rows):
            writer.writerow([f"What is term {number}?", f"The meaning of term {number}."])
    return path


def test_the_new_deck_dialog_suggests_an_id_and_writes_a_valid_deck(
    qtbot: object, tmp_path: Path
) -> None:
    decks = copy_bundled_decks(tmp_path)
    library = load_sources(DeckSources((decks,)))
    dialog = NewDeckDialog(library.folders, library.decks)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.title_edit.setText("Sites of spread: the liver")
    assert dialog.id_edit.text() == "sites-of-spread-the-liver"
    assert dialog.file_edit.text() == "sites-of-spread-the-liver.yaml"
    dialog.id_edit.setText("metastasis")
    dialog.id_edit.textEdited.emit("metastasis")
    dialog.create_deck()
    assert dialog.error.isVisible() and "already uses the id" in dialog.error.text()
    dialog.id_edit.setText("liver-spread")
    dialog.id_edit.textEdited.emit("liver-spread")
    assert dialog.file_edit.text() == "liver-spread.yaml"
    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findData("metastasis"))
    assert dialog.diagram_combo.currentData() == "metastatic-cascade.diagram.yaml"
    dialog.create_deck()
    assert dialog.result() == QDialog.DialogCode.Accepted
    path = decks / "liver-spread.yaml"
    assert dialog.created == path
    text = path.read_text(encoding="utf-8")
    schema = (resources_dir() / "schema" / "deck.schema.json").resolve().as_posix()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema}"
    deck = parse_deck(text, path)
    assert isinstance(deck, Deck)
    assert (deck.id, deck.title, deck.parent, deck.cards) == (
        "liver-spread",
        "Sites of spread: the liver",
        "metastasis",
        (),
    )


def test_new_deck_from_the_editor_opens_the_new_deck(qtbot: object, tmp_path: Path) -> None:
    decks = copy_bundled_decks(tmp_path)
    view = EditorView(load_sources(DeckSources((decks,))))
    qtbot.addWidget(view)  # type: ignore[attr-defined]

    def fill(dialog: object) -> None:
        assert isinstance(dialog, NewDeckDialog)
        dialog.title_edit.setText("Colonisation")
        button_in(dialog, "Create Deck").click()

    when_modal(fill)
    created = view.new_deck()
    assert created == decks / "colonisation.yaml"
    assert view.path == created and view.card_list.model.rowCount() == 0
    view.add_card()
    view.form.front.setPlainText("What is colonisation?")
    view.form.back.setPlainText("Growth of cells into a secondary tumour.")
    view.flush()
    assert view.save()
    deck = parse_deck(created.read_bytes(), created)
    assert isinstance(deck, Deck) and [card.id for card in deck.cards] == ["colonisation"]


def test_the_import_dialog_imports_a_csv_with_progress(qtbot: object, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "Glossary Terms.csv", 150)
    out = tmp_path / "decks"
    out.mkdir()
    dialog = ImportDialog([out])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.set_source(source)
    assert dialog.name_edit.text() == "glossary-terms.yaml"
    phases: list[str] = []
    assert dialog.start_import()
    assert isinstance(dialog.progress, QProgressDialog) and dialog.progress.isVisible()
    assert dialog.task is not None
    dialog.task.progressed.connect(lambda phase, done, total: phases.append(phase))
    with qtbot.waitSignal(dialog.accepted, timeout=20000):  # type: ignore[attr-defined]
        pass
    assert dialog.imported is not None and dialog.imported.cards == 150
    assert dialog.progress is None and dialog.task is None
    assert "done" in phases
    deck = parse_deck((out / "glossary-terms.yaml").read_bytes(), out / "glossary-terms.yaml")
    assert isinstance(deck, Deck) and len(deck.cards) == 150


def test_cancelling_an_import_writes_nothing(qtbot: object, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "big.csv", 3000)
    out = tmp_path / "decks"
    out.mkdir()
    dialog = ImportDialog([out])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.set_source(source)
    assert dialog.start_import()
    task = dialog.task
    assert task is not None and dialog.progress is not None
    progress = dialog.progress

    def click_cancel(*_: object) -> None:
        # once: a cancelled progress dialog hides, and progress reports already queued by
        # the worker still arrive
        if dialog.progress is not None and not task.cancel_requested:
            button_in(progress, "Cancel").click()  # as the author would

    task.progressed.connect(click_cancel)
    with qtbot.waitSignal(task.finished, timeout=30000):  # type: ignore[attr-defined]
        pass
    assert task.cancel_requested
    assert dialog.imported is None and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == "The import was cancelled; nothing was written."
    assert list(out.iterdir()) == []


def test_a_file_that_cannot_be_imported_says_why(qtbot: object, tmp_path: Path) -> None:
    source = tmp_path / "latin1.csv"
    source.write_bytes("Caf\xe9,Coffee\n".encode("latin-1"))
    out = tmp_path / "decks"
    out.mkdir()
    dialog = ImportDialog([out])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.name_edit.setText("x.yaml")
    dialog.start_import()
    assert dialog.error.text() == "Choose the file to import."
    dialog.set_source(source)
    assert dialog.start_import()
    assert dialog.task is not None
    with qtbot.waitSignal(dialog.task.finished, timeout=20000):  # type: ignore[attr-defined]
        pass
    assert "nothing was written" in dialog.error.text() and "not UTF-8" in dialog.error.text()
    assert list(out.iterdir()) == []


def test_run_import_dialog_returns_the_top_deck(qtbot: object, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "terms.csv", 20)
    out = tmp_path / "decks"
    out.mkdir()

    def import_it(dialog: object) -> None:
        assert isinstance(dialog, ImportDialog)
        dialog.set_source(source)
        button_in(dialog, "Import").click()

    when_modal(import_it)
    summaries: list[str] = []
    when_modal(lambda box: summaries.append(summary_text(box)), name="importSummary", tries=1000)
    assert run_import_dialog(None, [out]) == out / "terms.yaml"
    assert summaries and "Imported 20 cards into 1 deck." in summaries[0]
    assert str(out / "terms.yaml") in summaries[0]


@pytest.mark.parametrize("suffix", [".apkg", ".csv"])
def test_the_export_dialog_writes_a_package_or_a_csv(
    qtbot: object, tmp_path: Path, suffix: str
) -> None:
    decks = copy_bundled_decks(tmp_path)
    dialog = ExportDialog(decks / "stages.yaml", "The stages of metastasis")
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    if suffix == ".csv":
        dialog.csv.setChecked(True)
    assert dialog.output_edit.text().endswith(f"stages{suffix}")
    dialog.whole_folder.setChecked(True)
    out = tmp_path / f"export{suffix}"
    dialog.output_edit.setText(str(out))
    assert dialog.start_export()
    with qtbot.waitSignal(dialog.accepted, timeout=30000):  # type: ignore[attr-defined]
        pass
    assert dialog.exported == out and out.is_file()
    if suffix == ".apkg":
        with zipfile.ZipFile(out) as package:
            assert {"collection.anki2"} <= set(package.namelist())
    else:
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "#separator:Comma"
        assert sum(1 for line in lines if not line.startswith("#")) > 40  # every deck of the folder


def test_a_deck_with_errors_is_not_exported(qtbot: object, tmp_path: Path) -> None:
    decks = copy_bundled_decks(tmp_path)
    path = decks / "sites.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("type: basic", "type: basik", 1), encoding="utf-8"
    )
    dialog = ExportDialog(path)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    out = tmp_path / "sites.apkg"
    dialog.output_edit.setText(str(out))
    dialog.start_export()
    assert dialog.task is not None
    with qtbot.waitSignal(dialog.task.finished, timeout=20000):  # type: ignore[attr-defined]
        pass
    assert (
        "Nothing was exported" in dialog.error.text()
        and "unknown card type 'basik'" in dialog.error.text()
    )
    assert not out.exists()
    dialog.output_edit.setText(str(tmp_path / "sites.txt"))
    assert not dialog.start_export() and "ending in .apkg" in dialog.error.text()


def test_the_import_dialog_previews_a_csv_and_its_columns_can_be_changed(
    qtbot: object, tmp_path: Path
) -> None:
    from metaflash.core.decks.model import BasicContent
    from metaflash.core.interop.csv.columns import ColumnRole
    from metaflash.core.library.snapshot import load_library

    source = tmp_path / "glossary.csv"
    source.write_text(
        "Term,Definition,Tags\nIntravasation,Entering a vessel,steps\n"
        "Extravasation,Leaving a vessel,steps\n",
        encoding="utf-8",
    )
    out = tmp_path / "decks"
    out.mkdir()
    dialog = ImportDialog([out])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.set_source(source)
    columns = dialog.columns
    assert columns.isVisible() and columns.header_row.isChecked()
    mapping = columns.mapping()
    assert mapping is not None
    assert mapping.roles == (ColumnRole.FRONT, ColumnRole.BACK, ColumnRole.TAGS)
    assert columns.table.horizontalHeaderItem(0).text() == "Term"
    assert columns.table.item(1, 0).text() == "Intravasation"  # row 0 holds the role lists
    assert "2 cards will be imported" in columns.summary.text()

    role = dialog.findChild(QComboBox, "importRole2")
    assert role is not None
    role.setCurrentIndex(role.findData(ColumnRole.FRONT.value))  # two fronts: refused
    assert not dialog.import_button.isEnabled()
    assert "two columns are mapped to front" in columns.summary.text()
    first = dialog.findChild(QComboBox, "importRole1")
    assert first is not None
    first.setCurrentIndex(first.findData(ColumnRole.BACK.value))  # swapped: definition first
    assert dialog.import_button.isEnabled()
    columns.header_row.setChecked(False)
    assert "3 cards will be imported" in columns.summary.text()
    columns.header_row.setChecked(True)

    assert dialog.start_import()
    assert dialog.task is not None
    with qtbot.waitSignal(dialog.task.finished, timeout=20000):  # type: ignore[attr-defined]
        pass
    deck = load_library([out]).decks[0]
    fronts = {}
    for card in deck.cards:
        assert isinstance(card.content, BasicContent)
        fronts[card.content.front] = (card.content.back, card.tags)
    assert fronts == {
        "Entering a vessel": ("Intravasation", ("steps",)),
        "Leaving a vessel": ("Extravasation", ("steps",)),
    }
