"""A plain (non-editable) install finds its bundled decks, resources and docs from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROBE = """
import json, metaflash
from metaflash.core.util import paths
print(json.dumps({
    "package": metaflash.__file__,
    "decks": str(paths.bundled_decks_dir()),
    "resources": str(paths.resources_dir()),
    "docs": str(paths.bundled_docs_dir()),
}))
"""


def relative_files(folder: Path, pattern: str) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob(pattern) if path.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, repo_root_path: Path) -> Path:
    """metaflash built as a wheel and installed into a folder of its own (no dependencies)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(repo_root_path),
        ],
        check=False,
        cwd=target,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


@pytest.fixture(scope="module")
def repo_root_path() -> Path:
    return Path(__file__).resolve().parent.parent


def run_installed(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(installed), PYTHONNOUSERSITE="1")
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_installed_package_finds_its_bundled_files(
    installed: Path, repo_root_path: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_installed(installed, elsewhere, "-c", PROBE)
    assert done.returncode == 0, done.stderr
    found = {key: Path(value) for key, value in json.loads(done.stdout).items()}
    for key, path in found.items():
        assert path.is_relative_to(installed), f"{key} comes from {path}, not the install"
    bundled = installed / "metaflash" / "_bundled"
    assert found["decks"] == bundled / "decks"
    assert found["resources"] == bundled / "resources"

    shipped_decks = relative_files(repo_root_path / "decks", "*.y*ml")
    assert shipped_decks, "the checkout has no decks to ship"
    assert relative_files(found["decks"], "*.y*ml") == shipped_decks
    schemas = relative_files(found["resources"] / "schema", "*.json")
    assert schemas == relative_files(repo_root_path / "resources" / "schema", "*.json")
    assert schemas, "resources/schema holds no JSON Schema"
    assert (found["resources"] / "icons" / "metaflash.svg").is_file()
    assert (found["docs"] / "deck-format.md").read_text(encoding="utf-8") == (
        repo_root_path / "docs" / "deck-format.md"
    ).read_text(encoding="utf-8")


def test_the_installed_command_line_runs(installed: Path, tmp_path: Path) -> None:
    from metaflash import __version__

    done = run_installed(installed, tmp_path, "-m", "metaflash", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"metaflash {__version__}"
