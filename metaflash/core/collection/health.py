"""Look at the collection before anything writes to it: open it, create it, or refuse.

:func:`inspect_collection` only reads. It runs before :meth:`Collection.open` lets SQLite
write (``journal_mode``, a migration, ``optimize``, reconciling decks), and it never hands a
0-byte file to SQLite, which deletes the write-ahead log beside an empty database.

A collection is created only where there was none: no file, no write-ahead log, no backups
and no answers in the mark (:mod:`~metaflash.core.collection.answer_mark`). Anything else that is not a
sound collection raises :class:`DamagedCollectionError`, which names the newest good backup:

====================================  ==============================================
what is found                          verdict
====================================  ==============================================
no file, nothing else                  a new collection
no file; a WAL, backups or a mark      ``missing``
0 bytes (with or without a WAL)        ``empty`` (a new collection if nothing else)
not SQLite's header                    ``not-sqlite``
another application's database         ``not-a-collection``
SQLite reports damage                  ``damaged``
the log ends before the mark           ``lost-answers``
====================================  ==============================================

The full check (``PRAGMA quick_check``: every page read, about 200 ms for 100,000 cards with
350,000 reviews here) runs unless the mark says metaflash closed this very file cleanly and
its size, modification time and change counter are still what it left, and there is no
write-ahead log: the usual start then costs a header read and two indexed queries (well under
a millisecond). Damage that a disk makes without touching any of these is found by SQLite when
it reads the page, and by ``metaflash check``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from metaflash.core.collection.answer_mark import Mark, file_counter, read_mark
from metaflash.core.collection.backups import (
    backups_dir,
    collection_path,
    list_backups,
    open_read_only,
)
from metaflash.core.collection.errors import (
    CollectionError,
    DamagedCollectionError,
    DamageKind,
    GoodBackup,
    NotACollectionError,
)
from metaflash.core.collection.schema import check_schema

SQLITE_HEADER = b"SQLite format 3\x00"
#: The ``config`` key of the collection's random id (compared with the mark's).
COLLECTION_ID_KEY = "collection_id"


@dataclass(frozen=True, slots=True)
class Health:
    """A collection that may be opened (or created, when ``exists`` is False)."""

    exists: bool
    last_review: int = 0  # the newest review_log id
    collection_id: str | None = None
    fully_checked: bool = False


def wal_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def newest_good_backup(data_dir: Path) -> GoodBackup | None:
    """The newest backup that opens as a collection and passes SQLite's quick check."""
    for info in list_backups(backups_dir(data_dir)):
        if info.reason == "damaged" or info.reviews is None:
            continue
        try:
            connection = open_read_only(info.path)
        except sqlite3.Error:
            continue
        try:
            check_schema(connection, info.path)
            if [str(row[0]) for row in connection.execute("PRAGMA quick_check")] == ["ok"]:
                return GoodBackup(info.name, info.created, info.reviews)
        except (sqlite3.Error, CollectionError):
            continue
        finally:
            connection.close()
    return None


def _refuse(
    data_dir: Path,
    path: Path,
    kind: DamageKind,
    problem: str,
    timezone: tzinfo | None,
    lost: int = 0,
    answers_now: int | None = None,
) -> DamagedCollectionError:
    return DamagedCollectionError(
        data_dir, path, kind, problem, newest_good_backup(data_dir), lost, timezone, answers_now
    )


def _unchanged_since_clean_close(path: Path, mark: Mark | None) -> bool:
    if mark is None or not mark.clean or _size(wal_path(path)) > 0:
        return False
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, file_counter(path)) == (
        mark.size,
        mark.mtime_ns,
        mark.counter,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def inspect_collection(data_dir: Path, timezone: tzinfo | None = None) -> Health:
    """Read-only verdict on the collection in ``data_dir``; see the module's description.

    Raises :class:`DamagedCollectionError` (and :class:`SchemaTooNewError` for a file from a
    newer metaflash). Call it with the instance lock held when opening for writing.
    """
    path = collection_path(data_dir)
    mark = read_mark(data_dir)  # before the database: a writer acknowledges after committing
    wal_bytes = _size(wal_path(path))
    recorded = mark.last_review if mark is not None else 0

    def had_backups() -> bool:  # asked only where no sound file is there
        return bool(list_backups(backups_dir(data_dir), count_reviews=False))

    def evidence() -> str:
        if wal_bytes:
            return f"its write-ahead log ({wal_path(path).name}) still holds {wal_bytes:,} bytes"
        if had_backups():
            return "backups of it exist"
        return f"{_plural(recorded, 'review')} were recorded in it"

    if not path.exists():
        if wal_bytes or recorded or had_backups():
            raise _refuse(
                data_dir,
                path,
                DamageKind.MISSING,
                f"the collection file is missing, but {evidence()}.",
                timezone,
            )
        return Health(exists=False)
    size = _size(path)
    if size == 0:
        if wal_bytes or recorded or had_backups():
            raise _refuse(
                data_dir,
                path,
                DamageKind.EMPTY,
                f"the collection file is empty (0 bytes), but {evidence()}.",
                timezone,
            )
        return Health(exists=False)
    with open(path, "rb") as stream:
        header = stream.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise _refuse(
            data_dir,
            path,
            DamageKind.NOT_SQLITE,
            "this file is not a SQLite database (its header is not SQLite's): it was "
            "overwritten or damaged.",
            timezone,
        )
    full = not _unchanged_since_clean_close(path, mark)
    # Without a WAL, read the file as immutable: SQLite then creates no -wal or -shm beside it.
    flags = "mode=ro" if wal_path(path).exists() else "mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
    except sqlite3.Error as error:
        raise _refuse(
            data_dir, path, DamageKind.DAMAGED, f"SQLite cannot open it ({error}).", timezone
        ) from error
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise _refuse(
                data_dir,
                path,
                DamageKind.DAMAGED,
                f"the file is damaged: SQLite cannot read its schema ({error}).",
                timezone,
            ) from error
        try:
            version = check_schema(connection, path)
        except NotACollectionError as error:
            raise _refuse(
                data_dir,
                path,
                DamageKind.NOT_A_COLLECTION,
                f"this file is not a metaflash collection ({error.reason}).",
                timezone,
            ) from error
        if version == 0:  # a file that a first start created and never finished
            if recorded or had_backups():
                raise _refuse(
                    data_dir,
                    path,
                    DamageKind.EMPTY,
                    f"the collection file holds no collection, but {evidence()}.",
                    timezone,
                )
            return Health(exists=True, fully_checked=False)
        if full:
            try:
                verdicts = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
            except sqlite3.DatabaseError as error:
                verdicts = [str(error)]
            if verdicts != ["ok"]:
                raise _refuse(
                    data_dir,
                    path,
                    DamageKind.DAMAGED,
                    f"the file is damaged (SQLite's check reports: {verdicts[0]}).",
                    timezone,
                )
        try:
            last = int(connection.execute("SELECT max(id) FROM review_log").fetchone()[0] or 0)
            row = connection.execute(
                "SELECT value FROM config WHERE key = ?", (COLLECTION_ID_KEY,)
            ).fetchone()
            lost_answers = (
                mark is not None
                and str(row[0] if row else None) == mark.collection_id
                and mark.last_review > last
            )
            answers_now = (
                int(
                    connection.execute("SELECT count(*) FROM review_log WHERE kind = 0").fetchone()[
                        0
                    ]
                )
                if lost_answers
                else None
            )
        except sqlite3.DatabaseError as error:
            raise _refuse(
                data_dir,
                path,
                DamageKind.DAMAGED,
                f"the file is damaged: its review log cannot be read ({error}).",
                timezone,
            ) from error
    finally:
        connection.close()
    collection_id = None if row is None else str(row[0])
    if mark is not None and collection_id == mark.collection_id and mark.last_review > last:
        lost = mark.last_review - last
        raise _refuse(
            data_dir,
            path,
            DamageKind.LOST_ANSWERS,
            f"the review log ends {lost:,} entr{'y' if lost == 1 else 'ies'} before what was "
            "recorded "
            f"(entry {last:,} of {mark.last_review:,}). Its write-ahead log was probably "
            "damaged or replaced by an older copy, and SQLite dropped the answers after the "
            "damage.",
            timezone,
            lost=lost,
            answers_now=answers_now,
        )
    return Health(exists=True, last_review=last, collection_id=collection_id, fully_checked=full)
