"""``metaflash import``: an Anki package or a CSV/TSV file becomes YAML decks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metaflash.core.decks.model import Problem
from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.import_result import ImportFailure, ImportResult

DESCRIPTION = """\
Import an Anki package (.apkg, .colpkg) or a CSV/TSV file as metaflash YAML decks.

Each Anki deck becomes one YAML deck; sub-decks are nested with `parent`. DECK.yaml holds
the top deck, sub-decks are written beside it as <deck-id>.yaml, and images go into a
media/ folder there. Card ids come from Anki's note GUIDs, so importing the same file again
updates the same decks and cards. Nothing is written if the import fails.

Anki packages must use the legacy format: in Anki, File > Export, choose "Anki Deck
Package" and tick "Support older Anki versions".

CSV files may start with Anki's header lines (#separator:, #html:, #tags:, #columns:,
#deck:, #notetype:, #deck column:, #notetype column:, #tags column:, #guid column:);
without them the first column is the front and the second the back.
"""

EPILOG = "Exit status: 0 imported, 1 the file cannot be imported, 2 usage error."

PACKAGE_SUFFIXES = (".apkg", ".colpkg")
CSV_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import an Anki package or a CSV file as YAML decks",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", type=Path, help="an .apkg, .colpkg, .csv or .tsv file"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DECK.yaml",
        type=Path,
        required=True,
        help="the deck file to write (sub-decks and media/ go beside it)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace existing files even when they hold other decks",
    )
    parser.set_defaults(func=run, parser=parser)


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _print_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    source: Path = args.file
    out: Path = args.output
    if out.suffix.lower() not in (".yaml", ".yml"):
        args.parser.error(f"the output must be a .yaml file, not {str(out)!r}")
    if not out.parent.is_dir():
        print(
            f"{out.parent}:1:1: error: the output folder does not exist (create it first)",
            file=sys.stderr,
        )
        return 1
    suffix = source.suffix.lower()
    as_package = suffix in PACKAGE_SUFFIXES or (suffix not in CSV_SUFFIXES and _is_zip(source))
    importer = import_anki_package if as_package else import_csv
    try:
        result = importer(source, out, overwrite=args.overwrite)
    except KeyboardInterrupt:
        print("metaflash import: cancelled; nothing was written", file=sys.stderr)
        return 1
    if isinstance(result, ImportFailure):
        _print_problems(result.problems)
        return 1
    return _report(result)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _report(result: ImportResult) -> int:
    _print_problems(result.warnings)
    files = ", ".join(str(path) for path in result.decks)
    media = f" and {_count(len(result.media), 'media file')}" if result.media else ""
    print(
        f"imported {_count(result.cards, 'card')} into {_count(len(result.decks), 'deck')}{media}: {files}"
    )
    return 0
