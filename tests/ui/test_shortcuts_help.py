"""Help › Keyboard Shortcuts lists every key the window answers to, and so does the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    return WindowRig(
        tmp_path / "data", write_small_decks(tmp_path / "decks"), FakeClock(), RecordingOpener()
    )


def readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Keyboard shortcuts") :]
    section = section[: section.index("\n## ", 1)]
    return set(re.findall(r"`([^`]+)`", section))


def test_the_help_lists_the_menus_the_editor_and_the_diagram(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        dialog = main.show_shortcuts()
        qtbot.addWidget(dialog)
        titles = [group.title for group in dialog.groups]
        assert titles[:4] == ["File", "View", "Study", "Help"]
        assert "In the editor" in titles and "In the diagram" in titles
        text = dialog.browser.toPlainText()
        for key, what in (("Ctrl+Z", "Undo"), ("F9", "Deck List"), ("M", "reduce motion")):
            assert key in text and what in text
        assert main.menus.shortcuts.shortcut().toString() == "Ctrl+/"


def test_the_readme_lists_every_key_the_window_has(qtbot: QtBot, rig: WindowRig) -> None:
    listed = readme_keys() | {"Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"}  # "Ctrl+1 … Ctrl+5"
    listed |= {"1", "2", "3", "4", "Left", "Right", "Up", "Down", "Toggle Media Play/Pause"}
    with rig.window(qtbot) as main:
        missing = sorted(
            key
            for group in main.shortcut_groups()
            for keys, _ in group.rows
            for key in keys.split(", ")
            if key not in listed
        )
    assert missing == []
