"""Opening a deck file at a line: which editors get a line, and the desktop for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.ui.shell.open_in_editor import editor_command

FILE = Path("/decks/stages.yaml")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"VISUAL": "code"}, ["code", "-g", "/decks/stages.yaml:12"]),
        ({"VISUAL": "code --wait"}, ["code", "-g", "/decks/stages.yaml:12"]),
        ({"EDITOR": "/usr/bin/gedit"}, ["/usr/bin/gedit", "+12", "/decks/stages.yaml"]),
        ({"EDITOR": "kate"}, ["kate", "--line", "12", "/decks/stages.yaml"]),
        ({"EDITOR": "subl -n"}, ["subl", "-n", "/decks/stages.yaml:12"]),
        ({"VISUAL": "vim", "EDITOR": "gvim"}, ["gvim", "+12", "/decks/stages.yaml"]),
        ({"VISUAL": "vim"}, None),  # a terminal editor: the desktop opens the file
        ({"EDITOR": "nano"}, None),
        ({}, None),
        ({"VISUAL": "'unclosed"}, None),
    ],
)
def test_editor_command(environ: dict[str, str], expected: list[str] | None) -> None:
    assert editor_command(FILE, 12, environ) == expected
