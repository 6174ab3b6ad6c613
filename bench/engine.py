"""The study engine against Anki's own library, side by side in one run.

Both sides get the same 100,000-card collection with the same synthetic but realistic
history (70% of cards in review with several reviews each, a few dozen in learning, the rest
new; due dates spread so that a few percent are due today), then the same operations are
timed:

  start    what the window does at every start, decks unchanged since the last one: read
           and hash the deck file, take the library the last start left (its cards decoded
           only as they are shown), open the collection, reconcile the decks, first card
           ready; against Anki opening its collection and fetching its first card
  open     open the collection
  next     build today's queue and return the first card with its four next states
  answer   answer the card on screen until the next card (and its states) is ready: wall
           time, and CPU time of the process
  sync     bring a 20,000-card YAML deck into the collection (first import), and again after
           an edit (10% of texts reworded, 5% cards removed, 5% added, order shuffled)
  changed  the start (as above) after that deck's file changed, so that it is parsed again
           and reconciled; against parsing that file alone, with the garbage collector
           paused as the load pauses it (metaflash only), the two taking turns. As in the
           window, what the start parsed is written to the cache after the first card is
           ready (not timed). Two
           edits: an author's (30 cards added at places of their own, 10 removed, 20
           reworded) and the sync edit above (every card moved: the worst case)

Times are medians; ratio = metaflash / Anki (lower is better). Answers are timed with the
two sides taking turns, answer by answer: each ends in a sync to disk, whose cost drifts.
Targets: start at most 2.0, next and answer (wall and CPU) at most 1.0, open and sync at
most 2.0, changed at most 1.2.

Fairness: Anki's side reuses one backend for all its opens, as Anki's own window does (a new
backend per open would charge it for starting its Rust library). Its sync rows are timed from
parsed YAML to notes added or updated: our side's time includes parsing the YAML file, which
Anki has no reader for. The start row charges our side for reading its deck file and
reconciling, which Anki does not do (its notes live in its collection): that is the point.

    python bench/engine.py                        # 100,000 cards (a few minutes)
    python bench/engine.py --cards 1000,20000     # several sizes, one table each

Anki's side needs the ``anki`` package (``pip install '.[bench]'``). Without it the script
times metaflash alone and says why the ratios are missing. Anki reads the wall clock, so this
benchmark (an edge of the program, not the core) uses the real time as "now" for both sides.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from metaflash.core import (
    Card,
    CardId,
    Collection,
    Deck,
    DeckId,
    Rating,
    ReviewSession,
    StudyDay,
    deck_scope,
    local_timezone,
)
from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.records import (
    PHASE_CODE,
    scheduled_days,
    state_to_column,
    to_millis,
    to_seconds,
)
from metaflash.core.decks.model import BasicContent
from metaflash.core.decks.writer import deck_to_yaml
from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.snapshot import load_library
from metaflash.core.scheduling.scheduler import NEW_CARD, CardState, Phase
from metaflash.core.util.gc_pause import collector_paused

DECK_ID = DeckId("bench")
SYNC_DECK_ID = DeckId("bench-sync")
RATINGS = [Rating.GOOD] * 7 + [Rating.AGAIN, Rating.HARD, Rating.EASY]


# --- the shared history ---------------------------------------------------------------------


@dataclass
class CardHistory:
    """One card's past: (time, rating) answers and its state now (all review or learning)."""

    index: int
    answers: list[tuple[datetime, int]] = field(default_factory=list)
    states: list[CardState] = field(default_factory=list)  # the state after each answer


def make_history(count: int, now: datetime, rng: random.Random) -> list[CardHistory]:
    """70% reviewed cards, 50 learning, the rest new. Intervals grow with each review."""
    histories: list[CardHistory] = []
    reviewed = int(count * 0.7)
    learning = min(50, count // 100)
    for index in range(reviewed + learning):
        history = CardHistory(index)
        reviews = rng.randint(2, 8)
        intervals = []
        interval = rng.uniform(1, 4)
        for _ in range(reviews):
            intervals.append(interval)
            interval *= rng.uniform(1.8, 3.2)
        # place the last review so that the card is due around now (a few percent overdue)
        last_interval = intervals[-1]
        # at least a day ago: today's answers would use up the daily limits
        elapsed_last = max(1.0 + rng.random(), last_interval * rng.uniform(0.0, 1.04))
        times = [now - timedelta(days=elapsed_last)]
        for gap in reversed(intervals[:-1]):
            times.append(times[-1] - timedelta(days=gap * rng.uniform(0.95, 1.1)))
        times.reverse()
        stability = 1.0
        difficulty = rng.uniform(3, 8)
        lapses = 0
        state = NEW_CARD
        for number, (moment, days) in enumerate(zip(times, intervals, strict=True), start=1):
            rating = 1 if rng.random() < 0.08 and number > 1 else rng.choice((3, 3, 3, 2, 4))
            lapses += rating == 1 and state.phase is Phase.REVIEW
            stability = max(0.5, days * 1.1)
            state = CardState(
                phase=Phase.REVIEW,
                stability=stability,
                difficulty=difficulty,
                due=moment + timedelta(days=days),
                last_review=moment,
                reps=number,
                lapses=lapses,
            )
            history.answers.append((moment, rating))
            history.states.append(state)
        if index >= reviewed:  # in learning: answered Again a few minutes ago
            moment = now - timedelta(minutes=rng.randint(1, 9))
            state = CardState(
                phase=Phase.RELEARNING,
                step=0,
                stability=1.0,
                difficulty=difficulty,
                due=now + timedelta(minutes=rng.randint(-5, 8)),
                last_review=moment,
                reps=state.reps + 1,
                lapses=state.lapses + 1,
            )
            history.answers.append((moment, 1))
            history.states.append(state)
        histories.append(history)
    return histories


def card_text(index: int, variant: int = 0) -> tuple[str, str]:
    suffix = f" (reworded {variant})" if variant else ""
    return f"Question number {index} about the cascade?{suffix}", f"Answer number {index}."


# --- metaflash's side -----------------------------------------------------------------------


def build_ours(data_dir: Path, count: int, histories: list[CardHistory], now: datetime) -> Deck:
    deck = Deck(
        DECK_ID,
        "Bench",
        tuple(Card(CardId(f"card-{i}"), BasicContent(*card_text(i))) for i in range(count)),
    )
    collection = Collection.open(data_dir, now)
    reconcile(collection, deck, now)
    settings = collection.scheduler_settings()
    rows = {
        card_id: row_id
        for row_id, card_id in collection.db.execute(
            "SELECT id, card_id FROM prompts WHERE deck_id = ?", (DECK_ID,)
        )
    }
    with collection.transaction() as db:
        settings_id = collection._settings_id(settings)
        log: list[tuple[Any, ...]] = []
        cached: list[tuple[Any, ...]] = []
        for history in histories:
            card_id = f"card-{history.index}"
            row_id = rows[card_id]
            before = NEW_CARD
            before_json = NEW_CARD.to_json()
            for (moment, rating), after in zip(history.answers, history.states, strict=True):
                after_json = after.to_json()
                log.append(
                    (
                        row_id,
                        DECK_ID,
                        card_id,
                        "",
                        to_millis(moment),
                        rating,
                        6000,
                        before_json,
                        after_json,
                        PHASE_CODE[before.phase],
                        scheduled_days(before),
                        settings_id,
                    )
                )
                before, before_json = after, after_json
            cached.append(
                (
                    PHASE_CODE[before.phase],
                    to_seconds(before.due),
                    to_seconds(before.last_review),
                    before.stability,
                    state_to_column(before),
                    row_id,
                )
            )
        db.executemany(
            "INSERT INTO review_log (prompt, deck_id, card_id, variant, reviewed_at, kind, rating, "
            "duration_ms, state_before, state_after, phase_before, interval_before_days, settings, "
            "undoes, leech) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, 0)",
            log,
        )
        db.executemany(
            "UPDATE prompts SET phase = ?, due = ?, last_review = ?, stability = ?, state = ? "
            "WHERE id = ?",
            cached,
        )
    collection.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    collection.db.execute("ANALYZE")
    collection.backup_interval = timedelta(days=36500)  # no backup on the bench's closes
    collection.close(now)
    return deck


def parse_ours(text: str, path: Path) -> tuple[Deck, str]:
    """The real loader when it exists; otherwise PyYAML's C loader plus the typed model."""
    try:
        from metaflash.core.decks.loader import parse_deck
    except ImportError:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        cards = tuple(
            Card(CardId(item["id"]), BasicContent(item["front"], item["back"]))
            for item in data["cards"]
        )
        return Deck(DeckId(data["id"]), data["title"], cards, path=path), "PyYAML C loader"
    loaded = parse_deck(text, path)
    if not isinstance(loaded, Deck):
        raise SystemExit(f"the bench deck does not load: {loaded[:3]}")
    return loaded, "metaflash.core.decks.loader.parse_deck"


# --- Anki's side ------------------------------------------------------------------------------


def build_anki(path: Path, count: int, histories: list[CardHistory], now: datetime) -> None:
    from anki.collection import AddNoteRequest
    from anki.collection import Collection as AnkiCollection

    col = AnkiCollection(str(path))
    col.set_config("fsrs", True)
    deck_id = col.decks.id("Bench")
    col.decks.select(deck_id)  # the queue is built for the current deck
    model = col.models.by_name("Basic")
    requests = []
    for index in range(count):
        note = col.new_note(model)
        note["Front"], note["Back"] = card_text(index)
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    for start in range(0, len(requests), 10_000):
        col.add_notes(requests[start : start + 10_000])
    card_ids = col.db.list("SELECT id FROM cards ORDER BY nid")
    today = col.sched.today
    now_day = now.date()
    updates = []
    revlog = []
    used_ids: set[int] = set()
    for history in histories:
        card_id = card_ids[history.index]
        state = history.states[-1]
        assert state.due is not None and state.last_review is not None
        interval = max(1, round((state.due - state.last_review).total_seconds() / 86400))
        memory = json.dumps({"s": state.stability, "d": state.difficulty, "dr": 0.9})
        if state.phase is Phase.REVIEW:
            due = today + (state.due.date() - now_day).days
            updates.append((2, 2, due, interval, state.reps, state.lapses, 0, memory, card_id))
        else:
            updates.append(
                (
                    3,
                    1,
                    int(state.due.timestamp()),
                    1,
                    state.reps,
                    state.lapses,
                    1,
                    memory,
                    card_id,
                )
            )
        last_interval = 0
        for (moment, rating), after in zip(history.answers, history.states, strict=True):
            revlog_id = to_millis(moment)
            while revlog_id in used_ids:
                revlog_id += 1
            used_ids.add(revlog_id)
            assert after.due is not None and after.last_review is not None
            ivl = max(1, round((after.due - after.last_review).total_seconds() / 86400))
            kind = 0 if last_interval == 0 else 1
            revlog.append((revlog_id, card_id, -1, rating, ivl, last_interval, 2500, 6000, kind))
            last_interval = ivl
    col.close()
    # the history goes in with plain sqlite3 (the file is SQLite): the anki library's
    # row-by-row database proxy would take minutes for these hundreds of thousands of rows
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, reps = ?, lapses = ?, "
            "left = ?, data = ? WHERE id = ?",
            updates,
        )
        db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    col = AnkiCollection(str(path))  # let Anki check and optimise it as it would on its own
    col.db.execute("ANALYZE")
    col.close()


# --- timing -------------------------------------------------------------------------------------


def median_time(
    action: Callable[[], object], setup: Callable[[], object] | None, repeat: int
) -> float:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@dataclass
class Side:
    start: float = 0.0
    open: float = 0.0
    next: float = 0.0
    answer: float = 0.0
    answer_cpu: float = 0.0
    sync_first: float = 0.0
    sync_again: float = 0.0
    changed: float = 0.0  # start after the sync deck's file changed (ours only)
    authored: float = 0.0  # the same after an author's edit (ours only)
    authored_parse: float = 0.0
    parse_alone: float = 0.0  # parsing that file alone (ours only)


def sync_deck_yaml(indices: Sequence[int], reworded: set[int]) -> str:
    """The synced deck's YAML: card ``sync-i`` for each of ``indices``, in that order."""
    cards = []
    for i in indices:
        front, back = card_text(i, 1 if i in reworded else 0)
        cards.append({"id": f"sync-{i}", "front": front, "back": back})
    return yaml.safe_dump(
        {"format": 1, "id": SYNC_DECK_ID, "title": "Synced deck", "cards": cards},
        sort_keys=False,
        allow_unicode=True,
        width=200,
    )


def sync_yaml(count: int, rng: random.Random, edited: bool) -> str:
    indices = list(range(count))
    reworded: set[int] = set()
    if edited:
        removed = set(rng.sample(indices, count // 20))
        indices = [i for i in indices if i not in removed] + list(range(count, count + count // 20))
        rng.shuffle(indices)
        reworded = set(rng.sample(indices, count // 10))
    return sync_deck_yaml(indices, reworded)


def author_yaml(count: int, rng: random.Random) -> str:
    """The deck of ``sync_yaml(count, ..., False)`` after an author's session: 30 cards added
    at places of their own, 10 removed, 20 reworded; the rest in the same order."""
    indices = list(range(count))
    for removed in sorted(rng.sample(range(count), 10), reverse=True):
        del indices[removed]
    for number in range(30):
        indices.insert(rng.randrange(len(indices) + 1), count + number)
    reworded = set(rng.sample(indices, 20))
    return sync_deck_yaml(indices, reworded)


def time_ours(
    data_dir: Path, deck: Deck, now: datetime, args: argparse.Namespace, texts: Sequence[str]
) -> tuple[Side, str]:
    side = Side()
    day = StudyDay(local_timezone())
    scope = deck_scope([deck], deck.id)
    opened: list[Collection] = []

    def close_all() -> None:
        while opened:
            opened.pop().close(now)

    def do_open() -> None:
        opened.append(Collection.open(data_dir, now))

    # the window's start: the deck file (unchanged: served by the parsed-files cache), the
    # collection, reconciling, the first card
    folder = data_dir.parent / "decks"
    folder.mkdir(exist_ok=True)
    (folder / "bench.yaml").write_text(deck_to_yaml(deck), encoding="utf-8")
    cache_path = data_dir.parent / "cache" / "parsed.sqlite3"
    load_library([folder], cache=ParsedFileCache(cache_path))  # the previous start

    def do_start() -> None:
        library = load_library([folder], cache=ParsedFileCache(cache_path))
        collection = Collection.open(data_dir, now)
        opened.append(collection)
        reconcile_library(collection, library.decks, now, fingerprints=library.fingerprints)
        loaded = library.decks[0]
        session = ReviewSession(collection, [loaded], deck_scope([loaded], loaded.id), day, now)
        assert session.current is not None and session.next_states is not None

    side.start = median_time(do_start, close_all, args.repeat)
    close_all()

    side.open = median_time(do_open, close_all, args.repeat)
    close_all()

    def do_next() -> None:
        session = ReviewSession(opened[-1], [deck], scope, day, now)
        assert session.current is not None and session.next_states is not None

    side.next = median_time(do_next, lambda: (close_all(), do_open()), args.repeat)
    close_all()

    do_open()
    path = data_dir / "sync.yaml"
    loader = ""
    for index, text in enumerate(texts):
        started = time.perf_counter()
        synced, loader = parse_ours(text, path)
        reconcile(opened[-1], synced, now)
        elapsed = time.perf_counter() - started
        if index == 0:
            side.sync_first = elapsed
        else:
            side.sync_again = elapsed
    close_all()
    authored = [texts[0], author_yaml(args.sync_cards, random.Random(args.seed))]
    side.authored, side.authored_parse = time_changed_start(
        data_dir.parent / "authored", authored, now, args
    )
    side.changed, side.parse_alone = time_changed_start(
        data_dir.parent / "changed", texts, now, args
    )
    return side, loader


def time_changed_start(
    root: Path, texts: Sequence[str], now: datetime, args: argparse.Namespace
) -> tuple[float, float]:
    """(start to first card after the deck file changed, parsing that file alone): the
    deck's file takes the two texts in turn, so that every start finds it changed."""
    folder, data_dir = root / "decks", root / "data"
    folder.mkdir(parents=True)
    path = folder / "sync.yaml"
    cache_path = root / "cache" / "parsed.sqlite3"
    day = StudyDay(local_timezone())
    turn = [0]
    caches: list[ParsedFileCache] = []

    def change() -> None:
        while caches:  # the previous start's window writes what it parsed, once it shows
            caches.pop().close()
        turn[0] += 1
        path.write_text(texts[turn[0] % 2], encoding="utf-8")

    def do_start() -> None:
        caches.append(ParsedFileCache(cache_path, defer_writes=True))  # as the window does
        library = load_library([folder], cache=caches[-1])
        collection = Collection.open(data_dir, now)
        try:
            reconcile_library(collection, library.decks, now, fingerprints=library.fingerprints)
            deck = library.decks[0]
            session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), day, now)
            assert session.current is not None and session.next_states is not None
        finally:
            collection.close(now)

    def parse_alone() -> None:
        with collector_paused():  # as the load does: the fastest parse of the file alone
            parse_ours(texts[turn[0] % 2], path)

    change()
    do_start()  # the previous start
    # the two take turns, so that both meet the machine in the same state
    starts: list[float] = []
    parses: list[float] = []
    for _ in range(args.repeat):
        starts.append(median_time(do_start, change, 1))
        parses.append(median_time(parse_alone, None, 1))
    return statistics.median(starts), statistics.median(parses)


def time_anki(path: Path, args: argparse.Namespace, texts: Sequence[str]) -> Side:
    from anki.collection import AddNoteRequest
    from anki.collection import Collection as AnkiCollection

    side = Side()
    opened: list[Any] = []
    backend = anki_backend()

    def close_all() -> None:
        while opened:
            opened.pop().close()

    def do_open() -> None:
        opened.append(AnkiCollection(str(path), backend=backend))

    def do_start() -> None:
        do_open()
        queued = opened[-1].sched.get_queued_cards(fetch_limit=1)
        assert queued.cards

    side.start = median_time(do_start, close_all, args.repeat)
    close_all()

    side.open = median_time(do_open, close_all, args.repeat)
    close_all()

    def do_next() -> None:
        queued = opened[-1].sched.get_queued_cards(fetch_limit=1)
        assert queued.cards

    side.next = median_time(do_next, lambda: (close_all(), do_open()), args.repeat)
    close_all()

    do_open()
    col = opened[-1]

    deck_id = col.decks.id("Synced deck")
    model = col.models.by_name("Basic")
    note_ids: dict[str, int] = {}
    for index, text in enumerate(texts):
        data = yaml.load(text, Loader=yaml.CSafeLoader)  # not charged: see the module's text
        started = time.perf_counter()
        requests = []
        changed = []
        existing = {nid: col.get_note(nid) for nid in note_ids.values()} if note_ids else {}
        pending: list[str] = []
        for item in data["cards"]:
            nid = note_ids.get(item["id"])
            if nid is None:
                note = col.new_note(model)
                note["Front"], note["Back"] = item["front"], item["back"]
                requests.append(AddNoteRequest(note=note, deck_id=deck_id))
                pending.append(item["id"])
            else:
                note = existing[nid]
                if (note["Front"], note["Back"]) != (item["front"], item["back"]):
                    note["Front"], note["Back"] = item["front"], item["back"]
                    changed.append(note)
        if requests:
            col.add_notes(requests)
            for card_id, request in zip(pending, requests, strict=True):
                note_ids[card_id] = request.note.id
        if changed:
            col.update_notes(changed)
        elapsed = time.perf_counter() - started
        if index == 0:
            side.sync_first = elapsed
        else:
            side.sync_again = elapsed
    close_all()
    return side


Answerer = tuple[Callable[[int], tuple[float, float]], Callable[[], None]]


def anki_backend() -> Any:
    """One backend for every open of Anki's side, as Anki's window keeps one."""
    from anki._backend import RustBackend

    return RustBackend()


def ours_answerer(data_dir: Path, deck: Deck, now: datetime) -> Answerer:
    """Answer number N on our side, timed until the next card and its states are ready."""
    collection = Collection.open(data_dir, now)
    session = ReviewSession(
        collection, [deck], deck_scope([deck], deck.id), StudyDay(local_timezone()), now
    )

    def answer(number: int) -> tuple[float, float]:
        moment = now + timedelta(seconds=8 * (number + 1))
        started, cpu = time.perf_counter(), time.process_time()
        session.answer(RATINGS[number % len(RATINGS)], moment, 8000)
        assert session.current is not None and session.next_states is not None
        return time.perf_counter() - started, time.process_time() - cpu

    return answer, lambda: collection.close(now)


def anki_answerer(path: Path) -> Answerer:
    """The same on Anki's side: answer the queued card, fetch the next one with its states."""
    from anki.cards import Card as AnkiCard
    from anki.collection import Collection as AnkiCollection
    from anki.scheduler.v3 import CardAnswer

    col = AnkiCollection(str(path), backend=anki_backend())
    anki_ratings = {
        Rating.AGAIN: CardAnswer.AGAIN,
        Rating.HARD: CardAnswer.HARD,
        Rating.GOOD: CardAnswer.GOOD,
        Rating.EASY: CardAnswer.EASY,
    }
    queued = [col.sched.get_queued_cards(fetch_limit=1).cards[0]]

    def answer(number: int) -> tuple[float, float]:
        card = AnkiCard(col, backend_card=queued[0].card)
        card.start_timer()
        started, cpu = time.perf_counter(), time.process_time()
        answer = col.sched.build_answer(
            card=card, states=queued[0].states, rating=anki_ratings[RATINGS[number % len(RATINGS)]]
        )
        col.sched.answer_card(answer)
        queued[0] = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        return time.perf_counter() - started, time.process_time() - cpu

    return answer, col.close


def time_answers(
    root: Path, deck: Deck, now: datetime, anki_path: Path | None, count: int
) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """Median answer times, ours and Anki's, the two sides taking turns answer by answer so
    that both meet the same disk: each answer ends in a sync to disk, whose cost drifts."""
    ours, close_ours = ours_answerer(root, deck, now)
    theirs, close_theirs = anki_answerer(anki_path) if anki_path is not None else (None, None)
    mine: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    try:
        for number in range(count):
            mine.append(ours(number))
            if theirs is not None:
                base.append(theirs(number))
    finally:
        close_ours()
        if close_theirs is not None:
            close_theirs()

    def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)

    return medians(mine), (medians(base) if base else None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cards",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[100_000],
        help="collection size, or sizes separated by commas (100000)",
    )
    parser.add_argument("--sync-cards", type=int, default=20_000, help="YAML deck size (20000)")
    parser.add_argument(
        "--answers",
        type=int,
        default=60,
        help="answers timed per side, the sides taking turns (60)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="repeats of open/next (5)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        import anki  # noqa: F401
    except ImportError as error:
        anki_missing: str | None = (
            f"the anki package is not installed ({error}); pip install '.[bench]'"
        )
    else:
        anki_missing = None

    failed = False
    for cards in args.cards:
        failed |= run_size(args, cards, anki_missing)
    return 1 if failed else 0


def run_size(args: argparse.Namespace, cards: int, anki_missing: str | None) -> bool:
    """One table at one collection size; True when a target is missed."""
    args.cards = cards
    now = datetime.now(UTC)
    rng = random.Random(args.seed)
    print(f"Building a {args.cards:,}-card history ...", flush=True)
    histories = make_history(args.cards, now, rng)
    reviews = sum(len(h.answers) for h in histories)
    texts = [
        sync_yaml(args.sync_cards, random.Random(args.seed), False),
        sync_yaml(args.sync_cards, random.Random(args.seed), True),
    ]
    with tempfile.TemporaryDirectory(prefix="metaflash-bench-") as temporary:
        root = Path(temporary)
        started = time.perf_counter()
        deck = build_ours(root / "ours", args.cards, histories, now)
        print(
            f"  metaflash collection: {args.cards:,} cards, {reviews:,} reviews "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        anki_path = root / "anki" / "collection.anki2"
        if anki_missing is None:
            anki_path.parent.mkdir()
            started = time.perf_counter()
            build_anki(anki_path, args.cards, histories, now)
            print(
                f"  Anki collection: same cards and reviews ({time.perf_counter() - started:.1f} s)",
                flush=True,
            )
        print("Timing ...", flush=True)
        # answers first, on both collections as built; then opening, the queue and syncing
        mine_answer, their_answer = time_answers(
            root / "ours", deck, now, anki_path if anki_missing is None else None, args.answers
        )
        ours, loader = time_ours(root / "ours", deck, now, args, texts)
        theirs = time_anki(anki_path, args, texts) if anki_missing is None else None
        ours.answer, ours.answer_cpu = mine_answer
        if theirs is not None and their_answer is not None:
            theirs.answer, theirs.answer_cpu = their_answer

    rows = [
        ("start: deck file, open, reconcile, 1st card", "start", 2.0),
        ("open the collection", "open", 2.0),
        ("build the queue, return the next card", "next", 1.0),
        ("answer until the next card is ready", "answer", 1.0),
        ("the same, CPU time", "answer_cpu", 1.0),
        (f"sync a {args.sync_cards:,}-card YAML deck (first)", "sync_first", 2.0),
        ("sync it again after edits", "sync_again", 2.0),
    ]
    print()
    print(f"{args.cards:,} cards")
    print(f"{'operation':<44} {'metaflash':>11} {'Anki':>11} {'ratio':>7} {'target':>7}")
    failed = False
    for label, name, target in rows:
        mine = getattr(ours, name) * 1000
        if theirs is None:
            print(f"{label:<44} {mine:>9.2f}ms {'—':>11} {'—':>7} {'≤' + str(target):>7}")
            continue
        base = getattr(theirs, name) * 1000
        ratio = mine / base if base else float("inf")
        failed |= ratio > target
        mark = "" if ratio <= target else "  over target"
        print(
            f"{label:<44} {mine:>9.2f}ms {base:>9.2f}ms {ratio:>7.2f} {'≤' + str(target):>7}{mark}"
        )
    for label, mine, base in (
        (f"start after an author's edit, {args.sync_cards:,}", ours.authored, ours.authored_parse),
        (f"start after the sync edit, {args.sync_cards:,}", ours.changed, ours.parse_alone),
    ):
        ratio = mine / base
        failed |= ratio > 1.2
        print(
            f"{label:<44} {mine * 1000:>9.2f}ms {base * 1000:>9.2f}ms {ratio:>7.2f} "
            f"{'≤1.2':>7}{'' if ratio <= 1.2 else '  over target'}"
        )
    print("  (those two rows' baseline is parsing the changed file alone, not Anki)")
    print()
    print(
        f"Our YAML parsing: {loader}. Anki has no YAML reader: its side parses with PyYAML's "
        "C loader and adds or updates notes through the anki library."
    )
    if anki_missing is not None:
        print(f"No ratios: {anki_missing}.")
    print()
    return failed


if __name__ == "__main__":
    sys.exit(main())
