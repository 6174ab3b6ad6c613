"""``metaflash import``: an Anki package or a CSV/TSV file becomes YAML decks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metaflash.core.decks.model import Problem
from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.csv.columns import (
    ROLE_HELP,
    ROLE_TITLES,
    ColumnRole,
    CsvMapping,
    parse_roles,
)
from metaflash.core.interop.csv.importer import import_csv, preview_csv
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
without them, a first row of known column names (Front, Back, Tags, ID, Notes, Deck, ...)
names the columns, else the first column is the front and the second the back. --preview
shows how a file would be read; --header, --no-header and --columns change it.
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
        help="the deck file to write (sub-decks and media/ go beside it); required unless "
        "--preview",
    )
    table = parser.add_argument_group("CSV columns (what the import dialog's preview offers)")
    table.add_argument(
        "--preview",
        action="store_true",
        help="show how a CSV file would be read (header row, each column's role, the first "
        "rows) and write nothing",
    )
    header = table.add_mutually_exclusive_group()
    header.add_argument(
        "--header",
        dest="header_row",
        action="store_true",
        default=None,
        help="the first row names the columns (found by itself when the names are known ones)",
    )
    header.add_argument(
        "--no-header",
        dest="header_row",
        action="store_false",
        help="the first row is a card",
    )
    table.add_argument(
        "--columns",
        metavar="ROLES",
        type=_roles,
        help="each column's role, in order: front, back, tags, id, notes, deck, source, "
        "type, extra (a line of the notes) or - to skip it; e.g. --columns front,back,-,tags",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace existing files even when they hold other decks",
    )
    parser.set_defaults(func=run, parser=parser)


def _roles(text: str) -> tuple[ColumnRole, ...]:
    try:
        return parse_roles(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _mapping(args: argparse.Namespace, source: Path) -> CsvMapping | ImportFailure | None:
    """The mapping the flags ask for (the guess, changed by them), or None for the guess."""
    if args.header_row is None and args.columns is None and not args.preview:
        return None
    preview = preview_csv(source)
    if isinstance(preview, ImportFailure):
        return preview
    guess = preview.mapping
    return CsvMapping(
        guess.header_row if args.header_row is None else args.header_row,
        guess.roles if args.columns is None else args.columns,
    )


def _show_preview(source: Path, mapping: CsvMapping) -> int:
    preview = preview_csv(source)
    if isinstance(preview, ImportFailure):
        _print_problems(preview.problems)
        return 1
    names = preview.names or tuple(f"column {i + 1}" for i in range(preview.width))
    separator = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(
        preview.separator, repr(preview.separator)
    )
    print(f"{source}: {preview.total_rows} rows, {preview.width} columns, separated by {separator}")
    print(
        "the first row names the columns"
        if mapping.header_row
        else "the first row is a card (no header row)"
    )
    for index, role in enumerate(mapping.roles):
        name = names[index] if index < len(names) else f"column {index + 1}"
        print(f"  column {index + 1} {name!r}: {ROLE_TITLES[role]} ({ROLE_HELP[role]})")
    cards = preview.total_rows - (1 if mapping.header_row else 0)
    print(f"would import {_count(cards, 'card')}; the first rows:")
    for row in preview.rows[1 if mapping.header_row else 0 :]:
        print("  " + " | ".join(cell if len(cell) <= 40 else cell[:39] + "…" for cell in row))
    problem = mapping.problem()
    if problem:
        print(f"metaflash import: the columns cannot be imported so: {problem}", file=sys.stderr)
        return 1
    return 0


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
    out: Path | None = args.output
    suffix = source.suffix.lower()
    as_package = suffix in PACKAGE_SUFFIXES or (suffix not in CSV_SUFFIXES and _is_zip(source))
    asks_columns = args.preview or args.header_row is not None or args.columns is not None
    if as_package and asks_columns:
        args.parser.error("--preview, --header, --no-header and --columns are for CSV files")
    mapping = None if as_package else _mapping(args, source)
    if isinstance(mapping, ImportFailure):
        _print_problems(mapping.problems)
        return 1
    if args.preview:
        assert mapping is not None
        return _show_preview(source, mapping)
    if out is None:
        args.parser.error("the following arguments are required: -o/--output")
        return 2  # parser.error exits
    if out.suffix.lower() not in (".yaml", ".yml"):
        args.parser.error(f"the output must be a .yaml file, not {str(out)!r}")
    if not out.parent.is_dir():
        print(
            f"metaflash import: the output folder {out.parent} does not exist: create it first",
            file=sys.stderr,
        )
        return 1
    try:
        if as_package:
            result = import_anki_package(source, out, overwrite=args.overwrite)
        else:
            result = import_csv(source, out, overwrite=args.overwrite, mapping=mapping)
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
