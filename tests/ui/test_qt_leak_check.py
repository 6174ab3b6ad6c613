"""The check that fails a test which leaves a timer or an animation running really finds them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPropertyAnimation, QTimer
from PySide6.QtWidgets import QMainWindow, QWidget


def test_a_running_timer_is_found_until_stopped(qtbot, qt_leaks) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    qtbot.addWidget(owner)
    parented = QTimer(owner)
    parented.setObjectName("parented")
    loose = QTimer()
    loose.setObjectName("loose")
    parented.start(60_000)
    loose.start(60_000)
    found = "\n".join(qt_leaks.running())
    assert "QTimer 'parented' (60000 ms)" in found
    assert "QTimer 'loose' (60000 ms)" in found
    assert "test_qt_leak_check.py" in found  # where it was started
    parented.stop()
    loose.stop()
    assert qt_leaks.running() == []


def test_a_running_animation_is_found_until_stopped(qtbot, qt_leaks) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    animation = QPropertyAnimation(widget, b"windowOpacity")
    animation.setObjectName("fade")
    animation.setDuration(60_000)
    animation.setEndValue(0.5)
    animation.start()
    assert any("QPropertyAnimation 'fade'" in line for line in qt_leaks.running())
    animation.stop()
    assert qt_leaks.running() == []


def test_a_single_shot_is_found_until_it_fires(qtbot, qt_leaks) -> None:  # type: ignore[no-untyped-def]
    fired: list[bool] = []
    QTimer.singleShot(20, lambda: fired.append(True))
    assert any("singleShot" in line for line in qt_leaks.running())
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert qt_leaks.running() == []


def test_a_timer_qt_starts_for_our_widget_is_found(qtbot, qt_leaks) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar().showMessage("saved", 60_000)
    assert any("child of QStatusBar" in line for line in qt_leaks.running())
    shiboken6.delete(window)  # clearMessage() leaves the timer running; deleting stops it
    assert qt_leaks.running() == []
