"""The compact pathway diagram beside the review card (the diagram package's
:class:`~metaflash.ui.diagram.CompactDiagramView`), doing what
:func:`metaflash.core.diagrams.cues.diagram_cue` says for each prompt: highlight the card's
step, show the next step of a sequence with its answer, or take a diagram card's answer as
a pick on the figure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from metaflash.core.decks.model import Diagram, Prompt, StepId
from metaflash.core.diagrams.cues import diagram_cue
from metaflash.core.stats.mastery import StepMastery

if TYPE_CHECKING:  # imported when a figure is first shown: the window starts without it
    from metaflash.ui.diagram import CompactDiagramView

#: The width of the figure beside the card.
DIAGRAM_WIDTH = 320


class ReviewDiagram(QStackedWidget):
    """One compact view per diagram (built on first use); hidden for a deck without one."""

    picked = Signal(str, bool)  # the step the student picked, and whether it is the answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDiagram")
        self.setFixedWidth(DIAGRAM_WIDTH)
        self.hide()
        self._views: dict[str, CompactDiagramView] = {}
        self._mastery: Mapping[StepId, StepMastery] = {}

    def set_mastery(self, mastery: Mapping[StepId, StepMastery]) -> None:
        self._mastery = mastery
        for view in self._views.values():
            view.set_mastery(mastery)

    def _view_for(self, diagram: Diagram) -> CompactDiagramView:
        from metaflash.ui.diagram import CompactDiagramView

        view = self._views.get(diagram.id)
        if view is None or view.diagram != diagram:
            view = CompactDiagramView(diagram, self._mastery)
            view.setAccessibleName(f"Pathway diagram: {diagram.title}")
            view.stepPicked.connect(self.picked)
            old = self._views.get(diagram.id)
            if old is not None:
                self.removeWidget(old)
                old.deleteLater()
            self._views[diagram.id] = view
            self.addWidget(view)
        return view

    @property
    def view(self) -> CompactDiagramView | None:
        """The figure shown now (None when hidden)."""
        current = self.currentWidget()
        if self.isHidden():
            return None
        return next((view for view in self._views.values() if view is current), None)

    def show_question(self, prompt: Prompt | None, diagram: Diagram | None) -> bool:
        """Show ``prompt``'s cue; True when the student is asked to pick a step."""
        if prompt is None or diagram is None:
            self.hide()
            return False
        view = self._view_for(diagram)
        self.setCurrentWidget(view)
        self.show()
        cue = diagram_cue(prompt, diagram)
        view.cancel_pick()
        view.highlight_step(cue.asking)
        if cue.pick is not None and diagram.step(cue.pick) is not None:
            view.pick_mode(cue.pick)
            return True
        return False

    def show_answer(self, prompt: Prompt) -> None:
        """The answer is shown: the cue's answer step (a pick made stays marked)."""
        view = self.view
        if view is None:
            return
        if view.is_picking():
            view.cancel_pick()
        view.highlight_step(diagram_cue(prompt).answered)  # the answer: any step may show

    def is_picking(self) -> bool:
        view = self.view
        return view is not None and view.is_picking()

    def pick_focused(self) -> bool:
        """Enter while a step of the figure has the focus: pick that step."""
        view = self.view
        if view is None or not view.hasFocus() or not view.is_picking():
            return False
        step = view.focused_step()
        if step is None:
            return False
        view.activate_step(step)
        return True

    def highlighted_step(self) -> StepId | None:
        view = self.view
        return None if view is None else view.highlighted_step()
