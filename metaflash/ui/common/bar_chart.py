"""A small, crisp bar chart drawn with QPainter: vertical (a series of days) or horizontal
(named categories). Colours come from the theme; the value of each bar shows on hover
(a tooltip) and from the keyboard (arrow keys move a highlighted bar, whose value is shown
and given to screen readers).

Why not QtCharts: it lives in PySide6-Addons (about 100 MB more to install) for what is here
a few rectangles and labels. Drawing them ourselves keeps the app small, follows the theme
exactly and stays sharp at any device pixel ratio (everything is vector, nothing is scaled).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from metaflash.ui.common.theme import ThemeColors, colors_for_palette


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its axis label, value, hover text, and optionally its text and colour."""

    label: str
    value: float
    tooltip: str
    text: str = ""  # shown at the end of a horizontal bar (e.g. "82%")
    hue: str = ""  # a ThemeColors field name; the chart's own hue when empty


def nice_maximum(value: float) -> float:
    """The axis maximum: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


class BarChart(QWidget):
    """Bars from :meth:`set_bars`; ``maximum`` fixes the axis (e.g. 100 for percentages)."""

    highlighted = Signal(int)  # the bar chosen with the keyboard or the mouse; -1 for none

    PADDING = 8.0

    def __init__(
        self,
        *,
        horizontal: bool = False,
        hue: str = "accent",
        maximum: float | None = None,
        empty_text: str = "No data yet",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.hue = hue
        self.maximum = maximum
        self.empty_text = empty_text
        self._bars: tuple[Bar, ...] = ()
        self._current = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if horizontal:  # one row per bar, as tall as its text: the chart grows with its rows
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.setMinimumHeight(120)

    # --- data -----------------------------------------------------------------------------

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    @property
    def current(self) -> int:
        return self._current

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        self._current = -1 if not self._bars else min(self._current, len(self._bars) - 1)
        shown = [bar for bar in self._bars if bar.value or self.horizontal]
        self.setAccessibleDescription(
            "; ".join(bar.tooltip.replace("\n", ", ") for bar in shown) or self.empty_text
        )
        self.updateGeometry()
        self.update()

    def axis_maximum(self) -> float:
        if self.maximum is not None:
            return self.maximum
        return nice_maximum(max((bar.value for bar in self._bars), default=0.0))

    # --- geometry -------------------------------------------------------------------------

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def _plot_rect(self) -> QRectF:
        metrics = self._metrics()
        pad = self.PADDING
        if self.horizontal:
            labels = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0.0)
            label_width = min(labels + 12, self.width() * 0.45)
            texts = max(
                (metrics.horizontalAdvance(bar.text or _number(bar.value)) for bar in self._bars),
                default=0.0,
            )
            return QRectF(
                pad + label_width,
                pad,
                max(10.0, self.width() - 2 * pad - label_width - texts - 8),
                max(10.0, self.height() - 2 * pad),
            )
        axis_width = metrics.horizontalAdvance(_number(self.axis_maximum())) + 8
        return QRectF(
            pad + axis_width,
            pad + metrics.height() / 2,
            max(10.0, self.width() - 2 * pad - axis_width),
            max(10.0, self.height() - 2 * pad - metrics.height() * 1.6 - metrics.height() / 2),
        )

    def bar_rect(self, index: int) -> QRectF:
        """Where bar ``index`` is drawn (its full slot height or width for a zero value)."""
        plot = self._plot_rect()
        count = max(1, len(self._bars))
        share = min(1.0, self._bars[index].value / self.axis_maximum()) if self._bars else 0.0
        if self.horizontal:
            row = self._row_height()
            height = self._metrics().height() + 2
            top = plot.top() + index * row + (row - height) / 2
            return QRectF(plot.left(), round(top), round(plot.width() * share), round(height))
        slot = plot.width() / count
        gap = max(1.0, min(slot * 0.25, 6.0))
        left = plot.left() + index * slot + gap / 2
        height = round(plot.height() * share)
        return QRectF(round(left), plot.bottom() - height, max(1.0, round(slot - gap)), height)

    def bar_at(self, position: QPointF) -> int | None:
        """The bar under ``position`` (anywhere in its slot), or None."""
        if not self._bars:
            return None
        plot = self._plot_rect()
        count = len(self._bars)
        if self.horizontal:
            index = int((position.y() - plot.top()) // self._row_height())
            return index if 0 <= index < count else None
        if not plot.left() <= position.x() < plot.right():
            return None
        return min(count - 1, int((position.x() - plot.left()) / (plot.width() / count)))

    def _row_height(self) -> float:
        return round(self._metrics().height() * 1.7)

    def sizeHint(self) -> QSize:
        if self.horizontal:
            rows = max(2, len(self._bars))
            return QSize(360, int(2 * self.PADDING + self._row_height() * rows))
        return QSize(360, 170)

    # --- drawing --------------------------------------------------------------------------

    def _colour(self, colors: ThemeColors, hue: str) -> QColor:
        value = getattr(colors, hue or self.hue, colors.accent)
        return QColor(value if isinstance(value, str) else colors.accent)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colors = colors_for_palette(self.palette())
        muted = QColor(colors.muted_text)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if not self._bars or (not self.horizontal and not any(bar.value for bar in self._bars)):
            painter.setPen(muted)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        if self.horizontal:
            self._paint_horizontal(painter, colors)
        else:
            self._paint_vertical(painter, colors)
        if self.hasFocus() and self._current >= 0:
            pen = QPen(QColor(colors.accent), 1.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._slot_rect(self._current).adjusted(0.5, 0.5, -0.5, -0.5))

    def _slot_rect(self, index: int) -> QRectF:
        plot = self._plot_rect()
        count = max(1, len(self._bars))
        if self.horizontal:
            row = self._row_height()
            return QRectF(0, plot.top() + index * row, self.width(), row)
        slot = plot.width() / count
        return QRectF(plot.left() + index * slot, plot.top(), slot, plot.height())

    def _paint_vertical(self, painter: QPainter, colors: ThemeColors) -> None:
        plot = self._plot_rect()
        metrics = self._metrics()
        muted = QColor(colors.muted_text)
        grid = QColor(colors.border)
        top = self.axis_maximum()
        for fraction in (0.0, 0.5, 1.0):
            y = round(plot.bottom() - plot.height() * fraction) + 0.5
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = _number(top * fraction)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        painter.setPen(Qt.PenStyle.NoPen)
        for index, bar in enumerate(self._bars):
            colour = self._colour(colors, bar.hue)
            if index == self._current:
                colour = colour.lighter(125) if colour.lightness() < 128 else colour.darker(120)
            painter.setBrush(colour)
            if bar.value > 0:
                painter.drawRect(self.bar_rect(index))
        # x labels: as many as fit without overlapping, always the first and the last
        slot = plot.width() / len(self._bars)
        widest = max(metrics.horizontalAdvance(bar.label) for bar in self._bars) + 10
        every = max(1, math.ceil(widest / slot))
        painter.setPen(muted)
        last = len(self._bars) - 1
        for index, bar in enumerate(self._bars):
            if index % every and index != last:
                continue
            if index != last and last - index < every and index != 0:
                continue
            centre = plot.left() + (index + 0.5) * slot
            box = QRectF(centre - widest / 2, plot.bottom() + 4, widest, metrics.height())
            box.moveLeft(max(0.0, min(box.left(), self.width() - widest)))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, bar.label)

    def _paint_horizontal(self, painter: QPainter, colors: ThemeColors) -> None:
        plot = self._plot_rect()
        metrics = self._metrics()
        text_colour = QColor(colors.text)
        muted = QColor(colors.muted_text)
        track = QColor(colors.alternate_base)
        for index, bar in enumerate(self._bars):
            rect = self.bar_rect(index)
            full = QRectF(plot.left(), rect.top(), plot.width(), rect.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRect(full)
            colour = self._colour(colors, bar.hue)
            if index == self._current:
                colour = colour.lighter(125) if colour.lightness() < 128 else colour.darker(120)
            painter.setBrush(colour)
            if rect.width() > 0:
                painter.drawRect(rect)
            painter.setPen(text_colour)
            label_box = QRectF(
                self.PADDING, rect.top() - 4, plot.left() - self.PADDING - 10, rect.height() + 8
            )
            painter.drawText(
                label_box,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_box.width()),
            )
            painter.setPen(muted)
            painter.drawText(
                QRectF(plot.right() + 8, rect.top() - 4, self.width(), rect.height() + 8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                bar.text or _number(bar.value),
            )

    # --- hover and keyboard ---------------------------------------------------------------

    def set_current(self, index: int) -> None:
        index = -1 if not self._bars else max(-1, min(index, len(self._bars) - 1))
        if index == self._current:
            return
        self._current = index
        if index >= 0:
            self.setAccessibleDescription(self._bars[index].tooltip.replace("\n", ", "))
        self.highlighted.emit(index)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position())
        if index is None:
            QToolTip.hideText()
            self.set_current(-1)
            return
        self.set_current(index)
        QToolTip.showText(event.globalPosition().toPoint(), self._bars[index].tooltip, self)

    def leaveEvent(self, event: QEvent) -> None:
        self.set_current(-1)
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        forward = Qt.Key.Key_Down if self.horizontal else Qt.Key.Key_Right
        back = Qt.Key.Key_Up if self.horizontal else Qt.Key.Key_Left
        key = event.key()
        if not self._bars or key not in (forward, back, Qt.Key.Key_Home, Qt.Key.Key_End):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Home:
            index = 0
        elif key == Qt.Key.Key_End:
            index = len(self._bars) - 1
        elif self._current < 0:
            index = 0
        else:
            index = self._current + (1 if key == forward else -1)
        self.set_current(max(0, min(index, len(self._bars) - 1)))
        rect = self.bar_rect(self._current)
        QToolTip.showText(
            self.mapToGlobal(rect.center().toPoint()), self._bars[self._current].tooltip, self
        )

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)
