"""Where each step's label goes: beside its ring where that is clear of every other label
and ring, else further out with a leader line, else as its name alone, else hidden (the
number badge and the tooltip still name the step). Pure and Qt-free; sizes are in scene
units, as :func:`metaflash.core.diagrams.layout.layout_diagram` passes them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum

from metaflash.core.decks.model import DiagramStep, StepId
from metaflash.core.diagrams.geometry import XY, Box


class LabelSide(StrEnum):
    BELOW = "below"
    ABOVE = "above"
    RIGHT = "right"
    LEFT = "left"


class LabelFit(StrEnum):
    """How much of a step's label the figure has room for."""

    FULL = "full"  # the name and the mastery line
    SHORT = "short"  # the name only (the ring's colour and the tooltip tell the mastery)
    HIDDEN = "hidden"  # no room anywhere: the number badge and the tooltip name the step


#: How far (in label heights) a label may be set away from its ring, with a leader line.
FAR_STEPS = (1.2, 2.4, 3.6, 5.0)
#: degrees, y down: below first, then the other sides, then the diagonals in between
_DIRECTIONS = (
    90,
    270,
    0,
    180,
    45,
    135,
    315,
    225,
    67.5,
    112.5,
    292.5,
    247.5,
    22.5,
    157.5,
    337.5,
    202.5,
)


def _label_candidates(
    centre: XY, ring: float, size: tuple[float, float]
) -> list[tuple[LabelSide, Box, bool]]:
    """Boxes for a label: beside the ring, then further out in eight directions (those need
    a leader line: the third item)."""
    w, h = size
    gap = 6.0
    diagonal = ring * 0.72 + gap
    near = [
        (LabelSide.BELOW, Box(centre.x - w / 2, centre.y + ring + gap, w, h)),
        (LabelSide.ABOVE, Box(centre.x - w / 2, centre.y - ring - gap - h, w, h)),
        (LabelSide.RIGHT, Box(centre.x + ring + gap, centre.y - h / 2, w, h)),
        (LabelSide.LEFT, Box(centre.x - ring - gap - w, centre.y - h / 2, w, h)),
        (LabelSide.BELOW, Box(centre.x + diagonal - w * 0.15, centre.y + diagonal, w, h)),
        (LabelSide.BELOW, Box(centre.x - diagonal - w * 0.85, centre.y + diagonal, w, h)),
        (LabelSide.ABOVE, Box(centre.x + diagonal - w * 0.15, centre.y - diagonal - h, w, h)),
        (LabelSide.ABOVE, Box(centre.x - diagonal - w * 0.85, centre.y - diagonal - h, w, h)),
    ]
    found = [(side, box, False) for side, box in near]
    for step in FAR_STEPS:
        for degrees in _DIRECTIONS:
            a = math.radians(degrees)
            dx, dy = math.cos(a), math.sin(a)
            reach = ring + gap + step * h
            cx = centre.x + dx * (reach + w / 2 * abs(dx))
            cy = centre.y + dy * (reach + h / 2 * abs(dy))
            if abs(dy) >= abs(dx):
                side = LabelSide.BELOW if dy > 0 else LabelSide.ABOVE
            else:
                side = LabelSide.RIGHT if dx > 0 else LabelSide.LEFT
            found.append((side, Box.around(XY(cx, cy), w, h), True))
    return found


def _leader(centre: XY, ring: float, box: Box) -> tuple[XY, XY] | None:
    """A line from the ring's edge to the nearest point of ``box``, when the box stands
    clear of the ring."""
    near = XY(min(max(centre.x, box.left), box.right), min(max(centre.y, box.top), box.bottom))
    distance = near.distance_to(centre)
    if distance <= ring + 10:
        return None
    t = ring / distance
    start = XY(centre.x + (near.x - centre.x) * t, centre.y + (near.y - centre.y) * t)
    return start, near


LabelPlace = tuple[Box, LabelSide, LabelFit, tuple[XY, XY] | None]


def _gap(box: Box, point: XY) -> float:
    """How far ``point`` is from ``box`` (0 inside it)."""
    dx = max(box.left - point.x, 0.0, point.x - box.right)
    dy = max(box.top - point.y, 0.0, point.y - box.bottom)
    return math.hypot(dx, dy)


def place_step_labels(
    ordered: tuple[DiagramStep, ...],
    centres: Mapping[StepId, XY],
    radii: Mapping[StepId, float],
    sizes: Mapping[StepId, tuple[float, float]],
    short_sizes: Mapping[StepId, tuple[float, float]],
    unit: float,
    scene: Box,
    *,
    alone: bool = False,
) -> dict[StepId, LabelPlace]:
    """Each label where it covers no other label and no other ring: beside its ring where it
    can, else set away with a leader line, else its name alone, else hidden. Among the clear
    places the nearest wins; labels are placed in journey order, then looked at again twice,
    so that earlier steps get the better places.

    ``alone``: each label is placed as if it were the only one shown (a small figure that
    names one step at a time); it still covers no ring."""
    badge = unit * 0.5  # the number badge sticks out of the ring
    rings = {
        sid: Box.around(c, 2 * radii[sid], 2 * radii[sid]).inflated(3 + badge)
        for sid, c in centres.items()
    }
    inside_scene = scene.inflated(-2)
    placed: dict[StepId, LabelPlace] = {}

    def best_for(step: DiagramStep) -> LabelPlace:
        nominal = (unit * 6, unit * 1.4)
        full = sizes.get(step.id, nominal)
        short = short_sizes.get(step.id, (full[0], full[1] * 0.55))
        others = [
            place[0].inflated(2)
            for sid, place in placed.items()
            if sid != step.id and place[2] is not LabelFit.HIDDEN and not alone
        ]
        other_rings = [box for sid, box in rings.items() if sid != step.id]
        centre, radius = centres[step.id], radii[step.id]
        own_ring = Box.around(centre, 2 * radius, 2 * radius).inflated(3)
        neighbours = [sid for sid in centres if sid != step.id]
        best: tuple[float, LabelPlace] | None = None
        for fit, size, fit_cost in ((LabelFit.FULL, full, 0.0), (LabelFit.SHORT, short, 400.0)):
            for order, (side, box, far) in enumerate(
                _label_candidates(centres[step.id], radii[step.id], size)
            ):
                inside = box.moved_inside(inside_scene)
                cost = fit_cost + order * 2.0 + inside.centre.distance_to(box.centre) * 4
                cost += own_ring.overlap(inside) * 6
                leader = _leader(centre, radius, inside)
                if leader is not None:
                    cost += 60 + leader[0].distance_to(leader[1]) * 2
                elif far:
                    cost += 30
                if best is not None and cost >= best[0]:
                    continue  # cannot win: skip the costlier checks
                if any(inside.overlap(other) > 0 for other in others) or any(
                    inside.overlap(ring) > 0 for ring in other_rings
                ):
                    continue
                # a label nearer another step's ring than its own reads as that step's
                mine = _gap(inside, centre) - radius
                if any(_gap(inside, centres[o]) - radii[o] < mine for o in neighbours):
                    cost += 250
                if best is None or cost < best[0]:
                    best = (cost, (inside, side, fit, leader))
            if best is not None:
                break  # the whole label fits somewhere: never shorten it
        if best is not None:
            return best[1]
        size = full
        box = _label_candidates(centres[step.id], radii[step.id], size)[0][1]
        return box.moved_inside(inside_scene), LabelSide.BELOW, LabelFit.HIDDEN, None

    for _ in range(1 if alone else 3):  # a first place each, then two more looks with all
        for step in ordered:
            placed[step.id] = best_for(step)
    return placed
