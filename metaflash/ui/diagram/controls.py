"""The playback bar under the diagram: restart, step back, play/pause, step forward, speed,
step-by-step, reduced motion and which account of the pathway to show. Every control has text, an accessible name and a shortcut.

The media icons are drawn here in the palette's button text colour (the style's own media
pixmaps are dark grey, and nearly vanish in the dark theme), again when the palette changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from metaflash.ui.common.flow_layout import FlowLayout

SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.5, 2.0)


def _speed_text(speed: float) -> str:
    return f"{speed:g}×"


#: Each media icon as shapes on a 16x16 grid: ("bar", x) is a 2-wide bar, ("left"/"right",
#: x) a triangle 6 wide starting at x.
MEDIA_SHAPES: dict[str, tuple[tuple[str, float], ...]] = {
    "restart": (("bar", 2.5), ("left", 4.5), ("left", 9.5)),
    "back": (("left", 2.5), ("left", 8.5)),
    "play": (("right", 4.5),),
    "pause": (("bar", 4.0), ("bar", 10.0)),
    "next": (("right", 2.5), ("right", 8.5)),
}


def media_icon(kind: str, colour: QColor, ratio: float = 2.0) -> QIcon:
    """A 16x16 media icon in ``colour``, drawn at ``ratio`` device pixels per pixel."""
    pixmap = QPixmap(round(16 * ratio), round(16 * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    for shape, x in MEDIA_SHAPES[kind]:
        if shape == "bar":
            painter.drawRect(QRectF(x, 3.0, 2.0, 10.0))
        else:
            tip, base = (x, x + 6.0) if shape == "left" else (x + 6.0, x)
            painter.drawPolygon(
                QPolygonF([QPointF(base, 3.0), QPointF(tip, 8.0), QPointF(base, 13.0)])
            )
    painter.end()
    return QIcon(pixmap)


class PlaybackControls(QWidget):
    restartRequested = Signal()
    backRequested = Signal()
    playToggled = Signal()
    forwardRequested = Signal()
    speedChanged = Signal(float)
    stepModeChanged = Signal(bool)
    reduceMotionChanged = Signal(bool)
    accountChanged = Signal(str)  # the id of the account to show; "" for every step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playing = False
        self.restart_button = self._button(
            "Restart", "Restart the journey from the primary site (R)", "R"
        )
        self.back_button = self._button("Back", "Back one step (,)", ",")
        self.play_button = self._button("Play", "Play the journey (K)", "K")
        self.forward_button = self._button("Next", "On to the next step (.)", ".")
        self._paint_icons()
        self.restart_button.clicked.connect(self.restartRequested)
        self.back_button.clicked.connect(self.backRequested)
        self.play_button.clicked.connect(self.playToggled)
        self.forward_button.clicked.connect(self.forwardRequested)
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(_speed_text(speed), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setAccessibleName("Animation speed")
        self.speed_box.setToolTip("Animation speed (+ and − change it)")
        self.speed_box.currentIndexChanged.connect(lambda i: self.speedChanged.emit(SPEEDS[i]))
        speed_label = QLabel("&Speed")
        speed_label.setBuddy(self.speed_box)
        self.step_mode_button = self._toggle(
            "Step by step", "Pause at every step and show what happens there (S)", "S"
        )
        self.step_mode_button.toggled.connect(self.stepModeChanged)
        self.reduce_motion_button = self._toggle(
            "Reduce motion", "Change steps without movement (M)", "M"
        )
        self.reduce_motion_button.toggled.connect(self.reduceMotionChanged)
        self.account_box = QComboBox()
        self.account_box.setObjectName("diagramAccount")
        self.account_box.setAccessibleName("Show")
        self.account_box.setToolTip(
            "Show every step, or one source's own account of the pathway, numbered in its order (A)"
        )
        self.account_box.addItem("Every step", "")
        self.account_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.account_box.currentIndexChanged.connect(
            lambda i: self.accountChanged.emit(self.account_box.itemData(i) or "")
        )
        account_label = QLabel("Sho&w")
        account_label.setBuddy(self.account_box)
        self._account_group = _group((account_label, self.account_box))
        self._account_group.hide()  # until there are accounts to choose from
        self.position_label = QLabel()
        self.position_label.setProperty("role", "muted")
        self.position_label.setTextFormat(Qt.TextFormat.PlainText)
        # groups that stay together; the groups wrap onto a second row when space runs out
        flow = FlowLayout(self, spacing=16, row_spacing=2)
        flow.setContentsMargins(8, 4, 8, 4)
        for group in (
            (self.restart_button, self.back_button, self.play_button, self.forward_button),
            (speed_label, self.speed_box),
            (self.step_mode_button, self.reduce_motion_button),
        ):
            flow.add_widget(_group(group))
        flow.add_widget(self._account_group)
        flow.add_widget(self.position_label, right=True)

    def _paint_icons(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        ratio = max(1.0, self.devicePixelRatioF())
        for button, kind in (
            (self.restart_button, "restart"),
            (self.back_button, "back"),
            (self.play_button, "pause" if self._playing else "play"),
            (self.forward_button, "next"),
        ):
            button.setIcon(media_icon(kind, colour, ratio))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()

    def _button(self, text: str, tip: str, key: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIconSize(QSize(16, 16))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setAccessibleDescription(
            f"{tip}; shortcut {QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)}"
        )
        button.setAutoRaise(True)
        return button

    def _toggle(self, text: str, tip: str, key: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setAccessibleDescription(f"{tip}; shortcut {key}")
        button.setAutoRaise(True)
        return button

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        text = "Pause" if playing else "Play"
        self._paint_icons()
        self.play_button.setText(text)
        self.play_button.setAccessibleName(text)
        self.play_button.setToolTip(f"{'Pause' if playing else 'Play'} the journey (K)")

    def set_position(self, index: int, total: int, label: str) -> None:
        self.position_label.setText(f"Step {index + 1} of {total}: {label}")
        self.back_button.setEnabled(index > 0)

    def set_accounts(self, accounts: list[tuple[str, str]]) -> None:
        """The accounts to offer, as (id, title); none hides the choice."""
        self.account_box.blockSignals(True)
        while self.account_box.count() > 1:
            self.account_box.removeItem(1)
        for account_id, title in accounts:
            self.account_box.addItem(title, account_id)
        self.account_box.setCurrentIndex(0)
        self.account_box.blockSignals(False)
        self._account_group.setVisible(bool(accounts))

    def next_account(self) -> None:
        """Show the next account, after the last one every step again."""
        if self.account_box.count() > 1:
            self.account_box.setCurrentIndex(
                (self.account_box.currentIndex() + 1) % self.account_box.count()
            )

    def set_speed(self, speed: float) -> None:
        if speed in SPEEDS:
            self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def faster(self) -> None:
        self.speed_box.setCurrentIndex(min(self.speed_box.currentIndex() + 1, len(SPEEDS) - 1))

    def slower(self) -> None:
        self.speed_box.setCurrentIndex(max(self.speed_box.currentIndex() - 1, 0))


def _group(widgets: tuple[QWidget, ...]) -> QWidget:
    """``widgets`` side by side, kept on one row."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    for widget in widgets:
        row.addWidget(widget)
    return box
