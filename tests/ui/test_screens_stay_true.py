"""Every screen follows the collection: mastery after an answer, the diagram's caption and
panel on one step."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from metaflash.core.decks.model import StepId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.ui.diagram.view import DiagramView
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName

STEP = StepId("intravasation")


@pytest.fixture
def window(bundled_window: MainWindow) -> MainWindow:
    return bundled_window


def diagram_of(window: MainWindow) -> DiagramView:
    assert window.show_view(ViewName.DIAGRAM) is ViewName.DIAGRAM
    view = window.view(ViewName.DIAGRAM)
    assert isinstance(view, DiagramView)
    return view


def test_an_answer_shows_in_the_diagram_and_its_panel_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    diagram = diagram_of(window)
    diagram.open_step(STEP)
    before = diagram.canvas.mastery(STEP)
    assert before.studied == 0
    window.study.study_step(STEP)
    review = window.review
    assert review.session is not None and review.session.current is not None
    review.reveal()
    review.grade(Rating.AGAIN)
    qtbot.waitUntil(lambda: diagram.canvas.mastery(STEP).studied == 1)  # the counts' refresh
    after = diagram.canvas.mastery(STEP)
    assert (after.forgotten, after.level) == (1, "weak")
    assert diagram.panel.mastery.text() == f"Weak: {after.label()}"
    review.undo()
    qtbot.waitUntil(lambda: diagram.canvas.mastery(STEP).studied == 0)
    assert diagram.panel.mastery.text().startswith("Not started")


def test_the_caption_and_the_panel_tell_the_same_step(window: MainWindow) -> None:
    diagram = diagram_of(window)
    label = diagram.diagram.step(STEP).label  # type: ignore[union-attr]
    diagram.open_step(STEP)
    assert diagram.panel.step_id == STEP
    assert label in diagram.caption.text()
    following = diagram.canvas.journey[diagram.canvas.journey.index(STEP) + 1]
    diagram.canvas.player.seek_step(diagram.canvas.journey.index(following))  # as Next ends
    assert diagram.panel.step_id == following
    assert diagram.diagram.step(following).label in diagram.caption.text()  # type: ignore[union-attr]
