"""The ``config`` table: the collection's own values by key (its id, its device's id and name,
its settings, what syncing and reconciling remember), read and written in one place."""

from __future__ import annotations

import sqlite3


def read_config(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM config WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def write_config(db: sqlite3.Connection, key: str, value: str | None) -> None:
    """Set ``key`` to ``value`` (None: remove it); inside the caller's transaction."""
    if value is None:
        db.execute("DELETE FROM config WHERE key = ?", (key,))
    else:
        db.execute(
            "INSERT INTO config (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
