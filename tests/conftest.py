"""Suite-wide set-up: every user directory points into the test's own tmp_path.

Qt is never imported here, so that ``tests/core`` runs with PySide6 absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads or writes the real home, config or data folders."""
    home = tmp_path / "home"
    for sub in ("data", "config", "cache", "state", "runtime"):
        (home / sub).mkdir(parents=True)
    (home / "runtime").chmod(0o700)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "runtime"))
    monkeypatch.setenv("METAFLASH_DATA_DIR", str(home / "data" / "metaflash"))
    yield home


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def metastasis_decks(tmp_path: Path) -> Path:
    """A copy of the bundled metastasis decks, to change and to load."""
    from metaflash.core.util.paths import bundled_decks_dir

    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    return folder
