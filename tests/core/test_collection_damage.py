"""A damaged collection is never written to, never silently replaced, and never loses answers.

Each scenario of :mod:`collection_damage` goes through the core (``Collection.open``), the
command line (``check``, ``stats``) and, in ``tests/ui/test_damaged_collection.py``, the
window's start. For each: the open is refused with the kind of damage, no byte of the
collection or its WAL changes, the message names the newest good backup (its date and
answers) and the command that restores it, and restoring it keeps the damaged files byte for
byte among the backups, so no acknowledged answer is gone for good.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from collection_damage import (
    FIRST_ANSWERS,
    LATER_ANSWERS,
    SCENARIOS,
    Scenario,
    collection_file,
    damaged_folder,
    snapshot,
    study,
    wal_file,
)
from engine_testing import Clock, run_command

from metaflash.commands import check as check_command
from metaflash.commands import stats as stats_command
from metaflash.core.collection.answer_mark import read_mark
from metaflash.core.collection.backups import (
    backups_dir,
    keep_as_it_is,
    list_backups,
    restore_backup,
)
from metaflash.core.collection.errors import DamagedCollectionError, DamageKind
from metaflash.core.collection.health import inspect_collection
from metaflash.core.collection.store import Collection

ALL = [pytest.param(scenario, id=scenario.name) for scenario in SCENARIOS]


@pytest.mark.parametrize("scenario", ALL)
def test_the_core_refuses_and_writes_nothing(tmp_path: Path, scenario: Scenario) -> None:
    clock = Clock()
    data_dir = damaged_folder(tmp_path, scenario, clock)
    before = snapshot(data_dir)
    with pytest.raises(DamagedCollectionError) as raised:
        Collection.open(data_dir, clock.advance(minutes=1))
    error = raised.value
    assert error.kind is scenario.kind
    assert snapshot(data_dir) == before  # not a byte written, not a file created or deleted
    assert error.backup is not None and error.backup.reviews == FIRST_ANSWERS
    message = str(error)
    assert error.backup.name in message and f"{FIRST_ANSWERS} answers" in message
    assert f"restore {error.backup.name}" in message
    assert str(data_dir) in message
    # asking again changes nothing either (no partial repair on the first try)
    with pytest.raises(DamagedCollectionError):
        Collection.open(data_dir, clock.now)
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("scenario", ALL)
def test_restoring_keeps_the_damaged_files_byte_for_byte(
    tmp_path: Path, scenario: Scenario
) -> None:
    clock = Clock()
    data_dir = damaged_folder(tmp_path, scenario, clock)
    before = snapshot(data_dir)
    with pytest.raises(DamagedCollectionError) as raised:
        Collection.open(data_dir, clock.advance(minutes=1))
    backup = raised.value.backup
    assert backup is not None
    result = restore_backup(data_dir, backup.name, clock.advance(minutes=1))
    kept = result.safety_backup
    if not before["collection.sqlite3"] and not before["collection.sqlite3-wal"]:
        assert kept is None  # no byte was there to keep
    else:
        assert kept is not None
        assert kept.path.read_bytes() == before["collection.sqlite3"]
        kept_wal = Path(f"{kept.path}-wal")
        assert (kept_wal.read_bytes() if kept_wal.exists() else None) == before[
            "collection.sqlite3-wal"
        ]
    collection = Collection.open(data_dir, clock.advance(minutes=1))
    try:
        assert collection.review_count() == FIRST_ANSWERS
    finally:
        collection.close(clock.now)


@pytest.mark.parametrize("scenario", ALL)
@pytest.mark.parametrize("command", ["check", "stats"])
def test_the_command_line_explains_and_exits_1(
    tmp_path: Path, scenario: Scenario, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    data_dir = damaged_folder(tmp_path, scenario, clock)
    before = snapshot(data_dir)
    module = check_command if command == "check" else stats_command
    assert run_command(module, data_dir, command) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "No problems found" not in captured.out
    backup = list_backups(backups_dir(data_dir))
    assert f"metaflash --data-dir {data_dir} restore {backup[-1].name}" in captured.err
    assert snapshot(data_dir) == before


def test_a_damaged_wal_reports_how_many_answers_are_missing(tmp_path: Path) -> None:
    clock = Clock()
    scenario = next(s for s in SCENARIOS if s.kind is DamageKind.LOST_ANSWERS)
    data_dir = damaged_folder(tmp_path, scenario, clock)
    with pytest.raises(DamagedCollectionError) as raised:
        inspect_collection(data_dir)
    mark = read_mark(data_dir)
    assert mark is not None and mark.last_review >= FIRST_ANSWERS + LATER_ANSWERS
    assert 0 < raised.value.lost < LATER_ANSWERS
    assert "check --accept-loss" in str(raised.value)


def test_keeping_a_collection_that_lost_answers_keeps_its_files_first(tmp_path: Path) -> None:
    clock = Clock()
    scenario = next(s for s in SCENARIOS if s.kind is DamageKind.LOST_ANSWERS)
    data_dir = damaged_folder(tmp_path, scenario, clock)
    before = snapshot(data_dir)
    with pytest.raises(DamagedCollectionError) as raised:
        Collection.open(data_dir, clock.advance(minutes=1))
    lost = raised.value.lost
    kept = keep_as_it_is(data_dir, clock.advance(minutes=1))
    assert kept is not None and kept.reason == "damaged"
    assert kept.path.read_bytes() == before["collection.sqlite3"]
    assert Path(f"{kept.path}-wal").read_bytes() == before["collection.sqlite3-wal"]
    collection = Collection.open(data_dir, clock.advance(minutes=1))
    try:
        kept_answers = collection.review_count()
    finally:
        collection.close(clock.now)
    assert FIRST_ANSWERS < kept_answers <= FIRST_ANSWERS + LATER_ANSWERS - 1
    assert lost >= FIRST_ANSWERS + LATER_ANSWERS - kept_answers


def test_accept_loss_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    scenario = next(s for s in SCENARIOS if s.kind is DamageKind.LOST_ANSWERS)
    data_dir = damaged_folder(tmp_path, scenario, clock)
    assert run_command(check_command, data_dir, "check", "--accept-loss") == 0
    out = capsys.readouterr().out
    assert "damaged" in out and "No problems found" in out
    assert run_command(check_command, data_dir, "check") == 0  # and it stays accepted


def test_accept_loss_does_not_open_a_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    scenario = next(s for s in SCENARIOS if s.name == "garbled-pages")
    data_dir = damaged_folder(tmp_path, scenario, clock)
    before = snapshot(data_dir)
    assert run_command(check_command, data_dir, "check", "--accept-loss") == 1
    assert "cannot help" in capsys.readouterr().err
    assert snapshot(data_dir) == before


def test_a_crash_is_not_damage(tmp_path: Path) -> None:
    """The files a crash leaves (a WAL, an unsealed mark) open with every answer."""
    clock = Clock()
    study(tmp_path / "studied", clock, FIRST_ANSWERS, crash_copy_to=tmp_path / "crashed")
    collection = Collection.open(tmp_path / "crashed", clock.advance(minutes=1))
    try:
        assert collection.review_count() == FIRST_ANSWERS
    finally:
        collection.close(clock.now)


def test_a_new_collection_only_where_there_was_none(tmp_path: Path) -> None:
    clock = Clock()
    Collection.open(tmp_path / "fresh", clock.now).close(clock.now)  # nothing there: created
    empty = tmp_path / "empty"
    empty.mkdir()
    collection_file(empty).write_bytes(b"")  # a first start killed before it wrote anything
    Collection.open(empty, clock.now).close(clock.now)
    # answers were recorded, then the file vanished and no backup exists: refused
    gone = tmp_path / "gone"
    study(gone, clock, 3)
    shutil.rmtree(backups_dir(gone))
    collection_file(gone).unlink()
    with pytest.raises(DamagedCollectionError) as raised:
        Collection.open(gone, clock.now)
    assert raised.value.kind is DamageKind.MISSING and raised.value.backup is None
    assert "3 reviews were recorded" in str(raised.value)
    assert not collection_file(gone).exists()


def test_the_full_check_runs_only_when_the_file_changed(tmp_path: Path) -> None:
    clock = Clock()
    study(tmp_path, clock, 3)
    assert not inspect_collection(tmp_path).fully_checked  # as the last clean close left it
    path = collection_file(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data)  # the same bytes, written again (a sync tool): checked in full
    assert inspect_collection(tmp_path).fully_checked
    collection = Collection.open(tmp_path, clock.now)
    assert wal_file(tmp_path).exists()
    try:
        assert inspect_collection(tmp_path).fully_checked  # open elsewhere: checked in full
    finally:
        collection.close(clock.now)
    assert not inspect_collection(tmp_path).fully_checked


def test_partial_files_of_an_interrupted_backup_are_removed(tmp_path: Path) -> None:
    clock = Clock()
    study(tmp_path, clock, 2)
    directory = backups_dir(tmp_path)
    leftovers = [
        directory / ".collection-20260302-100000-daily.sqlite3.partial",
        directory / ".collection-20260302-100000-daily.sqlite3.partial-journal",
        tmp_path / ".collection.sqlite3.restoring",
    ]
    for path in leftovers:
        path.write_bytes(b"half a file")
    Collection.open(tmp_path, clock.now).close(clock.now)
    assert not any(path.exists() for path in leftovers)
    assert [b.reviews for b in list_backups(directory)] == [2]
