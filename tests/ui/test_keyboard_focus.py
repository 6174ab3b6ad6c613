"""Keyboard users are never trapped: Tab leaves the card tables (deck overview, editor)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.core.decks.model import DeckId


def tab_leaves(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not widget and not widget.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is widget or widget.isAncestorOf(QApplication.focusWidget())


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    return WindowRig(
        tmp_path / "data", write_small_decks(tmp_path / "decks"), FakeClock(), RecordingOpener()
    )


def test_tab_leaves_the_deck_overviews_card_table(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow)
        main.deck_manager.select_deck(DeckId("small"))
        tab_leaves(qtbot, main.overview.table)


def test_tab_leaves_the_editors_card_list(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow)
        assert main.study.edit_deck(DeckId("small"))
        editor = main.study.editor
        assert editor is not None
        tab_leaves(qtbot, editor.card_list.table)
