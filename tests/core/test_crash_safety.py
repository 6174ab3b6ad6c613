"""Killing metaflash at any moment loses at most the answer in flight and never the file.

A worker process studies in a loop (answers, and now and then an undo), printing each review
id only after its transaction committed. It is killed with SIGKILL at random moments, many
times, sometimes while it is still opening the collection or reconciling the deck. Then the
file must pass SQLite's integrity check, hold every acknowledged answer, and replay cleanly.

A second worker also syncs to a folder and is killed, most often while it writes its events
there: another device merging the folder after every kill never meets a damaged line, and
once the worker has synced again it has every acknowledged answer.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metaflash.core.collection.check import check_collection
from metaflash.core.collection.store import Collection

WORKER = r"""
import random, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.study.session import ReviewSession
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.study.scope import deck_scope
from metaflash.core.scheduling.study_settings import StudySettings

data_dir, round_number = Path(sys.argv[1]), int(sys.argv[2])
now = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(days=round_number)
rng = random.Random(round_number)
deck = Deck(DeckId("crash"), "Crash", tuple(
    Card(CardId(f"card-{i}"), BasicContent(f"Question {i}?", f"Answer {i}."))
    for i in range(2000 + round_number)  # the deck grows: reconcile writes every round
))
collection = Collection.open(data_dir, now)
if collection.study_settings().new_per_day != 5000:
    collection.set_study_settings(StudySettings(new_per_day=5000, reviews_per_day=5000))
reconcile(collection, deck, now)
session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), now)
print("ready", flush=True)
while True:
    now += timedelta(seconds=rng.randint(5, 90))
    if session.current is None:
        session.refresh(now)
        continue
    if session.can_undo and rng.random() < 0.15:
        session.undo(now)
        print("undo", flush=True)
    else:
        result = session.answer(Rating(rng.randint(1, 4)), now, rng.randint(800, 9000))
        print(result.review_id, flush=True)
"""

ROUNDS = 25


def kill_when(argv: list[str], signal_line: str | None, delay: float) -> list[str]:
    """Start a worker (``python -c ARGV...``), wait until it prints a line starting with
    ``signal_line`` (None: not at all), then ``delay`` seconds more, and kill it with SIGKILL;
    the lines it printed before dying."""
    worker = subprocess.Popen(
        [sys.executable, "-c", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            lines.append(line.strip())
            if signal_line is not None and line.startswith(signal_line):
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if signal_line is not None:
        assert seen.wait(timeout=60), worker.stderr.read() if worker.stderr else signal_line
    time.sleep(delay)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    reader.join(timeout=30)
    stderr = worker.stderr.read() if worker.stderr else ""
    worker.stdout.close()  # type: ignore[union-attr]
    worker.stderr.close()  # type: ignore[union-attr]
    assert worker.returncode == -signal.SIGKILL, stderr
    assert "Traceback" not in stderr, stderr
    return lines


def run_and_kill(data_dir: Path, round_number: int, rng: random.Random) -> list[str]:
    """Start the worker, kill it at a random moment; the lines it printed before dying."""
    argv = [WORKER, str(data_dir), str(round_number)]
    if round_number % 6 == 5:  # may land while opening or reconciling
        return kill_when(argv, None, rng.uniform(0.05, 0.6))
    return kill_when(argv, "ready", rng.uniform(0.0, 0.35))


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_an_acknowledged_answer(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    acknowledged: set[int] = set()
    undos = 0
    for round_number in range(ROUNDS):
        for line in run_and_kill(tmp_path, round_number, rng):
            if line == "undo":
                undos += 1
            elif line != "ready":
                acknowledged.add(int(line))
    assert len(acknowledged) > ROUNDS  # the kills really landed mid-study

    collection = Collection.open(tmp_path, datetime(2026, 6, 1, tzinfo=UTC))  # stale lock: fine
    try:
        assert collection.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        logged = {row[0] for row in collection.db.execute("SELECT id FROM review_log")}
        assert acknowledged <= logged, sorted(acknowledged - logged)[:10]
        logged_undos = collection.db.execute(
            "SELECT count(*) FROM review_log WHERE kind = 2"
        ).fetchone()[0]
        assert logged_undos >= undos
        report = check_collection(collection, datetime(2026, 6, 1, tzinfo=UTC))
        assert report.clean, [str(problem) for problem in report.problems[:10]]
        assert report.reviews >= len(acknowledged)
    finally:
        collection.close(datetime(2026, 6, 1, tzinfo=UTC))


SYNC_WORKER = r"""
import random, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from metaflash.core.collection.records import Flag
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.study.session import ReviewSession
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.study.scope import deck_scope
from metaflash.core.sync.exchange import sync_now
from metaflash.core.collection.journal import last_seq

data_dir, folder, round_number = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
now = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(days=round_number)
rng = random.Random(round_number)
deck = Deck(DeckId("crash"), "Crash", tuple(
    Card(CardId(f"card-{i}"), BasicContent(f"Question {i}?", f"Answer {i}.")) for i in range(300)
))
collection = Collection.open(data_dir, now, clock=lambda: now)
reconcile(collection, deck, now)
records = collection.records([deck.id])
for flag in range(4):  # 1,200 events: a long write to the folder
    collection.set_flag(records, Flag((round_number + flag) % 8))
session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), now)
print("ready", flush=True)
while True:
    for _ in range(rng.randint(1, 6)):
        now += timedelta(seconds=rng.randint(5, 90))
        if session.current is None:
            session.refresh(now)
            continue
        print(session.answer(Rating(rng.randint(1, 4)), now, 3000).review_id, flush=True)
    print("syncing", last_seq(collection.db), flush=True)  # the events it is about to write
    sync_now(collection, folder, now)
    print("synced", flush=True)
"""


def run_sync_worker_and_kill(
    data_dir: Path, folder: Path, round_number: int, rng: random.Random
) -> list[str]:
    """Kill the syncing worker most often while it writes its events to the folder."""
    argv = [SYNC_WORKER, str(data_dir), str(folder), str(round_number)]
    return kill_when(argv, "syncing", rng.uniform(0.0, 0.04))


@pytest.mark.slow
def test_sigkill_while_writing_to_the_sync_folder_loses_nothing(tmp_path: Path) -> None:
    from metaflash.core.collection.reconcile import reconcile
    from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
    from metaflash.core.sync.exchange import sync_now
    from metaflash.core.sync.framing import read_framed

    rng = random.Random(20261206)
    folder = tmp_path / "sync"
    folder.mkdir()
    when = datetime(2026, 6, 1, tzinfo=UTC)
    deck = Deck(
        DeckId("crash"),
        "Crash",
        tuple(
            Card(CardId(f"card-{i}"), BasicContent(f"Question {i}?", f"Answer {i}."))
            for i in range(300)
        ),
    )
    other = Collection.open(tmp_path / "other", when)  # another device, merging every round
    reconcile(other, deck, when)
    acknowledged: set[int] = set()
    written = 0  # the last event in the worker's files
    cut_short = 0  # kills that landed while the worker wrote its events to the folder
    try:
        for round_number in range(12):
            due = 0
            for line in run_sync_worker_and_kill(tmp_path / "data", folder, round_number, rng):
                if line.startswith("syncing"):
                    due = int(line.split()[1])
                elif line not in ("ready", "synced"):
                    acknowledged.add(int(line))
            before, written = (
                written,
                max(
                    (
                        int(found.value["s"])
                        for journal in folder.glob("metaflash/*/journal-*.jsonl")
                        for found in read_framed(journal.read_bytes()).records
                    ),
                    default=0,
                ),
            )
            cut_short += before < written < due
            report = sync_now(other, folder, when)
            assert report.problems == [] and report.newer == 0
        assert acknowledged and cut_short  # kills landed while answering and while writing
        worker = Collection.open(tmp_path / "data", when)  # its next sync mends its own file
        try:
            sync_now(worker, folder, when)
            seqs = {
                int(seq)
                for (review, seq) in worker.db.execute("SELECT review, seq FROM journal")
                if review in acknowledged
            }
            device = worker.device_id
        finally:
            worker.close(when)
        report = sync_now(other, folder, when)
        assert report.problems == []
        received = {
            int(seq)
            for (seq,) in other.db.execute(
                "SELECT origin_seq FROM review_log WHERE origin = ?", (device,)
            )
        }
        assert len(seqs) == len(acknowledged) and seqs <= received
        for journal in folder.glob("metaflash/*/journal-*.jsonl"):
            data = journal.read_bytes()
            framed = read_framed(data)
            assert framed.damaged == () and framed.end == len(data)
        assert check_collection(other, when).clean
    finally:
        other.close(when)
