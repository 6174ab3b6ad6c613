"""A deck folder that editors understand: the JSON Schemas copied into it, the settings that
map its files to them (``.vscode/settings.json``, read by VS Code and any editor that runs
yaml-language-server), and ``$schema`` lines that point into the folder, so that moving the
folder or reinstalling metaflash breaks nothing. Used by ``metaflash init`` and
``metaflash schema --write-settings``."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from metaflash.core.editing.new_files import SCHEMA_COMMENT
from metaflash.core.util import paths
from metaflash.core.util.atomic_file import write_text_atomically

SCHEMA_FOLDER: Final = "schemas"
SCHEMAS: Final = ("deck.schema.json", "diagram.schema.json")
SETTINGS: Final = Path(".vscode") / "settings.json"
#: YAML 1.1, as metaflash reads decks: ``front: yes`` is a yes/no value, not text, and the
#: editor says so as ``metaflash validate`` does (YAML 1.2 would take it for text silently).
YAML_VERSION: Final = "1.1"
_MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<target>\S+)[ \t]*$", re.MULTILINE)
_DIAGRAM_KIND = re.compile(r"^kind:[ \t]*diagram[ \t]*(?:#.*)?$", re.MULTILINE)

EXAMPLE_NAME: Final = "my-deck.yaml"
EXAMPLE_DECK: Final = f"""{SCHEMA_COMMENT}{SCHEMA_FOLDER}/deck.schema.json
#
# An example deck: change it, or copy it to start another. The format is described in
# `metaflash`'s Help › Deck Format (docs/deck-format.md); `metaflash validate .` checks the
# folder, and an editor with the YAML extension checks as you type.
format: 1
id: my-deck
title: My deck
description: >-
  What these cards are about. Give each card an id of its own: a student's progress is
  stored under it, so keep it when you edit the card.
cards:
  - id: first-card
    type: basic
    front: A question, in **Markdown**
    back: Its answer
    tags: [example]

  - id: both-ways
    type: reverse
    front: A term
    back: What it means (studied in both directions)

  - id: a-gap
    type: cloze
    text: >-
      A cloze card hides each {{{{c1::gap}}}} in turn; a second {{{{c2::gap}}}} is a
      second prompt.
"""


class SettingsNotMerged(Exception):
    """The folder's settings file exists but is not plain JSON (comments, say): metaflash
    will not rewrite it; :attr:`wanted` is what to add by hand."""

    def __init__(self, path: Path, wanted: dict[str, object], report: SetupReport) -> None:
        super().__init__(f"{path} is not plain JSON (comments?), so it was left as it is")
        self.path = path
        self.wanted = wanted
        self.report = report  # what was done all the same


@dataclass(slots=True)
class SetupReport:
    """What setting a folder up wrote or changed."""

    written: list[Path] = field(default_factory=list)
    modelines: list[Path] = field(default_factory=list)  # files whose $schema line was fixed


def editor_settings() -> dict[str, object]:
    """The settings, relative to the folder: decks to the deck schema, diagrams to theirs."""
    deck, diagram = (f"./{SCHEMA_FOLDER}/{name}" for name in SCHEMAS)
    return {
        "yaml.schemas": {
            deck: ["**/*.yaml", "**/*.yml", "!**/*.diagram.yaml", "!**/*.diagram.yml"],
            diagram: ["**/*.diagram.yaml", "**/*.diagram.yml"],
        },
        "yaml.yamlVersion": YAML_VERSION,
        "yaml.validate": True,
    }


def init_folder(folder: Path) -> SetupReport:
    """A new deck folder: the example deck, the schemas and the editor settings. The folder
    may exist only if it is empty; ``FileExistsError`` otherwise (nothing is replaced)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} already exists and is not an empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    report = SetupReport()
    example = folder / EXAMPLE_NAME
    write_text_atomically(example, EXAMPLE_DECK)
    report.written.append(example)
    write_settings(folder, report)
    return report


def write_settings(folder: Path, report: SetupReport | None = None) -> SetupReport:
    """Copy the schemas into ``folder``, merge the editor settings into its
    ``.vscode/settings.json`` (other settings are kept) and point every ``$schema`` line that
    leads nowhere, or out of the folder, at the copies."""
    report = report or SetupReport()
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    target = folder / SCHEMA_FOLDER
    target.mkdir(exist_ok=True)
    for name in SCHEMAS:
        text = (paths.resources_dir() / "schema" / name).read_text(encoding="utf-8")
        path = target / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text_atomically(path, text)
            report.written.append(path)
    settings = folder / SETTINGS
    merged = _merged_settings(settings)
    if merged is not None:
        settings.parent.mkdir(exist_ok=True)
        write_text_atomically(settings, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        report.written.append(settings)
    report.modelines.extend(fix_modelines(folder))
    if merged is None:
        raise SettingsNotMerged(settings, editor_settings(), report)
    return report


def _merged_settings(path: Path) -> dict[str, object] | None:
    wanted = editor_settings()
    if not path.exists():
        return wanted
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(current, dict):
        return None
    schemas = current.get("yaml.schemas")
    mapped = dict(schemas) if isinstance(schemas, dict) else {}
    mapped.update(wanted["yaml.schemas"])  # type: ignore[call-overload]
    return {**current, **wanted, "yaml.schemas": mapped}


def fix_modelines(folder: Path) -> list[Path]:
    """Point the ``$schema`` line of each deck and diagram file in ``folder`` at the folder's
    copy of its schema, where the line leads to no file or out of the folder (into an old
    install, say). Only that line changes; the files that changed."""
    schemas = (folder / SCHEMA_FOLDER).resolve()
    changed = []
    for path in sorted(_yaml_files(folder)):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # metaflash validate reports what is wrong with it
        found = _MODELINE.search(text, 0, 2000)
        if found is None:
            continue
        current = (path.parent / found["target"]).resolve()
        if current.is_file() and current.is_relative_to(folder.resolve()):
            continue
        diagram = path.name.endswith((".diagram.yaml", ".diagram.yml")) or bool(
            _DIAGRAM_KIND.search(text)
        )
        schema = schemas / SCHEMAS[1 if diagram else 0]
        relative = Path(os.path.relpath(schema, path.parent.resolve())).as_posix()
        line = f"{SCHEMA_COMMENT}{relative}"
        write_text_atomically(path, text[: found.start()] + line + text[found.end() :])
        changed.append(path)
    return changed


def _yaml_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / f for f in files if f.endswith((".yaml", ".yml")))
    return found
