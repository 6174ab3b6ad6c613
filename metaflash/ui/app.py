"""Start the window: ``metaflash`` with no subcommand, or ``metaflash --screenshot FILE.png``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from metaflash.core import paths
from metaflash.ui.deck_library import load_deck_library
from metaflash.ui.main_window import MainWindow
from metaflash.ui.screenshot import SCREENSHOT_SIZE, ScreenshotError, write_screenshot
from metaflash.ui.theme import ThemeController, ThemeName, readable_font

APP_ICON = "icons/metaflash.svg"


class StartupError(Exception):
    """The window cannot start; the message says why and what to do."""


def prepare_data_dir(cli_value: str | None) -> Path:
    """The data folder (``--data-dir``, ``$METAFLASH_DATA_DIR`` or the platform's), created."""
    data_dir = paths.resolve_data_dir(cli_value)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(
            f"cannot create the data folder {data_dir}: {error.strerror or error}; "
            "choose another one with --data-dir DIR or METAFLASH_DATA_DIR"
        ) from error
    return data_dir


def deck_folders(extra: Sequence[str] | None) -> tuple[Path, ...]:
    """The bundled decks, then each ``--deck-dir`` folder (once each)."""
    try:
        folders = [paths.bundled_decks_dir().resolve()]
    except FileNotFoundError as error:
        raise StartupError(str(error)) from error
    for given in extra or ():
        folder = Path(given).expanduser().resolve()
        if not folder.is_dir():
            raise StartupError(f"--deck-dir {given}: no such folder")
        if folder not in folders:
            folders.append(folder)
    return tuple(folders)


def check_display(environ: Mapping[str, str], platform: str) -> None:
    """On Linux, a window needs an X11 or Wayland display (or a chosen Qt platform)."""
    if not platform.startswith("linux"):
        return
    if any(environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        return
    raise StartupError(
        "there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "run metaflash on a desktop, or render the window with --screenshot FILE.png"
    )


def application() -> QApplication:
    """The running QApplication, or a new one set up for metaflash."""
    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QApplication):
            raise StartupError("metaflash needs a QApplication, but another kind is running")
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else "metaflash"])
    app.setApplicationName("metaflash")
    app.setDesktopFileName("metaflash")
    app.setStyle("Fusion")  # draws with our palette the same way on every platform
    app.setFont(readable_font(app.font()))
    icon_path = paths.resources_dir() / APP_ICON
    if icon_path.is_file():
        app.setWindowIcon(QIcon(str(icon_path)))
    return app


def build_main_window(folders: Sequence[Path], data_dir: Path) -> MainWindow:
    return MainWindow(load_deck_library(folders), data_dir=data_dir, load_library=load_deck_library)


def run_app(args: argparse.Namespace) -> int:
    """Open the main window (or render it with ``--screenshot``); the process exit code."""
    try:
        data_dir = prepare_data_dir(args.data_dir)
        folders = deck_folders(args.deck_dir)
        if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if QCoreApplication.instance() is None:
            check_display(os.environ, sys.platform)
        app = application()
    except StartupError as error:
        print(f"metaflash: {error}", file=sys.stderr)
        return 1
    theme = ThemeController(app, ThemeName(args.theme or ThemeName.SYSTEM))
    theme.apply()
    window = build_main_window(folders, data_dir)
    theme.setParent(window)  # lives, and follows the desktop's colour scheme, as long as the window
    window.show_view(args.view)
    if args.screenshot:
        return _screenshot(window, Path(args.screenshot))
    window.resize(SCREENSHOT_SIZE)
    window.show()
    return app.exec()


def _screenshot(window: MainWindow, path: Path) -> int:
    try:
        written = write_screenshot(window, path)
    except ScreenshotError as error:
        print(f"metaflash: {error}", file=sys.stderr)
        return 1
    finally:
        window.close()
    print(f"metaflash: wrote {written} ({SCREENSHOT_SIZE.width()}x{SCREENSHOT_SIZE.height()})")
    return 0
