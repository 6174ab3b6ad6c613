"""Devices that study and sync in tests: each has its own collection and its own copy of the
sync folder, and a "sync tool" (:func:`carry`) copies files between the copies the way real
ones do: whole, cut short (a transfer in progress, an old version), or as a conflict copy."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from engine_testing import PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.check import check_collection
from metaflash.core.collection.errors import UndoError
from metaflash.core.collection.records import Flag
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, PromptKey
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession
from metaflash.core.sync.exchange import SyncReport, sync_now
from metaflash.core.sync.folder import APP_FOLDER

DECK = make_deck("bio", 5)


class Device:
    """A computer: a collection in ``root/name/data`` and its copy of the sync folder in
    ``root/name/sync``; its clock runs ``skew`` ahead of (or behind) the test's."""

    def __init__(
        self,
        root: Path,
        name: str,
        clock: Clock,
        *,
        skew: timedelta = timedelta(0),
        deck: Deck = DECK,
    ) -> None:
        self.name = name
        self.clock = clock
        self.skew = skew
        self.deck = deck
        self.data = root / name / "data"
        self.view = root / name / "sync"
        self.view.mkdir(parents=True)
        self.collection = open_with(self.data, clock, deck)
        self.collection.clock = self.now
        self.answers = 0  # answers and cram answers made here

    def now(self) -> datetime:
        return self.clock.now + self.skew

    def reopen(self) -> None:
        """Open the collection in :attr:`data` again (after :meth:`close`)."""
        self.collection = Collection.open(self.data, self.now(), clock=self.now)

    def answer(self, rating: Rating) -> bool:
        """Answer the card a study session shows now; False when nothing is due."""
        session = ReviewSession(
            self.collection,
            [self.deck],
            deck_scope([self.deck], self.deck.id),
            PARIS_DAY,
            self.now(),
        )
        if session.current is None:
            return False
        session.answer(rating, self.now(), 5000)
        self.answers += 1
        return True

    def undo_newest(self) -> bool:
        """Undo the newest answer still in force on this device (made here or merged)."""
        row = self.collection.db.execute(
            "SELECT id FROM review_log AS r WHERE kind = 0 AND NOT EXISTS "
            "(SELECT 1 FROM review_log AS u WHERE u.undoes = r.id) ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return False
        try:
            self.collection.undo(row[0], self.now())
        except UndoError:
            return False
        return True

    def record(self, index: int):
        return self.collection.records([self.deck.id])[index % len(self.deck.cards)]

    def flag(self, index: int, flag: int) -> None:
        self.collection.set_flag([self.record(index)], Flag(flag))

    def suspend(self, index: int, on: bool) -> None:
        self.collection.set_suspended([self.record(index)], on)

    def sync(self) -> SyncReport:
        return sync_now(self.collection, self.view, self.now())

    def close(self) -> None:
        self.collection.close(self.now())


def carry(
    source: Path,
    target: Path,
    device: str,
    name: str,
    *,
    cut: int | None = None,
    conflict: bool = False,
) -> None:
    """Copy ``device``'s file ``name`` from one copy of the sync folder to another, whole or
    only its first ``cut`` bytes, under its own name or as a sync tool's conflict copy."""
    origin = source / APP_FOLDER / device / name
    if not origin.is_file():
        return
    data = origin.read_bytes()
    if cut is not None:
        data = data[: min(cut, len(data))]
    folder = target / APP_FOLDER / device
    folder.mkdir(parents=True, exist_ok=True)
    if conflict:
        name = name.replace(".jsonl", " (conflicted copy 2026-03-02).jsonl")
    (folder / name).write_bytes(data)


def files_of(view: Path) -> list[tuple[str, str]]:
    """(device folder, file name) of every file in a copy of the sync folder."""
    app = view / APP_FOLDER
    if not app.is_dir():
        return []
    return sorted((path.parent.name, path.name) for path in app.glob("*/*") if path.is_file())


def settle(devices: list[Device], rounds: int = 2) -> None:
    """Let the sync tool finish: each device syncs, its own folder reaches every other copy
    whole (the owner's copy is the newest), and so on until nothing new is left."""
    for _ in range(rounds):
        for device in devices:
            device.sync()
        for owner in devices:
            me = owner.collection.device_id
            mine = owner.view / APP_FOLDER / me
            for other in devices:
                if other is owner:
                    continue
                target = other.view / APP_FOLDER / me
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(mine, target)
    for device in devices:
        device.sync()


def global_log(collection: Collection) -> set[tuple[str, int, int, str]]:
    """Every review-log row by its global id: (device, number, kind, state after)."""
    me = collection.device_id
    return {
        (origin or me, origin_seq or seq, kind, after)
        for origin, origin_seq, seq, kind, after in collection.db.execute(
            "SELECT r.origin, r.origin_seq, j.seq, r.kind, r.state_after FROM review_log AS r "
            "LEFT JOIN journal AS j ON j.review = r.id"
        )
    }


def prompts(collection: Collection) -> dict[PromptKey, tuple[object, ...]]:
    return {
        r.key: (r.state, r.suspended, r.buried_until, r.flag, r.leech)
        for r in collection.records([DECK.id])
    }


def assert_converged(devices: list[Device]) -> None:
    """Every device holds the same log, card states, marks and settings, and checks clean."""
    first = devices[0].collection
    for device in devices:
        collection = device.collection
        assert global_log(collection) == global_log(first), device.name
        assert prompts(collection) == prompts(first), device.name
        assert collection.scheduler_settings() == first.scheduler_settings(), device.name
        report = check_collection(collection, device.now())
        assert report.problems == (), (device.name, report.problems)
    made = sum(device.answers for device in devices)
    logged = first.db.execute("SELECT count(*) FROM review_log WHERE kind IN (0, 1)").fetchone()[0]
    assert logged == made  # no answer lost, none counted twice
