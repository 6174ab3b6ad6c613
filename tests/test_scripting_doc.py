"""docs/scripting.md: its example runs as written, through metaflash.core's public names."""

from __future__ import annotations

import re
import runpy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import metaflash.core
from metaflash.core.collection.store import Collection

DOC = Path(__file__).resolve().parents[1] / "docs" / "scripting.md"


def example() -> str:
    blocks = re.findall(
        r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE
    )
    assert len(blocks) == 1
    return str(blocks[0])


def test_every_public_name_resolves_and_the_table_lists_the_main_ones() -> None:
    for name in metaflash.core.__all__:
        assert getattr(metaflash.core, name) is not None, name
    text = DOC.read_text(encoding="utf-8")
    for name in ("load_library", "Collection.open", "reconcile_library", "ReviewSession"):
        assert f"`{name}" in text


def test_the_example_studies_three_cards(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(example(), encoding="utf-8")
    namespace: dict[str, Any] = runpy.run_path(str(script), run_name="scripting_example")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    asked = namespace["study_three_cards"](tmp_path / "data", now)
    assert len(asked) == 3 and all(question.strip() for question in asked)
    collection = Collection.open_read_only(tmp_path / "data")
    try:
        assert collection.review_count() == 3  # three answers on disk
    finally:
        collection.db.close()


def test_the_public_names_are_the_ones_the_package_maps() -> None:
    assert metaflash.core.__all__ == sorted(metaflash.core._WHERE)
    assert set(dir(metaflash.core)) >= set(metaflash.core.__all__)
