"""The collection's settings: what its ``config`` table holds (the scheduler and study
settings every device shares, the student's secret, what reconciling keeps), and the scheduler
settings each answer names (``scheduler_settings``). Part of :class:`Collection`."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import AbstractContextManager
from datetime import tzinfo
from typing import TYPE_CHECKING

from metaflash.core.collection.changes import ChangeKind, CollectionChange
from metaflash.core.collection.config_table import read_config, write_config
from metaflash.core.collection.journal import (
    SETTING_KEYS,
    append_event,
    journal_setting,
    journalled_definitions,
    settings_definition,
)
from metaflash.core.collection.sync_events import SettingEvent, SettingName, student_secret
from metaflash.core.scheduling.scheduler import SchedulerSettings
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.util.observers import Signal

_SCHEDULER_KEY = SETTING_KEYS[SettingName.SCHEDULER]
_STUDY_KEY = SETTING_KEYS[SettingName.STUDY]
_UNCLEAR_MOVES_KEY = "unclear-moves"
_RECONCILED_KEY = "reconciled-decks"


class CollectionSettings:
    """The settings half of :class:`~metaflash.core.collection.store.Collection`."""

    db: sqlite3.Connection
    changed: Signal[CollectionChange]
    _scheduler: SchedulerSettings | None
    _study: StudySettings | None
    _settings_ids: dict[str, int]
    _settings_by_value: dict[SchedulerSettings, int]

    if TYPE_CHECKING:  # given by Collection

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

        @property
        def device_id(self) -> str: ...

        def _now_ms(self) -> int: ...

    def config_value(self, key: str) -> str | None:
        """A value of the ``config`` table (:mod:`.config_table`)."""
        return read_config(self.db, key)

    def set_config_value(self, key: str, value: str | None) -> None:
        """Set (None: remove) a value of the ``config`` table, in a transaction of its own."""
        with self.transaction() as db:
            write_config(db, key, value)

    def _set_setting(self, name: SettingName, text: str) -> None:
        """Store a shared setting and journal it for the other devices."""
        key = SETTING_KEYS[name]
        with self.transaction() as db:
            write_config(db, key, text)
            journal_setting(db, self.device_id, SettingEvent(self._now_ms(), name, text))

    def student_secret(self) -> str:
        """The student's random secret, shared by their devices like a setting: behind the
        pseudonym they have in each class (made on first use)."""
        text = self.config_value(SETTING_KEYS[SettingName.STUDENT])
        if text is not None:
            try:
                return student_secret(text)
            except ValueError:
                pass
        secret = uuid.uuid4().hex
        self._set_setting(SettingName.STUDENT, json.dumps({"secret": secret}))
        return secret

    def forget_settings(self) -> None:
        """Read the settings again on next use (another device's settings were merged)."""
        self._scheduler = None
        self._study = None

    def scheduler_settings(self) -> SchedulerSettings:
        if self._scheduler is None:
            text = self.config_value(_SCHEDULER_KEY)
            self._scheduler = (
                SchedulerSettings() if text is None else SchedulerSettings.from_json(text)
            )
        return self._scheduler

    def set_scheduler_settings(self, settings: SchedulerSettings) -> None:
        problems = settings.problems()
        if problems:
            raise ValueError("invalid scheduler settings: " + "; ".join(problems))
        self._set_setting(SettingName.SCHEDULER, settings.to_json())
        self._scheduler = settings
        self.changed.emit(CollectionChange(ChangeKind.SETTINGS, frozenset()))

    def study_settings(self) -> StudySettings:
        if self._study is None:
            text = self.config_value(_STUDY_KEY)
            self._study = StudySettings() if text is None else StudySettings.from_json(text)
        return self._study

    def set_study_settings(self, settings: StudySettings) -> None:
        problems = settings.problems()
        if problems:
            raise ValueError("invalid study settings: " + "; ".join(problems))
        self._set_setting(SettingName.STUDY, settings.to_json())
        self._study = settings
        self.changed.emit(CollectionChange(ChangeKind.SETTINGS, frozenset()))

    def unclear_moves(self) -> str | None:
        """Card moves waiting for their author to settle them, as JSON
        (:mod:`metaflash.core.collection.card_moves` reads and writes it)."""
        return self.config_value(_UNCLEAR_MOVES_KEY)

    def set_unclear_moves(self, text: str | None) -> None:
        self.set_config_value(_UNCLEAR_MOVES_KEY, text)

    def reconciled_decks(self) -> dict[str, str]:
        """Each deck's fingerprint when it was last reconciled in full (JSON in the config;
        :mod:`metaflash.core.collection.card_moves` reads and writes it). An accelerator: a
        deck whose fingerprint is unchanged has nothing to reconcile."""
        text = self.config_value(_RECONCILED_KEY)
        try:
            found = json.loads(text) if text else {}
        except ValueError:
            return {}
        if not isinstance(found, dict):
            return {}
        return {str(k): str(v) for k, v in found.items()}

    def set_reconciled_decks(self, fingerprints: dict[str, str]) -> None:
        self.set_config_value(_RECONCILED_KEY, json.dumps(fingerprints, sort_keys=True))

    def study_day(self, timezone: tzinfo) -> StudyDay:
        """Study days in ``timezone`` starting at the collection's day-start hour."""
        return StudyDay(timezone, self.study_settings().day_start_hour)

    def _settings_id(self, settings: SchedulerSettings) -> int:
        """The ``scheduler_settings`` row for ``settings``, stored once (inside a transaction)."""
        known = self._settings_by_value.get(settings)
        if known is not None:  # the answer path: no JSON, no hashing of the settings text
            return known
        fingerprint = settings.fingerprint()
        known = self._settings_ids.get(fingerprint)
        if known is not None:
            self._settings_by_value[settings] = known
            return known
        if fingerprint not in journalled_definitions(self.db):
            # settings this device first learned from another: it tells them on, so that a
            # device that never hears from that one can still schedule these answers
            append_event(self.db, settings_definition(settings))
        row = self.db.execute(
            "SELECT id FROM scheduler_settings WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        if row is None:
            cursor = self.db.execute(
                "INSERT INTO scheduler_settings (fingerprint, settings) VALUES (?, ?)",
                (fingerprint, settings.to_json()),
            )
            settings_id = int(cursor.lastrowid or 0)
        else:
            settings_id = int(row[0])
        self._settings_ids[fingerprint] = settings_id
        self._settings_by_value[settings] = settings_id
        return settings_id

    def settings_by_fingerprint(self, fingerprint: str) -> SchedulerSettings | None:
        row = self.db.execute(
            "SELECT settings FROM scheduler_settings WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return None if row is None else SchedulerSettings.from_json(str(row[0]))
