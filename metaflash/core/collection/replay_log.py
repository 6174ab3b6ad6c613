"""Reading the review log for :mod:`~metaflash.core.collection.replay`, prompt by prompt."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from metaflash.core.collection.records import PromptRowId, ReviewKind
from metaflash.core.collection.replay import LogEntry
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import SchedulerSettings

#: A log row with its prompt's key as the prompt has it now (the row keeps the key it was made
#: under; a card whose type changed, or that moved to another deck, has a new one).
_COLUMNS = (
    "l.id, l.prompt, p.deck_id, p.card_id, p.variant, l.origin, l.origin_seq, l.reviewed_at, "
    "l.kind, l.rating, l.state_before, l.state_after, l.undoes, l.settings"
)
_FROM = "FROM review_log AS l JOIN prompts AS p ON p.id = l.prompt"


class SettingsLookup:
    """The scheduler settings of a ``scheduler_settings`` row, read once (the defaults for
    None or a row that cannot be read)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._known: dict[int | None, SchedulerSettings] = {None: SchedulerSettings()}

    def __call__(self, row: int | None) -> SchedulerSettings:
        known = self._known.get(row)
        if known is None:
            found = self._db.execute(
                "SELECT settings FROM scheduler_settings WHERE id = ?", (row,)
            ).fetchone()
            try:
                known = SchedulerSettings.from_json(found[0]) if found else SchedulerSettings()
            except ValueError:
                known = SchedulerSettings()
            self._known[row] = known
        return known


def _entries(
    rows: Iterable[tuple[Any, ...]], me: str
) -> Iterator[tuple[PromptKey, PromptRowId, list[LogEntry]]]:
    current: int | None = None
    key: PromptKey | None = None
    log: list[LogEntry] = []
    for (
        entry_id,
        prompt,
        deck_id,
        card_id,
        variant,
        origin,
        origin_seq,
        reviewed_at,
        kind,
        rating,
        before,
        after,
        undoes,
        settings,
    ) in rows:
        if prompt != current:
            if key is not None and current is not None:
                yield key, PromptRowId(current), log
            current = int(prompt)
            key = PromptKey(DeckId(str(deck_id)), CardId(str(card_id)), str(variant))
            log = []
        local = origin is None
        log.append(
            LogEntry(
                id=int(entry_id),
                device=me if local else str(origin),
                seq=int(entry_id if local else origin_seq),
                time_ms=int(reviewed_at),
                kind=ReviewKind(kind),
                rating=None if rating is None else int(rating),
                before=str(before),
                after=str(after),
                undoes=None if undoes is None else int(undoes),
                settings=None if settings is None else int(settings),
            )
        )
    if key is not None and current is not None:
        yield key, PromptRowId(current), log


def prompt_logs(
    db: sqlite3.Connection, me: str, prompts: Iterable[int] | None = None
) -> Iterator[tuple[PromptKey, PromptRowId, list[LogEntry]]]:
    """Each prompt's log entries (every prompt with any, or those of ``prompts``); ``me`` is
    this collection's device id, the device of the rows made here."""
    if prompts is None:
        yield from _entries(db.execute(f"SELECT {_COLUMNS} {_FROM} ORDER BY l.prompt, l.id"), me)
        return
    for prompt in sorted(set(prompts)):
        yield from _entries(
            db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE l.prompt = ? ORDER BY l.id", (prompt,)),
            me,
        )
