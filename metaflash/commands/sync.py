"""``metaflash sync``: share progress between your devices through a folder a sync tool carries."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from metaflash.core.collection import sync_state
from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.store import Collection
from metaflash.core.collection.sync_state import waiting_events
from metaflash.core.library.snapshot import load_library
from metaflash.core.library.sources import user_decks_dir
from metaflash.core.scheduling.study_day import local_timezone
from metaflash.core.sync.exchange import SyncReport, device_names, sync_now
from metaflash.core.sync.folder import SyncFolderError, SyncLayout
from metaflash.core.util.paths import bundled_decks_dir, resolve_data_dir

DESCRIPTION = """\
Share your progress between your computers without a server: choose a folder that a file-sync
tool already carries between them (Syncthing, Nextcloud, Dropbox, OneDrive, a git repository)
and run `metaflash sync --folder DIR` once on each computer. metaflash remembers the folder.

Each computer writes only its own files there (DIR/metaflash/<device id>/), by appending, and
reads everyone else's: answers made offline on two computers both count, and every computer
that has seen the same files shows the same schedule. Deck files are not carried: keep them
in a folder you share the same way. The collection itself is never put in the sync folder.

Without options, syncs with the remembered folder. Exit status: 0 synced, 1 it could not be
(no folder chosen, the folder cannot be used, the collection is open in the window).
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="share progress with your other devices through a synced folder",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--folder", metavar="DIR", help="sync through DIR (remembered for next time)"
    )
    parser.add_argument("--name", help="the name other devices see for this one, e.g. Laptop")
    parser.add_argument(
        "--status",
        action="store_true",
        help="show this device, the folder, the last sync and the devices seen; do not sync",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object for tools")
    parser.set_defaults(func=run)


def _when(time_ms: int | None, zone: tzinfo) -> str | None:
    if time_ms is None:
        return None
    return datetime.fromtimestamp(time_ms / 1000, UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _status(collection: Collection, zone: tzinfo) -> dict[str, Any]:
    folder = sync_state.sync_folder(collection)
    names = device_names(SyncLayout(folder), collection.device_id) if folder is not None else {}
    waiting = waiting_events(collection)
    return {
        "device": {"id": collection.device_id, "name": sync_state.this_device_name(collection)},
        "folder": None if folder is None else str(folder),
        "last_sync": _when(sync_state.last_sync(collection), zone),
        "devices": [
            {
                "id": seen.device,
                "name": names.get(seen.device, seen.device[:8]),
                "events": seen.events,
                "newest": _when(seen.last_event_ms, zone),
            }
            for seen in sync_state.devices_seen(collection)
        ],
        "waiting": waiting,
    }


def _report(report: SyncReport) -> dict[str, Any]:
    merge = report.merge
    return {
        "folder": str(report.folder),
        "written": report.written,
        "devices": report.devices,
        "received": merge.received,
        "answers": merge.answers,
        "undos": merge.undos,
        "marks": merge.marks,
        "settings": merge.settings,
        "rescheduled": merge.rescheduled,
        "waiting": merge.waiting,
        "newer_format": report.newer,
        "problems": [
            {"file": str(p.path), "line": p.line, "problem": p.reason} for p in report.problems
        ],
    }


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _print_status(status: dict[str, Any]) -> None:
    device = status["device"]
    print(f"This device: {device['name']} ({device['id'][:8]})")
    if status["folder"] is None:
        print("Sync folder: none yet; choose one with `metaflash sync --folder DIR`.")
    else:
        last = status["last_sync"] or "never"
        print(f"Sync folder: {status['folder']} (last sync: {last})")
    if not status["devices"]:
        print("No other device seen yet.")
    for seen in status["devices"]:
        newest = f", newest {seen['newest']}" if seen["newest"] else ""
        print(f"  {seen['name']} ({seen['id'][:8]}): {_plural(seen['events'], 'event')}{newest}")
    if status["waiting"]:
        print(
            f"{_plural(status['waiting'], 'event')} wait for decks this computer does not have; "
            "they are applied once the decks are here."
        )


def _print_report(report: SyncReport) -> None:
    merge = report.merge
    print(f"Synced with {report.folder}.")
    print(f"  Wrote {_plural(report.written, 'event')} of this device to its files there.")
    if merge.received:
        parts = [
            f"{_plural(merge.answers, 'answer')}",
            f"{_plural(merge.undos, 'undo')}",
            (
                f"{_plural(merge.marks, 'mark')} and {_plural(merge.settings, 'setting')} that "
                "were the latest"
            ),
        ]
        print(
            f"  Took in {_plural(merge.received, 'event')} not seen before from "
            f"{_plural(report.devices, 'other device')}, among them {', '.join(parts)}."
        )
    else:
        print(f"  Nothing new from {_plural(report.devices, 'other device')}.")
    if merge.rescheduled:
        were = "was" if merge.rescheduled == 1 else "were"
        print(
            f"  {_plural(merge.rescheduled, 'answer')} made on two devices without seeing each "
            f"other {were} scheduled one after the other: both count."
        )
    if merge.waiting:
        print(
            f"  {_plural(merge.waiting, 'event')} wait for decks this computer does not have; "
            "they are applied once the decks are here."
        )
    if report.newer:
        print(
            f"  {_plural(report.newer, 'event')} written by a newer metaflash are kept unread: "
            "update metaflash on this computer to take them in."
        )
    for problem in report.problems:
        print(f"metaflash sync: {problem}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    now = args.clock()
    data_dir = resolve_data_dir(args.data_dir)
    try:
        collection = Collection.open(data_dir, now, clock=args.clock)
    except CollectionError as error:
        print(f"metaflash sync: {error}", file=sys.stderr)
        return 1
    zone = local_timezone()
    try:
        if args.name is not None:
            try:
                sync_state.set_device_name(collection, args.name)
            except ValueError as error:
                print(f"metaflash sync: --name: {error}", file=sys.stderr)
                return 2
        if args.folder is not None:
            chosen = Path(args.folder).expanduser().resolve()
            try:
                SyncLayout(chosen).prepare()
            except SyncFolderError as error:
                print(f"metaflash sync: {error}", file=sys.stderr)
                return 1
            sync_state.set_sync_folder(collection, chosen)
        if args.status:
            status = _status(collection, zone)
            if args.json:
                print(json.dumps(status, indent=2, ensure_ascii=False))
            else:
                _print_status(status)
            return 0
        folder = sync_state.sync_folder(collection)
        if folder is None:
            print(
                "metaflash sync: no sync folder yet: choose one that a sync tool carries between "
                "your computers, with `metaflash sync --folder DIR`",
                file=sys.stderr,
            )
            return 1
        # the decks first, as the window loads them: another device's answers to their cards
        # are then applied at once instead of waiting for them
        own = user_decks_dir(data_dir)
        library = load_library([bundled_decks_dir(), *([own] if own.is_dir() else [])])
        reconcile_library(collection, library.decks, now)
        try:
            report = sync_now(collection, folder, now)
        except SyncFolderError as error:
            print(f"metaflash sync: {error}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(_report(report), indent=2, ensure_ascii=False))
        else:
            _print_report(report)
        return 0
    finally:
        collection.close(args.clock())
