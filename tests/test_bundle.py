"""The standalone bundle for people without Python: ``packaging/build-bundle`` makes a
PyInstaller one-folder build whose program answers ``--version``, validates the decks it
carries and renders the diagram view."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from metaflash import __version__

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, PYTHON=sys.executable)
    done = subprocess.run(
        [str(REPO / "packaging" / "build-bundle"), str(out)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    program = Path(done.stdout.strip().splitlines()[-1])
    assert program == out / "metaflash" / "metaflash" and program.is_file()
    return program


def run(program: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV")) and key != "PATH"
    }
    env.update(PATH="/usr/bin:/bin", QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(program), *args],
        env=env,
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_bundle_runs_without_python(bundle: Path, tmp_path: Path) -> None:
    version = run(bundle, tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"metaflash {__version__}"

    carried = bundle.parent / "_internal" / "metaflash" / "_bundled" / "decks"
    checked = run(bundle, tmp_path, "validate", str(carried))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "5 decks" in checked.stdout and "1 diagram; no problems" in checked.stdout

    shot = tmp_path / "diagram.png"
    data = tmp_path / "data"
    drawn = run(
        bundle,
        tmp_path,
        "--data-dir",
        str(data),
        "--view",
        "diagram",
        "--screenshot",
        str(shot),
        "--size",
        "1000x700",
    )
    assert drawn.returncode == 0, drawn.stderr
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1000, 700)
    assert (data / "collection.sqlite3").is_file()  # it opened the collection, as the app does
