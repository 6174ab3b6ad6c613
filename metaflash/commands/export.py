"""``metaflash export``: decks to an Anki package (.apkg) or an Anki-ready CSV file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metaflash.core.decks.model import Problem
from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.csv.export import CsvExportResult, export_csv
from metaflash.core.interop.export_source import decks_to_export

DESCRIPTION = """\
Export a deck file, or a folder of decks, to an Anki package or a CSV file.

  OUT.apkg  an Anki package: every card one note, sub-decks as Parent::Child, images
            included. Notes keep stable GUIDs (from the deck and card ids), so importing
            a later export into Anki updates the notes instead of adding copies.
  OUT.csv   a CSV file with Anki's header lines (Anki's stock note types; one row per
            card; GUID and ID columns). It cannot carry images.

Sequence cards become cloze notes with one deletion per step after the first ("what comes
after?"). Diagram cards become basic notes: the question, then the answer step's label and
summary (Anki has no diagram). Tags keep their names (spaces, which Anki does not allow,
become "_").
"""

EPILOG = (
    "Exit status: 0 exported, 1 a deck has errors or the file cannot be written, 2 usage error."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export decks to an Anki package (.apkg) or a CSV file",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", metavar="PATH", type=Path, help="a deck file or a folder of decks")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        type=Path,
        required=True,
        help="the file to write: OUT.apkg or OUT.csv",
    )
    parser.set_defaults(func=run, parser=parser)


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}" if number == 1 else f"{number:,} {word}s"


def _print(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    out: Path = args.output
    suffix = out.suffix.lower()
    if suffix not in (".apkg", ".csv"):
        args.parser.error(f"the output must end in .apkg or .csv, not {str(out)!r}")
    if not out.parent.is_dir():
        print(
            f"metaflash export: the folder {out.parent} does not exist; create it first, or "
            "choose another output file",
            file=sys.stderr,
        )
        return 1
    decks, problems = decks_to_export(args.path)
    _print(problems)
    if any(problem.severity == "error" for problem in problems) or not decks:
        print("metaflash export: nothing was written (fix the errors above)", file=sys.stderr)
        return 1
    result = (
        export_apkg(decks, out, now=args.clock().timestamp())
        if suffix == ".apkg"
        else export_csv(decks, out)
    )
    if isinstance(result, tuple):
        _print(result)
        return 1
    _print(result.warnings)
    if isinstance(result, ExportResult):
        media = f" and {_count(result.media, 'media file')}" if result.media else ""
        print(
            f"exported {_count(result.notes, 'note')} ({_count(result.anki_cards, 'Anki card')}) "
            f"in {_count(result.decks, 'deck')}{media} to {result.path}"
        )
    elif isinstance(result, CsvExportResult):
        print(f"exported {_count(result.rows, 'card')} to {result.path}")
    return 0
