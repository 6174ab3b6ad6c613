"""Sync events: every kind survives its record; a bad record says what is wrong; a newer one is
told apart so that it can be kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from metaflash.core.collection.records import LeechMark, ReviewKind
from metaflash.core.collection.sync_events import (
    SYNC_FORMAT,
    AnswerEvent,
    Event,
    EventId,
    MarkEvent,
    MarkField,
    NewerFormat,
    SettingEvent,
    SettingName,
    SettingsDefinition,
    UndoEvent,
    decode,
    record,
)
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import NEW_CARD, CardState, Phase, SchedulerSettings
from metaflash.core.scheduling.study_settings import StudySettings

DEVICE = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"
KEY = PromptKey(DeckId("bio"), CardId("bio-1"), "c2")
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REVIEWED = CardState(
    phase=Phase.REVIEW,
    stability=3.2,
    difficulty=5.1,
    due=WHEN + timedelta(days=3),
    last_review=WHEN,
    reps=1,
)
SETTINGS = SchedulerSettings(desired_retention=0.85)

EVENTS: list[Event] = [
    AnswerEvent(
        1_772_000_000_000,
        KEY,
        ReviewKind.ANSWER,
        3,
        8000,
        NEW_CARD.to_json(),
        REVIEWED.to_json(),
        SETTINGS.fingerprint(),
        LeechMark.BECAME_LEECH,
    ),
    AnswerEvent(5, KEY, ReviewKind.CRAM, 1, 0, REVIEWED.to_json(), REVIEWED.to_json(), None),
    UndoEvent(7, KEY, EventId(OTHER, 12)),
    MarkEvent(8, KEY, MarkField.FLAG, 3),
    MarkEvent(9, KEY, MarkField.BURIED_UNTIL, None),
    SettingEvent(10, SettingName.STUDY, StudySettings().to_json()),
    SettingEvent(11, SettingName.SCHEDULER, SETTINGS.to_json()),
    SettingsDefinition(0, SETTINGS.fingerprint(), SETTINGS.to_json()),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_every_kind_of_event_reads_back_from_its_record(event: Event) -> None:
    written = record(EventId(DEVICE, 42), event)
    assert written["f"] == SYNC_FORMAT and written["d"] == DEVICE and written["s"] == 42
    assert decode(written) == (EventId(DEVICE, 42), event)


def _answer(**changes: Any) -> dict[str, Any]:
    data = record(EventId(DEVICE, 1), EVENTS[0])
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_answer(f=0), '"f" must be the format number 1'),
        (_answer(f="1"), '"f" must be the format number 1'),
        (_answer(d="laptop"), '"d" must be a device id'),
        (_answer(s=0), '"s" must be a whole number from 1'),
        (_answer(s=True), '"s" must be a whole number'),
        (_answer(t=-1), '"t" must be a whole number from 0'),
        (_answer(k="review"), "unknown kind of event 'review'"),
        (_answer(deck=""), '"deck" must be non-empty text'),
        (_answer(variant=...), '"variant" must be text'),
        (_answer(rating=5), '"rating" must be a whole number from 1 to 4'),
        (_answer(before="{}"), "card state format None"),
        (_answer(after="not json"), "card state is not valid JSON"),
        (_answer(settings=None), "an answer must name its scheduler settings"),
        (_answer(settings="abc"), '"settings" must be a settings fingerprint'),
        (_answer(k="cram"), "a cram answer cannot change the card's state"),
        ({**_answer(k="undo"), "of": [DEVICE]}, '"of" must be [device id, number]'),
        ({**_answer(k="undo"), "of": [DEVICE, 0]}, '"of" must name an event number from 1'),
        ({**_answer(k="undo"), "of": ["x", 3]}, '"of" must be a device id'),
        ({**_answer(k="mark"), "field": "colour", "value": 1}, "unknown mark 'colour'"),
        (
            {**_answer(k="mark"), "field": "flag", "value": None},
            "the flag mark needs a whole number",
        ),
        ({**_answer(k="setting"), "name": "theme", "value": "{}"}, "unknown setting 'theme'"),
        (
            {
                **_answer(k="scheduler-settings"),
                "fingerprint": "0" * 16,
                "settings": SETTINGS.to_json(),
            },
            "the settings do not match their fingerprint",
        ),
    ],
)
def test_a_bad_record_says_what_is_wrong(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        decode(data)
    assert not isinstance(raised.value, NewerFormat)
    assert message in str(raised.value)


def test_a_record_of_a_newer_format_is_told_apart() -> None:
    data = {**record(EventId(DEVICE, 1), EVENTS[3]), "f": SYNC_FORMAT + 1, "k": "hologram"}
    with pytest.raises(NewerFormat, match="newer than this metaflash reads"):
        decode(data)
