"""Does the answer path still need its side thread? Answer latency side by side.

The review session prepares the next card on a side thread while the answer's COMMIT waits
for the disk (``core/util/side_thread.py``). This benchmark answers the same way twice, with
that overlap and with the next card prepared after the COMMIT, taking turns run by run, and
prints the medians. Both sides use the same 20,000-card deck, the same answers and the same
fsync, so the difference is the overlap alone.

    python bench/side_thread.py            # 3 runs of 400 answers each side
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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
    reconcile_library,
)
from metaflash.core.collection import answers
from metaflash.core.collection.answers import AnswerReceipt, PendingAnswer
from metaflash.core.decks.model import BasicContent
from metaflash.core.scheduling.study_settings import StudySettings

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OVERLAPPED = PendingAnswer.commit


def after_commit(self: PendingAnswer, meanwhile: Callable[[], None] | None = None) -> AnswerReceipt:
    """The commit without the overlap: the next card is prepared once the answer is on disk."""
    receipt = OVERLAPPED(self, None)
    if meanwhile is not None:
        meanwhile()
    return receipt


def answer_times(cards: int, answers_per_run: int, *, overlap: bool) -> float:
    """Median milliseconds from a key press to the next card being ready."""
    answers.PendingAnswer.commit = OVERLAPPED if overlap else after_commit  # type: ignore[method-assign]
    deck = Deck(
        DeckId("bench"),
        "Bench",
        tuple(
            Card(CardId(f"c{i}"), BasicContent(f"Question {i}?", f"Answer {i}."))
            for i in range(cards)
        ),
    )
    now = START
    with tempfile.TemporaryDirectory() as folder:
        collection = Collection.open(Path(folder), now)
        try:
            reconcile_library(collection, [deck], now)
            collection.set_study_settings(StudySettings(new_per_day=9999))
            day = StudyDay(ZoneInfo("Europe/Paris"))
            session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), day, now)
            times = []
            for number in range(answers_per_run):
                now += timedelta(seconds=3)
                rating = Rating.AGAIN if number % 5 == 0 else Rating.GOOD
                started = time.perf_counter()
                session.answer(rating, now, 3000)
                times.append(time.perf_counter() - started)
        finally:
            collection.close(now)
            answers.PendingAnswer.commit = OVERLAPPED  # type: ignore[method-assign]
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    overlapped: list[float] = []
    after: list[float] = []
    for _ in range(args.runs):  # taking turns, so drift in the disk's speed hits both
        overlapped.append(answer_times(args.cards, args.answers, overlap=True))
        after.append(answer_times(args.cards, args.answers, overlap=False))
    a, b = statistics.median(overlapped), statistics.median(after)
    print(f"{args.cards:,} cards, {args.runs} runs of {args.answers} answers, medians:")
    print(f"  next card prepared during the COMMIT (side thread)  {a:.3f} ms")
    print(f"  next card prepared after the COMMIT                 {b:.3f} ms")
    print(f"  ratio {a / b:.2f} (below 1: the side thread still pays for itself)")


if __name__ == "__main__":
    main()
