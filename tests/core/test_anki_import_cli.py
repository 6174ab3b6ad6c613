"""``metaflash export`` and ``metaflash import``: messages, exit codes, files."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from metaflash.commands import export, import_
from tests.core.engine_testing import Clock
from tests.core.interop_support import files_under, load_valid, make_anki_package


def run(argv: list[str]) -> int:
    """Run one of the two commands as ``metaflash`` would (same parsers, same functions)."""
    parser = argparse.ArgumentParser(prog="metaflash")
    subparsers = parser.add_subparsers(dest="command")
    export.register(subparsers)
    import_.register(subparsers)
    args = parser.parse_args(argv)
    args.clock = Clock()
    result: int = args.func(args)
    return result


def test_both_commands_are_registered_in_the_cli() -> None:
    from metaflash.cli import COMMANDS

    names = {name: module for name, module, _ in COMMANDS}
    assert names["export"] == "export" and names["import"] == "import_"


def test_export_the_bundled_decks_and_import_them_back(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["export", str(repo_root / "decks"), "-o", str(tmp_path / "decks.apkg")]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("exported ") and said.out.rstrip().endswith("decks.apkg")
    assert said.err == ""
    (tmp_path / "back").mkdir()
    assert (
        run(["import", str(tmp_path / "decks.apkg"), "-o", str(tmp_path / "back" / "all.yaml")])
        == 0
    )
    said = capsys.readouterr()
    assert said.out.startswith("imported ")
    library = load_valid(tmp_path / "back")
    assert library.card_count > 0


def test_export_csv(repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", str(repo_root / "decks"), "-o", str(tmp_path / "decks.csv")]) == 0
    assert (tmp_path / "decks.csv").read_text().startswith("#separator:Comma\n")
    assert "exported" in capsys.readouterr().out


def test_export_reports_deck_errors_compiler_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text(
        "format: 1\nid: bad\ntitle: Bad\ncards:\n  - id: x\n    front: only\n"
    )
    assert run(["export", str(tmp_path / "bad.yaml"), "-o", str(tmp_path / "out.apkg")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad.yaml'}:5:" in err and "error:" in err
    assert "nothing was written" in err
    assert not (tmp_path / "out.apkg").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        run(["export", str(tmp_path), "-o", str(tmp_path / "out.zip")])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        run(["import", str(tmp_path / "x.apkg"), "-o", str(tmp_path / "out.json")])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        run(["import", str(tmp_path / "x.apkg")])
    assert stop.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_import_errors_are_printed_with_a_hint_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "fake.apkg").write_bytes(b"not a zip")
    (tmp_path / "out").mkdir()
    assert (
        run(["import", str(tmp_path / "fake.apkg"), "-o", str(tmp_path / "out" / "deck.yaml")]) == 1
    )
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path / 'fake.apkg'}:1:1: error: not a zip archive")
    assert "(export the deck again from Anki" in err
    assert files_under(tmp_path / "out") == []


def test_import_a_real_anki_package_prints_warnings_and_writes_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("anki", reason="Anki's library is a test dependency (the 'test' extra)")
    package = make_anki_package(tmp_path / "anki")
    (tmp_path / "out").mkdir()
    assert run(["import", str(package), "-o", str(tmp_path / "out" / "bio.yaml")]) == 0
    said = capsys.readouterr()
    assert "warning: note type 'Vocabulary'" in said.err
    assert "imported 5 cards into 2 decks and 1 media file" in said.out
    assert files_under(tmp_path / "out") == [
        "bio.yaml",
        "biology-cells.yaml",
        "media",
        "media/cell.png",
    ]
    existing = (tmp_path / "out" / "bio.yaml").read_text()
    (tmp_path / "out" / "other.yaml").write_text("format: 1\nid: other\ntitle: Other\ncards: []\n")
    assert run(["import", str(package), "-o", str(tmp_path / "out" / "other.yaml")]) == 1
    assert "already exists and is not the deck 'biology'" in capsys.readouterr().err
    assert (tmp_path / "out" / "bio.yaml").read_text() == existing


def test_import_csv_by_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cards.tsv").write_text("Front\tBack\nWhat is a tumour?\tA mass of cells\n")
    (tmp_path / "out").mkdir()
    assert (
        run(["import", str(tmp_path / "cards.tsv"), "-o", str(tmp_path / "out" / "cards.yaml")])
        == 0
    )
    assert "imported 1 card into 1 deck:" in capsys.readouterr().out
    load_valid(tmp_path / "out")
