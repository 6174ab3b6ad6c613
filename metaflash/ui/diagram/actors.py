"""The moving parts of the figure: cells, growing colonies, sprouting vessels, the breach in
the basement membrane.

Each exposes what changes as a Qt ``Property`` (``pos`` and ``opacity`` come with
``QGraphicsObject``; ``squeeze``, ``dying`` and ``growth`` are declared here) so that the
animations in :mod:`metaflash.ui.diagram.journey_animation` drive them; ``paint()`` only
draws the current state. Bounding rectangles are fixed and tight, so a moving cell repaints
only the little area it covers.
"""

from __future__ import annotations

import math
from enum import StrEnum

from PySide6.QtCore import Property, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QRadialGradient
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QStyleOptionGraphicsItem,
    QWidget,
)

from metaflash.core.diagrams.decoration import Blob, tumour_mass
from metaflash.core.diagrams.geometry import XY
from metaflash.ui.diagram.backdrop import cosmetic_pen
from metaflash.ui.diagram.colours import DiagramColours, mix, with_alpha
from metaflash.ui.diagram.shapes import cell_outline, immune_outline, red_cell_outline


class CellKind(StrEnum):
    TUMOUR = "tumour cell"
    IMMUNE = "immune cell"
    RED = "red blood cell"
    PLATELET = "platelet"


class Actor(QGraphicsObject):
    """Base for animated items: not clickable, never takes focus."""

    def __init__(self, z: float, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class CellItem(Actor):
    """One cell. ``squeeze`` (0..1) flattens it through a gap; ``dying`` (0..1) breaks it
    into fragments and fades it, the way a cell killed by an immune cell is drawn."""

    def __init__(
        self,
        kind: CellKind,
        radius: float,
        colours: DiagramColours,
        z: float,
        seed: int = 0,
        halo: bool = False,
    ) -> None:
        super().__init__(z)
        self.kind = kind
        self.halo = halo  # a soft glow that lets the eye follow the travelling cell
        self.radius = radius
        self._colours = colours
        self._squeeze = 0.0
        self._dying = 0.0
        margin = radius * 1.9
        self._bounds = QRectF(-margin, -margin, 2 * margin, 2 * margin)
        if kind is CellKind.IMMUNE:
            self._outline = immune_outline(radius)
        elif kind is CellKind.RED:
            self._outline = red_cell_outline(radius)
        elif kind is CellKind.PLATELET:
            self._outline = cell_outline(radius, wobble=seed)
        else:
            self._outline = cell_outline(radius, wobble=seed)
        self._nucleus = QPainterPath()
        if kind is CellKind.TUMOUR:
            self._nucleus.addEllipse(
                QPointF(radius * 0.08, -radius * 0.05), radius * 0.42, radius * 0.36
            )
        elif kind is CellKind.IMMUNE:
            self._nucleus.addEllipse(QPointF(-radius * 0.25, 0), radius * 0.3, radius * 0.42)
            self._nucleus.addEllipse(
                QPointF(radius * 0.28, -radius * 0.05), radius * 0.28, radius * 0.38
            )
        elif kind is CellKind.RED:
            self._nucleus.addEllipse(QPointF(0, 0), radius * 0.5, radius * 0.22)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(kind.value)
        # Brushes and pens made once: paint() runs on every frame the cell changes shape.
        c = colours
        fill = self.fill()
        gradient = QRadialGradient(QPointF(-radius * 0.35, -radius * 0.35), radius * 1.4)
        gradient.setColorAt(0.0, mix(fill, c.plate, 0.35))  # type: ignore[arg-type]
        gradient.setColorAt(1.0, fill)
        self._body = QBrush(gradient)
        outline = c.tumour_line if kind is CellKind.TUMOUR else mix(fill, c.text, 0.4)  # type: ignore[arg-type]
        self._outline_pen = cosmetic_pen(outline, 1.1)
        self._nucleus_brush = QBrush(
            {
                CellKind.TUMOUR: c.tumour_nucleus,
                CellKind.IMMUNE: c.immune_line,
                CellKind.RED: mix(c.red_cell, c.plate, 0.3),
                CellKind.PLATELET: c.platelet,
            }[kind]
        )
        self._halo_brush = QBrush(with_alpha(c.focus, 0.22))
        self._fragment_colour = QColor(fill)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _get_squeeze(self) -> float:
        return self._squeeze

    def _set_squeeze(self, value: float) -> None:
        if value != self._squeeze:
            self._squeeze = value
            self.update()

    def _get_dying(self) -> float:
        return self._dying

    def _set_dying(self, value: float) -> None:
        if value != self._dying:
            self._dying = value
            self.update()

    squeeze = Property(float, _get_squeeze, _set_squeeze)
    dying = Property(float, _get_dying, _set_dying)

    def fill(self) -> object:
        c = self._colours
        return {
            CellKind.TUMOUR: c.tumour,
            CellKind.IMMUNE: c.immune,
            CellKind.RED: c.red_cell,
            CellKind.PLATELET: c.platelet,
        }[self.kind]

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dying = self._dying
        if self.halo:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._halo_brush)
            painter.drawEllipse(QPointF(0, 0), self.radius * 1.8, self.radius * 1.8)
        if dying > 0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(with_alpha(self._fragment_colour, 0.85 * dying))
            for k in range(6):
                a = k * math.pi / 3 + 0.4
                d = self.radius * (0.7 + 0.75 * dying)
                painter.drawEllipse(
                    QPointF(math.cos(a) * d, math.sin(a) * d),
                    self.radius * 0.22,
                    self.radius * 0.22,
                )
            painter.setOpacity(painter.opacity() * (1.0 - 0.75 * dying))
            painter.scale(1.0 - 0.45 * dying, 1.0 - 0.45 * dying)
        if self._squeeze:
            painter.scale(1.0 + 0.55 * self._squeeze, 1.0 - 0.38 * self._squeeze)
        painter.setPen(self._outline_pen)
        painter.setBrush(self._body)
        painter.drawPath(self._outline)
        if not self._nucleus.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._nucleus_brush)
            painter.drawPath(self._nucleus)


class ColonyItem(Actor):
    """A cluster of tumour cells that grows cell by cell as ``growth`` goes from 0 to 1."""

    def __init__(
        self, radius: float, count: int, colours: DiagramColours, seed: int, growth: float = 0.0
    ) -> None:
        super().__init__(4.0)
        self.radius = radius
        self._colours = colours
        self._blobs: tuple[Blob, ...] = tumour_mass(XY(0, 0), radius, count, seed)
        self._growth = growth
        margin = radius * 1.25
        self._bounds = QRectF(-margin, -margin, 2 * margin, 2 * margin)
        self._cells = [self._cell_path(blob) for blob in self._blobs]
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @staticmethod
    def _cell_path(blob: Blob) -> QPainterPath:
        path = cell_outline(blob.radius, wobble=int(blob.centre.x * 7 + blob.centre.y * 3))
        path.translate(blob.centre.x, blob.centre.y)
        return path

    @property
    def cell_count(self) -> int:
        return len(self._blobs)

    def visible_cells(self) -> int:
        return min(len(self._blobs), math.ceil(self._growth * len(self._blobs) - 1e-9))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _get_growth(self) -> float:
        return self._growth

    def _set_growth(self, value: float) -> None:
        if value != self._growth:
            self._growth = value
            self.update()

    growth = Property(float, _get_growth, _set_growth)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        shown = self._growth * len(self._blobs)
        if shown <= 0:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(cosmetic_pen(c.tumour_line, 1.0))
        for index, (blob, path) in enumerate(zip(self._blobs, self._cells, strict=True)):
            if index >= shown:
                break
            part = min(1.0, shown - index)
            painter.save()
            if part < 1.0:
                painter.translate(blob.centre.x, blob.centre.y)
                painter.scale(part, part)
                painter.translate(-blob.centre.x, -blob.centre.y)
            shade = 0.12 + 0.2 * ((index * 37) % 5) / 4
            painter.setBrush(mix(c.tumour, c.plate, shade))
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.tumour_nucleus)
            painter.drawEllipse(
                QPointF(blob.centre.x, blob.centre.y), blob.radius * 0.38, blob.radius * 0.32
            )
            painter.restore()


class SproutItem(Actor):
    """A new blood vessel growing along ``points`` as ``growth`` goes from 0 to 1."""

    def __init__(self, points: tuple[XY, ...], width: float, colours: DiagramColours) -> None:
        super().__init__(1.5)
        self._points = [QPointF(p.x, p.y) for p in points]
        self._width = width
        self._colours = colours
        self._growth = 0.0
        xs = [p.x for p in points]
        ys = [p.y for p in points]
        pad = width * 1.5
        self._bounds = QRectF(
            min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
        )
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip("new blood vessel (angiogenesis)")

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _get_growth(self) -> float:
        return self._growth

    def _set_growth(self, value: float) -> None:
        if value != self._growth:
            self._growth = value
            self.update()

    growth = Property(float, _get_growth, _set_growth)

    def grown_path(self) -> QPainterPath:
        path = QPainterPath()
        points = self._points
        reach = self._growth * (len(points) - 1)
        if reach <= 0:
            return path
        path.moveTo(points[0])
        whole = int(reach)
        for p in points[1 : whole + 1]:
            path.lineTo(p)
        if whole < len(points) - 1:
            a, b = points[whole], points[whole + 1]
            f = reach - whole
            path.lineTo(QPointF(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        path = self.grown_path()
        if path.isEmpty():
            return
        c = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(cosmetic_pen(c.vessel_wall, self._width))
        painter.drawPath(path)
        painter.setPen(cosmetic_pen(c.vessel_lumen, self._width * 0.42))
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.vessel_wall)
        painter.drawEllipse(path.currentPosition(), self._width * 0.62, self._width * 0.62)


class BreachItem(Actor):
    """The hole a cell's enzymes make in the basement membrane, opening as ``breach`` rises."""

    def __init__(self, width: float, colours: DiagramColours) -> None:
        super().__init__(1.2)
        self._width = width
        self._colours = colours
        self._breach = 0.0
        self._bounds = QRectF(-width, -width * 0.8, 2 * width, 1.6 * width)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip("a gap broken in the basement membrane")

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _get_breach(self) -> float:
        return self._breach

    def _set_breach(self, value: float) -> None:
        if value != self._breach:
            self._breach = value
            self.update()

    breach = Property(float, _get_breach, _set_breach)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        b = self._breach
        if b <= 0:
            return
        c = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        half = self._width * 0.5 * b
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.stroma)
        painter.drawRect(QRectF(-half, -3.0, 2 * half, 6.0))
        painter.setBrush(c.membrane)
        for sx in (-1, 1):
            painter.drawEllipse(QPointF(sx * half, 0), 2.6, 2.6)
        painter.setBrush(with_alpha(mix(c.tumour, c.plate, 0.3), 0.8 * (1.0 - 0.6 * b)))
        for k in range(7):
            a = k * 0.9 + 0.3
            d = self._width * (0.3 + 0.12 * (k % 3)) * (0.6 + 0.4 * b)
            painter.drawEllipse(QPointF(math.cos(a) * d, math.sin(a) * d * 0.6), 1.8, 1.8)
