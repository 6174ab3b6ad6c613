"""The diagram's accounts: the student switches between every step, the Q&A's five stages and
the study note's steps; the steps of the account shown are numbered in its own order, the
others set aside, and a step's panel says where it stands in each account."""

from __future__ import annotations

import pytest
from diagram_samples import cascade, wound_healing
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from metaflash.core.decks.model import StepId
from metaflash.ui.diagram import DiagramView
from metaflash.ui.diagram.markers import DIMMED_OPACITY

NOTE_ORDER = [
    "detachment",
    "local-invasion",
    "intravasation",
    "circulation-survival",
    "extravasation",
    "colonisation",
    "angiogenesis",
]


@pytest.fixture
def view(qtbot: QtBot) -> DiagramView:
    widget = DiagramView(cascade())
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def numbered(view: DiagramView) -> dict[str, int]:
    return {
        sid: marker.account_place[0]
        for sid, marker in view.canvas.markers().items()
        if marker.account_place is not None
    }


def dimmed(view: DiagramView) -> set[str]:
    return {sid for sid, marker in view.canvas.markers().items() if marker.dimmed}


def test_the_show_box_offers_every_step_and_each_account(view: DiagramView) -> None:
    box = view.controls.account_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "Every step",
        "The Q&A's five stages",
        "The study note's steps",
    ]
    assert box.isVisibleTo(view) and box.currentIndex() == 0
    assert numbered(view) == {} and dimmed(view) == set()


def test_the_study_notes_steps_are_numbered_in_its_order_and_the_rest_set_aside(
    view: DiagramView,
) -> None:
    view.controls.account_box.setCurrentIndex(2)
    assert numbered(view) == {sid: n for n, sid in enumerate(NOTE_ORDER, start=1)}
    steps = {step.id for step in view.diagram.steps}
    assert dimmed(view) == steps - set(NOTE_ORDER)
    canvas = view.canvas
    assert canvas.markers()[StepId("lungs")].opacity() == DIMMED_OPACITY
    assert canvas.labels()[StepId("lungs")].opacity() == DIMMED_OPACITY
    assert canvas.markers()[StepId("extravasation")].opacity() == 1.0
    for link in canvas.diagram_scene.links:
        inside = {link.link.source, link.link.target} <= set(NOTE_ORDER)
        assert link.opacity() == (1.0 if inside else DIMMED_OPACITY), link.link
    # screen readers hear the account's number and its own words for the step
    described = canvas.step_description(StepId("extravasation"))
    assert "The study note's steps: 5 of 7, It emerges at a favourable location" in described
    assert "not one of the study note's steps" in canvas.step_description(StepId("lungs"))


def test_a_resize_keeps_the_account_shown(qtbot: QtBot, view: DiagramView) -> None:
    view.show_account("qa-stages")
    before = view.canvas.markers()[StepId("local-invasion")]
    view.resize(1000, 700)
    view.canvas.relayout()  # a new figure: new markers, labels and links
    assert view.canvas.markers()[StepId("local-invasion")] is not before
    assert sorted(numbered(view).values()) == [1, 2, 3, 4, 5]
    assert numbered(view)["local-invasion"] == 1 and "detachment" in dimmed(view)


def test_key_a_goes_round_the_accounts(qtbot: QtBot, view: DiagramView) -> None:
    view.canvas.setFocus()
    seen = []
    for _ in range(4):
        qtbot.keyClick(view.canvas, Qt.Key.Key_A)
        account = view.canvas.account
        seen.append(account.id if account is not None else "")
    assert seen == ["qa-stages", "study-note-steps", "", "qa-stages"]
    assert view.controls.account_box.currentText() == "The Q&A's five stages"


def test_the_caption_and_the_panel_tell_the_step_in_each_account(view: DiagramView) -> None:
    view.show_account("study-note-steps")
    view.open_step(StepId("extravasation"))
    caption = view.caption.text()
    assert "<b>5. Extravasation</b> · <i>It emerges at a favourable location</i>" in caption
    assert view.panel.accounts.text().splitlines() == [
        "The Q&A's five stages — 4 of 5: Extravasation",
        "The study note's steps — 5 of 7: It emerges at a favourable location",
    ]
    view.open_step(StepId("detachment"))
    assert view.panel.accounts.text().splitlines()[0] == "The Q&A's five stages — not one of them"
    view.show_account("qa-stages")
    assert "(not one of the Q&A's five stages)" in view.caption.text()
    view.show_account("")
    assert view.caption.text().startswith("<b>2. Shedding</b> — ")


def test_a_diagram_without_accounts_offers_no_choice(qtbot: QtBot) -> None:
    widget = DiagramView(wound_healing())
    qtbot.addWidget(widget)
    widget.show()
    assert not widget.controls.account_box.isVisibleTo(widget)
    assert widget.panel.accounts.isHidden() or not widget.diagram.accounts
    widget.open_step(widget.canvas.journey[0])
    assert not widget.panel.accounts.isVisibleTo(widget)
