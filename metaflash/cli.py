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
from collections.abc import Collection, Sequence

from metaflash import __version__
from metaflash.core.util.clock import Now, system_now

#: Each subcommand: its name, its module under ``metaflash.commands`` (which defines it with
#: ``register(subparsers)``) and the line ``--help`` lists for it, in that order. Only the
#: module of the command being run is imported, so ``--version``, ``validate`` and the window
#: load no export chain; a test checks these lines against the modules' own.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("validate", "validate", "check deck and diagram files for mistakes"),
    ("evaluate", "evaluate", "score FSRS-6 and SM-2 on a review log (yours by default)"),
    ("optimize", "optimize", "fit FSRS-6's parameters to your review history"),
    ("check", "check", "check the collection against its review log (--fix to repair)"),
    ("restore", "restore", "list backups of the collection, or restore one"),
    ("stats", "stats", "counts, forecast, retention and step mastery"),
    ("sync", "sync", "share progress with your other devices through a synced folder"),
    ("class", "class_", "share progress with a class anonymously, or read a class's report"),
    ("export", "export", "export decks to an Anki package (.apkg) or a CSV file"),
    ("import", "import_", "import an Anki package or a CSV file as YAML decks"),
    ("init", "init", "make a new deck folder with an example deck and editor settings"),
    ("schema", "schema", "where the JSON Schemas are; set up a deck folder for editors"),
)
#: The options before a command that take a value (``--data-dir DIR validate``).
OPTIONS_WITH_VALUE = frozenset(
    {"--data-dir", "--screenshot", "--size", "--view", "--card", "--side", "--theme", "--deck-dir"}
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


def build_parser(load: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``load``: only these commands' modules are imported (the
    others are listed by ``--help`` with their summary line). None: every command."""
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
    for name, module_name, summary in COMMANDS:
        if load is None or name in load:
            module = importlib.import_module(f"metaflash.commands.{module_name}")
            module.register(subparsers)
        else:  # listed by --help; its options are read only when it runs
            subparsers.add_parser(name, help=summary)
    return parser


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs, if any (found without importing any command)."""
    names = {name for name, _, _ in COMMANDS}
    expects_value = False
    for argument in argv:
        if expects_value:
            expects_value = False
        elif argument == "--":
            return None
        elif argument.startswith("-"):
            expects_value = argument in OPTIONS_WITH_VALUE
        else:
            return argument if argument in names else None
    return None


def main(argv: Sequence[str] | None = None, clock: Now = system_now) -> int:
    """Run ``metaflash`` with ``argv``; subcommands read the time from ``clock``."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = command_in(arguments)
    parser = build_parser(load=() if command is None else (command,))
    args = parser.parse_args(arguments)
    if args.command is not None and not hasattr(args, "func"):  # not found by command_in
        args = build_parser().parse_args(arguments)
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
