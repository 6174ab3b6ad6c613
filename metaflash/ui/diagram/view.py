"""The diagram screen and its compact variant.

:class:`DiagramView` is a drop-in widget: the animated figure, its playback bar, a caption
that tells the current step, the key, and a side panel for the step the student opens.
:class:`CompactDiagramView` is the figure alone, for the review screen: it highlights the
current card's step and takes the answer to a ``diagram`` card by a pick on the figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from metaflash.core.decks.model import Diagram, Prompt, StepId
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.diagram.canvas import DiagramCanvas
from metaflash.ui.diagram.colours import DiagramColours
from metaflash.ui.diagram.controls import PlaybackControls
from metaflash.ui.diagram.keys import DIAGRAM_KEYS
from metaflash.ui.diagram.legend import DiagramLegend
from metaflash.ui.diagram.step_panel import StepPanel

CardsForStep = Callable[[StepId], Sequence[Prompt]]


def no_cards(step_id: StepId) -> Sequence[Prompt]:
    return ()


def prompts_by_step(prompts: Iterable[Prompt]) -> CardsForStep:
    """``cards_for_step`` for a collection of prompts: those whose card names the step."""
    grouped: dict[StepId, list[Prompt]] = {}
    for prompt in prompts:
        if prompt.stage is not None:
            grouped.setdefault(prompt.stage, []).append(prompt)
    frozen = {step: tuple(items) for step, items in grouped.items()}
    return lambda step_id: frozen.get(step_id, ())


class CompactDiagramView(DiagramCanvas):
    """The figure without animation or controls: steps are numbered rings, and only the
    highlighted (or picked) step carries its name."""

    def __init__(
        self,
        diagram: Diagram,
        mastery: Mapping[StepId, StepMastery] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(diagram, mastery, compact=True, parent=parent)


class DiagramView(QWidget):
    """The animated pathway diagram, linked to study."""

    studyStepRequested = Signal(str)  # "Study this step" in the side panel
    stepActivated = Signal(str)  # a step was opened (click or Enter)
    stepPicked = Signal(str, bool)  # pick mode: the step picked, and whether it is right
    currentStepChanged = Signal(str)  # the step the animation has reached

    def __init__(
        self,
        diagram: Diagram,
        mastery: Mapping[StepId, StepMastery] | None = None,
        cards_for_step: CardsForStep | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self._cards_for_step = cards_for_step or no_cards
        self._documents = {document.id: document for document in diagram.sources}
        self.setAccessibleName(f"Pathway diagram: {diagram.title}")

        self.title = QLabel(diagram.title)
        self.title.setProperty("role", "heading")
        self.title.setAccessibleName(diagram.title)
        self.description = QLabel(diagram.description)
        self.description.setProperty("role", "muted")
        self.description.setWordWrap(True)
        self.legend = DiagramLegend()
        self.canvas = DiagramCanvas(diagram, mastery)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setAccessibleName("Current step")
        self.caption.setContentsMargins(12, 6, 12, 6)
        # A fixed height, that of the longest caption at the view's width: a caption that
        # grew with its text would resize (and re-lay out) the figure at every step.
        self.caption.setFixedHeight(self.caption.fontMetrics().lineSpacing() * 3 + 14)
        self._caption_width = -1
        self.caption.installEventFilter(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.controls = PlaybackControls()
        self.panel = StepPanel()
        self.panel.hide()

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(0)
        heading = QVBoxLayout()
        heading.setContentsMargins(16, 10, 16, 6)
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.description)
        left.addLayout(heading)
        left.addWidget(self.canvas, 1)
        left.addWidget(self.caption)
        left.addWidget(_rule())
        left.addWidget(self.controls)
        left.addWidget(self.legend)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addLayout(left, 1)
        row.addWidget(self.panel)

        player = self.canvas.player
        self.controls.playToggled.connect(player.toggle)
        self.controls.restartRequested.connect(player.restart)
        self.controls.backRequested.connect(player.step_back)
        self.controls.forwardRequested.connect(player.step_forward)
        self.controls.speedChanged.connect(self.canvas.set_speed)
        self.controls.stepModeChanged.connect(player.set_step_mode)
        self.controls.reduceMotionChanged.connect(self.set_reduce_motion)
        self.controls.set_accounts([(a.id, a.title) for a in diagram.accounts])
        self.controls.accountChanged.connect(self._show_account)
        player.playingChanged.connect(self.controls.set_playing)
        player.stepReached.connect(self._on_step_reached)
        self.canvas.stepActivated.connect(self.open_step)
        self.canvas.stepActivated.connect(self.stepActivated)
        self.canvas.stepPicked.connect(self.stepPicked)
        self.panel.studyRequested.connect(self.studyStepRequested)
        self.panel.closeRequested.connect(self.close_panel)
        slots: dict[str, Callable[[], object]] = {
            "play": player.toggle,
            "forward": player.step_forward,
            "back": player.step_back,
            "restart": player.restart,
            "faster": self.controls.faster,
            "slower": self.controls.slower,
            "step_mode": self.controls.step_mode_button.toggle,
            "reduce_motion": self.controls.reduce_motion_button.toggle,
            "account": self.controls.next_account,
            "escape": self._escape,
        }
        self._shortcuts = [
            self._shortcut(key, slots[action])
            for keys, action, _ in DIAGRAM_KEYS
            for key in keys
            if action in slots
        ]
        self._on_step_reached(player.step)

    def _shortcut(self, key: str, slot: Callable[[], object]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    # --- the API the main window uses ------------------------------------------------------

    def set_mastery(self, mastery: Mapping[StepId, StepMastery]) -> None:
        self.canvas.set_mastery(mastery)
        if not self.panel.isHidden():
            self.panel.show_mastery(
                self.canvas.mastery(StepId(self.panel.step_id)), self._colours()
            )

    def update_step_mastery(self, mastery: StepMastery) -> None:
        self.canvas.update_step_mastery(mastery)
        if not self.panel.isHidden() and self.panel.step_id == mastery.step_id:
            self.panel.show_mastery(mastery, self._colours())

    def set_cards_for_step(self, cards_for_step: CardsForStep) -> None:
        self._cards_for_step = cards_for_step
        if self.panel.isVisible():
            self.open_step(StepId(self.panel.step_id))

    def set_reduce_motion(self, on: bool) -> None:
        self.canvas.player.set_reduce_motion(on)
        if self.controls.reduce_motion_button.isChecked() != on:
            self.controls.reduce_motion_button.setChecked(on)

    def reduce_motion(self) -> bool:
        return self.canvas.player.reduce_motion

    def set_step_mode(self, on: bool) -> None:
        self.controls.step_mode_button.setChecked(on)

    def play(self) -> None:
        self.canvas.player.play()

    def pause(self) -> None:
        self.canvas.player.pause()

    def is_playing(self) -> bool:
        return self.canvas.player.is_playing()

    def step_forward(self) -> None:
        self.canvas.player.step_forward()

    def step_back(self) -> None:
        self.canvas.player.step_back()

    def restart(self) -> None:
        self.canvas.player.restart()

    def set_speed(self, speed: float) -> None:
        self.controls.set_speed(speed)
        self.canvas.set_speed(speed)

    def highlight_step(self, step_id: StepId | None) -> None:
        self.canvas.highlight_step(step_id)

    def pick_mode(self, expected: StepId) -> None:
        self.close_panel()
        self.canvas.pick_mode(expected)

    def cancel_pick(self) -> None:
        self.canvas.cancel_pick()

    def open_step(self, step_id: StepId) -> None:
        """Show a step in the side panel (what a click or Enter on it does); the figure and
        its caption go to that step too, so the caption and the panel tell the same step."""
        if not self._fill_panel(step_id):
            return
        self.panel.show()
        self.canvas.focus_step(step_id)
        player = self.canvas.player
        if step_id in self.canvas.journey:
            index = self.canvas.journey.index(step_id)
            if player.is_playing():
                player.pause()
            if player.step != index:
                player.seek_step(index)

    def _fill_panel(self, step_id: StepId) -> bool:
        step = self.diagram.step(step_id)
        if step is None:
            return False
        journey = self.canvas.journey
        self.panel.show_step(
            step,
            journey.index(step_id) + 1,
            len(journey),
            self.canvas.mastery(step_id),
            tuple(self._cards_for_step(step_id)),
            self._documents,
            self._colours(),
            self.diagram.accounts,
        )
        return True

    def close_panel(self) -> None:
        if self.panel.isVisible():
            self.panel.hide()
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- internals -----------------------------------------------------------------------

    def _colours(self) -> DiagramColours:
        return DiagramColours.from_palette(self.palette())

    def _escape(self) -> None:
        if self.panel.isVisible():
            self.close_panel()
        elif self.canvas.focused_step() is not None:
            self.canvas.focus_step(None)

    def show_account(self, account_id: str) -> None:
        """Show one account of the pathway (``""``: every step); the Show box follows."""
        box = self.controls.account_box
        index = box.findData(account_id)
        if index >= 0 and index != box.currentIndex():
            box.setCurrentIndex(index)  # emits accountChanged, which shows it
        else:
            self._show_account(account_id)

    def _show_account(self, account_id: str) -> None:
        self.canvas.show_account(account_id)
        self._caption_width = -1  # the captions now carry the account's names
        self._fit_caption()
        self._on_step_reached(self.canvas.player.step)

    def _caption_text(self, index: int) -> str:
        journey = self.canvas.journey
        step = self.diagram.step(journey[index])
        assert step is not None
        title = f"<b>{index + 1}. {_escape_html(step.label)}</b>"
        account = self.canvas.account
        if account is not None:
            found = account.place_of(step.id)
            if found is None:
                title = (
                    f"<b>{_escape_html(step.label)}</b> (not one of {account.title_in_sentence})"
                )
            else:
                number, stage = found
                title = f"<b>{number}. {_escape_html(step.label)}</b>"
                if stage.name != step.label:
                    title += f" · <i>{_escape_html(stage.name)}</i>"
        return f"{title} — {_escape_html(step.summary)}"

    def _fit_caption(self) -> None:
        """As tall as the longest step's caption needs at the caption's width."""
        width = self.caption.width()
        if width <= 0 or width == self._caption_width:
            return
        self._caption_width = width
        probe = QLabel()
        probe.setWordWrap(True)
        probe.setTextFormat(Qt.TextFormat.RichText)
        probe.setFont(self.caption.font())
        probe.setContentsMargins(self.caption.contentsMargins())
        tallest = 0
        for index in range(len(self.canvas.journey)):
            probe.setText(self._caption_text(index))
            tallest = max(tallest, probe.heightForWidth(width))
        minimum = self.caption.fontMetrics().lineSpacing() * 2 + 14
        self.caption.setFixedHeight(max(tallest, minimum))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.caption and event.type() == QEvent.Type.Resize:
            self._fit_caption()
        return super().eventFilter(watched, event)

    def _on_step_reached(self, index: int) -> None:
        journey = self.canvas.journey
        if not journey:
            return
        index = max(0, min(index, len(journey) - 1))
        step = self.diagram.step(journey[index])
        assert step is not None
        self.controls.set_position(index, len(journey), step.label)
        self.caption.setText(self._caption_text(index))
        self.caption.setAccessibleDescription(
            f"Step {index + 1} of {len(journey)}: {step.label}. {step.summary}"
        )
        if not self.panel.isHidden() and self.panel.step_id != step.id:
            self._fill_panel(step.id)  # the open panel follows the animation
        self.currentStepChanged.emit(step.id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.panel.isVisible():
            self.panel.show_mastery(
                self.canvas.mastery(StepId(self.panel.step_id)), self._colours()
            )


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setProperty("role", "rule")
    return line


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
