"""Make the README's screenshots: four weeks of study in a scratch data folder, then the
window rendered offscreen by ``metaflash --screenshot`` at 1366×768 in each view and theme.

The study history is real: the bundled decks, the real collection and scheduler, answered
day by day by a simulated student (seeded, so the pictures are the same on every run).

    python docs/screenshots/make_screenshots.py [OUTPUT_DIR]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import DeckId
from metaflash.core.library.snapshot import load_library
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import local_timezone
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession
from metaflash.core.util.paths import bundled_decks_dir

DAYS = 28
#: The most common student laptop screen: the README shows the whole window at this size.
SIZE = "1366x768"
#: Each view, and what else to show in it: the review with the first due card's answer and
#: the four intervals.
VIEWS: dict[str, tuple[str, ...]] = {
    "decks": (),
    "review": ("--side", "answer"),
    "diagram": (),
    "stats": (),
    "editor": (),
}
RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
WEIGHTS = (0.12, 0.10, 0.68, 0.10)


def study_history(data_dir: Path, now: datetime, seed: int = 7) -> int:
    """Answer the bundled decks day by day for :data:`DAYS` days up to yesterday (so that
    today's reviews are waiting in the pictures)."""
    rng = random.Random(seed)
    decks = list(load_library([bundled_decks_dir()]).decks)
    start = now - timedelta(days=DAYS)
    collection = Collection.open(data_dir, start)
    answers = 0
    try:
        for deck in decks:
            reconcile(collection, deck, start)
        day = collection.study_day(local_timezone())
        for number in range(DAYS - 1):
            if rng.random() < 0.15:
                continue  # a day off
            clock = start + timedelta(days=number, hours=rng.uniform(0, 3))
            session = ReviewSession(
                collection, decks, deck_scope(decks, DeckId("metastasis")), day, clock
            )
            for _ in range(200):
                if session.current is None:
                    waiting = session.waiting_until
                    if waiting is None:
                        break
                    clock = max(clock, waiting)
                    session.refresh(clock)
                    continue
                seconds = rng.uniform(4, 16)
                clock += timedelta(seconds=seconds)
                rating = rng.choices(RATINGS, WEIGHTS)[0]
                session.answer(rating, clock, int(seconds * 1000))
                answers += 1
    finally:
        collection.close(start + timedelta(days=DAYS - 1))
    return answers


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="metaflash-screenshots-") as scratch:
        data_dir = Path(scratch) / "data"
        answers = study_history(data_dir, datetime.now(UTC) - timedelta(hours=1))
        print(f"studied: {answers} answers over {DAYS} days")
        for theme in ("light", "dark"):
            for view, extra in VIEWS.items():
                target = out / f"{view}-{theme}.png"
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "metaflash",
                        "--data-dir",
                        str(data_dir),
                        "--screenshot",
                        str(target),
                        "--size",
                        SIZE,
                        "--theme",
                        theme,
                        "--view",
                        view,
                        *extra,
                    ],
                    check=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
