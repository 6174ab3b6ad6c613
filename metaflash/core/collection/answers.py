"""Answers in the review log: recording them durably, cram answers, leeches and undo.

The review log's write paths, as functions of an open SQLite connection, called by
:meth:`Collection.begin_answer`, :meth:`Collection.record_cram_answer` and
:meth:`Collection.undo` (the collection validates, opens the transaction, acknowledges the
answer and says what changed; this module never reaches back into it).

Durability. Each answer is one transaction, committed before
:meth:`Collection.record_answer` returns (so before the next card is shown). The database runs
in WAL mode with ``synchronous=FULL`` (set by :meth:`Collection.open`), as Anki's collection
does: when COMMIT returns, the answer has been written to the WAL file and synced to disk, so
neither killing the process nor an operating-system crash or power cut loses an acknowledged
answer; SQLite rolls back an answer whose transaction had not committed on the next open, and
WAL's checksums mean the file is never corrupted (``tests/core/test_crash_safety.py`` kills a
studying process with SIGKILL again and again to prove it). The fsync costs about 0.3 ms per
answer. A review session hides most of it: :meth:`Collection.begin_answer` writes the answer
and :meth:`PendingAnswer.commit` runs the COMMIT on the calling thread while a side thread
(:mod:`~metaflash.core.util.side_thread`, owned by the collection, stopped by
:meth:`Collection.close`) prepares the next card from memory; the connection itself never
leaves the calling thread, and the answer is on disk before the next card is shown. A failed
COMMIT is rolled back and raised.

The review log is append-only (triggers refuse UPDATE and DELETE). Undo appends an entry of
kind UNDO naming the answer it cancels; the card's state goes back to the state before that
answer. Nothing is ever deleted, and replaying the log (``metaflash check``) gives the same
states as the ``prompts`` cache.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from metaflash.core.collection.records import (
    PHASE_CODE,
    LeechMark,
    PromptRecord,
    PromptRowId,
    ReviewEntry,
    ReviewId,
    scheduled_days,
    to_millis,
    to_seconds,
)
from metaflash.core.scheduling.scheduler import CardState, Outcome, Rating
from metaflash.core.scheduling.study_day import require_utc
from metaflash.core.util.side_thread import SideThread


@dataclass(frozen=True, slots=True)
class AnswerReceipt:
    """What :meth:`Collection.record_answer` committed."""

    review_id: ReviewId
    record: PromptRecord  # the prompt after the answer
    became_leech: bool  # this answer made it a leech: it is now tagged and suspended


class PendingAnswer:
    """An answer written but not yet committed (:meth:`Collection.begin_answer`).

    ``side_thread`` gives the thread that runs ``meanwhile`` during the COMMIT;
    ``committed_hook`` is told once the answer is on disk (the collection moves its
    high-water mark and says what changed)."""

    __slots__ = ("_committed_hook", "_db", "_receipt", "_side_thread", "committed")

    def __init__(
        self,
        db: sqlite3.Connection,
        receipt: AnswerReceipt,
        side_thread: Callable[[], SideThread],
        committed_hook: Callable[[AnswerReceipt], None],
    ) -> None:
        self._db = db
        self._receipt = receipt
        self._side_thread = side_thread
        self._committed_hook = committed_hook
        #: the receipt once the answer is on disk; None before, or when the commit failed
        self.committed: AnswerReceipt | None = None

    @property
    def record(self) -> PromptRecord:
        """The prompt as it will be once the answer is committed."""
        return self._receipt.record

    def commit(self, meanwhile: Callable[[], None] | None = None) -> AnswerReceipt:
        """COMMIT the answer (synced to disk when this returns) and return the receipt.

        ``meanwhile`` runs on the collection's side thread during the COMMIT, whose fsync
        releases the GIL: the two overlap. It must not use the collection. Both are finished
        before this returns or raises. A failed COMMIT is rolled back and re-raised (nothing of
        the answer is stored; an error of ``meanwhile`` is then dropped). An error of
        ``meanwhile`` after a good commit is re-raised with :attr:`committed` set.
        """
        side = None if meanwhile is None else self._side_thread()
        if side is not None and meanwhile is not None:
            side.start(meanwhile)
        try:
            self._db.execute("COMMIT")
        except BaseException:
            try:
                if side is not None:
                    side.join()
            finally:
                if self._db.in_transaction:  # SQLite may have rolled back already
                    self._db.execute("ROLLBACK")
            raise
        self.committed = self._receipt
        try:
            if side is not None:
                side.join()
        finally:
            self._committed_hook(self._receipt)
        return self._receipt


def leech_mark(
    record: PromptRecord, after: CardState, is_leech: Callable[[int], bool]
) -> LeechMark:
    """Whether this answer makes the card a leech (again): a lapse that reaches the threshold."""
    if after.lapses > record.state.lapses and is_leech(after.lapses):
        return LeechMark.LEECH_AGAIN if record.leech else LeechMark.BECAME_LEECH
    return LeechMark.NONE


def insert_answer(
    db: sqlite3.Connection,
    record: PromptRecord,
    outcome: Outcome,
    now: datetime,
    duration_ms: int,
    settings_id: int,
    leech: LeechMark,
) -> tuple[ReviewId, PromptRecord]:
    """Log an answer and store the card's new state, inside an open transaction; a leech is
    tagged and suspended. Returns the entry's id and the prompt as it now is."""
    before, after = record.state, outcome.state
    after_json = after.to_json()
    cursor = db.execute(
        "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
        "rating, duration_ms, state_before, state_after, phase_before, "
        "interval_before_days, settings, undoes, leech) "
        "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        (
            record.row,
            record.key.deck_id,
            record.key.card_id,
            record.key.variant,
            to_millis(require_utc(now)),
            int(outcome.rating),
            max(0, int(duration_ms)),
            before.to_json(),
            after_json,
            PHASE_CODE[before.phase],
            scheduled_days(before),
            settings_id,
            int(leech),
        ),
    )
    write_state(db, record.row, after, after_json)
    if leech is not LeechMark.NONE:
        db.execute("UPDATE prompts SET leech = 1, suspended = 1 WHERE id = ?", (record.row,))
    updated = PromptRecord(
        row=record.row,
        key=record.key,
        position=record.position,
        stage=record.stage,
        state=after,
        suspended=record.suspended or leech is not LeechMark.NONE,
        buried_until=record.buried_until,
        flag=record.flag,
        leech=record.leech or leech is not LeechMark.NONE,
        retired=record.retired,
    )
    return ReviewId(int(cursor.lastrowid or 0)), updated


def insert_cram_answer(
    db: sqlite3.Connection, record: PromptRecord, rating: Rating, now: datetime, duration_ms: int
) -> ReviewId:
    """Log a cram answer, inside an open transaction. The card's schedule does not change."""
    state = record.state.to_json()
    cursor = db.execute(
        "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
        "rating, duration_ms, state_before, state_after, phase_before, "
        "interval_before_days, settings, undoes, leech) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, NULL, NULL, 0)",
        (
            record.row,
            record.key.deck_id,
            record.key.card_id,
            record.key.variant,
            to_millis(require_utc(now)),
            int(rating),
            max(0, int(duration_ms)),
            state,
            state,
            PHASE_CODE[record.state.phase],
            scheduled_days(record.state),
        ),
    )
    return ReviewId(int(cursor.lastrowid or 0))


def write_state(
    db: sqlite3.Connection, row_id: PromptRowId, state: CardState, column: str | None
) -> None:
    """Store a prompt's state in the ``prompts`` cache columns (inside a transaction);
    ``column`` is the state as the ``state`` column holds it."""
    db.execute(
        "UPDATE prompts SET phase = ?, due = ?, last_review = ?, stability = ?, state = ? "
        "WHERE id = ?",
        (
            PHASE_CODE[state.phase],
            to_seconds(state.due),
            to_seconds(state.last_review),
            state.stability,
            column,
            row_id,
        ),
    )


def insert_undo(db: sqlite3.Connection, entry: ReviewEntry, now: datetime) -> ReviewId:
    """Append the UNDO of ``entry`` (already checked to be the card's newest effective entry)
    and lift the suspension it made a leech with, inside an open transaction. The caller
    stores the state the card's log now replays to."""
    cursor = db.execute(
        "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
        "rating, duration_ms, state_before, state_after, phase_before, "
        "interval_before_days, settings, undoes, leech) "
        "SELECT prompt, deck_id, card_id, variant, ?, 2, NULL, 0, state_after, "
        "state_before, ?, NULL, settings, id, 0 FROM review_log WHERE id = ?",
        (to_millis(require_utc(now)), PHASE_CODE[entry.state_after.phase], entry.id),
    )
    if entry.leech is LeechMark.BECAME_LEECH:
        db.execute("UPDATE prompts SET leech = 0, suspended = 0 WHERE id = ?", (entry.row,))
    elif entry.leech is LeechMark.LEECH_AGAIN:
        db.execute("UPDATE prompts SET suspended = 0 WHERE id = ?", (entry.row,))
    return ReviewId(int(cursor.lastrowid or 0))
