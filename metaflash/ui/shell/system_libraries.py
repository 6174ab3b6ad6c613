"""Qt's X11 platform plugin (xcb) needs system libraries that a desktop may lack. Without
them Qt aborts with a message that can blame the wrong library; metaflash checks them first
and names the Debian/Ubuntu packages to install."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping

#: Each library the xcb plugin of the PySide6 wheels loads (``ldd libqxcb.so``), and the
#: Debian/Ubuntu package that provides it.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will open its window through X11 (xcb) here."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    wayland = environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland"
    return bool(environ.get("DISPLAY")) and not wayland


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_xcb_libraries(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The xcb libraries that cannot be loaded here."""
    return [name for name in XCB_LIBRARIES if not loads(name)]


def missing_libraries_message(missing: list[str]) -> str:
    packages = " ".join(sorted({XCB_LIBRARIES[name] for name in missing}))
    return (
        "Qt cannot open a window: these system libraries are missing: "
        f"{', '.join(missing)}. On Debian or Ubuntu, install them with:\n"
        f"    sudo apt install {packages}\n"
        "(or run with QT_QPA_PLATFORM=wayland on a Wayland desktop)"
    )
