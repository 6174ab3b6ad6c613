"""Answers in the review log: recording them durably, cram answers, leeches and undo.

These are the write paths behind :meth:`Collection.record_answer`,
:meth:`Collection.begin_answer`, :meth:`Collection.record_cram_answer` and
:meth:`Collection.undo`, which delegate here.

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
from typing import TYPE_CHECKING

from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.errors import UndoError
from metaflash.core.collection.records import (
    PHASE_CODE,
    LeechMark,
    PromptRecord,
    PromptRowId,
    ReviewId,
    ReviewKind,
    scheduled_days,
    to_millis,
    to_seconds,
)
from metaflash.core.scheduling.scheduler import CardState, Outcome, Rating, SchedulerSettings
from metaflash.core.scheduling.study_day import require_utc

if TYPE_CHECKING:
    from metaflash.core.collection.store import Collection


@dataclass(frozen=True, slots=True)
class AnswerReceipt:
    """What :meth:`Collection.record_answer` committed."""

    review_id: ReviewId
    record: PromptRecord  # the prompt after the answer
    became_leech: bool  # this answer made it a leech: it is now tagged and suspended


class PendingAnswer:
    """An answer written but not yet committed (:meth:`Collection.begin_answer`)."""

    __slots__ = ("_collection", "_receipt", "committed")

    def __init__(self, collection: Collection, receipt: AnswerReceipt) -> None:
        self._collection = collection
        self._receipt = receipt
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
        collection = self._collection
        side = None if meanwhile is None else collection._side_thread()
        if side is not None and meanwhile is not None:
            side.start(meanwhile)
        try:
            collection.db.execute("COMMIT")
        except BaseException:
            try:
                if side is not None:
                    side.join()
            finally:
                if collection.db.in_transaction:  # SQLite may have rolled back already
                    collection.db.execute("ROLLBACK")
            raise
        self.committed = self._receipt
        collection.acknowledge(self._receipt.review_id)
        try:
            if side is not None:
                side.join()
        finally:
            collection.changed.emit(
                CollectionChange(ChangeKind.REVIEWS, frozenset({self._receipt.record.key.deck_id}))
            )
        return self._receipt


def begin_answer(
    collection: Collection,
    record: PromptRecord,
    outcome: Outcome,
    now: datetime,
    duration_ms: int,
    settings: SchedulerSettings,
) -> PendingAnswer:
    """Write an answer in a transaction left open; see :meth:`Collection.begin_answer`.

    When the answer is a lapse that reaches the leech threshold, the card is tagged ``leech``
    and suspended in the same transaction.
    """
    now = require_utc(now)
    before, after = record.state, outcome.state
    leech = LeechMark.NONE
    if after.lapses > before.lapses and collection.study_settings().is_leech(after.lapses):
        leech = LeechMark.LEECH_AGAIN if record.leech else LeechMark.BECAME_LEECH
    after_json = after.to_json()
    db = collection.db
    db.execute("BEGIN IMMEDIATE")
    try:
        settings_id = collection._settings_id(settings)
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
                to_millis(now),
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
        review_id = ReviewId(int(cursor.lastrowid or 0))
    except BaseException:
        db.execute("ROLLBACK")
        raise
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
    return PendingAnswer(collection, AnswerReceipt(review_id, updated, leech is not LeechMark.NONE))


def record_cram_answer(
    collection: Collection, record: PromptRecord, rating: Rating, now: datetime, duration_ms: int
) -> ReviewId:
    """Log a cram answer. The card's schedule does not change."""
    state = record.state.to_json()
    with collection.transaction() as db:
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
    review_id = ReviewId(int(cursor.lastrowid or 0))
    collection.acknowledge(review_id)
    return review_id


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


def undo(collection: Collection, review_id: ReviewId, now: datetime) -> PromptRecord:
    """Cancel an answer; see :meth:`Collection.undo`."""
    entry = collection.entry(review_id)
    if entry.kind is ReviewKind.UNDO:
        raise UndoError(f"review {review_id} is itself an undo; it cannot be undone")
    latest = collection.latest_effective(entry.row)
    if latest != review_id:
        raise UndoError(
            f"review {review_id} cannot be undone: "
            + (
                "it was already undone"
                if latest is None or latest < review_id
                else f"the card was answered again later (review {latest})"
            )
        )
    with collection.transaction() as db:
        cursor = db.execute(
            "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
            "rating, duration_ms, state_before, state_after, phase_before, "
            "interval_before_days, settings, undoes, leech) "
            "SELECT prompt, deck_id, card_id, variant, ?, 2, NULL, 0, state_after, "
            "state_before, ?, NULL, settings, id, 0 FROM review_log WHERE id = ?",
            (to_millis(require_utc(now)), PHASE_CODE[entry.state_after.phase], review_id),
        )
        if entry.kind is ReviewKind.ANSWER:
            collection.write_cached_state(entry.row, entry.state_before)
        if entry.leech is LeechMark.BECAME_LEECH:
            db.execute("UPDATE prompts SET leech = 0, suspended = 0 WHERE id = ?", (entry.row,))
        elif entry.leech is LeechMark.LEECH_AGAIN:
            db.execute("UPDATE prompts SET suspended = 0 WHERE id = ?", (entry.row,))
    collection.acknowledge(ReviewId(int(cursor.lastrowid or 0)))
    collection.changed.emit(CollectionChange(ChangeKind.REVIEWS, frozenset({entry.key.deck_id})))
    return collection.record_by_row(entry.row)
