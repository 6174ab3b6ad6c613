"""A desktop without some of Qt's X11 libraries gets the packages to install, not an abort
that blames the wrong library."""

from __future__ import annotations

from metaflash.ui.shell.system_libraries import (
    XCB_LIBRARIES,
    missing_libraries_message,
    missing_xcb_libraries,
    uses_xcb,
)


def test_the_libraries_qt_needs_here_are_all_found() -> None:
    """This machine runs the window tests: the real loader finds every library."""
    assert missing_xcb_libraries() == []


def test_missing_libraries_are_named_with_their_packages() -> None:
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}  # Debian 12 as the issue found it
    missing = missing_xcb_libraries(lambda name: name not in absent)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    message = missing_libraries_message(missing)
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in message
    assert "cursor" not in message  # never the library that is there


def test_only_an_x11_window_needs_them() -> None:
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "darwin")
    assert len(set(XCB_LIBRARIES.values())) == len(XCB_LIBRARIES)
