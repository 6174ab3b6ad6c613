"""``metaflash --install-desktop-entry``: a .desktop entry, icons and AppStream metainfo that
the freedesktop validators accept, a launcher that starts this metaflash, and an uninstall
that leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from metaflash import __version__
from metaflash.core.util.desktop import (
    APP_ID,
    ICON_SIZES,
    DesktopFiles,
    desktop_entry,
    launch_command,
    metainfo,
)

pytestmark = pytest.mark.slow


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:  # .ci/run installs them (Debian: desktop-file-utils, appstream)
        missing = f"{name} is not installed (see .ci/run)"
        pytest.fail(missing) if os.environ.get("CI") else pytest.skip(missing)
    return found


def metaflash(data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "metaflash", *args],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def exec_command(entry: Path) -> list[str]:
    """The Exec key read as the Desktop Entry spec says a launcher reads it."""
    line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    value = line.removeprefix("Exec=").replace("\\\\", "\\")  # the file's own escape
    arguments: list[str] = []
    current: list[str] | None = None
    quoted = False
    chars = iter(value)
    for char in chars:
        if quoted:
            if char == "\\":
                current.append(next(chars))  # type: ignore[union-attr]
            elif char == '"':
                quoted = False
            else:
                current.append(char)  # type: ignore[union-attr]
        elif char == " ":
            if current is not None:
                arguments.append("".join(current))
                current = None
        else:
            current = current if current is not None else []
            if char == '"':
                quoted = True
            else:
                current.append(char)
    if current is not None:
        arguments.append("".join(current))
    return [argument.replace("%%", "%") for argument in arguments]


def test_install_validate_launch_and_uninstall(tmp_path: Path) -> None:
    home = tmp_path / "share"
    done = metaflash(home, "--install-desktop-entry")
    assert done.returncode == 0, done.stderr
    files = DesktopFiles(home)
    assert all(path.is_file() for path in files.all())
    assert str(files.entry) in done.stdout and f"({len(files.all())} files)" in done.stdout

    checked = subprocess.run(
        [tool("desktop-file-validate"), str(files.entry)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and checked.stdout.strip() == "", checked.stdout
    checked = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(files.metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not [line for line in checked.stdout.splitlines() if line[:2] in ("E:", "W:")]

    assert files.svg_icon.read_bytes().startswith(b"<svg")
    for size in ICON_SIZES:
        assert png_size(files.png_icon(size)) == (size, size)
    text = files.entry.read_text()
    assert f"Icon={APP_ID}\n" in text and "Terminal=false\n" in text

    # the menu's launcher starts this metaflash
    launched = subprocess.run(
        [*exec_command(files.entry), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert launched.stdout.strip() == f"metaflash {__version__}", launched.stderr

    done = metaflash(home, "--uninstall-desktop-entry")
    assert done.returncode == 0 and "removed from the desktop's menus" in done.stdout
    assert not any(path.exists() for path in files.all())
    again = metaflash(home, "--uninstall-desktop-entry")
    assert again.returncode == 0 and "no desktop entry to remove" in again.stdout


def test_a_data_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "share"
    blocked.write_text("a file where the folder should be")
    done = metaflash(blocked, "--install-desktop-entry")
    assert done.returncode == 1
    assert "could not write the desktop entry" in done.stderr and str(blocked) in done.stderr


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("/opt/metaflash/metaflash",), "Exec=/opt/metaflash/metaflash"),
        (("/home/ann/my apps/metaflash",), 'Exec="/home/ann/my apps/metaflash"'),
        (('/p/$x`y\\z"q', "-m", "metaflash"), 'Exec="/p/\\\\$x\\\\`y\\\\\\\\z\\\\"q" -m metaflash'),
        (("/p/100%/metaflash",), "Exec=/p/100%%/metaflash"),
    ],
)
def test_the_launch_command_is_quoted_as_the_spec_asks(
    command: tuple[str, ...], expected: str, tmp_path: Path
) -> None:
    text = desktop_entry(command)
    assert f"\n{expected}\n" in text
    entry = tmp_path / "x.desktop"
    entry.write_text(text)
    assert exec_command(entry) == list(command)


def test_the_launch_command_is_the_one_that_runs(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "metaflash"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    assert launch_command(str(script), "/usr/bin/python3", False) == (str(script),)
    frozen = launch_command("whatever", "/opt/metaflash/metaflash", True)
    assert frozen == ("/opt/metaflash/metaflash",)
    module = launch_command("/x/metaflash/__main__.py", "/usr/bin/python3", False)
    assert module == ("/usr/bin/python3", "-m", "metaflash")


def test_the_metainfo_names_this_release() -> None:
    text = metainfo("1.2.3", date(2026, 12, 6))
    assert f"<id>{APP_ID}</id>" in text
    assert '<release version="1.2.3" date="2026-12-06"/>' in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in text
