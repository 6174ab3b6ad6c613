"""The main window always fits the screen it opens on, at any size and scale."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.ui.common.window_geometry import (
    FRAME,
    MINIMUM,
    PREFERRED,
    first_size,
    fit_window,
    minimum_size,
)

SCREENS = {
    "1024x700": QSize(1024, 700 - 30),  # less a panel
    "1366x768": QSize(1366, 768 - 40),  # the most common student laptop, less a taskbar
    "1920x1080": QSize(1920, 1080 - 40),
    "1920x1080 at 200%": QSize(960, 540 - 20),
    "2560x1440": QSize(2560, 1440 - 40),
}


@pytest.mark.parametrize("available", SCREENS.values(), ids=SCREENS.keys())
def test_the_first_window_and_its_minimum_fit_the_screen(available: QSize) -> None:
    size, smallest = first_size(available), minimum_size(available)
    assert size.width() + FRAME.width() <= available.width()
    assert size.height() + FRAME.height() <= available.height()
    assert smallest.width() <= size.width() and smallest.height() <= size.height()
    if available.width() >= PREFERRED.width() + FRAME.width():
        assert size.width() >= PREFERRED.width()  # room to spare: at least the usual size
    if available.height() >= MINIMUM.height() + FRAME.height():
        assert smallest == MINIMUM or smallest.width() < MINIMUM.width()


def test_a_large_screen_gets_a_larger_window_than_a_laptop() -> None:
    laptop, large = first_size(SCREENS["1366x768"]), first_size(SCREENS["2560x1440"])
    assert large.width() > laptop.width() and large.height() > laptop.height()
    assert large.width() < SCREENS["2560x1440"].width()  # not the whole screen


def test_the_window_is_fitted_to_its_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """Offscreen, Qt's screen is 800x600: smaller than the window the tests use."""
    rig = WindowRig(
        tmp_path / "data", write_small_decks(tmp_path / "decks"), FakeClock(), RecordingOpener()
    )
    with rig.window(qtbot) as main:
        screen = main.screen()
        assert screen is not None
        area = screen.availableGeometry()
        assert main.width() > area.width()  # as the rig made it
        for first in (True, False):
            fit_window(main, first=first)
            assert main.width() + FRAME.width() <= area.width()
            assert main.height() + FRAME.height() <= area.height()
            assert main.minimumWidth() <= main.width() and main.minimumHeight() <= main.height()
