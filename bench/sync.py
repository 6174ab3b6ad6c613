"""Benchmark: merging another device's events against replaying the same answers locally.

Another device's journal of ``--events`` answers (100,000 by default) over ``--cards`` cards
(20,000) is made once: each card answered several times over months, every answer computed
by the FSRS step as the app computes it. Then, on fresh copies of one collection holding the
deck (cards all new), two things are timed, taking turns, ``--runs`` times each:

  merge     ``sync_now``: read the device's file, check and decode every line, store the
            events, add them to the review log and replay every changed card (taking each
            answer's state as the other device recorded it), all in one transaction
  replay    the same answers replayed locally through the same scheduler: the FSRS step for
            every answer, each logged as an answer is, the cards' states stored, one
            transaction

and then the start to the first card on the merged collection against the same on the
replayed one (the collection open, the queue built, the first card with its four states):
a history that arrived by sync must not make starting slower than one made here.

Targets (issue 14): merge <= 1.5x replay; start after merging <= 1.1x start after replaying
(the start against Anki's at the same size is ``bench/engine.py``'s row). Fairness: both
sides write the same review-log rows and states in one transaction, and one more row per
answer (the merge stores each event as received, the replay journals each answer as every
answer made here is); the merge also reads and checks a file, the replay computes FSRS.

    python bench/sync.py [--events N] [--cards N] [--runs N]

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from metaflash.core import Collection, ReviewSession, StudyDay, deck_scope
from metaflash.core.collection import answers as answer_log
from metaflash.core.collection.journal import append_review
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.records import LeechMark, PromptRecord, ReviewKind
from metaflash.core.collection.sync_events import AnswerEvent, EventId, SettingsDefinition, record
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import (
    NEW_CARD,
    CardState,
    Rating,
    SchedulerSettings,
    fuzz_seed,
    next_states,
)
from metaflash.core.sync.exchange import sync_now
from metaflash.core.sync.folder import APP_FOLDER, segment_name
from metaflash.core.sync.framing import frame

START = datetime(2026, 1, 5, 8, tzinfo=UTC)
DEVICE = "b" * 32
RATINGS = [Rating.GOOD] * 7 + [Rating.AGAIN, Rating.HARD, Rating.EASY]


def make_deck(cards: int) -> Deck:
    return Deck(
        DeckId("bench"),
        "Bench",
        tuple(
            Card(CardId(f"card-{i}"), BasicContent(f"Question {i}?", f"Answer {i}."))
            for i in range(cards)
        ),
    )


def make_answers(
    deck: Deck, events: int, seed: int = 7
) -> list[tuple[PromptKey, Rating, datetime]]:
    """``events`` answers spread over the deck's cards, each at a time its schedule allows,
    in the order of time."""
    rng = random.Random(seed)
    keys = [card.prompts(deck.id)[0].key for card in deck.cards]
    per_card = [
        events // len(keys) + (1 if i < events % len(keys) else 0) for i in range(len(keys))
    ]
    settings = SchedulerSettings()
    answers: list[tuple[PromptKey, Rating, datetime]] = []
    for key, count in zip(keys, per_card, strict=True):
        state, when = NEW_CARD, START + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        for _ in range(count):
            rating = rng.choice(RATINGS)
            seed_of = fuzz_seed(key.deck_id, key.card_id, key.variant, state.reps)
            state = next_states(state, when, settings, seed_of)[rating].state
            answers.append((key, rating, when))
            assert state.due is not None
            when = state.due + timedelta(minutes=rng.randint(1, 600))
    answers.sort(key=lambda answer: answer[2])
    return answers


def write_journal(folder: Path, answers: list[tuple[PromptKey, Rating, datetime]]) -> int:
    """The other device's files: its settings, then every answer as it recorded it."""
    settings = SchedulerSettings()
    device = folder / APP_FOLDER / DEVICE
    device.mkdir(parents=True)
    states: dict[PromptKey, CardState] = {}
    seq = 1
    lines = [
        frame(
            record(
                EventId(DEVICE, seq),
                SettingsDefinition(0, settings.fingerprint(), settings.to_json()),
            )
        )
    ]
    for key, rating, when in answers:
        seq += 1
        before = states.get(key, NEW_CARD)
        seed_of = fuzz_seed(key.deck_id, key.card_id, key.variant, before.reps)
        after = next_states(before, when, settings, seed_of)[rating].state
        states[key] = after
        event = AnswerEvent(
            int(when.timestamp() * 1000),
            key,
            ReviewKind.ANSWER,
            int(rating),
            5000,
            before.to_json(),
            after.to_json(),
            settings.fingerprint(),
        )
        lines.append(frame(record(EventId(DEVICE, seq), event)))
    (device / segment_name(1)).write_bytes(b"".join(lines))
    return seq


def replay_locally(
    collection: Collection, answers: list[tuple[PromptKey, Rating, datetime]]
) -> None:
    """The same answers through the same scheduler, logged as answers are, in one
    transaction (the baseline)."""
    settings = SchedulerSettings()
    records: dict[PromptKey, PromptRecord] = {}
    with collection.transaction() as db:
        settings_id = collection._settings_id(settings)
        for key, rating, when in answers:
            current = records.get(key) or collection.record(key)
            assert current is not None
            state = current.state
            seed_of = fuzz_seed(key.deck_id, key.card_id, key.variant, state.reps)
            outcome = next_states(state, when, settings, seed_of)[rating]
            review_id, records[key] = answer_log.insert_answer(
                db, current, outcome, when, 5000, settings_id, LeechMark.NONE
            )
            append_review(db, review_id)  # journalled, as every answer made here is


def first_card(data_dir: Path, deck: Deck, now: datetime) -> float:
    began = time.perf_counter()
    collection = Collection.open(data_dir, now)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), now)
    assert session.current is not None and session.next_states is not None
    took = time.perf_counter() - began
    collection.close(now)
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    deck = make_deck(args.cards)
    answers = make_answers(deck, args.events)
    now = answers[-1][2] + timedelta(days=1)
    merge_times: list[float] = []
    replay_times: list[float] = []
    start_merged: list[float] = []
    start_replayed: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        events = write_journal(root / "folder", answers)
        template = root / "template"
        collection = Collection.open(template, START)
        reconcile(collection, deck, START)
        collection.close(START)
        for run in range(args.runs):
            merged, replayed = root / f"merged-{run}", root / f"replayed-{run}"
            shutil.copytree(template, merged)
            shutil.copytree(template, replayed)
            sides = [("merge", merged), ("replay", replayed)]
            if run % 2:
                sides.reverse()
            for name, data_dir in sides:
                collection = Collection.open(data_dir, now)
                began = time.perf_counter()
                if name == "merge":
                    report = sync_now(collection, root / "folder", now)
                    merge_times.append(time.perf_counter() - began)
                    assert report.merge.answers == len(answers), report
                else:
                    replay_locally(collection, answers)
                    replay_times.append(time.perf_counter() - began)
                collection.close(now)
            for _ in range(3):
                start_merged.append(first_card(merged, deck, now))
                start_replayed.append(first_card(replayed, deck, now))
            shutil.rmtree(replayed)
            shutil.rmtree(merged)
    merge, replay = statistics.median(merge_times), statistics.median(replay_times)
    started, baseline = statistics.median(start_merged), statistics.median(start_replayed)
    rows = (
        ("merge / replay", merge / replay, 1.5),
        ("start to first card, merged / replayed", started / baseline, 1.1),
    )
    print(
        f"sync benchmark: {events - 1:,} answers of another device over {args.cards:,} cards, "
        f"median of {args.runs} runs"
    )
    print(f"  merge   {merge * 1000:8.0f} ms   ({len(answers) / merge:,.0f} answers/s)")
    print(f"  replay  {replay * 1000:8.0f} ms")
    print(
        f"  start to first card: merged {started * 1000:.0f} ms, replayed {baseline * 1000:.0f} ms"
    )
    missed = 0
    for label, ratio, target in rows:
        ok = ratio <= target
        missed += not ok
        print(f"  {label:<40} {ratio:5.2f}x   target <= {target}x   {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
