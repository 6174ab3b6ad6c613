"""A deck meets the collection: match its prompts by deck id, card id and variant.

New prompts start as new cards; prompts whose text, tags, position or stage changed keep
their history (only position and stage are stored: new cards are introduced in deck order,
and positions are sort keys with room between them, see
:mod:`~metaflash.core.collection.deck_order`, so that an edit rewrites only what it moved);
a prompt that left the file is *retired*, never deleted, and comes back with its history when
its id returns. A renamed or moved file changes nothing, since the deck id is inside the
file. A deck with nothing to change writes nothing (no transaction, no sync to disk). Only a
typed :class:`Deck` is accepted, so a deck that failed to load cannot touch the collection.

A card whose type changed keeps the history of the prompt that asks the same thing
(:data:`SAME_QUESTION`): a basic card's one prompt is a reverse card's front-to-back prompt,
and back. Cards that move between deck files are matched in
:mod:`metaflash.core.collection.card_moves`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from metaflash.core.collection.deck_order import placed, renumbered
from metaflash.core.collection.store import ChangeKind, Collection, CollectionChange
from metaflash.core.decks.model import BasicContent, Deck, DeckId
from metaflash.core.scheduling.study_day import require_utc
from metaflash.core.util.gc_pause import collector_paused

#: Variants that ask the same question, so that changing a card's type carries the history
#: across: ``basic`` -> ``reverse`` keeps front -> back, ``reverse`` -> ``basic`` keeps it too
#: (the back -> front prompt is retired, and comes back if the card turns reverse again).
#: Basic and diagram cards share the variant ``""``, so that change needs no entry here.
SAME_QUESTION: dict[str, str] = {"": "forward", "forward": ""}

#: The variant a prompt row holds for a moment while two rows swap names.
_SWAPPING = "\x00swap-"


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    deck_id: DeckId
    added: int = 0  # prompts new to the collection
    kept: int = 0  # prompts the collection knew, history kept
    moved: int = 0  # of those, how many changed position or stage
    retired: int = 0  # prompts that left the deck (history kept)
    restored: int = 0  # retired prompts whose card came back
    carried: int = 0  # prompts whose card changed type and that kept the history

    @property
    def changed(self) -> bool:
        return bool(self.added or self.moved or self.retired or self.restored or self.carried)

    def __str__(self) -> str:
        parts = [f"{self.added} new", f"{self.kept} kept"]
        if self.carried:
            parts.append(f"{self.carried} kept across a change of type")
        if self.retired:
            parts.append(f"{self.retired} retired")
        if self.restored:
            parts.append(f"{self.restored} restored")
        return f"{self.deck_id}: " + ", ".join(parts)


#: what reconciling reads of a deck's rows (see :func:`prompt_rows`)
PromptRow = tuple[int, str, str, int, str | None, int]


def prompt_rows(collection: Collection, deck_id: DeckId) -> list[PromptRow]:
    """The deck's prompt rows as :func:`reconcile` reads them: id, card id, variant,
    position, stage, retired."""
    return collection.db.execute(
        "SELECT id, card_id, variant, position, stage, retired FROM prompts WHERE deck_id = ?",
        (deck_id,),
    ).fetchall()


@collector_paused()  # ~100,000 short-lived tuples for a 20,000-card deck (see gc_pause)
def reconcile(
    collection: Collection,
    deck: Deck,
    now: datetime,
    rows: Sequence[PromptRow] | None = None,
) -> ReconcileReport:
    """Bring the collection in line with ``deck``, in one transaction (none when nothing
    changes). ``now`` is when the decks were read; ``rows``, the deck's rows as
    :func:`prompt_rows` just read them (read here when not given)."""
    now = require_utc(now)
    prompts = reconciled_prompts(deck)
    keys: list[tuple[str, str]] = [(card_id, variant) for card_id, variant, _ in prompts]
    asked = set(keys)
    if len(asked) != len(keys):
        _refuse_twice(deck, keys)
    existing: dict[tuple[str, str], tuple[int, int, str | None, int]] = {
        (card_id, variant): (row_id, position, stage, retired)
        for row_id, card_id, variant, position, stage, retired in (
            prompt_rows(collection, deck.id) if rows is None else rows
        )
    }
    unasked = existing.keys() - asked  # rows of prompts the deck no longer asks
    renames, carried = _carry_across_types(existing, asked, unasked)
    inserts: list[tuple[str, str, str, int, str | None]] = []
    # rows that only moved are written apart: each statement touches only the indexes of the
    # columns it sets (a shuffled 20,000-card deck moves every row)
    moves: list[tuple[int, int]] = []
    updates: list[tuple[int, str | None, int]] = []
    kept = moved = restored = 0
    found = [existing.get(key) for key in keys]
    positions = placed([None if known is None else known[1] for known in found])
    if positions is None:  # no room left between two kept positions: number afresh
        positions = renumbered(len(prompts))
    for (card_id, variant, stage), known, position in zip(prompts, found, positions, strict=True):
        if known is None:
            inserts.append((deck.id, card_id, variant, position, stage))
            continue
        row_id, old_position, old_stage, retired = known
        kept += 1
        restored += retired
        if old_stage != stage or retired:
            moved += old_position != position or old_stage != stage
            updates.append((position, stage, row_id))
        elif old_position != position:
            moved += 1
            moves.append((position, row_id))
    # (a row that a change of type carried across may have left them)
    retire = sorted(
        (existing[key][0],) for key in unasked if key in existing and not existing[key][3]
    )
    if not (renames or inserts or updates or moves or retire):
        return ReconcileReport(deck_id=deck.id, kept=kept)
    with collection.transaction() as db:
        # the name a renamed row had stays an alias of it: other devices' events still use it
        db.executemany(
            "INSERT OR REPLACE INTO prompt_aliases (deck_id, card_id, variant, prompt) "
            "SELECT deck_id, card_id, variant, id FROM prompts WHERE id = ?",
            [(row_id,) for row_id, _ in renames],
        )
        # every renamed row takes a name no card has first, so two rows can swap names
        db.executemany(
            "UPDATE prompts SET variant = ? WHERE id = ?",
            [(f"{_SWAPPING}{row_id}", row_id) for row_id, _ in renames],
        )
        db.executemany(
            "UPDATE prompts SET variant = ? WHERE id = ?",
            [(variant, row_id) for row_id, variant in renames],
        )
        db.executemany(
            "INSERT INTO prompts (deck_id, card_id, variant, position, stage) VALUES (?, ?, ?, ?, ?)",
            inserts,
        )
        db.executemany("UPDATE prompts SET position = ? WHERE id = ?", moves)
        db.executemany(
            "UPDATE prompts SET position = ?, stage = ?, retired = 0 WHERE id = ?", updates
        )
        db.executemany("UPDATE prompts SET retired = 1 WHERE id = ?", retire)
    if renames:
        collection.replay_renamed(row_id for row_id, _ in renames)
    report = ReconcileReport(
        deck_id=deck.id,
        added=len(inserts),
        kept=kept,
        moved=moved,
        retired=len(retire),
        restored=restored,
        carried=carried,
    )
    if report.changed:
        collection.changed.emit(CollectionChange(ChangeKind.DECKS, frozenset({deck.id})))
    return report


def reconciled_prompts(deck: Deck) -> list[tuple[str, str, str | None]]:
    """What reconciling reads of each prompt: its card, its name and its step (the prompts'
    own texts are not needed, so none are made). A basic card, the most common kind, has one
    prompt named ``""`` at its stage: it is written out, two method calls fewer per card."""
    prompts: list[tuple[str, str, str | None]] = []
    add = prompts.append
    for card in deck.cards:
        if type(card.content) is BasicContent:
            add((card.id, "", card.stage))
        else:
            step = card.diagram_step
            for variant in card.variants():
                add((card.id, variant, step))
    return prompts


def _refuse_twice(deck: Deck, keys: Sequence[tuple[str, str]]) -> None:
    seen: set[tuple[str, str]] = set()
    for card_id, variant in keys:
        if (card_id, variant) in seen:
            raise ValueError(
                f"deck {deck.id!r} has card {card_id!r} (variant {variant!r}) "
                "twice; card ids must be unique in a deck"
            )
        seen.add((card_id, variant))


def _carry_across_types(
    existing: dict[tuple[str, str], tuple[int, int, str | None, int]],
    asked: set[tuple[str, str]],
    unasked: set[tuple[str, str]],
) -> tuple[list[tuple[int, str]], int]:
    """Rename the rows of cards whose type changed, so that each prompt the deck asks now
    finds the history of the prompt that asked the same thing; ``existing`` is updated.
    ``asked`` holds the prompts (card id, variant) the deck asks now, ``unasked`` the keys of
    ``existing`` that are not among them.

    The history a student was studying wins: when the card asks ``""`` again but its ``""``
    row is retired (an old change of type) and its ``"forward"`` row is active, the two rows
    swap names. Returns ``(row id, new variant)`` for every renamed row, and how many prompts
    the deck asks now kept a history that way.
    """
    renames: list[tuple[int, str]] = []
    carried = 0
    # only a row of a prompt the deck no longer asks can carry its history across
    for card_id, other in sorted(key for key in unasked if key[1] in SAME_QUESTION):
        variant = SAME_QUESTION[other]
        if (card_id, variant) not in asked:
            continue
        theirs = existing[(card_id, other)]
        mine = existing.get((card_id, variant))
        if mine is not None and (not mine[3] or theirs[3]):
            continue  # the exact prompt is active, or neither is: it keeps its own
        existing[(card_id, variant)] = theirs
        renames.append((theirs[0], variant))
        carried += 1
        if mine is None:
            del existing[(card_id, other)]
        else:
            existing[(card_id, other)] = mine
            renames.append((mine[0], other))
    return renames, carried


def reconcile_all(
    collection: Collection, decks: Iterable[Deck], now: datetime
) -> tuple[ReconcileReport, ...]:
    return tuple(reconcile(collection, deck, now) for deck in decks)
