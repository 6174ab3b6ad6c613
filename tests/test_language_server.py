"""The JSON Schemas in a real editor: yaml-language-server (what VS Code's YAML extension
runs) with the settings `metaflash init` writes finds nothing wrong in the bundled files,
and flags the same lines as `metaflash validate` on a table of broken decks, with readable
messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from metaflash.core.util.paths import bundled_decks_dir
from tests.yaml_ls_client import YamlLanguageServer, server_command

pytestmark = pytest.mark.slow


def metaflash(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metaflash", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, METAFLASH_DATA_DIR=os.devnull),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("editor") / "my-decks"
    done = metaflash("init", str(made))
    assert done.returncode == 0, done.stderr
    return made


def settings_of(folder: Path) -> dict[str, Any]:
    """What VS Code sends the server from the folder's .vscode/settings.json."""
    saved = json.loads((folder / ".vscode" / "settings.json").read_text())
    return {
        "schemas": saved["yaml.schemas"],
        "yamlVersion": saved["yaml.yamlVersion"],
        "validate": saved["yaml.validate"],
    }


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[YamlLanguageServer]:
    command = server_command()
    if command is None:  # .ci/run installs it from npm: in CI, missing is a failure
        missing = "yaml-language-server is not installed (see .ci/run)"
        pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
    client = YamlLanguageServer(command, folder, settings_of(folder))
    yield client
    client.close()


def lines(diagnostics: list[dict[str, Any]]) -> set[int]:
    return {d["range"]["start"]["line"] + 1 for d in diagnostics}


def test_the_example_deck_and_the_bundled_files_have_nothing_to_flag(
    server: YamlLanguageServer, folder: Path, tmp_path: Path
) -> None:
    assert server.diagnostics(folder / "my-deck.yaml") == []
    # the bundled decks and diagram, inside the folder: matched by the settings' globs
    copy = folder / "bundled"
    copy.mkdir(exist_ok=True)
    for path in sorted(bundled_decks_dir().rglob("*.yaml")):
        text = path.read_text(encoding="utf-8").split("\n", 1)[1]  # without its $schema line
        (copy / path.name).write_text(text, encoding="utf-8")
    for path in sorted(copy.glob("*.yaml")):
        assert server.diagnostics(path) == [], path.name


BASE = """\
format: 1
id: broken
title: A deck with one mistake
sources:
  - id: note
    title: A note
    url: https://example.org/note
licence: CC-BY-4.0
cards:
  - id: first
    front: What is asked
    back: What is answered
    tags: [one, two]
"""

CASES = {
    "unknown field": ("    front: What is asked", "    fornt: What is asked"),
    "yes is not text": ("    front: What is asked", "    front: yes"),
    "a yes tag": ("    tags: [one, two]", "    tags: [one, yes]"),
    "missing back": ("    back: What is answered\n", ""),
    "bad id": ("  - id: first", "  - id: First-Card"),
    "licence twice": ("licence: CC-BY-4.0", "licence: CC-BY-4.0\nlicense: MIT"),
    "empty front": ("    front: What is asked", '    front: ""'),
    "not a web address": ("url: https://example.org/note", "url: example.org/note"),
    "an octal-looking answer": ("    back: What is answered", "    back: 0o17"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_editor_and_validate_flag_the_same_lines(
    server: YamlLanguageServer, folder: Path, case: str
) -> None:
    old, new = CASES[case]
    path = folder / f"{case.replace(' ', '-')}.yaml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    found = server.diagnostics(path)
    done = metaflash("validate", "--json", str(path))
    problems = json.loads(done.stdout)["problems"]
    validate_lines = {p["line"] for p in problems}
    card_starts = {i for i, line in enumerate(path.read_text().splitlines(), 1) if "- id:" in line}
    if case == "an octal-looking answer":  # text to both in YAML 1.1, as metaflash reads it
        assert found == [] and problems == []
        return
    assert found and problems, (found, problems)
    editor_lines = lines(found)
    assert validate_lines <= editor_lines, (found, problems)
    # beyond those, the editor may only add "Missing property" at the card's first line,
    # beside validate's "unknown field ... (did you mean ...)"
    for diagnostic in found:
        line = diagnostic["range"]["start"]["line"] + 1
        assert line in validate_lines or (
            line in card_starts and diagnostic["message"].startswith("Missing property")
        ), (diagnostic, problems)
    for diagnostic in found:  # readable words, never a raw regular expression
        assert "^" not in diagnostic["message"] and "\\S" not in diagnostic["message"]


def test_licence_twice_is_said_on_the_second_key(server: YamlLanguageServer, folder: Path) -> None:
    path = folder / "both-licences.yaml"
    path.write_text(BASE.replace("licence: CC-BY-4.0", "licence: CC-BY-4.0\nlicense: MIT"))
    (diagnostic,) = server.diagnostics(path)
    assert diagnostic["range"]["start"]["line"] + 1 == 9  # the license line
    assert "either `licence` or `license`" in diagnostic["message"]


def test_a_moved_folder_keeps_working(server: YamlLanguageServer, folder: Path) -> None:
    # the settings and the $schema line are relative: nothing points into the install
    settings = (folder / ".vscode" / "settings.json").read_text()
    assert "site-packages" not in settings and str(folder) not in settings
    first = (folder / "my-deck.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=schemas/deck.schema.json"


def test_hover_explains_a_field_and_completion_offers_the_card_fields(
    server: YamlLanguageServer, folder: Path
) -> None:
    path = folder / "hover.yaml"
    path.write_text(BASE, encoding="utf-8")
    hover = server.ask("textDocument/hover", path, 10, 6)  # on "front"
    assert isinstance(hover, dict)
    assert "question" in json.dumps(hover["contents"]).lower()
    path.write_text(BASE + "  - id: second\n    \n", encoding="utf-8")
    completion = server.ask("textDocument/completion", path, 14, 4)
    items = completion["items"] if isinstance(completion, dict) else completion
    labels = {item["label"] for item in items or []}
    assert {"front", "back", "type", "tags"} <= labels, labels
