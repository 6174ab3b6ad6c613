"""The bar chart: bars where the values say, numbers on hover and from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from metaflash.ui.common.bar_chart import Bar, BarChart, nice_maximum
from metaflash.ui.common.theme import LIGHT, build_palette


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (21, 25), (26, 50), (120, 200), (0.3, 0.5)],
)
def test_nice_maximum(value: float, expected: float) -> None:
    assert nice_maximum(value) == pytest.approx(expected)


def chart(qtbot: QtBot, horizontal: bool = False) -> BarChart:
    widget = BarChart(horizontal=horizontal, hue="due")
    widget.setPalette(build_palette(LIGHT))
    qtbot.addWidget(widget)
    widget.resize(400, 200)
    widget.set_bars(
        [
            Bar("Mon", 4, "Monday: 4 cards"),
            Bar("Tue", 0, "Tuesday: nothing"),
            Bar("Wed", 10, "Wednesday: 10 cards"),
        ]
    )
    widget.show()
    return widget


def test_bars_are_as_tall_as_their_values(qtbot: QtBot) -> None:
    widget = chart(qtbot)
    assert widget.axis_maximum() == 10
    four, zero, ten = (widget.bar_rect(i) for i in range(3))
    assert zero.height() == 0
    assert ten.height() == pytest.approx(four.height() * 2.5, abs=1)
    assert four.bottom() == ten.bottom()
    image = widget.grab().toImage()
    centre = ten.center().toPoint()
    assert image.pixelColor(centre) == QColor(LIGHT.due)


def test_hover_and_arrow_keys_pick_a_bar_and_say_its_numbers(qtbot: QtBot) -> None:
    widget = chart(qtbot)
    assert widget.bar_at(widget.bar_rect(2).center()) == 2
    assert widget.bar_at(QPointF(1, 1)) is None
    qtbot.mouseMove(widget, widget.bar_rect(0).center().toPoint())
    assert widget.current == 0
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.current == 1
    assert widget.accessibleDescription() == "Tuesday: nothing"
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.current == 2
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    assert widget.current == 0


def test_horizontal_bars_have_one_row_each_and_label_their_values(qtbot: QtBot) -> None:
    widget = chart(qtbot, horizontal=True)
    rows = [widget.bar_rect(i) for i in range(3)]
    assert rows[0].top() < rows[1].top() < rows[2].top()
    assert rows[2].width() > rows[0].width() > rows[1].width() == 0
    assert widget.sizeHint().height() < 200  # rows do not stretch with the widget
    assert widget.bar_at(rows[1].center()) == 1


def test_an_empty_chart_says_so(qtbot: QtBot) -> None:
    widget = BarChart(empty_text="Nothing scheduled yet")
    qtbot.addWidget(widget)
    widget.set_bars([Bar("Mon", 0, "Monday: nothing")])
    assert widget.accessibleDescription() == "Nothing scheduled yet"
