"""Room on small screens: the deck list keeps its width, the editor stacks its panes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from metaflash.core.decks.model import StepId
from metaflash.ui.diagram.view import DiagramView
from metaflash.ui.editor.editor_view import EditorView
from metaflash.ui.shell.main_window import SIDEBAR_SHARE, MainWindow
from metaflash.ui.shell.views import ViewName


@pytest.fixture
def window(bundled_window: MainWindow) -> MainWindow:
    return bundled_window


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def deck_list_width(window: MainWindow) -> int:
    return window.splitter.sizes()[0]


def test_the_deck_list_is_as_wide_as_its_titles_where_there_is_room(window: MainWindow) -> None:
    window.resize(1800, 900)
    settle()
    tree = window.deck_manager.tree
    assert deck_list_width(window) == window.deck_manager.ideal_width()
    title = tree.header().sectionSize(tree.TITLE_COLUMN)
    metrics = tree.fontMetrics()
    for item in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive):
        depth, parent = 0, item.parent()
        while parent is not None:
            depth, parent = depth + 1, parent.parent()
        room = title - tree.indentation() * (depth + 1)
        assert metrics.horizontalAdvance(item.text(0)) <= room, item.text(0)
    window.resize(1000, 650)  # a share of the window at most: the view needs the rest
    settle()
    assert deck_list_width(window) <= round(1000 * SIDEBAR_SHARE)


def test_a_step_panel_does_not_keep_the_deck_list_squeezed(window: MainWindow) -> None:
    window.resize(1000, 650)
    settle()
    before = deck_list_width(window)
    assert window.show_view(ViewName.DIAGRAM) is ViewName.DIAGRAM
    diagram = window.view(ViewName.DIAGRAM)
    assert isinstance(diagram, DiagramView)
    diagram.open_step(StepId("intravasation"))
    settle()
    assert diagram.panel.isVisible()
    diagram.close_panel()
    settle()
    assert deck_list_width(window) == before
    diagram.open_step(StepId("intravasation"))
    settle()
    window.show_view(ViewName.DECKS)
    settle()
    assert deck_list_width(window) == before


def test_a_dragged_width_is_kept_and_given_back(window: MainWindow) -> None:
    window.resize(1400, 800)
    settle()
    window.splitter.setSizes([400, 1000])  # what a drag of the handle does, and says
    window.splitter.splitterMoved.emit(400, 1)
    settle()
    window.resize(1500, 800)
    settle()
    assert deck_list_width(window) == 400


def test_the_editor_puts_the_preview_under_the_form_when_narrow(window: MainWindow) -> None:
    window.resize(1800, 900)
    assert window.show_view(ViewName.EDITOR) is ViewName.EDITOR
    editor = window.view(ViewName.EDITOR)
    assert isinstance(editor, EditorView)
    settle()
    assert editor.form_split.orientation() is Qt.Orientation.Horizontal
    window.resize(1000, 650)
    settle()
    assert editor.form_split.orientation() is Qt.Orientation.Vertical
    form = editor.form_area
    assert form.width() >= form.minimumWidth() and editor.preview.isVisible()
    window.resize(1800, 900)
    settle()
    assert editor.form_split.orientation() is Qt.Orientation.Horizontal
