"""Killing metaflash at any moment loses at most the answer in flight and never the file.

A worker process studies in a loop (answers, and now and then an undo), printing each review
id only after its transaction committed. It is killed with SIGKILL at random moments, many
times, sometimes while it is still opening the collection or reconciling the deck. Then the
file must pass SQLite's integrity check, hold every acknowledged answer, and replay cleanly.
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


def run_and_kill(data_dir: Path, round_number: int, rng: random.Random) -> list[str]:
    """Start the worker, kill it at a random moment; the lines it printed before dying."""
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(data_dir), str(round_number)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            lines.append(line.strip())
            if line.strip() == "ready":
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if round_number % 6 == 5:
        time.sleep(rng.uniform(0.05, 0.6))  # may land while opening or reconciling
    else:
        assert ready.wait(timeout=60), worker.stderr.read() if worker.stderr else "no ready"
        time.sleep(rng.uniform(0.0, 0.35))
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    reader.join(timeout=30)
    stderr = worker.stderr.read() if worker.stderr else ""
    worker.stdout.close()  # type: ignore[union-attr]
    worker.stderr.close()  # type: ignore[union-attr]
    assert worker.returncode == -signal.SIGKILL, stderr
    assert "Traceback" not in stderr, stderr
    return lines


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
