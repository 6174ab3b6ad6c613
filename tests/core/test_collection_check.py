"""`metaflash check`: rebuild states from the log, compare, report, and repair with --fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, make_deck, open_with, run_command

from metaflash.commands import check as check_command
from metaflash.core.collection.backups import backups_dir, list_backups
from metaflash.core.collection.check import ProblemKind, check_collection
from metaflash.core.collection.store import Collection
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

DECK = make_deck("bio", 6)


def studied_collection(data_dir: Path, clock: Clock) -> Collection:
    collection = open_with(data_dir, clock, DECK)
    session = ReviewSession(collection, [DECK], deck_scope([DECK], DECK.id), PARIS_DAY, clock.now)
    for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN, Rating.HARD, Rating.EASY):
        session.answer(rating, clock.advance(seconds=8), 8000)
    session.undo(clock.now)
    session.undo(clock.now)
    session.answer(Rating.GOOD, clock.advance(seconds=8), 8000)
    return collection


def test_a_collection_used_normally_checks_clean(tmp_path: Path) -> None:
    clock = Clock()
    collection = studied_collection(tmp_path, clock)
    report = check_collection(collection, clock.now)
    assert report.clean and report.problems == ()
    assert (report.prompts, report.reviews) == (6, 8)
    collection.close(clock.now)


def test_a_damaged_cache_is_found_and_repaired_from_the_log(tmp_path: Path) -> None:
    clock = Clock()
    collection = studied_collection(tmp_path, clock)
    expected = {r.key: r.state for r in collection.records([DECK.id])}
    db = collection.db
    db.execute(
        "UPDATE prompts SET state = NULL, phase = 0, due = NULL, last_review = NULL, stability = NULL WHERE card_id = 'bio-1'"
    )
    db.execute("UPDATE prompts SET due = due + 86400 WHERE card_id = 'bio-2'")
    report = check_collection(collection, clock.now)
    assert not report.clean
    assert sorted(p.kind for p in report.problems) == [
        ProblemKind.COLUMNS_DIFFER,
        ProblemKind.STATE_DIFFERS,
    ]
    assert all(p.fixable for p in report.problems)
    fixed = check_collection(collection, clock.now, fix=True)
    assert fixed.fixed == 2 and fixed.clean
    assert fixed.backup is not None and fixed.backup.reason == "before-fix"
    assert {r.key: r.state for r in collection.records([DECK.id])} == expected
    assert check_collection(collection, clock.now).problems == ()
    collection.close(clock.now)


def test_problems_in_the_log_itself_are_reported_not_rewritten(tmp_path: Path) -> None:
    clock = Clock()
    collection = studied_collection(tmp_path, clock)
    db = collection.db
    first, second = [
        row[0] for row in db.execute("SELECT id FROM review_log WHERE kind = 0 ORDER BY id LIMIT 2")
    ]
    # an undo on bio-1 that names bio-2's answer (written around the API, as a bug might)
    db.execute(
        "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, rating, "
        "duration_ms, state_before, state_after, phase_before, settings, undoes, leech) "
        "SELECT prompt, deck_id, card_id, variant, reviewed_at, 2, NULL, 0, state_after, "
        "state_before, 0, settings, ?, 0 FROM review_log WHERE id = ?",
        (second, first),
    )
    report = check_collection(collection, clock.now, fix=True)
    kinds = {p.kind for p in report.remaining}
    assert ProblemKind.BAD_UNDO in kinds and not report.clean
    count = db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    assert count == 9  # nothing deleted
    collection.close(clock.now)


def test_the_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    collection = studied_collection(tmp_path, clock)
    collection.close(clock.now)
    assert run_command(check_command, tmp_path, "check") == 0
    out = capsys.readouterr().out
    assert "Checked 6 cards and 8 review log entries" in out and "No problems found." in out

    collection = Collection.open(tmp_path, clock.now)
    collection.db.execute("UPDATE prompts SET due = due + 5 WHERE card_id = 'bio-3'")
    collection.close(clock.now)
    assert run_command(check_command, tmp_path, "check") == 1
    out = capsys.readouterr().out
    assert "bio/bio-3: its due date and phase columns disagree" in out
    assert "run `metaflash check --fix`" in out
    assert run_command(check_command, tmp_path, "check", "--fix") == 0
    out = capsys.readouterr().out
    assert "Fixed 1 stored card states" in out and "before-fix" in out
    assert any(b.reason == "before-fix" for b in list_backups(backups_dir(tmp_path)))
    assert run_command(check_command, tmp_path, "check") == 0


def test_the_check_command_while_the_collection_is_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    collection = Collection.open(tmp_path, clock.now)
    try:
        assert run_command(check_command, tmp_path, "check") == 1
        assert "already open in another metaflash" in capsys.readouterr().err
    finally:
        collection.close(clock.now)
