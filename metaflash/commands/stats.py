"""``metaflash stats``: what is due, how study went, and how well each diagram step is known."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.collection.errors import CollectionError, CollectionLockedError
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId, StepId
from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.library.sources import user_decks_dir
from metaflash.core.scheduling.study_day import local_timezone
from metaflash.core.stats.statistics import Counts, Statistics, collect_statistics
from metaflash.core.util.paths import bundled_decks_dir, resolve_data_dir

DESCRIPTION = """\
Statistics of the bundled decks, your own decks in the data folder (and any --decks folder)
with your collection: per deck and per diagram step how many cards are new, in learning and
due today; a forecast of reviews for the coming days; your answers per day; true retention
(the share of passed reviews of young and mature cards, as Anki computes it); and mastery
per diagram step (how many of its cards you have studied and their mean predicted recall).

Decks are reconciled with the collection first (as opening them in the window does). While
metaflash has the collection open, statistics are read without writing.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="counts, forecast, retention and step mastery",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
    parser.add_argument("--deck", metavar="ID", help="only this deck and its sub-decks")
    parser.add_argument(
        "--decks",
        metavar="DIR",
        action="append",
        type=Path,
        default=[],
        help="also read the decks in DIR (repeatable)",
    )
    parser.add_argument(
        "--days", type=int, default=7, metavar="N", help="days of forecast and history (default 7)"
    )
    parser.set_defaults(func=run)


def _step_order(library: Library) -> list[StepId]:
    """Diagram steps in pathway order; steps only cards mention follow, in card order."""
    order: list[StepId] = []
    for diagram in library.diagrams:
        order.extend(step.id for step in diagram.ordered_steps() if step.id not in order)
    for deck in library.decks:
        for card in deck.cards:
            if card.stage is not None and card.stage not in order:
                order.append(card.stage)
    return order


def _open(data_dir: Path, decks: Sequence[Deck], now: datetime) -> Collection:
    try:
        collection = Collection.open(data_dir, now)
    except CollectionLockedError:
        return Collection.open_read_only(data_dir)  # the window has it: read, don't write
    reconcile_library(collection, decks, now)
    return collection


def run(args: argparse.Namespace) -> int:
    now = args.clock()
    if args.days < 1 or args.days > 3650:
        print("metaflash stats: --days must be 1..3650", file=sys.stderr)
        return 2
    data_dir = resolve_data_dir(args.data_dir)
    own = user_decks_dir(data_dir)  # the decks the window loads from the data folder too
    library = load_library([bundled_decks_dir(), *([own] if own.is_dir() else []), *args.decks])
    decks = list(library.decks)
    for problem in library.problems:
        print(problem, file=sys.stderr)
    if args.deck is not None and args.deck not in {deck.id for deck in decks}:
        known = ", ".join(sorted(deck.id for deck in decks)) or "none"
        print(f"metaflash stats: no deck {args.deck!r} (decks: {known})", file=sys.stderr)
        return 1
    try:
        collection = _open(data_dir, decks, now)
    except CollectionError as error:
        print(f"metaflash stats: {error}", file=sys.stderr)
        return 1
    try:
        day = collection.study_day(local_timezone())
        stats = collect_statistics(
            collection,
            decks,
            day,
            now,
            root=None if args.deck is None else DeckId(args.deck),
            forecast_days=args.days,
            history_days=args.days,
            step_order=_step_order(library),
        )
    finally:
        collection.close(now)
    print(json.dumps(to_json(stats), indent=2) if args.json else to_text(stats))
    return 0


def _counts_json(counts: Counts) -> dict[str, int]:
    return {
        "new": counts.new,
        "learning": counts.learning,
        "due": counts.due,
        "studied": counts.studied,
        "suspended": counts.suspended,
        "total": counts.total,
    }


def to_json(stats: Statistics) -> dict[str, object]:
    """The statistics as plain JSON values (dates as ISO strings, shares 0..1 or null)."""
    return {
        "generated_at": stats.generated_at.isoformat(),
        "overall": _counts_json(stats.overall),
        "decks": [
            {
                "id": deck.deck_id,
                "title": deck.title,
                "depth": deck.depth,
                "own": _counts_json(deck.own),
                "with_subdecks": _counts_json(deck.with_subdecks),
            }
            for deck in stats.decks
        ],
        "steps": [{"id": step.step_id, **_counts_json(step.counts)} for step in stats.steps],
        "forecast": [{"date": day.day.isoformat(), "due": day.count} for day in stats.forecast],
        "reviews_per_day": [
            {
                "date": day.day.isoformat(),
                "answers": day.answers,
                "again": day.again,
                "new_cards": day.new_cards,
                "time_ms": day.time_ms,
            }
            for day in stats.reviews
        ],
        "true_retention": [
            {
                "period": period.label,
                "days": period.days,
                "young": period.young,
                "mature": period.mature,
                "total": period.total,
                "young_passed": period.young_passed,
                "young_failed": period.young_failed,
                "mature_passed": period.mature_passed,
                "mature_failed": period.mature_failed,
            }
            for period in stats.retention
        ],
        "mastery": [
            {
                "step": step.step_id,
                "studied": step.studied,
                "total": step.total,
                "recall": step.recall,
                "level": step.level,
                "label": step.label(),
            }
            for step in stats.mastery
        ],
    }


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def to_text(stats: Statistics) -> str:
    lines = ["Decks                                    new  learn    due   studied"]
    for deck in stats.decks:
        counts = deck.with_subdecks
        name = ("  " * deck.depth + deck.title)[:38]
        lines.append(
            f"  {name:<38} {counts.new:>4} {counts.learning:>6} {counts.due:>6}"
            f"   {counts.studied}/{counts.total}"
        )
    if not stats.decks:
        lines.append("  (no decks)")
    if stats.mastery:
        by_step = {step.step_id: step.counts for step in stats.steps}
        lines += ["", "Diagram steps                            new  learn    due   mastery"]
        for mastery in stats.mastery:
            counts = by_step[mastery.step_id]
            lines.append(
                f"  {mastery.step_id[:38]:<38} {counts.new:>4} {counts.learning:>6} "
                f"{counts.due:>6}   {mastery.label()}"
            )
    lines += ["", "Due in the coming days"]
    lines += [f"  {day.day:%a %d %b}  {day.count}" for day in stats.forecast]
    answers = sum(day.answers for day in stats.reviews)
    again = sum(day.again for day in stats.reviews)
    minutes = sum(day.time_ms for day in stats.reviews) / 60000
    lines += [
        "",
        f"Answers in the last {len(stats.reviews)} days: {answers}"
        + (f" ({again / answers:.0%} Again, {minutes:.0f} min)" if answers else ""),
        "",
        "True retention         young   mature    total",
    ]
    for period in stats.retention:
        lines.append(
            f"  {period.label:<18} {_share(period.young):>7} {_share(period.mature):>8} "
            f"{_share(period.total):>8}"
        )
    return "\n".join(lines)
