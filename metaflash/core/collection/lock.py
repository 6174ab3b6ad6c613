"""One metaflash per collection: an OS file lock (flock / LockFileEx via ``filelock``).

The lock belongs to the open file descriptor, so the operating system releases it when the
process ends in any way, SIGKILL included: a lock file left behind by a killed process is
stale and simply taken over. The holder writes who it is into the lock file, so a refused
second instance can say which process has the collection open.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import filelock

from metaflash.core.collection.errors import CollectionError, CollectionLockedError

LOCK_FILE_NAME = "collection.lock"
_HOLDER_WIDTH = 256


class InstanceLock:
    """Held while a collection is open for writing. Not reentrant: a second lock on the same
    path, even in the same process, is refused like another process would be."""

    def __init__(self, data_dir: Path, now: datetime) -> None:
        self.path = data_dir / LOCK_FILE_NAME
        self._holder = f"pid {os.getpid()} on {socket.gethostname()}, since {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        self._lock = filelock.FileLock(
            self.path,
            timeout=0,
            thread_local=False,
            fallback_to_soft=False,  # a soft lock would outlive a killed process
            preserve_lock_file=True,
            on_acquired=self._write_holder,
        )

    def _write_holder(self, fd: int) -> None:
        # written in place, padded to a fixed width: truncating the file first would cost
        # as much as the rest of taking the lock (a journal commit on ext4)
        data = f"{self._holder}\n".encode().ljust(_HOLDER_WIDTH, b" ")
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        if os.fstat(fd).st_size > len(data):  # a longer note by an earlier holder
            os.ftruncate(fd, len(data))

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except filelock.Timeout as error:
            raise CollectionLockedError(self.path, self.read_holder()) from error
        except OSError as error:
            raise CollectionError(
                f"cannot lock {self.path}: {error.strerror or error}. Check that the data "
                "folder is writable and on a file system that supports locks."
            ) from error
        return self

    def read_holder(self) -> str:
        """Who wrote the lock file last (the holder, while it is held); empty if unknown."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
