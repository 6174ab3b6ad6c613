"""A step on the figure: a ring round its site showing the student's mastery, a numbered
badge (its place in the journey), and a label with its name and mastery in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from metaflash.core.decks.model import DiagramAccount, StepId
from metaflash.core.diagrams.layout import LabelSide, PlacedStep
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.diagram.backdrop import Z_LABEL, Z_MARKER, cosmetic_pen
from metaflash.ui.diagram.colours import DiagramColours, with_alpha

#: How faint the steps outside the account shown are (still there, clearly set aside).
DIMMED_OPACITY = 0.3


class PickMark(StrEnum):
    """How a step is marked after the student picked on the diagram."""

    NONE = ""
    RIGHT = "right"  # picked, and it was the answer
    WRONG = "wrong"  # picked, but it was not the answer
    ANSWER = "answer"  # the answer, shown after a wrong pick


MARK_WORDS = {
    PickMark.RIGHT: "✓ Correct",
    PickMark.WRONG: "✗ Your answer",
    PickMark.ANSWER: "✓ The answer",
}


@dataclass(frozen=True, slots=True)
class LabelFonts:
    title: QFont
    detail: QFont
    badge: QFont

    @staticmethod
    def from_font(font: QFont) -> LabelFonts:
        title = QFont(font)
        title.setBold(True)
        detail = QFont(font)
        detail.setPointSizeF(max(font.pointSizeF() * 0.88, 7.5))
        badge = QFont(font)
        badge.setBold(True)
        badge.setPointSizeF(max(font.pointSizeF() * 0.82, 7.0))
        return LabelFonts(title, detail, badge)


def no_mastery(step_id: StepId) -> StepMastery:
    return StepMastery(step_id, total=0, studied=0, recall=None)


def label_lines(
    title: str, mastery: StepMastery, mark: PickMark, *, show_title: bool, show_mastery: bool
) -> tuple[str, ...]:
    lines: list[str] = []
    if show_title:
        lines.append(title)
        if show_mastery:
            lines.append(mastery.label())
    if mark is not PickMark.NONE:
        lines.append(MARK_WORDS[mark])
    return tuple(lines)


def measure_lines(lines: tuple[str, ...], fonts: LabelFonts) -> tuple[float, float]:
    """The size of a label plate holding ``lines`` (first line in the title font)."""
    if not lines:
        return (0.0, 0.0)
    width = 0.0
    height = 0.0
    for index, line in enumerate(lines):
        metrics = QFontMetricsF(fonts.title if index == 0 else fonts.detail)
        width = max(width, metrics.horizontalAdvance(line))
        height += metrics.height()
    return (width + 12.0, height + 6.0)


class StepMarker(QGraphicsItem):
    """The ring and badge of one step. Clicks are handled by the canvas."""

    def __init__(
        self,
        placed: PlacedStep,
        total: int,
        mastery: StepMastery,
        colours: DiagramColours,
        fonts: LabelFonts,
    ) -> None:
        super().__init__()
        self.placed = placed
        self.step_id = placed.id
        self.number = placed.index + 1
        self.total = total
        self.mastery = mastery
        self._colours = colours
        self._fonts = fonts
        self.focused = False
        self.hovered = False
        self.highlighted = False
        self.current = False  # the step the animation has reached
        self.mark = PickMark.NONE
        # the account shown (None: every step): this step's number in it, or dimmed
        self.account_place: tuple[int, str] | None = None  # (number, the account's name)
        self.account_title = ""
        self.account_in_sentence = ""
        self.dimmed = False
        r = placed.radius
        self._badge_centre = QPointF(-r * math.cos(math.pi / 4), -r * math.sin(math.pi / 4))
        self._badge_radius = max(9.0, r * 0.34 if r > 30 else 9.5)
        reach = r + 14
        self._bounds = QRectF(-reach, -reach, 2 * reach, 2 * reach)
        self.setPos(placed.centre.x, placed.centre.y)
        self.setZValue(Z_MARKER)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(self.description())

    def description(self) -> str:
        where = f"step {self.number} of {self.total}"
        if self.account_place is not None:
            number, name = self.account_place
            where = f"{self.account_title}: {number}, {name}"
        elif self.dimmed:
            where = f"not one of {self.account_in_sentence}"
        return f"{self.placed.step.label}, {where}, {self.mastery.label()}"

    def set_account(
        self, account: DiagramAccount | None, place: tuple[int, str] | None, dimmed: bool
    ) -> None:
        """Number the step as the ``account`` shown does (None: every step shown)."""
        title = account.title if account is not None else ""
        if (self.account_title, self.account_place, self.dimmed) == (title, place, dimmed):
            return
        self.account_title, self.account_place, self.dimmed = title, place, dimmed
        self.account_in_sentence = account.title_in_sentence if account is not None else ""
        self.setOpacity(DIMMED_OPACITY if dimmed else 1.0)
        self.setToolTip(self.description())
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        # the ring and the number badge overlap: with the default odd-even fill the overlap
        # would be a hole, and a click on the badge's inner half would miss the step
        path.setFillRule(Qt.FillRule.WindingFill)
        r = self.placed.radius + 6
        path.addEllipse(QPointF(0, 0), r, r)
        path.addEllipse(self._badge_centre, self._badge_radius + 2, self._badge_radius + 2)
        return path

    def set_state(
        self,
        *,
        focused: bool | None = None,
        hovered: bool | None = None,
        highlighted: bool | None = None,
        current: bool | None = None,
        mark: PickMark | None = None,
        mastery: StepMastery | None = None,
    ) -> None:
        changed = False
        states = (
            ("focused", focused),
            ("hovered", hovered),
            ("highlighted", highlighted),
            ("current", current),
            ("mark", mark),
            ("mastery", mastery),
        )
        for name, value in states:
            if value is not None and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.setToolTip(self.description())
            self.update()

    def ring_colour(self) -> object:
        c = self._colours
        if self.mark is PickMark.WRONG:
            return c.wrong
        if self.mark in (PickMark.RIGHT, PickMark.ANSWER):
            return c.right
        return c.for_mastery(self.mastery)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = self._colours
        r = self.placed.radius
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.ring_colour()
        if self.current and not self.highlighted and self.mark is PickMark.NONE:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(with_alpha(c.focus, 0.1))
            painter.drawEllipse(QPointF(0, 0), r + 6, r + 6)
        if self.highlighted or self.mark is not PickMark.NONE:
            painter.setPen(Qt.PenStyle.NoPen)
            halo = c.focus if self.mark is PickMark.NONE else colour
            painter.setBrush(with_alpha(halo, 0.2))  # type: ignore[arg-type]
            painter.drawEllipse(QPointF(0, 0), r + 9, r + 9)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        width = 5.0 if (self.hovered or self.highlighted) else 4.0
        mastery = self.mastery
        if mastery.total == 0:
            painter.setPen(cosmetic_pen(with_alpha(c.track, 0.9), 2.0, Qt.PenStyle.DotLine))
            painter.drawEllipse(QPointF(0, 0), r, r)
        else:
            painter.setPen(cosmetic_pen(with_alpha(c.track, 0.85), width))
            painter.drawEllipse(QPointF(0, 0), r, r)
            fraction = mastery.studied / mastery.total
            if fraction > 0 or self.mark is not PickMark.NONE:
                span = 360.0 if self.mark is not PickMark.NONE else 360.0 * fraction
                painter.setPen(cosmetic_pen(colour, width))
                painter.drawArc(QRectF(-r, -r, 2 * r, 2 * r), 90 * 16, int(-span * 16))
        if self.mark is not PickMark.NONE and mastery.total == 0:
            painter.setPen(cosmetic_pen(colour, width))
            painter.drawEllipse(QPointF(0, 0), r, r)
        if self.highlighted:
            painter.setPen(cosmetic_pen(c.focus, 3.0))
            painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
        if self.focused:
            painter.setPen(cosmetic_pen(c.focus, 2.0, Qt.PenStyle.DashLine))
            painter.drawEllipse(QPointF(0, 0), r + 8, r + 8)
        b = self._badge_radius
        painter.setPen(cosmetic_pen(colour, 2.0))
        painter.setBrush(c.plate)
        painter.drawEllipse(self._badge_centre, b, b)
        painter.setFont(self._fonts.badge)
        painter.setPen(c.text)
        text = str(self.number)
        if self.account_place is not None:
            text = str(self.account_place[0])
        elif self.dimmed:
            text = ""
        if self.mark is PickMark.WRONG:
            text = "✗"
        elif self.mark in (PickMark.RIGHT, PickMark.ANSWER):
            text = "✓"
        painter.drawText(
            QRectF(self._badge_centre.x() - b, self._badge_centre.y() - b, 2 * b, 2 * b),
            Qt.AlignmentFlag.AlignCenter,
            text,
        )


class StepLabel(QGraphicsItem):
    """The name of a step and its mastery in words, on a plate beside the ring."""

    def __init__(self, marker: StepMarker, colours: DiagramColours, fonts: LabelFonts) -> None:
        super().__init__()
        self.marker = marker
        self.step_id = marker.step_id
        self._colours = colours
        self._fonts = fonts
        self.lines: tuple[str, ...] = ()
        self._rect = QRectF()
        self.setZValue(Z_LABEL)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_lines(self, lines: tuple[str, ...]) -> None:
        """Show ``lines``. The label keeps its font size whatever the view's scale: it is
        anchored at the side of its layout box that faces the ring, and drawn in pixels."""
        w, h = measure_lines(lines, self._fonts)
        box = self.marker.placed.label_box
        side = self.marker.placed.label_side
        if side is LabelSide.BELOW:
            anchor, rect = QPointF(box.centre.x, box.top), QRectF(-w / 2, 0, w, h)
        elif side is LabelSide.ABOVE:
            anchor, rect = QPointF(box.centre.x, box.bottom), QRectF(-w / 2, -h, w, h)
        elif side is LabelSide.RIGHT:
            anchor, rect = QPointF(box.left, box.centre.y), QRectF(0, -h / 2, w, h)
        else:
            anchor, rect = QPointF(box.right, box.centre.y), QRectF(-w, -h / 2, w, h)
        self.prepareGeometryChange()
        self.setPos(anchor)
        self.lines = lines
        self._rect = rect
        self.setVisible(bool(lines))
        self.update()

    def plate(self) -> QRectF:
        """The plate in scene coordinates (at the view's current scale)."""
        return self.sceneBoundingRect().adjusted(2, 2, -2, -2)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.lines:
            return
        c = self._colours
        marker = self.marker
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = c.focus if (marker.highlighted or marker.focused) else c.plate_border
        if marker.mark is PickMark.WRONG:
            border = c.wrong
        elif marker.mark is not PickMark.NONE:
            border = c.right
        painter.setPen(cosmetic_pen(border, 2.0 if border is not c.plate_border else 1.0))
        painter.setBrush(c.plate)
        painter.drawRoundedRect(self._rect, 4, 4)
        y = self._rect.top() + 3
        for index, line in enumerate(self.lines):
            font = self._fonts.title if index == 0 else self._fonts.detail
            metrics = QFontMetricsF(font)
            painter.setFont(font)
            is_mark = marker.mark is not PickMark.NONE and index == len(self.lines) - 1
            if is_mark:
                painter.setPen(c.wrong if marker.mark is PickMark.WRONG else c.right)
            else:
                painter.setPen(c.text if index == 0 else c.muted_text)
            painter.drawText(
                QRectF(self._rect.left(), y, self._rect.width(), metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                line,
            )
            y += metrics.height()
