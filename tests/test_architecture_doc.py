"""docs/architecture.md names real modules: every ``core/...`` and ``ui/...`` path in it
exists, and every package of metaflash appears in its table of layers."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"


def test_every_module_the_walk_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:core|ui)/[\w/]+(?:\.py)?/?)`", text))
    assert len(named) > 30
    missing = [path for path in sorted(named) if not (ROOT / "metaflash" / path).exists()]
    assert missing == []


def test_every_package_is_in_the_table_of_layers() -> None:
    text = DOC.read_text(encoding="utf-8")
    packages = {
        str(init.parent.relative_to(ROOT / "metaflash")) + "/"
        for init in (ROOT / "metaflash").glob("*/*/__init__.py")
    }
    assert {"core/decks/", "ui/shell/"} <= packages
    assert [package for package in sorted(packages) if f"`{package}`" not in text] == []
