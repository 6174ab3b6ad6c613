"""Starting the app: the data folder, deck folders, the bundled decks and ``--screenshot``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, WindowRig

from metaflash.cli import build_parser
from metaflash.core.collection.store import Collection
from metaflash.core.util import paths
from metaflash.ui.common.theme import DARK, LIGHT
from metaflash.ui.decks.card_table import CardColumn
from metaflash.ui.shell.app import StartupError, check_display, run_app
from metaflash.ui.shell.main_window import MainWindow

BROKEN_DECK = """\
format: 1
id: broken-deck
title: A deck with a typo
cards:
  - id: good-card
    front: What is intravasation?
    back: Cells entering a vessel.
  - id: bad-card
    frnt: What is extravasation?
    back: Cells leaving a vessel.
"""

GOOD_DECK = """\
format: 1
id: extra-deck
title: An extra deck
description: Written by a *teacher*.
cards:
  - id: first
    front: First **question**
    back: First answer
    tags: [one]
  - id: second
    type: cloze
    text: Cells {{c1::invade}} nearby tissue.
"""


def bundled_deck_files() -> dict[str, dict[str, object]]:
    """What the deck files in decks/ say, read straight from the YAML (not by metaflash)."""
    decks: dict[str, dict[str, object]] = {}
    for path in sorted(paths.bundled_decks_dir().rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") != "diagram":
            decks[str(data["id"])] = data
    return decks


def tree_titles(main: MainWindow) -> dict[str, tuple[str, int]]:
    """deck id -> (title, depth) as the tree shows them."""
    tree = main.deck_manager.tree
    shown: dict[str, tuple[str, int]] = {}
    for deck_id in tree.deck_ids():
        tree.select_deck(deck_id)
        item = tree.currentItem()
        depth = 0
        while item.parent() is not None:
            item, depth = item.parent(), depth + 1
        shown[deck_id] = (tree.currentItem().text(0), depth)
    return shown


def test_the_window_lists_the_bundled_decks(bundled_window: MainWindow) -> None:
    files = bundled_deck_files()
    assert len(files) >= 2, "decks/ should hold the bundled decks"
    shown = tree_titles(bundled_window)
    assert set(shown) == set(files)
    for deck_id, data in files.items():
        title, depth = shown[deck_id]
        assert title == data["title"]
        assert depth == (0 if data.get("parent") is None else 1)
    top = bundled_window.deck_manager.tree.topLevelItem(0)
    children = [d for d, data in files.items() if data.get("parent") == "metastasis"]
    assert top.text(0) == "Metastasis" and top.childCount() == len(children)
    assert bundled_window.library.problems == ()
    assert not bundled_window.problems_dock.isVisible()
    cards = sum(len(data.get("cards") or []) for data in files.values())  # type: ignore[arg-type]
    assert (
        bundled_window.summary.text()
        == f"{len(files)} decks and {cards} cards loaded from 2 folders"
    )


def test_the_first_start_opens_on_the_bundled_decks_with_a_welcome(
    bundled_window: MainWindow,
) -> None:
    assert bundled_window.overview.title.text() == "Metastasis"
    assert bundled_window.overview.welcome.isVisible()
    assert "Space" in bundled_window.overview.welcome.text.text()
    # a new collection: every deck offers today's new cards, up to the daily limit (20)
    new, learning, due = bundled_window.deck_manager.tree.counts_shown("metastasis")  # type: ignore[arg-type]
    assert (new, learning, due) == ("20", "0", "0")
    assert (bundled_window.data_dir / "decks").is_dir()


def test_selecting_a_bundled_deck_shows_its_cards(bundled_window: MainWindow) -> None:
    files = bundled_deck_files()
    deck_id = "metastasis-stages"
    assert bundled_window.deck_manager.select_deck(deck_id)  # type: ignore[arg-type]
    overview = bundled_window.overview
    assert overview.title.text() == files[deck_id]["title"]
    model = overview.table.model()
    ids = [model.index(row, CardColumn.ID).data() for row in range(model.rowCount())]
    assert ids == [card["id"] for card in files[deck_id]["cards"]]  # type: ignore[attr-defined]
    questions = [model.index(row, CardColumn.QUESTION).data() for row in range(model.rowCount())]
    assert all(questions) and not any("**" in q or "{{c" in q for q in questions)


def test_a_broken_deck_shows_its_problems_and_the_rest_still_loads(
    qtbot: QtBot, bundled_rig: WindowRig, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    (folder / "extra.yaml").write_text(GOOD_DECK, encoding="utf-8")
    bundled_rig.extra_folders = (folder,)
    with bundled_rig.window(qtbot) as main:
        assert main.problems_dock.isVisible()
        lines = main.problems.lines()
        assert any("broken.yaml:9:" in line and "frnt" in line for line in lines), lines
        assert main.problem_button.text().endswith("found") and main.problem_button.isEnabled()
        assert "extra-deck" in main.deck_manager.tree.deck_ids()
        assert "metastasis" in main.deck_manager.tree.deck_ids()
        assert main.deck_manager.select_deck("extra-deck")  # type: ignore[arg-type]
        model = main.overview.table.model()
        assert [model.index(r, CardColumn.QUESTION).data() for r in range(2)] == [
            "First question",
            "Cells […] nearby tissue.",
        ]


def test_open_deck_folder_adds_its_decks(bundled_window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "teacher"
    folder.mkdir()
    (folder / "extra.yaml").write_text(GOOD_DECK, encoding="utf-8")
    bundled_window.add_deck_folder(folder)
    assert bundled_window.overview.title.text() == "An extra deck"
    assert bundled_window.library.folders[-1] == folder.resolve()


def test_a_second_window_shows_the_engines_message_in_a_dialog_and_exits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    data_dir = tmp_path / "data"
    first = Collection.open(data_dir, FakeClock().now())
    try:
        assert run_app(args_for("--data-dir", str(data_dir))) == 1
    finally:
        first.close(FakeClock().now())
    assert len(shown) == 1 and "already open in another metaflash" in shown[0]
    assert "Close that window" in shown[0]


def test_a_second_instance_is_refused_with_the_engines_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    first = Collection.open(data_dir, FakeClock().now())
    try:
        code = run_app(
            args_for("--data-dir", str(data_dir), "--screenshot", str(tmp_path / "x.png"))
        )
    finally:
        first.close(FakeClock().now())
    assert code == 1
    assert "already open in another metaflash" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def args_for(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_screenshot_in_process_writes_a_png_of_the_window(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "data"
    for theme, colors in (("light", LIGHT), ("dark", DARK)):
        png = tmp_path / f"decks-{theme}.png"
        code = run_app(
            args_for("--data-dir", str(data_dir), "--screenshot", str(png), "--theme", theme)
        )
        assert code == 0
        image = QImage(str(png))
        assert (image.width(), image.height()) == (1280, 800)
        status_bar = image.pixelColor(640, 798)  # the status bar runs along the bottom
        expected_dark = theme == "dark"
        assert (status_bar.lightness() < 100) is expected_dark, (
            theme,
            status_bar.name(),
            colors.panel,
        )
    assert data_dir.is_dir()


def test_screenshot_to_an_unwritable_place_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "shot.png"
    assert run_app(args_for("--screenshot", str(missing))) == 1
    err = capsys.readouterr().err
    assert f"cannot write the screenshot to {missing}" in err and "does not exist" in err
    a_directory = tmp_path / "taken.png"
    a_directory.mkdir()
    assert run_app(args_for("--screenshot", str(a_directory))) == 1
    assert "Is a directory" in capsys.readouterr().err


def test_a_missing_deck_dir_or_bad_data_dir_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "shot.png"
    assert run_app(args_for("--deck-dir", str(tmp_path / "nope"), "--screenshot", str(png))) == 1
    assert f"--deck-dir {tmp_path / 'nope'}: no such folder" in capsys.readouterr().err
    a_file = tmp_path / "file"
    a_file.write_text("", encoding="utf-8")
    assert run_app(args_for("--data-dir", str(a_file / "data"), "--screenshot", str(png))) == 1
    assert "cannot create the data folder" in capsys.readouterr().err
    assert not png.exists()


def test_the_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "from-env"
    monkeypatch.setenv("METAFLASH_DATA_DIR", str(data_dir))
    assert run_app(args_for("--screenshot", str(tmp_path / "shot.png"))) == 0
    assert data_dir.is_dir()


@pytest.mark.slow
def test_screenshot_from_the_command_line(tmp_path: Path) -> None:
    png = tmp_path / "review.png"
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env["METAFLASH_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "metaflash",
            "--screenshot",
            str(png),
            "--view",
            "review",
            "--theme",
            "dark",
        ],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no Qt warnings either
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    assert (tmp_path / "data").is_dir()
    missing = subprocess.run(
        [sys.executable, "-m", "metaflash", "--screenshot", str(tmp_path / "none" / "x.png")],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1
    assert "cannot write the screenshot" in missing.stderr


@pytest.mark.parametrize(
    ("environ", "platform", "fails"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_a_window_needs_a_display_on_linux(
    environ: dict[str, str], platform: str, fails: bool
) -> None:
    if fails:
        with pytest.raises(StartupError, match="no display to open the window on"):
            check_display(environ, platform)
    else:
        check_display(environ, platform)


@pytest.mark.slow
def test_without_a_display_the_command_says_so(tmp_path: Path) -> None:
    hidden = ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    done = subprocess.run(
        [sys.executable, "-m", "metaflash"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no display to open the window on" in done.stderr
