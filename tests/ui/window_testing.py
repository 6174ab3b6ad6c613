"""Helpers for driving the real main window in tests: a hand-driven clock, an opener that
records instead of launching programs, small deck files, and the window with a real
collection in the test's data folder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QUrl

from metaflash.core.collection.store import Collection
from metaflash.ui.common.theme import ThemeController
from metaflash.ui.common.window_settings import WindowSettings
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.open_in_editor import DesktopOpener

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris


@dataclass
class FakeClock:
    """Time moves only when a test says so; the monotonic counter moves with it."""

    current: datetime = START
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    milliseconds: int = 1_000_000

    def now(self) -> datetime:
        return self.current

    def elapsed_ms(self) -> int:
        return self.milliseconds

    def advance(self, **delta: float) -> datetime:
        step = timedelta(**delta)
        self.current += step
        self.milliseconds += int(step.total_seconds() * 1000)
        return self.current


class RecordingOpener(DesktopOpener):
    """Records what would have been opened or started (tests never launch programs)."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.started: list[list[str]] = []

    def open_url(self, url: QUrl) -> bool:
        self.urls.append(url.toLocalFile() if url.isLocalFile() else url.toString())
        return True

    def start(self, program: str, arguments: list[str]) -> bool:
        self.started.append([program, *arguments])
        return True


SMALL_DECK = """\
format: 1
id: small
title: A small deck
description: Three cards to study.
cards:
  - id: first
    front: What is **intravasation**?
    back: Cancer cells entering a vessel.
    notes: The cells cross the vessel wall.
  - id: second
    front: What is extravasation?
    back: Cancer cells leaving a vessel.
  - id: third
    type: cloze
    text: "Cells {{c1::invade}} nearby tissue."
"""

CHILD_DECK = """\
format: 1
id: small-child
title: A sub-deck
parent: small
cards:
  - id: child-card
    front: Child question?
    back: Child answer.
"""


def write_small_decks(folder: Path, *, child: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "small.yaml").write_text(SMALL_DECK, encoding="utf-8")
    if child:
        (folder / "child.yaml").write_text(CHILD_DECK, encoding="utf-8")
    return folder


@dataclass
class WindowRig:
    """Opens windows on one data folder, one at a time, like starting the app again."""

    data_dir: Path
    bundled: Path
    clock: FakeClock
    opener: RecordingOpener
    extra_folders: tuple[Path, ...] = ()

    @contextmanager
    def window(self, qtbot, theme: ThemeController | None = None) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
        collection = Collection.open(self.data_dir, self.clock.now(), clock=self.clock.now)
        main = MainWindow(
            theme=theme,
            collection=collection,
            data_dir=self.data_dir,
            bundled=self.bundled,
            clock=self.clock,
            settings=WindowSettings(self.data_dir),
            opener=self.opener,
            extra_folders=self.extra_folders,
        )
        main.resize(1280, 800)
        main.show()
        try:
            yield main
        finally:
            main.close()
            collection.close(self.clock.now())
            shiboken6.delete(main)  # now, not at some later garbage collection
