"""A deck meets the collection: match its prompts by deck id, card id and variant.

New prompts start as new cards; prompts whose text, tags, position or stage changed keep
their history (only position and stage are stored: new cards are introduced in deck order);
a prompt that left the file is *retired*, never deleted, and comes back with its history when
its id returns. A renamed or moved file changes nothing but the stored path, since the deck
id is inside the file. Only a typed :class:`Deck` is accepted, so a deck that failed to load
cannot touch the collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from metaflash.core.collection import ChangeKind, Collection, CollectionChange
from metaflash.core.collection_records import to_millis
from metaflash.core.deck_model import Deck, DeckId
from metaflash.core.study_day import require_utc


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    deck_id: DeckId
    added: int = 0  # prompts new to the collection
    kept: int = 0  # prompts the collection knew, history kept
    moved: int = 0  # of those, how many changed position or stage
    retired: int = 0  # prompts that left the deck (history kept)
    restored: int = 0  # retired prompts whose card came back

    @property
    def changed(self) -> bool:
        return bool(self.added or self.moved or self.retired or self.restored)

    def __str__(self) -> str:
        parts = [f"{self.added} new", f"{self.kept} kept"]
        if self.retired:
            parts.append(f"{self.retired} retired")
        if self.restored:
            parts.append(f"{self.restored} restored")
        return f"{self.deck_id}: " + ", ".join(parts)


def reconcile(collection: Collection, deck: Deck, now: datetime) -> ReconcileReport:
    """Bring the collection in line with ``deck``, in one transaction."""
    now = require_utc(now)
    prompts = deck.prompts()
    existing: dict[tuple[str, str], tuple[int, int, str | None, int]] = {
        (str(card_id), str(variant)): (int(row_id), int(position), stage, int(retired))
        for row_id, card_id, variant, position, stage, retired in collection.db.execute(
            "SELECT id, card_id, variant, position, stage, retired FROM prompts WHERE deck_id = ?",
            (deck.id,),
        )
    }
    seen: set[tuple[str, str]] = set()
    inserts: list[tuple[str, str, str, int, str | None]] = []
    updates: list[tuple[int, str | None, int]] = []
    kept = moved = restored = 0
    for position, prompt in enumerate(prompts):
        key = (str(prompt.card_id), prompt.variant)
        if key in seen:
            raise ValueError(
                f"deck {deck.id!r} has card {prompt.card_id!r} (variant {prompt.variant!r}) "
                "twice; card ids must be unique in a deck"
            )
        seen.add(key)
        known = existing.get(key)
        if known is None:
            inserts.append((deck.id, prompt.card_id, prompt.variant, position, prompt.stage))
            continue
        row_id, old_position, old_stage, retired = known
        kept += 1
        restored += retired
        if old_position != position or old_stage != prompt.stage or retired:
            moved += old_position != position or old_stage != prompt.stage
            updates.append((position, prompt.stage, row_id))
    retire = [
        (row_id,)
        for key, (row_id, _, _, retired) in existing.items()
        if key not in seen and not retired
    ]
    with collection.transaction() as db:
        db.execute(
            "INSERT INTO decks (id, title, parent, path, synced_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, parent = excluded.parent, "
            "path = excluded.path, synced_at = excluded.synced_at",
            (
                deck.id,
                deck.title,
                deck.parent,
                None if deck.path is None else str(deck.path),
                to_millis(now),
            ),
        )
        db.executemany(
            "INSERT INTO prompts (deck_id, card_id, variant, position, stage) VALUES (?, ?, ?, ?, ?)",
            inserts,
        )
        db.executemany(
            "UPDATE prompts SET position = ?, stage = ?, retired = 0 WHERE id = ?", updates
        )
        db.executemany("UPDATE prompts SET retired = 1 WHERE id = ?", retire)
    report = ReconcileReport(
        deck_id=deck.id,
        added=len(inserts),
        kept=kept,
        moved=moved,
        retired=len(retire),
        restored=restored,
    )
    if report.changed:
        collection.changed.emit(CollectionChange(ChangeKind.DECKS, frozenset({deck.id})))
    return report


def reconcile_all(
    collection: Collection, decks: Iterable[Deck], now: datetime
) -> tuple[ReconcileReport, ...]:
    return tuple(reconcile(collection, deck, now) for deck in decks)
