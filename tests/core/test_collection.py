"""The collection store: schema, pragmas, the append-only review log, answers and undo."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, START, Clock, make_deck, open_with

from metaflash.core.collection.backups import collection_path
from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.check import check_collection
from metaflash.core.collection.errors import (
    DamagedCollectionError,
    DamageKind,
    SchemaTooNewError,
    UndoError,
)
from metaflash.core.collection.records import Flag, ReviewKind
from metaflash.core.collection.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import (
    NEW_CARD,
    Phase,
    Rating,
    SchedulerSettings,
    fuzz_seed,
    next_states,
)
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession


def answer(collection: Collection, key: PromptKey, rating: Rating, clock: Clock, ms: int = 4000):
    record = collection.record(key)
    assert record is not None
    settings = collection.scheduler_settings()
    states = next_states(record.state, clock.now, settings, fuzz_seed(*key, record.state.reps))
    return collection.record_answer(record, states[rating], clock.now, ms, settings)


KEY = PromptKey(DeckId("bio"), CardId("bio-1"), "")


def test_a_new_collection_is_wal_with_the_current_schema(tmp_path: Path) -> None:
    collection = Collection.open(tmp_path, START)
    try:
        assert collection.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert collection.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL, as Anki
        assert collection.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        assert collection.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert collection.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        collection.close(START)
    assert collection_path(tmp_path).is_file()


def test_a_newer_schema_is_refused_and_the_file_left_byte_for_byte(tmp_path: Path) -> None:
    path = collection_path(tmp_path)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNewError) as raised:
        Collection.open(tmp_path, START)
    message = str(raised.value)
    assert f"schema version {SCHEMA_VERSION + 5}" in message
    assert "Upgrade metaflash" in message and "not changed" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not Path(f"{path}-wal").exists()
    # and the lock was released: a fixed file can be opened right away
    path.unlink()
    Collection.open(tmp_path, START).close(START)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is a text file, not a database" * 200, DamageKind.NOT_SQLITE),
        (None, DamageKind.NOT_A_COLLECTION),
    ],
)
def test_a_file_that_is_not_a_collection_is_refused(
    tmp_path: Path, content: bytes | None, expected: DamageKind
) -> None:
    path = collection_path(tmp_path)
    if content is None:
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE notes (id)")
        connection.commit()
        connection.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(DamagedCollectionError) as raised:
        Collection.open(tmp_path, START)
    assert raised.value.kind is expected
    assert path.read_bytes() == before


def test_migrations_run_in_one_transaction(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)

    def add_notes_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE decks ADD COLUMN notes TEXT")

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE prompts ADD COLUMN colour TEXT")
        raise RuntimeError("migration bug")

    assert migrate(connection) == 0
    assert migrate(connection, (*MIGRATIONS, add_notes_column)) == SCHEMA_VERSION
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    with pytest.raises(RuntimeError, match="migration bug"):
        migrate(connection, (*MIGRATIONS, add_notes_column, broken))
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    columns = {row[1] for row in connection.execute("PRAGMA table_info(prompts)")}
    assert "colour" not in columns
    connection.close()


def test_the_review_log_refuses_updates_and_deletes(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 2))
    answer(collection, KEY, Rating.GOOD, clock)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        collection.db.execute("UPDATE review_log SET rating = 4")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        collection.db.execute("DELETE FROM review_log")
    assert collection.review_count() == 1
    collection.close(clock.now)


def test_an_answer_logs_everything_the_state_can_be_rebuilt_from(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 2))
    receipt = answer(collection, KEY, Rating.HARD, clock, ms=5250)
    row = collection.db.execute(
        "SELECT l.deck_id, l.card_id, l.variant, l.reviewed_at, l.kind, l.rating, "
        "l.duration_ms, l.state_before, l.state_after, s.fingerprint, s.settings "
        "FROM review_log AS l JOIN scheduler_settings AS s ON s.id = l.settings WHERE l.id = ?",
        (receipt.review_id,),
    ).fetchone()
    settings = collection.scheduler_settings()
    assert row[:7] == ("bio", "bio-1", "", int(START.timestamp() * 1000), 0, 2, 5250)
    assert row[7] == NEW_CARD.to_json()
    assert row[8] == receipt.record.state.to_json()
    assert receipt.record.state.phase is Phase.LEARNING
    assert row[9] == settings.fingerprint()
    assert SchedulerSettings.from_json(row[10]) == settings
    stored = collection.record(KEY)
    assert stored is not None and stored.state == receipt.record.state
    collection.close(clock.now)


def test_settings_are_stored_once_per_version(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 3))
    for number in (1, 2):
        answer(
            collection, PromptKey(DeckId("bio"), CardId(f"bio-{number}"), ""), Rating.GOOD, clock
        )
    stricter = SchedulerSettings(desired_retention=0.95)
    collection.set_scheduler_settings(stricter)
    answer(collection, PromptKey(DeckId("bio"), CardId("bio-3"), ""), Rating.GOOD, clock)
    rows = collection.db.execute(
        "SELECT s.fingerprint, count(*) FROM review_log AS l "
        "JOIN scheduler_settings AS s ON s.id = l.settings GROUP BY s.id ORDER BY s.id"
    ).fetchall()
    assert rows == [(SchedulerSettings().fingerprint(), 2), (stricter.fingerprint(), 1)]
    collection.close(clock.now)
    reopened = Collection.open(tmp_path, clock.now)
    assert reopened.scheduler_settings() == stricter
    assert reopened.settings_by_fingerprint(stricter.fingerprint()) == stricter
    reopened.close(clock.now)


def test_invalid_settings_are_refused_and_valid_ones_persist(tmp_path: Path) -> None:
    collection = Collection.open(tmp_path, START)
    with pytest.raises(ValueError, match="desired retention"):
        collection.set_scheduler_settings(SchedulerSettings(desired_retention=0.2))
    with pytest.raises(ValueError, match="new cards per day"):
        collection.set_study_settings(StudySettings(new_per_day=-1))
    collection.set_study_settings(StudySettings(new_per_day=35, day_start_hour=6))
    collection.close(START)
    reopened = Collection.open(tmp_path, START)
    assert reopened.study_settings() == StudySettings(new_per_day=35, day_start_hour=6)
    reopened.close(START)


def test_naive_times_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Collection.open(tmp_path, START.replace(tzinfo=None))


def test_undo_restores_the_exact_previous_state_several_levels_deep(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 1))
    states = [NEW_CARD]
    receipts = []
    for rating in (Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY):
        receipts.append(answer(collection, KEY, rating, clock))
        states.append(receipts[-1].record.state)
        clock.advance(minutes=11)
    for receipt, expected in zip(reversed(receipts), reversed(states[:-1]), strict=True):
        restored = collection.undo(receipt.review_id, clock.now)
        assert restored.state == expected
        stored = collection.record(KEY)
        assert stored is not None and stored.state == expected
        assert check_collection(collection, clock.now).clean
    kinds = [entry.kind for entry in collection.history(stored.row)]
    assert kinds == [ReviewKind.ANSWER] * 4 + [ReviewKind.UNDO] * 4  # nothing deleted
    assert collection.review_count() == 4
    collection.close(clock.now)


def test_only_the_newest_answer_of_a_card_can_be_undone(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 1))
    first = answer(collection, KEY, Rating.GOOD, clock)
    clock.advance(minutes=15)
    second = answer(collection, KEY, Rating.GOOD, clock)
    with pytest.raises(UndoError, match="answered again later"):
        collection.undo(first.review_id, clock.now)
    collection.undo(second.review_id, clock.now)
    with pytest.raises(UndoError, match="already undone"):
        collection.undo(second.review_id, clock.now)
    undo_id = collection.db.execute("SELECT max(id) FROM review_log").fetchone()[0]
    with pytest.raises(UndoError, match="itself an undo"):
        collection.undo(undo_id, clock.now)
    collection.undo(first.review_id, clock.now)
    assert collection.record(KEY).state == NEW_CARD  # type: ignore[union-attr]
    assert check_collection(collection, clock.now).clean
    collection.close(clock.now)


def test_a_new_prompt_record_starts_new_and_unmarked(tmp_path: Path) -> None:
    clock = Clock()
    collection = open_with(tmp_path, clock, make_deck("bio", 1))
    record = collection.record(KEY)
    assert record is not None
    assert (record.state, record.suspended, record.leech, record.retired) == (
        NEW_CARD,
        False,
        False,
        False,
    )
    assert record.buried_until is None and record.tags == ()
    assert collection.record(PromptKey(DeckId("bio"), CardId("missing"), "")) is None
    collection.close(clock.now)


def test_every_change_says_which_decks_and_which_cards(tmp_path: Path) -> None:
    """Views update exactly what is stale: an answer, an undo and a mark name the prompt."""
    clock = Clock()
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    seen: list[CollectionChange] = []
    collection.changed.connect(seen.append)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert session.current is not None
    answered = session.current.key
    session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    session.undo(clock.advance(seconds=1))
    record = collection.record(answered)
    assert record is not None
    collection.set_flag([record], Flag.RED)
    collection.set_scheduler_settings(collection.scheduler_settings())
    assert [(c.kind, c.deck_ids, c.prompts) for c in seen] == [
        (ChangeKind.REVIEWS, {deck.id}, {answered}),
        (ChangeKind.REVIEWS, {deck.id}, {answered}),
        (ChangeKind.MARKS, {deck.id}, {answered}),
        (ChangeKind.SETTINGS, frozenset(), frozenset()),
    ]
    collection.close(clock.now)
