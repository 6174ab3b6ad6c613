"""The key to the figure: what the cells are, and what each ring colour means (in words)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from metaflash.ui.diagram.backdrop import cosmetic_pen
from metaflash.ui.diagram.colours import DiagramColours, mix
from metaflash.ui.diagram.shapes import cell_outline, immune_outline, red_cell_outline

CELL_KEYS = ("cancer cell", "immune cell", "platelet", "red blood cell")
MASTERY_KEYS = ("mastered", "learning", "weak", "not started", "no cards")


class DiagramLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Key")
        self.setAccessibleDescription(
            "Cells: "
            + ", ".join(CELL_KEYS)
            + ". Ring colours: "
            + ", ".join(MASTERY_KEYS)
            + "; the coloured part of a ring is the share of its cards studied."
        )

    def entries(self) -> tuple[str, ...]:
        return CELL_KEYS + MASTERY_KEYS

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        width = sum(metrics.horizontalAdvance(text) + 30 for text in self.entries()) + 60
        return QSize(int(width), int(metrics.height() + 10))

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = DiagramColours.from_palette(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        y = self.height() / 2
        x = 8.0
        r = 6.5
        fills = (colours.tumour, colours.immune, colours.platelet, colours.red_cell)
        shapes = (
            cell_outline(r),
            immune_outline(r * 0.9),
            cell_outline(r * 0.45),
            red_cell_outline(r),
        )
        for text, fill, shape in zip(CELL_KEYS, fills, shapes, strict=True):
            painter.save()
            painter.translate(x + r, y)
            painter.setPen(cosmetic_pen(mix(fill, colours.text, 0.4), 1.0))
            painter.setBrush(fill)
            painter.drawPath(shape)
            painter.restore()
            x = self._text(painter, metrics, x + 2 * r + 5, y, text, colours)
        x += 14
        levels = (
            colours.mastered,
            colours.learning,
            colours.weak,
            colours.not_started,
            colours.track,
        )
        for index, (text, colour) in enumerate(zip(MASTERY_KEYS, levels, strict=True)):
            style = Qt.PenStyle.DotLine if index == 4 else Qt.PenStyle.SolidLine
            painter.setPen(cosmetic_pen(colour, 3.0 if index < 4 else 2.0, style))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x + r, y), r, r)
            x = self._text(painter, metrics, x + 2 * r + 5, y, text, colours)
        painter.end()

    @staticmethod
    def _text(
        painter: QPainter,
        metrics: QFontMetricsF,
        x: float,
        y: float,
        text: str,
        colours: DiagramColours,
    ) -> float:
        painter.setPen(colours.text)
        width = metrics.horizontalAdvance(text)
        painter.drawText(
            QRectF(x, y - metrics.height() / 2, width + 2, metrics.height()),
            Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        return x + width + 14
