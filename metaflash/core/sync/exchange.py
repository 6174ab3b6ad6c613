"""One sync: write this device's new events to its files, read the other devices' files, merge.

The collection is the truth; the files are how devices tell each other. This device's files
only ever grow: each sync appends the journal's events that are not in them yet, syncs them to
disk, and remembers how far it wrote. If a file of its own ends in half a line (metaflash was
killed while writing it), that half is cut off and written again. If its folder holds events
this collection did not write, another installation uses the same device id (a data folder
copied to a second computer): nothing is written until this one takes a new id.

The other devices' files are read from where the last sync stopped (a file that shrank or was
replaced is read again from its start: events are keyed by their global id, so nothing counts
twice). A damaged line is reported once and skipped; a record of a newer format is kept and
reported once; an incomplete last line waits for the next sync.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from metaflash.core.collection import sync_state
from metaflash.core.collection.journal import last_seq, local_events
from metaflash.core.collection.merge import MergeReport, merge_events
from metaflash.core.collection.records import to_millis
from metaflash.core.collection.store import Collection
from metaflash.core.collection.sync_events import (
    Event,
    EventId,
    NewerFormat,
    decode,
    record,
)
from metaflash.core.sync.folder import (
    SEGMENT_EVENTS,
    SyncFolderError,
    SyncLayout,
    read_device_name,
    segment_name,
    write_device_file,
)
from metaflash.core.sync.framing import frame, read_framed
from metaflash.core.util.atomic_file import fsync_directory

_HEAD = 64  # bytes of a file's start remembered, to see that it was replaced


class ClonedDeviceError(SyncFolderError):
    """Another installation writes this device's folder."""


#: What to do about a damaged line in another device's file.
DAMAGED_LINE_HINT = (
    "each sync reads it again, so a copy that the sync tool completes later is taken in; the "
    "device that wrote it keeps the event in its own collection"
)


@dataclass(frozen=True, slots=True)
class SyncProblem:
    """A line of another device's file that could not be taken in (``line`` 0: the file)."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        if not self.line:
            return f"{where}: {self.reason}"
        return f"{where}: this line of another device's journal is skipped: {self.reason}. {DAMAGED_LINE_HINT[:1].upper()}{DAMAGED_LINE_HINT[1:]}."


@dataclass(slots=True)
class SyncReport:
    """What one sync did."""

    folder: Path
    written: int = 0  # this device's events written to its files
    merge: MergeReport = field(default_factory=MergeReport)
    devices: int = 0  # other devices whose folders were read
    problems: list[SyncProblem] = field(default_factory=list)  # damaged lines, newly found
    newer: int = 0  # records of a newer format, newly kept


def sync_now(collection: Collection, folder: Path, now: datetime) -> SyncReport:
    """Write this device's events to ``folder`` and merge the other devices' (raises
    :class:`SyncFolderError` when the folder cannot be used)."""
    layout = SyncLayout(folder)
    layout.prepare()
    report = SyncReport(folder)
    report.written = write_own_events(collection, layout)  # may refuse: before any merge
    cursors: dict[str, sync_state.FileCursor] = {}
    events = read_other_events(collection, layout, report, cursors)
    report.merge = merge_events(collection, events)
    # only now that the events are in: a sync cut short reads the same lines again
    sync_state.set_file_cursors(collection, cursors)
    sync_state.set_last_sync(collection, to_millis(now))
    return report


# --- this device's files ---------------------------------------------------------------


def _own_file_state(
    collection: Collection, layout: SyncLayout, me: str
) -> tuple[int, Path | None, int]:
    """(the last event in this device's files, the newest file, its event count), cutting off
    a half-written last line."""
    segments = layout.own_segments(me)
    if not segments:
        return 0, None, 0
    start, newest = segments[-1]
    remembered = sync_state.written(collection)
    size = newest.stat().st_size
    if remembered is not None and remembered[1] == size and remembered[0] >= start:
        return remembered[0], newest, remembered[0] - start + 1
    data = newest.read_bytes()
    framed = read_framed(data)
    if framed.end < len(data):  # our own half line: cut it, it is written again below
        with open(newest, "r+b") as stream:
            stream.truncate(framed.end)
            os.fsync(stream.fileno())
    numbers: list[int] = [
        r.value["s"]
        for r in framed.records
        if r.value.get("d") == me and isinstance(r.value.get("s"), int)
    ]
    last = max(numbers, default=start - 1)
    if last > last_seq(collection.db):
        raise ClonedDeviceError(_cloned(me))
    if numbers:
        ours = next(local_events(collection.db, me, last - 1, 1), None)
        theirs = next(r.value for r in framed.records if r.value.get("s") == last)
        if ours is None or record(*ours) != theirs:
            raise ClonedDeviceError(_cloned(me))
    return last, newest, last - start + 1


def _cloned(me: str) -> str:
    return (
        f"this device's folder in the sync folder (metaflash/{me}) holds events this collection "
        "did not write. Either this collection was restored from a backup older than its last "
        "sync, or another computer uses a copy of this data folder. Nothing was written or "
        "merged. To go on syncing here, move this data folder aside and start metaflash with an "
        "empty one: its first sync brings back every answer in the sync folder, those made "
        "since the backup included. A copied data folder must not be used on two computers."
    )


def write_own_events(collection: Collection, layout: SyncLayout) -> int:
    """Append this device's events that its files lack; how many were written."""
    me = collection.device_id
    folder = layout.device_folder(me)
    created = not folder.exists()
    folder.mkdir(exist_ok=True)
    if created:
        fsync_directory(layout.app_folder)
    present, newest, count = _own_file_state(collection, layout, me)  # may refuse first
    write_device_file(folder, me, sync_state.this_device_name(collection))
    written = 0
    stream: BinaryIO | None = None
    try:
        for event_id, event in local_events(collection.db, me, present):
            if stream is None or count >= SEGMENT_EVENTS:
                if stream is not None:
                    _close(stream)
                if newest is None or count >= SEGMENT_EVENTS:
                    newest = folder / segment_name(event_id.seq)
                    count = 0
                    fresh = True
                else:
                    fresh = False
                stream = open(newest, "ab")  # noqa: SIM115 - closed below, after its fsync
                if fresh:
                    fsync_directory(folder)
            stream.write(frame(record(event_id, event)))
            count += 1
            written += 1
    finally:
        if stream is not None:
            _close(stream)
    if newest is not None:
        sync_state.set_written(collection, present + written, newest.stat().st_size)
    return written


def _close(stream: BinaryIO) -> None:
    stream.flush()
    os.fsync(stream.fileno())
    stream.close()


# --- the other devices' files ----------------------------------------------------------------


def read_other_events(
    collection: Collection,
    layout: SyncLayout,
    report: SyncReport,
    cursors: dict[str, sync_state.FileCursor],
) -> list[tuple[EventId, Event]]:
    """The events in the other devices' files that were not read before; ``cursors`` gets
    how far each file was read, to be stored once the events are merged."""
    me = collection.device_id
    events: list[tuple[EventId, Event]] = []
    for device, folder in layout.other_devices(me):
        report.devices += 1
        for path in sorted(folder.glob("*.jsonl")):
            _read_file(collection, layout, device, path, events, report, cursors)
    return events


def _read_file(
    collection: Collection,
    layout: SyncLayout,
    device: str,
    path: Path,
    events: list[tuple[EventId, Event]],
    report: SyncReport,
    cursors: dict[str, sync_state.FileCursor],
) -> None:
    name = path.relative_to(layout.app_folder).as_posix()
    try:
        status = path.stat()
        cursor = sync_state.file_cursor(collection, name)
        if cursor is not None and (cursor.size, cursor.mtime_ns) == (
            status.st_size,
            status.st_mtime_ns,
        ):
            return
        data = path.read_bytes()
    except OSError as error:
        report.problems.append(
            SyncProblem(path, 0, f"cannot be read ({error.strerror or error}); skipped")
        )
        return
    start, lines = 0, 0
    if cursor is not None and len(data) >= cursor.read_to and data.startswith(cursor.head):
        start, lines = cursor.read_to, cursor.lines
    framed = read_framed(data, start, lines + 1)
    #: the first line that could not be taken: the next sync reads the file again from there
    #: (a sync tool may still be replacing it with a whole copy)
    stuck: tuple[int, int] | None = None

    def problem(line: int, offset: int, reason: str) -> None:
        nonlocal stuck
        if stuck is None or offset < stuck[0]:
            stuck = (offset, line)
        _problem(collection, report, path, name, line, reason)

    for damage in framed.damaged:
        problem(damage.line, damage.offset, damage.reason)
    for found in framed.records:
        try:
            event_id, event = decode(found.value)
        except NewerFormat:
            seq = found.value.get("s")
            if isinstance(seq, int) and sync_state.keep_newer(
                collection, device, seq, found.raw.decode("utf-8", "replace")
            ):
                report.newer += 1
            continue
        except (ValueError, OverflowError, RecursionError, TypeError) as error:
            problem(found.line, found.offset, str(error) or type(error).__name__)
            continue
        if event_id.device != device:
            problem(
                found.line,
                found.offset,
                f"it is an event of device {event_id.device}, not of this folder's",
            )
            continue
        events.append((event_id, event))
    read_to, read_lines = (
        (framed.end, lines + framed.lines) if stuck is None else (stuck[0], stuck[1] - 1)
    )
    size, mtime = (status.st_size, status.st_mtime_ns) if stuck is None else (-1, -1)
    cursors[name] = sync_state.FileCursor(size, mtime, read_to, read_lines, data[:_HEAD])


def _problem(
    collection: Collection, report: SyncReport, path: Path, name: str, line: int, reason: str
) -> None:
    if sync_state.note_problem(collection, name, line, reason):
        report.problems.append(SyncProblem(path, line, reason))


def device_names(layout: SyncLayout, me: str) -> dict[str, str]:
    """The names the other devices in the folder gave themselves."""
    return {
        device: read_device_name(folder) or device[:8]
        for device, folder in layout.other_devices(me)
    }
