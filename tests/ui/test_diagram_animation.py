"""The journey animation, driven by setting the animation group's time (no sleeping): what
the figure shows at each moment, playing, stepping, speed, reduced motion, and nothing
running while the view is hidden or minimised."""

from __future__ import annotations

import sys

import pytest
from diagram_samples import cascade, small_cascade, wound_healing
from PySide6.QtCore import QAbstractAnimation, QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from metaflash.core.decks.model import Diagram, StepId
from metaflash.core.diagrams.journey import Leg, Timeline, journey_legs
from metaflash.ui.diagram import DiagramView
from metaflash.ui.diagram.journey_animation import JourneyPlayer
from metaflash.ui.diagram.scene import JourneyCast

RUNNING = QAbstractAnimation.State.Running


def make_view(qtbot: QtBot, diagram: Diagram, width: int = 1280, height: int = 800) -> DiagramView:
    view = DiagramView(diagram)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def view(qtbot: QtBot) -> DiagramView:
    return make_view(qtbot, cascade())


def parts(view: DiagramView) -> tuple[JourneyPlayer, Timeline, JourneyCast, tuple[Leg, ...]]:
    canvas = view.canvas
    player = canvas.player
    assert (
        player.timeline is not None
        and canvas.diagram_scene.cast is not None
        and canvas.layout_ is not None
    )
    return (
        player,
        player.timeline,
        canvas.diagram_scene.cast,
        journey_legs(canvas.diagram, canvas.layout_),
    )


def at(view: DiagramView, time_ms: int) -> None:
    """Put the journey at ``time_ms``, as the animation timer would."""
    group = view.canvas.player.group
    assert group is not None
    group.setCurrentTime(time_ms)


def index_of(view: DiagramView, step_id: str) -> int:
    return view.canvas.journey.index(StepId(step_id))


def centre(view: DiagramView, step_id: str) -> QPointF:
    assert view.canvas.layout_ is not None
    c = view.canvas.layout_.placed(StepId(step_id)).centre
    return QPointF(c.x, c.y)


def near(a: QPointF, b: QPointF, tolerance: float = 1.5) -> bool:
    return (a - b).manhattanLength() <= tolerance


def test_the_view_opens_on_the_whole_story_told(view: DiagramView) -> None:
    player, timeline, cast, _ = parts(view)
    assert player.group is not None and player.group.state() != RUNNING
    assert player.step == len(timeline.legs) - 1 and not player.is_playing()
    assert all(colony.growth == 1.0 for colony in cast.colonies.values())
    assert cast.sprouts and all(sprout.growth == 1.0 for sprout in cast.sprouts)
    assert all(companion.opacity() == 0.0 for companion in cast.companions)  # died in the blood
    assert view.caption.text().startswith(f"<b>{len(timeline.legs)}. Bone</b>")


def test_the_cell_travels_each_leg_to_its_step(view: DiagramView) -> None:
    _player, timeline, cast, legs = parts(view)
    for leg, timing in zip(legs, timeline.legs):
        at(view, timing.arrival + 5)
        assert near(cast.traveller.pos(), centre(view, leg.target)), leg.target
        assert cast.traveller.opacity() == 1.0
        if leg.path is not None:
            at(view, timing.start + timing.travel // 2)
            midway = cast.traveller.pos()
            assert not near(midway, centre(view, leg.target), 5)
            points = leg.path.polyline(64)
            assert min(abs(p.x - midway.x()) + abs(p.y - midway.y()) for p in points) < 4


def test_a_branch_starts_a_new_cell_at_the_branch_point(view: DiagramView) -> None:
    _player, timeline, cast, legs = parts(view)
    survival = index_of(view, "circulation-survival")
    assert not legs[survival].continuous
    at(view, timeline.legs[survival].start + 1)
    assert cast.traveller.opacity() < 0.1  # faded out, back at the branch point
    assert near(cast.traveller.pos(), centre(view, "intravasation"), 3)


def test_the_cell_squeezes_through_the_basement_membrane(view: DiagramView) -> None:
    _player, timeline, cast, legs = parts(view)
    invasion = index_of(view, "local-invasion")
    _leg, timing = legs[invasion], timeline.legs[invasion]
    assert cast.breach is not None and cast.breach_leg == invasion
    at(view, timing.start + 1)
    assert cast.breach.breach == 0.0 and cast.traveller.squeeze == 0.0
    squeezes_at = []
    for k in range(1, 100):
        at(view, timing.start + timing.travel * k // 100)
        squeezes_at.append(cast.traveller.squeeze)
    assert max(squeezes_at) > 0.8
    at(view, timing.arrival + 1)
    assert cast.breach.breach == 1.0 and cast.traveller.squeeze == 0.0


def test_immune_cells_kill_the_others_and_platelets_cloak_the_survivor(view: DiagramView) -> None:
    _player, timeline, cast, _legs = parts(view)
    survival = index_of(view, "circulation-survival")
    timing = timeline.legs[survival]
    assert cast.circulation_leg == survival and len(cast.companions) == 3
    at(view, timing.start + timing.travel // 4)
    assert all(c.opacity() == 1.0 and c.dying == 0.0 for c in cast.companions)
    assert all(p.opacity() == 0.0 for p in cast.platelets)
    at(view, timing.arrival - 1)
    assert all(c.dying == pytest.approx(1.0, abs=0.01) for c in cast.companions)
    assert cast.circulation is not None
    for attacker, mover in zip(cast.attackers, cast.circulation.attackers):
        assert near(attacker.pos(), QPointF(mover.end.x, mover.end.y))
    at(view, timing.end - 1)
    assert all(p.opacity() == 1.0 for p in cast.platelets)
    for platelet, spot in zip(cast.platelets, cast.circulation.cloak):
        assert near(platelet.pos(), QPointF(spot.x, spot.y), 0.5)
        assert platelet.parentItem() is cast.traveller  # they travel with the survivor
    following = timeline.legs[survival + 1]
    at(view, following.arrival)
    assert all(p.opacity() == 0.0 for p in cast.platelets)


def test_the_secondary_tumour_grows_then_new_vessels_sprout_at_angiogenesis(
    view: DiagramView,
) -> None:
    _player, timeline, cast, _ = parts(view)
    tumour = index_of(view, "secondary-tumour")
    growth = index_of(view, "angiogenesis")
    assert growth == tumour + 1  # the tumour exists before it needs a blood supply
    colony = cast.colonies[StepId("secondary-tumour")]
    at(view, timeline.legs[tumour].arrival + 1)
    assert colony.growth < 0.05 and colony.visible_cells() <= 1
    assert all(sprout.growth == 0.0 for sprout in cast.sprouts)
    at(view, timeline.legs[tumour].end - 1)
    assert colony.visible_cells() == colony.cell_count
    timing = timeline.legs[growth]
    at(view, timing.arrival + 1)
    assert all(sprout.growth < 0.05 for sprout in cast.sprouts)
    at(view, timing.arrival + timing.hold // 3)
    assert all(0.05 < sprout.growth < 1.0 for sprout in cast.sprouts)
    at(view, timing.end - 1)
    assert all(sprout.growth == 1.0 for sprout in cast.sprouts)
    assert colony.visible_cells() == colony.cell_count  # the tumour stays


def test_the_step_reached_is_marked_on_the_figure(view: DiagramView) -> None:
    player, _timeline, _cast, _legs = parts(view)
    markers = view.canvas.markers()
    player.seek_step(4)
    current = [sid for sid, marker in markers.items() if marker.current]
    assert current == [view.canvas.journey[4]]
    assert view.caption.text().startswith(
        f"<b>5. {view.diagram.step(view.canvas.journey[4]).label}</b>"
    )


def test_stepping_back_and_forward(view: DiagramView, qtbot: QtBot) -> None:
    player, timeline, _cast, _ = parts(view)
    player.seek_step(3)
    assert player.step == 3 and player.group.currentTime() == timeline.legs[3].end - 1
    with qtbot.waitSignal(player.playingChanged) as started:
        view.step_forward()
    assert started.args == [True] and player.group.state() == RUNNING
    with qtbot.waitSignal(player.playingChanged) as stopped:
        at(view, timeline.legs[4].end + 3)  # the next leg begins: the step is done
    assert stopped.args == [False] and player.group.state() != RUNNING
    qtbot.waitUntil(lambda: player.group.currentTime() == timeline.legs[4].end - 1)
    assert player.step == 4 and view.controls.position_label.text().endswith(
        view.diagram.step(view.canvas.journey[4]).label
    )
    view.step_back()
    assert player.step == 3 and player.group.currentTime() == timeline.legs[3].end - 1
    assert player.group.state() != RUNNING


def test_step_mode_pauses_at_every_step(view: DiagramView, qtbot: QtBot) -> None:
    player, timeline, _, _ = parts(view)
    view.set_step_mode(True)
    player.seek_step(1)
    reached: list[int] = []
    view.canvas.player.stepReached.connect(reached.append)
    view.play()
    assert player.is_playing() and player.group.state() == RUNNING
    at(view, timeline.legs[2].arrival + 10)
    assert reached[-1] == 2 and player.is_playing()  # arrived: what happens there plays out
    at(view, timeline.legs[2].end + 2)
    assert not player.is_playing()
    qtbot.waitUntil(lambda: player.group.currentTime() == timeline.legs[2].end - 1)
    view.play()
    at(view, timeline.legs[3].end + 2)
    assert not player.is_playing() and player.step == 3
    assert "Intravasation" in view.caption.text()


def test_play_from_the_end_starts_again_and_restart(view: DiagramView, qtbot: QtBot) -> None:
    player, timeline, _, _ = parts(view)
    view.play()
    assert player.group.state() == RUNNING and player.group.currentTime() < 50
    assert view.controls.play_button.text() == "Pause"
    view.pause()
    assert player.group.state() != RUNNING and view.controls.play_button.text() == "Play"
    player.seek_step(7)
    view.restart()
    assert player.group.state() == RUNNING and player.group.currentTime() < 50
    at(view, timeline.total - 1)
    at(view, timeline.total)  # the end: the group finishes by itself
    assert not player.is_playing() and player.step == len(timeline.legs) - 1


def test_speed_keeps_the_place_in_the_story(view: DiagramView) -> None:
    player, timeline, _, _ = parts(view)
    player.seek_step(6)
    view.play()
    view.set_speed(2.0)
    faster = player.timeline
    assert faster is not None and faster.total == pytest.approx(timeline.total / 2, rel=0.01)
    assert faster.step_at(player.group.currentTime()) == 6
    assert player.is_playing() and player.group.state() == RUNNING
    assert view.controls.speed_box.currentText() == "2×"
    view.pause()


def test_reduce_motion_changes_steps_without_movement(view: DiagramView) -> None:
    player, _timeline, cast, _ = parts(view)
    view.set_reduce_motion(True)
    assert view.controls.reduce_motion_button.isChecked() and view.reduce_motion()
    player.seek_step(2)
    view.step_forward()
    assert player.step == 3 and player.group.state() != RUNNING  # a jump, not a movement
    assert near(cast.traveller.pos(), centre(view, "intravasation"))
    view.play()
    assert player.is_playing() and player.group.state() != RUNNING
    assert player.is_animating()  # only the slideshow timer
    player._slideshow.timeout.emit()  # the timer fires
    assert player.step == 4 and player.group.state() != RUNNING
    view.step_back()
    assert player.step == 3 and not player.is_playing() and not player.is_animating()


def test_nothing_runs_while_hidden_or_minimised(view: DiagramView, qtbot: QtBot) -> None:
    player, _, _, _ = parts(view)
    view.play()
    assert player.group.state() == RUNNING
    view.hide()
    assert player.group.state() != RUNNING and player.is_playing() and not player.is_animating()
    view.show()
    qtbot.waitExposed(view)
    assert player.group.state() == RUNNING
    view.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: player.suspended)
    assert player.group.state() != RUNNING
    view.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.waitUntil(lambda: player.group.state() == RUNNING)
    view.pause()


def test_a_view_inside_a_window_stops_when_the_window_is_minimised(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view = DiagramView(cascade(), parent=window)
    window.resize(1000, 700)
    view.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    view.play()
    window.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: view.canvas.player.suspended)
    assert not view.canvas.player.is_animating()
    window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.waitUntil(lambda: view.canvas.player.is_animating())
    window.close()
    assert not view.canvas.player.is_animating()


def test_resizing_while_playing_keeps_playing_at_the_same_step(
    view: DiagramView, qtbot: QtBot
) -> None:
    player, _, _, _ = parts(view)
    player.seek_step(8)
    view.play()
    view.resize(1000, 640)
    qtbot.waitUntil(lambda: view.canvas._layout_size == view.canvas.layout_size())
    assert player.is_playing() and player.group.state() == RUNNING
    assert player.timeline is not None and player.timeline.step_at(player.group.currentTime()) >= 8
    view.pause()


def test_keyboard_shortcuts_drive_the_playback(view: DiagramView, qtbot: QtBot) -> None:
    player, _, _, _ = parts(view)
    view.canvas.setFocus()
    qtbot.waitUntil(view.canvas.hasFocus)
    qtbot.keyClick(view.canvas, Qt.Key.Key_K)
    assert player.is_playing()
    qtbot.keyClick(view.canvas, Qt.Key.Key_K)
    assert not player.is_playing()
    player.seek_step(5)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Comma)
    assert player.step == 4
    qtbot.keyClick(view.canvas, Qt.Key.Key_M)
    assert view.reduce_motion()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Period)
    assert player.step == 5
    qtbot.keyClick(view.canvas, Qt.Key.Key_Plus)
    assert view.controls.speed_box.currentText() == "1.5×"
    for button in (
        view.controls.play_button,
        view.controls.back_button,
        view.controls.forward_button,
        view.controls.restart_button,
    ):
        assert button.accessibleName() and "shortcut" in button.accessibleDescription()


@pytest.mark.parametrize("make", [wound_healing, small_cascade])
def test_another_diagram_animates_with_the_same_code(qtbot: QtBot, make) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, make(), 900, 600)
    player, timeline, cast, legs = parts(view)
    assert len(timeline.legs) == len(view.diagram.steps)
    view.restart()
    assert player.group.state() == RUNNING
    for leg, timing in zip(legs, timeline.legs):
        at(view, timing.arrival + 1)
        assert near(cast.traveller.pos(), centre(view, leg.target))
    view.pause()
    image = view.canvas.grab()
    assert not image.isNull()


def test_frames_repaint_only_around_what_moves(view: DiagramView, qtbot: QtBot) -> None:
    """A moving cell dirties its own small rectangle, not the whole figure."""
    _player, _timeline, cast, _ = parts(view)
    canvas = view.canvas
    assert canvas.viewportUpdateMode() == canvas.ViewportUpdateMode.BoundingRectViewportUpdate
    still = [item for item in canvas.diagram_scene.items() if item not in (cast.traveller,)]
    assert all(
        item.cacheMode() != item.CacheMode.NoCache for item in still if item.parentItem() is None
    )
    rect = cast.traveller.boundingRect()
    assert rect.width() < 60 and rect.height() < 60
    assert canvas.renderHints() & QPainter.RenderHint.Antialiasing


def test_the_qt_bindings_keep_none_alive() -> None:
    """PySide6 6.12.0 on Python 3.11 lost a reference to None on every call of a Qt method
    returning nothing; the figure makes thousands a second and crashed the interpreter."""
    widget = QWidget()
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.setObjectName("x")
    assert sys.getrefcount(None) >= before - 50
