"""The still parts of the figure: tissue, vessels, organs and the links between steps.

Each item builds its painter paths once, from the pure layout, and caches its drawing in
device pixels (``DeviceCoordinateCache``): moving cells repaint over a cached bitmap, so a
frame never redraws the tissue. Everything here derives from the steps' kinds and roles,
not from their ids, so any diagram gets the same treatment.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from metaflash.core.diagrams.decoration import (
    endothelial_cells,
    epithelial_cells,
    fibres,
    parenchyma,
)
from metaflash.core.diagrams.geometry import XY, Box
from metaflash.core.diagrams.layout import (
    DiagramLayout,
    LinkStyle,
    PlacedLink,
    PlacedStep,
    StepRole,
    VesselBand,
    VesselStyle,
)
from metaflash.ui.diagram.colours import DiagramColours, with_alpha
from metaflash.ui.diagram.shapes import (
    OrganShape,
    arrow_head,
    cubic_path,
    organ_path,
    organ_shape_for,
    polyline_path,
    rect,
)

Z_TISSUE = 0.0
Z_VESSEL = 1.0
Z_SPROUT = 1.5
Z_LINK = 2.0
Z_ORGAN = 3.0
Z_COLONY = 4.0
Z_CELL = 5.0
Z_TRAVELLER = 6.0
Z_MARKER = 8.0
Z_LABEL = 9.0


def cosmetic_pen(colour: object, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A pen whose width is in device-independent pixels whatever the view's scale."""
    pen: QPen = QPen(colour, width, style)  # type: ignore[call-overload]
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def caption_font(base: QFont, scale: float = 0.85, italic: bool = True) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(base.pointSizeF() * scale, 7.5))
    font.setItalic(italic)
    return font


class StillItem(QGraphicsItem):
    """A static item: painted from prepared paths, cached in device pixels."""

    def __init__(self, bounds: QRectF, z: float) -> None:
        super().__init__()
        self._bounds = bounds
        self.setZValue(z)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._bounds


class TissueItem(StillItem):
    """The ground of the figure: stroma with matrix fibres everywhere; in the home tissue,
    the epithelium on its basement membrane; in the distant tissue, its cells."""

    def __init__(self, layout: DiagramLayout, colours: DiagramColours, font: QFont) -> None:
        super().__init__(QRectF(0, 0, layout.width, layout.height), Z_TISSUE)
        self._colours = colours
        self._font = caption_font(font)
        unit = layout.metrics.unit
        tissue = layout.tissue
        self._scene = rect(Box(0, 0, layout.width, layout.height))
        self._surface: QRectF | None = None
        self._epithelium = QPainterPath()
        self._nuclei = QPainterPath()
        self._membrane = QPainterPath()
        self._captions: list[tuple[QPointF, str]] = []
        self.show_captions = True
        avoid: list[Box] = [band.box for band in layout.bands]
        if tissue.membrane_y is not None and tissue.epithelium_top is not None:
            origin = tissue.origin
            self._surface = QRectF(origin.left, 0, origin.width, tissue.epithelium_top)
            gaps = tuple(
                Box.around(p.centre, p.radius * 2.1, p.radius * 2.1)
                for p in layout.with_role(StepRole.ORIGIN)
            )
            for cell in epithelial_cells(
                origin, tissue.epithelium_top, tissue.membrane_y, unit, gaps
            ):
                self._epithelium.addRoundedRect(rect(cell).adjusted(0.8, 0.8, -0.8, -0.8), 3, 3)
                c = cell.centre
                self._nuclei.addEllipse(
                    QPointF(c.x, c.y + cell.height * 0.1), cell.width * 0.22, cell.height * 0.2
                )
            self._membrane.moveTo(origin.left, tissue.membrane_y)
            self._membrane.lineTo(origin.right, tissue.membrane_y)
            avoid.append(Box(origin.left, 0, origin.width, tissue.membrane_y + 4))
            metrics = QFontMetricsF(self._font)
            line = metrics.height()
            wanted = [
                (tissue.epithelium_top - line * 0.4, "epithelium"),
                (tissue.membrane_y + line * 1.05, "basement membrane"),
            ]
            below_vessel = max(
                (b.box.bottom for b in layout.bands if b.box.width >= layout.width * 0.5),
                default=None,
            )
            if origin.bottom - tissue.membrane_y > line * 3.4:
                wanted.append((tissue.membrane_y + line * 2.4, "extracellular matrix"))
            elif below_vessel is not None and below_vessel + line * 2 < layout.height:
                wanted.append((below_vessel + line * 1.5, "extracellular matrix"))
            obstacles = [p.label_box.inflated(3) for p in layout.steps]
            obstacles += [Box.around(p.centre, 2 * p.radius, 2 * p.radius) for p in layout.steps]
            for baseline, text in wanted:
                width = metrics.horizontalAdvance(text)
                x = origin.left + unit * 0.4
                while x + width < origin.right:  # slide right until no step label is covered
                    box = Box(x, baseline - line, width, line)
                    if not any(box.overlap(other) for other in obstacles):
                        break
                    x += unit
                self._captions.append((QPointF(x, baseline), text))
        self._organ_cells = QPainterPath()
        self._organ_area: QRectF | None = None
        if tissue.destination is not None:
            destination = tissue.destination
            self._organ_area = rect(destination)
            for corners in parenchyma(destination, unit, seed=7):
                self._organ_cells.addPath(polyline_path(corners, closed=True))
            avoid.append(destination)
            self._captions.append(
                (QPointF(destination.right - unit * 0.4, unit * 0.9), "tissue of a distant organ")
            )
        self._fibres = QPainterPath()
        for strand in fibres(
            Box(0, 0, layout.width, layout.height), unit, seed=11, avoid=tuple(avoid)
        ):
            self._fibres.addPath(polyline_path(strand))

    @property
    def captions(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._captions)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self._scene, c.stroma)
        painter.setPen(cosmetic_pen(c.fibre, 1.3))
        painter.drawPath(self._fibres)
        if self._organ_area is not None:
            painter.fillRect(self._organ_area, c.organ_tissue)
            painter.setPen(cosmetic_pen(c.organ_line, 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._organ_cells)
        if self._surface is not None:
            painter.fillRect(self._surface, c.surface)
            painter.setPen(cosmetic_pen(c.epithelium_line, 1.0))
            painter.setBrush(c.epithelium)
            painter.drawPath(self._epithelium)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.nucleus)
            painter.drawPath(self._nuclei)
            painter.setPen(cosmetic_pen(c.membrane, 3.0))
            painter.drawPath(self._membrane)
        if not self.show_captions:
            return
        painter.setFont(self._font)
        painter.setPen(c.muted_text)
        for anchor, text in self._captions:
            if anchor.x() > self._scene.width() / 2:
                width = painter.fontMetrics().horizontalAdvance(text)
                painter.drawText(QPointF(anchor.x() - width, anchor.y()), text)
            else:
                painter.drawText(anchor, text)


class VesselItem(StillItem):
    """A blood or lymph vessel: walls lined with endothelial cells around the lumen."""

    def __init__(
        self, band: VesselBand, layout: DiagramLayout, colours: DiagramColours, font: QFont
    ) -> None:
        super().__init__(rect(band.box).adjusted(-2, -2, 2, 2), Z_VESSEL)
        self.band = band
        self._colours = colours
        self._font = caption_font(font)
        box = band.box
        radius = box.height / 2
        open_left = box.left <= 0.5
        open_right = box.right >= layout.width - 0.5
        self._outer = QPainterPath()
        self._outer.addRoundedRect(
            rect(box).adjusted(-radius if open_left else 0, 0, radius if open_right else 0, 0),
            radius,
            radius,
        )
        self._lumen = QPainterPath()
        lumen = band.lumen
        inner = lumen.height / 2
        self._lumen.addRoundedRect(
            rect(lumen).adjusted(
                -inner if open_left else band.wall, 0, inner if open_right else -band.wall, 0
            ),
            inner,
            inner,
        )
        clip = QPainterPath()
        clip.addRect(rect(box))
        self._outer = self._outer.intersected(clip)
        self._lumen = self._lumen.intersected(clip)
        self._lining = QPainterPath()
        self._lining_nuclei = QPainterPath()
        for cell in endothelial_cells(band, layout.metrics.unit):
            r = rect(cell).adjusted(1, 1, -1, -1)
            self._lining.addRoundedRect(r, r.height() / 2, r.height() / 2)
            self._lining_nuclei.addEllipse(r.center(), r.width() * 0.16, r.height() * 0.28)
        self._lining = self._lining.intersected(self._outer)
        self._valves = QPainterPath()
        if band.style is VesselStyle.LYMPH:
            for f in (0.3, 0.7):
                x = box.left + box.width * f
                for top, sign in ((lumen.top, 1), (lumen.bottom, -1)):
                    self._valves.moveTo(x - lumen.height * 0.25, top)
                    self._valves.lineTo(x + lumen.height * 0.12, top + sign * lumen.height * 0.38)
        name = "lymphatic vessel" if band.style is VesselStyle.LYMPH else "blood vessel"
        self.show_captions = True
        self._caption = (
            QPointF(
                box.left + (radius if not open_left else layout.metrics.unit * 0.4),
                lumen.bottom - 5,
            ),
            name,
        )

    @property
    def caption(self) -> str:
        return self._caption[1]

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        lymph = self.band.style is VesselStyle.LYMPH
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.lymph_wall if lymph else c.vessel_wall)
        painter.drawPath(self._outer)
        painter.setBrush(c.endothelium if not lymph else with_alpha(c.lymph_lumen, 1.0))
        painter.drawPath(self._lining)
        painter.setBrush(c.lymph_lumen if lymph else c.vessel_lumen)
        painter.drawPath(self._lumen)
        painter.setBrush(c.lymph_wall if lymph else c.vessel_wall)
        painter.drawPath(self._lining_nuclei)
        if lymph:
            painter.setPen(cosmetic_pen(c.lymph_wall, 2.0))
            painter.drawPath(self._valves)
        if self.show_captions:
            painter.setFont(self._font)
            painter.setPen(c.muted_text)
            painter.drawText(self._caption[0], self._caption[1])


class OrganItem(StillItem):
    """An organ a pathway reaches, drawn as a simple outline chosen by its name."""

    def __init__(self, placed: PlacedStep, colours: DiagramColours) -> None:
        r = placed.radius * 0.92
        super().__init__(rect(Box.around(placed.centre, r * 2.4, r * 2.4)), Z_ORGAN)
        self.shape_kind = organ_shape_for(placed.step.label, placed.id)
        self._colours = colours
        self._path = organ_path(self.shape_kind, placed.centre, r)
        self._detail = QPainterPath()
        c = placed.centre
        if self.shape_kind is OrganShape.NODE:
            for dx, dy in ((-0.35, -0.1), (0.05, -0.25), (0.38, -0.05)):
                self._detail.addEllipse(QPointF(c.x + dx * r, c.y + dy * r), r * 0.15, r * 0.15)
        elif self.shape_kind is OrganShape.LIVER:
            self._detail.moveTo(c.x - r * 0.1, c.y - r * 0.6)
            self._detail.quadTo(c.x - r * 0.05, c.y, c.x - r * 0.3, c.y + r * 0.5)
        elif self.shape_kind is OrganShape.BONE:
            self._detail.moveTo(c.x - r * 0.5, c.y)
            self._detail.lineTo(c.x + r * 0.5, c.y)
        elif self.shape_kind is OrganShape.LUNG:
            for sx in (-1, 1):
                self._detail.moveTo(c.x, c.y - r * 0.5)
                self._detail.quadTo(
                    c.x + sx * r * 0.3, c.y - r * 0.2, c.x + sx * r * 0.45, c.y + r * 0.3
                )

    def fill_colour(self) -> object:
        c = self._colours
        return {
            OrganShape.LIVER: c.liver,
            OrganShape.BONE: c.bone,
            OrganShape.LUNG: c.lung,
            OrganShape.NODE: c.node,
        }.get(self.shape_kind, c.organ_tissue)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(cosmetic_pen(c.text if not c.dark else c.muted_text, 1.4))
        painter.setBrush(QBrush(self.fill_colour()))
        painter.drawPath(self._path)
        painter.setPen(cosmetic_pen(with_alpha(c.text, 0.35), 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._detail)


class LinkItem(StillItem):
    """A connection between two steps: the journey's arrows, and the named routes to organs."""

    def __init__(self, placed: PlacedLink, colours: DiagramColours) -> None:
        self._path = cubic_path(placed.path)
        curve = placed.path
        self._head = arrow_head(curve.end, curve.tangent(1.0), 9.0)
        self._style = placed.style
        self._branch = placed.branch
        self._colours = colours
        super().__init__(
            self._path.boundingRect().adjusted(-10, -10, 10, 10),
            Z_LINK if not placed.branch else Z_VESSEL + 0.1,
        )
        self.link = placed.link
        if placed.link.label:
            self.setToolTip(placed.link.label)

    def colour(self) -> object:
        c = self._colours
        return {LinkStyle.BLOOD: c.blood_link, LinkStyle.LYMPH: c.lymph_link}.get(
            self._style, c.link
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.colour()
        if self._branch:
            c = self._colours
            lymph = self._style is LinkStyle.LYMPH
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(cosmetic_pen(c.lymph_wall if lymph else c.vessel_wall, 9.0))
            painter.drawPath(self._path)
            painter.setPen(cosmetic_pen(c.lymph_lumen if lymph else c.vessel_lumen, 4.0))
            painter.drawPath(self._path)
            return
        dashed = self._style in (LinkStyle.BRANCH, LinkStyle.LYMPH)
        painter.setPen(
            cosmetic_pen(colour, 1.8, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        painter.drawPath(self._head)


class LinkLabelItem(QGraphicsItem):
    """The name of a link (e.g. the vein that carries cells to an organ), on a small plate.
    Drawn in pixels, so it keeps its size when the figure is scaled down."""

    def __init__(self, text: str, centre: XY, colours: DiagramColours, font: QFont) -> None:
        super().__init__()
        self.text = text
        self._colours = colours
        self._font = link_label_font(font)
        w, h = link_label_size(text, font)
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.setPos(centre.x, centre.y)
        self.setZValue(Z_LINK + 0.5)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.plate)
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setFont(self._font)
        painter.setPen(c.text)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


def link_label_font(font: QFont) -> QFont:
    return caption_font(font, 0.82)


def link_label_size(text: str, font: QFont) -> tuple[float, float]:
    metrics = QFontMetricsF(link_label_font(font))
    return (metrics.horizontalAdvance(text) + 8, metrics.height() + 2)


def shows_link(placed: PlacedLink, layout: DiagramLayout) -> bool:
    """Links that run inside one vessel are not drawn: the vessel itself shows the route."""
    source, target = placed.link.source, placed.link.target
    if placed.branch:
        return placed.path.length() > 12.0
    band = layout.band_of(source)
    return band is None or band != layout.band_of(target)


def labels_link(placed: PlacedLink, layout: DiagramLayout) -> bool:
    """Named links to organs (the examples of spread) carry their label on the figure."""
    return bool(placed.link.label) and layout.placed(placed.link.target).role is StepRole.ORGAN
