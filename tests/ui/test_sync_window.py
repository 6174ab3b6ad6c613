"""Syncing from the window: soon after it opens, when another device's files arrive, never
while a card is on screen, at close; chosen in Settings; said in the status bar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.core.collection import sync_state
from metaflash.core.collection.records import ReviewKind
from metaflash.core.collection.store import Collection
from metaflash.core.collection.sync_events import (
    AnswerEvent,
    EventId,
    SettingsDefinition,
    record,
)
from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import NEW_CARD, Rating, SchedulerSettings, next_states
from metaflash.core.sync.folder import APP_FOLDER, segment_name
from metaflash.core.sync.framing import frame
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName

OTHER = "c" * 32
KEY = PromptKey(DeckId("small"), CardId("second"), "")


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    decks = write_small_decks(tmp_path / "decks")
    return WindowRig(tmp_path / "data", decks, FakeClock(), RecordingOpener())


def choose_folder(rig: WindowRig, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    collection = Collection.open(rig.data_dir, rig.clock.now())
    sync_state.set_sync_folder(collection, folder)
    collection.close(rig.clock.now())


def other_device_answers(
    folder: Path, clock: FakeClock, *, damaged: bool = False, key: PromptKey = KEY
) -> None:
    """Another computer's file: it answered the second card (or ``key``) Good."""
    settings = SchedulerSettings()
    when = clock.now()
    after = next_states(NEW_CARD, when, settings, 1)[Rating.GOOD].state
    event = AnswerEvent(
        int(when.timestamp() * 1000),
        key,
        ReviewKind.ANSWER,
        3,
        4000,
        NEW_CARD.to_json(),
        after.to_json(),
        settings.fingerprint(),
    )
    device = folder / APP_FOLDER / OTHER
    device.mkdir(parents=True, exist_ok=True)
    definition = SettingsDefinition(0, settings.fingerprint(), settings.to_json())
    lines = frame(record(EventId(OTHER, 1), definition)) + frame(record(EventId(OTHER, 2), event))
    if damaged:
        lines += b'{"f":1}\t00000000\n'
    (device / segment_name(1)).write_bytes(lines)


def remote_answers(main: MainWindow) -> int:
    row = main.collection.db.execute(
        "SELECT count(*) FROM review_log WHERE origin = ?", (OTHER,)
    ).fetchone()
    return int(row[0])


def test_without_a_folder_nothing_is_said_or_timed(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        assert main.sync.folder is None and not main.sync_button.isVisible()


def test_the_window_syncs_soon_after_it_opens_and_when_files_arrive(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    choose_folder(rig, folder)
    with rig.window(qtbot) as main:
        qtbot.waitUntil(lambda: main.sync_button.text().startswith("Synced"), timeout=10_000)
        assert (folder / APP_FOLDER / main.collection.device_id).is_dir()
        assert "No other device" in main.sync_button.toolTip()
        other_device_answers(folder, rig.clock)  # the sync tool delivers another's file
        qtbot.waitUntil(lambda: remote_answers(main) == 1, timeout=15_000)
        record_ = main.collection.record(KEY)
        assert record_ is not None and record_.state.reps == 1
        # the deck list counts it as studied, a moment later
        qtbot.waitUntil(lambda: main.counts[DeckId("small")].new == 2, timeout=5_000)
        assert "Took in 2 new events from 1 other device" in main.sync_button.toolTip()


def test_a_sync_that_falls_due_during_a_review_waits_for_it_to_end(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    choose_folder(rig, folder)
    with rig.window(qtbot) as main:
        qtbot.waitUntil(lambda: main.sync_button.text().startswith("Synced"), timeout=10_000)
        main.study.study_deck("small")
        assert main.current_view() is ViewName.REVIEW
        other_device_answers(folder, rig.clock)
        assert main.sync.sync() is None  # a card is on screen: it waits
        assert remote_answers(main) == 0
        main.back_to_decks()
        qtbot.waitUntil(lambda: remote_answers(main) == 1, timeout=10_000)


def test_closing_the_window_writes_its_last_answers(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    choose_folder(rig, folder)
    with rig.window(qtbot) as main:
        main.sync.stop()  # no timed sync: only the one at close
        main.study.study_deck("small")
        main.review.session.answer(Rating.GOOD, rig.clock.advance(seconds=10), 4000)  # type: ignore[union-attr]
        device = main.collection.device_id
    journal = folder / APP_FOLDER / device / segment_name(1)
    assert journal.is_file() and b'"k":"answer"' in journal.read_bytes()


def test_a_damaged_line_goes_to_the_problems_panel(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    choose_folder(rig, folder)
    other_device_answers(folder, rig.clock, damaged=True)
    with rig.window(qtbot) as main:
        qtbot.waitUntil(lambda: remote_answers(main) == 1, timeout=10_000)
        assert main.problems_dock.isVisible()
        texts = [
            main.problems.topLevelItem(i).text(1) for i in range(main.problems.topLevelItemCount())
        ]
        assert any("checksum does not match" in text for text in texts), texts
        assert "1 problem found" in main.problem_button.text()


def test_the_folder_is_chosen_in_settings(qtbot: QtBot, rig: WindowRig, tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    with rig.window(qtbot) as main:
        dialog = main.commands.open_settings()
        dialog.set_sync_folder(tmp_path / "missing")
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        assert "does not exist" in dialog.errors["sync_folder"].text()
        dialog.set_sync_folder(folder)
        dialog.device_name.setText("Laptop")
        assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.accept()
        assert main.sync.folder == folder
        assert sync_state.this_device_name(main.collection) == "Laptop"
        qtbot.waitUntil(lambda: main.sync_button.text().startswith("Synced"), timeout=10_000)
        device = folder / APP_FOLDER / main.collection.device_id
        assert '"name": "Laptop"' in (device / "device.json").read_text()
        dialog = main.commands.open_settings()
        assert dialog.sync_folder.text() == str(folder)
        assert "last synced" in dialog.sync_text.text()
        dialog.set_sync_folder(None)  # Stop Syncing
        dialog.accept()
        assert main.sync.folder is None and not main.sync_button.isVisible()


@pytest.mark.skipif(sys.platform == "win32", reason="permissions")
def test_a_folder_that_vanished_is_said_in_the_status_bar(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "usb-stick"
    choose_folder(rig, folder)
    folder.rmdir()  # the stick was unplugged
    with rig.window(qtbot) as main:
        qtbot.waitUntil(lambda: main.sync_button.text() == "Sync failed", timeout=10_000)
        assert "does not exist" in main.sync_button.toolTip()
        assert main.sync_button.property("role") == "error"


EXTRA_DECK = """\
format: 1
id: extra
title: A deck the other computer had first
cards:
  - id: only
    front: Which step comes first?
    back: Local invasion.
"""


def test_answers_to_a_deck_that_arrives_later_apply_when_it_does(
    qtbot: QtBot, rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    choose_folder(rig, folder)
    extra = PromptKey(DeckId("extra"), CardId("only"), "")
    other_device_answers(folder, rig.clock, key=extra)
    with rig.window(qtbot) as main:
        qtbot.waitUntil(lambda: main.sync_button.text().startswith("Synced"), timeout=10_000)
        assert "1 wait for decks this computer does not have" in main.sync_button.toolTip()
        (rig.bundled / "extra.yaml").write_text(EXTRA_DECK, encoding="utf-8")  # it arrives
        qtbot.waitUntil(lambda: main.library.deck(DeckId("extra")) is not None, timeout=10_000)
        qtbot.waitUntil(lambda: remote_answers(main) == 1, timeout=10_000)
        record_ = main.collection.record(extra)
        assert record_ is not None and record_.state.reps == 1
