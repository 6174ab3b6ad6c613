"""Automatic backups of the collection, kept by age, and restoring one without losing data.

Backups are whole, consistent copies made with SQLite's online backup API (so a collection in
WAL mode is copied as of one transaction), written to a temporary name, synced and renamed
into ``<data dir>/backups/``. Names carry the UTC time and the reason:
``collection-20261122-014908-daily.sqlite3``. A partial file left by an interrupted backup or
restore is removed at the next start (:func:`remove_partial_files`).

Which backups are kept (:class:`Retention`, as Anki does): the newest ten whatever their age,
the newest of each of the last 7 days, of each of the last 4 weeks and of each of the last 12
months. So days of studying after an accident cannot rotate every backup from before it out.
Backups of a damaged collection (reason ``damaged``) are never deleted automatically.

Restoring first keeps the current collection among the backups (``before-restore``; byte for
byte, with its write-ahead log, as ``damaged`` when it is not sound), then puts a copy of the
chosen backup in its place by an atomic rename: nothing is ever written into the old file.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from metaflash.core.collection.answer_mark import remove_mark
from metaflash.core.collection.errors import BackupError, CollectionError
from metaflash.core.collection.lock import InstanceLock
from metaflash.core.collection.schema import check_schema
from metaflash.core.scheduling.study_day import require_utc

BACKUPS_DIR_NAME = "backups"
COLLECTION_FILE_NAME = "collection.sqlite3"
KEEP_BACKUPS = 10
AUTOMATIC_INTERVAL = timedelta(days=1)
#: Reasons of backups that rotation never deletes (the only copy of a damaged collection).
NEVER_ROTATED = frozenset({"damaged"})


@dataclass(frozen=True, slots=True)
class Retention:
    """How many backups rotation keeps: the newest ``recent``, and the newest of each of the
    last ``daily`` days, ``weekly`` weeks and ``monthly`` months (UTC calendar)."""

    recent: int = KEEP_BACKUPS
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


_NAME = re.compile(r"^collection-(\d{8})-(\d{6})(?:\.(\d+))?-([a-z]+(?:-[a-z]+)*)\.sqlite3$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    name: str
    path: Path
    created: datetime  # UTC
    reason: str  # daily, before-restore, before-upgrade, before-fix, manual
    size: int  # bytes
    reviews: int | None  # answers in its review log; None when the file cannot be read


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUPS_DIR_NAME


def collection_path(data_dir: Path) -> Path:
    return data_dir / COLLECTION_FILE_NAME


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a backup that never changes it.

    A backup is one self-contained file, read as immutable (no -wal or -shm files made). A
    collection kept byte for byte with its write-ahead log is read with that log (SQLite then
    adds an -shm index beside it, and changes neither file). A 0-byte file is never handed to
    SQLite, which would delete the log beside it.
    """
    wal = Path(f"{path}-wal")
    if path.exists() and path.stat().st_size == 0:
        raise sqlite3.DatabaseError(f"{path.name} is empty (0 bytes)")
    if wal.exists() and wal.stat().st_size > 0:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def remove_partial_files(data_dir: Path) -> tuple[Path, ...]:
    """Delete what an interrupted backup or restore left behind; the paths removed.

    Call with the instance lock held (no backup or restore is running then)."""
    removed: list[Path] = []
    directory = backups_dir(data_dir)
    candidates = list(directory.glob(".collection-*.partial*")) if directory.is_dir() else []
    candidates += data_dir.glob(f".{COLLECTION_FILE_NAME}.restoring*")
    for path in candidates:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return tuple(removed)


def _review_count(path: Path) -> int | None:
    try:
        connection = open_read_only(path)
        try:
            row = connection.execute("SELECT count(*) FROM review_log WHERE kind = 0").fetchone()
            return int(row[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def _info(path: Path, count_reviews: bool = True) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    created = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return BackupInfo(
        name=path.name,
        path=path,
        created=created,
        reason=match[4],
        size=path.stat().st_size,
        reviews=_review_count(path) if count_reviews else None,
    )


def list_backups(directory: Path, *, count_reviews: bool = True) -> tuple[BackupInfo, ...]:
    """Every backup in ``directory``, newest first.

    Counting each backup's answers reads its whole review log; with ``count_reviews=False``
    only names and sizes are read (``reviews`` is then None), for rotation and start-up.
    """
    if not directory.is_dir():
        return ()
    infos = [
        info for path in directory.iterdir() if (info := _info(path, count_reviews)) is not None
    ]
    return tuple(sorted(infos, key=lambda info: (info.created, info.name), reverse=True))


def _fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to sync it; the rename is journaled
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_name(directory: Path, now: datetime, reason: str) -> str:
    """A backup name not yet used in ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = require_utc(now).strftime("%Y%m%d-%H%M%S")
    name = f"collection-{stamp}-{reason}.sqlite3"
    serial = 1
    while (directory / name).exists():
        serial += 1
        name = f"collection-{stamp}.{serial}-{reason}.sqlite3"
    return name


def write_backup(
    source: sqlite3.Connection, directory: Path, now: datetime, reason: str
) -> BackupInfo:
    """Copy the database behind ``source`` into ``directory``; atomically, never partially."""
    name = _new_name(directory, now, reason)
    final = directory / name
    temporary = directory / f".{name}.partial"
    try:
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            target.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, final)
        _fsync_directory(directory)
    except (OSError, sqlite3.Error) as error:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"cannot write a backup to {directory}: {error}") from error
    info = _info(final)
    assert info is not None, name
    return info


def to_keep(
    backups: tuple[BackupInfo, ...], now: datetime, retention: Retention = Retention()
) -> set[Path]:
    """The backups that ``retention`` keeps (``backups`` newest first, as listed)."""
    now = require_utc(now)
    keep = {info.path for info in backups[: retention.recent]}
    keep |= {info.path for info in backups if info.reason in NEVER_ROTATED}

    def newest_per(bucket: Callable[[datetime], object], count: int, span: timedelta) -> None:
        seen: set[object] = set()
        for info in backups:  # newest first: the first of a bucket is its newest
            if now - info.created > span:
                break
            key = bucket(info.created)
            if key not in seen and len(seen) < count:
                seen.add(key)
                keep.add(info.path)

    newest_per(lambda when: when.date(), retention.daily, timedelta(days=retention.daily))
    newest_per(
        lambda when: when.isocalendar()[:2], retention.weekly, timedelta(weeks=retention.weekly)
    )
    newest_per(
        lambda when: (when.year, when.month),
        retention.monthly,
        timedelta(days=31 * retention.monthly),
    )
    return keep


def rotate(
    directory: Path,
    now: datetime,
    retention: Retention = Retention(),
    protect: BackupInfo | None = None,
) -> tuple[Path, ...]:
    """Delete the backups that ``retention`` does not keep (never ``protect``); their paths."""
    backups = list_backups(directory, count_reviews=False)
    keep = to_keep(backups, now, retention)
    removed = tuple(
        info.path
        for info in backups
        if info.path not in keep and (protect is None or info.path != protect.path)
    )
    for path in removed:
        path.unlink(missing_ok=True)
        Path(f"{path}-wal").unlink(missing_ok=True)
        Path(f"{path}-shm").unlink(missing_ok=True)
    return removed


def automatic_backup_due(directory: Path, now: datetime, interval: timedelta) -> bool:
    """True when no backup is younger than ``interval``."""
    newest = list_backups(directory, count_reviews=False)[:1]
    return not newest or require_utc(now) - newest[0].created >= interval


def find_backup(directory: Path, name: str) -> BackupInfo:
    """The backup called ``name`` (a unique start of a name will do)."""
    backups = list_backups(directory)
    exact = [info for info in backups if info.name == name]
    matches = exact or [info for info in backups if info.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if not backups:
        raise BackupError(f"there are no backups in {directory}")
    known = ", ".join(info.name for info in backups[:5])
    if not matches:
        raise BackupError(
            f"no backup called {name!r} in {directory}; run `metaflash restore` to list them "
            f"(newest: {known})"
        )
    raise BackupError(f"{name!r} matches {len(matches)} backups; give the full name")


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored: BackupInfo
    safety_backup: BackupInfo | None  # the collection as it was, None if there was none


def restore_backup(
    data_dir: Path, name: str, now: datetime, retention: Retention = Retention()
) -> RestoreResult:
    """Replace the collection with backup ``name``, after keeping the current one.

    Refuses while another metaflash has the collection open, and refuses a backup that is
    damaged or from a newer metaflash. The current collection is kept first: copied through
    SQLite when it is sound (``before-restore``), else byte for byte with its write-ahead log
    (``damaged``, or ``before-restore`` when only its log is left from a crash). Then a copy of
    the backup replaces it by an atomic rename, so an interruption leaves one or the other and
    nothing is written into the old file. The high-water mark is reset: the restored log
    legitimately ends earlier.
    """
    directory = backups_dir(data_dir)
    chosen = find_backup(directory, name)
    try:
        source = open_read_only(chosen.path)
    except sqlite3.Error as error:
        raise BackupError(f"{chosen.path}: cannot open this backup: {error}") from error
    try:
        check_schema(source, chosen.path)
        verdict = source.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{chosen.path}: this backup is damaged ({verdict}); pick another")
        with InstanceLock(data_dir, now):
            remove_partial_files(data_dir)
            safety = _save_current(collection_path(data_dir), directory, now)
            _replace_with(source, collection_path(data_dir))
            remove_mark(data_dir)
            rotate(directory, now, retention, protect=safety)
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore {chosen.name}: {error}") from error
    finally:
        source.close()
    return RestoreResult(restored=chosen, safety_backup=safety)


def keep_as_it_is(data_dir: Path, now: datetime) -> BackupInfo | None:
    """Accept a collection whose review log ends before its mark (answers were lost).

    Its files are first kept byte for byte among the backups (``damaged``: the dropped part
    of the write-ahead log is only there), then the mark is reset, so that the collection
    opens as it is. Refuses while another metaflash has it open.
    """
    path = collection_path(data_dir)
    with InstanceLock(data_dir, now):
        kept = (
            keep_byte_copy(path, backups_dir(data_dir), now, "damaged") if path.exists() else None
        )
        remove_mark(data_dir)
    return kept


def _sound(path: Path) -> bool:
    """Whether SQLite reads ``path`` as a collection that passes its quick check (read-only)."""
    try:
        with open(path, "rb") as stream:
            if not stream.read(16).startswith(b"SQLite format 3"):
                return False
        wal = Path(f"{path}-wal")
        flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"  # make no -wal file
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        check_schema(connection, path)
        return [str(row[0]) for row in connection.execute("PRAGMA quick_check")] == ["ok"]
    except (CollectionError, sqlite3.DatabaseError):
        return False
    finally:
        connection.close()


def _save_current(path: Path, directory: Path, now: datetime) -> BackupInfo | None:
    wal = Path(f"{path}-wal")
    size = path.stat().st_size if path.exists() else 0
    wal_size = wal.stat().st_size if wal.exists() else 0
    if not size and not wal_size:
        return None  # nothing there: nothing to keep
    if size == 0:  # never hand a 0-byte file to SQLite: it would delete the log beside it
        return keep_byte_copy(path, directory, now, "damaged")
    if not _sound(path):
        return keep_byte_copy(path, directory, now, "damaged")
    if wal_size:  # left by a crash (or with answers SQLite dropped): keep every byte of it
        return keep_byte_copy(path, directory, now, "before-restore")
    current = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return write_backup(current, directory, now, "before-restore")
    finally:
        current.close()


def keep_byte_copy(path: Path, directory: Path, now: datetime, reason: str) -> BackupInfo:
    """Keep the collection byte for byte (with its write-ahead log, if any) among the backups."""
    name = _new_name(directory, now, reason)
    final = directory / name
    for suffix in ("-wal", ""):  # the main file last: it is what makes the backup listed
        original = Path(f"{path}{suffix}")
        if original.exists():
            temporary = directory / f".{name}{suffix}.partial"
            shutil.copyfile(original, temporary)
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, Path(f"{final}{suffix}"))
    _fsync_directory(directory)
    info = _info(final)
    assert info is not None, final
    return info


def _replace_with(source: sqlite3.Connection, path: Path) -> None:
    """Make ``path`` a copy of ``source`` by writing a new file and renaming it into place."""
    temporary = path.with_name(f".{path.name}.restoring")
    temporary.unlink(missing_ok=True)
    copy = sqlite3.connect(temporary)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):  # the old file's log must not meet the new file
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, path)
    _fsync_directory(path.parent)
