"""The clipping audit finds what is cut off, and only that (offscreen, widget by widget)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from layout_audit import audit
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from metaflash.ui.common.eliding_label import ElidingLabel
from metaflash.ui.common.flow_layout import FlowLayout

LONG = "A label whose text is much longer than the room it is given"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QWidget]:
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 300)
    yield root


def shown(root: QWidget) -> list[str]:
    root.show()
    return [str(clip) for clip in audit(root)]


def test_a_label_squeezed_below_its_text_is_found(window: QWidget) -> None:
    label = QLabel(LONG, window)
    label.setGeometry(10, 10, 80, 20)
    found = shown(window)
    assert len(found) == 1 and "its text needs" in found[0] and "A label whose" in found[0]
    label.setGeometry(10, 10, label.sizeHint().width(), label.sizeHint().height())
    assert shown(window) == []


def test_a_widget_sticking_out_of_its_parent_is_found(window: QWidget) -> None:
    button = QPushButton("OK", window)
    button.setGeometry(360, 10, 100, 30)
    found = shown(window)
    assert any("sticks out of its parent by 60×0" in clip for clip in found)


def test_a_cut_wrapped_label_is_found(window: QWidget) -> None:
    label = QLabel(LONG * 3, window)
    label.setWordWrap(True)
    label.setGeometry(0, 0, 200, 20)
    assert any("wrapped text needs" in clip for clip in shown(window))
    label.setGeometry(0, 0, 200, label.heightForWidth(200))
    assert shown(window) == []


def test_content_beyond_a_scroll_area_counts_only_where_it_cannot_scroll(
    window: QWidget,
) -> None:
    area = QScrollArea(window)
    area.setGeometry(0, 0, 200, 200)
    content = QWidget()
    content.setMinimumSize(500, 150)
    area.setWidget(content)
    area.setWidgetResizable(True)
    assert shown(window) == []  # the horizontal scroll bar reaches it
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.widget().resize(500, 150)
    assert any("sticks out of its parent" in clip for clip in shown(window))


def test_a_column_narrower_than_its_heading_is_found(window: QWidget) -> None:
    table = QTableView(window)
    table.setGeometry(0, 0, 380, 200)
    model = QStandardItemModel(2, 1, table)
    model.setHorizontalHeaderLabels(["A long column heading"])
    table.setModel(model)
    table.horizontalHeader().resizeSection(0, 30)
    assert any("its heading needs" in clip for clip in shown(window))
    table.horizontalHeader().resizeSection(0, 300)
    assert shown(window) == []


def test_an_eliding_label_with_its_tooltip_is_not_clipping(window: QWidget) -> None:
    label = ElidingLabel(window)
    label.set_full_text("/home/student/decks/a/very/long/path/to/a/deck/file.yaml")
    label.setGeometry(0, 0, 120, 20)
    assert shown(window) == []
    assert "…" in label.text() and label.toolTip() == label.full_text()
    label.setGeometry(0, 0, 600, 20)
    assert label.text() == label.full_text() and label.toolTip() == ""


def test_a_window_larger_than_the_screen_is_found(window: QWidget) -> None:
    area = window.screen().availableGeometry()
    window.resize(area.width() + 200, area.height())
    assert any("does not fit the screen" in clip for clip in shown(window))


def test_a_flow_layout_wraps_instead_of_squeezing(window: QWidget) -> None:
    flow = FlowLayout(spacing=6, row_spacing=4)
    buttons = [QPushButton(f"Button number {i}") for i in range(6)]
    for button in buttons:
        flow.add_widget(button)
    column = QVBoxLayout(window)
    column.addLayout(flow)
    column.addStretch(1)
    one_row = flow.sizeHint().width()
    window.resize(one_row + 40, 300)
    assert shown(window) == []
    assert len({button.y() for button in buttons}) == 1
    window.resize(flow.minimumSize().width() + 30, 300)
    assert shown(window) == []
    assert len({button.y() for button in buttons}) == 6  # one a row: each whole
    assert flow.heightForWidth(flow.minimumSize().width()) > flow.heightForWidth(one_row)
    for button in buttons:
        assert button.width() >= button.sizeHint().width()
