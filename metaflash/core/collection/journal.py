"""This device's journal: every change made here, numbered, for the other devices.

The ``journal`` table is append-only (triggers refuse UPDATE and DELETE) and is written in the
same transaction as the change itself, so a change is never stored without its journal entry.
An answer, cram answer or undo is journalled as the review-log row it made (``review``); a mark,
a setting or a scheduler-settings definition as its event's JSON (``body``). Its ``seq`` is the
event's number in the device's stream: :func:`local_events` turns the journal into events
(:mod:`~metaflash.core.collection.sync_events`) for the sync folder.

The device's id is random (``config``), made with the journal. A collection copied to a second
computer would share it; :func:`new_device_id` gives the copy an id of its own.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import replace

from metaflash.core.collection.config_table import read_config, write_config
from metaflash.core.collection.records import LeechMark, ReviewKind
from metaflash.core.collection.sync_events import (
    AnswerEvent,
    Event,
    EventId,
    MarkEvent,
    MarkField,
    SettingEvent,
    SettingName,
    SettingsDefinition,
    UndoEvent,
    decode,
    payload,
)
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import SchedulerSettings

DEVICE_ID_KEY = "device-id"
DEVICE_NAME_KEY = "device-name"
#: The config keys that hold settings every device shares (last writer wins).
SETTING_KEYS = {
    SettingName.SCHEDULER: "scheduler",
    SettingName.STUDY: "study",
    SettingName.STUDENT: "student",
}

_NOW_MS_SQL = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"


def device_id(db: sqlite3.Connection) -> str:
    """This collection's device id (made on first use)."""
    known = read_config(db, DEVICE_ID_KEY)
    return known if known is not None else new_device_id(db)


def new_device_id(db: sqlite3.Connection) -> str:
    """Give this collection a new random device id (inside a transaction, or on its own)."""
    value = uuid.uuid4().hex
    write_config(db, DEVICE_ID_KEY, value)
    return value


def device_name(db: sqlite3.Connection) -> str:
    """The name the user gave this device (the computer's name until then)."""
    return read_config(db, DEVICE_NAME_KEY) or socket.gethostname() or "this computer"


def append_review(db: sqlite3.Connection, review_id: int) -> int:
    """Journal a review-log row made on this device (in its transaction); the event's seq."""
    return int(db.execute("INSERT INTO journal (review) VALUES (?)", (review_id,)).lastrowid or 0)


def append_event(db: sqlite3.Connection, event: Event) -> int:
    """Journal a mark, setting or settings definition (in the change's transaction)."""
    body = json.dumps(payload(event), separators=(",", ":"), sort_keys=True)
    return int(db.execute("INSERT INTO journal (body) VALUES (?)", (body,)).lastrowid or 0)


#: The newest change of a mark or setting: (time, device, number).
Latest = tuple[int, str, int]


def _latest_mark(db: sqlite3.Connection, event: MarkEvent) -> Latest | None:
    key = event.key
    row = db.execute(
        "SELECT time, device, seq FROM mark_clock "
        "WHERE deck_id = ? AND card_id = ? AND variant = ? AND field = ?",
        (key.deck_id, key.card_id, key.variant, event.field.value),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def _latest_setting(db: sqlite3.Connection, event: SettingEvent) -> Latest | None:
    row = db.execute(
        "SELECT time, device, seq FROM setting_clock WHERE name = ?", (event.name.value,)
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), int(row[2]))


def _later(latest: Latest | None, event_id: EventId, time_ms: int) -> bool:
    """Whether a change at ``time_ms`` by ``event_id`` comes after ``latest``."""
    return latest is None or (time_ms, event_id.device, event_id.seq) > latest


def record_mark(db: sqlite3.Connection, event_id: EventId, event: MarkEvent) -> bool:
    """Keep ``event`` as the prompt's mark if it is the latest (by time, then device, then
    number); whether it is."""
    if not _later(_latest_mark(db, event), event_id, event.time_ms):
        return False
    key = event.key
    db.execute(
        "INSERT OR REPLACE INTO mark_clock "
        "(deck_id, card_id, variant, field, time, device, seq, value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key.deck_id,
            key.card_id,
            key.variant,
            event.field.value,
            event.time_ms,
            event_id.device,
            event_id.seq,
            event.value,
        ),
    )
    return True


def record_setting(db: sqlite3.Connection, event_id: EventId, event: SettingEvent) -> bool:
    """Keep ``event`` as the setting's value if it is the latest; whether it is."""
    if not _later(_latest_setting(db, event), event_id, event.time_ms):
        return False
    db.execute(
        "INSERT OR REPLACE INTO setting_clock (name, time, device, seq, value) "
        "VALUES (?, ?, ?, ?, ?)",
        (event.name.value, event.time_ms, event_id.device, event_id.seq, event.value),
    )
    return True


def journal_mark(db: sqlite3.Connection, me: str, event: MarkEvent) -> None:
    """Journal a mark made here and keep it as the prompt's latest.

    A change made here after this device saw another's must win everywhere, even when this
    computer's clock is behind: its time is moved just past the latest one known."""
    latest = _latest_mark(db, event)
    if latest is not None and latest[0] >= event.time_ms:
        event = replace(event, time_ms=latest[0] + 1)
    seq = append_event(db, event)
    record_mark(db, EventId(me, seq), event)


def journal_setting(db: sqlite3.Connection, me: str, event: SettingEvent) -> None:
    """Journal a setting changed here and keep it as the latest (its time moved past the
    latest known, as for :func:`journal_mark`)."""
    latest = _latest_setting(db, event)
    if latest is not None and latest[0] >= event.time_ms:
        event = replace(event, time_ms=latest[0] + 1)
    seq = append_event(db, event)
    record_setting(db, EventId(me, seq), event)


def leech_marks(
    db: sqlite3.Connection,
    event_id: EventId,
    time_ms: int,
    key: PromptKey,
    on: bool,
    *,
    leech: bool = True,
) -> list[MarkField]:
    """The marks an answer that made a leech (``on``), or the undo of one, sets: kept as that
    event's, so every device derives the same from the answer or undo it receives. The
    fields whose latest mark this now is."""
    fields = [MarkField.SUSPENDED, MarkField.LEECH] if leech else [MarkField.SUSPENDED]
    return [f for f in fields if record_mark(db, event_id, MarkEvent(time_ms, key, f, int(on)))]


def last_seq(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT max(seq) FROM journal").fetchone()
    return int(row[0] or 0)


_LOCAL_EVENTS = """
    SELECT j.seq, j.body, r.kind, r.deck_id, r.card_id, r.variant, r.reviewed_at, r.rating,
           r.duration_ms, r.state_before, r.state_after, s.fingerprint, r.leech,
           t.origin, t.origin_seq, tj.seq
    FROM journal AS j
    LEFT JOIN review_log AS r ON r.id = j.review
    LEFT JOIN scheduler_settings AS s ON s.id = r.settings
    LEFT JOIN review_log AS t ON t.id = r.undoes
    LEFT JOIN journal AS tj ON tj.review = t.id
    WHERE j.seq > ? ORDER BY j.seq LIMIT ?
"""


def local_events(
    db: sqlite3.Connection, me: str, after: int = 0, limit: int = 1 << 62
) -> Iterator[tuple[EventId, Event]]:
    """This device's events numbered after ``after``, in order."""
    for (
        seq,
        body,
        kind,
        deck_id,
        card_id,
        variant,
        reviewed_at,
        rating,
        duration,
        before,
        after_state,
        fingerprint,
        leech,
        target_origin,
        target_origin_seq,
        target_seq,
    ) in db.execute(_LOCAL_EVENTS, (after, limit)):
        event_id = EventId(me, int(seq))
        if body is not None:
            _, event = decode({"f": 1, "d": me, "s": int(seq), **json.loads(body)})
            yield event_id, event
            continue
        key = PromptKey(DeckId(deck_id), CardId(card_id), variant)
        if kind == ReviewKind.UNDO:
            target = (
                EventId(str(target_origin), int(target_origin_seq))
                if target_origin is not None
                else EventId(me, int(target_seq))
            )
            yield event_id, UndoEvent(int(reviewed_at), key, target)
        else:
            yield (
                event_id,
                AnswerEvent(
                    int(reviewed_at),
                    key,
                    ReviewKind(kind),
                    int(rating),
                    int(duration),
                    str(before),
                    str(after_state),
                    None if fingerprint is None or kind == ReviewKind.CRAM else str(fingerprint),
                    LeechMark(leech),
                ),
            )


def start_journal(db: sqlite3.Connection) -> None:
    """Journal what a collection held before it had a journal (the upgrade to schema 2): the
    scheduler settings its answers used, every review-log row, and the marks and settings in
    force now."""
    me = device_id(db)
    now_ms = int(db.execute(f"SELECT {_NOW_MS_SQL}").fetchone()[0])
    for fingerprint, text in db.execute(
        "SELECT fingerprint, settings FROM scheduler_settings ORDER BY id"
    ).fetchall():
        append_event(db, SettingsDefinition(0, str(fingerprint), str(text)))
    db.execute("INSERT INTO journal (review) SELECT id FROM review_log ORDER BY id")
    # a card an answer made a leech: its suspension and tag as they are now (the student may
    # have lifted them), or another device would rebuild them from that answer
    for deck_id, card_id, variant, suspended, buried, flag, leech, leeched in db.execute(
        "SELECT p.deck_id, p.card_id, p.variant, p.suspended, p.buried_until, p.flag, p.leech, "
        "EXISTS (SELECT 1 FROM review_log AS l WHERE l.prompt = p.id AND l.leech != 0) "
        "FROM prompts AS p "
        "WHERE p.suspended != 0 OR p.buried_until IS NOT NULL OR p.flag != 0 OR p.leech != 0 "
        "OR EXISTS (SELECT 1 FROM review_log AS l WHERE l.prompt = p.id AND l.leech != 0) "
        "ORDER BY p.id"
    ).fetchall():
        key = PromptKey(DeckId(deck_id), CardId(card_id), variant)
        for field, value, default in (
            (MarkField.SUSPENDED, suspended, None if leeched else 0),
            (MarkField.BURIED_UNTIL, buried, None),
            (MarkField.FLAG, flag, 0),
            (MarkField.LEECH, leech, None if leeched else 0),
        ):
            if value != default:
                journal_mark(db, me, MarkEvent(now_ms, key, field, value))
    for name, config_key in SETTING_KEYS.items():
        value = read_config(db, config_key)
        if value is not None:
            journal_setting(db, me, SettingEvent(now_ms, name, value))


def journalled_definitions(db: sqlite3.Connection) -> set[str]:
    """The fingerprints of the scheduler settings this device's journal defines."""
    return {
        str(fingerprint)
        for (fingerprint,) in db.execute(
            "SELECT json_extract(body, '$.fingerprint') FROM journal "
            "WHERE body IS NOT NULL AND json_extract(body, '$.k') = 'scheduler-settings'"
        )
    }


def settings_definition(settings: SchedulerSettings) -> SettingsDefinition:
    return SettingsDefinition(0, settings.fingerprint(), settings.to_json())
