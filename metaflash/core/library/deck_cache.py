"""Parsed deck and diagram files kept between starts, so that a start with unchanged decks
does not parse them again (a 20,000-card deck takes about a second to parse).

An accelerator only: deleting the cache, or finding it damaged, written by another version
of metaflash, or disagreeing with a file, changes nothing but speed. An entry is used only
for the same file path, shown under the same name, with the same bytes (a BLAKE2 hash of the
whole file, read at every start: a changed file can never be served stale, whatever its
size and modification time say), written by the same program (metaflash's version, the
cache format, Python's version and the parser's own source files). Entries of files no
longer loaded are dropped after each full load.

The entries are pickles of the loader's own values. They live in the user's data folder,
written and read by the user's own metaflash only, like the collection beside them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Final

import metaflash
from metaflash import __version__
from metaflash.core.library.lazy_pickle import Encodings, dumps

CACHE_FORMAT: Final = 1
#: The modules whose code decides what a file parses to: a change in any is a new program.
PARSER_PARTS: Final = (
    "core/decks",
    "core/diagrams",
    "core/library/file_reading.py",
    "core/library/snapshot.py",  # the checks across files: they decide a deck's steps too
    "core/library/library_memo.py",  # what a stored library depends on
    "core/library/lazy_pickle.py",  # how its decks are stored
)


@functools.cache
def program_key() -> str:
    """What wrote an entry: it must match exactly for the entry to be used (once per run)."""
    package = Path(metaflash.__file__).parent
    sources: list[str] = []
    for part in PARSER_PARTS:
        root = package / part
        files = sorted(root.glob("*.py")) if root.is_dir() else [root]
        for path in files:
            try:
                info = path.stat()
            except OSError:  # a bundle keeps no sources: its program file stands for them
                sources.append(f"{part}:?")
                continue
            sources.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    if getattr(sys, "frozen", False):
        try:
            info = os.stat(sys.executable)
            sources.append(f"{sys.executable}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            sources.append("frozen:?")
    digest = hashlib.blake2b("\n".join(sources).encode(), digest_size=16).hexdigest()
    python = "{}.{}".format(*sys.version_info[:2])
    return f"{__version__}/{CACHE_FORMAT}/{python}/{digest}"


class ParsedFileCache:
    """The cache in one SQLite file; every failure to use it means "not cached"."""

    def __init__(self, path: Path, *, defer_writes: bool = False) -> None:
        self.path = path
        self.defer_writes = defer_writes  # the owner calls flush() (or close()) itself
        self._pending: dict[tuple[str, str], tuple[bytes, object]] = {}
        self.program = program_key()
        self._db: sqlite3.Connection | None = None
        self._off = False  # could not be opened even afresh: run without it
        self._seen: set[tuple[str, str]] = set()
        self.hits = 0  # files served parsed
        self.misses = 0  # files parsed
        self.served = 0  # whole libraries served (see library_memo)
        self.encodings = Encodings()  # decks' cards encoded during this load

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._off:
            return self._db
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # a lost entry is parsed again
                db.execute(
                    "CREATE TABLE IF NOT EXISTS parsed (path TEXT, shown TEXT, digest BLOB, "
                    "program TEXT, payload BLOB, PRIMARY KEY (path, shown))"
                )
                self._db = db
                return db
            except (sqlite3.Error, OSError):
                if attempt == 0:
                    self._discard()  # damaged: start it again
        self._off = True
        return None

    def _discard(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass

    def lookup(self, path: Path, shown: str, digest: bytes) -> object | None:
        """The value stored for exactly this file and these bytes (``digest`` is their
        hash, see :func:`~metaflash.core.library.file_reading.content_digest`), or None."""
        payload = self.lookup_payload(str(path), shown, digest)
        try:
            value: object = None if payload is None else pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a damaged entry is only a miss
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def lookup_payload(self, path: str, shown: str, digest: bytes) -> bytes | None:
        """The bytes stored under this key and this program, or None."""
        key = (path, shown)
        if key in self._pending:
            self.flush()
        self._seen.add(key)
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT payload FROM parsed WHERE path = ? AND shown = ? AND digest = ? "
                "AND program = ?",
                (*key, digest, self.program),
            ).fetchone()
        except sqlite3.Error:
            self._discard()
            return None
        return row[0] if row is not None and isinstance(row[0], bytes) else None

    def keep(self, path: str, shown: str) -> None:
        """Keep this entry after the load (:meth:`finish_load`) though it was not looked up."""
        self._seen.add((path, shown))

    def store(self, path: Path | str, shown: str, digest: bytes, value: object) -> None:
        """Keep ``value`` for this key (``digest``: of the file's bytes). It is pickled and
        written by :meth:`flush`: the caller hands it over and must not change it."""
        key = (str(path), shown)
        self._seen.add(key)
        self._pending[key] = (digest, value)

    def flush(self) -> None:
        """Write what :meth:`store` was given, in one transaction. ``load_library`` calls
        it at the end of a load, unless ``defer_writes``: then its owner does, once the
        window shows (a changed 20,000-card deck takes ~80 ms to store)."""
        pending, self._pending = self._pending, {}
        rows = []
        for (path, shown), (digest, value) in pending.items():
            try:
                payload = dumps(value, self.encodings)
            except (pickle.PicklingError, TypeError, AttributeError):
                continue  # not storable: parsed again next time
            rows.append((path, shown, digest, self.program, payload))
        self.encodings.clear()
        db = self._connect() if rows else None
        if db is None:
            return
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.Error:
            self._discard()

    def finish_load(self) -> None:
        """After a load of the whole library: drop the entries of files it did not meet."""
        db = self._connect()
        seen, self._seen = self._seen, set()
        if db is None or not seen:
            return
        try:
            rows = db.execute("SELECT path, shown FROM parsed").fetchall()
            gone = [row for row in rows if (row[0], row[1]) not in seen]
            db.executemany("DELETE FROM parsed WHERE path = ? AND shown = ?", gone)
        except sqlite3.Error:
            self._discard()

    def close(self) -> None:
        """Write what is pending and close the file (a later use opens it again)."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
