"""A class in the window: the educator's class view, a student's sharing (seen first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from window_testing import WindowRig

from metaflash.core.classroom.summary import init_class, student_summary
from metaflash.core.collection import class_state
from metaflash.core.scheduling.scheduler import Rating
from metaflash.ui.common.card_text import question_plain
from metaflash.ui.shell.class_window import HIDDEN, HIDDEN_CELL, ClassWindow
from metaflash.ui.shell.main_window import MainWindow


def staged_cards(main: MainWindow) -> list[tuple[str, str, str]]:
    """(deck id, card id, step) of the bundled cards that belong to a diagram step."""
    return [
        (deck.id, card.id, str(card.diagram_step))
        for deck in main.library.decks
        for card in deck.cards
        if card.diagram_step is not None and len(card.prompts(deck.id)) == 1
    ]


def write_class(folder: Path, main: MainWindow, students: int) -> dict[str, Any]:
    """``students`` summaries: everyone studied two cards of one step; the first card is
    forgotten far more often; a second step is reached by only four students."""
    info = init_class(folder, "Oncology 2027")
    cards = staged_cards(main)
    (deck, hard, step), (_, easy, _) = [c for c in cards if c[2] == cards[0][2]][:2]
    other = next(c for c in cards if c[2] != step)
    for index in range(students):
        rows = [
            {"deck": deck, "card": hard, "variant": "", "reviews": 5, "lapses": 3, "recall": 0.5},
            {"deck": deck, "card": easy, "variant": "", "reviews": 3, "lapses": 0, "recall": 0.9},
        ]
        steps = [{"step": step, "cards": 2, "reviews": 8, "lapses": 3, "recall": 0.7}]
        if index < 4:
            steps.append({"step": other[2], "cards": 1, "reviews": 1, "lapses": 0, "recall": 0.8})
        (folder / "students" / f"student-{index}.json").write_text(
            json.dumps(
                {
                    "format": 1,
                    "class": info.id,
                    "student": f"student-{index}",
                    "day": "2026-03-02",
                    "cards": rows,
                    "steps": steps,
                }
            )
        )
    return {"step": step, "hard": hard, "deck": deck, "other_step": other[2]}


def test_the_class_view_colours_the_diagram_and_lists_what_the_class_forgets(
    qtbot: QtBot, bundled_window: MainWindow, tmp_path: Path
) -> None:
    made = write_class(tmp_path / "class", bundled_window, students=6)
    window = bundled_window.commands.show_class(tmp_path / "class")
    assert isinstance(window, ClassWindow)
    assert window.canvas is not None  # the bundled pathway, in the class's colours
    mastery = window.canvas.mastery(made["step"])
    assert mastery.recall == pytest.approx(0.7) and mastery.label() == "70% recall, 6 students"
    hidden = window.canvas.mastery(made["other_step"])
    assert hidden.recall is None and hidden.label() == HIDDEN
    rows = {
        window.steps.item(r, 0).text(): window.steps.item(r, 1).text()
        for r in range(window.steps.rowCount())
    }
    assert HIDDEN_CELL in rows.values() and "70%" in rows.values()
    deck = bundled_window.library.deck(made["deck"])
    assert deck is not None
    card = deck.card(made["hard"])
    assert card is not None
    assert window.cards.item(0, 0).text() == question_plain(card)  # forgotten most, first
    assert [window.cards.item(0, c).text() for c in (1, 2, 3)] == ["50%", "60%", "6"]
    window.close()


def test_a_student_sees_exactly_what_is_shared_before_sharing(
    qtbot: QtBot, bundled_rig: WindowRig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "class"
    info = init_class(folder, "Oncology 2027")
    with bundled_rig.window(qtbot) as main:
        main.study.study_deck(main.library.decks[0].id)
        session = main.review.session
        assert session is not None
        session.answer(Rating.GOOD, bundled_rig.clock.advance(seconds=20), 3000)
        dialog = main.commands.share_with_class(folder)
        assert dialog is not None
        expected = student_summary(
            main.collection, info, bundled_rig.clock.now(), bundled_rig.clock.timezone
        )
        assert json.loads(dialog.preview.toPlainText()) == expected
        assert not list((folder / "students").iterdir())  # nothing written yet
        dialog.share_button.click()
        written = folder / "students" / f"{expected['student']}.json"
        assert json.loads(written.read_text()) == expected
        assert info.id in class_state.shared_folders(main.collection)
        session.answer(Rating.GOOD, bundled_rig.clock.advance(seconds=20), 3000)
        main.commands.refresh_class_shares()  # as after each sync and at close
        assert sum(c["reviews"] for c in json.loads(written.read_text())["cards"]) == 2
        handed = tmp_path / "hand-in.json"
        monkeypatch.setattr(
            "metaflash.ui.shell.commands.QFileDialog.getSaveFileName",
            lambda *args: (str(handed), "JSON files (*.json)"),
        )
        dialog.save_button.click()
        assert json.loads(handed.read_text())["student"] == expected["student"]
        assert "hand it in" in dialog.status.text()
        dialog.stop_button.click()
        assert not written.exists() and info.id not in class_state.shared_folders(main.collection)
        dialog.close()


def test_a_folder_that_is_not_a_class_folder_is_said(
    qtbot: QtBot, bundled_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        "metaflash.ui.shell.commands.QMessageBox.warning",
        lambda parent, title, text: said.append(text),
    )
    assert bundled_window.commands.show_class(tmp_path) is None
    assert bundled_window.commands.share_with_class(tmp_path) is None
    assert len(said) == 2 and all("is not a class folder" in text for text in said)
