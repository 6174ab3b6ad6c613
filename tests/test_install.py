"""metaflash as students install it: ``python -m build`` makes a wheel and an sdist with
complete metadata, and ``pipx install`` of either puts ``metaflash`` on the PATH, which opens
the window on the bundled decks."""

from __future__ import annotations

import email.parser
import os
import sqlite3
import struct
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from metaflash import __version__
from metaflash.core.util.paths import bundled_decks_dir

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = out.glob("metaflash-*.whl")
    (sdist,) = out.glob("metaflash-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_wheel_says_what_it_is_and_under_which_licence(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        info = f"metaflash-{__version__}.dist-info"
        metadata = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        assert wheel.read(f"{info}/licenses/LICENSE") == (REPO / "LICENSE").read_bytes()
    assert metadata["Name"] == "metaflash" and metadata["Version"] == __version__
    assert metadata["Summary"] and metadata["Requires-Python"] == ">=3.11"
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "spaced repetition" in metadata["Keywords"]
    classifiers = metadata.get_all("Classifier") or []
    assert "Topic :: Education" in classifiers and "Environment :: X11 Applications :: Qt" in (
        classifiers
    )
    assert any(c.startswith("Development Status ::") for c in classifiers)
    requires = metadata.get_all("Requires-Dist") or []
    assert any(r.lower().startswith("pyside6-essentials") for r in requires), requires
    for deck in bundled_decks_dir().rglob("*.yaml"):
        relative = deck.relative_to(bundled_decks_dir()).as_posix()
        assert f"metaflash/_bundled/decks/{relative}" in names


def test_the_sdist_rebuilds_everything(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in ("LICENSE", "README.md", "pyproject.toml", "decks", "resources", "tests"):
        assert needed in names or any(n.startswith(f"{needed}/") for n in names), needed


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_pipx_puts_metaflash_on_the_path_and_it_opens_the_bundled_decks(
    dists: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    env = dict(
        os.environ,
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(tmp_path / "bin"),
        PIPX_MAN_DIR=str(tmp_path / "man"),
        QT_QPA_PLATFORM="offscreen",
        METAFLASH_DATA_DIR=str(tmp_path / "data"),
    )
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "pipx", "install", "--python", sys.executable, str(dists[kind])],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    command = tmp_path / "bin" / "metaflash"
    assert command.is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args],
            env=env,
            cwd=elsewhere,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )

    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"metaflash {__version__}"
    shot = tmp_path / "window.png"
    opened = run("--screenshot", str(shot), "--size", "900x600")
    assert opened.returncode == 0, opened.stderr
    assert png_size(shot) == (900, 600)
    # the window loaded the bundled decks: their prompts are in the new collection
    with sqlite3.connect(tmp_path / "data" / "collection.sqlite3") as db:
        decks = {row[0] for row in db.execute("SELECT DISTINCT deck_id FROM prompts")}
    assert "metastasis" in decks and "metastasis-stages" in decks
