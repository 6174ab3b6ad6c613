"""Set-up for the Qt tests: an offscreen QApplication, no leaked timers or animations, and the
application's look (palette, stylesheet, font) put back after every test."""

from __future__ import annotations

import os
import traceback
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before the first QApplication, whatever the desktop

import shiboken6
from PySide6.QtCore import QAbstractAnimation, QObject, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig

from metaflash.core.util import paths
from metaflash.ui.shell.main_window import MainWindow


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["metaflash-tests", "-platform", "offscreen"]


def _where() -> str:
    """The test-side line that started a timer or animation, for the failure message."""
    frames = [frame for frame in traceback.extract_stack()[:-2] if "conftest" not in frame.filename]
    frame = frames[-1] if frames else None
    return f"{frame.filename}:{frame.lineno}" if frame else "<unknown>"


def _inside_qt_private_widget(obj: QObject) -> bool:
    """Whether ``obj`` belongs to one of Qt's own private helpers (such as the fading clear
    button of a QLineEdit), which runs its animations by itself: PySide6 shows such an
    object as its public base class, so its Qt class name differs from its Python type's."""
    owner = obj.parent()
    return owner is not None and owner.metaObject().className() != type(owner).__name__


@dataclass
class QtLeakTracker:
    """Remembers the timers, animations and single shots a test starts, and finds those
    still running, also by walking every widget's and the application's children (which
    finds those that Qt started for our widgets, such as a status bar message's timer)."""

    app: QApplication
    started: weakref.WeakKeyDictionary[QObject, str] = field(
        default_factory=weakref.WeakKeyDictionary
    )
    pending_single_shots: dict[int, str] = field(default_factory=dict)
    _next_token: int = 0

    def remember(self, obj: QObject) -> None:
        self.started[obj] = _where()

    def single_shot_started(self) -> int:
        self._next_token += 1
        self.pending_single_shots[self._next_token] = _where()
        return self._next_token

    def running(self) -> list[str]:
        """A line for every timer or animation that is still running."""
        candidates: dict[int, tuple[QObject, str]] = {}
        for obj, where in list(self.started.items()):
            candidates[id(obj)] = (obj, where)
        owners: list[QObject] = [self.app, *self.app.allWidgets()]
        for owner in owners:
            if not shiboken6.isValid(owner):
                continue
            for kind in (QTimer, QAbstractAnimation):
                for child in owner.findChildren(kind):
                    if not _inside_qt_private_widget(child):
                        where = f"child of {type(child.parent()).__name__}"
                        candidates.setdefault(id(child), (child, where))
        found: list[str] = []
        for obj, where in candidates.values():
            if not shiboken6.isValid(obj):
                continue
            if isinstance(obj, QTimer) and obj.isActive():
                found.append(
                    f"QTimer {obj.objectName()!r} ({obj.interval()} ms), started at {where}"
                )
            elif (
                isinstance(obj, QAbstractAnimation)
                and obj.state() == QAbstractAnimation.State.Running
            ):
                found.append(f"{type(obj).__name__} {obj.objectName()!r}, started at {where}")
        found.extend(
            f"QTimer.singleShot that has not fired, started at {where}"
            for where in self.pending_single_shots.values()
        )
        return found


@pytest.fixture(autouse=True)
def qt_leaks(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QtLeakTracker]:
    """Fail a test that leaves a QTimer, a QTimer.singleShot or a QAbstractAnimation running."""
    tracker = QtLeakTracker(qapp)
    timer_start = QTimer.start
    animation_start = QAbstractAnimation.start
    single_shot = QTimer.singleShot

    def start_timer(self: QTimer, *args: Any) -> None:
        tracker.remember(self)
        timer_start(self, *args)

    def start_animation(self: QAbstractAnimation, *args: Any) -> None:
        tracker.remember(self)
        animation_start(self, *args)

    def tracked_single_shot(msec: int, *args: Any) -> None:
        *context, functor = args
        if not callable(functor):  # a SLOT() string: cannot be tracked, pass it on
            single_shot(msec, *args)
            return
        token = tracker.single_shot_started()

        def fire(call: Callable[[], object] = functor) -> None:
            tracker.pending_single_shots.pop(token, None)
            call()

        single_shot(msec, *context, fire)

    monkeypatch.setattr(QTimer, "start", start_timer)
    monkeypatch.setattr(QAbstractAnimation, "start", start_animation)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(tracked_single_shot))
    yield tracker
    leaks = tracker.running()
    if leaks:
        pytest.fail(
            "the test left timers or animations running (stop them when their view closes):\n  "
            + "\n  ".join(leaks),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def restore_app_look(qapp: QApplication) -> Iterator[None]:
    """Themes and ``run_app`` restyle and rename the whole application: put it back."""
    palette, stylesheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    name, icon = qapp.applicationName(), qapp.windowIcon()
    yield
    qapp.setStyleSheet(stylesheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setApplicationName(name)
    qapp.setWindowIcon(icon)


@pytest.fixture
def bundled_rig(tmp_path: Path) -> WindowRig:
    """Windows on the bundled decks, in a data folder of the test's own."""
    return WindowRig(tmp_path / "data", paths.bundled_decks_dir(), FakeClock(), RecordingOpener())


@pytest.fixture
def bundled_window(qtbot: QtBot, bundled_rig: WindowRig) -> Iterator[MainWindow]:
    with bundled_rig.window(qtbot) as main:
        yield main
