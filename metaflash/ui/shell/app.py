"""Start the window: ``metaflash`` with no subcommand, or ``metaflash --screenshot FILE.png``.

The window opens the collection in the data folder (one metaflash at a time: a second one
shows the engine's message naming the first, and exits), and closes it on quit, which makes
the daily automatic backup. Screenshots use the data folder given too (``--data-dir``): point
it at a scratch folder to keep them out of your own collection.
"""

from __future__ import annotations

import argparse
import linecache
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import metaflash.ui.core_first  # noqa: F401 - the core before PySide6: see there

# isort: split
import shiboken6
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from metaflash.core.collection.backups import keep_as_it_is, restore_backup
from metaflash.core.collection.errors import CollectionError, DamagedCollectionError
from metaflash.core.collection.store import Collection
from metaflash.core.util import paths
from metaflash.core.util.desktop import APP_ID
from metaflash.ui.common.clock import Clock, SystemClock
from metaflash.ui.common.theme import ThemeController, ThemeName, readable_font
from metaflash.ui.common.window_geometry import fit_window
from metaflash.ui.common.window_settings import WindowSettings
from metaflash.ui.shell.damaged_collection import DamageChoice, DamageResolver, DialogResolver
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.open_in_editor import DesktopOpener
from metaflash.ui.shell.screenshot import SCREENSHOT_SIZE, ScreenshotError, write_screenshot
from metaflash.ui.shell.system_libraries import (
    missing_libraries_message,
    missing_xcb_libraries,
    uses_xcb,
)
from metaflash.ui.shell.views import ViewName

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
    app.setDesktopFileName(APP_ID)  # the desktop entry --install-desktop-entry writes
    app.setStyle("Fusion")  # draws with our palette the same way on every platform
    app.setFont(readable_font(app.font()))
    icon_path = paths.resources_dir() / APP_ICON
    if icon_path.is_file():
        app.setWindowIcon(QIcon(str(icon_path)))
    return app


def build_main_window(
    data_dir: Path,
    collection: Collection,
    clock: Clock,
    *,
    extra_folders: Sequence[Path] = (),
    theme: ThemeController | None = None,
    opener: DesktopOpener | None = None,
) -> MainWindow:
    """The window on the bundled decks, the user's decks folder and ``extra_folders``."""
    return MainWindow(
        collection=collection,
        data_dir=data_dir,
        bundled=paths.bundled_decks_dir(),
        clock=clock,
        settings=WindowSettings(data_dir),
        theme=theme,
        opener=opener,
        extra_folders=tuple(extra_folders),
    )


class StartupCancelled(Exception):
    """The user chose to quit instead of opening a damaged collection."""


def open_collection(
    data_dir: Path, clock: Clock, resolver: DamageResolver | None = None
) -> tuple[Collection, Path]:
    """The collection in ``data_dir`` (or in the folder the user chose instead) and its folder.

    A collection that cannot be used as it is goes to ``resolver`` (the user): restore the
    newest good backup, keep a collection that only lost answers, open another data folder, or
    quit (:class:`StartupCancelled`). Without a resolver, and for every other reason it cannot
    open (another metaflash has it, a newer metaflash wrote it), a :class:`StartupError`.
    """
    while True:
        try:
            return Collection.open(data_dir, clock.now(), clock.timezone, clock.now), data_dir
        except DamagedCollectionError as error:
            if resolver is None:
                raise StartupError(str(error)) from error
            choice = resolver.ask(error)
            try:
                if choice is DamageChoice.RESTORE and error.backup is not None:
                    restore_backup(data_dir, error.backup.name, clock.now())
                elif choice is DamageChoice.KEEP:
                    keep_as_it_is(data_dir, clock.now())
                elif choice is DamageChoice.OTHER_FOLDER:
                    folder = resolver.choose_folder(data_dir)
                    if folder is not None:
                        data_dir = prepare_data_dir(str(folder))
                else:
                    raise StartupCancelled() from error
            except CollectionError as failure:
                raise StartupError(str(failure)) from failure
        except CollectionError as error:
            raise StartupError(str(error)) from error


def run_app(args: argparse.Namespace) -> int:
    """Open the main window (or render it with ``--screenshot``); the process exit code."""
    # PySide6's import hook reads the source of every module imported after it (to see
    # whether it uses ``__feature__``), and linecache keeps those lines: 8 MiB for the
    # window's ~280 modules. They are only needed for a traceback, which reads them again.
    linecache.clearcache()
    try:
        data_dir = prepare_data_dir(args.data_dir)
        folders = deck_folders(args.deck_dir)
        if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if QCoreApplication.instance() is None:
            check_display(os.environ, sys.platform)
            if uses_xcb(os.environ, sys.platform):
                missing = missing_xcb_libraries()
                if missing:
                    raise StartupError(missing_libraries_message(missing))
        app = application()
    except StartupError as error:
        print(f"metaflash: {error}", file=sys.stderr)
        return 1
    clock = SystemClock()
    theme = _theme(app, args, WindowSettings(data_dir))  # before any dialog, so it is themed
    try:
        collection, data_dir = open_collection(
            data_dir, clock, None if args.screenshot else DialogResolver()
        )
    except StartupCancelled:
        print("metaflash: quit; the collection was left as it is", file=sys.stderr)
        return 1
    except StartupError as error:
        print(f"metaflash: {error}", file=sys.stderr)
        if not args.screenshot:
            QMessageBox.critical(None, "metaflash cannot start", str(error))
        return 1
    try:
        return _run_window(args, app, data_dir, folders, collection, clock, theme)
    finally:
        collection.close(clock.now())


def _theme(
    app: QApplication, args: argparse.Namespace, settings: WindowSettings
) -> ThemeController:
    """The colour theme and font size, applied to the whole application."""
    theme = ThemeController(app, ThemeName(args.theme) if args.theme else settings.theme)
    if settings.font_scale != 1.0:
        theme.set_font_scale(settings.font_scale)
    theme.apply()
    return theme


def _run_window(
    args: argparse.Namespace,
    app: QApplication,
    data_dir: Path,
    folders: Sequence[Path],
    collection: Collection,
    clock: Clock,
    theme: ThemeController,
) -> int:
    settings = WindowSettings(data_dir)
    window = build_main_window(data_dir, collection, clock, extra_folders=folders[1:], theme=theme)
    theme.setParent(window)  # lives, and follows the desktop's colour scheme, as long as the window
    size = QSize(*args.size) if args.size else None
    try:
        if args.screenshot:
            window.resize(size or SCREENSHOT_SIZE)
        else:
            fit_window(window, first=settings.state("geometry") is None)
            if size is not None:
                window.resize(size)
            window.show()
        problem = _show_first(window, args)
        if problem is not None:
            print(f"metaflash: --card {'/'.join(args.card)}: {problem}", file=sys.stderr)
            return 2
        if args.screenshot:
            return _screenshot(window, Path(args.screenshot), size or SCREENSHOT_SIZE)
        return app.exec()
    finally:
        window.close()
        shiboken6.delete(window)  # its views and the theme controller go with it, now


def _show_first(window: MainWindow, args: argparse.Namespace) -> str | None:
    """Show the view (and card, and side) asked for; None, or why the card cannot be shown."""
    if args.card is not None:
        problem = window.study.study_card(*args.card)
        if problem is not None:
            return problem
    else:
        window.show_view(args.view)
    reviewing = window.current_view() is ViewName.REVIEW
    if reviewing and args.side == "answer" and window.review.session is not None:
        window.review.reveal()
    return None


def _screenshot(window: MainWindow, path: Path, size: QSize) -> int:
    try:
        written = write_screenshot(window, path, size)
    except ScreenshotError as error:
        print(f"metaflash: {error}", file=sys.stderr)
        return 1
    finally:
        window.close()
    ratio = window.devicePixelRatioF()
    pixels = f"{round(size.width() * ratio)}x{round(size.height() * ratio)}"
    scale = f", {size.width()}x{size.height()} at scale {ratio:g}" if ratio != 1 else ""
    print(f"metaflash: wrote {written} ({pixels}{scale})")
    return 0
