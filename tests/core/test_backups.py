"""Automatic rotated backups, and restores that never lose the current collection."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.backups import (
    KEEP_BACKUPS,
    Retention,
    backups_dir,
    collection_path,
    keep_byte_copy,
    list_backups,
    open_read_only,
    restore_backup,
    rotate,
    write_backup,
)
from metaflash.core.collection.errors import BackupError, CollectionLockedError, SchemaTooNewError
from metaflash.core.collection.store import Collection
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

DECK = make_deck("bio", 30)


def study_and_close(data_dir: Path, clock: Clock, answers: int) -> None:
    collection = open_with(data_dir, clock, DECK)
    session = ReviewSession(collection, [DECK], deck_scope([DECK], DECK.id), PARIS_DAY, clock.now)
    for _ in range(answers):
        session.answer(Rating.EASY, clock.advance(seconds=5), 5000)
    collection.close(clock.now)


def test_closing_backs_up_at_most_daily(tmp_path: Path) -> None:
    clock = Clock()
    directory = backups_dir(tmp_path)
    Collection.open(tmp_path, clock.now).close(clock.now)
    assert list_backups(directory) == ()  # nothing studied yet: nothing worth a backup
    study_and_close(tmp_path, clock, 2)
    first = list_backups(directory)
    assert [(b.reason, b.reviews) for b in first] == [("daily", 2)]
    clock.advance(hours=20)
    study_and_close(tmp_path, clock, 1)
    assert list_backups(directory) == first  # less than a day later: none
    clock.advance(hours=5)
    study_and_close(tmp_path, clock, 1)
    newest = list_backups(directory)[0]
    assert (newest.reason, newest.reviews, newest.created) == (
        "daily",
        4,
        clock.now.replace(microsecond=0),
    )
    assert newest.size == newest.path.stat().st_size > 0


def test_cram_answers_alone_are_not_worth_a_backup(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, DECK)
    record = collection.records([DECK.id])[0]
    collection.record_cram_answer(record, Rating.GOOD, clock.advance(seconds=5), 5000)
    assert not collection.has_answers()
    collection.close(clock.now)
    assert list_backups(backups_dir(tmp_path)) == ()
    study_and_close(tmp_path, clock, 1)
    assert [b.reason for b in list_backups(backups_dir(tmp_path))] == ["daily"]


def test_backups_are_rotated(tmp_path: Path) -> None:
    clock = Clock()
    for _ in range(KEEP_BACKUPS + 3):
        clock.advance(days=1)
        study_and_close(tmp_path, clock, 1)
    backups = list_backups(backups_dir(tmp_path))
    assert len(backups) == KEEP_BACKUPS
    assert [b.reviews for b in backups] == list(range(KEEP_BACKUPS + 3, 3, -1))  # newest kept


def test_a_backup_of_a_wal_collection_is_consistent_and_self_contained(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, DECK)
    session = ReviewSession(collection, [DECK], deck_scope([DECK], DECK.id), PARIS_DAY, clock.now)
    for _ in range(5):
        session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    assert Path(f"{collection_path(tmp_path)}-wal").stat().st_size > 0  # answers sit in the WAL
    info = collection.backup(clock.now, "manual")
    collection.close(clock.now)
    assert info.reviews == 5
    assert not Path(f"{info.path}-wal").exists()
    copy = open_read_only(info.path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_restore_brings_a_backup_back_after_saving_the_current_collection(tmp_path: Path) -> None:
    clock = Clock()
    study_and_close(tmp_path, clock, 3)  # daily backup with 3 answers
    old = list_backups(backups_dir(tmp_path))[0]
    clock.advance(hours=2)
    study_and_close(tmp_path, clock, 4)  # now 7 answers, no new backup
    result = restore_backup(tmp_path, old.name, clock.advance(minutes=1))
    assert result.restored == old
    assert result.safety_backup is not None
    assert (result.safety_backup.reason, result.safety_backup.reviews) == ("before-restore", 7)
    collection = Collection.open(tmp_path, clock.now)
    assert collection.review_count() == 3
    assert collection.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    collection.close(clock.now)
    # and the restore can itself be undone from the safety backup
    restore_backup(tmp_path, result.safety_backup.name, clock.advance(minutes=1))
    collection = Collection.open(tmp_path, clock.now)
    assert collection.review_count() == 7
    collection.close(clock.now)


def test_restore_is_refused_while_the_collection_is_open(tmp_path: Path) -> None:
    clock = Clock()
    study_and_close(tmp_path, clock, 1)
    name = list_backups(backups_dir(tmp_path))[0].name
    collection = Collection.open(tmp_path, clock.now)
    with pytest.raises(CollectionLockedError):
        restore_backup(tmp_path, name, clock.now)
    collection.close(clock.now)


def test_restore_names_unknown_and_refuses_newer_backups(tmp_path: Path) -> None:
    clock = Clock()
    with pytest.raises(BackupError, match="no backups"):
        restore_backup(tmp_path, "anything", clock.now)
    study_and_close(tmp_path, clock, 1)
    good = list_backups(backups_dir(tmp_path))[0]
    with pytest.raises(BackupError, match="run `metaflash restore` to list them"):
        restore_backup(tmp_path, "collection-1999", clock.now)
    future = backups_dir(tmp_path) / "collection-20300101-000000-daily.sqlite3"
    connection = sqlite3.connect(future)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(SchemaTooNewError):
        restore_backup(tmp_path, future.name, clock.now)
    assert restore_backup(tmp_path, good.name[:24], clock.now).restored == good  # a unique start


def test_a_damaged_collection_is_kept_byte_for_byte_and_replaced(tmp_path: Path) -> None:
    clock = Clock()
    study_and_close(tmp_path, clock, 2)
    good = list_backups(backups_dir(tmp_path))[0]
    path = collection_path(tmp_path)
    garbage = b"not a database any more " * 500
    path.write_bytes(garbage)
    result = restore_backup(tmp_path, good.name, clock.advance(minutes=1))
    assert result.safety_backup is not None and result.safety_backup.reason == "damaged"
    assert result.safety_backup.path.read_bytes() == garbage
    collection = Collection.open(tmp_path, clock.now)
    assert collection.review_count() == 2
    collection.close(clock.now)


def test_backups_are_kept_by_age_so_weeks_of_use_cannot_rotate_old_ones_out(
    tmp_path: Path,
) -> None:
    """After an accident, days of studying keep making backups of the damaged state; the
    daily, weekly and monthly backups from before it stay."""
    clock = Clock()
    directory = backups_dir(tmp_path)
    source = sqlite3.connect(":memory:")
    made = []
    for _ in range(120):  # four months, one backup a day, plus a few before-fix ones
        clock.advance(days=1)
        made.append(write_backup(source, directory, clock.now, "daily"))
        if clock.now.day % 10 == 0:
            for minute in range(1, 4):
                write_backup(source, directory, clock.now + timedelta(minutes=minute), "before-fix")
        rotate(directory, clock.now)
    kept = list_backups(directory)
    ages = sorted((clock.now - info.created).days for info in kept)
    assert len(kept) <= Retention().recent + 7 + 4 + 12
    assert any(info.reason == "daily" for info in kept[: Retention().recent])
    assert set(range(7)) <= set(ages)  # one for each of the last seven days
    weeks = {info.created.isocalendar()[:2] for info in kept}
    for back in range(4):  # one in each of the last four weeks
        assert (clock.now - timedelta(weeks=back)).isocalendar()[:2] in weeks
    months = {(info.created.year, info.created.month) for info in kept}
    for back in range(4):  # and one in each month of the four studied
        when = clock.now - timedelta(days=30 * back)
        assert (when.year, when.month) in months
    assert max(ages) >= 90
    damaged = keep_byte_copy(made[-1].path, directory, clock.now - timedelta(days=400), "damaged")
    rotate(directory, clock.now)
    assert damaged.path.exists()  # the only copy of a damaged collection is never rotated out
