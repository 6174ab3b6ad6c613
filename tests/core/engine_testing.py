"""Shared helpers for the study-engine tests: decks built in code, a hand-driven clock."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

from metaflash.core import Card, CardId, Collection, Deck, DeckId, StepId, StudyDay
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.decks.model import BasicContent, SequenceContent

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris
PARIS = ZoneInfo("Europe/Paris")
PARIS_DAY = StudyDay(PARIS)


@dataclass
class Clock:
    """The tests' clock: time moves only when a test says so."""

    now: datetime = START

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def __call__(self) -> datetime:
        return self.now


def basic_card(
    card_id: str, stage: str | None = None, front: str = "", tags: Sequence[str] = ()
) -> Card:
    return Card(
        CardId(card_id),
        BasicContent(front or f"Question {card_id}?", f"Answer {card_id}."),
        tags=tuple(tags),
        stage=None if stage is None else StepId(stage),
    )


def make_deck(
    deck_id: str,
    count: int = 0,
    *,
    cards: Sequence[Card] = (),
    parent: str | None = None,
    title: str | None = None,
    path: Path | None = None,
    stage_of: dict[int, str] | None = None,
) -> Deck:
    """A deck of ``cards`` plus ``count`` basic cards ``{deck_id}-1`` ... in that order."""
    stages = stage_of or {}
    generated = tuple(basic_card(f"{deck_id}-{i}", stages.get(i)) for i in range(1, count + 1))
    return Deck(
        DeckId(deck_id),
        title or deck_id.replace("-", " ").title(),
        tuple(cards) + generated,
        parent=None if parent is None else DeckId(parent),
        path=path,
    )


def sequence_card(card_id: str, steps: Sequence[str]) -> Card:
    return Card(CardId(card_id), SequenceContent("The cascade", tuple(steps)))


def open_with(data_dir: Path, clock: Clock, *decks: Deck) -> Collection:
    collection = Collection.open(data_dir, clock.now)
    for deck in decks:
        reconcile(collection, deck, clock.now)
    return collection


def run_command(module: ModuleType, data_dir: Path, *argv: str, clock: Clock | None = None) -> int:
    """Run one ``metaflash`` subcommand module the way the CLI dispatcher does, at the time
    ``clock`` says (a fresh test clock, at :data:`START`, by default)."""
    parser = argparse.ArgumentParser(prog="metaflash")
    parser.add_argument("--data-dir")
    module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    args.clock = clock or Clock()
    result: int = args.func(args)
    return result
