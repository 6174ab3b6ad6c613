"""Where a pathway diagram's parts sit in a scene of a given size. Pure and Qt-free.

The diagram file gives each step a *position hint* (0..100 across and down) and a *kind*;
this module turns those into scene coordinates and derives everything the picture needs
from them, so that any diagram, not only the metastatic cascade, draws with the same code:

- the **journey**: the steps in pathway order (``order``, then id), the order a student
  walks through with the animation and the keyboard;
- a **role** for each step from where it sits in the journey and what it links to (the
  first step is the origin, a step linking into a vessel is an entry, ...), unless the file
  gives the step its ``role``;
- **vessel bands**: one horizontal vessel per step of kind ``route``, at its height,
  styled as a lymph vessel when a ``lymph`` link touches it and as a blood vessel otherwise;
- **tissue regions**: the origin tissue (epithelium on its basement membrane, over the
  stroma) left of the vessel crossing, the distant organ's tissue right of it;
- **label boxes** for each step (see :mod:`metaflash.core.diagrams.labels`);
- **link paths** as cubic curves trimmed to stop at the step rings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from metaflash.core.decks.model import (
    AUTHORED_ROLES,
    Diagram,
    DiagramLink,
    DiagramStep,
    StepId,
    StepKind,
    StepRole,
)
from metaflash.core.diagrams.geometry import XY, Box, Cubic, clamp, smooth_connection
from metaflash.core.diagrams.labels import LabelFit, LabelSide, place_step_labels


class VesselStyle(StrEnum):
    BLOOD = "blood"
    LYMPH = "lymph"


class LinkStyle(StrEnum):
    MAIN = "main"  # the next stage of the journey
    BLOOD = "blood"
    LYMPH = "lymph"
    BRANCH = "branch"  # any other named connection


#: Words in a link's ``kind`` that make it a lymph or a blood connection.
LYMPH_WORDS = ("lymph",)
BLOOD_WORDS = ("blood", "vein", "venous", "artery", "arterial", "portal", "circulation")


@dataclass(frozen=True, slots=True)
class PlacedStep:
    step: DiagramStep
    index: int  # 0-based place in the journey
    role: StepRole
    centre: XY
    radius: float  # of the ring drawn around the step's site
    label_box: Box
    label_side: LabelSide
    label_fit: LabelFit = LabelFit.FULL
    leader: tuple[XY, XY] | None = None  # a line from the ring to a label set away from it

    @property
    def id(self) -> StepId:
        return self.step.id


@dataclass(frozen=True, slots=True)
class PlacedLink:
    link: DiagramLink
    style: LinkStyle
    path: Cubic  # trimmed to stop at the rings it joins
    branch: bool = False  # a vessel branching off a route to an organ (drawn as a vessel)


@dataclass(frozen=True, slots=True)
class VesselBand:
    """A vessel drawn across (part of) the figure: ``box`` spans wall to wall."""

    route: StepId
    style: VesselStyle
    box: Box
    wall: float  # thickness of each wall (endothelial lining)

    @property
    def lumen(self) -> Box:
        return Box(
            self.box.left, self.box.top + self.wall, self.box.width, self.box.height - 2 * self.wall
        )


@dataclass(frozen=True, slots=True)
class TissueRegions:
    """The home tissue (left) and the distant tissue (right), above the first vessel."""

    origin: Box
    destination: Box | None
    membrane_y: float | None  # the basement membrane under the epithelium (origin region)
    epithelium_top: float | None


@dataclass(frozen=True, slots=True)
class LayoutMetrics:
    """Sizes that depend on the scene size; the views draw cells and rings with them."""

    unit: float  # the ring radius of an ordinary step
    cell: float  # radius of a travelling cell
    margin_x: float
    margin_y: float


@dataclass(frozen=True, slots=True)
class DiagramLayout:
    width: float
    height: float
    metrics: LayoutMetrics
    steps: tuple[PlacedStep, ...]  # in journey order
    links: tuple[PlacedLink, ...]
    bands: tuple[VesselBand, ...]
    tissue: TissueRegions

    @property
    def journey(self) -> tuple[StepId, ...]:
        return tuple(placed.id for placed in self.steps)

    def placed(self, step_id: StepId) -> PlacedStep:
        for placed in self.steps:
            if placed.id == step_id:
                return placed
        raise KeyError(step_id)

    def with_role(self, role: StepRole) -> tuple[PlacedStep, ...]:
        return tuple(placed for placed in self.steps if placed.role is role)

    def band_of(self, step_id: StepId) -> VesselBand | None:
        """The vessel a step sits in (its own band for a route, the enclosing one for transit)."""
        centre = self.placed(step_id).centre
        for band in self.bands:
            if band.route == step_id:
                return band
        for band in self.bands:
            if band.box.contains(centre):
                return band
        return None


def journey_order(diagram: Diagram) -> tuple[StepId, ...]:
    """The order of the pathway: by ``order``, then id (stable for equal orders)."""
    return tuple(step.id for step in diagram.ordered_steps())


def metrics_for(width: float, height: float) -> LayoutMetrics:
    unit = clamp(min(width, height * 1.6) * 0.024, 13.0, 26.0)
    return LayoutMetrics(
        unit=unit,
        cell=unit * 0.42,
        margin_x=max(width * 0.055, unit * 2.6),
        margin_y=max(height * 0.08, unit * 2.0),
    )


def place_hint(
    hint_x: float, hint_y: float, width: float, height: float, metrics: LayoutMetrics
) -> XY:
    """A position hint (0..100 each way) in scene coordinates, inside the margins."""
    inner_w = max(width - 2 * metrics.margin_x, 1.0)
    inner_h = max(height - 2 * metrics.margin_y, 1.0)
    return XY(
        metrics.margin_x + clamp(hint_x, 0.0, 100.0) / 100.0 * inner_w,
        metrics.margin_y + clamp(hint_y, 0.0, 100.0) / 100.0 * inner_h,
    )


def link_style(link: DiagramLink) -> LinkStyle:
    kind = link.kind.lower()
    if any(word in kind for word in LYMPH_WORDS):
        return LinkStyle.LYMPH
    if any(word in kind for word in BLOOD_WORDS):
        return LinkStyle.BLOOD
    return LinkStyle.MAIN if kind == "next" else LinkStyle.BRANCH


def layout_diagram(
    diagram: Diagram,
    width: float,
    height: float,
    label_sizes: Mapping[StepId, tuple[float, float]] | None = None,
    short_sizes: Mapping[StepId, tuple[float, float]] | None = None,
    *,
    labels_alone: bool = False,
) -> DiagramLayout:
    """Everything the view draws, in scene units, for a scene ``width`` x ``height``.

    ``label_sizes`` are the measured sizes of the step labels (the view measures them with
    its font), ``short_sizes`` those of the names alone; steps without a size get a nominal
    one. Labels never cover each other or another step's ring: a label goes beside its ring,
    or further away with a leader line, or shortened to its name, or (no room at all) hidden.
    ``labels_alone``: a figure that names one step at a time places each label for itself.
    """
    metrics = metrics_for(width, height)
    scene = Box(0.0, 0.0, width, height)
    ordered = diagram.ordered_steps()
    hinted = {s.id: place_hint(s.position.x, s.position.y, width, height, metrics) for s in ordered}
    roles, home = _roles(diagram, ordered, hinted)
    # a role the file gives wins, except where the vessels depend on the derived one
    roles.update(
        {
            s.id: s.role
            for s in ordered
            if s.role in AUTHORED_ROLES and roles[s.id] in AUTHORED_ROLES
        }
    )
    bands = _vessel_bands(diagram, ordered, hinted, roles, home, metrics, width, height)
    centres = _snap_to_walls(hinted, roles, home, bands)
    radii = {s.id: _ring_radius(roles[s.id], metrics) for s in ordered}
    tissue = _tissue_regions(ordered, centres, roles, radii, bands, metrics, width, height)
    sizes = label_sizes or {}
    labels = place_step_labels(
        ordered, centres, radii, sizes, short_sizes or {}, metrics.unit, scene, alone=labels_alone
    )
    steps = tuple(
        PlacedStep(s, i, roles[s.id], centres[s.id], radii[s.id], *labels[s.id])
        for i, s in enumerate(ordered)
    )
    links = tuple(
        _place_link(link, centres, radii, roles, bands)
        for link in diagram.links
        if link.source in centres and link.target in centres
    )
    return DiagramLayout(width, height, metrics, steps, links, bands, tissue)


def _place_link(
    link: DiagramLink,
    centres: Mapping[StepId, XY],
    radii: Mapping[StepId, float],
    roles: Mapping[StepId, StepRole],
    bands: tuple[VesselBand, ...],
) -> PlacedLink:
    """A link's curve; a blood or lymph link from a route to an organ leaves the route's
    vessel at the wall nearest the organ, as a branch vessel would."""
    style = link_style(link)
    band = next((b for b in bands if b.route == link.source), None)
    target = centres[link.target]
    if (
        band is not None
        and roles[link.target] is StepRole.ORGAN
        and style in (LinkStyle.BLOOD, LinkStyle.LYMPH)
    ):
        x = clamp(
            target.x, band.box.left + band.box.height / 2, band.box.right - band.box.height / 2
        )
        below = target.y > band.box.centre.y
        start = XY(x, band.box.bottom - band.wall if below else band.box.top + band.wall)
        curve = smooth_connection(start, target).trimmed(0.0, radii[link.target] + 5)
        return PlacedLink(link, style, curve, branch=True)
    curve = smooth_connection(centres[link.source], target).trimmed(
        radii[link.source] + 3, radii[link.target] + 5
    )
    return PlacedLink(link, style, curve)


def _ring_radius(role: StepRole, metrics: LayoutMetrics) -> float:
    if role in (StepRole.ORIGIN, StepRole.TERMINAL):
        return metrics.unit * 1.55
    if role is StepRole.ORGAN:
        return metrics.unit * 1.6
    if role is StepRole.GROWTH:
        return metrics.unit * 1.25
    return metrics.unit


def _roles(
    diagram: Diagram, ordered: tuple[DiagramStep, ...], hinted: Mapping[StepId, XY]
) -> tuple[dict[StepId, StepRole], dict[StepId, StepId]]:
    """Each step's role, and for each step inside or at a vessel, the route it belongs to."""
    kinds = {s.id: s.kind for s in ordered}
    position = {s.id: i for i, s in enumerate(ordered)}
    routes = [s.id for s in ordered if s.kind is StepKind.ROUTE]
    roles: dict[StepId, StepRole] = {}
    home: dict[StepId, StepId] = {route: route for route in routes}
    for step in ordered:
        if step.kind is StepKind.ROUTE:
            roles[step.id] = StepRole.ROUTE
        elif step.kind is StepKind.ORGAN:
            roles[step.id] = StepRole.ORGAN
    # In a vessel: a stage a route leads into, that does not itself lead into a route.
    for step in ordered:
        if step.id in roles:
            continue
        carried_by = [
            l.source
            for l in diagram.links
            if l.target == step.id and kinds.get(l.source) is StepKind.ROUTE
        ]
        leads_in = any(
            l.source == step.id and kinds.get(l.target) is StepKind.ROUTE for l in diagram.links
        )
        if carried_by and not leads_in:
            roles[step.id] = StepRole.TRANSIT
            y = hinted[step.id].y
            home[step.id] = min(carried_by, key=lambda r: (abs(hinted[r].y - y), position[r]))
    chain = [s.id for s in ordered if s.id not in roles]
    for sid in chain:
        roles[sid] = StepRole.STEP
    if not chain:
        return roles, home
    roles[chain[0]] = StepRole.ORIGIN
    inside = set(home)
    entry = next(
        (
            sid
            for sid in chain[1:]
            if any(l.source == sid and l.target in inside for l in diagram.links)
        ),
        None,
    )
    exit_ = next(
        (
            sid
            for sid in chain
            if entry is not None
            and position[sid] > position[entry]
            and any(l.target == sid and l.source in inside for l in diagram.links)
        ),
        None,
    )
    if entry is None or exit_ is None:
        if len(chain) > 1:
            roles[chain[-1]] = StepRole.TERMINAL
        return roles, home
    into = [l.target for l in diagram.links if l.source == entry and l.target in inside]
    home[entry] = home[min(into, key=lambda t: position[t])]
    out_of = [l.source for l in diagram.links if l.target == exit_ and l.source in inside]
    home[exit_] = home[min(out_of, key=lambda t: position[t])]
    for sid in chain[1:]:
        if position[sid] < position[entry]:
            roles[sid] = StepRole.INVASION
    roles[entry] = StepRole.ENTRY
    roles[exit_] = StepRole.EXIT
    after = [sid for sid in chain if position[sid] > position[exit_]]
    for sid in after:
        roles[sid] = StepRole.SETTLE
    if after:
        roles[after[-1]] = StepRole.TERMINAL
    if len(after) >= 3:
        roles[after[-2]] = StepRole.GROWTH
    return roles, home


def _vessel_bands(
    diagram: Diagram,
    ordered: tuple[DiagramStep, ...],
    hinted: Mapping[StepId, XY],
    roles: Mapping[StepId, StepRole],
    home: Mapping[StepId, StepId],
    metrics: LayoutMetrics,
    width: float,
    height: float,
) -> tuple[VesselBand, ...]:
    """One vessel per route: around the route and the stages inside it, as long as the
    steps it connects; a blood vessel spanning most of the figure runs right across it."""
    bands: list[VesselBand] = []
    for route in (s.id for s in ordered if roles[s.id] is StepRole.ROUTE):
        touching = [l for l in diagram.links if route in (l.source, l.target)]
        lymph = any(link_style(l) is LinkStyle.LYMPH for l in touching)
        style = VesselStyle.LYMPH if lymph else VesselStyle.BLOOD
        nominal = clamp(height * 0.12, 48.0, 104.0) * (0.62 if lymph else 1.0)
        members = [
            sid
            for sid, r in home.items()
            if r == route and roles[sid] in (StepRole.ROUTE, StepRole.TRANSIT)
        ]
        ys = [hinted[sid].y for sid in members]
        spread = max(ys) - min(ys)
        thickness = max(nominal, spread + 2.2 * metrics.unit) if spread > 0 else nominal
        centre_y = (max(ys) + min(ys)) / 2
        connected = {sid for sid, r in home.items() if r == route}
        connected.update(other for l in touching for other in (l.source, l.target))
        xs = [hinted[sid].x for sid in connected if sid in hinted]
        left = min(xs) - 3 * metrics.unit
        right = max(xs) + 3 * metrics.unit
        if right - left > width * 0.5 and style is VesselStyle.BLOOD:
            left, right = 0.0, width
        left, right = max(left, 0.0), min(right, width)
        wall = clamp(thickness * 0.11, 5.0, 10.0)
        bands.append(
            VesselBand(
                route, style, Box(left, centre_y - thickness / 2, right - left, thickness), wall
            )
        )
    return tuple(bands)


def _snap_to_walls(
    hinted: Mapping[StepId, XY],
    roles: Mapping[StepId, StepRole],
    home: Mapping[StepId, StepId],
    bands: tuple[VesselBand, ...],
) -> dict[StepId, XY]:
    """Entry and exit stages sit on the wall of the vessel they cross; stages inside a
    vessel sit in its lumen."""
    by_route = {band.route: band for band in bands}
    centres = dict(hinted)
    for sid, route in home.items():
        band = by_route.get(route)
        if band is None:
            continue
        point = hinted[sid]
        if roles[sid] in (StepRole.ENTRY, StepRole.EXIT):
            y = (
                band.box.top + band.wall / 2
                if point.y <= band.box.centre.y
                else band.box.bottom - band.wall / 2
            )
            centres[sid] = XY(point.x, y)
        elif roles[sid] in (StepRole.TRANSIT, StepRole.ROUTE):
            lumen = band.lumen
            centres[sid] = XY(
                point.x,
                clamp(point.y, lumen.top + lumen.height * 0.3, lumen.bottom - lumen.height * 0.3),
            )
    return centres


def _tissue_regions(
    ordered: tuple[DiagramStep, ...],
    centres: Mapping[StepId, XY],
    roles: Mapping[StepId, StepRole],
    radii: Mapping[StepId, float],
    bands: tuple[VesselBand, ...],
    metrics: LayoutMetrics,
    width: float,
    height: float,
) -> TissueRegions:
    """The home tissue left of the vessel crossing and the distant tissue right of it, both
    above the first vessel; the basement membrane halfway between the origin and the entry."""
    top_band = min(
        (band.box.top for band in bands if band.box.width >= width * 0.5), default=height
    )
    entry = [sid for sid, role in roles.items() if role is StepRole.ENTRY]
    exit_ = [sid for sid, role in roles.items() if role is StepRole.EXIT]
    if entry and exit_:
        boundary = (centres[entry[0]].x + centres[exit_[0]].x) / 2
        origin = Box(0.0, 0.0, boundary, top_band)
        destination: Box | None = Box(boundary, 0.0, width - boundary, top_band)
    else:
        origin, destination = Box(0.0, 0.0, width, top_band), None
    origin_steps = [s.id for s in ordered if roles[s.id] is StepRole.ORIGIN]
    if not origin_steps or not entry:
        return TissueRegions(origin, destination, None, None)
    first = origin_steps[0]
    centre, ring = centres[first], radii[first]
    onward = [centres[sid].y for sid in entry] or [
        centres[s.id].y
        for s in ordered
        if roles[s.id] is not StepRole.ORIGIN and centres[s.id].y > centre.y
    ]
    membrane = (centre.y + min(onward)) / 2 if onward else centre.y + ring
    membrane = clamp(
        membrane, centre.y + ring * 0.5, max(centre.y + ring * 0.5, top_band - metrics.unit)
    )
    epithelium_top = max(membrane - clamp(metrics.unit * 1.3, 18.0, 34.0), 0.0)
    return TissueRegions(origin, destination, membrane, epithelium_top)


def place_link_labels(
    layout: DiagramLayout, sizes: Mapping[int, tuple[float, float]]
) -> dict[int, Box]:
    """Boxes for the labels of ``layout.links[i]`` (for each ``i`` in ``sizes``): along their
    curves or around the organ they lead to, where they cover the least of the step labels,
    rings and other link labels. A label that could only go over a step's label, a ring, a
    leader line's label or another link label is left out (the view shows it as a tooltip
    instead): on a small figure, fewer words rather than words on top of each other."""
    scene = Box(0.0, 0.0, layout.width, layout.height)
    labels = [
        placed.label_box.inflated(2)
        for placed in layout.steps
        if placed.label_fit is not LabelFit.HIDDEN
    ]
    rings = [Box.around(p.centre, 2 * p.radius, 2 * p.radius).inflated(2) for p in layout.steps]
    result: dict[int, Box] = {}
    for index in sorted(sizes, key=lambda i: layout.links[i].path.length()):
        w, h = sizes[index]
        curve = layout.links[index].path
        target = layout.placed(layout.links[index].link.target)
        candidates = [
            Box.around(curve.point(t), w, h) for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)
        ]
        for step in range(4):
            reach = target.radius + 6 + step * h * 1.3
            for angle in (135, 225, 90, 270, 180, 45, 315, 0):
                a = math.radians(angle)
                centre = XY(
                    target.centre.x + math.cos(a) * (reach + w / 2 * abs(math.cos(a))),
                    target.centre.y + math.sin(a) * (reach + h / 2),
                )
                candidates.append(Box.around(centre, w, h))
        best: tuple[float, int, Box] | None = None
        for order, box in enumerate(candidates):
            if box.moved_inside(scene) != box:
                continue
            covered = sum(box.overlap(other) for other in labels)
            covered += sum(box.overlap(other) for other in rings)
            covered += sum(box.overlap(other.inflated(2)) for other in result.values())
            if covered > 0:
                continue
            cost = order * 4
            if best is None or (cost, order) < best[:2]:
                best = (cost, order, box)
        if best is not None:
            result[index] = best[2]
    return result


__all__ = [
    "BLOOD_WORDS",
    "LYMPH_WORDS",
    "DiagramLayout",
    "LabelFit",
    "LabelSide",
    "LayoutMetrics",
    "LinkStyle",
    "PlacedLink",
    "PlacedStep",
    "StepRole",
    "TissueRegions",
    "VesselBand",
    "VesselStyle",
    "journey_order",
    "layout_diagram",
    "link_style",
    "metrics_for",
    "place_hint",
    "place_link_labels",
]
