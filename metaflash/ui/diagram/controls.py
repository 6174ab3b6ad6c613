"""The playback bar under the diagram: restart, step back, play/pause, step forward, speed,
step-by-step and reduced motion. Every control has text, an accessible name and a shortcut."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QWidget,
)

SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.5, 2.0)


def _speed_text(speed: float) -> str:
    return f"{speed:g}×"


class PlaybackControls(QWidget):
    restartRequested = Signal()
    backRequested = Signal()
    playToggled = Signal()
    forwardRequested = Signal()
    speedChanged = Signal(float)
    stepModeChanged = Signal(bool)
    reduceMotionChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style = self.style()
        icon = QStyle.StandardPixmap
        self.restart_button = self._button(
            "Restart",
            "Restart the journey from the primary site (R)",
            "R",
            style.standardIcon(icon.SP_MediaSkipBackward),
        )
        self.back_button = self._button(
            "Back", "Back one step (,)", ",", style.standardIcon(icon.SP_MediaSeekBackward)
        )
        self.play_button = self._button(
            "Play", "Play the journey (K)", "K", style.standardIcon(icon.SP_MediaPlay)
        )
        self.forward_button = self._button(
            "Next", "On to the next step (.)", ".", style.standardIcon(icon.SP_MediaSeekForward)
        )
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
        self.position_label = QLabel()
        self.position_label.setProperty("role", "muted")
        self.position_label.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(4)
        for widget in (
            self.restart_button,
            self.back_button,
            self.play_button,
            self.forward_button,
        ):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(speed_label)
        row.addWidget(self.speed_box)
        row.addSpacing(12)
        row.addWidget(self.step_mode_button)
        row.addWidget(self.reduce_motion_button)
        row.addStretch(1)
        row.addWidget(self.position_label)

    def _button(self, text: str, tip: str, key: str, icon: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIcon(icon)  # type: ignore[arg-type]
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
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        text = "Pause" if playing else "Play"
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText(text)
        self.play_button.setAccessibleName(text)
        self.play_button.setToolTip(f"{'Pause' if playing else 'Play'} the journey (K)")

    def set_position(self, index: int, total: int, label: str) -> None:
        self.position_label.setText(f"Step {index + 1} of {total}: {label}")
        self.back_button.setEnabled(index > 0)

    def set_speed(self, speed: float) -> None:
        if speed in SPEEDS:
            self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def faster(self) -> None:
        self.speed_box.setCurrentIndex(min(self.speed_box.currentIndex() + 1, len(SPEEDS) - 1))

    def slower(self) -> None:
        self.speed_box.setCurrentIndex(max(self.speed_box.currentIndex() - 1, 0))
