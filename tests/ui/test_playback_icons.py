"""The diagram's Play, Back and Next icons are drawn in the theme's text colour: clearly
visible in the dark theme as in the light one, and redrawn when the theme changes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from metaflash.ui.common.theme import DARK, LIGHT, build_palette
from metaflash.ui.diagram.controls import PlaybackControls


def icon_lightness(controls: PlaybackControls) -> float:
    """The mean lightness of the play icon's drawn pixels (0 black, 1 white)."""
    image: QImage = controls.play_button.icon().pixmap(32, 32).toImage()
    values = [
        QColor(image.pixel(x, y)).lightnessF()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 200
    ]
    assert values, "the icon draws nothing"
    return sum(values) / len(values)


def test_the_icons_follow_the_theme(qtbot: QtBot) -> None:
    controls = PlaybackControls()
    qtbot.addWidget(controls)
    controls.setPalette(build_palette(DARK))
    assert icon_lightness(controls) > 0.7  # light on a dark bar
    controls.setPalette(build_palette(LIGHT))
    assert icon_lightness(controls) < 0.35  # dark on a light bar
    controls.set_playing(True)
    assert controls.play_button.text() == "Pause" and icon_lightness(controls) < 0.35
