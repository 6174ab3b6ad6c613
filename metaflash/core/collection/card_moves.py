"""A card moved from one deck file to another keeps its progress.

Card ids are unique within a deck, so a card's history is stored under (deck id, card id).
When a card's id leaves one deck and appears, new, in another, the card has moved: its
history goes with it. A move is recognised when:

- the card left exactly one deck (the *source*), where it has been answered at least once;
- it appears, with no history of its own, in exactly one other deck (the *target*).

The two halves may come in one reload (both files saved together, or edited while the app
was closed) or in two reloads of the same run (cut, save one file; paste, save the other):
:class:`MoveMemory` remembers cards that left a deck and cards that arrived somewhere new
for :data:`MOVE_WINDOW`, until the other half shows up. The window keeps an old deletion and
an unrelated new card that happens to share its id from being taken for a move.

Nothing is guessed. When the card left several decks, or arrives in several, the move is
*unclear*: each prompt stays where it is (the arrivals start new, the history stays retired
in its old deck) and :meth:`UnclearMove.problems` says so in the Problems panel until the
author keeps the card in one deck only; then the history follows. Unclear moves are kept in
the collection, so the warning survives a restart. Once the student answers one of the new
copies, that copy has a history of its own and the unclear move is dropped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.reconcile import (
    PromptRow,
    ReconcileReport,
    prompt_rows,
    reconcile,
    reconciled_prompts,
)
from metaflash.core.collection.store import ChangeKind, Collection, CollectionChange
from metaflash.core.decks.model import CardId, Deck, DeckId, Problem
from metaflash.core.library.deck_cache import program_key
from metaflash.core.util.gc_pause import collector_paused

#: How long one half of a move (a card gone from a deck, or new in one) waits for the other.
MOVE_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class CardMove:
    card_id: CardId
    source: DeckId
    target: DeckId

    def __str__(self) -> str:
        return f"card '{self.card_id}' moved from deck '{self.source}' to '{self.target}'"


@dataclass(frozen=True, slots=True)
class UnclearMove:
    """A card whose history could go to more than one place, or come from more than one."""

    card_id: CardId
    sources: tuple[DeckId, ...]  # decks the card left, where it has a history
    targets: tuple[DeckId, ...]  # decks where it appeared with none

    def problems(self, decks: Mapping[DeckId, Deck]) -> tuple[Problem, ...]:
        """One warning at the card in each deck it appeared in."""
        left = f"'{self.sources[0]}'" if len(self.sources) == 1 else _some(self.sources)
        if len(self.targets) > 1:
            message = (
                f"card '{self.card_id}' left {left} for {_some(self.targets)}: its progress "
                "waits until the card is in one deck only, and here it starts as new"
            )
        else:
            message = (
                f"card '{self.card_id}' left {left} for this deck: metaflash cannot tell "
                "whose progress to keep, so here it starts as new"
            )
        steps = []
        if len(self.sources) > 1:
            steps.append("put the card back in the decks whose progress it should not take")
        if len(self.targets) > 1:
            steps.append("keep it in one of the decks it is in now")
        hint = " and ".join(steps) + ", then save: its progress follows"
        found: list[Problem] = []
        for target in self.targets:
            deck = decks.get(target)
            card = deck.card(self.card_id) if deck is not None else None
            if deck is None or card is None:
                continue
            found.append(
                Problem(
                    str(deck.path or deck.id),
                    card.location.line,
                    card.location.column,
                    message,
                    hint,
                    severity="warning",
                )
            )
        return tuple(found)


@dataclass(slots=True)
class MoveMemory:
    """The halves of moves seen in one run of the app, each with when it was seen.

    ``left``: cards that left a deck (where they were active). ``arrived``: cards that
    appeared in a deck that had no prompt for them. ``unclear``: cards whose move could not
    be settled; these are also kept in the collection. Every entry is checked against the
    decks and the collection again before use.
    """

    left: dict[CardId, dict[DeckId, datetime]] = field(default_factory=dict)
    arrived: dict[CardId, dict[DeckId, datetime]] = field(default_factory=dict)
    unclear: set[CardId] = field(default_factory=set)

    def forget(self, card_id: CardId) -> None:
        self.left.pop(card_id, None)
        self.arrived.pop(card_id, None)
        self.unclear.discard(card_id)

    def expire(self, now: datetime) -> None:
        """Drop halves older than :data:`MOVE_WINDOW`, except those of unclear moves."""
        for halves in (self.left, self.arrived):
            for card_id in list(halves):
                if card_id in self.unclear:
                    continue
                seen = {d: at for d, at in halves[card_id].items() if now - at <= MOVE_WINDOW}
                if seen:
                    halves[card_id] = seen
                else:
                    del halves[card_id]

    def unclear_json(self) -> str | None:
        if not self.unclear:
            return None
        return json.dumps(
            {
                card_id: {
                    "left": sorted(self.left.get(card_id, ())),
                    "arrived": sorted(self.arrived.get(card_id, ())),
                }
                for card_id in sorted(self.unclear)
            },
            sort_keys=True,
        )

    def add_unclear_json(self, text: str | None, now: datetime) -> None:
        """Take back the unclear moves :meth:`unclear_json` wrote (a damaged text adds none:
        the moves stay unsettled, the history stays where it is)."""
        try:
            stored = json.loads(text) if text else {}
        except ValueError:
            return
        if not isinstance(stored, dict):
            return
        for card_id, halves in stored.items():
            if not isinstance(halves, dict):
                continue
            left, arrived = halves.get("left"), halves.get("arrived")
            if not (isinstance(left, list) and left and isinstance(arrived, list) and arrived):
                continue
            card = CardId(str(card_id))
            self.left.setdefault(card, {}).update((DeckId(str(d)), now) for d in left)
            self.arrived.setdefault(card, {}).update((DeckId(str(d)), now) for d in arrived)
            self.unclear.add(card)


@dataclass(frozen=True, slots=True)
class LibraryReconcile:
    """What :func:`reconcile_library` did."""

    reports: tuple[ReconcileReport, ...]
    moves: tuple[CardMove, ...] = ()
    unclear: tuple[UnclearMove, ...] = ()
    failures: tuple[tuple[Deck, Exception], ...] = ()

    def problems(self, decks: Sequence[Deck]) -> tuple[Problem, ...]:
        by_id = {deck.id: deck for deck in decks}
        return tuple(problem for move in self.unclear for problem in move.problems(by_id))


# finding moves reads every changed deck's rows right after a load made a million long-lived
# objects: the cyclic collector would walk them all, finding nothing to free (see gc_pause)
@collector_paused()
def reconcile_library(
    collection: Collection,
    decks: Sequence[Deck],
    now: datetime,
    changed: Iterable[DeckId] | None = None,
    memory: MoveMemory | None = None,
    fingerprints: Mapping[DeckId, str] | None = None,
) -> LibraryReconcile:
    """Bring the collection in line with every loaded deck of a library.

    ``decks`` are all the decks loaded now; ``changed`` the ids of those to reconcile (all of
    them when ``None``); of those, a deck whose fingerprint (from ``fingerprints``, the
    library's, else :func:`deck_fingerprint`) is the one it had when last reconciled is
    left as it is. Cards that moved between decks take their history along first; then
    each changed deck, and each deck a card moved into, is reconciled on its own. A deck that
    cannot be reconciled is returned in ``failures`` and the others go on.
    """
    memory = MoveMemory() if memory is None else memory
    stored = collection.unclear_moves()
    memory.add_unclear_json(stored, now)
    memory.expire(now)
    by_id = {deck.id: deck for deck in decks}
    wanted = list(by_id) if changed is None else [d for d in dict.fromkeys(changed) if d in by_id]
    # a deck unchanged since it was last reconciled in full has nothing to reconcile (at
    # start every deck is "changed": without this, a 20,000-card deck costs 0.7 s each time)
    reconciled = collection.reconciled_decks()
    stored_prints = dict(reconciled)
    known = fingerprints or {}
    prints = {d: known.get(d) or deck_fingerprint(by_id[d]) for d in wanted}
    wanted = [d for d in wanted if reconciled.get(d) != prints[d]]
    # each changed deck's rows, read once for finding moves and for reconciling
    rows = {deck_id: prompt_rows(collection, deck_id) for deck_id in wanted}
    moves, unclear = _find_moves(collection, by_id, rows, memory, now)
    if moves:
        _apply(collection, moves)
        for move in moves:  # those decks' rows changed: read again when reconciled
            rows.pop(move.source, None)
            rows.pop(move.target, None)
        for move in moves:
            memory.forget(move.card_id)
        collection.changed.emit(
            CollectionChange(
                ChangeKind.DECKS,
                frozenset(d for move in moves for d in (move.source, move.target)),
            )
        )
    if memory.unclear_json() != stored:  # a stale entry left by a failure here settles itself
        collection.set_unclear_moves(memory.unclear_json())
    to_reconcile = list(dict.fromkeys([*wanted, *(move.target for move in moves)]))
    reports: list[ReconcileReport] = []
    failures: list[tuple[Deck, Exception]] = []
    for deck_id in to_reconcile:
        deck = by_id[deck_id]
        try:
            reports.append(reconcile(collection, deck, now, rows.get(deck_id)))
        except (CollectionError, sqlite3.Error, ValueError) as error:
            failures.append((deck, error))  # reported at the deck; the others go on
            reconciled.pop(deck_id, None)
        else:
            reconciled[deck_id] = (
                prints.get(deck_id) or known.get(deck_id) or deck_fingerprint(deck)
            )
    if reconciled != stored_prints:
        collection.set_reconciled_decks(reconciled)
    return LibraryReconcile(tuple(reports), tuple(moves), tuple(unclear), tuple(failures))


def deck_fingerprint(deck: Deck) -> str:
    """What reconciling reads of a deck (:func:`reconciled_prompts`), hashed, with its id.
    The program's own key is part of it, so a version that
    makes prompts differently reconciles every deck again."""
    digest = hashlib.blake2b(program_key().encode(), digest_size=20)
    digest.update(repr(deck.id).encode())
    for prompt in reconciled_prompts(deck):
        digest.update(repr(prompt).encode())
    return digest.hexdigest()


# --- finding moves --------------------------------------------------------------------------


def _find_moves(
    collection: Collection,
    decks: Mapping[DeckId, Deck],
    rows: Mapping[DeckId, Sequence[PromptRow]],
    memory: MoveMemory,
    now: datetime,
) -> tuple[list[CardMove], list[UnclearMove]]:
    changed = list(rows)
    active: dict[DeckId, set[str]] = {}  # deck -> the cards it holds an active prompt of
    for deck_id in changed:
        deck = decks[deck_id]
        holds = {card_id for _, card_id, _, _, _, retired in rows[deck_id] if not retired}
        active[deck_id] = holds
        for card_id in holds.difference(deck.card_ids()):  # they left the deck's file
            memory.left.setdefault(CardId(card_id), {})[deck_id] = now
    for deck_id in changed:
        deck = decks[deck_id]
        holds = active[deck_id]
        for card in deck.cards:
            if card.id in holds:
                continue  # the deck has it already (a retired card coming back is new here)
            # remember it only if it may be the first half of a move: pasted here while
            # another deck still holds it with a history
            if card.id not in memory.left and not any(
                other != deck_id
                and held.has_card(card.id)
                and _answered(collection, other, card.id)
                for other, held in decks.items()
            ):
                continue
            memory.arrived.setdefault(card.id, {})[deck_id] = now
    moves: list[CardMove] = []
    unclear: list[UnclearMove] = []
    for card_id in sorted(set(memory.left) | memory.unclear):
        sources = sorted(
            d
            for d in memory.left.get(card_id, ())
            if d in decks and decks[d].card(card_id) is None and _answered(collection, d, card_id)
        )
        holding = [
            d
            for d in memory.arrived.get(card_id, ())
            if d in decks and decks[d].card(card_id) is not None
        ]
        targets = sorted(d for d in holding if not _answered(collection, d, card_id))
        if card_id in memory.unclear and len(targets) < len(holding):
            memory.forget(card_id)  # the student began one of the copies: it is a card now
        elif not sources:
            memory.forget(card_id)
        elif not targets:
            memory.left[card_id] = {d: memory.left[card_id][d] for d in sources}
            memory.arrived.pop(card_id, None)
            memory.unclear.discard(card_id)
        elif len(sources) == 1 and len(targets) == 1:
            moves.append(CardMove(card_id, sources[0], targets[0]))  # forgotten once written
        else:
            unclear.append(UnclearMove(card_id, tuple(sources), tuple(targets)))
            memory.left[card_id] = {d: memory.left[card_id][d] for d in sources}
            memory.arrived[card_id] = {d: memory.arrived[card_id][d] for d in targets}
            memory.unclear.add(card_id)
    return moves, unclear


def _answered(collection: Collection, deck_id: DeckId, card_id: CardId) -> bool:
    """Whether any prompt of the card in that deck has a review log entry."""
    row = collection.db.execute(
        "SELECT EXISTS (SELECT 1 FROM prompts AS p WHERE p.deck_id = ? AND p.card_id = ? "
        "AND EXISTS (SELECT 1 FROM review_log AS l WHERE l.prompt = p.id))",
        (deck_id, card_id),
    ).fetchone()
    return bool(row[0])


def _apply(collection: Collection, moves: Sequence[CardMove]) -> None:
    """Move each card's prompt rows to its new deck, in one transaction. The rows the target
    deck made for the card when it arrived have no history and give way."""
    with collection.transaction() as db:
        for move in moves:
            db.execute(
                "DELETE FROM prompts WHERE deck_id = ? AND card_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM review_log AS l WHERE l.prompt = prompts.id)",
                (move.target, move.card_id),
            )
            db.execute(  # the keys in the old deck stay aliases, for other devices' events
                "INSERT OR REPLACE INTO prompt_aliases (deck_id, card_id, variant, prompt) "
                "SELECT deck_id, card_id, variant, id FROM prompts WHERE deck_id = ? AND card_id = ?",
                (move.source, move.card_id),
            )
            db.execute(
                "UPDATE prompts SET deck_id = ? WHERE deck_id = ? AND card_id = ?",
                (move.target, move.source, move.card_id),
            )
    moved_rows = [
        int(row)
        for move in moves
        for (row,) in collection.db.execute(
            "SELECT id FROM prompts WHERE deck_id = ? AND card_id = ?", (move.target, move.card_id)
        )
    ]
    collection.replay_renamed(moved_rows)


def _some(deck_ids: Sequence[DeckId]) -> str:
    """``2 decks ('a', 'b')``."""
    return f"{len(deck_ids)} decks (" + ", ".join(f"'{d}'" for d in deck_ids) + ")"
