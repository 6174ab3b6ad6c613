"""The core never imports Qt: every module of metaflash.core imports with PySide6 blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import metaflash.core

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None
sys.meta_path.insert(0, BlockQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 was imported"
print("imported", len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    root = Path(metaflash.core.__file__).parent
    return ["metaflash.core"] + [
        f"metaflash.core.{info.name}" for info in pkgutil.walk_packages([str(root)])
    ]


def test_every_core_module_imports_without_qt() -> None:
    modules = core_modules()
    assert "metaflash.core.deck_model" in modules
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *modules], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"imported {len(modules)}"


def test_the_blocker_really_blocks_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, "PySide6.QtCore"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "Qt is blocked" in done.stderr
