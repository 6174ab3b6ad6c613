"""The core never imports Qt: every module of metaflash.core imports with PySide6 blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    """Every module and package under metaflash.core, sub-packages included."""
    return ["metaflash.core"] + [
        info.name
        for info in pkgutil.walk_packages(metaflash.core.__path__, prefix="metaflash.core.")
    ]


def test_every_core_module_imports_without_qt() -> None:
    modules = core_modules()
    assert "metaflash.core.decks.model" in modules
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *modules],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"imported {len(modules)}"


def test_the_blocker_really_blocks_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, "PySide6.QtCore"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "Qt is blocked" in done.stderr


RUN_WITHOUT_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6", "pytestqt")):
            raise ImportError(f"Qt is blocked in this run: {name}")
        return None
sys.meta_path.insert(0, BlockQt())
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_the_whole_core_suite_passes_with_qt_blocked(tmp_path: Path) -> None:
    """The core lane of STYLE.md: tests/core run with PySide6 unimportable."""
    core_tests = Path(__file__).parent
    done = subprocess.run(
        [
            sys.executable, "-c", RUN_WITHOUT_QT, "-q", "-p", "no:pytest-qt",
            "-p", "no:cacheprovider", "-o", "addopts=", "-W", "ignore::pytest.PytestConfigWarning",
            "--basetemp", str(tmp_path / "run"), "-k", "not core_suite_passes_with_qt_blocked",
            str(core_tests),
        ],
        check=False, capture_output=True, text=True, timeout=600, cwd=core_tests.parent.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
