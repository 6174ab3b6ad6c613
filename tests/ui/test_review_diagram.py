"""The compact diagram beside the card: the card's step highlighted, the next step shown
with a sequence's answer, and diagram cards answered by picking a step."""

from __future__ import annotations

from pathlib import Path

import pytest
from diagram_samples import WOUND_HEALING
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig

from metaflash.core.scheduling.scheduler import Rating
from metaflash.ui.review.review_view import ReviewView

DECK = """\
format: 1
id: healing
title: Wound healing
diagram: wound-healing.diagram.yaml
cards:
  - id: where-clot
    type: diagram
    question: Where does a clot close the wound?
    answer: clotting
  - id: phases
    type: sequence
    prompt: The phases of healing
    steps: [Injury, Clotting, Repair]
    stages: [injury, clotting, repair]
  - id: scar
    front: What matures last?
    back: The scar.
    stage: remodelling
"""


@pytest.fixture
def rig(tmp_path: Path) -> WindowRig:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "wound-healing.diagram.yaml").write_text(WOUND_HEALING, encoding="utf-8")
    (decks / "healing.yaml").write_text(DECK, encoding="utf-8")
    return WindowRig(tmp_path / "data", decks, FakeClock(), RecordingOpener())


def compact(review: ReviewView):  # type: ignore[no-untyped-def]
    return review.diagram_box.currentWidget()


def test_a_diagram_card_is_answered_by_picking_a_step(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        assert main.library.problems == ()
        main.study.study_deck("healing")
        review = main.review
        session = review.session
        assert session is not None and session.current is not None
        assert session.current.card_id == "where-clot"
        view = compact(review)
        assert review.diagram_box.isVisible() and view.is_picking()
        assert review.highlighted_step() is None  # nothing that gives the answer away
        assert "Pick the step on the diagram" in review.notice.text()
        point = view.view_point_of("repair").toPoint()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert review.revealed and review.answer_bar.grades_shown
        assert not review.notice.isVisible()
        text = review.card.toPlainText()
        assert "You picked Repair: not this one." in text
        assert "Clotting" in text and "A clot closes the wound." in text
        assert review.highlighted_step() == "clotting"
        review.grade(Rating.AGAIN)


@pytest.mark.parametrize(
    ("step", "expected"), [("repair", Rating.AGAIN), ("clotting", Rating.GOOD)]
)
def test_space_after_a_pick_answers_again_when_it_was_wrong(
    qtbot: QtBot, rig: WindowRig, step: str, expected: Rating
) -> None:
    with rig.window(qtbot) as main:
        main.study.study_deck("healing")
        review = main.review
        session = review.session
        assert session is not None and session.current is not None
        key = session.current.key
        view = compact(review)
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.view_point_of(step).toPoint()
        )
        assert review.default_rating() is expected
        name = expected.name.capitalize()
        assert review.continue_action.text().replace("&", "") == name
        review.continue_action.trigger()  # Space and Enter
        (last,) = [e for e in main.collection.history(main.collection.record(key).row)]  # type: ignore[union-attr]
        assert last.rating is expected


def test_enter_on_a_focused_step_picks_it(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow)
        main.study.study_deck("healing")
        review = main.review
        view = compact(review)
        view.setFocus()
        view.focus_step("clotting")
        qtbot.keyClick(view, Qt.Key.Key_Return)
        assert view.pick_result() == ("clotting", True)
        assert "You picked Clotting: right." in review.card.toPlainText()


def test_space_shows_a_diagram_cards_answer_without_a_pick(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        main.study.study_deck("healing")
        review = main.review
        review.continue_()
        assert review.revealed and not compact(review).is_picking()
        assert review.highlighted_step() == "clotting"
        assert "You picked" not in review.card.toPlainText()


def test_a_sequence_shows_the_asked_step_then_the_next(qtbot: QtBot, rig: WindowRig) -> None:
    with rig.window(qtbot) as main:
        main.study.study_deck("healing")
        review = main.review
        session = review.session
        assert session is not None
        review.reveal()
        review.grade(Rating.EASY)  # the diagram card
        assert session.current is not None and session.current.variant == "next-1"
        assert review.highlighted_step() == "injury"
        review.reveal()
        assert review.highlighted_step() == "clotting"
        review.grade(Rating.EASY)
        # the sequence's other prompts and the scar card come in turns (siblings never
        # back-to-back): answer until the scar card shows
        for _ in range(3):
            assert session.current is not None
            if session.current.card_id == "scar":
                break
            review.reveal()
            review.grade(Rating.EASY)
        assert session.current is not None and session.current.card_id == "scar"
        # "What matures last?" names no step: showing Remodelling would hint at the answer
        assert review.highlighted_step() is None
        review.reveal()
        assert review.highlighted_step() == "remodelling"
