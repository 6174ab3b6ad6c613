"""`metaflash restore`: list backups, restore one, and say clearly when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_testing import Clock, run_command
from test_backups import study_and_close

from metaflash.commands import restore as restore_command
from metaflash.core.collection.backups import backups_dir, list_backups
from metaflash.core.collection.store import Collection


def test_listing_and_restoring(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(restore_command, tmp_path, "restore") == 0
    assert "No backups yet" in capsys.readouterr().out
    clock = Clock()
    study_and_close(tmp_path, clock, 3)
    clock.advance(days=1, hours=1)
    study_and_close(tmp_path, clock, 2)
    assert run_command(restore_command, tmp_path, "restore") == 0
    listing = capsys.readouterr().out.splitlines()
    newest, oldest = list_backups(backups_dir(tmp_path))
    assert newest.name in listing[1] and "5 answers" in listing[1]
    assert oldest.name in listing[2] and "3 answers" in listing[2]
    assert "KB" in listing[1] and listing[-1] == "Restore one with: metaflash restore NAME"

    assert run_command(restore_command, tmp_path, "restore", oldest.name) == 0
    out = capsys.readouterr().out
    assert f"Restored {oldest.name}" in out and "before-restore" in out
    collection = Collection.open(tmp_path, clock.now)
    assert collection.review_count() == 3
    collection.close(clock.now)


def test_restore_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    study_and_close(tmp_path, clock, 1)
    assert run_command(restore_command, tmp_path, "restore", "nonsense") == 1
    assert "no backup called 'nonsense'" in capsys.readouterr().err
    collection = Collection.open(tmp_path, clock.now)
    try:
        name = list_backups(backups_dir(tmp_path))[0].name
        assert run_command(restore_command, tmp_path, "restore", name) == 1
        assert "already open in another metaflash" in capsys.readouterr().err
    finally:
        collection.close(clock.now)
