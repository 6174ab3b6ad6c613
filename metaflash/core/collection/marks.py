"""The student's marks on prompts: buried, suspended, flagged, tagged leech. Each change is
journalled for the other devices in its own transaction. Part of :class:`Collection`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.journal import journal_mark
from metaflash.core.collection.records import Flag, PromptRecord
from metaflash.core.collection.sync_events import MarkEvent, MarkField
from metaflash.core.scheduling.study_day import DayNumber
from metaflash.core.util.observers import Signal


class StudentMarks:
    """The marks half of :class:`~metaflash.core.collection.store.Collection`."""

    db: sqlite3.Connection
    changed: Signal[CollectionChange]

    if TYPE_CHECKING:  # given by Collection

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

        @property
        def device_id(self) -> str: ...

        def _now_ms(self) -> int: ...

    def _mark(
        self,
        sql: str,
        rows: Sequence[tuple[object, ...]],
        records: Sequence[PromptRecord],
        field: MarkField,
        values: Sequence[int | None],
    ) -> None:
        time_ms = self._now_ms()
        me = self.device_id
        with self.transaction():
            self.db.executemany(sql, rows)
            for record, value in zip(records, values, strict=True):
                journal_mark(self.db, me, MarkEvent(time_ms, record.key, field, value))
        keys = frozenset(record.key for record in records)
        deck_ids = frozenset(key.deck_id for key in keys)
        self.changed.emit(CollectionChange(ChangeKind.MARKS, deck_ids, keys))

    def bury(self, records: Sequence[PromptRecord], until: DayNumber) -> None:
        """Hide the prompts until study day ``until`` starts."""
        self._mark(
            "UPDATE prompts SET buried_until = ? WHERE id = ?",
            [(until, r.row) for r in records],
            records,
            MarkField.BURIED_UNTIL,
            [until] * len(records),
        )

    def unbury(self, records: Sequence[PromptRecord]) -> None:
        self._mark(
            "UPDATE prompts SET buried_until = NULL WHERE id = ?",
            [(r.row,) for r in records],
            records,
            MarkField.BURIED_UNTIL,
            [None] * len(records),
        )

    def set_suspended(self, records: Sequence[PromptRecord], suspended: bool) -> None:
        """Suspend (never shown until unsuspended) or unsuspend; a leech keeps its tag."""
        self._mark(
            "UPDATE prompts SET suspended = ? WHERE id = ?",
            [(int(suspended), r.row) for r in records],
            records,
            MarkField.SUSPENDED,
            [int(suspended)] * len(records),
        )

    def set_flag(self, records: Sequence[PromptRecord], flag: Flag) -> None:
        self._mark(
            "UPDATE prompts SET flag = ? WHERE id = ?",
            [(int(flag), r.row) for r in records],
            records,
            MarkField.FLAG,
            [int(flag)] * len(records),
        )

    def set_leech(self, records: Sequence[PromptRecord], leech: bool) -> None:
        """Add or remove the ``leech`` tag (the student decides a card is fixed)."""
        self._mark(
            "UPDATE prompts SET leech = ? WHERE id = ?",
            [(int(leech), r.row) for r in records],
            records,
            MarkField.LEECH,
            [int(leech)] * len(records),
        )
