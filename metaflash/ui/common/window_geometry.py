"""The main window's size on the screen it opens on: it always fits.

The first start opens at 1280x800 where the screen has room, and larger on a large screen
(about four fifths of it); on a small screen, or at 200% scaling (a 1920x1080 screen is
960x540 to Qt then), it takes what the screen offers less room for the window's frame, and
its minimum size shrinks with it. A size saved on another, larger screen is shrunk to fit.
Sizes are in Qt's device-independent pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

#: The size of the first window where the screen has room for it.
PREFERRED = QSize(1280, 800)
#: The smallest the window may be made, where the screen allows it.
MINIMUM = QSize(900, 600)
#: Room left around the window for the window manager's frame and title bar.
FRAME = QSize(16, 48)


def room(available: QSize) -> QSize:
    """The largest window (without its frame) that fits in ``available``."""
    return QSize(
        max(1, available.width() - FRAME.width()), max(1, available.height() - FRAME.height())
    )


def minimum_size(available: QSize) -> QSize:
    """:data:`MINIMUM`, or less on a screen too small for it."""
    fits = room(available)
    return QSize(min(MINIMUM.width(), fits.width()), min(MINIMUM.height(), fits.height()))


def first_size(available: QSize) -> QSize:
    """The first window's size on a screen with ``available`` room."""
    fits = room(available)
    width = max(PREFERRED.width(), round(available.width() * 0.8))
    height = max(PREFERRED.height(), round(available.height() * 0.85))
    return QSize(min(width, fits.width()), min(height, fits.height()))


def fit_window(window: QWidget, *, first: bool) -> None:
    """Size ``window`` for the screen it is on: :func:`first_size` on the first start, or its
    restored size shrunk to fit; centred when it had to change. Sets its minimum size."""
    screen = window.screen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    window.setMinimumSize(minimum_size(area.size()))
    fits = room(area.size())
    if first:
        size = first_size(area.size())
    else:
        current = window.size()
        size = QSize(min(current.width(), fits.width()), min(current.height(), fits.height()))
        if size == current and area.contains(window.frameGeometry()):
            return
    window.resize(size)
    frame = QRect(0, 0, size.width() + FRAME.width(), size.height() + FRAME.height())
    frame.moveCenter(area.center())
    window.move(frame.topLeft())


def fit_dialog(dialog: QWidget, preferred: QSize) -> None:
    """Size ``dialog`` at ``preferred``, or smaller where its screen has less room (a dialog
    taller than a 1024x700 screen would hide its buttons below the screen's edge)."""
    screen = dialog.screen()
    if screen is None:
        dialog.resize(preferred)
        return
    fits = room(screen.availableGeometry().size())
    dialog.resize(min(preferred.width(), fits.width()), min(preferred.height(), fits.height()))


def keep_on_screen(window: QWidget) -> None:
    """Move ``window`` (with room for its frame) inside its screen's available area: a
    dialog centred on its parent may otherwise hang below the screen's edge."""
    screen = window.screen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    frame = QRect(
        window.pos(), QSize(window.width() + FRAME.width(), window.height() + FRAME.height())
    )
    if area.contains(frame):
        return
    left = min(max(frame.left(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    top = min(max(frame.top(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    window.move(left, top)
