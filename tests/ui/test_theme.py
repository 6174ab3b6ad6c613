"""Light and dark themes: the palette, the stylesheet, and following the desktop's scheme."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from metaflash.ui.common import theme
from metaflash.ui.common.theme import DARK, LIGHT, ThemeController, ThemeName, resolve_theme

UI_DIR = Path(theme.__file__).parent
MakeController = Callable[[ThemeName], ThemeController]
#: A literal colour: hex, QColor(r, g, b), a named Qt colour (transparent is no colour), rgb().
HEX_COLOUR = re.compile(
    r"#[0-9a-fA-F]{6}\b|QColor\(\s*\d|Qt\.GlobalColor\.(?!transparent)|\brgba?\("
)


@pytest.fixture
def make_controller(qapp: QApplication) -> Iterator[MakeController]:
    """Theme controllers that are gone after the test, so none hears another test's signals."""
    made: list[ThemeController] = []

    def make(requested: ThemeName) -> ThemeController:
        made.append(ThemeController(qapp, requested))
        return made[-1]

    yield make
    for controller in made:
        shiboken6.delete(controller)


def window_colour(app: QApplication) -> QColor:
    return app.palette().color(QPalette.ColorRole.Window)


def test_light_and_dark_set_different_palettes(
    qapp: QApplication, make_controller: MakeController
) -> None:
    controller = make_controller(ThemeName.LIGHT)
    assert controller.apply() is ThemeName.LIGHT
    light_window = window_colour(qapp)
    light_text = qapp.palette().color(QPalette.ColorRole.Text)
    assert light_window == QColor(LIGHT.window)
    assert light_window.lightness() > 200 and light_text.lightness() < 80

    assert controller.apply(ThemeName.DARK) is ThemeName.DARK
    assert window_colour(qapp) == QColor(DARK.window)
    assert window_colour(qapp).lightness() < 60
    assert qapp.palette().color(QPalette.ColorRole.Text).lightness() > 180
    assert qapp.palette().color(QPalette.ColorRole.Highlight) == QColor(DARK.accent)
    assert DARK.window in qapp.styleSheet()


def test_a_widget_follows_the_theme(
    qtbot, qapp: QApplication, make_controller: MakeController
) -> None:
    label = QLabel("muted text")
    label.setProperty("role", "muted")
    qtbot.addWidget(label)
    label.show()
    controller = make_controller(ThemeName.LIGHT)
    controller.apply()
    light = label.grab().toImage().pixelColor(1, 1)
    controller.apply(ThemeName.DARK)
    dark = label.grab().toImage().pixelColor(1, 1)
    assert light.lightness() > 200
    assert dark.lightness() < 60


@pytest.mark.parametrize(
    ("requested", "scheme", "expected"),
    [
        (ThemeName.SYSTEM, Qt.ColorScheme.Dark, ThemeName.DARK),
        (ThemeName.SYSTEM, Qt.ColorScheme.Light, ThemeName.LIGHT),
        (ThemeName.SYSTEM, Qt.ColorScheme.Unknown, ThemeName.LIGHT),
        (ThemeName.LIGHT, Qt.ColorScheme.Dark, ThemeName.LIGHT),
        (ThemeName.DARK, Qt.ColorScheme.Light, ThemeName.DARK),
    ],
)
def test_resolve_theme(requested: ThemeName, scheme: Qt.ColorScheme, expected: ThemeName) -> None:
    assert resolve_theme(requested, scheme) is expected


def test_system_theme_follows_the_desktop_colour_scheme(
    qapp: QApplication, make_controller: MakeController
) -> None:
    controller = make_controller(ThemeName.SYSTEM)
    controller.apply()
    hints = qapp.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert controller.current is ThemeName.DARK
    assert window_colour(qapp) == QColor(DARK.window)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert controller.current is ThemeName.LIGHT
    assert window_colour(qapp) == QColor(LIGHT.window)


def test_a_chosen_theme_ignores_the_desktop(
    qapp: QApplication, make_controller: MakeController
) -> None:
    controller = make_controller(ThemeName.LIGHT)
    controller.apply()
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert controller.current is ThemeName.LIGHT
    assert window_colour(qapp) == QColor(LIGHT.window)


def test_readable_font_raises_tiny_fonts_only() -> None:
    small, large = QFont("DejaVu Sans"), QFont("DejaVu Sans")
    small.setPointSizeF(8)
    large.setPointSizeF(12)
    assert theme.readable_font(small).pointSizeF() == theme.MIN_POINT_SIZE
    assert theme.readable_font(large).pointSizeF() == 12


#: The modules allowed to name colours: the window's themes, and the diagram's semantic hues.
COLOUR_MODULES = {"theme.py", "diagram/colours.py"}


def test_no_colours_outside_the_colour_modules() -> None:
    offenders = [
        f"{path.relative_to(UI_DIR).as_posix()}: {match.group(0)}"
        for path in sorted(UI_DIR.rglob("*.py"))
        if path.relative_to(UI_DIR).as_posix() not in COLOUR_MODULES
        for match in HEX_COLOUR.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
