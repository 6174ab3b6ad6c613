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
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
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

    # --- where each entry goes: one row where it fits, more rows on a narrow window -------

    R = 6.5  # a symbol's radius
    GAP = 14.0  # between entries
    GROUP_GAP = 28.0  # between the cells and the ring colours
    MARGIN = 8.0

    def _entry_width(self, metrics: QFontMetricsF, text: str) -> float:
        return 2 * self.R + 5 + metrics.horizontalAdvance(text)

    def _placements(self, width: float) -> list[tuple[int, float, int]]:
        """(entry index, x, row) for each entry, wrapping at ``width``."""
        metrics = QFontMetricsF(self.font())
        placed: list[tuple[int, float, int]] = []
        x, row = self.MARGIN, 0
        for index, text in enumerate(self.entries()):
            entry = self._entry_width(metrics, text)
            if index == len(CELL_KEYS) and x > self.MARGIN:
                x += self.GROUP_GAP - self.GAP
            if x > self.MARGIN and x + entry > width - self.MARGIN:
                x, row = self.MARGIN, row + 1
            placed.append((index, x, row))
            x += entry + self.GAP
        return placed

    def _row_height(self) -> float:
        return QFontMetricsF(self.font()).height() + 8

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = 1 + max((row for _, _, row in self._placements(width)), default=0)
        return int(rows * self._row_height() + 2)

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        width = sum(self._entry_width(metrics, text) + self.GAP for text in self.entries())
        width += self.GROUP_GAP + 2 * self.MARGIN
        return QSize(int(width), self.heightForWidth(int(width)))

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        widest = max(self._entry_width(metrics, text) for text in self.entries())
        width = int(widest + 2 * self.MARGIN)
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = DiagramColours.from_palette(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        r = self.R
        fills = (colours.tumour, colours.immune, colours.platelet, colours.red_cell)
        shapes = (
            cell_outline(r),
            immune_outline(r * 0.9),
            cell_outline(r * 0.45),
            red_cell_outline(r),
        )
        levels = (
            colours.mastered,
            colours.learning,
            colours.weak,
            colours.not_started,
            colours.track,
        )
        texts = self.entries()
        for index, x, row in self._placements(self.width()):
            y = (row + 0.5) * self._row_height()
            if index < len(CELL_KEYS):
                painter.save()
                painter.translate(x + r, y)
                painter.setPen(cosmetic_pen(mix(fills[index], colours.text, 0.4), 1.0))
                painter.setBrush(fills[index])
                painter.drawPath(shapes[index])
                painter.restore()
            else:
                level = index - len(CELL_KEYS)
                style = Qt.PenStyle.DotLine if level == 4 else Qt.PenStyle.SolidLine
                painter.setPen(cosmetic_pen(levels[level], 3.0 if level < 4 else 2.0, style))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x + r, y), r, r)
            self._text(painter, metrics, x + 2 * r + 5, y, texts[index], colours)
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
