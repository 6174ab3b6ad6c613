"""The journey a cell makes through a laid-out diagram, and when each part of it happens.

Pure and Qt-free. :func:`journey_legs` gives one leg per step (how the travelling cell gets
there), :func:`plan_timeline` how long each leg and each pause at a step lasts, and
:func:`circulation_cast` / :func:`sprout_paths` where the supporting cells and new vessels go.
The views turn these into Qt animations; tests check them without Qt.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from metaflash.core.decks.model import Diagram, StepId
from metaflash.core.diagrams.geometry import XY, Cubic, clamp, smooth_connection
from metaflash.core.diagrams.layout import (
    DiagramLayout,
    LinkStyle,
    StepRole,
    VesselBand,
    link_style,
)


@dataclass(frozen=True, slots=True)
class Leg:
    """How the travelling cell reaches journey step ``index``.

    ``source`` is where it sets off: the step before when a link joins the two
    (``continuous``), else the latest earlier step that links to the target (a branch: the
    cell reappears there), else None (the cell simply appears at the target).
    """

    index: int
    target: StepId
    role: StepRole
    source: StepId | None
    path: Cubic | None
    continuous: bool
    squeezes: tuple[float, ...] = ()  # path parameters where the cell squeezes through a wall


@dataclass(frozen=True, slots=True)
class LegTiming:
    start: int  # ms from the start of the journey
    travel: int  # ms spent moving to the step
    hold: int  # ms spent at the step

    @property
    def arrival(self) -> int:
        return self.start + self.travel

    @property
    def end(self) -> int:
        return self.start + self.travel + self.hold


@dataclass(frozen=True, slots=True)
class Timeline:
    legs: tuple[LegTiming, ...]

    @property
    def total(self) -> int:
        return self.legs[-1].end if self.legs else 0

    def arrival(self, index: int) -> int:
        return self.legs[index].arrival

    def step_at(self, time_ms: int) -> int:
        """The journey index of the last step reached at ``time_ms`` (0 before any)."""
        reached = 0
        for index, leg in enumerate(self.legs):
            if leg.arrival <= time_ms:
                reached = index
        return reached

    def leg_at(self, time_ms: int) -> int:
        """The index of the leg (travel + hold) that ``time_ms`` falls in."""
        for index, leg in enumerate(self.legs):
            if time_ms < leg.end:
                return index
        return len(self.legs) - 1

    def equivalent_time(self, time_ms: int, other: Timeline) -> int:
        """The time in ``other`` (the same legs at another speed) at the same point of the story."""
        if not self.legs or not other.legs:
            return 0
        index = self.leg_at(time_ms)
        mine, theirs = self.legs[index], other.legs[min(index, len(other.legs) - 1)]
        fraction = (time_ms - mine.start) / max(mine.end - mine.start, 1)
        return theirs.start + round(clamp(fraction, 0.0, 1.0) * (theirs.end - theirs.start))


@dataclass(frozen=True, slots=True)
class Mover:
    start: XY
    end: XY


@dataclass(frozen=True, slots=True)
class CirculationCast:
    """Who else is in the vessel while the travelling cell passes through it.

    Each ``attackers[i]`` (an immune cell) reaches ``companions[i]`` (a tumour cell that
    dies); platelets start at the ``platelets`` offsets around the survivor and close in to
    the ``cloak`` offsets. Red cells drift along the lumen.
    """

    companions: tuple[Mover, ...]
    attackers: tuple[Mover, ...]
    red_cells: tuple[Mover, ...]
    platelets: tuple[XY, ...]
    cloak: tuple[XY, ...]


#: Journey-time constants in milliseconds at speed 1.
APPEAR_MS = 900
HOLD_MS = 1600
MIN_TRAVEL_MS = 1300
MAX_TRAVEL_MS = 3400
CIRCULATION_MS = 3600


def journey_legs(diagram: Diagram, layout: DiagramLayout) -> tuple[Leg, ...]:
    """One leg per journey step, in journey order."""
    centres = {placed.id: placed.centre for placed in layout.steps}
    legs: list[Leg] = []
    for placed in layout.steps:
        if placed.index == 0:
            legs.append(Leg(0, placed.id, placed.role, None, None, continuous=False))
            continue
        previous = layout.steps[placed.index - 1].id
        source = _leg_source(diagram, layout, placed.index, previous)
        if source is None:
            legs.append(Leg(placed.index, placed.id, placed.role, None, None, continuous=False))
            continue
        path = smooth_connection(centres[source], centres[placed.id])
        legs.append(
            Leg(
                placed.index,
                placed.id,
                placed.role,
                source,
                path,
                continuous=source == previous,
                squeezes=_wall_crossings(path, layout),
            )
        )
    return tuple(legs)


def _leg_source(
    diagram: Diagram, layout: DiagramLayout, index: int, previous: StepId
) -> StepId | None:
    """Where the cell sets off for journey step ``index``: along the main pathway (a
    ``next`` link) when one leads there, else from the step just before, else from the
    latest earlier step that links to it."""
    target = layout.steps[index].id
    earlier = {s.id: s.index for s in layout.steps[:index]}
    incoming = [l for l in diagram.links if l.target == target and l.source in earlier]
    if not incoming:
        return None
    main = [l.source for l in incoming if link_style(l) is LinkStyle.MAIN]
    if main:
        return max(main, key=lambda sid: earlier[sid])
    if any(l.source == previous for l in incoming):
        return previous
    return max((l.source for l in incoming), key=lambda sid: earlier[sid])


def _wall_crossings(path: Cubic, layout: DiagramLayout) -> tuple[float, ...]:
    found: list[float] = []
    lines: list[tuple[float, float, float]] = [
        (edge, band.box.left, band.box.right)
        for band in layout.bands
        for edge in (band.box.top, band.box.bottom)
    ]
    tissue = layout.tissue
    if tissue.membrane_y is not None:
        lines.append((tissue.membrane_y, tissue.origin.left, tissue.origin.right))
    for y, left, right in lines:
        for t in path.crossings_of_y(y):
            if left <= path.point(t).x <= right:
                found.append(round(t, 4))
    return tuple(sorted(found))


def plan_timeline(legs: tuple[Leg, ...], layout: DiagramLayout, speed: float = 1.0) -> Timeline:
    """How long each leg takes at ``speed`` (1 = normal, 2 = twice as fast)."""
    diagonal = math.hypot(layout.width, layout.height)
    start = 0
    timings: list[LegTiming] = []
    for leg in legs:
        if leg.path is None:
            travel = APPEAR_MS
        else:
            travel = round(
                clamp(900 + 4200 * leg.path.length() / diagonal, MIN_TRAVEL_MS, MAX_TRAVEL_MS)
            )
            if leg.role is StepRole.TRANSIT:
                travel = max(travel, CIRCULATION_MS)
        travel = max(round(travel / speed), 1)
        hold = max(round(HOLD_MS / speed), 1)
        timings.append(LegTiming(start, travel, hold))
        start += travel + hold
    return Timeline(tuple(timings))


def circulation_leg(legs: tuple[Leg, ...]) -> Leg | None:
    """The leg during which the cell survives the circulation (immune attack, platelets):
    the first leg into a stage inside a vessel, else the first into a vessel."""
    for role in (StepRole.TRANSIT, StepRole.ROUTE):
        for leg in legs:
            if leg.role is role and leg.path is not None:
                return leg
    return None


def circulation_cast(
    band: VesselBand, leg: Leg, cell_radius: float, seed: int, companions: int = 3
) -> CirculationCast:
    """Companions, immune cells, red cells and platelets for ``leg`` inside ``band``."""
    rng = random.Random(seed)
    lumen = band.lumen
    assert leg.path is not None
    x_end = leg.path.end.x
    span = clamp(lumen.width * 0.32, cell_radius * 10, cell_radius * 30)
    lanes = (lumen.top + lumen.height * 0.28, lumen.top + lumen.height * 0.72)
    companion_movers: list[Mover] = []
    attacker_movers: list[Mover] = []
    for i in range(companions):
        lane = lanes[i % 2]
        start_x = x_end - span * (1.05 + 0.22 * i)
        stop_x = x_end - span * (0.42 - 0.16 * i) + rng.uniform(-0.5, 0.5) * cell_radius
        companion_movers.append(Mover(XY(start_x, lane), XY(stop_x, lane)))
        side = -1 if lane < lumen.centre.y else 1
        attacker_movers.append(
            Mover(
                XY(stop_x + span * rng.uniform(0.35, 0.6), lane + side * cell_radius * 0.2),
                XY(stop_x + cell_radius * 1.55, lane + side * cell_radius * 0.1),
            )
        )
    red: list[Mover] = []
    # Red cells drift along the stretch of vessel the cell passes through (not the whole
    # vessel: what moves should stay close to where the student is looking).
    left = max(band.box.left + cell_radius, min(leg.path.start.x, x_end) - span * 1.2)
    right = min(band.box.right - cell_radius, max(leg.path.start.x, x_end) + span * 0.4)
    count = max(4, int((right - left) / (cell_radius * 9)))
    usable = right - left
    for i in range(count):
        drift = min(cell_radius * rng.uniform(5.0, 8.0), usable / count * 0.8)
        x = left + (i + rng.uniform(0.0, 0.2)) * usable / count
        y = lumen.top + lumen.height * rng.uniform(0.2, 0.8)
        red.append(Mover(XY(x, y), XY(x + drift, y)))
    n = 7
    platelets = tuple(
        XY(math.cos(a) * d, math.sin(a) * d * 0.7)
        for a, d in (
            (rng.uniform(0, 2 * math.pi), cell_radius * rng.uniform(3.0, 5.0)) for _ in range(n)
        )
    )
    cloak = tuple(
        XY(
            math.cos(2 * math.pi * k / n) * cell_radius * 1.18,
            math.sin(2 * math.pi * k / n) * cell_radius * 1.18,
        )
        for k in range(n)
    )
    return CirculationCast(
        tuple(companion_movers), tuple(attacker_movers), tuple(red), platelets, cloak
    )


def sprout_paths(layout: DiagramLayout) -> tuple[Cubic, ...]:
    """New vessels growing from the nearest blood vessel to the colony that recruits them
    (the growth step, else the last step). Empty when there is no vessel beside it."""
    targets = layout.with_role(StepRole.GROWTH) or layout.with_role(StepRole.TERMINAL)
    if not targets:
        return ()
    target = targets[0]
    candidates = [
        band
        for band in layout.bands
        if band.style == "blood" and band.box.left <= target.centre.x <= band.box.right
    ]
    if not candidates:
        return ()
    band = min(candidates, key=lambda b: abs(b.box.centre.y - target.centre.y))
    above = target.centre.y < band.box.top
    wall_y = band.box.top + band.wall * 0.5 if above else band.box.bottom - band.wall * 0.5
    toward_band = 1.0 if above else -1.0
    unit = layout.metrics.unit
    paths: list[Cubic] = []
    for dx in (-1.15, 0.1, 1.2):
        start = XY(target.centre.x + dx * unit, wall_y)
        end = XY(
            target.centre.x + dx * unit * 0.4, target.centre.y + toward_band * target.radius * 0.5
        )
        rise = end.y - start.y
        paths.append(
            Cubic(
                start,
                XY(start.x + dx * unit * 0.35, start.y + rise * 0.4),
                XY(end.x - dx * unit * 0.5, end.y - rise * 0.35),
                end,
            )
        )
    return tuple(paths)
