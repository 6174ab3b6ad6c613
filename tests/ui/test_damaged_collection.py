"""The window's start on a damaged collection: a dialog, a restore, and nothing lost.

The scenarios are the core's (``tests/core/collection_damage.py``): real collections damaged
the ways disks and sync tools damage files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from collection_damage import (
    FIRST_ANSWERS,
    SCENARIOS,
    Scenario,
    damaged_folder,
    snapshot,
)
from engine_testing import Clock
from window_testing import FakeClock

from metaflash.core.collection.errors import DamagedCollectionError, DamageKind
from metaflash.ui.shell.app import StartupCancelled, StartupError, open_collection
from metaflash.ui.shell.damaged_collection import DamageChoice, DamagedCollectionDialog

ALL = [pytest.param(scenario, id=scenario.name) for scenario in SCENARIOS]


class ClickingResolver:
    """A user who reads the real dialog and clicks one of its buttons."""

    def __init__(self, qtbot: QtBot, choice: DamageChoice, folder: Path | None = None) -> None:
        self.qtbot = qtbot
        self.choice = choice
        self.folder = folder
        self.seen: list[DamagedCollectionDialog] = []

    def ask(self, error: DamagedCollectionError) -> DamageChoice:
        dialog = DamagedCollectionDialog(error)
        self.qtbot.addWidget(dialog)
        self.seen.append(dialog)
        button = dialog.button_for(self.choice)
        assert button is not None, f"no button for {self.choice}"
        button.click()
        return dialog.choice()

    def choose_folder(self, current: Path) -> Path | None:
        return self.folder


def _damaged(tmp_path: Path, scenario: Scenario) -> Path:
    return damaged_folder(tmp_path, scenario, Clock())


@pytest.mark.parametrize("scenario", ALL)
def test_restore_from_the_dialog_opens_the_backup(
    qtbot: QtBot, tmp_path: Path, scenario: Scenario
) -> None:
    data_dir = _damaged(tmp_path, scenario)
    resolver = ClickingResolver(qtbot, DamageChoice.RESTORE)
    collection, opened = open_collection(data_dir, FakeClock(), resolver)
    try:
        assert opened == data_dir
        assert collection.review_count() == FIRST_ANSWERS
    finally:
        collection.close(FakeClock().now())
    (dialog,) = resolver.seen
    error = dialog.error
    assert error.kind is scenario.kind and error.backup is not None
    assert error.backup.name in dialog.informativeText()
    assert f"{FIRST_ANSWERS} answers" in dialog.informativeText()


@pytest.mark.parametrize("scenario", ALL)
def test_quit_leaves_every_file_as_it_was(qtbot: QtBot, tmp_path: Path, scenario: Scenario) -> None:
    data_dir = _damaged(tmp_path, scenario)
    before = snapshot(data_dir)
    with pytest.raises(StartupCancelled):
        open_collection(data_dir, FakeClock(), ClickingResolver(qtbot, DamageChoice.QUIT))
    assert snapshot(data_dir) == before


def test_another_data_folder_opens_there(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = _damaged(tmp_path, SCENARIOS[0])
    before = snapshot(data_dir)
    elsewhere = tmp_path / "elsewhere"
    resolver = ClickingResolver(qtbot, DamageChoice.OTHER_FOLDER, folder=elsewhere)
    collection, opened = open_collection(data_dir, FakeClock(), resolver)
    try:
        assert opened == elsewhere and collection.review_count() == 0
    finally:
        collection.close(FakeClock().now())
    assert snapshot(data_dir) == before


def test_lost_answers_can_be_kept(qtbot: QtBot, tmp_path: Path) -> None:
    scenario = next(s for s in SCENARIOS if s.kind is DamageKind.LOST_ANSWERS)
    data_dir = _damaged(tmp_path, scenario)
    resolver = ClickingResolver(qtbot, DamageChoice.KEEP)
    collection, _ = open_collection(data_dir, FakeClock(), resolver)
    try:
        assert collection.review_count() > FIRST_ANSWERS
    finally:
        collection.close(FakeClock().now())
    (dialog,) = resolver.seen
    names = {button.objectName() for button in dialog.buttons()}
    assert {"restoreButton", "keepButton", "otherFolderButton", "quitButton"} <= names
    # the backup holds fewer answers than the collection still does: Enter keeps it
    assert dialog.error.answers_now is not None and dialog.error.answers_now > FIRST_ANSWERS
    assert dialog.defaultButton() is dialog.button_for(DamageChoice.KEEP)
    assert f"still holds {dialog.error.answers_now} answers" in dialog.informativeText()


def test_without_a_user_the_message_is_the_error(tmp_path: Path) -> None:
    data_dir = _damaged(tmp_path, SCENARIOS[0])
    with pytest.raises(StartupError, match="restore"):
        open_collection(data_dir, FakeClock(), None)


def test_escape_means_quit(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = _damaged(tmp_path, SCENARIOS[0])
    with pytest.raises(StartupError) as raised:
        open_collection(data_dir, FakeClock(), None)
    cause = raised.value.__cause__
    assert isinstance(cause, DamagedCollectionError)
    dialog = DamagedCollectionDialog(cause)
    qtbot.addWidget(dialog)
    assert dialog.escapeButton() is dialog.button_for(DamageChoice.QUIT)
