"""The collection: every prompt's schedule and the review log, in SQLite in the data folder.

:meth:`Collection.open` puts the database in WAL mode with ``synchronous=FULL``: an answer is
on disk before the next card is shown, and the review log is append-only (undo appends,
nothing is deleted). :mod:`~metaflash.core.collection.answers` records answers and undoes
them, and tells how that stays durable through crashes.

One process at a time writes a collection: :class:`~metaflash.core.collection.lock.InstanceLock`
refuses a second one with a message naming the holder. :meth:`Collection.open_read_only`
reads without the lock (statistics while the window is open).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path

from metaflash.core.collection import answers as answer_log
from metaflash.core.collection.answer_mark import MarkWriter
from metaflash.core.collection.answers import AnswerReceipt, PendingAnswer
from metaflash.core.collection.backups import (
    AUTOMATIC_INTERVAL,
    BackupInfo,
    Retention,
    automatic_backup_due,
    backups_dir,
    collection_path,
    remove_partial_files,
    rotate,
    write_backup,
)
from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.errors import CollectionError, UndoError
from metaflash.core.collection.health import COLLECTION_ID_KEY, inspect_collection
from metaflash.core.collection.journal import (
    append_review,
    leech_marks,
)
from metaflash.core.collection.journal import device_id as stored_device_id
from metaflash.core.collection.lock import InstanceLock
from metaflash.core.collection.marks import StudentMarks
from metaflash.core.collection.records import (
    CODE_PHASE,
    ENTRY_COLUMNS,
    NEW_STATE_JSON,
    RECORD_COLUMNS,
    Flag,
    LeechMark,
    PromptRecord,
    PromptRowId,
    ReviewEntry,
    ReviewId,
    ReviewKind,
    entry_from_row,
    record_from_row,
    state_from_column,
    state_to_column,
    to_millis,
)
from metaflash.core.collection.replay import replay
from metaflash.core.collection.replay_log import SettingsLookup, prompt_logs
from metaflash.core.collection.schema import SCHEMA_VERSION, check_schema, migrate
from metaflash.core.collection.settings_store import CollectionSettings
from metaflash.core.collection.sync_events import (
    EventId,
)
from metaflash.core.decks.model import DeckId, PromptKey
from metaflash.core.scheduling.scheduler import CardState, Outcome, Rating, SchedulerSettings
from metaflash.core.scheduling.study_day import require_utc
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.util.clock import Now, system_now
from metaflash.core.util.observers import Signal
from metaflash.core.util.side_thread import SideThread

#: WAL pages between automatic checkpoints, which keep the WAL file small.
WAL_CHECKPOINT_PAGES = 1000


def _create_collection_id(connection: sqlite3.Connection) -> str:
    """Give the collection its random id (a collection made before ids had none)."""
    collection_id = uuid.uuid4().hex
    connection.execute(
        "INSERT OR IGNORE INTO config (key, value) VALUES (?, ?)",
        (COLLECTION_ID_KEY, collection_id),
    )
    row = connection.execute(
        "SELECT value FROM config WHERE key = ?", (COLLECTION_ID_KEY,)
    ).fetchone()
    return str(row[0])


class Collection(CollectionSettings, StudentMarks):
    """An open collection. Use :meth:`open` (or :meth:`open_read_only`) and :meth:`close`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        data_dir: Path,
        lock: InstanceLock | None,
        clock: Now = system_now,
    ) -> None:
        self.db = connection
        #: when marks and settings are changed (answers and undos are given their time)
        self.clock = clock
        self._device: str | None = None
        self._side: SideThread | None = None  # started by the first answer that uses it
        self.data_dir = data_dir
        self.path = collection_path(data_dir)
        self._lock = lock
        self._settings_ids: dict[str, int] = {}
        self._settings_by_value: dict[SchedulerSettings, int] = {}
        self._scheduler: SchedulerSettings | None = None
        self._study: StudySettings | None = None
        self.changed: Signal[CollectionChange] = Signal()
        self.retention = Retention()
        self._answer_mark: MarkWriter | None = None
        self.backup_interval = AUTOMATIC_INTERVAL

    # --- opening and closing -----------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: datetime,
        timezone: tzinfo | None = None,
        clock: Now = system_now,
    ) -> Collection:
        """Open (creating or upgrading) the collection in ``data_dir`` for reading and writing.

        Before anything can write to the file, :func:`inspect_collection` looks at it (read
        only): a new collection is created only where there was none, and a damaged, empty,
        missing or foreign file, or one whose review log lost acknowledged answers, raises
        :class:`DamagedCollectionError` naming the newest good backup (``timezone`` is the one
        its date is shown in). Raises :class:`CollectionLockedError` when another metaflash
        has it open and :class:`SchemaTooNewError` for a file from a newer metaflash. Files
        left by an interrupted backup or restore are removed first. ``clock`` times the
        marks and settings changed later (for the devices that sync them).
        """
        now = require_utc(now)
        data_dir.mkdir(parents=True, exist_ok=True)
        lock = InstanceLock(data_dir, now).acquire()
        connection: sqlite3.Connection | None = None
        mark: MarkWriter | None = None
        try:
            remove_partial_files(data_dir)
            health = inspect_collection(data_dir, timezone)
            path = collection_path(data_dir)
            connection = sqlite3.connect(path, isolation_level=None, cached_statements=256)
            version = check_schema(connection, path)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA busy_timeout = 5000")
            connection.execute("PRAGMA cache_size = -16384")
            if version < SCHEMA_VERSION:
                if health.exists and version > 0:
                    write_backup(connection, backups_dir(data_dir), now, "before-upgrade")
                migrate(connection)
            collection_id = health.collection_id or _create_collection_id(connection)
            mark = MarkWriter(data_dir, collection_id, health.last_review)
        except BaseException:
            if connection is not None:
                connection.close()
            lock.release()
            raise
        collection = cls(connection, data_dir, lock, clock)
        collection._answer_mark = mark
        return collection

    @classmethod
    def open_read_only(cls, data_dir: Path, timezone: tzinfo | None = None) -> Collection:
        """Open for reading only, without the lock (another metaflash may be writing).

        The file is inspected first, as by :meth:`open` (a missing collection, or an older
        schema, is a :class:`CollectionError`: open metaflash once normally to upgrade it).
        """
        path = collection_path(data_dir)
        if not path.exists():
            raise CollectionError(f"there is no collection in {data_dir} yet")
        health = inspect_collection(data_dir, timezone)
        if not health.exists:
            raise CollectionError(f"there is no collection in {data_dir} yet")
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
        except sqlite3.Error as error:
            raise CollectionError(f"{path}: cannot open the collection: {error}") from error
        try:
            version = check_schema(connection, path)
            if version < SCHEMA_VERSION:
                raise CollectionError(
                    f"{path}: the collection has schema version {version}; open metaflash "
                    "once to upgrade it"
                )
        except BaseException:
            connection.close()
            raise
        return cls(connection, data_dir, None)

    @property
    def writable(self) -> bool:
        return self._lock is not None

    @property
    def device_id(self) -> str:
        """This collection's device id: the name of its journal among the synced devices."""
        if self._device is None:
            self._device = stored_device_id(self.db)
        return self._device

    def _now_ms(self) -> int:
        return to_millis(require_utc(self.clock(), "the collection's clock"))

    def close(self, now: datetime) -> BackupInfo | None:
        """Close, first making the daily automatic backup when one is due.

        A clean close seals the mark with the file as it was left, so that the next start can
        skip the full integrity check (:mod:`~metaflash.core.collection.health`).
        """
        backup: BackupInfo | None = None
        clean = False
        try:
            if self._side is not None:
                side, self._side = self._side, None
                side.stop()
            if self.writable:
                backup = self.backup_if_due(now)
                self.db.execute("PRAGMA optimize")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            clean = True
        finally:
            self.db.close()
            mark, self._answer_mark = self._answer_mark, None
            if mark is not None:
                if clean:
                    mark.seal(self.path)
                else:
                    mark.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
        return backup

    def acknowledge(self, review_id: ReviewId) -> None:
        """A review log entry up to ``review_id`` is committed: move the high-water mark."""
        if self._answer_mark is not None:
            self._answer_mark.acknowledge(review_id)

    def backup_if_due(self, now: datetime) -> BackupInfo | None:
        """An automatic backup, when the newest is older than a day and there are answers."""
        directory = backups_dir(self.data_dir)
        if not self.has_answers() or not automatic_backup_due(directory, now, self.backup_interval):
            return None
        return self.backup(now, "daily")

    def backup(self, now: datetime, reason: str) -> BackupInfo:
        """A backup now (then rotation keeps what :attr:`retention` says)."""
        directory = backups_dir(self.data_dir)
        info = write_backup(self.db, directory, now, reason)
        rotate(directory, now, self.retention, protect=info)
        return info

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving the block (rolled back on error)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- decks and prompts --------------------------------------------------------------

    def record(self, key: PromptKey) -> PromptRecord | None:
        row = self.db.execute(
            f"SELECT {RECORD_COLUMNS} FROM prompts "
            "WHERE deck_id = ? AND card_id = ? AND variant = ?",
            (key.deck_id, key.card_id, key.variant),
        ).fetchone()
        return None if row is None else record_from_row(row)

    def record_by_row(self, row_id: PromptRowId) -> PromptRecord:
        row = self.db.execute(
            f"SELECT {RECORD_COLUMNS} FROM prompts WHERE id = ?", (row_id,)
        ).fetchone()
        if row is None:
            raise CollectionError(f"no prompt with row {row_id} in the collection")
        return record_from_row(row)

    def records(self, deck_ids: Iterable[DeckId]) -> tuple[PromptRecord, ...]:
        """Every prompt of the decks, retired ones included, in deck order."""
        result: list[PromptRecord] = []
        for deck_id in deck_ids:
            result.extend(
                record_from_row(row)
                for row in self.db.execute(
                    f"SELECT {RECORD_COLUMNS} FROM prompts WHERE deck_id = ? ORDER BY position",
                    (deck_id,),
                )
            )
        return tuple(result)

    def has_answers(self) -> bool:
        """Whether the log holds an answer (stops at the first: closing asks it every time)."""
        row = self.db.execute("SELECT EXISTS (SELECT 1 FROM review_log WHERE kind = 0)")
        return bool(row.fetchone()[0])

    def review_count(self) -> int:
        """Answers in the log (cram answers and undos not counted)."""
        row = self.db.execute("SELECT count(*) FROM review_log WHERE kind = 0").fetchone()
        return int(row[0])

    # --- answers and undo -----------------------------------------------------------------

    def record_answer(
        self,
        record: PromptRecord,
        outcome: Outcome,
        now: datetime,
        duration_ms: int,
        settings: SchedulerSettings,
    ) -> AnswerReceipt:
        """Log the answer and store the card's new state, committed before returning.

        ``outcome`` is the chosen entry of the :class:`NextStates` shown for ``record``. When
        the answer is a lapse that reaches the leech threshold, the card is tagged ``leech``
        and suspended in the same transaction.
        """
        return self.begin_answer(record, outcome, now, duration_ms, settings).commit()

    def begin_answer(
        self,
        record: PromptRecord,
        outcome: Outcome,
        now: datetime,
        duration_ms: int,
        settings: SchedulerSettings,
    ) -> PendingAnswer:
        """:meth:`record_answer` in two halves: write the answer in a transaction and return;
        :meth:`PendingAnswer.commit` then commits it, optionally running some work meanwhile.
        Commit (or let the collection close) before using the collection again.
        """
        leech = answer_log.leech_mark(record, outcome.state, self.study_settings().is_leech)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            review_id, updated = answer_log.insert_answer(
                self.db, record, outcome, now, duration_ms, self._settings_id(settings), leech
            )
            seq = append_review(self.db, review_id)
            if leech is not LeechMark.NONE:
                leech_marks(self.db, EventId(self.device_id, seq), to_millis(now), record.key, True)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        receipt = AnswerReceipt(review_id, updated, leech is not LeechMark.NONE)
        return PendingAnswer(self.db, receipt, self._side_thread, self._answer_committed)

    def _answer_committed(self, receipt: AnswerReceipt) -> None:
        self.acknowledge(receipt.review_id)
        key = receipt.record.key
        self.changed.emit(
            CollectionChange(ChangeKind.REVIEWS, frozenset({key.deck_id}), frozenset({key}))
        )

    def _side_thread(self) -> SideThread:
        if self._side is None:
            self._side = SideThread()
        return self._side

    def record_cram_answer(
        self, record: PromptRecord, rating: Rating, now: datetime, duration_ms: int
    ) -> ReviewId:
        """Log a cram answer. The card's schedule does not change."""
        with self.transaction() as db:
            review_id = answer_log.insert_cram_answer(db, record, rating, now, duration_ms)
            append_review(db, review_id)
        self.acknowledge(review_id)
        return review_id

    def write_cached_state(self, row_id: PromptRowId, state: CardState) -> None:
        """Store a prompt's state in the cache columns (inside a transaction)."""
        answer_log.write_state(self.db, row_id, state, state_to_column(state))

    def entry(self, review_id: ReviewId) -> ReviewEntry:
        row = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM review_log WHERE id = ?", (review_id,)
        ).fetchone()
        if row is None:
            raise UndoError(f"there is no review {review_id} in the log")
        return entry_from_row(row)

    def history(self, row_id: PromptRowId) -> tuple[ReviewEntry, ...]:
        """Every log entry of one prompt, oldest first (undone ones and undos included)."""
        return tuple(
            entry_from_row(row)
            for row in self.db.execute(
                f"SELECT {ENTRY_COLUMNS} FROM review_log WHERE prompt = ? ORDER BY id",
                (row_id,),
            )
        )

    def latest_effective(self, row_id: PromptRowId) -> ReviewId | None:
        """The newest entry of a prompt that is not an undo and has not been undone."""
        row = self.db.execute(
            "SELECT id FROM review_log AS r WHERE prompt = ? AND kind != 2 "
            "AND NOT EXISTS (SELECT 1 FROM review_log AS u WHERE u.undoes = r.id) "
            "ORDER BY id DESC LIMIT 1",
            (row_id,),
        ).fetchone()
        return None if row is None else ReviewId(int(row[0]))

    def undo(self, review_id: ReviewId, now: datetime) -> PromptRecord:
        """Cancel an answer: append an UNDO entry and put the card back exactly as it was.

        Only the newest effective entry of a card can be undone (undo again to go further
        back). Undoing an answer that made the card a leech also lifts that suspension.
        """
        entry = self.entry(review_id)
        if entry.kind is ReviewKind.UNDO:
            raise UndoError(f"review {review_id} is itself an undo; it cannot be undone")
        latest = self.latest_effective(entry.row)
        if latest != review_id:
            raise UndoError(
                f"review {review_id} cannot be undone: "
                + (
                    "it was already undone"
                    if latest is None or latest < review_id
                    else f"the card was answered again later (review {latest})"
                )
            )
        with self.transaction() as db:
            undo_id = answer_log.insert_undo(db, entry, now)
            seq = append_review(db, undo_id)
            if entry.kind is ReviewKind.ANSWER:
                self._replay_prompt(entry.row)
            if entry.leech is not LeechMark.NONE:
                leech_marks(
                    self.db,
                    EventId(self.device_id, seq),
                    to_millis(now),
                    entry.key,
                    False,
                    leech=entry.leech is LeechMark.BECAME_LEECH,
                )
        self.acknowledge(undo_id)
        self.changed.emit(
            CollectionChange(
                ChangeKind.REVIEWS, frozenset({entry.key.deck_id}), frozenset({entry.key})
            )
        )
        return self.record_by_row(entry.row)

    def replay_renamed(self, rows: Iterable[int]) -> None:
        """Replay prompts whose key just changed (a change of type, a move to another deck)
        and whose log holds other devices' answers: an answer scheduled again draws its fuzz
        from the key, and every device must draw it from the same one, the key now."""
        with self.transaction() as db:
            for row in rows:
                remote = db.execute(
                    "SELECT 1 FROM review_log WHERE prompt = ? AND origin IS NOT NULL LIMIT 1",
                    (row,),
                ).fetchone()
                if remote is not None:
                    self._replay_prompt(PromptRowId(row))

    def _replay_prompt(self, row: PromptRowId) -> None:
        """Store the state the prompt's log replays to (inside a transaction). On one device
        that is the state before the undone answer; with other devices' answers merged in, it
        is where they all lead without it."""
        for key, _, log in prompt_logs(self.db, self.device_id, (row,)):
            state = state_from_column(replay(key, log, SettingsLookup(self.db)).state)
            answer_log.write_state(self.db, row, state, state_to_column(state))


__all__ = [
    "CODE_PHASE",
    "NEW_STATE_JSON",
    "AnswerReceipt",
    "ChangeKind",
    "Collection",
    "CollectionChange",
    "Flag",
    "PendingAnswer",
    "PromptRecord",
    "PromptRowId",
    "ReviewEntry",
    "ReviewId",
    "ReviewKind",
    "record_from_row",
]
