"""``metaflash validate``: check deck and diagram files the way a compiler checks code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from metaflash.core.decks.model import Deck, Problem
from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.util import paths

#: The version of the ``--json`` output's shape; it changes only when fields are removed.
JSON_FORMAT = 1

DESCRIPTION = """\
Check deck and diagram files: YAML syntax, every field, card ids, cloze syntax, and the
references between files (a card's stage and its deck's diagram, images, parent decks).
Folders are searched recursively for *.yaml and *.yml files. Every problem is printed as

  path:line:column: error: message (hint)

followed by a summary line. The bundled decks count as loaded: your decks may name them as
their parent, and may not reuse their ids.
"""

EPILOG = """\
--json prints one object: {"format": 1, "problems": [{"file", "line", "column",
"severity", "message", "hint"}, ...], "summary": {"files", "decks", "diagrams", "cards",
"errors", "warnings", "valid"}}. Lines and columns count from 1.
Exit status: 0 every file is valid, 1 problems were found, 2 usage error.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check deck and diagram files for mistakes",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", metavar="PATH", nargs="+", help="a deck or diagram file, or a folder of them"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the problems and the summary as JSON"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    library = load_library(args.paths, known_decks=_bundled_decks())
    if args.json:
        print(json.dumps(as_json(library), indent=2, ensure_ascii=False))
    else:
        _print_text(library, sys.stdout)
    return 1 if library.error_count else 0


def _bundled_decks() -> tuple[Deck, ...]:
    """The bundled decks: user decks may name them as ``parent``, and may not reuse their ids
    (the window loads both)."""
    try:
        folder = paths.bundled_decks_dir()
    except FileNotFoundError:
        return ()
    return load_library([folder]).decks


def problem_json(problem: Problem) -> dict[str, str | int]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
        "hint": problem.hint,
    }


def as_json(library: Library) -> dict[str, object]:
    return {
        "format": JSON_FORMAT,
        "problems": [problem_json(problem) for problem in library.problems],
        "summary": {
            "files": len(library.files),
            "decks": len(library.decks),
            "diagrams": len(library.diagrams),
            "cards": library.card_count,
            "errors": library.error_count,
            "warnings": library.warning_count,
            "valid": library.error_count == 0,
        },
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(library: Library) -> str:
    found = (
        f"checked {_plural(len(library.files), 'file')}: {_plural(len(library.decks), 'deck')}, "
        f"{_plural(library.card_count, 'card')}, {_plural(len(library.diagrams), 'diagram')}"
    )
    errors, warnings = library.error_count, library.warning_count
    if not errors and not warnings:
        return f"{found}; no problems"
    said = [_plural(errors, "error")] + ([_plural(warnings, "warning")] if warnings else [])
    return f"{found}; {', '.join(said)}"


def _print_text(library: Library, out: TextIO) -> None:
    colour = out.isatty() and "NO_COLOR" not in os.environ
    for problem in library.problems:
        line = str(problem)
        if colour:
            label = f"{problem.severity}:"
            paint = "\033[1;31m" if problem.severity == "error" else "\033[1;33m"
            line = line.replace(f" {label} ", f" {paint}{label}\033[0m ", 1)
        print(line, file=out)
    print(summary_line(library), file=out)
