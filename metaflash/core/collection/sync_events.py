"""The events one device tells the others: answers, undos, marks and settings.

Every change a student makes on a device is an event with a global id, the device's random
id and the event's number in that device's journal (``seq``, counting from 1 without gaps).
Events are plain JSON objects (framed into files by :mod:`metaflash.core.sync.framing`)::

    {"f": 1, "d": "<device id>", "s": 42, "t": <ms since 1970, UTC>, "k": "answer", ...}

``f`` is the format. A device that meets a record of a newer format keeps it and says so
(:class:`NewerFormat`); it never drops it. Each kind carries what a device needs to apply it
without asking anyone:

``answer``, ``cram``
    the prompt (deck, card, variant), the rating, how long it took, the state before and after
    as the answering device computed them, the scheduler settings' fingerprint and whether it
    made the card a leech.
``undo``
    the prompt and the global id of the answer it cancels.
``mark``
    a prompt's suspended, buried-until, flag or leech mark set to a value (last writer wins).
``setting``
    the scheduler or study settings set to a value (last writer wins).
``scheduler-settings``
    the full settings behind a fingerprint, sent before the first answer that names it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from metaflash.core.collection.records import LeechMark, ReviewKind
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import CardState, SchedulerSettings
from metaflash.core.scheduling.study_settings import StudySettings

#: The event format this metaflash writes and reads.
SYNC_FORMAT = 1

DEVICE_ID = re.compile(r"[0-9a-f]{32}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
_MAX_TIME_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class NewerFormat(ValueError):
    """A record written by a newer metaflash: kept as it is, and reported."""


@dataclass(frozen=True, slots=True, order=True)
class EventId:
    """An event's global id: the device that made it and its number there."""

    device: str
    seq: int

    def __str__(self) -> str:
        return f"{self.device[:8]}#{self.seq}"


class MarkField(StrEnum):
    SUSPENDED = "suspended"
    BURIED_UNTIL = "buried_until"
    FLAG = "flag"
    LEECH = "leech"


#: The largest value of each mark (a flag is one of eight colours; buried until a day).
_MARK_MAX = {
    MarkField.SUSPENDED: 1,
    MarkField.LEECH: 1,
    MarkField.FLAG: 7,
    MarkField.BURIED_UNTIL: 10_000_000,
}


class SettingName(StrEnum):
    SCHEDULER = "scheduler"
    STUDY = "study"
    STUDENT = "student"  # the student's secret, behind their pseudonym in each class


@dataclass(frozen=True, slots=True)
class AnswerEvent:
    """An answer (``kind`` ANSWER) or a cram answer (CRAM: the state is unchanged)."""

    time_ms: int
    key: PromptKey
    kind: ReviewKind
    rating: int
    duration_ms: int
    before: str  # CardState JSON
    after: str
    settings: str | None  # the scheduler settings' fingerprint (None for cram answers)
    leech: LeechMark = LeechMark.NONE


@dataclass(frozen=True, slots=True)
class UndoEvent:
    time_ms: int
    key: PromptKey
    target: EventId


@dataclass(frozen=True, slots=True)
class MarkEvent:
    time_ms: int
    key: PromptKey
    field: MarkField
    value: int | None  # None: not buried


@dataclass(frozen=True, slots=True)
class SettingEvent:
    time_ms: int
    name: SettingName
    value: str  # the settings' JSON


@dataclass(frozen=True, slots=True)
class SettingsDefinition:
    time_ms: int
    fingerprint: str
    settings: str  # SchedulerSettings JSON


Event = AnswerEvent | UndoEvent | MarkEvent | SettingEvent | SettingsDefinition

_KIND_NAMES = {
    AnswerEvent: "answer",
    UndoEvent: "undo",
    MarkEvent: "mark",
    SettingEvent: "setting",
    SettingsDefinition: "scheduler-settings",
}


_SECRET = re.compile(r"[0-9a-f]{32}")


def student_secret(text: str) -> str:
    """The secret in a student setting's JSON (a ValueError when it is not one)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("the student setting is not JSON") from None
    secret = data.get("secret") if isinstance(data, dict) else None
    if not isinstance(secret, str) or _SECRET.fullmatch(secret) is None:
        raise ValueError("the student setting needs a secret of 32 hexadecimal digits")
    return secret


def kind_name(event: Event) -> str:
    """The ``k`` of an event (``cram`` for a cram answer)."""
    if isinstance(event, AnswerEvent) and event.kind is ReviewKind.CRAM:
        return "cram"
    return _KIND_NAMES[type(event)]


def _key_fields(key: PromptKey) -> dict[str, Any]:
    return {"deck": key.deck_id, "card": key.card_id, "variant": key.variant}


def payload(event: Event) -> dict[str, Any]:
    """The event's fields as JSON values (without format, device and number)."""
    data: dict[str, Any] = {"k": kind_name(event), "t": event.time_ms}
    match event:
        case AnswerEvent():
            data.update(_key_fields(event.key))
            data.update(
                rating=event.rating,
                ms=event.duration_ms,
                before=event.before,
                after=event.after,
                settings=event.settings,
                leech=int(event.leech),
            )
        case UndoEvent():
            data.update(_key_fields(event.key))
            data["of"] = [event.target.device, event.target.seq]
        case MarkEvent():
            data.update(_key_fields(event.key))
            data.update(field=event.field.value, value=event.value)
        case SettingEvent():
            data.update(name=event.name.value, value=event.value)
        case SettingsDefinition():
            data.update(fingerprint=event.fingerprint, settings=event.settings)
    return data


def record(event_id: EventId, event: Event) -> dict[str, Any]:
    """The whole record of an event, as written to a sync file."""
    return {"f": SYNC_FORMAT, "d": event_id.device, "s": event_id.seq, **payload(event)}


# --- reading -----------------------------------------------------------------------------


def _int(data: dict[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f'"{name}" must be a whole number from {low} to {high}, got {value!r}')
    return value


def _text(data: dict[str, Any], name: str, *, empty: bool = False) -> str:
    value = data.get(name)
    if not isinstance(value, str) or (not value and not empty):
        raise ValueError(f'"{name}" must be {"" if empty else "non-empty "}text, got {value!r}')
    return value


def _device(value: object, what: str) -> str:
    if not isinstance(value, str) or DEVICE_ID.fullmatch(value) is None:
        raise ValueError(f"{what} must be a device id (32 hexadecimal digits), got {value!r}")
    return value


def _key(data: dict[str, Any]) -> PromptKey:
    return PromptKey(
        DeckId(_text(data, "deck")), CardId(_text(data, "card")), _text(data, "variant", empty=True)
    )


def _state(data: dict[str, Any], name: str) -> str:
    text = _text(data, name)
    CardState.from_json(text)  # a ValueError saying what is wrong
    return text


def decode(data: dict[str, Any]) -> tuple[EventId, Event]:
    """The event in a record; a ValueError saying what is wrong (:class:`NewerFormat` for a
    record of a newer format, which the caller keeps)."""
    version = data.get("f")
    if isinstance(version, int) and not isinstance(version, bool) and version > SYNC_FORMAT:
        raise NewerFormat(f"the record is in format {version}, newer than this metaflash reads")
    if version != SYNC_FORMAT:
        raise ValueError(f'"f" must be the format number {SYNC_FORMAT}, got {version!r}')
    event_id = EventId(_device(data.get("d"), '"d"'), _int(data, "s", 1, 2**62))
    time_ms = _int(data, "t", 0, _MAX_TIME_MS)
    kind = data.get("k")
    event: Event
    if kind in ("answer", "cram"):
        review_kind = ReviewKind.ANSWER if kind == "answer" else ReviewKind.CRAM
        settings = data.get("settings")
        if settings is not None and (
            not isinstance(settings, str) or _FINGERPRINT.fullmatch(settings) is None
        ):
            raise ValueError(f'"settings" must be a settings fingerprint, got {settings!r}')
        if review_kind is ReviewKind.ANSWER and settings is None:
            raise ValueError('an answer must name its scheduler settings ("settings")')
        event = AnswerEvent(
            time_ms,
            _key(data),
            review_kind,
            _int(data, "rating", 1, 4),
            _int(data, "ms", 0, 2**31),
            _state(data, "before"),
            _state(data, "after"),
            settings,
            LeechMark(_int(data, "leech", 0, max(LeechMark))),
        )
        if review_kind is ReviewKind.CRAM and event.before != event.after:
            raise ValueError("a cram answer cannot change the card's state")
    elif kind == "undo":
        target = data.get("of")
        if not isinstance(target, list) or len(target) != 2:
            raise ValueError(f'"of" must be [device id, number], got {target!r}')
        seq = target[1]
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise ValueError(f'"of" must name an event number from 1, got {seq!r}')
        event = UndoEvent(time_ms, _key(data), EventId(_device(target[0], '"of"'), seq))
    elif kind == "mark":
        try:
            field = MarkField(str(data.get("field")))
        except ValueError:
            raise ValueError(f"unknown mark {data.get('field')!r}") from None
        value = data.get("value")
        if value is not None:
            value = _int(data, "value", 0, _MARK_MAX[field])
        elif field is not MarkField.BURIED_UNTIL:
            raise ValueError(f'the {field.value} mark needs a whole number "value"')
        event = MarkEvent(time_ms, _key(data), field, value)
    elif kind == "setting":
        try:
            name = SettingName(str(data.get("name")))
        except ValueError:
            raise ValueError(f"unknown setting {data.get('name')!r}") from None
        text = _text(data, "value")
        if name is not SettingName.STUDENT:
            read = (
                SchedulerSettings.from_json(text)
                if name is SettingName.SCHEDULER
                else StudySettings.from_json(text)
            )
            problems = read.problems()
            if problems:
                raise ValueError(f"the {name.value} settings cannot be used: {problems[0]}")
        else:
            student_secret(text)
        event = SettingEvent(time_ms, name, text)
    elif kind == "scheduler-settings":
        fingerprint = _text(data, "fingerprint")
        text = _text(data, "settings")
        defined = SchedulerSettings.from_json(text)
        if defined.fingerprint() != fingerprint:
            raise ValueError("the settings do not match their fingerprint")
        if defined.problems():
            raise ValueError(f"the settings cannot be used: {defined.problems()[0]}")
        event = SettingsDefinition(time_ms, fingerprint, text)
    else:
        raise ValueError(f"unknown kind of event {kind!r}")
    return event_id, event
