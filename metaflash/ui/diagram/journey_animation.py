"""The journey as Qt animations, and the player that plays, pauses, steps and seeks it.

The whole journey is one ``QSequentialAnimationGroup``: for each step, a *travel* group
(``QParallelAnimationGroup``: the cell moving along its leg and whatever happens on the way)
and then a *hold* group (a pause at the step, with what happens there: a colony growing,
platelets gathering, vessels sprouting). Every state of the figure is a time in that group,
so stepping back or forward is a seek, and tests drive it with ``setCurrentTime``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractAnimation,
    QByteArray,
    QEasingCurve,
    QObject,
    QParallelAnimationGroup,
    QPauseAnimation,
    QPointF,
    QPropertyAnimation,
    QSequentialAnimationGroup,
    QTimer,
    Signal,
)

from metaflash.core.diagrams.geometry import clamp
from metaflash.core.diagrams.journey import Leg, Timeline
from metaflash.core.diagrams.layout import DiagramLayout, StepRole
from metaflash.ui.diagram.scene import JourneyCast

POS = QByteArray(b"pos")
OPACITY = QByteArray(b"opacity")
SQUEEZE = QByteArray(b"squeeze")
DYING = QByteArray(b"dying")
GROWTH = QByteArray(b"growth")
BREACH = QByteArray(b"breach")

#: How long one step is shown in the step-by-step slideshow of reduced motion, at speed 1.
REDUCED_MOTION_STEP_MS = 3200


def _animation(
    target: QObject,
    prop: QByteArray,
    duration: int,
    frames: Sequence[tuple[float, object]],
    parent: QParallelAnimationGroup,
    easing: QEasingCurve.Type = QEasingCurve.Type.Linear,
) -> QPropertyAnimation:
    animation = QPropertyAnimation(target, prop)
    animation.setDuration(max(duration, 1))
    for at, value in frames:
        animation.setKeyValueAt(at, value)
    animation.setEasingCurve(easing)
    parent.addAnimation(animation)
    return animation


def build_journey(
    cast: JourneyCast,
    legs: tuple[Leg, ...],
    timeline: Timeline,
    layout: DiagramLayout,
    parent: QObject,
) -> QSequentialAnimationGroup:
    """The journey for ``cast`` at the pace of ``timeline``: children alternate travel, hold."""
    group = QSequentialAnimationGroup(parent)
    group.setObjectName("diagram-journey")
    traveller = cast.traveller
    assert traveller is not None
    centres = {placed.id: placed.centre for placed in layout.steps}
    has_growth_step = any(leg.role is StepRole.GROWTH for leg in legs)
    for leg, timing in zip(legs, timeline.legs, strict=True):
        travel = QParallelAnimationGroup()
        hold = QParallelAnimationGroup()
        target = centres[leg.target]
        if leg.path is None:
            here = QPointF(target.x, target.y)
            _animation(traveller, POS, timing.travel, [(0.0, here), (1.0, here)], travel)
            _animation(traveller, OPACITY, timing.travel, [(0.0, 0.0), (1.0, 1.0)], travel)
        else:
            points = leg.path.even_points(24)
            frames: list[tuple[float, object]] = [
                (i / 23, QPointF(p.x, p.y)) for i, p in enumerate(points)
            ]
            _animation(traveller, POS, timing.travel, frames, travel, QEasingCurve.Type.InOutSine)
            fade = (
                [(0.0, 0.0), (0.18, 1.0), (1.0, 1.0)]
                if not leg.continuous
                else [(0.0, 1.0), (1.0, 1.0)]
            )
            _animation(traveller, OPACITY, timing.travel, fade, travel)
            if leg.squeezes:
                squeeze: list[tuple[float, object]] = [(0.0, 0.0)]
                for t in leg.squeezes:
                    squeeze += [
                        (clamp(t - 0.08, 0.01, 0.98), 0.0),
                        (clamp(t, 0.02, 0.985), 1.0),
                        (clamp(t + 0.08, 0.03, 0.99), 0.0),
                    ]
                squeeze.append((1.0, 0.0))
                _animation(
                    traveller,
                    SQUEEZE,
                    timing.travel,
                    _monotonic(squeeze),
                    travel,
                    QEasingCurve.Type.InOutSine,
                )
        if cast.breach is not None and leg.index == cast.breach_leg:
            at = cast.breach_at
            _animation(
                cast.breach,
                BREACH,
                timing.travel,
                [
                    (0.0, 0.0),
                    (clamp(at - 0.15, 0.01, 0.9), 0.0),
                    (clamp(at, 0.02, 0.95), 1.0),
                    (1.0, 1.0),
                ],
                travel,
            )
        if cast.circulation is not None and leg.index == cast.circulation_leg:
            _circulation(cast, timing.travel, travel)
        if (
            cast.circulation is not None
            and cast.circulation_leg is not None
            and leg.index == cast.circulation_leg + 1
        ):
            for platelet in cast.platelets:
                _animation(
                    platelet, OPACITY, timing.travel, [(0.0, 1.0), (0.5, 0.0), (1.0, 0.0)], travel
                )
        hold.addAnimation(QPauseAnimation(timing.hold))
        _at_step(cast, leg, timing.hold, hold, has_growth_step)
        group.addAnimation(travel)
        group.addAnimation(hold)
    return group


def _monotonic(frames: list[tuple[float, object]]) -> list[tuple[float, object]]:
    """Key frames with strictly increasing times (overlapping squeezes merge)."""
    result: list[tuple[float, object]] = []
    for at, value in sorted(frames, key=lambda f: f[0]):
        if result and at <= result[-1][0]:
            continue
        result.append((at, value))
    return result


def _circulation(cast: JourneyCast, duration: int, group: QParallelAnimationGroup) -> None:
    """Immune cells reach the other cancer cells, which die; red cells drift along."""
    scene_cast = cast.circulation
    assert scene_cast is not None
    for companion, mover in zip(cast.companions, scene_cast.companions, strict=True):
        start, end = QPointF(mover.start.x, mover.start.y), QPointF(mover.end.x, mover.end.y)
        _animation(
            companion,
            POS,
            duration,
            [(0.0, start), (0.55, end), (1.0, end)],
            group,
            QEasingCurve.Type.OutSine,
        )
        _animation(
            companion, OPACITY, duration, [(0.0, 0.0), (0.1, 1.0), (0.8, 1.0), (1.0, 0.0)], group
        )
        _animation(
            companion, DYING, duration, [(0.0, 0.0), (0.58, 0.0), (0.92, 1.0), (1.0, 1.0)], group
        )
    for attacker, mover in zip(cast.attackers, scene_cast.attackers, strict=True):
        start, end = QPointF(mover.start.x, mover.start.y), QPointF(mover.end.x, mover.end.y)
        _animation(
            attacker,
            POS,
            duration,
            [(0.0, start), (0.2, start), (0.6, end), (1.0, end)],
            group,
            QEasingCurve.Type.InOutSine,
        )
    for red, mover in zip(cast.red_cells, scene_cast.red_cells, strict=True):
        start, end = QPointF(mover.start.x, mover.start.y), QPointF(mover.end.x, mover.end.y)
        _animation(red, POS, duration, [(0.0, start), (1.0, end)], group)


def _at_step(
    cast: JourneyCast, leg: Leg, duration: int, hold: QParallelAnimationGroup, has_growth_step: bool
) -> None:
    """What happens while the cell rests at a step, by the step's role. Every animation
    lasts the whole hold (a parallel group would warn when seeking back into a child that
    ended early), reaching its end value at 80% of it."""
    if (colony := cast.colonies.get(leg.target)) is not None:
        _animation(
            colony,
            GROWTH,
            duration,
            [(0.0, 0.0), (0.8, 1.0), (1.0, 1.0)],
            hold,
            QEasingCurve.Type.OutSine,
        )
    if leg.role is StepRole.GROWTH or (leg.role is StepRole.TERMINAL and not has_growth_step):
        for sprout in cast.sprouts:
            _animation(
                sprout,
                GROWTH,
                duration,
                [(0.0, 0.0), (0.8, 1.0), (1.0, 1.0)],
                hold,
                QEasingCurve.Type.InOutSine,
            )
    if cast.circulation is not None and leg.index == cast.circulation_leg:
        for platelet, start, end in zip(
            cast.platelets, cast.circulation.platelets, cast.circulation.cloak, strict=True
        ):
            near, far = QPointF(end.x, end.y), QPointF(start.x, start.y)
            _animation(
                platelet,
                POS,
                duration,
                [(0.0, far), (0.7, near), (1.0, near)],
                hold,
                QEasingCurve.Type.OutSine,
            )
            _animation(platelet, OPACITY, duration, [(0.0, 0.0), (0.25, 1.0), (1.0, 1.0)], hold)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a journey was when it was replaced."""

    time: int
    timeline: Timeline
    playing: bool
    stop_after: int | None


class JourneyPlayer(QObject):
    """Plays the journey: continuously, step by step, or (with reduced motion) as a series
    of still pictures. Pauses whenever it is suspended (the view hidden or minimised).

    "At step *i*" means the figure as it is once everything at step *i* has happened (the
    end of its hold); that is where stepping and step mode stop.
    """

    stepReached = Signal(int)  # the journey index the story has reached
    playingChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._group: QSequentialAnimationGroup | None = None
        self._timeline: Timeline | None = None
        self._step = 0
        self._playing = False
        self._step_mode = False
        self._reduce_motion = False
        self._suspended = False
        self._stop_after: int | None = None
        self._seeking = False
        self._slideshow = QTimer(self)
        self._slideshow.setObjectName("diagram-reduced-motion-slideshow")
        self._slideshow.timeout.connect(self._next_slide)
        # Stopping at a step is noticed while the group is updating itself, where seeking
        # is not safe: the group is paused there and put exactly at the step just after.
        self._settle_at: int | None = None
        self._settler = QTimer(self)
        self._settler.setObjectName("diagram-settle-at-step")
        self._settler.setSingleShot(True)
        self._settler.setInterval(0)
        self._settler.timeout.connect(self._settle)

    # --- state ---------------------------------------------------------------------------

    @property
    def group(self) -> QSequentialAnimationGroup | None:
        return self._group

    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    @property
    def step(self) -> int:
        """The last step the story has reached."""
        return self._step

    @property
    def step_count(self) -> int:
        return len(self._timeline.legs) if self._timeline else 0

    def is_playing(self) -> bool:
        return self._playing

    def is_animating(self) -> bool:
        """True while anything moves or the slideshow timer runs (what costs CPU)."""
        running = (
            self._group is not None and self._group.state() == QAbstractAnimation.State.Running
        )
        return running or self._slideshow.isActive()

    @property
    def step_mode(self) -> bool:
        return self._step_mode

    def set_step_mode(self, on: bool) -> None:
        self._step_mode = on
        if on and self._playing and self._stop_after is None:
            self._stop_after = self._next_target()

    @property
    def reduce_motion(self) -> bool:
        return self._reduce_motion

    def set_reduce_motion(self, on: bool) -> None:
        if on == self._reduce_motion:
            return
        playing = self._playing
        self._halt()
        self._reduce_motion = on
        if self._group is not None:
            self.seek_step(self._step)
        if playing:
            self._start_playing(quiet=True)

    @property
    def suspended(self) -> bool:
        return self._suspended

    # --- building ------------------------------------------------------------------------

    def detach(self) -> Place | None:
        """Let go of the current journey (its items are about to be replaced), remembering
        where the story was and whether it was playing."""
        if self._group is None or self._timeline is None:
            return None
        self._settle()
        place = Place(self._group.currentTime(), self._timeline, self._playing, self._stop_after)
        self._halt()
        self._drop_group()
        self._group = None
        return place

    def load(
        self, group: QSequentialAnimationGroup, timeline: Timeline, place: Place | None = None
    ) -> None:
        """Play ``group`` from now on: at ``place`` (from :meth:`detach`), else with the
        whole story told."""
        if self._group is not None:
            self._halt()
            self._drop_group()
        self._group, self._timeline = group, timeline
        group.currentAnimationChanged.connect(self._on_current_changed)
        group.finished.connect(self._on_finished)
        if place is not None and place.timeline.legs:
            time = place.timeline.equivalent_time(place.time, timeline)
            self._seek(time)
            self._step = max(0, min(timeline.step_at(time), len(timeline.legs) - 1))
            self._stop_after = place.stop_after
            if place.playing:
                self._start_playing(quiet=True)
        else:
            self._seek(timeline.total)
            self._step = len(timeline.legs) - 1
        self.stepReached.emit(self._step)

    def clear(self) -> None:
        self._settler.stop()
        self._settle_at = None
        self._halt()
        self._drop_group()
        self._group = None
        self._timeline = None

    def _drop_group(self) -> None:
        if self._group is None:
            return
        self._group.currentAnimationChanged.disconnect(self._on_current_changed)
        self._group.finished.disconnect(self._on_finished)
        self._group.stop()
        self._group.deleteLater()

    # --- playing -------------------------------------------------------------------------

    def play(self) -> None:
        if self._group is None or self._playing:
            return
        index, at_rest = self._position()
        if at_rest and index >= self.step_count - 1:
            self.seek_step(0, settle=False)
        self._stop_after = self._next_target() if self._step_mode else None
        self._start_playing()

    def pause(self) -> None:
        if not self._playing:
            return
        self._halt()
        self.playingChanged.emit(False)

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def restart(self) -> None:
        if self._group is None:
            return
        was = self._playing
        self._halt()
        self.seek_step(0, settle=False)
        self._stop_after = self._next_target() if self._step_mode else None
        self._start_playing(quiet=was)

    def step_forward(self) -> None:
        """Go on to the next step: moving there (or, with reduced motion, straight there)."""
        if self._group is None:
            return
        target = self._next_target()
        if target is None:
            return
        was = self._playing
        self._halt()
        if self._reduce_motion:
            self.seek_step(target)
            if was:
                self.playingChanged.emit(False)
            return
        self._stop_after = target
        self._start_playing(quiet=was)

    def step_back(self) -> None:
        """Back to the step before the one reached (always without movement)."""
        if self._group is None:
            return
        was = self._playing
        self._halt()
        index, _ = self._position()
        self.seek_step(max(index - 1, 0))
        if was:
            self.playingChanged.emit(False)

    def seek_step(self, index: int, *, settle: bool = True) -> None:
        """Show the figure as it is at step ``index``: after what happens there
        (``settle``), or just as the cell sets off for it."""
        self._settler.stop()
        self._settle_at = None
        if self._timeline is None:
            return
        index = int(clamp(index, 0, self.step_count - 1))
        leg = self._timeline.legs[index]
        self._seek(leg.end - 1 if settle else leg.start)
        self._step = index
        self.stepReached.emit(index)

    def suspend(self) -> None:
        """Stop spending CPU (hidden or minimised); :meth:`resume` carries on."""
        if self._suspended:
            return
        self._suspended = True
        self._settle()
        if self._group is not None and self._group.state() == QAbstractAnimation.State.Running:
            self._group.pause()
        self._slideshow.stop()

    def resume(self) -> None:
        if not self._suspended:
            return
        self._suspended = False
        if self._playing:
            self._start_playing(quiet=True)

    # --- internals -----------------------------------------------------------------------

    def _position(self) -> tuple[int, bool]:
        """The leg the group is in, and whether the cell is resting at its step."""
        if self._settle_at is not None:
            return (self._settle_at, True)
        if self._group is None or self._timeline is None or not self._timeline.legs:
            return (0, True)
        if (
            self._group.state() == QAbstractAnimation.State.Stopped
            and self._group.currentTime() > 0
        ):
            return (self.step_count - 1, True)
        time = self._group.currentTime()
        index = self._timeline.leg_at(time)
        return (index, time >= self._timeline.legs[index].arrival)

    def _next_target(self) -> int | None:
        index, at_rest = self._position()
        target = index + 1 if at_rest else index
        return target if target < self.step_count else None

    def _start_playing(self, quiet: bool = False) -> None:
        assert self._group is not None and self._timeline is not None
        was = self._playing
        self._playing = True
        if not self._suspended:
            if self._reduce_motion:
                interval = (
                    self._timeline.legs[0].hold * 2
                    if self._timeline.legs
                    else REDUCED_MOTION_STEP_MS
                )
                self._slideshow.start(max(interval, 200))
            elif self._group.state() == QAbstractAnimation.State.Paused:
                self._group.resume()
            elif self._group.state() == QAbstractAnimation.State.Stopped:
                self._group.start()
        if not was and not quiet:
            self.playingChanged.emit(True)

    def _halt(self) -> None:
        self._settle()
        self._slideshow.stop()
        if self._group is not None and self._group.state() == QAbstractAnimation.State.Running:
            self._group.pause()
        self._playing = False

    def _seek(self, time_ms: int) -> None:
        group = self._group
        if group is None or self._timeline is None:
            return
        self._seeking = True
        try:
            if group.state() == QAbstractAnimation.State.Stopped:
                group.start()
                group.pause()
            elif group.state() == QAbstractAnimation.State.Running:
                group.pause()
            group.setCurrentTime(int(clamp(time_ms, 0, max(self._timeline.total - 1, 0))))
        finally:
            self._seeking = False

    def _next_slide(self) -> None:
        target = self._next_target()
        if target is None:
            self.pause()
            return
        self.seek_step(target)
        if self._step_mode or target >= self.step_count - 1:
            self.pause()

    def _on_current_changed(self, animation: QAbstractAnimation) -> None:
        if self._seeking or self._group is None or self._timeline is None:
            return
        index = self._group.indexOfAnimation(animation)
        if index < 0:
            return
        leg, is_hold = divmod(index, 2)
        if is_hold:
            self._step = leg
            self.stepReached.emit(leg)
            return
        finished_step = leg - 1
        if (
            finished_step >= 0
            and self._stop_after is not None
            and finished_step >= self._stop_after
        ):
            self._stop_after = None
            self._group.pause()
            self._playing = False
            self._step = finished_step
            self._settle_at = finished_step
            self._settler.start()
            self.playingChanged.emit(False)

    def _settle(self) -> None:
        """Put the paused group exactly at the step it stopped at."""
        self._settler.stop()
        index, self._settle_at = self._settle_at, None
        if index is not None and self._timeline is not None:
            self._seek(self._timeline.legs[index].end - 1)

    def _on_finished(self) -> None:
        self._slideshow.stop()
        self._stop_after = None
        self._step = self.step_count - 1
        if self._playing:
            self._playing = False
            self.playingChanged.emit(False)
