"""Plane geometry for the pathway diagram: points, boxes and cubic Bézier curves.

Pure and Qt-free; :mod:`metaflash.core.diagrams.layout` builds on it and the views turn its
values into ``QPointF``/``QPainterPath`` at the last moment.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class XY:
    """A point (or offset) in scene units: x to the right, y down."""

    x: float
    y: float

    def __add__(self, other: XY) -> XY:
        return XY(self.x + other.x, self.y + other.y)

    def __sub__(self, other: XY) -> XY:
        return XY(self.x - other.x, self.y - other.y)

    def scaled(self, factor: float) -> XY:
        return XY(self.x * factor, self.y * factor)

    def length(self) -> float:
        return math.hypot(self.x, self.y)

    def distance_to(self, other: XY) -> float:
        return math.hypot(self.x - other.x, self.y - other.y)

    def lerp(self, other: XY, t: float) -> XY:
        return XY(self.x + (other.x - self.x) * t, self.y + (other.y - self.y) * t)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle."""

    left: float
    top: float
    width: float
    height: float

    @staticmethod
    def around(centre: XY, width: float, height: float) -> Box:
        return Box(centre.x - width / 2, centre.y - height / 2, width, height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> XY:
        return XY(self.left + self.width / 2, self.top + self.height / 2)

    def contains(self, point: XY) -> bool:
        return self.left <= point.x <= self.right and self.top <= point.y <= self.bottom

    def overlap(self, other: Box) -> float:
        """The area the two boxes share (0 when they do not touch)."""
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0

    def inflated(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.width + 2 * by, self.height + 2 * by)

    def moved_inside(self, outer: Box) -> Box:
        """This box shifted (not resized) as little as possible to lie within ``outer``."""
        left = min(max(self.left, outer.left), max(outer.left, outer.right - self.width))
        top = min(max(self.top, outer.top), max(outer.top, outer.bottom - self.height))
        return Box(left, top, self.width, self.height)


@dataclass(frozen=True, slots=True)
class Cubic:
    """A cubic Bézier curve from ``start`` to ``end``."""

    start: XY
    c1: XY
    c2: XY
    end: XY

    def point(self, t: float) -> XY:
        u = 1.0 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        return XY(
            a * self.start.x + b * self.c1.x + c * self.c2.x + d * self.end.x,
            a * self.start.y + b * self.c1.y + c * self.c2.y + d * self.end.y,
        )

    def tangent(self, t: float) -> XY:
        """The direction of travel at ``t`` (not normalised)."""
        u = 1.0 - t
        p0, p1, p2, p3 = self.start, self.c1, self.c2, self.end
        return XY(
            3 * u * u * (p1.x - p0.x) + 6 * u * t * (p2.x - p1.x) + 3 * t * t * (p3.x - p2.x),
            3 * u * u * (p1.y - p0.y) + 6 * u * t * (p2.y - p1.y) + 3 * t * t * (p3.y - p2.y),
        )

    def split(self, t: float) -> tuple[Cubic, Cubic]:
        """The curve cut at ``t`` into two curves (de Casteljau)."""
        p01 = self.start.lerp(self.c1, t)
        p12 = self.c1.lerp(self.c2, t)
        p23 = self.c2.lerp(self.end, t)
        p012 = p01.lerp(p12, t)
        p123 = p12.lerp(p23, t)
        mid = p012.lerp(p123, t)
        return Cubic(self.start, p01, p012, mid), Cubic(mid, p123, p23, self.end)

    def polyline(self, segments: int = 32) -> tuple[XY, ...]:
        """``segments + 1`` points along the curve, evenly spaced in ``t``."""
        return tuple(self.point(i / segments) for i in range(segments + 1))

    def length(self, segments: int = 32) -> float:
        points = self.polyline(segments)
        return sum(a.distance_to(b) for a, b in itertools.pairwise(points))

    def even_points(self, count: int, segments: int = 64) -> tuple[XY, ...]:
        """``count`` (>= 2) points along the curve at equal distances, ends included."""
        fine = self.polyline(segments)
        cumulative = [0.0]
        for a, b in itertools.pairwise(fine):
            cumulative.append(cumulative[-1] + a.distance_to(b))
        total = cumulative[-1]
        if total == 0:
            return tuple(self.start for _ in range(count))
        result: list[XY] = []
        j = 0
        for i in range(count):
            wanted = total * i / (count - 1)
            while j < len(fine) - 2 and cumulative[j + 1] < wanted:
                j += 1
            span = cumulative[j + 1] - cumulative[j]
            f = 0.0 if span == 0 else (wanted - cumulative[j]) / span
            result.append(fine[j].lerp(fine[j + 1], min(max(f, 0.0), 1.0)))
        return tuple(result)

    def trimmed(self, start_gap: float, end_gap: float) -> Cubic:
        """The curve with ``start_gap`` cut from its start and ``end_gap`` from its end
        (measured as straight distances from the end points), e.g. to stop at a marker."""
        t0 = _param_at_distance(self, self.start, start_gap, from_start=True)
        t1 = _param_at_distance(self, self.end, end_gap, from_start=False)
        if t1 <= t0:
            middle = self.point((t0 + t1) / 2)
            return Cubic(middle, middle, middle, middle)
        head = self.split(t1)[0] if t1 < 1.0 else self
        if t0 <= 0.0:
            return head
        return head.split(t0 / t1)[1]

    def crossings_of_y(self, y: float, segments: int = 48) -> tuple[float, ...]:
        """The parameters ``t`` at which the curve crosses the horizontal line at ``y``."""
        found: list[float] = []
        points = self.polyline(segments)
        for i, (a, b) in enumerate(itertools.pairwise(points)):
            if (a.y - y) * (b.y - y) < 0 or (b.y == y and a.y != y):
                f = (y - a.y) / (b.y - a.y)
                found.append((i + f) / segments)
        return tuple(found)


def _param_at_distance(curve: Cubic, anchor: XY, gap: float, *, from_start: bool) -> float:
    """The curve parameter nearest its ``anchor`` end whose point is ``gap`` away from it."""
    if gap <= 0:
        return 0.0 if from_start else 1.0
    steps = 64
    for i in range(steps + 1):
        t = i / steps if from_start else 1.0 - i / steps
        if curve.point(t).distance_to(anchor) >= gap:
            return t
    return 1.0 if from_start else 0.0


def smooth_connection(a: XY, b: XY) -> Cubic:
    """A gentle S-curve from ``a`` to ``b``, leaving and arriving along the dominant axis."""
    dx, dy = b.x - a.x, b.y - a.y
    if abs(dx) >= abs(dy):
        return Cubic(a, XY(a.x + dx * 0.5, a.y), XY(b.x - dx * 0.5, b.y), b)
    return Cubic(a, XY(a.x, a.y + dy * 0.5), XY(b.x, b.y - dy * 0.5), b)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
