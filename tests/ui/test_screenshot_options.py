"""``--size``, ``--card`` and ``--side``: the window, or its screenshot, at a size, on a card."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from metaflash.cli import build_parser
from metaflash.core.decks.model import CardId, DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.ui.shell.app import run_app
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName

DECK, CARD = "metastasis-stages", "five-stages-order"


def args_for(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


@pytest.fixture
def window(bundled_window: MainWindow) -> MainWindow:
    return bundled_window


def test_study_card_shows_that_card_and_only_it(window: MainWindow) -> None:
    assert window.study.study_card(DECK, CARD) is None
    session = window.review.session
    assert session is not None and session.current is not None
    assert (session.current.key.deck_id, session.current.key.card_id) == (DECK, CARD)
    assert window.current_view() is ViewName.REVIEW
    deck = window.study.library.deck(DeckId(DECK))
    card = deck.card(CardId(CARD)) if deck is not None else None
    assert card is not None
    assert session.counts.total == len(card.prompts(DeckId(DECK))) > 1  # the sequence's steps
    window.review.reveal()
    window.review.grade(Rating.EASY)
    # its other steps are siblings, buried until tomorrow; nothing else of the deck comes up
    assert session.current is None and session.counts.total == 0


def test_a_card_that_is_not_due_is_previewed(window: MainWindow) -> None:
    assert window.study.study_card(DECK, CARD) is None
    window.review.reveal()
    window.review.grade(Rating.EASY)  # due again in days
    assert window.study.study_card(DECK, CARD) is None
    session = window.review.session
    assert session is not None and session.is_cram
    assert session.current is not None and session.current.key.card_id == CARD


def test_an_unknown_deck_or_card_is_named(window: MainWindow) -> None:
    problem = window.study.study_card("no-such-deck", CARD)
    assert problem is not None and "no-such-deck" in problem and DECK in problem
    problem = window.study.study_card(DECK, "no-such-card")
    assert problem is not None and "no-such-card" in problem and "stages.yaml" in problem
    assert window.review.session is None


@pytest.mark.parametrize("value", ["1366", "1366x", "x768", "axb", "10x10", "1366*768"])
def test_a_bad_size_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        args_for("--size", value)
    assert exit_.value.code == 2
    assert "--size" in capsys.readouterr().err


def test_a_card_reference_needs_a_deck_and_a_card(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        args_for("--card", "just-a-card")
    assert "DECK_ID/CARD_ID" in capsys.readouterr().err
    assert args_for("--card", f"{DECK}/{CARD}").card == (DECK, CARD)
    assert args_for("--size", "1366X768").size == (1366, 768)


def test_screenshot_at_a_size_of_a_card_on_either_side(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    shots = {}
    for side in ("question", "answer"):
        png = tmp_path / f"{side}.png"
        argv = ("--data-dir", data, "--screenshot", str(png), "--size", "1024x700")
        assert run_app(args_for(*argv, "--card", f"{DECK}/{CARD}", "--side", side)) == 0
        shots[side] = QImage(str(png))
        assert (shots[side].width(), shots[side].height()) == (1024, 700)
    # the two sides differ: the answer's text and its four buttons
    assert shots["question"] != shots["answer"]


def test_an_unknown_card_fails_the_screenshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "x.png"
    argv = ("--data-dir", str(tmp_path / "data"), "--screenshot", str(png))
    assert run_app(args_for(*argv, "--card", f"{DECK}/nope")) == 2
    assert f"--card {DECK}/nope" in capsys.readouterr().err
    assert not png.exists()


@pytest.mark.slow
def test_the_screenshot_honours_the_scale_factor(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env["QT_SCALE_FACTOR"] = "2"
    png = tmp_path / "scaled.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "metaflash",
            "--data-dir",
            str(tmp_path / "data"),
            "--screenshot",
            str(png),
            "--size",
            "1024x700",
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (2048, 1400)
    assert "1024x700 at scale 2" in done.stdout
