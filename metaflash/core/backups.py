"""Automatic, rotated backups of the collection, and restoring one without losing data.

Backups are whole, consistent copies made with SQLite's online backup API (so a collection in
WAL mode is copied as of one transaction), written to a temporary name, synced and renamed
into ``<data dir>/backups/``. Names carry the UTC time and the reason:
``collection-20261122-014908-daily.sqlite3``. Restoring first backs up the current collection
(reason ``before-restore``), then copies the chosen backup into it inside one transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from metaflash.core.collection_errors import BackupError, CollectionError, SchemaTooNewError
from metaflash.core.collection_schema import check_schema
from metaflash.core.instance_lock import InstanceLock
from metaflash.core.study_day import require_utc

BACKUPS_DIR_NAME = "backups"
COLLECTION_FILE_NAME = "collection.sqlite3"
KEEP_BACKUPS = 10
AUTOMATIC_INTERVAL = timedelta(days=1)

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
    """A read-only connection that never writes next to ``path`` (no -wal or -shm files)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


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


def _info(path: Path) -> BackupInfo | None:
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
        reviews=_review_count(path),
    )


def list_backups(directory: Path) -> tuple[BackupInfo, ...]:
    """Every backup in ``directory``, newest first."""
    if not directory.is_dir():
        return ()
    infos = [info for path in directory.iterdir() if (info := _info(path)) is not None]
    return tuple(sorted(infos, key=lambda info: (info.created, info.name), reverse=True))


def _fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to sync it; the rename is journaled
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_backup(
    source: sqlite3.Connection, directory: Path, now: datetime, reason: str
) -> BackupInfo:
    """Copy the database behind ``source`` into ``directory``; atomically, never partially."""
    now = require_utc(now)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    name = f"collection-{stamp}-{reason}.sqlite3"
    serial = 1
    while (directory / name).exists():
        serial += 1
        name = f"collection-{stamp}.{serial}-{reason}.sqlite3"
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


def rotate(
    directory: Path, keep: int = KEEP_BACKUPS, protect: BackupInfo | None = None
) -> tuple[Path, ...]:
    """Delete all but the newest ``keep`` backups (never ``protect``); the deleted paths."""
    removed = tuple(
        info.path
        for info in list_backups(directory)[keep:]
        if protect is None or info.path != protect.path
    )
    for path in removed:
        path.unlink(missing_ok=True)
        Path(f"{path}-wal").unlink(missing_ok=True)
    return removed


def automatic_backup_due(directory: Path, now: datetime, interval: timedelta) -> bool:
    """True when no backup is younger than ``interval``."""
    newest = list_backups(directory)[:1]
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
    data_dir: Path, name: str, now: datetime, keep: int = KEEP_BACKUPS
) -> RestoreResult:
    """Replace the collection with backup ``name``, after backing up the current one.

    Refuses while another metaflash has the collection open, and refuses a backup that is
    damaged or from a newer metaflash. The copy happens in one SQLite transaction, so an
    interruption leaves the collection as it was. A current collection too damaged for SQLite
    to copy is kept byte for byte as a ``damaged`` backup, then replaced by a file rename.
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
            safety = _save_current(collection_path(data_dir), directory, now)
            _copy_into(source, collection_path(data_dir))
            rotate(directory, keep, protect=safety)
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore {chosen.name}: {error}") from error
    finally:
        source.close()
    return RestoreResult(restored=chosen, safety_backup=safety)


def _save_current(path: Path, directory: Path, now: datetime) -> BackupInfo | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        current = sqlite3.connect(path, isolation_level=None)
        try:
            check_schema(current, path)  # a newer schema is still backed up, as it is
        except SchemaTooNewError:
            pass
        finally:
            current.close()
        current = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return write_backup(current, directory, now, "before-restore")
        finally:
            current.close()
    except (CollectionError, sqlite3.DatabaseError):
        return _copy_damaged(path, directory, now)


def _copy_damaged(path: Path, directory: Path, now: datetime) -> BackupInfo:
    """Keep an unreadable collection byte for byte (with its WAL, if any) among the backups."""
    stamp = require_utc(now).strftime("%Y%m%d-%H%M%S")
    final = directory / f"collection-{stamp}-damaged.sqlite3"
    directory.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        original = Path(f"{path}{suffix}")
        if original.exists():
            copy = Path(f"{final}{suffix}")
            shutil.copyfile(original, copy)
            with open(copy, "rb+") as handle:
                os.fsync(handle.fileno())
    _fsync_directory(directory)
    info = _info(final)
    assert info is not None, final
    return info


def _copy_into(source: sqlite3.Connection, path: Path) -> None:
    """Make ``path`` a copy of ``source``: in one transaction, or by rename if it is damaged."""
    try:
        target = sqlite3.connect(path, isolation_level=None)
        try:
            check_schema(target, path)
            target.execute("PRAGMA journal_mode = WAL")
            source.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        finally:
            target.close()
    except (CollectionError, sqlite3.DatabaseError):
        pass
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
    for suffix in ("-wal", "-shm"):  # the damaged file's journal must not meet the new file
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, path)
    _fsync_directory(path.parent)
