"""The graphics scene of a pathway diagram, built from a laid-out diagram.

:meth:`DiagramScene.build` creates every item from a :class:`DiagramLayout`: the still
backdrop (tissue, vessels, organs, links), the step markers and labels, and the cast of
the animation (the travelling cell, the cells it meets, the colonies and new vessels).
Building again (after a resize or a theme change) replaces them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsScene

from metaflash.core.decks.model import Diagram, StepId
from metaflash.core.diagrams.decoration import colony_size
from metaflash.core.diagrams.journey import (
    CirculationCast,
    Leg,
    circulation_cast,
    circulation_leg,
    sprout_paths,
)
from metaflash.core.diagrams.layout import DiagramLayout, StepRole, place_link_labels
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.diagram.actors import (
    BreachItem,
    CellItem,
    CellKind,
    ColonyItem,
    SproutItem,
)
from metaflash.ui.diagram.backdrop import (
    Z_CELL,
    Z_LABEL,
    Z_TRAVELLER,
    LinkItem,
    LinkLabelItem,
    OrganItem,
    TissueItem,
    VesselItem,
    cosmetic_pen,
    labels_link,
    link_label_size,
    shows_link,
)
from metaflash.ui.diagram.colours import DiagramColours, mix
from metaflash.ui.diagram.markers import LabelFonts, StepLabel, StepMarker, no_mastery


@dataclass
class JourneyCast:
    """The items the journey animation moves."""

    traveller: CellItem | None  # None in the still figure
    platelets: list[CellItem] = field(default_factory=list)
    companions: list[CellItem] = field(default_factory=list)
    attackers: list[CellItem] = field(default_factory=list)
    red_cells: list[CellItem] = field(default_factory=list)
    colonies: dict[StepId, ColonyItem] = field(default_factory=dict)
    sprouts: list[SproutItem] = field(default_factory=list)
    breach: BreachItem | None = None
    breach_leg: int | None = None
    breach_at: float = 0.5  # where along that leg the cell meets the membrane
    circulation: CirculationCast | None = None
    circulation_leg: int | None = None


class DiagramScene(QGraphicsScene):
    def __init__(self, diagram: Diagram, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.markers: dict[StepId, StepMarker] = {}
        self.labels: dict[StepId, StepLabel] = {}
        self.leaders: dict[StepId, QGraphicsLineItem] = {}  # shown with their labels
        self.tissue: TissueItem | None = None
        self.vessels: list[VesselItem] = []
        self.organs: dict[StepId, OrganItem] = {}
        self.links: list[LinkItem] = []
        self.link_labels: list[LinkLabelItem] = []
        self.cast: JourneyCast | None = None

    def build(
        self,
        layout: DiagramLayout,
        legs: tuple[Leg, ...],
        colours: DiagramColours,
        font: QFont,
        mastery: Mapping[StepId, StepMastery],
        *,
        animate: bool = True,
        link_labels: bool = True,
        label_scale: float = 1.0,
    ) -> JourneyCast | None:
        self.clear()
        self.markers.clear()
        self.labels.clear()
        self.leaders.clear()
        self.organs.clear()
        self.vessels = []
        self.links = []
        self.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        fonts = LabelFonts.from_font(font)
        self.tissue = TissueItem(layout, colours, font)
        self.addItem(self.tissue)
        for band in layout.bands:
            vessel = VesselItem(band, layout, colours, font)
            self.vessels.append(vessel)
            self.addItem(vessel)
        wanted: dict[int, tuple[float, float]] = {}
        for index, placed_link in enumerate(layout.links):
            if shows_link(placed_link, layout):
                item = LinkItem(placed_link, colours)
                self.links.append(item)
                self.addItem(item)
            if link_labels and labels_link(placed_link, layout):
                w, h = link_label_size(placed_link.link.label, font)
                wanted[index] = (w * label_scale, h * label_scale)
        self.link_labels = []
        for index, box in place_link_labels(layout, wanted).items():
            link_label = LinkLabelItem(layout.links[index].link.label, box.centre, colours, font)
            self.link_labels.append(link_label)
            self.addItem(link_label)
        for placed in layout.steps:
            if placed.role is StepRole.ORGAN:
                organ = OrganItem(placed, colours)
                self.organs[placed.id] = organ
                self.addItem(organ)
            marker = StepMarker(
                placed,
                len(layout.steps),
                mastery.get(placed.id, no_mastery(placed.id)),
                colours,
                fonts,
            )
            self.markers[placed.id] = marker
            self.addItem(marker)
            label = StepLabel(marker, colours, fonts)
            self.labels[placed.id] = label
            self.addItem(label)
            if placed.leader is not None:  # a label set away from its ring
                start, end = placed.leader
                leader = QGraphicsLineItem(start.x, start.y, end.x, end.y)
                leader.setPen(cosmetic_pen(mix(colours.text, colours.plate, 0.25), 1.6))
                leader.setZValue(Z_LABEL - 0.5)
                leader.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.addItem(leader)
                self.leaders[placed.id] = leader
        origin = layout.with_role(StepRole.ORIGIN)
        for placed in origin:
            primary = ColonyItem(
                placed.radius * 0.95, colony_size(StepRole.ORIGIN), colours, seed=3, growth=1.0
            )
            primary.setPos(placed.centre.x, placed.centre.y)
            primary.setToolTip("primary tumour")
            self.addItem(primary)
        if not link_labels:  # the compact figure: no region names either
            self.tissue.show_captions = False
            for vessel in self.vessels:
                vessel.show_captions = False
        if animate:
            self.cast = self._build_cast(layout, legs, colours)
        else:
            self.cast = None
            self._add_growth(layout, colours, JourneyCast(None), grown=True)
        return self.cast

    def _build_cast(
        self, layout: DiagramLayout, legs: tuple[Leg, ...], colours: DiagramColours
    ) -> JourneyCast:
        cell = layout.metrics.cell
        traveller = CellItem(CellKind.TUMOUR, cell * 1.1, colours, Z_TRAVELLER, seed=1, halo=True)
        traveller.setToolTip("the travelling cancer cell")
        self.addItem(traveller)
        cast = JourneyCast(traveller)
        self._add_growth(layout, colours, cast, grown=False)
        self._add_travellers(layout, legs, colours, cast)
        return cast

    def _add_growth(
        self, layout: DiagramLayout, colours: DiagramColours, cast: JourneyCast, *, grown: bool
    ) -> None:
        """The colonies that grow where cells settle, and the new vessels that reach them;
        ``grown`` shows them as they are at the end of the story (the still figure)."""
        cell = layout.metrics.cell
        for placed in layout.steps:
            count = colony_size(placed.role)
            if placed.role in (StepRole.ORIGIN,) or count == 0:
                continue
            size = placed.radius * (0.45 if placed.role is StepRole.ORGAN else 0.85)
            colony = ColonyItem(
                size, count, colours, seed=placed.index + 5, growth=1.0 if grown else 0.0
            )
            offset = (
                QPointF(placed.radius * 0.25, placed.radius * 0.2)
                if placed.role is StepRole.ORGAN
                else QPointF(0, 0)
            )
            colony.setPos(QPointF(placed.centre.x, placed.centre.y) + offset)
            colony.setToolTip(
                "metastatic deposit" if placed.role is StepRole.ORGAN else "colony of tumour cells"
            )
            cast.colonies[placed.id] = colony
            self.addItem(colony)
        for points in sprout_paths(layout):
            sprout = SproutItem(points.even_points(20), max(4.0, cell * 0.7), colours)
            sprout.setProperty("growth", 1.0 if grown else 0.0)
            cast.sprouts.append(sprout)
            self.addItem(sprout)

    def _add_travellers(
        self,
        layout: DiagramLayout,
        legs: tuple[Leg, ...],
        colours: DiagramColours,
        cast: JourneyCast,
    ) -> None:
        """The breach in the membrane and the cells in the circulation."""
        cell = layout.metrics.cell
        traveller = cast.traveller
        assert traveller is not None
        membrane = layout.tissue.membrane_y
        if membrane is not None:
            for leg in legs:
                if leg.path is None:
                    continue
                hits = [
                    t
                    for t in leg.path.crossings_of_y(membrane)
                    if layout.tissue.origin.contains(leg.path.point(t))
                ]
                if hits:
                    where = leg.path.point(hits[0])
                    breach = BreachItem(cell * 3.2, colours)
                    breach.setPos(where.x, where.y)
                    self.addItem(breach)
                    cast.breach, cast.breach_leg, cast.breach_at = breach, leg.index, hits[0]
                    break
        flowing = circulation_leg(legs)
        band = layout.band_of(flowing.target) if flowing is not None else None
        if flowing is not None and band is not None:
            scene_cast = circulation_cast(band, flowing, cell, seed=flowing.index)
            cast.circulation, cast.circulation_leg = scene_cast, flowing.index
            for i, mover in enumerate(scene_cast.red_cells):
                red = CellItem(CellKind.RED, cell * 0.8, colours, Z_CELL - 0.2, seed=i)
                red.setPos(mover.start.x, mover.start.y)
                cast.red_cells.append(red)
                self.addItem(red)
            for i, mover in enumerate(scene_cast.companions):
                companion = CellItem(CellKind.TUMOUR, cell, colours, Z_CELL, seed=i + 2)
                companion.setToolTip("a cancer cell in the circulation")
                companion.setPos(mover.start.x, mover.start.y)
                companion.setOpacity(0.0)
                cast.companions.append(companion)
                self.addItem(companion)
            for i, mover in enumerate(scene_cast.attackers):
                attacker = CellItem(CellKind.IMMUNE, cell * 0.95, colours, Z_CELL + 0.1, seed=i)
                attacker.setPos(mover.start.x, mover.start.y)
                cast.attackers.append(attacker)
                self.addItem(attacker)
            for i, offset in enumerate(scene_cast.platelets):
                platelet = CellItem(CellKind.PLATELET, cell * 0.3, colours, 0.0, seed=i)
                platelet.setParentItem(traveller)
                platelet.setPos(offset.x, offset.y)
                platelet.setOpacity(0.0)
                cast.platelets.append(platelet)

    def set_mastery(self, mastery: Mapping[StepId, StepMastery]) -> None:
        for step_id, marker in self.markers.items():
            marker.set_state(mastery=mastery.get(step_id, no_mastery(step_id)))
