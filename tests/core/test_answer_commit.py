"""An answer's COMMIT overlaps preparing the next card; a failed commit changes nothing.

The failing commit is real: a worker process limits the size of the files it may write
(RLIMIT_FSIZE) to the current size of the collection's WAL, so SQLite's COMMIT, which appends
the answer to the WAL, fails with an I/O error while the INSERT and UPDATE before it succeed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)

WORKER = r"""
import resource, signal, sqlite3, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from metaflash.core.collection.backups import collection_path
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.study.session import ReviewSession
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.study.scope import deck_scope

data_dir = Path(sys.argv[1])
now = datetime(2026, 3, 2, 9, tzinfo=UTC)
deck = Deck(DeckId("fail"), "Fail", tuple(
    Card(CardId(f"card-{i}"), BasicContent(f"Question {i}?", f"Answer {i}.")) for i in range(30)
))
collection = Collection.open(data_dir, now)
reconcile(collection, deck, now)
session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), now)
for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):  # the WAL holds some answers
    now += timedelta(seconds=7)
    session.answer(rating, now, 7000)
before = (session.current_record, session.next_states, session.counts, session.can_undo,
          collection.review_count(), session.summary(now).reviewed)
wal = collection_path(data_dir).with_name(collection_path(data_dir).name + "-wal")
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (wal.stat().st_size, hard))
try:
    session.answer(Rating.GOOD, now + timedelta(seconds=7), 7000)
except sqlite3.Error as error:
    print("commit failed:", error, flush=True)
else:
    raise SystemExit("the commit did not fail")
finally:
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
assert not collection.db.in_transaction
after = (session.current_record, session.next_states, session.counts, session.can_undo,
         collection.review_count(), session.summary(now).reviewed)
assert after == before, (before, after)
def fresh_counts(moment):  # a session built afresh from the database counts the same
    return ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), moment).counts
assert fresh_counts(now) == session.counts
# the same card is still on screen; answering it now works and moves on as it would have
key = session.current_record.key
result = session.answer(Rating.GOOD, now + timedelta(seconds=14), 7000)
assert result.key == key
assert collection.review_count() == before[4] + 1
assert session.current_record is not None and session.current_record.key != key
assert fresh_counts(now + timedelta(seconds=14)) == session.counts
collection.close(now)
print("ok", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_a_failing_commit_leaves_the_session_on_the_same_card(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(tmp_path)],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("commit failed:"), done.stdout
    assert lines[-1] == "ok"


def side_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "metaflash-side"]


def test_the_side_thread_lives_with_the_collection_and_stops_on_close(tmp_path: Path) -> None:
    deck = Deck(
        DeckId("t"),
        "T",
        tuple(Card(CardId(f"c{i}"), BasicContent(f"Q{i}?", f"A{i}.")) for i in range(10)),
    )
    assert side_threads() == []
    for _ in range(2):  # open, study, close: twice, one thread at a time
        collection = Collection.open(tmp_path, NOW)
        reconcile(collection, deck, NOW)
        session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), StudyDay(UTC), NOW)
        for second in range(1, 6):
            shown = session.current_record
            assert shown is not None
            result = session.answer(Rating.GOOD, NOW + timedelta(seconds=second), 1000)
            assert result.key == shown.key
            assert collection.entry(result.review_id).key == shown.key  # on disk already
        assert len(side_threads()) == 1
        collection.close(NOW)
        assert side_threads() == []
