"""The README stays true: its two quick-start commands, every command and option, its pictures."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from metaflash.cli import COMMANDS, build_parser
from metaflash.core.decks.model import DeckId
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    found = re.search(
        rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.DOTALL | re.MULTILINE
    )
    assert found, f"README.md has no '## {title}' section"
    return found.group(1)


def test_quick_start_opens_with_exactly_two_commands() -> None:
    quick_start = section("Quick start")
    blocks = re.findall(
        r"^```(?:sh|bash|console)?\n(.*?)\n```", quick_start, re.DOTALL | re.MULTILINE
    )
    assert len(blocks) == 2
    assert quick_start.lstrip().startswith("```")  # the commands come first
    install_and_open, install_and_test = (block.strip() for block in blocks)
    assert "\n" not in install_and_open and "\n" not in install_and_test
    assert "pip install . " in install_and_open and install_and_open.endswith("metaflash")
    assert "pip install '.[test]'" in install_and_test and install_and_test.endswith("-m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = REPO / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    script = ci.read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert "## Quick start" in script and "commands[1]" in script
    assert "status == 5" in script  # pytest's "no tests ran" fails CI


def subcommand_names() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(actions[0].choices)


def test_every_command_and_option_is_documented() -> None:
    names = subcommand_names()
    assert len(names) == len(COMMANDS)
    command_line = section("Command line")
    for name in names:
        assert f"`metaflash {name}" in command_line, f"README.md does not document '{name}'"
    options = [
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    assert "--screenshot" in options and "--card" in options
    for option in options:
        assert f"`{option}" in command_line, f"README.md does not document {option}"


def test_the_pictures_exist() -> None:
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures
    for picture in pictures:
        assert (REPO / picture).is_file(), picture


def test_the_example_deck_is_valid_beside_the_bundled_decks(tmp_path: Path) -> None:
    example = re.search(r"^```yaml\n(.*?)^```", README, re.DOTALL | re.MULTILINE)
    assert example, "README.md shows no example deck"
    (tmp_path / "example.yaml").write_text(example.group(1), encoding="utf-8")
    library = load_library([bundled_decks_dir(), tmp_path])
    assert library.problems == ()
    deck = library.deck(DeckId("my-metastasis-notes"))
    assert deck is not None and deck.parent == "metastasis"
    assert [card.type.value for card in deck.cards] == ["basic", "sequence"]
