"""``metaflash init DIR``: a new deck folder that editors understand from the start."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from metaflash.core.editing.editor_setup import (
    EXAMPLE_NAME,
    SCHEMA_FOLDER,
    SettingsNotMerged,
    SetupReport,
    init_folder,
)

DESCRIPTION = f"""\
Make a new deck folder DIR with an example deck ({EXAMPLE_NAME}), a copy of the JSON Schemas
({SCHEMA_FOLDER}/) and .vscode/settings.json, which maps *.yaml to the deck schema and
*.diagram.yaml to the diagram schema with paths relative to the folder, and sets YAML 1.1 (as
metaflash reads decks). Open the folder in VS Code (with the YAML extension) or any editor
that runs yaml-language-server: mistakes are underlined as you type, fields are completed and
explained on hover. Then open it in metaflash with --deck-dir DIR (or File › Open Deck Folder).
DIR must not exist yet, or be empty.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="make a new deck folder with an example deck and editor settings",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="the folder to make")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        report = init_folder(args.folder)
    except FileExistsError as error:
        print(
            f"metaflash init: {error}; choose a new folder, or run "
            f"`metaflash schema --write-settings {args.folder}` to set up an existing one",
            file=sys.stderr,
        )
        return 1
    except SettingsNotMerged as error:  # cannot happen in a new folder, but say it plainly
        print_settings_problem(error)
        return 1
    except OSError as error:
        print(f"metaflash init: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
    print_report(report, f"metaflash init: made {args.folder}")
    print(f"Next: metaflash validate {args.folder}  (and metaflash --deck-dir {args.folder})")
    return 0


def print_report(report: SetupReport, heading: str) -> None:
    print(heading)
    for path in report.written:
        print(f"  wrote {path}")
    for path in report.modelines:
        print(f"  pointed the $schema line of {path} at the folder's schema")


def print_settings_problem(error: SettingsNotMerged) -> None:
    print(
        f"metaflash: {error}. Add these settings to it by hand:\n"
        + json.dumps(error.wanted, indent=2),
        file=sys.stderr,
    )
