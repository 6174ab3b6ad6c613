"""What the collection remembers about syncing: the folder, how far each file was read, what
was written to this device's files, problems already reported, and records kept unread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from metaflash.core.collection.journal import DEVICE_NAME_KEY, device_name
from metaflash.core.collection.store import Collection

SYNC_FOLDER_KEY = "sync-folder"
LAST_SYNC_KEY = "last-sync"
#: the last of this device's events written to its files, and the newest file's size then
WRITTEN_KEY = "sync-written"


@dataclass(frozen=True, slots=True)
class FileCursor:
    """How far a file was read: its size and modification time then, the byte offset after
    the last complete line read, the lines read, and its first bytes (to see a replaced file)."""

    size: int
    mtime_ns: int
    read_to: int
    lines: int
    head: bytes


def sync_folder(collection: Collection) -> Path | None:
    text = collection.config_value(SYNC_FOLDER_KEY)
    return None if text is None else Path(text)


def set_sync_folder(collection: Collection, folder: Path | None) -> None:
    collection.set_config_value(SYNC_FOLDER_KEY, None if folder is None else str(folder))


def this_device_name(collection: Collection) -> str:
    return device_name(collection.db)


def set_device_name(collection: Collection, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a device needs a name: write one, e.g. 'Laptop'")
    if len(name) > 80:
        raise ValueError("a device name can be at most 80 characters long")
    collection.set_config_value(DEVICE_NAME_KEY, name)


def last_sync(collection: Collection) -> int | None:
    text = collection.config_value(LAST_SYNC_KEY)
    return None if text is None else int(text)


def set_last_sync(collection: Collection, time_ms: int) -> None:
    collection.set_config_value(LAST_SYNC_KEY, str(time_ms))


def written(collection: Collection) -> tuple[int, int] | None:
    """(the last event written to this device's files, the newest file's size then)."""
    text = collection.config_value(WRITTEN_KEY)
    if text is None:
        return None
    seq, _, size = text.partition(" ")
    return int(seq), int(size)


def set_written(collection: Collection, seq: int, size: int) -> None:
    collection.set_config_value(WRITTEN_KEY, f"{seq} {size}")


def file_cursor(collection: Collection, path: str) -> FileCursor | None:
    row = collection.db.execute(
        "SELECT size, mtime_ns, read_to, lines, head FROM sync_files WHERE path = ?", (path,)
    ).fetchone()
    return (
        None
        if row is None
        else FileCursor(int(row[0]), int(row[1]), int(row[2]), int(row[3]), bytes(row[4]))
    )


def set_file_cursors(collection: Collection, cursors: dict[str, FileCursor]) -> None:
    """Store how far each file was read, all at once."""
    if not cursors:
        return
    with collection.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO sync_files (path, size, mtime_ns, read_to, lines, head) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(path, c.size, c.mtime_ns, c.read_to, c.lines, c.head) for path, c in cursors.items()],
        )


def note_problem(collection: Collection, path: str, line: int, reason: str) -> bool:
    """Remember a damaged line; True the first time (it is reported once)."""
    with collection.transaction() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO sync_problems (path, line, reason) VALUES (?, ?, ?)",
            (path, line, reason),
        )
    return cursor.rowcount > 0


def keep_newer(collection: Collection, device: str, seq: int, line: str) -> bool:
    """Keep a record of a newer format as it is; True the first time it is seen."""
    with collection.transaction() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO newer_events (device, seq, line) VALUES (?, ?, ?)",
            (device, seq, line),
        )
    return cursor.rowcount > 0


@dataclass(frozen=True, slots=True)
class DeviceSeen:
    """Another device as this collection knows it from the events it received."""

    device: str
    events: int
    last_event_ms: int | None


def devices_seen(collection: Collection) -> tuple[DeviceSeen, ...]:
    rows = collection.db.execute(
        "SELECT device, count(*), max(json_extract(body, '$.t')) FROM received "
        "GROUP BY device ORDER BY device"
    ).fetchall()
    return tuple(DeviceSeen(str(d), int(n), None if t is None else int(t)) for d, n, t in rows)


def waiting_events(collection: Collection) -> int:
    """Received answers and undos not applied yet: their prompt, or the answer an undo names,
    or the settings an answer was scheduled with, is not here (reads only)."""
    row = collection.db.execute("SELECT count(*) FROM received WHERE applied = 0").fetchone()
    return int(row[0])
