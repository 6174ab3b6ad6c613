"""`metaflash init` and `metaflash schema --write-settings`: deck folders whose editor
settings and $schema lines point into the folder, so that moving it breaks nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metaflash.cli import main
from metaflash.core.editing.editor_setup import editor_settings, fix_modelines
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir, resources_dir


def test_init_makes_a_valid_folder_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "decks"
    assert main(["init", str(folder)]) == 0
    library = load_library([folder])
    assert library.problems == () and len(library.decks) == 1
    assert len(library.decks[0].cards) == 3
    for name in ("deck.schema.json", "diagram.schema.json"):
        copied = (folder / "schemas" / name).read_text()
        assert copied == (resources_dir() / "schema" / name).read_text()
    assert json.loads((folder / ".vscode" / "settings.json").read_text()) == editor_settings()
    assert "wrote" in capsys.readouterr().out
    assert main(["init", str(folder)]) == 1
    error = capsys.readouterr().err
    assert "already exists" in error and "schema --write-settings" in error


def test_write_settings_merges_and_fixes_only_broken_schema_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "course"
    (folder / ".vscode").mkdir(parents=True)
    (folder / ".vscode" / "settings.json").write_text(
        json.dumps({"editor.tabSize": 2, "yaml.schemas": {"other.json": ["x/*.yaml"]}})
    )
    (folder / "sub").mkdir()
    source = bundled_decks_dir() / "metastasis"
    stale = "# yaml-language-server: $schema=/old/site-packages/metaflash/deck.schema.json\n"
    deck_text = stale + (source / "overview.yaml").read_text().split("\n", 1)[1]
    (folder / "sub" / "overview.yaml").write_text(deck_text)
    diagram_text = (source / "metastatic-cascade.diagram.yaml").read_text()
    (folder / "sub" / "cascade.diagram.yaml").write_text(diagram_text)
    mine = "# yaml-language-server: $schema=../schemas/deck.schema.json\nformat: 1\n"
    (folder / "sub" / "fine.yaml").write_text(mine)

    assert main(["schema", "--write-settings", str(folder)]) == 0
    settings = json.loads((folder / ".vscode" / "settings.json").read_text())
    assert settings["editor.tabSize"] == 2
    assert settings["yaml.schemas"]["other.json"] == ["x/*.yaml"]
    assert settings["yaml.yamlVersion"] == "1.1"
    assert "./schemas/diagram.schema.json" in settings["yaml.schemas"]
    fixed = (folder / "sub" / "overview.yaml").read_text()
    assert fixed == deck_text.replace(
        stale, "# yaml-language-server: $schema=../schemas/deck.schema.json\n"
    )
    diagram = (folder / "sub" / "cascade.diagram.yaml").read_text().splitlines()[0]
    assert diagram == "# yaml-language-server: $schema=../schemas/diagram.schema.json"
    assert (folder / "sub" / "fine.yaml").read_text() == mine  # it already worked
    out = capsys.readouterr().out
    assert "overview.yaml" in out and "fine.yaml" not in out
    assert fix_modelines(folder) == []  # a second run changes nothing


def test_settings_with_comments_are_left_alone_and_the_user_is_told_what_to_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "course"
    (folder / ".vscode").mkdir(parents=True)
    commented = '{\n  // my settings\n  "editor.tabSize": 4\n}\n'
    (folder / ".vscode" / "settings.json").write_text(commented)
    assert main(["schema", "--write-settings", str(folder)]) == 1
    assert (folder / ".vscode" / "settings.json").read_text() == commented
    assert (folder / "schemas" / "deck.schema.json").is_file()  # the rest was done
    error = capsys.readouterr().err
    assert "not plain JSON" in error and '"yaml.yamlVersion": "1.1"' in error


def test_schema_says_where_the_schemas_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = [Path(line) for line in capsys.readouterr().out.split()]
    assert [path.name for path in printed] == ["deck.schema.json", "diagram.schema.json"]
    assert all(path.is_file() for path in printed)


def test_write_settings_needs_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--write-settings", str(tmp_path / "missing")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_a_new_deck_in_a_set_up_folder_names_the_folders_schema(tmp_path: Path) -> None:
    from metaflash.core.editing.new_files import schema_reference

    folder = tmp_path / "course"
    assert main(["init", str(folder)]) == 0
    (folder / "unit-2").mkdir()
    installed = resources_dir() / "schema" / "deck.schema.json"
    assert schema_reference(folder / "unit-2", installed) == "../schemas/deck.schema.json"
    assert schema_reference(folder, installed) == "schemas/deck.schema.json"
