"""Sync through a real file-sync tool: rsync carries the folder between two devices' copies,
both ways, including a transfer cut off half-way through a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from engine_testing import Clock
from sync_testing import Device, assert_converged

from metaflash.core.collection.records import Flag
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.sync.folder import APP_FOLDER
from metaflash.core.sync.framing import read_framed

pytestmark = pytest.mark.slow


def rsync() -> str:
    found = shutil.which("rsync")
    if found is None:  # .ci/run installs it (Debian: rsync)
        missing = "rsync is not installed (see .ci/run)"
        pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
    return found


def push(device: Device, target: Path, *options: str) -> None:
    """rsync ``device``'s own folder of its copy of the sync folder into another copy, as a
    sync job that pushes each device's files from that device does."""
    folder = f"{APP_FOLDER}/{device.collection.device_id}"
    (target / folder).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [rsync(), "-a", *options, f"{device.view / folder}/", f"{target / folder}/"],
        check=True,
        capture_output=True,
        timeout=60,
    )


def exchange(laptop: Device, desktop: Device) -> None:
    push(laptop, desktop.view)
    push(desktop, laptop.view)


def test_two_devices_synced_by_rsync_converge(tmp_path: Path) -> None:
    clock = Clock()
    laptop, desktop = Device(tmp_path, "laptop", clock), Device(tmp_path, "desktop", clock)
    ratings = [Rating.GOOD, Rating.AGAIN, Rating.EASY, Rating.HARD]
    for turn in range(6):
        for device in (laptop, desktop):
            device.answer(ratings[turn % 4])
            clock.advance(seconds=40)
            device.sync()
        exchange(laptop, desktop)
        if turn == 2:
            desktop.flag(1, 5)
            laptop.undo_newest()
        clock.advance(minutes=15)
    for _ in range(2):
        for device in (laptop, desktop):
            device.sync()
        exchange(laptop, desktop)
    laptop.sync()
    desktop.sync()
    assert_converged([laptop, desktop])
    laptop.close()
    desktop.close()


def test_a_transfer_cut_off_half_way_is_taken_in_when_it_completes(tmp_path: Path) -> None:
    clock = Clock()
    laptop, desktop = Device(tmp_path, "laptop", clock), Device(tmp_path, "desktop", clock)
    for turn in range(4):
        laptop.answer(Rating.GOOD)
        clock.advance(seconds=20)
    records = laptop.collection.records([laptop.deck.id])
    for turn in range(800):  # a long journal: its file takes a while at a slow line
        laptop.collection.set_flag(records, Flag(turn % 8))
        clock.advance(seconds=1)
    laptop.sync()
    (journal,) = (laptop.view / APP_FOLDER / laptop.collection.device_id).glob("journal-*")
    target = desktop.view / APP_FOLDER / journal.parent.name / journal.name
    target.parent.mkdir(parents=True)
    transfer = subprocess.Popen(
        [rsync(), "-a", "--inplace", "--bwlimit=50", f"{journal.parent}/", f"{target.parent}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not target.exists() or target.stat().st_size < 2000):
        time.sleep(0.05)
    transfer.kill()
    transfer.wait()
    part = target.read_bytes()
    assert 0 < len(part) < journal.stat().st_size  # the copy stopped half-way
    framed = read_framed(part)
    report = desktop.sync()
    assert report.problems == []  # a cut-off tail is not damage
    assert report.merge.received == len(framed.records) > 0
    push(laptop, desktop.view)  # the tool finishes
    report = desktop.sync()
    assert report.problems == [] and report.merge.received > 0
    assert_converged([laptop, desktop])
    laptop.close()
    desktop.close()
