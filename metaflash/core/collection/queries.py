"""The collection's read queries for studying, statistics and evaluation.

Every SQL statement the layers above the collection need lives here, as a typed function;
nothing outside :mod:`metaflash.core.collection` writes SQL. Two conditions recur and are
written once:

- :data:`EFFECTIVE_ANSWER`: a log entry that counts as an answer (a scheduled answer that no
  later entry undid; cram answers and undos never count);
- :data:`AVAILABLE`: a prompt that can be shown on a study day (not suspended, not retired,
  not buried past that day).

Queries that feed the study queue return raw ``prompts`` rows (:data:`PromptRow`, in
:data:`~metaflash.core.collection.records.RECORD_COLUMNS` order) so that the queue parses a
card's state only when the card reaches the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from metaflash.core.collection.records import RECORD_COLUMNS, ReviewKind, to_millis
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import CardId, DeckId, StepId

#: Log entries (alias ``l``) that count as answers: scheduled, and not undone.
EFFECTIVE_ANSWER = (
    f"l.kind = {int(ReviewKind.ANSWER)} "
    "AND NOT EXISTS (SELECT 1 FROM review_log AS u WHERE u.undoes = l.id)"
)
#: Prompts that can be shown on a study day; takes the day's number as its parameter.
AVAILABLE = "suspended = 0 AND retired = 0 AND (buried_until IS NULL OR buried_until <= ?)"

#: A raw ``prompts`` row in RECORD_COLUMNS order (see ``records.record_from_row``).
PromptRow = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PromptFilter:
    """Prompts of some decks, optionally only those of one diagram step or of one card."""

    deck_ids: Sequence[DeckId]
    stage: StepId | None = None
    card_id: CardId | None = None

    def sql(self, prefix: str = "") -> tuple[str, list[object]]:
        marks = ", ".join("?" for _ in self.deck_ids)
        sql = f"{prefix}deck_id IN ({marks})"
        params: list[object] = list(self.deck_ids)
        if self.stage is not None:
            sql += f" AND {prefix}stage = ?"
            params.append(self.stage)
        if self.card_id is not None:
            sql += f" AND {prefix}card_id = ?"
            params.append(self.card_id)
        return sql, params


# --- what was studied ------------------------------------------------------------------------


def answered_since(
    collection: Collection, prompts: PromptFilter, since: datetime
) -> tuple[int, int]:
    """(new cards introduced, reviews answered) among ``prompts`` since ``since``."""
    where, params = prompts.sql("p.")
    counts = dict(
        collection.db.execute(
            # CROSS JOIN keeps review_log outside: read the entries since then by time, never
            # every entry of every card in scope
            "SELECT l.phase_before, count(*) FROM review_log AS l "
            "CROSS JOIN prompts AS p ON p.id = l.prompt "
            f"WHERE l.reviewed_at >= ? AND {where} AND {EFFECTIVE_ANSWER} "
            "GROUP BY l.phase_before",
            [to_millis(since), *params],
        ).fetchall()
    )
    return int(counts.get(0, 0)), int(counts.get(2, 0))


def answered_since_by_deck(
    collection: Collection, since: datetime
) -> dict[DeckId, tuple[int, int]]:
    """(new cards introduced, reviews answered) since ``since``, per deck the prompt is in
    now (a card moved since takes its answers along)."""
    found: dict[DeckId, list[int]] = {}
    for deck_id, phase_before, count in collection.db.execute(
        "SELECT p.deck_id, l.phase_before, count(*) FROM review_log AS l "
        "CROSS JOIN prompts AS p ON p.id = l.prompt "
        f"WHERE l.reviewed_at >= ? AND l.phase_before IN (0, 2) AND {EFFECTIVE_ANSWER} "
        "GROUP BY p.deck_id, l.phase_before",
        (to_millis(since),),
    ):
        pair = found.setdefault(DeckId(str(deck_id)), [0, 0])
        pair[0 if int(phase_before) == 0 else 1] = int(count)
    return {deck_id: (pair[0], pair[1]) for deck_id, pair in found.items()}


def answers_since(
    collection: Collection, deck_ids: Sequence[DeckId], since: datetime
) -> list[tuple[int, int, int, int]]:
    """(reviewed at in ms, rating, duration in ms, phase before) of every effective answer
    since ``since`` of prompts now in ``deck_ids``."""
    marks = ", ".join("?" for _ in deck_ids)
    return [
        (int(at), int(rating), int(duration), int(phase))
        for at, rating, duration, phase in collection.db.execute(
            "SELECT l.reviewed_at, l.rating, l.duration_ms, l.phase_before FROM review_log AS l "
            f"WHERE l.reviewed_at >= ? AND {EFFECTIVE_ANSWER} "
            f"AND l.prompt IN (SELECT id FROM prompts WHERE deck_id IN ({marks}))",
            [to_millis(since), *deck_ids],
        )
    ]


def review_outcomes(
    collection: Collection,
    deck_ids: Sequence[DeckId],
    periods: Sequence[datetime | None],
    mature_days: float,
) -> list[tuple[int, int, int, int]]:
    """For each period (since that time; ``None``: all time): reviews of cards that were in
    review, as (young passed, young failed, mature passed, mature failed). A card is mature
    when it was scheduled for ``mature_days`` or more; Again fails."""
    sums: list[str] = []
    params: list[object] = []
    for since in periods:
        start = 0 if since is None else to_millis(since)
        for mature, passed in ((0, 1), (0, 0), (1, 1), (1, 0)):
            sums.append(
                "COALESCE(SUM(l.reviewed_at >= ? AND (l.interval_before_days >= ?) = ? "
                "AND (l.rating > 1) = ?), 0)"
            )
            params += [start, mature_days, mature, passed]
    marks = ", ".join("?" for _ in deck_ids)
    row = collection.db.execute(
        f"SELECT {', '.join(sums)} FROM review_log AS l "
        f"WHERE l.phase_before = 2 AND {EFFECTIVE_ANSWER} "
        f"AND l.prompt IN (SELECT id FROM prompts WHERE deck_id IN ({marks}))",
        [*params, *deck_ids],
    ).fetchone()
    values = [int(value) for value in row]
    return [
        (values[i], values[i + 1], values[i + 2], values[i + 3]) for i in range(0, len(values), 4)
    ]


def effective_answers(collection: Collection) -> list[tuple[int, int, int, int]]:
    """(prompt row, rating, reviewed at in ms, duration in ms) of every effective answer, in
    time order: the learner's history for evaluation and fitting."""
    return [
        (int(prompt), int(rating), int(at), int(duration))
        for prompt, rating, at, duration in collection.db.execute(
            "SELECT l.prompt, l.rating, l.reviewed_at, l.duration_ms FROM review_log AS l "
            f"WHERE l.rating IS NOT NULL AND {EFFECTIVE_ANSWER} ORDER BY l.reviewed_at, l.id"
        )
    ]


# --- what is due -------------------------------------------------------------------------------


def deck_tallies(
    collection: Collection, today: int, day_end: datetime
) -> dict[DeckId, tuple[int, int, int]]:
    """(new, learning due, reviews due) before ``day_end`` per deck, of available prompts."""
    return {
        DeckId(str(deck_id)): (int(new), int(learning), int(due))
        for deck_id, new, learning, due in collection.db.execute(
            "SELECT deck_id, "
            "COALESCE(SUM(phase = 0), 0), "
            "COALESCE(SUM(phase IN (1, 3) AND due < :end), 0), "
            "COALESCE(SUM(phase = 2 AND due < :end), 0) "
            "FROM prompts WHERE suspended = 0 AND retired = 0 "
            "AND (buried_until IS NULL OR buried_until <= :today) GROUP BY deck_id",
            {"end": int(day_end.timestamp()), "today": today},
        )
    }


def due_times(
    collection: Collection, deck_ids: Sequence[DeckId], before: int, today: int
) -> list[tuple[int, int]]:
    """(due, how many) of available prompts in ``deck_ids`` that are not new and fall due
    before ``before`` (seconds)."""
    marks = ", ".join("?" for _ in deck_ids)
    return [
        (int(due), int(count))
        for due, count in collection.db.execute(
            f"SELECT due, count(*) FROM prompts WHERE deck_id IN ({marks}) AND phase != 0 "
            f"AND due IS NOT NULL AND due < ? AND {AVAILABLE} GROUP BY due",
            [*deck_ids, before, today],
        )
    ]


def next_due(
    collection: Collection, prompts: PromptFilter, after: int, before: int
) -> tuple[int | None, int]:
    """The first due time after ``after``, and how many prompts fall due before ``before``
    (seconds), among started prompts that are neither suspended nor retired."""
    where, params = prompts.sql()
    first, count = collection.db.execute(
        "SELECT MIN(CASE WHEN due > ? THEN due END), "
        "COUNT(CASE WHEN due < ? THEN 1 END) FROM prompts "
        f"WHERE {where} AND phase != 0 AND suspended = 0 AND retired = 0",
        [after, before, *params],
    ).fetchone()
    return (None if first is None else int(first)), int(count)


# --- the study queue ---------------------------------------------------------------------------


def learning_rows(
    collection: Collection, prompts: PromptFilter, before: int, today: int
) -> list[tuple[PromptRow, int]]:
    """Learning and relearning prompts due before ``before`` (seconds), with their due."""
    where, params = prompts.sql()
    return [
        (row[:-1], int(row[-1]))
        for row in collection.db.execute(
            f"SELECT {RECORD_COLUMNS}, due FROM prompts WHERE {where} AND phase IN (1, 3) "
            f"AND due < ? AND {AVAILABLE}",
            [*params, before, today],
        )
    ]


def review_rows(
    collection: Collection, prompts: PromptFilter, before: int, today: int, now: int, limit: int
) -> list[PromptRow]:
    """Up to ``limit`` reviews due before ``before``, most overdue relative to their interval
    first (as Anki orders them)."""
    where, params = prompts.sql()
    return list(
        collection.db.execute(
            f"SELECT {RECORD_COLUMNS} FROM prompts WHERE {where} AND phase = 2 AND due < ? "
            f"AND {AVAILABLE} "
            "ORDER BY CAST(? - last_review AS REAL) / MAX(due - last_review, 1) DESC, due, id "
            "LIMIT ?",
            [*params, before, today, now, limit],
        )
    )


def new_rows(
    collection: Collection,
    deck_id: DeckId,
    stage: StepId | None,
    today: int,
    limit: int | None,
    card_id: CardId | None = None,
) -> list[PromptRow]:
    """Up to ``limit`` (all when ``None``) new prompts of one deck, in deck order."""
    stage_sql = "" if stage is None else " AND stage = ?"
    stage_params: list[object] = [] if stage is None else [stage]
    if card_id is not None:
        stage_sql += " AND card_id = ?"
        stage_params.append(card_id)
    return list(
        collection.db.execute(
            f"SELECT {RECORD_COLUMNS} FROM prompts WHERE deck_id = ? AND phase = 0 "
            f"AND {AVAILABLE}{stage_sql} ORDER BY position LIMIT ?",
            [deck_id, today, *stage_params, -1 if limit is None else limit],
        )
    )


def weakest_rows(
    collection: Collection, prompts: PromptFilter, today: int, now: int, limit: int | None
) -> list[PromptRow]:
    """Started, available prompts, the weakest first: FSRS recall falls as elapsed time over
    stability grows, so they are sorted by that ratio (for cramming)."""
    where, params = prompts.sql()
    return list(
        collection.db.execute(
            f"SELECT {RECORD_COLUMNS} FROM prompts WHERE {where} AND phase != 0 AND {AVAILABLE} "
            "ORDER BY CAST(? - last_review AS REAL) / MAX(stability, 0.01) DESC, id LIMIT ?",
            [*params, today, now, -1 if limit is None else limit],
        )
    )


# --- statistics --------------------------------------------------------------------------------


def prompt_schedules(
    collection: Collection, deck_id: DeckId
) -> dict[tuple[CardId, str], tuple[int, int | None, bool, int | None, str | None]]:
    """(phase code, due, suspended, buried until, state) of every stored prompt of a deck."""
    return {
        (CardId(str(card_id)), str(variant)): (
            int(phase),
            None if due is None else int(due),
            bool(suspended),
            None if buried is None else int(buried),
            state,
        )
        for card_id, variant, phase, due, suspended, buried, state in collection.db.execute(
            "SELECT card_id, variant, phase, due, suspended, buried_until, state "
            "FROM prompts WHERE deck_id = ?",
            (deck_id,),
        )
    }


def forgotten_prompts(collection: Collection, deck_id: DeckId) -> set[tuple[CardId, str]]:
    """The started prompts of a deck's diagram steps whose latest answer (not undone, not in
    cram) was Again: forgotten, until answered right again (for step mastery)."""
    return {
        (CardId(str(card_id)), str(variant))
        for card_id, variant in collection.db.execute(
            "SELECT p.card_id, p.variant FROM prompts AS p "
            "WHERE p.deck_id = ? AND p.stage IS NOT NULL AND p.phase != 0 AND ("
            "  SELECT l.rating FROM review_log AS l "
            f"  WHERE l.prompt = p.id AND {EFFECTIVE_ANSWER} ORDER BY l.id DESC LIMIT 1"
            ") = 1",
            (deck_id,),
        )
    }


def stage_states(collection: Collection, deck_id: DeckId) -> dict[tuple[CardId, str], str]:
    """The stored state of every started prompt of a deck that belongs to a diagram step."""
    return {
        (CardId(str(card_id)), str(variant)): str(state)
        for card_id, variant, state in collection.db.execute(
            "SELECT card_id, variant, state FROM prompts "
            "WHERE deck_id = ? AND stage IS NOT NULL AND state IS NOT NULL",
            (deck_id,),
        )
    }


def studied_prompts(
    collection: Collection,
) -> list[tuple[str, str, str, str | None, str, int, int]]:
    """Every studied prompt still in a deck: (deck id, card id, variant, diagram step, state
    JSON, answers that count, rating of the latest one), for a class summary."""
    return [
        (
            str(deck),
            str(card),
            str(variant),
            None if step is None else str(step),
            str(state),
            int(count),
            int(last or 0),
        )
        for deck, card, variant, step, state, count, last in collection.db.execute(
            "SELECT p.deck_id, p.card_id, p.variant, p.stage, p.state, "
            f"  (SELECT count(*) FROM review_log AS l WHERE l.prompt = p.id AND {EFFECTIVE_ANSWER}), "
            f"  (SELECT l.rating FROM review_log AS l WHERE l.prompt = p.id AND {EFFECTIVE_ANSWER} "
            "   ORDER BY l.reviewed_at DESC, l.id DESC LIMIT 1) "
            "FROM prompts AS p WHERE p.state IS NOT NULL AND p.retired = 0 "
            "ORDER BY p.deck_id, p.position"
        )
    ]
