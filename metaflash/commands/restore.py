"""``metaflash restore``: list the collection's backups, or restore one."""

from __future__ import annotations

import argparse
import sys

from metaflash.core.collection.backups import BackupInfo, backups_dir, list_backups, restore_backup
from metaflash.core.collection.errors import CollectionError
from metaflash.core.scheduling.study_day import local_timezone
from metaflash.core.util.paths import resolve_data_dir

DESCRIPTION = """\
Without NAME, list the backups of your collection, newest first: their name, when they were
made (local time), their size and how many answers they hold. metaflash backs up the
collection when it closes (at most once a day) and before risky operations, and keeps the
newest ten, one a day for a week, one a week for a month and one a month for a year.
Backups of a damaged collection (...-damaged) are never deleted automatically.

With NAME (or a unique start of it), replace the collection with that backup. The current
collection is backed up first (as ...-before-restore), so a restore never loses anything:
restore that backup to go back. Close metaflash before restoring.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="list backups of the collection, or restore one",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", metavar="NAME", nargs="?", help="the backup to restore")
    parser.set_defaults(func=run)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _describe(info: BackupInfo) -> str:
    when = info.created.astimezone(local_timezone()).strftime("%Y-%m-%d %H:%M")
    reviews = "unreadable" if info.reviews is None else f"{info.reviews:,} answers"
    return f"{when}, {_size(info.size)}, {reviews}"


def run(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    directory = backups_dir(data_dir)
    if args.name is None:
        backups = list_backups(directory)
        if not backups:
            print(f"No backups yet in {directory}.")
            return 0
        print(f"Backups in {directory}, newest first:")
        width = max(len(info.name) for info in backups)
        for info in backups:
            print(f"  {info.name:<{width}}  {_describe(info)}")
        print("Restore one with: metaflash restore NAME")
        return 0
    try:
        result = restore_backup(data_dir, args.name, args.clock())
    except CollectionError as error:
        print(f"metaflash restore: {error}", file=sys.stderr)
        return 1
    print(f"Restored {result.restored.name} ({_describe(result.restored)}).")
    if result.safety_backup is not None:
        print(
            f"The collection as it was is saved as {result.safety_backup.name}; "
            f"`metaflash restore {result.safety_backup.name}` brings it back."
        )
    return 0
