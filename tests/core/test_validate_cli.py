"""`metaflash validate`: compiler-style problems, a summary, JSON, and exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metaflash import cli
from metaflash.core.util import paths

DIAGRAM = """\
format: 1
kind: diagram
id: cascade
title: Cascade
steps:
  - {id: invasion, label: Invasion, order: 1, position: {x: 10, y: 20}}
"""
GOOD = """\
format: 1
id: good
title: Good
diagram: cascade.diagram.yaml
cards:
  - {id: one, front: Q, back: A, stage: invasion}
  - {id: two, type: reverse, front: Q, back: A}
"""
BAD = """\
format: 1
id: bad
title: Bad
cards:
  - id: one
    fornt: Q
    back: A
  - {id: two, front: Q, back: 42}
"""


@pytest.fixture(autouse=True)
def no_bundled_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled decks (known parents) come from a folder of the test's own."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "top.yaml").write_text("format: 1\nid: bundled-top\ntitle: Top\ncards: []\n")
    monkeypatch.setattr(paths, "bundled_decks_dir", lambda: bundled)
    return bundled


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "decks"
    root.mkdir()
    (root / "cascade.diagram.yaml").write_text(DIAGRAM)
    (root / "good.yaml").write_text(GOOD)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["validate", *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_validate_is_a_registered_command() -> None:
    assert "validate" in {name for name, _, _ in cli.COMMANDS}
    assert "validate" in cli.build_parser().format_help()


def test_a_valid_folder_exits_0_with_a_summary(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    code, out = run(capsys, str(folder))
    assert code == 0
    assert out == "checked 2 files: 1 deck, 2 cards, 1 diagram; no problems\n"


def test_problems_are_printed_compiler_style(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "bad.yaml").write_text(BAD)
    monkeypatch.chdir(folder.parent)
    code, out = run(capsys, "decks")
    assert code == 1
    bad = os.path.join("decks", "bad.yaml")
    assert out.splitlines() == [
        f"{bad}:6:5: error: unknown field 'fornt' in card 'one' (basic type) (did you mean 'front'?)",
        f"{bad}:8:31: error: 'back' must be text, not a number (42) (put it in quotes: back: \"42\")",
        "checked 3 files: 1 deck, 2 cards, 1 diagram; 2 errors",
    ]


def test_a_missing_path_is_an_error_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.yaml"
    code, out = run(capsys, str(missing))
    assert code == 1
    assert out.splitlines() == [
        f"{missing}:1:1: error: no such file or folder (check the path)",
        "checked 0 files: 0 decks, 0 cards, 0 diagrams; 1 error",
    ]


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["validate"])
    assert stop.value.code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err


def test_an_unknown_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["validate", "--jsn", str(folder)])
    assert stop.value.code == 2
    capsys.readouterr()


def test_bundled_decks_count_as_parents(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("format: 1\nid: child\ntitle: Child\nparent: bundled-top\ncards: []\n")
    assert run(capsys, str(child)) == (
        0,
        "checked 1 file: 1 deck, 0 cards, 0 diagrams; no problems\n",
    )
    child.write_text("format: 1\nid: child\ntitle: Child\nparent: bundled-tap\ncards: []\n")
    code, out = run(capsys, str(child))
    assert code == 1 and "(did you mean 'bundled-top'?)" in out


def test_json_output_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "bad.yaml").write_text(BAD)
    code, out = run(capsys, "--json", str(folder))
    assert code == 1
    data = json.loads(out)
    assert data["format"] == 1
    assert data["summary"] == {
        "files": 3,
        "decks": 1,
        "diagrams": 1,
        "cards": 2,
        "errors": 2,
        "warnings": 0,
        "valid": False,
    }
    first = data["problems"][0]
    assert first == {
        "file": str(folder / "bad.yaml"),
        "line": 6,
        "column": 5,
        "severity": "error",
        "message": "unknown field 'fornt' in card 'one' (basic type)",
        "hint": "did you mean 'front'?",
    }
    assert data["problems"][1]["line"] == 8


def test_json_output_of_a_valid_folder(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out = run(capsys, "--json", str(folder))
    assert code == 0
    data = json.loads(out)
    assert data["problems"] == [] and data["summary"]["valid"] is True


def test_the_installed_command_runs(folder: Path) -> None:
    """The real entry point in a fresh process (what users and editors run)."""
    (folder / "bad.yaml").write_text(BAD)
    done = subprocess.run(
        [sys.executable, "-m", "metaflash", "validate", str(folder / "bad.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "bad.yaml:6:5: error: unknown field 'fornt'" in done.stdout
    assert done.stdout.splitlines()[-1] == "checked 1 file: 0 decks, 0 cards, 0 diagrams; 2 errors"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """``metaflash validate --json decks | head``: more output than a pipe holds, and a
    reader that closes it after the first bytes."""
    import subprocess
    import sys

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(300):
        (folder / f"deck-{number}.yaml").write_text(
            f"format: 1\nid: deck-{number}\ntitle: Deck {number}\ncards:\n"
            + "".join(f"  - {{id: c{i}, fornt: Q, back: A}}\n" for i in range(10)),
            encoding="utf-8",
        )
    with subprocess.Popen(
        [sys.executable, "-m", "metaflash", "validate", "--json", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()  # as head does
        errors = process.stderr.read().decode()
        process.wait(timeout=120)
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
