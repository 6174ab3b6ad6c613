"""The high-water mark: how far the review log reached, kept outside SQLite.

SQLite's WAL has checksums: when a frame is damaged (a disk error, a sync tool that copied a
half-written file), SQLite replays the log up to the damage and silently drops every commit
after it. The collection itself cannot tell; this small file beside it can. After every
committed answer, undo or cram answer, the collection writes the newest review id here
(``collection.mark``). Opening the collection compares: a review log that ends before the
mark has lost acknowledged answers, and the user is told before anything writes to the file.

The file also says whether metaflash closed the collection cleanly, with the size, the
modification time and SQLite's change counter it left: a file still exactly so needs no full
integrity check at the next start (see :mod:`~metaflash.core.collection.health`).

Cost and durability. An answer rewrites 128 bytes in place with ``pwrite`` on a descriptor
kept open (a few microseconds, no fsync): the answer's own COMMIT has already synced, so the
mark is never ahead of what SQLite acknowledged. A process kill keeps the write (it is in the
page cache); a power cut may lose the newest marks, which only makes the check miss a loss,
never report one that did not happen. Closing syncs it. A torn or garbled mark fails its CRC
and is treated as absent.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

MARK_FILE_NAME = "collection.mark"
_SIZE = 128
_MAGIC = "metaflash-mark"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Mark:
    """What the last writer of the collection acknowledged."""

    collection_id: str  # the collection's random id (its ``config`` row)
    last_review: int  # the newest review_log id acknowledged (0: none yet)
    clean: bool  # closed cleanly: the file was left exactly as size/mtime/counter say
    size: int = 0
    mtime_ns: int = 0
    counter: int = 0  # SQLite's file change counter (header bytes 24..27)

    def encode(self) -> bytes:
        body = (
            f"{_MAGIC} {_VERSION} {self.collection_id} {self.last_review} {int(self.clean)} "
            f"{self.size} {self.mtime_ns} {self.counter}"
        )
        line = f"{body} {zlib.crc32(body.encode()):08x}"
        data = line.encode("ascii")
        if len(data) >= _SIZE:
            raise ValueError("mark too long")
        return data + b" " * (_SIZE - 1 - len(data)) + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> Mark | None:
        try:
            words = data.decode("ascii").split()
        except UnicodeDecodeError:
            return None
        if len(words) != 9 or words[0] != _MAGIC or words[1] != str(_VERSION):
            return None
        body, crc = " ".join(words[:8]), words[8]
        if f"{zlib.crc32(body.encode()):08x}" != crc:
            return None
        try:
            last, clean, size, mtime, counter = (int(word) for word in words[3:8])
        except ValueError:
            return None
        return cls(words[2], last, clean == 1, size, mtime, counter)


def mark_path(data_dir: Path) -> Path:
    return data_dir / MARK_FILE_NAME


def read_mark(data_dir: Path) -> Mark | None:
    """The mark beside the collection, or None (absent, torn, or from another version)."""
    try:
        data = mark_path(data_dir).read_bytes()
    except OSError:
        return None
    return Mark.decode(data[:_SIZE])


def remove_mark(data_dir: Path) -> None:
    mark_path(data_dir).unlink(missing_ok=True)


def file_counter(path: Path) -> int:
    """SQLite's file change counter, from the database header (0 when unreadable)."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(28)
    except OSError:
        return 0
    return int.from_bytes(header[24:28], "big") if len(header) == 28 else 0


class MarkWriter:
    """The open mark of a collection being written (held by :class:`Collection`)."""

    def __init__(self, data_dir: Path, collection_id: str, last_review: int) -> None:
        self.path = mark_path(data_dir)
        self._mark = Mark(collection_id, last_review, clean=False)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        self._write()

    def _write(self) -> None:
        if self._fd is None:
            return
        data = self._mark.encode()
        if hasattr(os, "pwrite"):
            os.pwrite(self._fd, data, 0)
        else:  # Windows
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, data)

    def acknowledge(self, review_id: int) -> None:
        """A review up to ``review_id`` is committed."""
        if review_id > self._mark.last_review:
            self._mark = replace(self._mark, last_review=review_id)
            self._write()

    def seal(self, database: Path) -> None:
        """The collection is closed: record the file as it was left, and sync."""
        try:
            stat = database.stat()
        except OSError:
            stat = None
        if stat is not None:
            self._mark = replace(
                self._mark,
                clean=True,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                counter=file_counter(database),
            )
            self._write()
        self.close(sync=True)

    def close(self, sync: bool = False) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
