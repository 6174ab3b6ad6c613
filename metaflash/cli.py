"""The ``metaflash`` command: opens the window, or runs a subcommand on top of the core.

Each subcommand lives in ``metaflash/commands/<name>.py`` with ``register(subparsers)``;
add its name to :data:`COMMANDS`. Exit codes: 0 success, 1 failure, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence

from metaflash import __version__
from metaflash.core.util.clock import Now, system_now

#: Subcommand modules under ``metaflash.commands``, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "validate",
    "evaluate",
    "optimize",
    "check",
    "restore",
    "stats",
    "export",
    "import_",
    "init",
    "schema",
)

VIEWS = ("decks", "review", "diagram", "stats", "editor")
THEMES = ("system", "light", "dark")


def window_size(text: str) -> tuple[int, int]:
    """``--size 1366x768`` as (width, height)."""
    width, x, height = text.lower().partition("x")
    if not (x and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write it as WxH, e.g. 1366x768")
    size = int(width), int(height)
    if not (200 <= size[0] <= 16384 and 200 <= size[1] <= 16384):
        raise argparse.ArgumentTypeError(f"{text}: each side must be 200 to 16384 pixels")
    return size


def card_reference(text: str) -> tuple[str, str]:
    """``--card DECK_ID/CARD_ID`` as (deck id, card id)."""
    deck, slash, card = text.rpartition("/")
    if not (slash and deck and card):
        raise argparse.ArgumentTypeError(
            f"{text!r} names no card: write DECK_ID/CARD_ID, e.g. metastasis/metastasis-definition "
            "(the ids are in the deck file, and in the Decks view's card table)"
        )
    return deck, card


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metaflash",
        description="Flashcards and an animated pathway diagram of the metastatic cascade. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"metaflash {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the collection, settings and backups live "
        "(default: $METAFLASH_DATA_DIR, else the platform's user data folder)",
    )
    window = parser.add_argument_group("window")
    window.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window offscreen to a PNG and exit",
    )
    window.add_argument(
        "--size",
        metavar="WxH",
        type=window_size,
        default=None,
        help="the window's size in pixels, e.g. 1366x768 (before QT_SCALE_FACTOR; "
        "default: fit the screen, 1280x800 for --screenshot)",
    )
    window.add_argument("--view", choices=VIEWS, default="decks", help="the view to show")
    window.add_argument(
        "--card",
        metavar="DECK_ID/CARD_ID",
        type=card_reference,
        default=None,
        help="open the review on this card (implies --view review)",
    )
    window.add_argument(
        "--side",
        choices=("question", "answer"),
        default="question",
        help="with --view review: show the question, or the answer with its four buttons",
    )
    window.add_argument("--theme", choices=THEMES, default=None, help="colour theme")
    desktop = parser.add_argument_group("desktop")
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add metaflash to your desktop's menus (a .desktop entry, its icons and AppStream "
        "metainfo under $XDG_DATA_HOME, for this user only) and exit",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry wrote, and exit",
    )
    window.add_argument(
        "--deck-dir",
        metavar="DIR",
        action="append",
        default=None,
        help="open decks from DIR as well (repeatable)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"metaflash.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, clock: Now = system_now) -> int:
    """Run ``metaflash`` with ``argv``; subcommands read the time from ``clock``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.clock = clock
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry(install=args.install_desktop_entry)
    if args.command is None:
        from metaflash.ui.shell.app import run_app  # Qt is only imported to open the window

        return run_app(args)
    try:
        result: int = args.func(args)
    except BrokenPipeError:
        # the reader went away (``metaflash validate --json | head``): stop quietly, and
        # keep Python from complaining when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except sqlite3.DatabaseError as error:
        # A page SQLite finds damaged while reading (the start-up inspection found none):
        # say so instead of a traceback; nothing more is written.
        print(
            f"metaflash {args.command}: the collection could not be read ({error}). It may be "
            "damaged: run `metaflash check` to see what is wrong and which backup to restore.",
            file=sys.stderr,
        )
        return 1
    return result


def _desktop_entry(*, install: bool) -> int:
    from metaflash.ui.shell.desktop_entry import install_desktop_entry, uninstall_desktop_entry

    try:
        files = install_desktop_entry() if install else uninstall_desktop_entry()
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"metaflash: could not {'write' if install else 'remove'} the desktop entry"
            f"{where}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    if install:
        print(f"metaflash: added to the desktop's menus ({len(files)} files):")
    elif files:
        print(f"metaflash: removed from the desktop's menus ({len(files)} files):")
    else:
        print("metaflash: no desktop entry to remove")
    for path in files:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
