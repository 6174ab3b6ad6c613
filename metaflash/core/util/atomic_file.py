"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``.

A reader (or a crash) sees either the old file or the complete new one, never half of it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def temporary_sibling(path: Path) -> Iterator[Path]:
    """A fresh temporary file name beside ``path``; the file is removed unless it was replaced."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def fsync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def replace_atomically(temp: Path, path: Path) -> None:
    """Move a finished temporary file over ``path`` durably."""
    fsync_file(temp)
    os.replace(temp, path)
    fsync_directory(path.parent)


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace ``path`` with what ``write`` writes to the stream it is given."""
    with temporary_sibling(path) as temp:
        with open(temp, "wb") as stream:
            write(stream)
        replace_atomically(temp, path)


def write_text_atomically(path: Path, text: str) -> None:
    data = text.encode("utf-8")

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomically(path, write)
