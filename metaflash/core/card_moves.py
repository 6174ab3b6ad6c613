"""A card moved from one deck file to another keeps its progress.

Card ids are unique within a deck, so a card's history is stored under (deck id, card id).
When a card's id leaves one deck and appears, new, in another, the card has moved: its
history goes with it. A move is recognised when:

- the card left exactly one deck (the *source*), where it has been answered at least once;
- it appears, with no history of its own, in exactly one other deck (the *target*).

The two halves may come in one reload (both files saved together, or edited while the app
was closed) or in two reloads of the same run (cut, save one file; paste, save the other):
:class:`MoveMemory` remembers, for the run, cards that left a deck and cards that arrived
somewhere new, until the other half shows up.

Nothing is guessed. When the card left several decks, or arrives in several, the move is
*unclear*: each prompt stays where it is (the arrivals start new, the history stays retired
in its old deck) and :meth:`UnclearMove.problems` says so in the Problems panel, until the
author keeps the card in one deck only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from metaflash.core.collection import ChangeKind, Collection, CollectionChange
from metaflash.core.collection_errors import CollectionError
from metaflash.core.deck_model import CardId, Deck, DeckId, Problem
from metaflash.core.reconcile import ReconcileReport, reconcile


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
        if len(self.sources) == 1:
            left = f"deck '{self.sources[0]}'"
        else:
            left = f"{len(self.sources)} decks ({_names(self.sources)})"
        if len(self.targets) > 1:
            message = (
                f"card '{self.card_id}' left {left} and now appears in {len(self.targets)} "
                f"decks ({_names(self.targets)}): metaflash cannot tell which one should keep "
                "its progress, so here it starts as a new card"
            )
        else:
            message = (
                f"card '{self.card_id}' left {left} and appears here: metaflash cannot tell "
                "whose progress it should keep, so it starts as a new card"
            )
        steps = []
        if len(self.sources) > 1:
            steps.append("put the card back in the decks whose progress it should not take")
        if len(self.targets) > 1:
            steps.append("keep it in one of the decks it appears in")
        hint = (
            " and ".join(steps)
            + ", then save: it takes its progress along (or give it a new id to start afresh)"
        )
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
    """What one run of the app has seen of moves not yet complete.

    ``left``: cards that left a deck with their history (now retired there). ``arrived``:
    cards that appeared with no history in a deck. Each is checked against the collection
    again before use, so stale entries (the card was answered since, or went back) do no harm.
    """

    left: dict[CardId, set[DeckId]] = field(default_factory=dict)
    arrived: dict[CardId, set[DeckId]] = field(default_factory=dict)
    unclear: set[CardId] = field(default_factory=set)

    def forget(self, card_id: CardId) -> None:
        self.left.pop(card_id, None)
        self.arrived.pop(card_id, None)
        self.unclear.discard(card_id)


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


def reconcile_library(
    collection: Collection,
    decks: Sequence[Deck],
    now: datetime,
    changed: Iterable[DeckId] | None = None,
    memory: MoveMemory | None = None,
) -> LibraryReconcile:
    """Bring the collection in line with every loaded deck of a library.

    ``decks`` are all the decks loaded now; ``changed`` the ids of those to reconcile (all of
    them when ``None``). Cards that moved between decks take their history along first; then
    each changed deck, and each deck a card moved into, is reconciled on its own. A deck that
    cannot be reconciled is returned in ``failures`` and the others go on.
    """
    memory = MoveMemory() if memory is None else memory
    by_id = {deck.id: deck for deck in decks}
    wanted = list(by_id) if changed is None else [d for d in dict.fromkeys(changed) if d in by_id]
    moves, unclear = _find_moves(collection, by_id, wanted, memory)
    if moves:
        _apply(collection, moves)
        collection.changed.emit(
            CollectionChange(
                ChangeKind.DECKS,
                frozenset(d for move in moves for d in (move.source, move.target)),
            )
        )
    to_reconcile = list(dict.fromkeys([*wanted, *(move.target for move in moves)]))
    reports: list[ReconcileReport] = []
    failures: list[tuple[Deck, Exception]] = []
    for deck_id in to_reconcile:
        deck = by_id[deck_id]
        try:
            reports.append(reconcile(collection, deck, now))
        except (CollectionError, sqlite3.Error, ValueError) as error:
            failures.append((deck, error))  # reported at the deck; the others go on
    return LibraryReconcile(tuple(reports), tuple(moves), tuple(unclear), tuple(failures))


# --- finding moves --------------------------------------------------------------------------


def _find_moves(
    collection: Collection,
    decks: Mapping[DeckId, Deck],
    changed: Sequence[DeckId],
    memory: MoveMemory,
) -> tuple[list[CardMove], list[UnclearMove]]:
    db = collection.db
    for deck_id in changed:
        deck = decks[deck_id]
        known: dict[str, bool] = {  # card id -> has an active prompt
            str(card_id): bool(active)
            for card_id, active in db.execute(
                "SELECT card_id, max(retired = 0) FROM prompts WHERE deck_id = ? GROUP BY card_id",
                (deck_id,),
            )
        }
        for card in deck.cards:
            if card.id not in known:
                memory.arrived.setdefault(card.id, set()).add(deck_id)
        for card_id, active in known.items():
            if active and deck.card(CardId(card_id)) is None:
                memory.left.setdefault(CardId(card_id), set()).add(deck_id)
    moves: list[CardMove] = []
    unclear: list[UnclearMove] = []
    for card_id in sorted(set(memory.left) | memory.unclear):
        sources = sorted(
            d
            for d in memory.left.get(card_id, ())
            if d in decks and decks[d].card(card_id) is None and _answered(collection, d, card_id)
        )
        targets = sorted(
            d
            for d in memory.arrived.get(card_id, ())
            if d in decks
            and decks[d].card(card_id) is not None
            and not _answered(collection, d, card_id)
        )
        if not sources:
            memory.forget(card_id)
        elif not targets:
            memory.left[card_id] = set(sources)
            memory.arrived.pop(card_id, None)
            memory.unclear.discard(card_id)
        elif len(sources) == 1 and len(targets) == 1:
            moves.append(CardMove(card_id, sources[0], targets[0]))
            memory.forget(card_id)
        else:
            unclear.append(UnclearMove(card_id, tuple(sources), tuple(targets)))
            memory.left[card_id], memory.arrived[card_id] = set(sources), set(targets)
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
            db.execute(
                "UPDATE prompts SET deck_id = ? WHERE deck_id = ? AND card_id = ?",
                (move.target, move.source, move.card_id),
            )


def _names(deck_ids: Iterable[DeckId]) -> str:
    return ", ".join(f"'{deck_id}'" for deck_id in deck_ids)
