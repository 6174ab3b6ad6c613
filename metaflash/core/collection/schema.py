"""The collection's SQLite schema and its migrations (``PRAGMA user_version``).

Migration ``n`` (0-based in :data:`MIGRATIONS`) upgrades schema ``n`` to ``n + 1`` inside one
transaction, so an interrupted upgrade leaves the old schema intact. A file with a newer schema
than :data:`SCHEMA_VERSION` is refused before anything is written to it.

Tables
------
``review_log``
    The append-only source of truth: one row per answer (``kind`` 0), cram answer (1, state
    unchanged) or undo (2, ``undoes`` names the entry it cancels). Triggers refuse UPDATE and
    DELETE. Times are milliseconds since the Unix epoch, UTC. ``state_before``/``state_after``
    are :class:`~metaflash.core.scheduling.scheduler.CardState` JSON; ``settings`` names the scheduler
    settings in force (stored once in ``scheduler_settings``).
``prompts``
    One row per scheduled prompt (deck id, card id, variant). Its state columns are a cache of
    the log (``metaflash check`` rebuilds and compares them); the rest is the student's own
    marks (suspended, buried, flag, leech) and what the deck file says (position, stage,
    retired when the card left the file).
``decks``, ``scheduler_settings``, ``config``
    Deck titles and nesting as last seen, the settings versions, and typed settings as JSON.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from metaflash.core.collection.errors import NotACollectionError, SchemaTooNewError
from metaflash.core.collection.journal import start_journal

Migration = Callable[[sqlite3.Connection], None]

_V1: tuple[str, ...] = (
    """
    CREATE TABLE config (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    -- Not written since the deck files became the only truth about decks (title, parent,
    -- path); kept so that schema 1 stays as released. Nothing reads it.
    CREATE TABLE decks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        parent TEXT,
        path TEXT,
        synced_at INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE scheduler_settings (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,
        settings TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE prompts (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        variant TEXT NOT NULL,
        position INTEGER NOT NULL,
        stage TEXT,
        retired INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER,
        flag INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        phase INTEGER NOT NULL DEFAULT 0,
        due INTEGER,
        last_review INTEGER,
        stability REAL,
        state TEXT,
        UNIQUE (deck_id, card_id, variant)
    )
    """,
    """
    CREATE INDEX prompts_new ON prompts (deck_id, position)
        WHERE phase = 0 AND suspended = 0 AND retired = 0
    """,
    """
    CREATE INDEX prompts_due ON prompts (deck_id, phase, due)
        WHERE suspended = 0 AND retired = 0
    """,
    """
    CREATE INDEX prompts_stage ON prompts (stage, deck_id) WHERE stage IS NOT NULL
    """,
    """
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY,
        prompt INTEGER NOT NULL REFERENCES prompts (id),
        deck_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        variant TEXT NOT NULL,
        reviewed_at INTEGER NOT NULL,
        kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
        rating INTEGER CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER NOT NULL,
        state_before TEXT NOT NULL,
        state_after TEXT NOT NULL,
        phase_before INTEGER NOT NULL,
        interval_before_days REAL,
        settings INTEGER REFERENCES scheduler_settings (id),
        undoes INTEGER REFERENCES review_log (id),
        leech INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE INDEX review_log_prompt ON review_log (prompt, id)
    """,
    """
    CREATE INDEX review_log_time ON review_log (reviewed_at)
    """,
    """
    CREATE UNIQUE INDEX review_log_undoes ON review_log (undoes) WHERE undoes IS NOT NULL
    """,
    """
    CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
    BEGIN
        SELECT RAISE(ABORT, 'the review log is append-only: entries are never changed');
    END;
    """,
    """
    CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
    BEGIN
        SELECT RAISE(ABORT, 'the review log is append-only: entries are never deleted');
    END;
    """,
)


def _create_v1(connection: sqlite3.Connection) -> None:
    for statement in _V1:
        connection.execute(statement)


_V2: tuple[str, ...] = (
    # the device a log entry was made on (NULL: this collection's own) and its number there
    "ALTER TABLE review_log ADD COLUMN origin TEXT",
    "ALTER TABLE review_log ADD COLUMN origin_seq INTEGER",
    """
    CREATE UNIQUE INDEX review_log_origin ON review_log (origin, origin_seq)
        WHERE origin IS NOT NULL
    """,
    """
    CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        review INTEGER UNIQUE REFERENCES review_log (id),
        body TEXT,
        CHECK ((review IS NULL) != (body IS NULL))
    )
    """,
    """
    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN
        SELECT RAISE(ABORT, 'the journal is append-only: events are never changed');
    END;
    """,
    """
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN
        SELECT RAISE(ABORT, 'the journal is append-only: events are never deleted');
    END;
    """,
    """
    CREATE TABLE received (
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        deck_id TEXT,
        card_id TEXT,
        variant TEXT,
        body TEXT NOT NULL,
        applied INTEGER NOT NULL DEFAULT 0,  -- 0: waits for its prompt, or the answer it undoes
        PRIMARY KEY (device, seq)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX received_waiting ON received (deck_id, card_id, variant) WHERE applied = 0",
    """
    CREATE TABLE prompt_aliases (  -- a prompt's former keys: other devices may still use them
        deck_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        variant TEXT NOT NULL,
        prompt INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        PRIMARY KEY (deck_id, card_id, variant)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE newer_events (
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        line TEXT NOT NULL,
        PRIMARY KEY (device, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE mark_clock (
        deck_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        variant TEXT NOT NULL,
        field TEXT NOT NULL,
        time INTEGER NOT NULL,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        value INTEGER,
        PRIMARY KEY (deck_id, card_id, variant, field)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE setting_clock (
        name TEXT PRIMARY KEY,
        time INTEGER NOT NULL,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE sync_files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        read_to INTEGER NOT NULL,
        lines INTEGER NOT NULL,
        head BLOB NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE sync_problems (
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (path, line)
    ) WITHOUT ROWID
    """,
)


def _add_sync_v2(connection: sqlite3.Connection) -> None:
    """Schema 2: sync between devices (:mod:`metaflash.core.sync`). The history so far
    becomes this device's journal, so that another device receives it too."""
    for statement in _V2:
        connection.execute(statement)
    start_journal(connection)


#: ``MIGRATIONS[n]`` upgrades schema ``n`` to ``n + 1``. Append, never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (_create_v1, _add_sync_v2)
SCHEMA_VERSION = len(MIGRATIONS)

#: Every metaflash collection has these tables (used to tell a foreign database apart).
_REQUIRED_TABLES = frozenset({"config", "decks", "prompts", "review_log", "scheduler_settings"})


def schema_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_schema(
    connection: sqlite3.Connection, path: Path, supported: int = SCHEMA_VERSION
) -> int:
    """The file's schema version; refuses a newer one and a database that is not a collection.

    Only reads: call it before any PRAGMA that could write (``journal_mode``) so that a refused
    file is never altered.
    """
    try:
        version = schema_version(connection)
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as error:
        raise NotACollectionError(
            f"{path}: this file is not a metaflash collection ({error}). Restore a backup with "
            "`metaflash restore`, or move the file away to start a new collection.",
            str(error),
        ) from error
    if version > supported:
        raise SchemaTooNewError(path, version, supported)
    if version == 0 and tables:
        others = ", ".join(sorted(tables))
        raise NotACollectionError(
            f"{path}: this SQLite file holds other tables ({others}) and is "
            "not a metaflash collection. Move it away to start a new collection.",
            f"it holds other tables: {others}",
        )
    if version > 0 and not _REQUIRED_TABLES <= tables:
        missing = ", ".join(sorted(_REQUIRED_TABLES - tables))
        raise NotACollectionError(
            f"{path}: this collection lacks the tables {missing}. Restore a backup with "
            "`metaflash restore`.",
            f"it lacks the tables {missing}",
        )
    return version


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema up to ``len(migrations)``, all in one transaction; the old version.

    The connection must be in autocommit mode (``isolation_level=None``).
    """
    target = len(migrations)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        current = schema_version(connection)
        if current > target:
            raise SchemaTooNewError(Path("collection"), current, target)
        for version in range(current, target):
            migrations[version](connection)
            connection.execute(f"PRAGMA user_version = {version + 1}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return current
