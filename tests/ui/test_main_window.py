"""The main window, driven with qtbot: the deck tree, the cards, problems, menus and views."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from metaflash.core.cloze import ClozeText, parse_cloze
from metaflash.core.deck_model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    Deck,
    DeckId,
    Problem,
    SequenceContent,
    SourceDocument,
    SourceRef,
    StepId,
)
from metaflash.ui.card_table import CardColumn
from metaflash.ui.deck_library import DeckLibrary
from metaflash.ui.help_dialogs import DeckFormatDialog, about_html
from metaflash.ui.main_window import MainWindow, ViewName

QA = SourceDocument(
    "qa", "How does the metastatic process work in cancer?", "metastatic-process-qa.md"
)


def cloze(text: str) -> ClozeText:
    parsed = parse_cloze(text)
    assert isinstance(parsed, ClozeText)
    return parsed


def make_library(folders: Sequence[Path], *, problems: tuple[Problem, ...] = ()) -> DeckLibrary:
    folder = Path(folders[0]) if folders else Path("/decks")
    top = Deck(
        DeckId("metastasis"),
        "Metastasis",
        (
            Card(
                CardId("metastasis-definition"),
                BasicContent(
                    "What is **metastasis**?", "The spread of cancer cells to distant organs."
                ),
                tags=("definition",),
                sources=(SourceRef("qa", "Introduction"),),
            ),
        ),
        description="What metastasis is and why it matters.",
        sources=(QA,),
        path=folder / "overview.yaml",
    )
    stages = Deck(
        DeckId("metastasis-stages"),
        "The stages of metastasis",
        (
            Card(
                CardId("intravasation-definition"),
                BasicContent("What is *intravasation*?", "Cancer cells crossing into a vessel."),
                tags=("definition", "stage-2"),
                stage=StepId("intravasation"),
            ),
            Card(
                CardId("vessel-cloze"),
                ClozeContent("", cloze("Cells enter vessels by {{c1::intravasation}}.")),
            ),
            Card(
                CardId("cascade-order"),
                SequenceContent(
                    "The stages, in order", ("Local invasion", "Intravasation", "Extravasation")
                ),
            ),
        ),
        parent=DeckId("metastasis"),
        path=folder / "stages.yaml",
    )
    extra = tuple(
        Deck(DeckId(f"extra-{f.name}"), f"Extra deck in {f.name}", (), path=f / "extra.yaml")
        for f in folders[1:]
    )
    return DeckLibrary(tuple(folders), (top, stages, *extra), problems)


BROKEN = (
    Problem("/decks/broken.yaml", 7, 5, "unknown key 'frnt'", "did you mean 'front'?"),
    Problem("/decks/broken.yaml", 12, 3, "card id 'x' is used twice", severity="warning"),
)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    main = MainWindow(
        make_library([tmp_path]), data_dir=tmp_path / "data", load_library=make_library
    )
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    return main


def tree_rows(main: MainWindow) -> list[tuple[int, str, str]]:
    """(depth, title, count) for every row of the deck tree, top to bottom."""
    tree = main.deck_browser.tree
    rows: list[tuple[int, str, str]] = []

    def walk(item, depth: int) -> None:  # type: ignore[no-untyped-def]
        rows.append((depth, item.text(0), item.text(1)))
        for index in range(item.childCount()):
            walk(item.child(index), depth + 1)

    for index in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(index), 0)
    return rows


def table_column(main: MainWindow, column: CardColumn) -> list[str]:
    model = main.deck_browser.detail.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_tree_nests_decks_with_card_counts(window: MainWindow) -> None:
    assert tree_rows(window) == [(0, "Metastasis", "4"), (1, "The stages of metastasis", "3")]
    assert window.summary.text() == "2 decks and 4 cards loaded from 1 folder"


def test_the_first_deck_is_shown_with_its_cards(window: MainWindow) -> None:
    detail = window.deck_browser.detail
    assert detail.title.text() == "Metastasis"
    assert detail.description.text() == "What metastasis is and why it matters."
    assert "How does the metastatic process work in cancer?" in detail.sources.text()
    assert table_column(window, CardColumn.QUESTION) == ["What is metastasis?"]
    assert "The spread of cancer cells" in detail.preview.toPlainText()
    assert (
        "How does the metastatic process work in cancer?, “Introduction”"
        in detail.card_details.text()
    )


def test_selecting_a_deck_shows_its_cards(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tree = window.deck_browser.tree
    child = tree.topLevelItem(0).child(0)
    rect = tree.visualItemRect(child)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = window.deck_browser.detail
    assert detail.title.text() == "The stages of metastasis"
    assert detail.breadcrumb.text() == "Metastasis"
    assert table_column(window, CardColumn.ID) == [
        "intravasation-definition",
        "vessel-cloze",
        "cascade-order",
    ]
    assert table_column(window, CardColumn.TYPE) == ["basic", "cloze", "sequence"]
    assert table_column(window, CardColumn.QUESTION) == [
        "What is intravasation?",
        "Cells enter vessels by […].",
        "The stages, in order",
    ]
    assert table_column(window, CardColumn.TAGS)[0] == "definition, stage-2"
    assert table_column(window, CardColumn.STAGE)[0] == "intravasation"
    assert detail.card_count.text() == "3 cards"


def test_selecting_a_card_previews_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.deck_browser.select_deck(DeckId("metastasis-stages"))
    detail = window.deck_browser.detail
    detail.table.selectRow(2)
    text = detail.preview.toPlainText()
    assert "The stages, in order" in text
    assert "Local invasion" in text and "Extravasation" in text
    assert detail.card_details.text().startswith("cascade-order  ·  sequence")


def test_the_filter_narrows_the_cards(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.deck_browser.select_deck(DeckId("metastasis-stages"))
    detail = window.deck_browser.detail
    detail.table.setFocus()
    qtbot.keySequence(detail.table, QKeySequence(QKeySequence.StandardKey.Find))
    assert detail.filter.hasFocus()
    qtbot.keyClicks(detail.filter, "stage-2")
    assert table_column(window, CardColumn.ID) == ["intravasation-definition"]
    assert detail.card_count.text() == "1 of 3 cards"
    detail.filter.clear()
    qtbot.keyClicks(detail.filter, "no such words")
    assert table_column(window, CardColumn.ID) == []
    assert "No cards match" in detail.preview.toPlainText()


def test_problems_are_listed_and_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    main = MainWindow(
        make_library([tmp_path], problems=BROKEN), data_dir=tmp_path, load_library=make_library
    )
    qtbot.addWidget(main)
    main.show()
    assert main.problems_dock.isVisible()
    assert main.problem_button.text() == "2 problems found"
    panel = main.problems
    assert panel.topLevelItemCount() == 2
    assert panel.topLevelItem(0).text(0) == "/decks/broken.yaml:7:5"
    assert panel.topLevelItem(0).text(1) == "error: unknown key 'frnt' (did you mean 'front'?)"
    assert panel.topLevelItem(1).text(1) == "warning: card id 'x' is used twice"
    main.problems_dock.close()
    qtbot.mouseClick(main.problem_button, Qt.MouseButton.LeftButton)
    assert main.problems_dock.isVisible()
    panel.setCurrentItem(panel.topLevelItem(0))
    panel.copy_selected()
    assert QGuiApplication.clipboard().text() == (
        "/decks/broken.yaml:7:5: error: unknown key 'frnt' (did you mean 'front'?)"
    )


def test_no_problems_hides_the_panel(window: MainWindow) -> None:
    assert not window.problems_dock.isVisible()
    assert window.problem_button.text() == "No problems found"
    assert not window.problem_button.isEnabled()


def test_opening_a_folder_loads_and_selects_its_decks(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "more"
    other.mkdir()
    window.add_deck_folder(other)
    assert window.library.folders == (tmp_path, other.resolve())
    assert window.deck_browser.detail.title.text() == "Extra deck in more"
    assert "3 decks" in window.summary.text() and "2 folders" in window.summary.text()
    window.add_deck_folder(other)  # the same folder again: loaded once
    assert window.library.folders == (tmp_path, other.resolve())


def test_reload_keeps_the_selected_deck(window: MainWindow) -> None:
    window.deck_browser.select_deck(DeckId("metastasis-stages"))
    window.reload_action.trigger()
    assert window.deck_browser.detail.title.text() == "The stages of metastasis"


def test_views_that_do_not_exist_yet_fall_back_to_the_decks(window: MainWindow) -> None:
    for name in ViewName:
        assert window.show_view(name) is ViewName.DECKS
        assert window.current_view() is ViewName.DECKS
    with pytest.raises(ValueError):
        window.show_view("nonsense")


def test_menus_and_standard_shortcuts(window: MainWindow) -> None:
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert list(menus) == ["&File", "&View", "&Help"]
    file_texts = [a.text() for a in menus["&File"].actions() if not a.isSeparator()]
    assert file_texts == ["&Open Deck Folder…", "&Reload Decks", "&Quit"]
    help_texts = [a.text() for a in menus["&Help"].actions() if not a.isSeparator()]
    assert help_texts == ["&Deck Format", "&About metaflash"]
    assert window.open_folder_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert window.deck_format_action.shortcut() == QKeySequence(
        QKeySequence.StandardKey.HelpContents
    )


def test_quit_closes_the_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.quit_action.trigger()
    assert not window.isVisible()


def test_the_deck_format_help_renders_the_guide(qtbot) -> None:  # type: ignore[no-untyped-def]
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


def test_an_empty_library_says_what_to_do(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = DeckLibrary((tmp_path,), (), ())
    main = MainWindow(empty, data_dir=tmp_path, load_library=make_library)
    qtbot.addWidget(main)
    main.show()
    detail = main.deck_browser.detail
    assert not detail.content.isVisible()
    assert "Open Deck Folder" in detail.empty.text()
    assert main.summary.text() == "0 decks and 0 cards loaded from 1 folder"
    assert isinstance(QApplication.instance(), QApplication)
