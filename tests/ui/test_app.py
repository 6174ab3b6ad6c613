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

from metaflash.cli import build_parser
from metaflash.core import paths
from metaflash.ui.app import StartupError, build_main_window, check_display, deck_folders, run_app
from metaflash.ui.card_table import CardColumn
from metaflash.ui.main_window import MainWindow
from metaflash.ui.theme import DARK, LIGHT

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


def tree_titles_and_counts(main: MainWindow) -> dict[str, tuple[str, int, int]]:
    """deck id -> (title, own cards, cards with sub-decks) as the tree shows them."""
    tree = main.deck_browser.tree
    shown: dict[str, tuple[str, int, int]] = {}
    for deck_id in tree.deck_ids():
        tree.select_deck(deck_id)
        item = tree.currentItem()
        deck = main.library.deck(deck_id)
        assert deck is not None
        shown[deck_id] = (item.text(0), len(deck.cards), int(item.text(1)))
    return shown


@pytest.fixture
def bundled_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    main = build_main_window(deck_folders(None), tmp_path / "data")
    qtbot.addWidget(main)
    main.show()
    return main


def test_the_window_lists_the_bundled_decks(bundled_window: MainWindow) -> None:
    files = bundled_deck_files()
    assert len(files) >= 2, "decks/ should hold the bundled decks"
    shown = tree_titles_and_counts(bundled_window)
    assert set(shown) == set(files)
    for deck_id, data in files.items():
        title, own, _total = shown[deck_id]
        assert title == data["title"]
        assert own == len(data.get("cards") or [])  # type: ignore[arg-type]
    children = {d: [c for c, data in files.items() if data.get("parent") == d] for d in files}
    for deck_id, (_title, own, total) in shown.items():
        assert total == own + sum(shown[child][2] for child in children[deck_id])
    assert shown["metastasis"][0] == "Metastasis"
    top = bundled_window.deck_browser.tree.topLevelItem(0)
    assert top.text(0) == "Metastasis" and top.childCount() == len(children["metastasis"])
    assert bundled_window.library.problems == ()
    assert not bundled_window.problems_dock.isVisible()
    cards = sum(len(data.get("cards") or []) for data in files.values())  # type: ignore[arg-type]
    assert (
        bundled_window.summary.text()
        == f"{len(files)} decks and {cards} cards loaded from 1 folder"
    )


def test_selecting_a_bundled_deck_shows_its_cards(bundled_window: MainWindow) -> None:
    files = bundled_deck_files()
    deck_id = "metastasis-stages"
    assert bundled_window.deck_browser.select_deck(deck_id)  # type: ignore[arg-type]
    detail = bundled_window.deck_browser.detail
    assert detail.title.text() == files[deck_id]["title"]
    model = detail.table.model()
    ids = [model.index(row, CardColumn.ID).data() for row in range(model.rowCount())]
    assert ids == [card["id"] for card in files[deck_id]["cards"]]  # type: ignore[attr-defined]
    questions = [model.index(row, CardColumn.QUESTION).data() for row in range(model.rowCount())]
    assert all(questions) and not any("**" in q or "{{c" in q for q in questions)


def test_a_broken_deck_shows_its_problems_and_the_rest_still_loads(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    (folder / "extra.yaml").write_text(GOOD_DECK, encoding="utf-8")
    main = build_main_window(deck_folders([str(folder)]), tmp_path / "data")
    qtbot.addWidget(main)
    main.show()
    assert main.problems_dock.isVisible()
    lines = main.problems.lines()
    assert any("broken.yaml:9:" in line and "frnt" in line for line in lines), lines
    assert main.problem_button.text().endswith("found") and main.problem_button.isEnabled()
    assert "extra-deck" in main.deck_browser.tree.deck_ids()
    assert "metastasis" in main.deck_browser.tree.deck_ids()
    assert main.deck_browser.select_deck("extra-deck")  # type: ignore[arg-type]
    model = main.deck_browser.detail.table.model()
    assert [model.index(r, CardColumn.QUESTION).data() for r in range(2)] == [
        "First question",
        "Cells […] nearby tissue.",
    ]


def test_open_deck_folder_adds_its_decks(bundled_window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "teacher"
    folder.mkdir()
    (folder / "extra.yaml").write_text(GOOD_DECK, encoding="utf-8")
    bundled_window.add_deck_folder(folder)
    assert bundled_window.deck_browser.detail.title.text() == "An extra deck"
    assert bundled_window.library.folders[-1] == folder.resolve()


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
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no display to open the window on" in done.stderr
