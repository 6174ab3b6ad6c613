"""``metaflash check``: rebuild every card's state from the review log and compare (Check Database)."""

from __future__ import annotations

import argparse
import sys

from metaflash.core.collection.backups import keep_as_it_is
from metaflash.core.collection.check import check_collection
from metaflash.core.collection.errors import CollectionError, DamagedCollectionError, DamageKind
from metaflash.core.collection.health import inspect_collection
from metaflash.core.collection.store import Collection
from metaflash.core.util.paths import resolve_data_dir

DESCRIPTION = """\
Check the collection the way Anki's Check Database does: SQLite's integrity check, then every
card's state rebuilt from the append-only review log and compared with the stored state.

With --fix, stored states that differ from the log are rewritten from it (a backup named
...-before-fix is made first). Problems in the log itself are reported, never rewritten.

A collection that is damaged, empty, missing, or whose review log ends before answers that
were recorded, is never opened or written: the command says what is wrong and which backup to
restore. When only answers were lost and you would rather keep the collection as it is than
restore a backup, --accept-loss keeps its files among the backups (as ...-damaged) and opens it.
Exit status: 0 no problem left, 1 problems remain (or the collection cannot be opened).
"""

SHOWN = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check the collection against its review log (--fix to repair)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--fix", action="store_true", help="rewrite stored states that differ from the log"
    )
    parser.add_argument(
        "--accept-loss",
        action="store_true",
        help="keep a collection whose review log lost answers as it is (its files are kept)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    now = args.clock()
    data_dir = resolve_data_dir(args.data_dir)
    if args.accept_loss:
        try:
            inspect_collection(data_dir)
        except DamagedCollectionError as error:
            if error.kind is not DamageKind.LOST_ANSWERS:
                print(f"metaflash check: --accept-loss cannot help here.\n{error}", file=sys.stderr)
                return 1
            kept = keep_as_it_is(data_dir, now)
            if kept is not None:
                print(f"The collection's files as they were are kept as {kept.name}.")
        except CollectionError as error:
            print(f"metaflash check: {error}", file=sys.stderr)
            return 1
    try:
        collection = Collection.open(data_dir, now)
    except CollectionError as error:
        print(f"metaflash check: {error}", file=sys.stderr)
        return 1
    try:
        report = check_collection(collection, now, fix=args.fix)
    finally:
        collection.close(args.clock())
    print(
        f"Checked {report.prompts:,} cards and {report.reviews:,} review log entries "
        f"in {collection.path}."
    )
    if report.fixed:
        backup = f" (backup first: {report.backup.name})" if report.backup else ""
        print(f"Fixed {report.fixed:,} stored card states from the review log{backup}.")
    remaining = report.remaining
    if not remaining:
        print("No problems found." if not report.fixed else "No problems left.")
        return 0
    print(f"{len(remaining):,} problem{'s' if len(remaining) != 1 else ''}:")
    for problem in remaining[:SHOWN]:
        print(f"  {problem}")
    if len(remaining) > SHOWN:
        print(f"  ... and {len(remaining) - SHOWN:,} more")
    fixable = sum(1 for problem in remaining if problem.fixable)
    if fixable:
        print(f"{fixable:,} can be repaired: run `metaflash check --fix` (a backup is made first).")
    if len(remaining) > fixable:
        print(
            "Problems in the review log itself are not rewritten; if the file is damaged, "
            "restore a backup with `metaflash restore`."
        )
    return 1
