"""``metaflash schema``: where the deck and diagram JSON Schemas are, and
``--write-settings DIR`` to set up an existing deck folder for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metaflash.commands.init import print_report, print_settings_problem
from metaflash.core.editing.editor_setup import SCHEMAS, SettingsNotMerged, write_settings
from metaflash.core.util import paths

DESCRIPTION = """\
Without options, print where the JSON Schemas of this metaflash are. With --write-settings DIR:
copy them into DIR/schemas/, merge into DIR/.vscode/settings.json the settings that map
*.yaml and *.diagram.yaml to them (relative paths, YAML 1.1; other settings are kept), and
point every `# yaml-language-server: $schema=` line in DIR that leads to no file, or out of
DIR (into an old install, say), at the copies. Run it again after upgrading metaflash.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="where the JSON Schemas are; set up a deck folder for editors",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--write-settings",
        metavar="DIR",
        type=Path,
        help="copy the schemas into the deck folder DIR and write its editor settings",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.write_settings is None:
        for name in SCHEMAS:
            print(paths.resources_dir() / "schema" / name)
        return 0
    folder: Path = args.write_settings
    try:
        report = write_settings(folder)
    except NotADirectoryError as error:
        print(f"metaflash schema: {error}; give a deck folder", file=sys.stderr)
        return 1
    except SettingsNotMerged as error:
        print_report(error.report, f"metaflash schema: set up {folder}, but for its settings")
        print_settings_problem(error)
        return 1
    except OSError as error:
        print(f"metaflash schema: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
    print_report(report, f"metaflash schema: set up {folder} for editors")
    return 0
