"""Check Database: rebuild every card's state from the review log and compare with the cache.

The log is the source of truth. Replaying it per prompt (answers push a state, undos pop the
answer they name, cram answers leave the state as it was) gives each prompt's state; the
``prompts`` table must hold exactly that. ``fix=True`` rewrites the cached states that differ
(after a ``before-fix`` backup). Problems in the log itself (an undo that names the wrong
entry, an answer whose "before" does not follow the previous "after") are reported but never
"fixed": history is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from metaflash.core.collection.backups import BackupInfo
from metaflash.core.collection.records import (
    NEW_STATE_JSON,
    PromptRowId,
    ReviewId,
    ReviewKind,
    state_from_column,
)
from metaflash.core.collection.replay import replay
from metaflash.core.collection.replay_log import SettingsLookup, prompt_logs
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import CardId, DeckId, PromptKey

_PHASE_SQL = (
    "CASE json_extract(state, '$.phase') WHEN 'learning' THEN 1 WHEN 'review' THEN 2 "
    "WHEN 'relearning' THEN 3 ELSE 0 END"
)


class ProblemKind(StrEnum):
    DAMAGED_FILE = "damaged-file"  # SQLite's integrity check failed
    BROKEN_REFERENCE = "broken-reference"  # a foreign key points nowhere
    STATE_DIFFERS = "state-differs"  # cached state is not what the log says (fixable)
    COLUMNS_DIFFER = "columns-differ"  # due/phase columns disagree with the state (fixable)
    BAD_UNDO = "bad-undo"  # an undo names an entry that is not the card's newest
    BROKEN_CHAIN = "broken-chain"  # an answer's state-before is not the previous state-after
    BAD_STATE = "bad-state"  # a state in the log cannot be read


FIXABLE = frozenset({ProblemKind.STATE_DIFFERS, ProblemKind.COLUMNS_DIFFER})


@dataclass(frozen=True, slots=True)
class CheckProblem:
    kind: ProblemKind
    message: str
    key: PromptKey | None = None
    review_id: ReviewId | None = None

    @property
    def fixable(self) -> bool:
        return self.kind in FIXABLE

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class CheckReport:
    prompts: int
    reviews: int  # log entries of every kind
    problems: tuple[CheckProblem, ...]
    fixed: int = 0
    backup: BackupInfo | None = None

    @property
    def clean(self) -> bool:
        """No problem left (after fixing, if asked to)."""
        return not self.remaining

    @property
    def remaining(self) -> tuple[CheckProblem, ...]:
        if not self.fixed:
            return self.problems
        return tuple(problem for problem in self.problems if not problem.fixable)


def rebuild_states(
    collection: Collection,
) -> tuple[dict[PromptRowId, str], list[CheckProblem], int]:
    """Replay the log (:mod:`~metaflash.core.collection.replay`): each prompt's state JSON
    (prompts without entries are absent), the problems met in the log, and the number of
    entries read."""
    rebuilt: dict[PromptRowId, str] = {}
    problems: list[CheckProblem] = []
    settings = SettingsLookup(collection.db)
    me = collection.device_id
    entries = 0
    for key, row, log in prompt_logs(collection.db, me):
        entries += len(log)
        replayed = replay(key, log, settings)
        rebuilt[row] = replayed.state
        where = f"{key.deck_id}/{key.card_id}" + (f" ({key.variant})" if key.variant else "")
        for entry in replayed.bad_undos:
            problems.append(
                CheckProblem(
                    ProblemKind.BAD_UNDO,
                    f"review {entry.id} of {where}: undoes entry {entry.undoes}, which is not "
                    "an answer of this card still in force",
                    key,
                    ReviewId(entry.id),
                )
            )
        for entry in replayed.broken:
            problems.append(
                CheckProblem(
                    ProblemKind.BROKEN_CHAIN,
                    f"review {entry.id} of {where}: its state before does not follow the "
                    "card's previous state",
                    key,
                    ReviewId(entry.id),
                )
            )
        for entry in log:
            if entry.kind is ReviewKind.CRAM and entry.before != entry.after:
                problems.append(
                    CheckProblem(
                        ProblemKind.BROKEN_CHAIN,
                        f"review {entry.id} of {where}: a cram answer changed the card's state",
                        key,
                        ReviewId(entry.id),
                    )
                )
    return rebuilt, problems, entries


def check_collection(collection: Collection, now: datetime, fix: bool = False) -> CheckReport:
    """Check (and with ``fix``, repair) the collection; see the module's description."""
    db = collection.db
    problems: list[CheckProblem] = []
    verdicts = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    if verdicts != ["ok"]:
        problems.extend(
            CheckProblem(ProblemKind.DAMAGED_FILE, f"the database file is damaged: {verdict}")
            for verdict in verdicts[:20]
        )
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(
            CheckProblem(
                ProblemKind.BROKEN_REFERENCE,
                f"{table} row {rowid} refers to a missing {parent} row",
            )
        )

    rebuilt, log_problems, entries = rebuild_states(collection)
    problems.extend(log_problems)

    to_fix: dict[PromptRowId, str | None] = {}
    prompts = 0
    for row, deck_id, card_id, variant, state in db.execute(
        "SELECT id, deck_id, card_id, variant, state FROM prompts"
    ):
        prompts += 1
        expected = rebuilt.get(row)
        if expected == NEW_STATE_JSON:
            expected = None
        if state != expected:
            key = PromptKey(DeckId(deck_id), CardId(card_id), variant)
            problems.append(
                CheckProblem(
                    ProblemKind.STATE_DIFFERS,
                    f"{deck_id}/{card_id}"
                    + (f" ({variant})" if variant else "")
                    + ": the stored state differs from its review log",
                    key,
                )
            )
            to_fix[PromptRowId(row)] = expected
    for row, deck_id, card_id, variant, state in db.execute(
        "SELECT id, deck_id, card_id, variant, state FROM prompts WHERE "
        "(state IS NULL AND (phase != 0 OR due IS NOT NULL OR last_review IS NOT NULL "
        "OR stability IS NOT NULL)) OR (state IS NOT NULL AND ("
        f"phase != {_PHASE_SQL} "
        "OR due IS NOT CAST(strftime('%s', json_extract(state, '$.due')) AS INTEGER) "
        "OR last_review IS NOT CAST(strftime('%s', json_extract(state, '$.last_review')) AS INTEGER) "
        "OR abs(stability - json_extract(state, '$.stability')) > 1e-9 * stability))"
    ):
        if PromptRowId(row) in to_fix:
            continue
        problems.append(
            CheckProblem(
                ProblemKind.COLUMNS_DIFFER,
                f"{deck_id}/{card_id}"
                + (f" ({variant})" if variant else "")
                + ": its due date and phase columns disagree with its stored state",
                PromptKey(DeckId(deck_id), CardId(card_id), variant),
            )
        )
        to_fix[PromptRowId(row)] = state

    fixed = 0
    backup: BackupInfo | None = None
    if fix and to_fix:
        unreadable: list[CheckProblem] = []
        states = {}
        for row, text in to_fix.items():
            try:
                states[row] = state_from_column(text)
            except ValueError as error:
                unreadable.append(
                    CheckProblem(
                        ProblemKind.BAD_STATE,
                        f"prompt row {row}: its state cannot be read: {error}",
                    )
                )
        backup = collection.backup(now, "before-fix")
        with collection.transaction():
            for row, card_state in states.items():
                collection.write_cached_state(row, card_state)
        fixed = len(states)
        problems.extend(unreadable)
    return CheckReport(prompts, entries, tuple(problems), fixed, backup)
