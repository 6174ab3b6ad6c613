"""Painter paths for the figure, built once from the pure geometry and then only drawn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

from metaflash.core.diagrams.geometry import XY, Box, Cubic


class OrganShape(StrEnum):
    LIVER = "liver"
    BONE = "bone"
    LUNG = "lung"
    NODE = "node"
    ORGAN = "organ"


#: Style rule: words in an organ step's label or id that pick its drawing (first match wins).
ORGAN_WORDS: tuple[tuple[str, OrganShape], ...] = (
    ("liver", OrganShape.LIVER),
    ("bone", OrganShape.BONE),
    ("lung", OrganShape.LUNG),
    ("node", OrganShape.NODE),
    ("lymph", OrganShape.NODE),
)


def organ_shape_for(label: str, step_id: str) -> OrganShape:
    words = f"{label} {step_id}".lower()
    for word, shape in ORGAN_WORDS:
        if word in words:
            return shape
    return OrganShape.ORGAN


def point(p: XY) -> QPointF:
    return QPointF(p.x, p.y)


def rect(box: Box) -> QRectF:
    return QRectF(box.left, box.top, box.width, box.height)


def cubic_path(curve: Cubic) -> QPainterPath:
    path = QPainterPath(point(curve.start))
    path.cubicTo(point(curve.c1), point(curve.c2), point(curve.end))
    return path


def polyline_path(points: Sequence[XY], closed: bool = False) -> QPainterPath:
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(point(points[0]))
    for p in points[1:]:
        path.lineTo(point(p))
    if closed:
        path.closeSubpath()
    return path


def organ_path(shape: OrganShape, centre: XY, radius: float) -> QPainterPath:
    """An organ drawn as a simple, recognisable outline that fits in ``radius``."""
    x, y, r = centre.x, centre.y, radius
    path = QPainterPath()
    if shape is OrganShape.LIVER:
        path.moveTo(x - r * 0.95, y - r * 0.1)
        path.cubicTo(
            x - r * 0.9, y - r * 0.75, x + r * 0.2, y - r * 0.7, x + r * 0.95, y - r * 0.45
        )
        path.cubicTo(
            x + r * 0.8, y - r * 0.05, x + r * 0.1, y + r * 0.55, x - r * 0.45, y + r * 0.6
        )
        path.cubicTo(
            x - r * 0.85, y + r * 0.62, x - r * 1.0, y + r * 0.3, x - r * 0.95, y - r * 0.1
        )
    elif shape is OrganShape.BONE:
        shaft = r * 0.22
        knob = r * 0.3
        for sx in (-1, 1):
            for sy in (-1, 1):
                path.addEllipse(QPointF(x + sx * r * 0.72, y + sy * knob * 0.8), knob, knob)
        path.addRect(QRectF(x - r * 0.75, y - shaft, r * 1.5, shaft * 2))
        path = path.simplified()
    elif shape is OrganShape.LUNG:
        for sx in (-1, 1):
            lobe = QPainterPath()
            lobe.moveTo(x + sx * r * 0.12, y - r * 0.7)
            lobe.cubicTo(
                x + sx * r * 0.9,
                y - r * 0.75,
                x + sx * r * 0.95,
                y + r * 0.55,
                x + sx * r * 0.55,
                y + r * 0.7,
            )
            lobe.cubicTo(
                x + sx * r * 0.25,
                y + r * 0.78,
                x + sx * r * 0.1,
                y + r * 0.5,
                x + sx * r * 0.12,
                y - r * 0.7,
            )
            path.addPath(lobe)
        path.addRect(QRectF(x - r * 0.05, y - r * 0.95, r * 0.1, r * 0.4))
        path = path.simplified()
    elif shape is OrganShape.NODE:
        path.moveTo(x - r * 0.8, y)
        path.cubicTo(x - r * 0.8, y - r * 0.75, x + r * 0.8, y - r * 0.75, x + r * 0.8, y)
        path.cubicTo(x + r * 0.8, y + r * 0.65, x + r * 0.15, y + r * 0.6, x, y + r * 0.3)
        path.cubicTo(x - r * 0.15, y + r * 0.6, x - r * 0.8, y + r * 0.65, x - r * 0.8, y)
    else:
        path.addEllipse(QPointF(x, y), r * 0.85, r * 0.62)
    return path


def cell_outline(radius: float, squeeze: float = 0.0, wobble: int = 0) -> QPainterPath:
    """A slightly irregular round cell around (0, 0); ``squeeze`` (0..1) stretches it
    sideways as it pushes through a gap."""
    stretch_x = 1.0 + 0.55 * squeeze
    stretch_y = 1.0 - 0.38 * squeeze
    path = QPainterPath()
    segments = 14
    for k in range(segments + 1):
        a = 2 * math.pi * k / segments
        bump = 1.0 + 0.06 * math.sin(3 * a + wobble) + 0.04 * math.cos(5 * a + 2 * wobble)
        p = QPointF(
            math.cos(a) * radius * bump * stretch_x, math.sin(a) * radius * bump * stretch_y
        )
        if k == 0:
            path.moveTo(p)
        else:
            path.lineTo(p)
    path.closeSubpath()
    return path


def immune_outline(radius: float) -> QPainterPath:
    """A round immune cell with short projections."""
    path = QPainterPath()
    spikes = 12
    for k in range(spikes * 2 + 1):
        a = math.pi * k / spikes
        r = radius * (1.12 if k % 2 else 0.95)
        p = QPointF(math.cos(a) * r, math.sin(a) * r)
        if k == 0:
            path.moveTo(p)
        else:
            path.lineTo(p)
    path.closeSubpath()
    return path


def red_cell_outline(radius: float) -> QPainterPath:
    """A red blood cell seen from the side: a flattened disc."""
    path = QPainterPath()
    path.addEllipse(QPointF(0, 0), radius, radius * 0.62)
    return path


def arrow_head(tip: XY, direction: XY, size: float) -> QPainterPath:
    length = direction.length() or 1.0
    ux, uy = direction.x / length, direction.y / length
    base = QPointF(tip.x - ux * size, tip.y - uy * size)
    left = QPointF(base.x() - uy * size * 0.5, base.y() + ux * size * 0.5)
    right = QPointF(base.x() + uy * size * 0.5, base.y() - ux * size * 0.5)
    path = QPainterPath(point(tip))
    path.lineTo(left)
    path.lineTo(right)
    path.closeSubpath()
    return path
