"""One writer per collection: a second instance is refused; a killed holder's lock is stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from engine_testing import START, Clock, make_deck, open_with

from metaflash.core.collection.errors import CollectionLockedError
from metaflash.core.collection.lock import LOCK_FILE_NAME
from metaflash.core.collection.store import Collection

HOLDER = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from metaflash.core.collection.store import Collection
collection = Collection.open(Path(sys.argv[1]), datetime(2026, 3, 2, 9, tzinfo=UTC))
print("open", flush=True)
time.sleep(60)
"""


def start_holder(data_dir: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    line = holder.stdout.readline()
    assert line.strip() == "open", holder.stderr.read() if holder.stderr else line
    return holder


def test_a_second_instance_in_the_same_process_is_refused(tmp_path: Path) -> None:
    first = Collection.open(tmp_path, START)
    with pytest.raises(CollectionLockedError) as raised:
        Collection.open(tmp_path, START)
    assert f"pid {os.getpid()}" in str(raised.value)
    assert "Close that window or command first" in str(raised.value)
    first.close(START)
    Collection.open(tmp_path, START).close(START)  # released on close


def test_another_process_holding_the_collection_is_named_then_its_stale_lock_taken_over(
    tmp_path: Path,
) -> None:
    holder = start_holder(tmp_path)
    try:
        with pytest.raises(CollectionLockedError) as raised:
            Collection.open(tmp_path, START)
        assert f"pid {holder.pid}" in str(raised.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        holder.stdout.close()  # type: ignore[union-attr]
        holder.stderr.close()  # type: ignore[union-attr]
    lock_file = tmp_path / LOCK_FILE_NAME
    assert f"pid {holder.pid}" in lock_file.read_text()  # the dead holder's note is still there
    collection = Collection.open(tmp_path, START)  # ...but the OS released its lock
    assert f"pid {os.getpid()}" in lock_file.read_text()
    collection.close(START)


def test_reading_while_another_instance_writes(tmp_path: Path) -> None:
    clock = Clock()
    writer = open_with(tmp_path, clock, make_deck("bio", 3))
    reader = Collection.open_read_only(tmp_path)
    try:
        assert not reader.writable
        assert len(reader.records([make_deck("bio").id])) == 3
        with pytest.raises(Exception, match="readonly"):
            reader.db.execute("DELETE FROM config")
    finally:
        reader.close(clock.now)
        writer.close(clock.now)


def test_the_holder_note_replaces_a_longer_one(tmp_path: Path) -> None:
    lock_file = tmp_path / LOCK_FILE_NAME
    lock_file.write_text("pid 1 on " + "a-very-long-host-name." * 40 + "\n")  # 900 bytes
    collection = Collection.open(tmp_path, START)
    try:
        note = lock_file.read_text()
        assert note.strip().startswith(f"pid {os.getpid()} on ")
        assert "a-very-long-host-name" not in note
    finally:
        collection.close(START)
