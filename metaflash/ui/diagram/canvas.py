"""The graphics view that shows a pathway diagram and lets the student point at its steps.

It lays the figure out for its own size (and again when resized, or when the palette or font
changes), takes mouse and keyboard input on the steps, marks picks right or wrong, and runs
the journey animation (not in the compact variant). Nothing moves while it is hidden or its
window is minimised.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QFocusEvent,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from metaflash.core.decks.model import Diagram, DiagramAccount, StepId
from metaflash.core.diagrams.journey import journey_legs, plan_timeline
from metaflash.core.diagrams.layout import DiagramLayout, LabelFit, layout_diagram
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.diagram.colours import DiagramColours
from metaflash.ui.diagram.journey_animation import JourneyPlayer, build_journey
from metaflash.ui.diagram.markers import (
    DIMMED_OPACITY,
    LabelFonts,
    PickMark,
    StepLabel,
    StepMarker,
    label_lines,
    measure_lines,
    no_mastery,
)
from metaflash.ui.diagram.pixmap_budget import make_room
from metaflash.ui.diagram.scene import DiagramScene

#: Below this size the figure is laid out at this size and scaled down to fit.
FULL_MINIMUM = QSize(760, 470)
COMPACT_MINIMUM = QSize(340, 210)
RELAYOUT_DELAY_MS = 60


class DiagramCanvas(QGraphicsView):
    stepActivated = Signal(str)  # clicked, or Enter on the focused step (outside pick mode)
    stepPicked = Signal(str, bool)  # the step picked in pick mode, and whether it is the answer
    focusedStepChanged = Signal(str)  # "" when no step has the focus

    def __init__(
        self,
        diagram: Diagram,
        mastery: Mapping[StepId, StepMastery] | None = None,
        *,
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self.compact = compact
        self._mastery: dict[StepId, StepMastery] = dict(mastery or {})
        self._journey = tuple(step.id for step in diagram.ordered_steps())
        self._scene = DiagramScene(diagram, self)
        self.setScene(self._scene)
        self.layout_: DiagramLayout | None = None
        self._layout_size = QSize()
        self._focused: int | None = None
        self._hovered: StepId | None = None
        self._highlighted: StepId | None = None
        self._pick_expected: StepId | None = None
        self._picked: StepId | None = None
        self._account: DiagramAccount | None = None
        self._speed = 1.0
        self.player = JourneyPlayer(self)
        self.player.stepReached.connect(self._on_step_reached)
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setObjectName("diagram-relayout")
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(RELAYOUT_DELAY_MS)
        self._relayout_timer.timeout.connect(self.relayout)
        self._watched_window: QWidget | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # One rectangle around everything that moved: cheaper to repaint (from the items'
        # cached bitmaps) than the hundreds of little rectangles moving cells leave behind.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(240, 150) if compact else QSize(360, 220))
        self.setAccessibleName(self._overview_name())
        self.setAccessibleDescription(
            "Use Tab or the arrow keys to go from step to step, Enter to open a step."
        )

    # --- public ------------------------------------------------------------------------

    @property
    def diagram_scene(self) -> DiagramScene:
        return self._scene

    @property
    def journey(self) -> tuple[StepId, ...]:
        return self._journey

    def markers(self) -> Mapping[StepId, StepMarker]:
        return self._scene.markers

    def labels(self) -> Mapping[StepId, StepLabel]:
        return self._scene.labels

    def mastery(self, step_id: StepId) -> StepMastery:
        return self._mastery.get(step_id, no_mastery(step_id))

    def set_mastery(self, mastery: Mapping[StepId, StepMastery]) -> None:
        self._mastery = dict(mastery)
        self._scene.set_mastery(self._mastery)
        self._refresh_labels()
        self._announce_focus()

    def update_step_mastery(self, mastery: StepMastery) -> None:
        self._mastery[mastery.step_id] = mastery
        self.set_mastery(self._mastery)

    def focused_step(self) -> StepId | None:
        return self._journey[self._focused] if self._focused is not None else None

    @property
    def account(self) -> DiagramAccount | None:
        """The account shown: its steps numbered in its order, the others dimmed."""
        return self._account

    def show_account(self, account_id: str) -> None:
        """Show one account of the pathway (``""``: every step, numbered along the journey)."""
        account = self.diagram.account(account_id) if account_id else None
        if account == self._account:
            return
        self._account = account
        self._apply_account()
        self._announce_focus()

    def _apply_account(self) -> None:
        account = self._account
        inside: set[StepId] = set()
        for sid, marker in self._scene.markers.items():
            found = account.place_of(sid) if account is not None else None
            place = (found[0], found[1].name) if found is not None else None
            if found is not None:
                inside.add(sid)
            dimmed = account is not None and found is None
            marker.set_account(account, place, dimmed)
            opacity = DIMMED_OPACITY if dimmed else 1.0
            self._scene.labels[sid].setOpacity(opacity)
            if (leader := self._scene.leaders.get(sid)) is not None:
                leader.setOpacity(opacity)
        for link in self._scene.links:
            joined = account is None or {link.link.source, link.link.target} <= inside
            link.setOpacity(1.0 if joined else DIMMED_OPACITY)

    def focus_step(self, step_id: StepId | None) -> None:
        index = self._journey.index(step_id) if step_id in self._journey else None
        self._set_focused(index)

    def highlight_step(self, step_id: StepId | None) -> None:
        """Mark one step (the review screen's current card) or none."""
        if step_id is not None and step_id not in self._journey:
            step_id = None
        self._highlighted = step_id
        for sid, marker in self._scene.markers.items():
            marker.set_state(highlighted=sid == step_id)
        self._refresh_labels()

    def highlighted_step(self) -> StepId | None:
        return self._highlighted

    def pick_mode(self, expected: StepId) -> None:
        """Ask the student to pick ``expected`` on the figure: names are hidden until the pick."""
        if expected not in self._journey:
            raise ValueError(f"the diagram has no step {expected!r}")
        self._pick_expected = expected
        self._picked = None
        for marker in self._scene.markers.values():
            marker.set_state(mark=PickMark.NONE)
        self._refresh_labels()

    def cancel_pick(self) -> None:
        self._pick_expected = None
        self._picked = None
        for marker in self._scene.markers.values():
            marker.set_state(mark=PickMark.NONE)
        self._refresh_labels()

    def is_picking(self) -> bool:
        return self._pick_expected is not None and self._picked is None

    def pick_result(self) -> tuple[StepId, bool] | None:
        if self._pick_expected is None or self._picked is None:
            return None
        return (self._picked, self._picked == self._pick_expected)

    def activate_step(self, step_id: StepId) -> None:
        """What a click or Enter on a step does: pick it in pick mode, else open it."""
        if step_id not in self._journey:
            return
        self.focus_step(step_id)
        if self.is_picking():
            self._pick(step_id)
        else:
            self.stepActivated.emit(step_id)

    def set_speed(self, speed: float) -> None:
        if speed == self._speed:
            return
        self._speed = speed
        self._rebuild_journey()

    def speed(self) -> float:
        return self._speed

    def step_at(self, view_pos: QPointF) -> StepId | None:
        for item in self.items(view_pos.toPoint()):
            if isinstance(item, (StepMarker, StepLabel)) and item.isVisible():
                return item.step_id
        return None

    def view_point_of(self, step_id: StepId) -> QPointF:
        """Where a step's ring is on screen (for tests and tooltips)."""
        marker = self._scene.markers[step_id]
        return QPointF(self.mapFromScene(marker.scenePos()))

    # --- layout --------------------------------------------------------------------------

    def layout_scale(self) -> float:
        """How many scene units one pixel shows: above 1 when the view is smaller than the
        smallest size the figure is laid out for (then the figure is scaled down to fit)."""
        viewport = self.viewport().size()
        minimum = COMPACT_MINIMUM if self.compact else FULL_MINIMUM
        return max(
            1.0,
            minimum.width() / max(viewport.width(), 1),
            minimum.height() / max(viewport.height(), 1),
        )

    def layout_size(self) -> QSize:
        viewport = self.viewport().size()
        scale = self.layout_scale()
        return QSize(
            round(max(viewport.width(), 1) * scale), round(max(viewport.height(), 1) * scale)
        )

    def relayout(self) -> None:
        """Lay out and rebuild the figure for the current size, palette and font."""
        self._relayout_timer.stop()
        size = self.layout_size()
        scale = self.layout_scale()
        colours = DiagramColours.from_palette(self.palette())
        fonts = LabelFonts.from_font(self.font())
        sizes: dict[StepId, tuple[float, float]] = {}
        short_sizes: dict[StepId, tuple[float, float]] = {}
        for step in self.diagram.steps:
            for wanted, mastery_line in ((sizes, not self.compact), (short_sizes, False)):
                lines = label_lines(
                    step.label,
                    self.mastery(step.id),
                    PickMark.NONE,
                    show_title=True,
                    show_mastery=mastery_line,
                )
                w, h = measure_lines(lines, fonts)
                wanted[step.id] = (w * scale, h * scale)
        layout = layout_diagram(
            self.diagram,
            size.width(),
            size.height(),
            sizes,
            short_sizes,
            labels_alone=self.compact,  # the small figure names one step at a time
        )
        legs = journey_legs(self.diagram, layout)
        place = self.player.detach()
        marks = {sid: m.mark for sid, m in self._scene.markers.items()}
        cast = self._scene.build(
            layout,
            legs,
            colours,
            self.font(),
            self._mastery,
            animate=not self.compact,
            link_labels=not self.compact,
            label_scale=scale,
        )
        self.layout_ = layout
        self._layout_size = size
        for sid, marker in self._scene.markers.items():
            marker.set_state(
                highlighted=sid == self._highlighted,
                focused=self.focused_step() == sid,
                mark=marks.get(sid, PickMark.NONE),
            )
        self._refresh_labels()
        self._apply_account()
        self._fit()
        if cast is not None:
            timeline = plan_timeline(legs, layout, self._speed)
            self.player.load(build_journey(cast, legs, timeline, layout, self), timeline, place)

    def _rebuild_journey(self) -> None:
        cast = self._scene.cast
        if cast is None or self.layout_ is None:
            return
        legs = journey_legs(self.diagram, self.layout_)
        timeline = plan_timeline(legs, self.layout_, self._speed)
        place = self.player.detach()
        self.player.load(build_journey(cast, legs, timeline, self.layout_, self), timeline, place)

    def _fit(self) -> None:
        """Show the whole scene: at 1:1 when it was laid out for this size, else scaled."""
        size = self._layout_size
        self.resetTransform()
        if self.layout_scale() > 1.0 or self.viewport().size() != size:
            self.fitInView(
                QRectF(0, 0, size.width(), size.height()), Qt.AspectRatioMode.KeepAspectRatio
            )
        self.centerOn(size.width() / 2, size.height() / 2)
        make_room(self)  # in Qt's pixmap cache, for the figure at this size

    def _refresh_labels(self) -> None:
        picking = self.is_picking()
        for sid, label in self._scene.labels.items():
            marker = self._scene.markers[sid]
            step = self.diagram.step(sid)
            assert step is not None
            if self.compact:
                show = (
                    sid in (self._highlighted, self.focused_step())
                    or marker.mark is not PickMark.NONE
                )
                show = show and not (picking and marker.mark is PickMark.NONE)
                lines = label_lines(
                    step.label, marker.mastery, marker.mark, show_title=show, show_mastery=False
                )
            else:
                fit = marker.placed.label_fit
                pointed = sid in (self._highlighted, self.focused_step(), self._hovered)
                lines = label_lines(
                    step.label,
                    marker.mastery,
                    marker.mark,
                    show_title=not picking and (fit is not LabelFit.HIDDEN or pointed),
                    show_mastery=fit is LabelFit.FULL,
                )
            label.set_lines(lines)
            leader = self._scene.leaders.get(sid)
            if leader is not None:
                leader.setVisible(bool(lines))

    def _on_step_reached(self, index: int) -> None:
        current = self._journey[index] if 0 <= index < len(self._journey) else None
        for sid, marker in self._scene.markers.items():
            marker.set_state(current=sid == current)

    # --- picking -------------------------------------------------------------------------

    def _pick(self, step_id: StepId) -> None:
        expected = self._pick_expected
        assert expected is not None
        self._picked = step_id
        correct = step_id == expected
        self._scene.markers[step_id].set_state(mark=PickMark.RIGHT if correct else PickMark.WRONG)
        if not correct:
            self._scene.markers[expected].set_state(mark=PickMark.ANSWER)
        self._refresh_labels()
        answer = self.diagram.step(expected)
        verdict = (
            "Correct"
            if correct
            else f"Not quite: the answer is {answer.label if answer else expected}"
        )
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))
        self.setAccessibleDescription(verdict)
        self.stepPicked.emit(step_id, correct)

    # --- focus and keyboard --------------------------------------------------------------

    def _set_focused(self, index: int | None) -> None:
        if index == self._focused:
            return
        self._focused = index
        focused = self.focused_step()
        for sid, marker in self._scene.markers.items():
            marker.set_state(focused=sid == focused)
        if self.compact:
            self._refresh_labels()
        self._announce_focus()
        self.focusedStepChanged.emit(focused or "")

    def step_description(self, step_id: StepId) -> str:
        step = self.diagram.step(step_id)
        assert step is not None
        number = self._journey.index(step_id) + 1
        name = step.label if not self.is_picking() else f"Step {number}"
        where = f"step {number} of {len(self._journey)}"
        account = self._account
        if account is not None and not self.is_picking():
            found = account.place_of(step_id)
            where = (
                f"{account.title}: {found[0]} of {len(account.stages)}, {found[1].name}"
                if found is not None
                else f"not one of {account.title_in_sentence}"
            )
        return f"{name}, {where}, {self.mastery(step_id).label()}"

    def _overview_name(self) -> str:
        return f"Pathway diagram: {self.diagram.title}"

    def _announce_focus(self) -> None:
        focused = self.focused_step()
        if focused is None:
            self.setAccessibleName(self._overview_name())
            return
        self.setAccessibleName(self.step_description(focused))
        step = self.diagram.step(focused)
        if step is not None and not self.is_picking():
            self.setAccessibleDescription(f"{step.summary} Press Enter to open this step.")
        elif self.is_picking():
            self.setAccessibleDescription("Press Enter to pick this step as your answer.")
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Focus))

    def focusNextPrevChild(self, next: bool) -> bool:
        count = len(self._journey)
        if self._focused is None:
            return super().focusNextPrevChild(next)
        index = self._focused + (1 if next else -1)
        if 0 <= index < count:
            self._set_focused(index)
            return True
        self._set_focused(None)
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self._focused is None and self._journey:
            if event.reason() == Qt.FocusReason.TabFocusReason:
                self._set_focused(0)
            elif event.reason() == Qt.FocusReason.BacktabFocusReason:
                self._set_focused(len(self._journey) - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        count = len(self._journey)
        current = self._focused
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) and count:
            self._set_focused(0 if current is None else min(current + 1, count - 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up) and count:
            self._set_focused(count - 1 if current is None else max(current - 1, 0))
        elif key == Qt.Key.Key_Home and count:
            self._set_focused(0)
        elif key == Qt.Key.Key_End and count:
            self._set_focused(count - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and current is not None:
            self.activate_step(self._journey[current])
        else:
            event.ignore()
            return
        event.accept()

    # --- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            step_id = self.step_at(event.position())
            if step_id is not None:
                self.setFocus(Qt.FocusReason.MouseFocusReason)
                self.activate_step(step_id)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        event.accept()  # a click on the figure is always handled here

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        step_id = self.step_at(event.position())
        if step_id != self._hovered:
            if self._hovered in self._scene.markers:
                self._scene.markers[self._hovered].set_state(hovered=False)
            if step_id is not None:
                self._scene.markers[step_id].set_state(hovered=True)
            self._hovered = step_id
            self._refresh_labels()  # a label with no room shows while its step is pointed at
            self.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if step_id else Qt.CursorShape.ArrowCursor
            )
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hovered in self._scene.markers:
            self._scene.markers[self._hovered].set_state(hovered=False)
        self._hovered = None
        self._refresh_labels()
        super().leaveEvent(event)

    # --- size, theme, visibility ---------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.layout_size() == self._layout_size:
            self._fit()
        elif self.layout_ is None or not self.isVisible():
            self.relayout()
        else:
            self._fit()
            self._relayout_timer.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if (
            kind in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)
            and self.layout_ is not None
        ):
            if self.isVisible():
                self._relayout_timer.start()
            else:
                self.relayout()
        elif kind == QEvent.Type.WindowStateChange:
            self._sync_suspension()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.layout_ is None:
            self.relayout()
        self._watch_window()
        self._sync_suspension()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._relayout_timer.stop()
        self.player.suspend()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched_window and event.type() == QEvent.Type.WindowStateChange:
            self._sync_suspension()
        return super().eventFilter(watched, event)

    def _watch_window(self) -> None:
        window = self.window()
        if window is self._watched_window:
            return
        if self._watched_window is not None:
            self._watched_window.removeEventFilter(self)
        self._watched_window = window
        if window is not self:
            window.installEventFilter(self)

    def _sync_suspension(self) -> None:
        hidden = not self.isVisible() or self.window().isMinimized()
        if hidden:
            self.player.suspend()
        else:
            self.player.resume()

    def sizeHint(self) -> QSize:
        return QSize(480, 300) if self.compact else QSize(960, 600)
