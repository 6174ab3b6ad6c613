"""Deck files edited while the window is open: reloaded by the file watcher within a second,
a broken edit keeps the last good version in use, and adding deck files to the library."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from window_testing import SMALL_DECK, FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.core.decks.model import CardId, DeckId, PromptKey
from metaflash.core.scheduling.scheduler import Phase, Rating
from metaflash.ui.shell.main_window import MainWindow

#: The watcher debounces 200 ms; a reload must show within a second.
RELOAD_TIMEOUT_MS = 1000


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    return WindowRig(
        tmp_path / "data", write_small_decks(tmp_path / "decks"), FakeClock(), RecordingOpener()
    )


@pytest.fixture
def window(qtbot: QtBot, rig: WindowRig) -> Iterator[MainWindow]:
    with rig.window(qtbot) as main:
        yield main


def save_by_rename(path: Path, text: str) -> None:
    """Save the way many editors do: write a new file, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def card_ids(main: MainWindow, deck_id: str) -> list[str]:
    deck = main.library.deck(DeckId(deck_id))
    assert deck is not None
    return [card.id for card in deck.cards]


def test_an_edited_deck_reloads_by_itself(qtbot: QtBot, window: MainWindow, rig: WindowRig) -> None:
    deck = rig.bundled / "small.yaml"
    deck.write_text(
        SMALL_DECK.replace("title: A small deck", "title: A renamed deck"), encoding="utf-8"
    )
    qtbot.waitUntil(
        lambda: window.overview.title.text() == "A renamed deck", timeout=RELOAD_TIMEOUT_MS
    )
    assert window.deck_manager.tree.topLevelItem(0).text(0) == "A renamed deck"


def test_editors_that_save_by_rename_keep_being_watched(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    deck = rig.bundled / "small.yaml"
    save_by_rename(deck, SMALL_DECK.replace("title: A small deck", "title: First save"))
    qtbot.waitUntil(lambda: window.overview.title.text() == "First save", timeout=RELOAD_TIMEOUT_MS)
    save_by_rename(deck, SMALL_DECK.replace("title: A small deck", "title: Second save"))
    qtbot.waitUntil(
        lambda: window.overview.title.text() == "Second save", timeout=RELOAD_TIMEOUT_MS
    )
    assert str(deck) in window.library_controller.watcher.files()


def test_a_broken_edit_keeps_the_last_good_version_and_lists_its_errors(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    deck = rig.bundled / "small.yaml"
    window.study.study_deck("small")
    window.review.reveal()
    window.review.grade(Rating.GOOD)
    broken = SMALL_DECK.replace("    back: Cancer cells leaving a vessel.", "    bakc: oops")
    deck.write_text(broken, encoding="utf-8")
    qtbot.waitUntil(lambda: bool(window.library.problems), timeout=RELOAD_TIMEOUT_MS)
    assert window.problems_dock.isVisible()
    lines = window.problems.lines()
    assert any(f"{deck}:12:5:" in line and "bakc" in line for line in lines), lines
    assert any("stays as it was last loaded" in line for line in lines), lines
    assert card_ids(window, "small") == ["first", "second", "third"]  # still in use
    assert window.library.stale == ("small",)
    assert "last good version" in window.deck_manager.tree.topLevelItem(0).text(0)
    assert window.review.session is not None and window.review.session.current is not None
    # the collection was not touched by the broken file
    records = window.collection.records([DeckId("small")])
    assert not any(record.retired for record in records)
    deck.write_text(
        SMALL_DECK.replace("    notes: The cells cross the vessel wall.\n", ""), encoding="utf-8"
    )
    qtbot.waitUntil(lambda: not window.library.problems, timeout=RELOAD_TIMEOUT_MS)
    assert window.library.stale == ()
    assert not window.problems_dock.isVisible()


def test_a_card_removed_from_the_file_is_retired_and_the_session_follows(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    window.study.study_deck("small")
    assert window.review.session is not None
    without_third = SMALL_DECK[: SMALL_DECK.index("  - id: third")]
    (rig.bundled / "small.yaml").write_text(without_third, encoding="utf-8")
    qtbot.waitUntil(
        lambda: card_ids(window, "small") == ["first", "second"], timeout=RELOAD_TIMEOUT_MS
    )
    retired = {r.key.card_id: r.retired for r in window.collection.records([DeckId("small")])}
    assert retired[CardId("third")] and not retired[CardId("first")]
    session = window.review.session
    assert session is not None and session.counts.new == 2  # started again on the new deck


def test_a_new_file_in_a_watched_folder_appears(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    (rig.bundled / "another.yaml").write_text(
        "format: 1\nid: another\ntitle: Another\ncards:\n  - {id: a, front: Q, back: A}\n",
        encoding="utf-8",
    )
    qtbot.waitUntil(
        lambda: "another" in window.deck_manager.tree.deck_ids(), timeout=RELOAD_TIMEOUT_MS
    )


def test_adding_a_deck_file_copies_it_into_the_users_decks(
    qtbot: QtBot,
    window: MainWindow,
    rig: WindowRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = elsewhere / "mine.yaml"
    source.write_text(
        "format: 1\nid: mine\ntitle: Mine\ncards:\n  - {id: a, front: Q, back: A}\n",
        encoding="utf-8",
    )
    assert window.commands.add_deck_file(source)
    copied = rig.data_dir / "decks" / "mine.yaml"
    assert copied.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert window.overview.title.text() == "Mine"
    # the same deck id again is refused, with the reason
    again = elsewhere / "again.yaml"
    again.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert not window.commands.add_deck_file(again)
    assert "already in the library" in warnings[-1]
    broken = elsewhere / "broken.yaml"
    broken.write_text(
        "format: 1\nid: broken\ntitle: B\ncards:\n  - {id: a, frnt: Q}\n", encoding="utf-8"
    )
    assert not window.commands.add_deck_file(broken)
    assert "has errors" in warnings[-1] and "broken.yaml:5:13:" in warnings[-1]
    assert not (rig.data_dir / "decks" / "broken.yaml").exists()


OTHER_DECK = """\
format: 1
id: other
title: Another deck
cards:
  - id: own
    front: A card of its own?
    back: Yes.
"""

SECOND_CARD = """\
  - id: second
    front: What is extravasation?
    back: Cancer cells leaving a vessel.
"""


def test_a_card_cut_from_one_file_and_pasted_into_another_keeps_its_progress(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    """An author moves a card between two files in a text editor while the app runs: cut
    and save, then paste and save, two reloads apart."""
    other = rig.bundled / "other.yaml"
    other.write_text(OTHER_DECK, encoding="utf-8")
    qtbot.waitUntil(
        lambda: window.library.deck(DeckId("other")) is not None, timeout=RELOAD_TIMEOUT_MS
    )
    window.study.study_deck("small")
    session = window.review.session
    assert session is not None
    while session.current is not None and session.current.card_id != "second":
        window.review.reveal()
        window.review.grade(Rating.GOOD)
    window.review.reveal()
    window.review.grade(Rating.EASY)
    studied = window.collection.record(PromptKey(DeckId("small"), CardId("second"), ""))
    assert studied is not None and studied.state.phase is Phase.REVIEW
    save_by_rename(rig.bundled / "small.yaml", SMALL_DECK.replace(SECOND_CARD, ""))
    qtbot.waitUntil(
        lambda: card_ids(window, "small") == ["first", "third"], timeout=RELOAD_TIMEOUT_MS
    )
    save_by_rename(other, OTHER_DECK + SECOND_CARD)
    qtbot.waitUntil(
        lambda: card_ids(window, "other") == ["own", "second"], timeout=RELOAD_TIMEOUT_MS
    )
    moved = window.collection.record(PromptKey(DeckId("other"), CardId("second"), ""))
    assert moved is not None and moved.row == studied.row and moved.state == studied.state
    assert window.collection.record(PromptKey(DeckId("small"), CardId("second"), "")) is None
    assert not window.library.problems


def test_a_card_pasted_into_two_files_is_shown_as_a_problem(
    qtbot: QtBot, window: MainWindow, rig: WindowRig
) -> None:
    window.study.study_deck("small")
    window.review.reveal()
    window.review.grade(Rating.EASY)  # "first" has a history
    (rig.bundled / "other.yaml").write_text(OTHER_DECK, encoding="utf-8")
    (rig.bundled / "third.yaml").write_text(OTHER_DECK.replace("other", "third"), encoding="utf-8")
    qtbot.waitUntil(
        lambda: window.library.deck(DeckId("third")) is not None, timeout=RELOAD_TIMEOUT_MS
    )
    first = SMALL_DECK[SMALL_DECK.index("  - id: first") : SMALL_DECK.index("  - id: second")]
    (rig.bundled / "small.yaml").write_text(SMALL_DECK.replace(first, ""), encoding="utf-8")
    (rig.bundled / "other.yaml").write_text(OTHER_DECK + first, encoding="utf-8")
    (rig.bundled / "third.yaml").write_text(
        OTHER_DECK.replace("other", "third") + first, encoding="utf-8"
    )
    qtbot.waitUntil(lambda: bool(window.library.problems), timeout=RELOAD_TIMEOUT_MS)
    assert window.problems_dock.isVisible()
    lines = window.problems.lines()
    assert len(lines) == 2, lines
    for name in ("other.yaml", "third.yaml"):
        assert any(f"{name}:8:5: warning: card 'first'" in line for line in lines), lines
    assert window.collection.record(PromptKey(DeckId("small"), CardId("first"), "")).retired  # type: ignore[union-attr]
    # the author keeps the card in "other" only: the warning goes, the progress follows
    (rig.bundled / "third.yaml").write_text(OTHER_DECK.replace("other", "third"), encoding="utf-8")
    qtbot.waitUntil(lambda: not window.library.problems, timeout=RELOAD_TIMEOUT_MS)
    moved = window.collection.record(PromptKey(DeckId("other"), CardId("first"), ""))
    assert moved is not None and moved.state.phase is Phase.REVIEW
