"""The shapes that make the diagram look like a textbook figure: epithelial cells on their
membrane, fibres of the matrix, cells of the distant organ, the endothelial lining, tumour
masses. Pure and Qt-free; every function takes its random seed, so a figure is the same
each time it is drawn.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from metaflash.core.diagrams.geometry import XY, Box, clamp
from metaflash.core.diagrams.layout import StepRole, VesselBand

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True, slots=True)
class Blob:
    """A round thing: a cell in a tumour mass, a nucleus..."""

    centre: XY
    radius: float


def epithelial_cells(
    region: Box, top: float, bottom: float, unit: float, gaps: tuple[Box, ...] = ()
) -> tuple[Box, ...]:
    """Columnar cells side by side between ``top`` and ``bottom`` across ``region``,
    left out where a ``gap`` (the primary tumour) takes their place."""
    width = clamp(unit * 0.85, 10.0, 22.0)
    count = max(1, int(region.width / width))
    width = region.width / count
    cells: list[Box] = []
    for i in range(count):
        cell = Box(region.left + i * width, top, width, bottom - top)
        if any(cell.overlap(gap) > 0 for gap in gaps):
            continue
        cells.append(cell)
    return tuple(cells)


def fibres(
    area: Box, unit: float, seed: int, avoid: tuple[Box, ...] = ()
) -> tuple[tuple[XY, ...], ...]:
    """Gently wavy strands of extracellular matrix scattered over ``area``."""
    if area.width <= 0 or area.height <= 0:
        return ()
    rng = random.Random(seed)
    count = int(area.width * area.height / (unit * unit * 9.0))
    strands: list[tuple[XY, ...]] = []
    for _ in range(count):
        start = XY(rng.uniform(area.left, area.right), rng.uniform(area.top, area.bottom))
        if any(box.contains(start) for box in avoid):
            continue
        angle = rng.uniform(-0.5, 0.5) + (0.0 if rng.random() < 0.7 else math.pi / 2)
        length = unit * rng.uniform(1.6, 3.2)
        phase = rng.uniform(0, 2 * math.pi)
        points = []
        for k in range(7):
            f = k / 6
            along = XY(math.cos(angle), math.sin(angle)).scaled(length * f)
            wave = XY(-math.sin(angle), math.cos(angle)).scaled(
                math.sin(phase + f * 5.0) * unit * 0.16
            )
            point = start + along + wave
            points.append(
                XY(clamp(point.x, area.left, area.right), clamp(point.y, area.top, area.bottom))
            )
        strands.append(tuple(points))
    return tuple(strands)


def parenchyma(area: Box, unit: float, seed: int) -> tuple[tuple[XY, ...], ...]:
    """Polygonal cells tiling ``area`` (the tissue of the distant organ), slightly irregular."""
    if area.width <= 0 or area.height <= 0:
        return ()
    rng = random.Random(seed)
    size = clamp(unit * 1.25, 16.0, 34.0)
    cells: list[tuple[XY, ...]] = []
    row = 0
    y = area.top + size * 0.5
    while y < area.bottom + size * 0.5:
        offset = size * 0.5 if row % 2 else 0.0
        x = area.left + offset
        while x < area.right + size * 0.5:
            centre = XY(x + rng.uniform(-1, 1) * size * 0.08, y + rng.uniform(-1, 1) * size * 0.08)
            corners = tuple(
                XY(
                    clamp(centre.x + math.cos(a) * size * 0.5, area.left, area.right),
                    clamp(centre.y + math.sin(a) * size * 0.5, area.top, area.bottom),
                )
                for a in (math.pi / 6 + k * math.pi / 3 for k in range(6))
            )
            cells.append(corners)
            x += size
        y += size * 0.866
        row += 1
    return tuple(cells)


def endothelial_cells(band: VesselBand, unit: float) -> tuple[Box, ...]:
    """Flat cells lining both walls of a vessel."""
    length = clamp(unit * 1.6, 18.0, 40.0)
    count = max(1, int(band.box.width / length))
    length = band.box.width / count
    cells: list[Box] = []
    for i in range(count):
        left = band.box.left + i * length
        cells.append(Box(left, band.box.top, length, band.wall))
        cells.append(
            Box(
                left + length * 0.5 if i < count - 1 else left,
                band.box.bottom - band.wall,
                length,
                band.wall,
            )
        )
    return tuple(cells)


def tumour_mass(centre: XY, radius: float, count: int, seed: int) -> tuple[Blob, ...]:
    """``count`` cells packed in a rough disc of ``radius`` around ``centre``."""
    rng = random.Random(seed)
    if count <= 0:
        return ()
    cell = radius / math.sqrt(count) * 0.95
    blobs: list[Blob] = []
    for i in range(count):
        r = radius * math.sqrt((i + 0.5) / count) * 0.82
        a = i * GOLDEN_ANGLE + rng.uniform(-0.2, 0.2)
        blobs.append(
            Blob(
                XY(centre.x + math.cos(a) * r, centre.y + math.sin(a) * r * 0.86),
                cell * rng.uniform(0.9, 1.12),
            )
        )
    return tuple(blobs)


def colony_size(role: StepRole) -> int:
    """How many cells the colony at a step of ``role`` grows to (0: no colony there)."""
    return {
        StepRole.ORIGIN: 21,
        StepRole.SETTLE: 4,
        StepRole.GROWTH: 9,
        StepRole.TERMINAL: 19,
        StepRole.ORGAN: 5,
    }.get(role, 0)
