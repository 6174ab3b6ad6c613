"""The decks that come with metaflash open read-only in the editor; "Copy to My Decks" makes
them the user's own files, keeping every id and so the progress."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig

from metaflash.core.decks.model import DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.util.paths import bundled_decks_dir
from metaflash.ui.editor.editor_view import EditorView
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    bundled = tmp_path / "installed"  # stands for the package's decks folder
    shutil.copytree(bundled_decks_dir(), bundled)
    return WindowRig(tmp_path / "data", bundled, FakeClock(), RecordingOpener())


@pytest.fixture
def window(qtbot: QtBot, rig: WindowRig) -> Iterator[MainWindow]:
    with rig.window(qtbot) as main:
        yield main


def editor_of(window: MainWindow) -> EditorView:
    editor = window.study.editor
    assert editor is not None
    return editor


def test_a_bundled_deck_opens_read_only(window: MainWindow, rig: WindowRig) -> None:
    assert window.study.edit_deck(DeckId("metastasis"))
    editor = editor_of(window)
    assert window.current_view() is ViewName.EDITOR
    assert editor.read_only and editor.read_only_banner.isVisible()
    assert not editor.form.isEnabled() and not editor.details.isEnabled()
    actions = editor.editor_actions
    for action in (actions.save, actions.delete, actions.duplicate, *actions.add.values()):
        assert not action.isEnabled()
    assert editor.saved_label.text() == "Read-only"
    assert not editor.save_button.isEnabled() and not editor.add_button.isEnabled()
    before = (rig.bundled / "metastasis" / "overview.yaml").read_bytes()
    actions.save.trigger()
    assert (rig.bundled / "metastasis" / "overview.yaml").read_bytes() == before


def test_copy_to_my_decks_keeps_the_progress_and_edits_the_copy(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    window.study.study_deck("metastasis")
    review = window.review
    assert review.session is not None and review.session.current is not None
    answered = review.session.current.key
    review.reveal()
    review.grade(Rating.GOOD)
    answers = window.collection.review_count()

    assert window.study.edit_deck(DeckId("metastasis"))
    editor = editor_of(window)
    qtbot.mouseClick(editor.copy_button, Qt.MouseButton.LeftButton)

    copy = rig.data_dir / "decks" / "metastasis" / "overview.yaml"
    assert editor.path == copy and not editor.read_only
    assert not editor.read_only_banner.isVisible() and editor.form.isEnabled()
    actions = editor.editor_actions  # the selected card can be worked on at once
    assert editor.current_index == 0
    assert actions.duplicate.isEnabled() and actions.delete.isEnabled()
    assert actions.move_down.isEnabled()
    deck = window.library.deck(DeckId("metastasis"))
    assert deck is not None and deck.path == copy  # the copy stands in for the bundled deck
    ids = [d.id for d in window.library.decks]
    assert len(ids) == len(set(ids)) == 5 and not window.library.problems
    assert all(d.path is not None and rig.data_dir in d.path.parents for d in window.library.decks)
    record = window.collection.record(answered)
    assert record is not None and record.state.reps == 1  # the progress carried over
    assert window.collection.review_count() == answers

    editor.details.title.setText("Metastasis (my notes)")
    qtbot.waitUntil(lambda: not editor.edits_pending, timeout=3000)
    editor.save()
    assert "title: Metastasis (my notes)" in copy.read_text(encoding="utf-8")
    assert "title: Metastasis (my notes)" not in (
        rig.bundled / "metastasis" / "overview.yaml"
    ).read_text(encoding="utf-8")


def test_the_copy_survives_a_restart(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        assert main.study.edit_deck(DeckId("metastasis"))
        editor_of(main).copy_button.click()
    with rig.window(qtbot) as again:
        deck = again.library.deck(DeckId("metastasis"))
        assert (
            deck is not None
            and deck.path == rig.data_dir / "decks" / "metastasis" / "overview.yaml"
        )
        assert not again.library.problems
        assert again.study.edit_deck(DeckId("metastasis"))
        assert not editor_of(again).read_only


def test_the_editor_follows_the_deck_chosen_in_the_list(window: MainWindow) -> None:
    assert window.study.edit_deck(DeckId("metastasis"))
    editor = editor_of(window)
    window.deck_manager.select_deck(DeckId("metastasis-sites"))
    assert editor.path is not None and editor.path.name == "sites.yaml"
    window.show_view(ViewName.DECKS)
    window.deck_manager.select_deck(DeckId("metastasis-stages"))
    assert editor.path.name == "sites.yaml"  # elsewhere the editor keeps its deck
