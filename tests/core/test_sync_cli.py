"""`metaflash sync`: choose the folder once, sync, see the devices; clear errors otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_testing import Clock, run_command
from sync_testing import Device

from metaflash.commands import sync as sync_command
from metaflash.core.scheduling.scheduler import Rating


def test_the_folder_is_chosen_once_and_remembered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    laptop, desktop = Device(tmp_path, "laptop", clock), Device(tmp_path, "desktop", clock)
    laptop.answer(Rating.GOOD)
    desktop.answer(Rating.EASY)
    for device in (laptop, desktop):
        device.close()
    shared = tmp_path / "Sync"
    shared.mkdir()
    assert (
        run_command(
            sync_command,
            laptop.data,
            "sync",
            "--folder",
            str(shared),
            "--name",
            "Laptop",
            clock=clock,
        )
        == 0
    )
    assert "Wrote 2 events of this device" in capsys.readouterr().out
    assert (
        run_command(
            sync_command,
            desktop.data,
            "sync",
            "--folder",
            str(shared),
            "--name",
            "Desk",
            clock=clock,
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Took in 2 events not seen before from 1 other device, among them 1 answer" in out
    clock.advance(minutes=5)
    assert run_command(sync_command, laptop.data, "sync", "--json", clock=clock) == 0  # remembered
    report = json.loads(capsys.readouterr().out)
    assert report["folder"] == str(shared.resolve()) and report["answers"] == 1
    assert run_command(sync_command, laptop.data, "sync", "--status", "--json", clock=clock) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["device"]["name"] == "Laptop"
    assert [(d["name"], d["events"]) for d in status["devices"]] == [("Desk", 2)]
    assert status["last_sync"] is not None and status["waiting"] == 0
    assert run_command(sync_command, laptop.data, "sync", "--status", clock=clock) == 0
    text = capsys.readouterr().out
    assert "This device: Laptop" in text and "Desk (" in text and "2 events" in text


def test_without_a_folder_it_says_how_to_choose_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(sync_command, tmp_path / "data", "sync") == 1
    assert "metaflash sync --folder DIR" in capsys.readouterr().err
    assert (
        run_command(sync_command, tmp_path / "data", "sync", "--folder", str(tmp_path / "nope"))
        == 1
    )
    err = capsys.readouterr().err
    assert "does not exist" in err and str(tmp_path / "nope") in err
    assert (
        run_command(sync_command, tmp_path / "data", "sync") == 1
    )  # a bad folder is not remembered


def test_a_blank_device_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(sync_command, tmp_path / "data", "sync", "--name", "   ") == 2
    assert "a device needs a name" in capsys.readouterr().err
