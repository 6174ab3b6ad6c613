"""Collections damaged the ways disks and sync tools damage files, for the damage tests.

Each scenario starts from a real collection in a data folder: studied, closed (which makes
the daily backup), studied again, and, for the scenarios that need one, left with its
write-ahead log as a crash leaves it (the files are copied while the collection is still
open: every answer's COMMIT has synced, so the copy is what the disk holds after a power cut).
Then the scenario damages the files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine_testing import PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.errors import DamageKind
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

DECK = make_deck("bio", 80)
PAGE = 4096
FIRST_ANSWERS = 6  # in the daily backup
LATER_ANSWERS = 40  # after it


def study(data_dir: Path, clock: Clock, answers: int, crash_copy_to: Path | None = None) -> None:
    collection = open_with(data_dir, clock, DECK)
    session = ReviewSession(collection, [DECK], deck_scope([DECK], DECK.id), PARIS_DAY, clock.now)
    for index in range(answers):
        session.answer(Rating.AGAIN if index % 3 else Rating.GOOD, clock.advance(seconds=9), 9000)
    if crash_copy_to is not None:  # the files as a crash leaves them, WAL and mark included
        crash_copy_to.mkdir(parents=True, exist_ok=True)
        for path in data_dir.iterdir():
            if path.is_file() and path.name != "collection.lock":
                shutil.copyfile(path, crash_copy_to / path.name)
            elif path.is_dir():
                shutil.copytree(path, crash_copy_to / path.name, dirs_exist_ok=True)
    collection.close(clock.now)


def collection_file(data_dir: Path) -> Path:
    return data_dir / "collection.sqlite3"


def wal_file(data_dir: Path) -> Path:
    return data_dir / "collection.sqlite3-wal"


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as stream:
        stream.seek(offset)
        stream.write(data)


def _empty(data_dir: Path) -> None:
    collection_file(data_dir).write_bytes(b"")


def _empty_with_wal(data_dir: Path) -> None:
    collection_file(data_dir).write_bytes(b"")


def _missing(data_dir: Path) -> None:
    collection_file(data_dir).unlink()


def _garbled_header(data_dir: Path) -> None:
    overwrite(collection_file(data_dir), 0, b"\x9c\x11garbled by a sync tool" * 4)


def _middle_page(data_dir: Path) -> int:
    pages = collection_file(data_dir).stat().st_size // PAGE
    return (pages // 2) * PAGE


def _garbled_pages(data_dir: Path) -> None:
    offset = _middle_page(data_dir)
    overwrite(
        collection_file(data_dir), offset, bytes((i * 37 + 11) % 256 for i in range(PAGE * 2))
    )


def _zeroed_pages(data_dir: Path) -> None:
    offset = _middle_page(data_dir)
    overwrite(collection_file(data_dir), offset, bytes(PAGE * 2))


def _damaged_wal(data_dir: Path) -> None:
    """A frame in the middle of the WAL damaged: SQLite drops it and every commit after it."""
    wal = wal_file(data_dir)
    frames = (wal.stat().st_size - 32) // (PAGE + 24)
    offset = 32 + (frames // 2) * (PAGE + 24) + 24 + 100
    overwrite(wal, offset, b"\xff" * 64)


def _text_file(data_dir: Path) -> None:
    collection_file(data_dir).write_text("My notes: remember to study!\n" * 300)


@dataclass(frozen=True)
class Scenario:
    name: str
    damage: Callable[[Path], None]
    kind: DamageKind
    crashed: bool = False  # the damage is made to the files a crash left (with a WAL)


SCENARIOS = (
    Scenario("empty-file", _empty, DamageKind.EMPTY),
    Scenario("empty-file-with-wal", _empty_with_wal, DamageKind.EMPTY, crashed=True),
    Scenario("missing-with-backups", _missing, DamageKind.MISSING),
    Scenario("garbled-header", _garbled_header, DamageKind.NOT_SQLITE),
    Scenario("garbled-pages", _garbled_pages, DamageKind.DAMAGED),
    Scenario("zeroed-pages", _zeroed_pages, DamageKind.DAMAGED),
    Scenario("damaged-wal", _damaged_wal, DamageKind.LOST_ANSWERS, crashed=True),
    Scenario("text-file", _text_file, DamageKind.NOT_SQLITE),
)


def damaged_folder(root: Path, scenario: Scenario, clock: Clock) -> Path:
    """A data folder with a daily backup of FIRST_ANSWERS answers and a damaged collection
    that had FIRST_ANSWERS + LATER_ANSWERS acknowledged."""
    studied = root / "studied"
    study(studied, clock, FIRST_ANSWERS)
    clock.advance(hours=3)
    data_dir = root / "damaged"
    if scenario.crashed:
        study(studied, clock, LATER_ANSWERS, crash_copy_to=data_dir)
        assert wal_file(data_dir).stat().st_size > 0
    else:
        study(studied, clock, LATER_ANSWERS)
        shutil.copytree(studied, data_dir)
        (data_dir / "collection.lock").unlink(missing_ok=True)
    scenario.damage(data_dir)
    return data_dir


def snapshot(data_dir: Path) -> dict[str, bytes | None]:
    """The bytes of the collection and its WAL (None where there is no such file)."""
    return {
        path.name: path.read_bytes() if path.exists() else None
        for path in (collection_file(data_dir), wal_file(data_dir))
    }
