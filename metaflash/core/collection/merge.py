"""Taking in other devices' events: a grow-only union, applied the same way on every device.

:func:`merge_events` stores each event it has not seen (``received``, keyed by its global id,
so a second copy is ignored) and applies it:

* an answer or cram answer becomes a review-log row of its device (``origin``, ``origin_seq``);
* an undo becomes an undo row naming the answer's row, once that answer is here (before, it
  waits; a second undo of the same answer counts once);
* a mark or a setting is kept when it is the latest of its prompt's mark, or of the setting (by
  time, then device id, then number), and then written where the collection keeps it;
* a scheduler-settings definition is stored by its fingerprint.

An event for a prompt this collection does not have (its deck is not here, or not yet) is kept
in ``received`` and applied by :func:`apply_waiting` once the prompt exists. Every prompt whose
log changed is replayed (:mod:`~metaflash.core.collection.replay`) and its cached state
rewritten, all in one transaction: the collection never shows half a merge.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.config_table import write_config
from metaflash.core.collection.journal import (
    SETTING_KEYS,
    leech_marks,
    record_mark,
    record_setting,
)
from metaflash.core.collection.records import (
    PHASE_CODE,
    LeechMark,
    PromptRowId,
    ReviewKind,
    scheduled_days,
    state_from_column,
    state_to_column,
)
from metaflash.core.collection.replay import replay
from metaflash.core.collection.replay_log import SettingsLookup, prompt_logs
from metaflash.core.collection.store import Collection
from metaflash.core.collection.sync_events import (
    AnswerEvent,
    Event,
    EventId,
    MarkEvent,
    MarkField,
    SettingEvent,
    SettingsDefinition,
    UndoEvent,
    decode,
    kind_name,
    payload,
)
from metaflash.core.collection.sync_state import waiting_events
from metaflash.core.decks.model import CardId, DeckId, PromptKey

_MARK_COLUMNS = {
    MarkField.SUSPENDED: "suspended",
    MarkField.BURIED_UNTIL: "buried_until",
    MarkField.FLAG: "flag",
    MarkField.LEECH: "leech",
}


@dataclass(slots=True)
class MergeReport:
    """What a merge took in."""

    received: int = 0  # events not seen before
    answers: int = 0  # answers and cram answers added to the log
    undos: int = 0
    marks: int = 0  # marks that were the latest and were applied
    settings: int = 0  # settings that were the latest and were applied
    waiting: int = 0  # events whose prompt (or undone answer) is not here yet
    rescheduled: int = 0  # answers scheduled again, another device's answers coming first
    prompts: set[PromptKey] = field(default_factory=set)  # prompts whose state or marks changed
    settings_changed: bool = False

    def add(self, other: MergeReport) -> None:
        for name in ("received", "answers", "undos", "marks", "settings", "rescheduled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waiting = other.waiting
        self.prompts |= other.prompts
        self.settings_changed |= other.settings_changed


def merge_events(collection: Collection, events: Iterable[tuple[EventId, Event]]) -> MergeReport:
    """Store and apply the events of other devices (this device's own are skipped), in one
    transaction; the collection then says what changed."""
    report = MergeReport()
    me = collection.device_id
    with collection.transaction() as db:
        merger = _Merger(collection, db, report)
        for event_id, event in events:
            if event_id.device == me or not merger.store(event_id, event):
                continue
            report.received += 1
            if merger.apply(event_id, event):
                merger.applied(event_id)
        merger.retry_waiting()
        merger.finish()
    _announce(collection, report)
    return report


def apply_waiting(collection: Collection) -> MergeReport:
    """Apply the received events that were waiting for their prompt (a deck that came back)."""
    report = MergeReport()
    with collection.transaction() as db:
        merger = _Merger(collection, db, report)
        merger.retry_waiting()
        merger.finish()
    _announce(collection, report)
    return report


def _announce(collection: Collection, report: MergeReport) -> None:
    if report.settings_changed:
        collection.forget_settings()
        collection.changed.emit(CollectionChange(ChangeKind.SETTINGS, frozenset()))
    if report.prompts:
        keys = frozenset(report.prompts)
        collection.changed.emit(
            CollectionChange(ChangeKind.REVIEWS, frozenset(k.deck_id for k in keys), keys)
        )


class _Merger:
    def __init__(self, collection: Collection, db: sqlite3.Connection, report: MergeReport):
        self.collection = collection
        self.db = db
        self.report = report
        self.me = collection.device_id
        self.touched: set[int] = set()  # prompt rows whose log changed
        self._rows: dict[PromptKey, int | None] = {}
        self._settings: dict[str, int | None] = {}

    # --- storing ------------------------------------------------------------------------

    def store(self, event_id: EventId, event: Event) -> bool:
        """Keep the event in ``received``; False when it was there already."""
        key = getattr(event, "key", None)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO received (device, seq, kind, deck_id, card_id, variant, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event_id.device,
                event_id.seq,
                kind_name(event),
                None if key is None else key.deck_id,
                None if key is None else key.card_id,
                None if key is None else key.variant,
                json.dumps(payload(event), separators=(",", ":"), sort_keys=True),
            ),
        )
        return cursor.rowcount > 0

    def applied(self, event_id: EventId) -> None:
        self.db.execute(
            "UPDATE received SET applied = 1 WHERE device = ? AND seq = ?",
            (event_id.device, event_id.seq),
        )

    def row_of(self, key: PromptKey) -> int | None:
        """The prompt an event names: by its key, or by a key it had before (its card changed
        type, or moved to another deck, on this device first)."""
        if key not in self._rows:
            found = self.db.execute(
                "SELECT id FROM prompts WHERE deck_id = ? AND card_id = ? AND variant = ? "
                "UNION ALL SELECT prompt FROM prompt_aliases "
                "WHERE deck_id = ? AND card_id = ? AND variant = ? LIMIT 1",
                (key.deck_id, key.card_id, key.variant) * 2,
            ).fetchone()
            self._rows[key] = None if found is None else int(found[0])
        return self._rows[key]

    def settings_row(self, fingerprint: str | None) -> int | None:
        if fingerprint is None:
            return None
        if fingerprint not in self._settings:
            found = self.db.execute(
                "SELECT id FROM scheduler_settings WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
            self._settings[fingerprint] = None if found is None else int(found[0])
        return self._settings[fingerprint]

    # --- applying -----------------------------------------------------------------------

    def apply(self, event_id: EventId, event: Event) -> bool:
        """Apply a stored event; False when it must wait (its prompt or answer is not here)."""
        match event:
            case AnswerEvent():
                return self._answer(event_id, event)
            case UndoEvent():
                return self._undo(event_id, event)
            case MarkEvent():
                if record_mark(self.db, event_id, event):
                    self._write_mark(event.key, event.field, event.value)
                    self.report.marks += 1
                return True
            case SettingEvent():
                if record_setting(self.db, event_id, event):
                    write_config(self.db, SETTING_KEYS[event.name], event.value)
                    self.report.settings += 1
                    self.report.settings_changed = True
                return True
            case SettingsDefinition():
                self.db.execute(
                    "INSERT OR IGNORE INTO scheduler_settings (fingerprint, settings) "
                    "VALUES (?, ?)",
                    (event.fingerprint, event.settings),
                )
                self._settings.pop(event.fingerprint, None)
                return True
        return True  # pragma: no cover - every kind is matched above

    def _write_mark(self, key: PromptKey, mark: MarkField, value: int | None) -> None:
        row = self.row_of(key)
        if row is None:
            return  # kept in mark_clock; written when the prompt comes (apply_waiting)
        self.db.execute(f"UPDATE prompts SET {_MARK_COLUMNS[mark]} = ? WHERE id = ?", (value, row))
        self.report.prompts.add(key)

    def _leech_marks(
        self, event_id: EventId, time_ms: int, key: PromptKey, on: bool, *, leech: bool
    ) -> None:
        for mark in leech_marks(self.db, event_id, time_ms, key, on, leech=leech):
            self._write_mark(key, mark, int(on))

    def _answer(self, event_id: EventId, event: AnswerEvent) -> bool:
        row = self.row_of(event.key)
        if row is None:
            return False
        settings_row = self.settings_row(event.settings)
        if event.settings is not None and settings_row is None:
            return False  # the settings it was scheduled with are not here yet: it waits
        before = state_from_column(event.before)
        self.db.execute(
            "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
            "rating, duration_ms, state_before, state_after, phase_before, "
            "interval_before_days, settings, undoes, leech, origin, origin_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
            (
                row,
                event.key.deck_id,
                event.key.card_id,
                event.key.variant,
                event.time_ms,
                int(event.kind),
                event.rating,
                event.duration_ms,
                event.before,
                event.after,
                PHASE_CODE[before.phase],
                scheduled_days(before),
                settings_row,
                int(event.leech),
                event_id.device,
                event_id.seq,
            ),
        )
        self.report.answers += 1
        if event.kind is ReviewKind.ANSWER:
            self.touched.add(row)
            if event.leech is not LeechMark.NONE:
                self._leech_marks(event_id, event.time_ms, event.key, True, leech=True)
        return True

    def _target_row(self, target: EventId) -> tuple[int, int, str, str] | None:
        """The review-log row an undo names: (id, leech, state before, state after)."""
        if target.device == self.me:
            found = self.db.execute(
                "SELECT r.id, r.leech, r.state_before, r.state_after FROM journal AS j "
                "JOIN review_log AS r ON r.id = j.review WHERE j.seq = ?",
                (target.seq,),
            ).fetchone()
        else:
            found = self.db.execute(
                "SELECT id, leech, state_before, state_after FROM review_log "
                "WHERE origin = ? AND origin_seq = ?",
                (target.device, target.seq),
            ).fetchone()
        return None if found is None else (int(found[0]), int(found[1]), found[2], found[3])

    def _undo(self, event_id: EventId, event: UndoEvent) -> bool:
        row = self.row_of(event.key)
        target = None if row is None else self._target_row(event.target)
        if row is None or target is None:
            return False
        target_id, leech, before, after = target
        already = self.db.execute(
            "SELECT 1 FROM review_log WHERE undoes = ?", (target_id,)
        ).fetchone()
        if already is None:
            self.db.execute(
                "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, "
                "rating, duration_ms, state_before, state_after, phase_before, "
                "interval_before_days, settings, undoes, leech, origin, origin_seq) "
                "VALUES (?, ?, ?, ?, ?, 2, NULL, 0, ?, ?, ?, NULL, NULL, ?, 0, ?, ?)",
                (
                    row,
                    event.key.deck_id,
                    event.key.card_id,
                    event.key.variant,
                    event.time_ms,
                    after,
                    before,
                    PHASE_CODE[state_from_column(after).phase],
                    target_id,
                    event_id.device,
                    event_id.seq,
                ),
            )
            self.touched.add(row)
            self.report.undos += 1
            if leech != LeechMark.NONE:
                self._leech_marks(
                    event_id,
                    event.time_ms,
                    event.key,
                    False,
                    leech=leech == LeechMark.BECAME_LEECH,
                )
        return True

    # --- what waited, and the states ------------------------------------------------------

    def retry_waiting(self) -> None:
        """Apply the events that waited for their prompt (or for the answer they undo), and
        write the marks kept while a prompt was not here."""
        waiting = self.db.execute(
            "SELECT x.device, x.seq, x.body FROM received AS x "
            "WHERE x.applied = 0 AND (EXISTS (SELECT 1 FROM prompts AS p "
            "WHERE p.deck_id = x.deck_id AND p.card_id = x.card_id AND p.variant = x.variant) "
            "OR EXISTS (SELECT 1 FROM prompt_aliases AS a WHERE a.deck_id = x.deck_id "
            "AND a.card_id = x.card_id AND a.variant = x.variant)) "
            "ORDER BY x.kind = 'undo', x.device, x.seq"
        ).fetchall()
        for device, seq, body in waiting:
            event_id, event = decode({"f": 1, "d": device, "s": seq, **json.loads(body)})
            if self.apply(event_id, event):
                self.applied(event_id)
        for deck_id, card_id, variant, mark, value in self.db.execute(
            "SELECT m.deck_id, m.card_id, m.variant, m.field, m.value FROM mark_clock AS m "
            "JOIN prompts AS p ON p.deck_id = m.deck_id AND p.card_id = m.card_id "
            "AND p.variant = m.variant WHERE "
            "(m.field = 'suspended' AND p.suspended IS NOT m.value) OR "
            "(m.field = 'buried_until' AND p.buried_until IS NOT m.value) OR "
            "(m.field = 'flag' AND p.flag IS NOT m.value) OR "
            "(m.field = 'leech' AND p.leech IS NOT m.value)"
        ).fetchall():
            self._write_mark(
                PromptKey(DeckId(deck_id), CardId(card_id), variant), MarkField(mark), value
            )
        self.report.waiting = waiting_events(self.collection)

    def finish(self) -> None:
        """Replay every prompt whose log changed and store the state it comes to."""
        if not self.touched:
            return
        settings = SettingsLookup(self.db)
        for key, row, log in prompt_logs(self.db, self.me, self.touched):
            replayed = replay(key, log, settings)
            self.report.rescheduled += replayed.rescheduled
            current = self.db.execute("SELECT state FROM prompts WHERE id = ?", (row,)).fetchone()
            stored = current[0] if current is not None else None
            state = state_from_column(replayed.state)
            if stored != state_to_column(state):
                self.collection.write_cached_state(PromptRowId(row), state)
            self.report.prompts.add(key)
