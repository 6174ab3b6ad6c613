"""The main window, driven with qtbot: the deck manager, the overview and its cards,
problems, menus, views, and the window's layout remembered from one start to the next."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QTextDocumentFragment
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.core.decks.model import DeckId
from metaflash.ui.decks.card_table import CardColumn
from metaflash.ui.shell.help_dialogs import DeckFormatDialog, about_html
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName

STAGES_DECK = """\
format: 1
id: stages
title: The stages
parent: small
sources:
  - {id: qa, title: How does the metastatic process work in cancer?}
cards:
  - id: intravasation-definition
    front: What is *intravasation*?
    back: Cancer cells crossing into a vessel.
    tags: [definition, stage-2]
    source: {document: qa, section: Stages of Metastasis}
  - id: vessel-cloze
    type: cloze
    text: "Cells enter vessels by {{c1::intravasation}}."
  - id: cascade-order
    type: sequence
    prompt: The stages, in order
    steps: [Local invasion, Intravasation, Extravasation]
"""

BROKEN = """\
format: 1
id: broken
title: Broken
cards:
  - id: a
    frnt: typo
    back: b
"""


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    decks = write_small_decks(tmp_path / "decks")
    (decks / "stages.yaml").write_text(STAGES_DECK, encoding="utf-8")
    return WindowRig(tmp_path / "data", decks, FakeClock(), RecordingOpener())


@pytest.fixture
def window(qtbot: QtBot, rig: WindowRig) -> Iterator[MainWindow]:
    with rig.window(qtbot) as main:
        yield main


def tree_rows(main: MainWindow) -> list[tuple[int, str, str, str, str]]:
    """(depth, title, new, learning, due) for every row of the deck tree, top to bottom."""
    tree = main.deck_manager.tree
    rows: list[tuple[int, str, str, str, str]] = []

    def walk(item, depth: int) -> None:  # type: ignore[no-untyped-def]
        rows.append((depth, item.text(0), item.text(1), item.text(2), item.text(3)))
        for index in range(item.childCount()):
            walk(item.child(index), depth + 1)

    for index in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(index), 0)
    return rows


def table_column(main: MainWindow, column: CardColumn) -> list[str]:
    model = main.overview.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_tree_nests_decks_with_todays_counts(window: MainWindow) -> None:
    # small: 3 prompts; stages: 1 + 1 + 3 (two "what comes next" and one "order") = 5
    assert tree_rows(window) == [
        (0, "A small deck", "8", "0", "0"),
        (1, "The stages", "5", "0", "0"),
    ]
    assert window.summary.text() == "2 decks and 6 cards loaded from 2 folders"
    assert window.overview.study.counts.text() == "8 new · 0 learning · 0 due"


def test_the_first_deck_is_shown_with_its_cards(window: MainWindow) -> None:
    overview = window.overview
    assert overview.title.text() == "A small deck"
    shown = QTextDocumentFragment.fromHtml(overview.description.text()).toPlainText()
    assert shown == "Three cards to study."
    assert table_column(window, CardColumn.QUESTION) == [
        "What is intravasation?",
        "What is extravasation?",
        "Cells […] nearby tissue.",
    ]
    assert "Cancer cells entering a vessel." in overview.preview.toPlainText()


def test_arrow_keys_select_a_deck_and_show_its_cards(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.deck_manager.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    overview = window.overview
    assert overview.title.text() == "The stages"
    assert overview.breadcrumb.text() == "A small deck"
    assert "How does the metastatic process work in cancer?" in overview.sources.text()
    assert table_column(window, CardColumn.TYPE) == ["basic", "cloze", "sequence"]
    assert table_column(window, CardColumn.TAGS)[0] == "definition, stage-2"
    assert overview.card_count.text() == "3 cards"


def test_the_filter_box_narrows_the_tree(qtbot: QtBot, window: MainWindow) -> None:
    window.menus.filter_decks.trigger()
    box = window.deck_manager.filter
    assert box.hasFocus()
    qtbot.keyClicks(box, "stages")
    assert window.deck_manager.tree.visible_deck_ids() == ["small", "stages"]
    assert window.overview.title.text() == "The stages"  # the parent stays, for context
    box.clear()
    qtbot.keyClicks(box, "nothing like this")
    assert window.deck_manager.tree.visible_deck_ids() == []
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    assert window.deck_manager.tree.visible_deck_ids() == ["small", "stages"]


def test_the_card_filter_narrows_the_cards(qtbot: QtBot, window: MainWindow) -> None:
    window.deck_manager.select_deck(DeckId("stages"))
    overview = window.overview
    overview.table.setFocus()
    qtbot.keySequence(overview.table, QKeySequence(QKeySequence.StandardKey.Find))
    assert overview.filter.hasFocus()
    qtbot.keyClicks(overview.filter, "stage-2")
    assert table_column(window, CardColumn.ID) == ["intravasation-definition"]
    assert overview.card_count.text() == "1 of 3 cards"


def test_the_deck_menu_opens_reveals_and_removes(
    qtbot: QtBot, window: MainWindow, rig: WindowRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    menu = window.deck_manager.deck_menu(DeckId("stages"))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Study",
        "&Edit Deck",
        "&Open File",
        "Reveal in &Folder",
        "&Remove from Library…",
    ]
    actions = {a.text(): a for a in menu.actions()}
    actions["&Open File"].trigger()  # no $VISUAL or $EDITOR: the desktop opens it
    assert rig.opener.urls[-1] == str(rig.bundled / "stages.yaml")
    monkeypatch.setenv("VISUAL", "code")
    actions["&Open File"].trigger()
    assert rig.opener.started[-1] == ["code", "-g", f"{rig.bundled / 'stages.yaml'}:1"]
    actions["&Edit Deck"].trigger()
    assert window.current_view() is ViewName.EDITOR
    assert window.study.editor is not None
    assert window.study.editor.path == rig.bundled / "stages.yaml"
    actions["Reveal in &Folder"].trigger()
    assert rig.opener.urls[-1] == str(rig.bundled)
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Ok)
    actions["&Remove from Library…"].trigger()
    assert window.deck_manager.tree.deck_ids() == ["small"]
    assert (rig.bundled / "stages.yaml").is_file()  # never deleted
    assert window.menus.restore_removed.isEnabled()
    window.menus.restore_removed.trigger()
    assert window.deck_manager.tree.deck_ids() == ["small", "stages"]
    menu.deleteLater()


def test_removing_a_parent_removes_its_sub_decks_and_is_remembered(
    qtbot: QtBot, rig: WindowRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", answer)
    with rig.window(qtbot) as main:
        main.commands.remove_deck("small")
        assert "• A small deck\n• The stages" in asked[0]
        assert main.library.decks == ()
        assert "No decks are loaded" in main.overview.empty.text()
    with rig.window(qtbot) as again:
        assert again.library.decks == ()
        again.menus.restore_removed.trigger()
        assert {deck.id for deck in again.library.decks} == {"small", "stages"}


def test_problems_are_listed_and_a_row_opens_the_file_at_its_line(
    qtbot: QtBot, rig: WindowRig
) -> None:
    (rig.bundled / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    with rig.window(qtbot) as main:
        assert main.problems_dock.isVisible()
        assert main.problem_button.text() == "1 problem found"
        panel = main.problems
        location = panel.topLevelItem(0).text(0)
        assert location == f"{rig.bundled / 'broken.yaml'}:6:5"
        assert "frnt" in panel.topLevelItem(0).text(1)
        panel.setCurrentItem(panel.topLevelItem(0))
        panel.itemActivated.emit(panel.topLevelItem(0), 0)
        assert rig.opener.urls == [str(rig.bundled / "broken.yaml")]  # no $EDITOR: the desktop
        panel.copy_selected()
        assert QGuiApplication.clipboard().text().startswith(location + ": error:")
        main.problems_dock.close()
        qtbot.mouseClick(main.problem_button, Qt.MouseButton.LeftButton)
        assert main.problems_dock.isVisible()


def test_no_problems_hides_the_panel(window: MainWindow) -> None:
    assert not window.problems_dock.isVisible()
    assert window.problem_button.text() == "No problems found"
    assert not window.problem_button.isEnabled()


def test_opening_a_folder_loads_selects_and_remembers_its_decks(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    other = tmp_path / "more"
    other.mkdir()
    (other / "extra.yaml").write_text(
        "format: 1\nid: extra\ntitle: Extra deck\ncards:\n  - {id: x, front: Q, back: A}\n",
        encoding="utf-8",
    )
    with rig.window(qtbot) as main:
        main.add_deck_folder(other)
        assert main.overview.title.text() == "Extra deck"
        assert "3 folders" in main.summary.text()
        main.add_deck_folder(other)  # the same folder again: loaded once
        assert main.library.folders.count(other.resolve()) == 1
    with rig.window(qtbot) as again:
        assert "extra" in again.deck_manager.tree.deck_ids()


def test_reload_keeps_the_selected_deck(window: MainWindow) -> None:
    window.deck_manager.select_deck(DeckId("stages"))
    window.menus.reload.trigger()
    assert window.overview.title.text() == "The stages"


def test_views_switch_with_the_toolbar_and_fall_back_when_missing(window: MainWindow) -> None:
    assert window.current_view() is ViewName.DECKS
    window.menus.views["stats"].trigger()
    assert window.current_view() is ViewName.STATS
    assert window.menus.views["stats"].isChecked()
    window.menus.views["review"].trigger()
    assert window.current_view() is ViewName.REVIEW
    assert window.review.session is not None
    # these decks have no diagram: the decks stay
    assert window.show_view(ViewName.DIAGRAM) is ViewName.DECKS
    window.deck_manager.select_deck(DeckId("small"))
    assert window.show_view(ViewName.EDITOR) is ViewName.EDITOR  # on the selected deck
    assert window.study.editor is not None
    assert window.study.editor.path is not None and window.study.editor.path.name == "small.yaml"
    with pytest.raises(ValueError):
        window.show_view("nonsense")


def test_menus_and_standard_shortcuts(window: MainWindow) -> None:
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert list(menus) == ["&File", "&View", "&Study", "&Help"]
    file_texts = [a.text() for a in menus["&File"].actions() if not a.isSeparator()]
    assert file_texts == [
        "&New Deck…",
        "&Open Deck Folder…",
        "&Add Deck File…",
        "&Reload Decks",
        "Restore &Removed Decks",
        "&Import…",
        "&Export…",
        "S&hare Progress with a Class…",
        "Open C&lass Folder…",
        "&Settings…",
        "&Quit",
    ]
    study = [a.text() for a in menus["&Study"].actions() if not a.isSeparator()]
    assert study[:3] == ["&Study Selected Deck", "Show &Answer", "&1 Again"]
    assert "&Undo" in study and "Back to &Decks" in study
    actions = window.menus
    assert actions.open_folder.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert actions.quit.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert actions.settings.shortcut() == QKeySequence("Ctrl+,")
    assert actions.new_deck.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert actions.import_decks.shortcut() == QKeySequence("Ctrl+Shift+I")
    assert actions.export_decks.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert actions.views["decks"].shortcut() == QKeySequence("Ctrl+1")
    assert actions.deck_format.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert window.review.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_every_toolbar_button_has_a_text_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import QToolButton

    for button in window.menus.toolbar.findChildren(QToolButton):
        if button.isVisible() and button.defaultAction() is not None:
            assert button.text().strip(), button
    assert window.overview.welcome.close_button.accessibleName() == "Dismiss the welcome"


def test_quit_closes_the_window(window: MainWindow) -> None:
    window.menus.quit.trigger()
    assert not window.isVisible()


def test_the_layout_and_the_welcome_are_remembered(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        assert main.overview.welcome.isVisible()
        qtbot.mouseClick(main.overview.welcome.close_button, Qt.MouseButton.LeftButton)
        assert not main.overview.welcome.isVisible()
        main.splitter.setSizes([420, 860])  # what a drag of the handle does, and says
        main.splitter.splitterMoved.emit(420, 1)
        main.deck_manager.select_deck(DeckId("stages"))
        main.menus.deck_list.setChecked(False)
        left = main.splitter.sizes()[0]
    assert (rig.data_dir / "window.ini").is_file()
    with rig.window(qtbot) as again:
        assert not again.overview.welcome.isVisible()
        assert again.deck_manager.selected_deck_id() == "stages"
        assert not again.deck_manager.isVisible()
        again.menus.deck_list.setChecked(True)
        qtbot.waitUntil(lambda: again.splitter.sizes()[0] > 0)
        assert again.splitter.sizes()[0] == left
        again.menus.welcome.trigger()
        assert again.overview.welcome.isVisible()


def test_the_deck_format_help_renders_the_guide(qtbot: QtBot) -> None:
    dialog = DeckFormatDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert text.startswith("The metaflash deck format")
    assert "Card types" in text


def test_about_names_the_version_and_the_data_folder(tmp_path: Path) -> None:
    from metaflash import __version__

    text = about_html(tmp_path / "data", (tmp_path / "decks",))
    assert f"metaflash {__version__}" in text
    assert str(tmp_path / "data") in text and str(tmp_path / "decks") in text


def test_an_empty_library_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    rig = WindowRig(tmp_path / "data", empty, FakeClock(), RecordingOpener())
    with rig.window(qtbot) as main:
        overview = main.overview
        assert not overview.content.isVisible()
        assert "Open Deck Folder" in overview.empty.text()
        assert main.summary.text() == "0 decks and 0 cards loaded from 2 folders"
        assert main.show_view(ViewName.REVIEW) is ViewName.DECKS  # nothing to study


def test_tab_goes_from_the_decks_to_study_now_and_on_to_the_cards(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.deck_manager.filter.setFocus()
    order = []
    for _ in range(7):
        widget = QApplication.focusWidget()
        order.append(widget.objectName() or type(widget).__name__)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert order == [
        "deckFilter",
        "deckTree",
        "QToolButton",  # the welcome's close button
        "studyNow",
        "overviewForecast",
        "QLineEdit",  # the card filter
        "cardTable",
    ]


def test_file_import_adds_the_imported_deck_to_the_library_and_selects_it(
    window: MainWindow, tmp_path: Path
) -> None:
    from metaflash.ui.interop.import_dialog import ImportDialog
    from tests.ui.editor_helpers import button_in, summary_text, when_modal

    source = tmp_path / "Glossary.csv"
    source.write_text("Intravasation,Entering a vessel\nExtravasation,Leaving a vessel\n", "utf-8")

    def import_it(dialog: object) -> None:
        assert isinstance(dialog, ImportDialog)
        dialog.set_source(source)
        button_in(dialog, "Import").click()

    when_modal(import_it)
    summaries: list[str] = []
    when_modal(lambda box: summaries.append(summary_text(box)), name="importSummary", tries=1000)
    window.menus.import_decks.trigger()
    assert summaries and summaries[0].startswith("Imported 2 cards into 1 deck.")

    imported = window.library.deck(DeckId("glossary"))
    assert imported is not None and len(imported.cards) == 2
    assert imported.path is not None
    assert imported.path.parent.resolve() == (window.library_controller.user_folder).resolve()
    assert window.deck_manager.selected_deck_id() == "glossary"


def test_the_editor_is_built_when_first_wanted(bundled_window: MainWindow) -> None:
    # a fifth of the window's start (bench/startup.py): its place first, the editor later
    window = bundled_window
    assert window.study._editor is None
    placeholder = window.view(ViewName.EDITOR)
    assert placeholder is not None and placeholder.objectName() == "editorPlaceholder"
    assert ViewName.EDITOR.value in window.menus.views  # offered from the start
    assert window.deck_manager.can_edit
    assert window.show_view(ViewName.EDITOR) is ViewName.EDITOR
    editor = window.view(ViewName.EDITOR)
    assert editor is window.study.editor and editor is not None
    assert editor.objectName() == "editorView" and window.stack.currentWidget() is editor
    assert editor.path is not None  # it opened the selected deck


def test_the_card_filter_matches_any_column_whatever_the_case(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.deck_manager.select_deck(DeckId("stages"))
    overview = window.overview
    for typed, expected in (
        ("INTRAVASATION", ["intravasation-definition"]),  # a cloze's gap stays hidden
        ("VESSELS BY", ["vessel-cloze"]),  # its question, as shown
        ("sequence", ["cascade-order"]),  # the type column
        ("crossing", []),  # answers are not searched: the table shows questions
        ("", ["intravasation-definition", "vessel-cloze", "cascade-order"]),
    ):
        overview.filter.setText(typed)
        assert sorted(table_column(window, CardColumn.ID)) == sorted(expected), typed


def test_a_second_start_parses_no_unchanged_deck(qtbot: QtBot, bundled_rig: WindowRig) -> None:
    from metaflash.core.library.deck_cache import ParsedFileCache
    from metaflash.core.library.snapshot import load_library
    from metaflash.ui.decks.library_controller import PARSED_CACHE_NAME

    with bundled_rig.window(qtbot) as first:
        decks = first.library_controller.library.decks
        folders = first.library_controller.sources.folders
    where = bundled_rig.data_dir / "cache" / PARSED_CACHE_NAME
    assert where.is_file()  # closing the window closed the cache
    cache = ParsedFileCache(where)
    again = load_library(folders, cache=cache)
    assert cache.misses == 0 and cache.hits >= 6
    assert again.decks == decks


def test_a_deck_read_back_from_the_cache_is_decoded_while_idle(
    qtbot: QtBot, rig: WindowRig
) -> None:
    cards = "".join(f"  - {{id: card-{n}, front: Question {n}, back: A}}\n" for n in range(100))
    (rig.bundled / "many.yaml").write_text(
        f"format: 1\nid: many\ntitle: Many\ncards:\n{cards}", encoding="utf-8"
    )
    with rig.window(qtbot):
        pass  # the first start parses, and stores what it parsed as the window closes
    with rig.window(qtbot) as window:
        deck = window.library_controller.library.deck(DeckId("many"))
        assert deck is not None and deck.encoded_cards() is not None  # read back lazily
        window.deck_manager.select_deck(DeckId("many"))
        overview = window.overview
        assert overview.filtered.rowCount() == 100 and "100 cards" in overview.meta.text()
        qtbot.waitUntil(lambda: deck.encoded_cards() is None)  # decoded while idle
        overview.filter.setText("question 57")
        assert table_column(window, CardColumn.ID) == ["card-57"]
