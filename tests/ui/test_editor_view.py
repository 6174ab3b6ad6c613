"""The deck editor view, driven with qtbot on copies of the bundled decks."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import CardType, ClozeContent, Deck
from metaflash.core.library.snapshot import load_library
from metaflash.core.library.sources import DeckSources, load_sources
from metaflash.ui.editor.card_list import Column
from metaflash.ui.editor.conflict_dialog import ConflictDialog
from metaflash.ui.editor.editor_view import EditorView
from tests.ui.editor_helpers import (
    button_in,
    click_in_modal,
    copy_bundled_decks,
    settle,
    when_modal,
)


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    return copy_bundled_decks(tmp_path)


@pytest.fixture
def view(qtbot: object, decks: Path) -> EditorView:
    editor = EditorView(load_sources(DeckSources((decks,))))
    qtbot.addWidget(editor)  # type: ignore[attr-defined]
    editor.resize(1280, 800)
    editor.show()
    assert editor.open_deck(decks / "stages.yaml")
    return editor


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def visible_ids(view: EditorView) -> list[str]:
    proxy = view.card_list.filtered
    return [proxy.index(row, Column.ID).data() for row in range(proxy.rowCount())]


def test_the_cards_can_be_searched_and_filtered(view: EditorView, decks: Path) -> None:
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck)
    panel = view.card_list
    assert panel.model.rowCount() == len(deck.cards)
    assert view.current_index == 0 and view.form.id_edit.text() == deck.cards[0].id
    panel.search.setText("enzymes")
    assert visible_ids(view) and all(
        "enzymes" in panel.model.search_text(i)
        for i in range(panel.model.rowCount())
        if panel.model.card(i).id in visible_ids(view)
    )
    assert panel.count.text().endswith(f"of {len(deck.cards)} cards")
    panel.search.clear()
    panel.type_filter.setCurrentIndex(panel.type_filter.findData("cloze"))
    assert visible_ids(view) == [card.id for card in deck.cards if card.type is CardType.CLOZE]
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("stage-2"))
    assert visible_ids(view) == [
        c.id for c in deck.cards if c.type is CardType.CLOZE and "stage-2" in c.tags
    ]
    panel.type_filter.setCurrentIndex(0)
    panel.tag_filter.setCurrentIndex(0)
    panel.stage_filter.setCurrentIndex(panel.stage_filter.findData("intravasation"))
    assert visible_ids(view) == [c.id for c in deck.cards if c.stage == "intravasation"]
    # selecting a card the filters hide clears them
    hidden = next(c.id for c in deck.cards if c.stage != "intravasation")
    assert view.select_card(hidden)
    assert view.form.id_edit.text() == hidden and len(visible_ids(view)) == len(deck.cards)


def test_editing_a_card_updates_the_preview_and_saves_only_that_line(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    path = decks / "stages.yaml"
    before = path.read_text(encoding="utf-8")
    assert view.select_card("local-invasion-enzymes")
    view.form.back.setPlainText("They release enzymes that digest the matrix.")
    assert "They release enzymes that digest the matrix." in view.preview.shown_text()
    assert view.is_dirty and view.edits_pending
    settle(qtbot, view)
    assert view.session is not None and view.session.dirty
    saved: list[Path] = []
    view.deck_saved.connect(saved.append)
    # the guard's watcher sees the editor's own save (its slot runs before this spy's)
    with qtbot.waitSignal(view.guard.watcher.fileChanged, timeout=2000):  # type: ignore[attr-defined]
        assert view.save()
    assert saved == [path] and not view.is_dirty
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-    back: They secrete digestive enzymes that degrade them.",
        "+    back: They release enzymes that digest the matrix.",
    ]
    deck = load_library([decks]).deck("metastasis-stages")  # type: ignore[arg-type]
    assert deck is not None and deck.card("local-invasion-enzymes").content.back == (  # type: ignore[union-attr]
        "They release enzymes that digest the matrix."
    )
    assert view.last_saved_digest is not None
    assert (
        not view.banner.isVisible()
    )  # the editor's own save: no notice and view.status_label.text() == "Saved stages.yaml."


def test_an_invalid_edit_shows_under_its_field_and_saving_asks_first(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    path = decks / "stages.yaml"
    before = path.read_bytes()
    assert view.select_card("local-invasion-barriers")
    view.form.text.setPlainText("Cells secrete {{c1::enzymes} that break the matrix.")
    settle(qtbot, view)
    problem = view.form.rows["text"].problem_text()
    assert "cloze deletion is not closed" in problem
    assert view.problem_list.isVisible() and view.problem_list.count() == 1
    assert "1 problem" in view.problem_summary.text()
    row = view.current_index
    assert view.card_list.model.problems(row)
    assert (
        "cloze" in view.preview.shown_text().lower() and "not closed" in view.preview.shown_text()
    )
    seen = click_in_modal("Cancel")
    assert not view.save()
    assert seen and seen[0].objectName() == "saveWithErrors"
    assert "not closed" in seen[0].informativeText()  # type: ignore[attr-defined]
    assert path.read_bytes() == before
    click_in_modal("Save Anyway")
    assert view.save()
    assert isinstance(parse_deck(path.read_bytes(), path), tuple)  # saved as asked, errors and all
    view.form.text.setPlainText("Cells secrete {{c1::enzymes}} that break the matrix.")
    settle(qtbot, view)
    assert view.form.rows["text"].problem_text() == "" and not view.problem_list.isVisible()
    assert view.save()
    deck = parse_deck(path.read_bytes(), path)
    assert isinstance(deck, Deck)
    content = deck.card("local-invasion-barriers").content  # type: ignore[union-attr]
    assert isinstance(content, ClozeContent) and content.cloze.numbers == (1,)


def test_a_new_card_gets_an_id_from_its_question_which_locks_once_saved(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    count = view.card_list.model.rowCount()
    view.select_card("five-stages-order")
    index = view.add_card(CardType.BASIC)
    assert index == 1 and view.current_index == 1
    assert view.card_list.model.rowCount() == count + 1
    assert view.form.id_edit.text() == "new-card" and not view.form.id_edit.isReadOnly()
    view.form.front.setPlainText("What is a **secondary tumour**?")
    view.form.back.setPlainText(
        "A tumour that grew from cells that spread from the primary tumour."
    )
    settle(qtbot, view)
    assert view.form.id_edit.text() == "secondary-tumour"
    assert view.save()
    assert view.form.id_edit.isReadOnly() and view.form.change_id_button.isVisible()
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck) and deck.cards[1].id == "secondary-tumour"
    # changing a saved id takes a confirmation
    click_in_modal("Cancel")
    view.form.change_id_button.click()
    assert view.form.id_edit.isReadOnly()
    click_in_modal("Change ID")
    view.form.change_id_button.click()
    assert not view.form.id_edit.isReadOnly()


def test_duplicate_move_delete_and_undo(qtbot: object, view: EditorView) -> None:
    session = view.session
    assert session is not None
    original = session.document.text
    ids = list(session.document.card_ids())
    view.select_card(ids[2])
    view.editor_actions.duplicate.trigger()
    assert view.current_index == 3 and session.document.card(3).id != ids[2]
    view.editor_actions.move_up.trigger()
    assert view.current_index == 2 and session.document.card_ids()[2] == session.document.card(2).id
    assert session.document.card_ids()[3] == ids[2]
    view.editor_actions.delete.trigger()
    assert list(session.document.card_ids()) == ids
    assert "Undo brings it back" in view.status_label.text()
    view.editor_actions.undo.trigger()
    assert len(session.document.card_ids()) == len(ids) + 1
    for _ in range(2):
        view.editor_actions.undo.trigger()
    assert session.document.text == original and not view.is_dirty
    view.editor_actions.redo.trigger()
    assert len(session.document.card_ids()) == len(ids) + 1


def test_changing_the_type_carries_the_text_over(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    view.select_card("local-invasion-enzymes")
    view.form.type_combo.setCurrentIndex(view.form.type_combo.findData("cloze"))
    assert view.form.rows["text"].isVisible() and not view.form.rows["front"].isVisible()
    assert (
        view.form.text.toPlainText() == "How do cancer cells break down the barriers around them?"
    )
    view.form.text.selectAll()
    view.form.make_gap()
    assert view.form.text.toPlainText().startswith("{{c1::How do cancer cells")
    settle(qtbot, view)
    assert view.save()
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck) and deck.card("local-invasion-enzymes").type is CardType.CLOZE  # type: ignore[union-attr]


def test_deck_details_are_edited_in_their_tab(qtbot: object, view: EditorView, decks: Path) -> None:
    view.tabs.setCurrentIndex(1)
    view.details.title.setText("Stages, renamed")
    settle(qtbot, view)
    assert view.title_label.text() == "Stages, renamed"
    view.details.parent_combo.setCurrentIndex(0)  # no parent
    settle(qtbot, view)
    assert view.save()
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck) and deck.title == "Stages, renamed" and deck.parent is None


def test_an_image_from_elsewhere_is_copied_into_the_decks_folder(
    qtbot: object, view: EditorView, decks: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "Blood Vessel.png"
    from PySide6.QtGui import QImage

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkRed)
    assert image.save(str(outside))
    view.select_card("local-invasion-enzymes")
    click_in_modal("Copy Image")
    assert view.form.image.use_file(outside)
    assert view.form.image.image() == "images/blood-vessel.png"
    assert (decks / "images" / "blood-vessel.png").is_file()
    assert "<img" in view.preview.browser.toHtml()
    settle(qtbot, view)
    assert view.session is not None and view.session.check().problems == ()
    inside = decks / "images" / "blood-vessel.png"
    view.form.image.set_image("")
    assert view.form.image.use_file(inside)  # already inside: no question
    assert view.form.image.image() == "images/blood-vessel.png"


@pytest.mark.parametrize("choice", ["Reload", "Keep Mine"])
def test_a_file_changed_on_disk_asks_and_does_what_was_chosen(
    qtbot: object, view: EditorView, decks: Path, choice: str
) -> None:
    path = decks / "stages.yaml"
    view.select_card("local-invasion-enzymes")
    view.form.back.setPlainText("My version of the answer.")
    settle(qtbot, view)
    theirs = path.read_text(encoding="utf-8").replace("The five stages of", "Their five stages of")
    path.write_text(theirs, encoding="utf-8")
    qtbot.waitUntil(view.banner.isVisible, timeout=3000)  # type: ignore[attr-defined]
    seen = click_in_modal(choice)
    assert not view.save() if choice == "Reload" else view.save()
    assert isinstance(seen[0], ConflictDialog)
    on_disk = path.read_text(encoding="utf-8")
    if choice == "Reload":
        assert on_disk == theirs
        assert view.session is not None and not view.session.dirty
        assert "My version" not in view.session.document.text
        assert view.form.back.toPlainText() != "My version of the answer."
    else:
        assert "My version of the answer." in on_disk and "Their five stages" not in on_disk
    assert not view.banner.isVisible()


def test_compare_shows_the_differences_and_cancel_writes_nothing(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    path = decks / "stages.yaml"
    view.select_card("local-invasion-enzymes")
    view.form.back.setPlainText("My version of the answer.")
    settle(qtbot, view)
    theirs = path.read_text(encoding="utf-8").replace("The five stages of", "Their five stages of")
    path.write_text(theirs, encoding="utf-8")
    shown: list[str] = []

    def compare_then_cancel(dialog: object) -> None:
        assert isinstance(dialog, ConflictDialog)
        button_in(dialog, "Compare…").click()
        shown.append(dialog.diff_view.toPlainText())
        button_in(dialog, "Cancel").click()

    when_modal(compare_then_cancel)
    assert not view.save()
    assert path.read_text(encoding="utf-8") == theirs
    diff = shown[0]
    assert "-    back: They secrete digestive enzymes that degrade them." in diff
    assert "+    back: My version of the answer." in diff
    assert "Their five stages" in diff and "stages.yaml (on disk)" in diff
    assert view.is_dirty


def test_an_outside_change_reloads_when_nothing_is_unsaved(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    path = decks / "stages.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: five-stages-order", "id: stages-in-order"),
        encoding="utf-8",
    )
    qtbot.waitUntil(
        lambda: view.session is not None and "stages-in-order" in view.session.document.card_ids(),
        timeout=3000,
    )  # type: ignore[attr-defined]
    assert not view.banner.isVisible() and "from disk" in view.status_label.text()
    assert view.card_list.model.card(0).id == "stages-in-order"


def test_unsaved_edits_are_offered_to_save_before_another_deck_opens(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    view.form.prompt.setPlainText("The five stages, renamed")
    click_in_modal("Cancel")
    assert not view.open_deck(decks / "sites.yaml")
    assert view.path == decks / "stages.yaml"
    click_in_modal("Save")
    assert view.open_deck(decks / "sites.yaml")
    assert view.path == decks / "sites.yaml"
    assert "The five stages, renamed" in (decks / "stages.yaml").read_text(encoding="utf-8")


def test_a_file_that_is_not_yaml_is_refused_with_its_problem(
    qtbot: object, view: EditorView, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\ncards: [\n", encoding="utf-8")
    texts: list[str] = []

    def read_and_close(box: object) -> None:
        texts.append(box.text())  # type: ignore[attr-defined]
        button_in(box, "OK").click()  # type: ignore[arg-type]

    when_modal(read_and_close)
    assert not view.open_deck(broken)
    assert "YAML syntax error" in texts[0] and "line 3" in texts[0]
    assert view.path is not None and view.path.name == "stages.yaml"


def test_a_new_library_keeps_what_is_being_typed(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    view.select_card("local-invasion-enzymes")
    view.form.stage.setCurrentIndex(view.form.stage.findData("intravasation"))
    view.form.back.setPlainText("Typed, not yet applied.")
    assert view.edits_pending
    view.set_library(load_sources(DeckSources((decks,))))  # as after a reload of the window's decks
    assert view.form.stage.currentData() == "intravasation"
    assert view.form.back.toPlainText() == "Typed, not yet applied."
    settle(qtbot, view)
    assert view.session is not None
    card = view.session.document.card(view.current_index)
    assert (card.stage, card.back) == ("intravasation", "Typed, not yet applied.")


def test_a_save_that_truncates_then_writes_reloads_without_a_false_alarm(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    """Editors without atomic saves empty the file, then write it: the editor must wait for
    the text, not alarm ("the file is empty") nor show a banner when nothing was unsaved."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    path = decks / "stages.yaml"
    new_text = path.read_text(encoding="utf-8").replace(
        "id: five-stages-order", "id: stages-in-order"
    )
    dialogs: list[object] = []

    def watch_for_dialogs() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialogs.append(dialog)
            dialog.close()

    spy = QTimer()
    spy.timeout.connect(watch_for_dialogs)
    spy.start(20)
    try:
        with path.open("w", encoding="utf-8"):
            pass  # truncated: the watcher sees an empty file
        QTimer.singleShot(400, lambda: path.write_text(new_text, encoding="utf-8"))
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: (
                view.session is not None and "stages-in-order" in view.session.document.card_ids()
            ),
            timeout=5000,
        )
    finally:
        spy.stop()
    assert dialogs == [] and not view.banner.isVisible()


def test_a_file_left_empty_is_said_in_the_banner_not_a_dialog(
    qtbot: object, view: EditorView, decks: Path
) -> None:
    path = decks / "stages.yaml"
    path.write_text("", encoding="utf-8")
    qtbot.waitUntil(view.banner.isVisible, timeout=6000)  # type: ignore[attr-defined]
    assert "was emptied on disk" in view.banner_label.text()
    assert view.session is not None and view.session.document.card_ids()  # still the deck
