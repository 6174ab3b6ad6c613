"""The freedesktop files that put metaflash in a Linux desktop's menus: a ``.desktop`` entry
and AppStream metainfo, with where they go under the user's data folder. Qt-free; the icons
are drawn by :mod:`metaflash.ui.shell.desktop_entry`."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape  # XML-safe too; xml.sax would import urllib and ssl at every start
from pathlib import Path

#: The application's id: the desktop file's name, the icons' name and the AppStream id.
APP_ID = "org.metaflash.Metaflash"
#: Sizes of the PNG icons written beside the scalable SVG.
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

SUMMARY = "Learn a process with flashcards and an animated pathway diagram"
CATEGORIES = ("Education", "MedicalSoftware")  # one main category: one menu
KEYWORDS = ("flashcards", "spaced repetition", "FSRS", "Anki", "diagram", "metastasis")


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    """Where each file goes, under a data folder (``$XDG_DATA_HOME``)."""

    data_home: Path

    @property
    def entry(self) -> Path:
        return self.data_home / "applications" / f"{APP_ID}.desktop"

    @property
    def metainfo(self) -> Path:
        return self.data_home / "metainfo" / f"{APP_ID}.metainfo.xml"

    @property
    def icons(self) -> Path:
        return self.data_home / "icons" / "hicolor"

    @property
    def svg_icon(self) -> Path:
        return self.icons / "scalable" / "apps" / f"{APP_ID}.svg"

    def png_icon(self, size: int) -> Path:
        return self.icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"

    def all(self) -> tuple[Path, ...]:
        pngs = tuple(self.png_icon(size) for size in ICON_SIZES)
        return (self.entry, self.metainfo, self.svg_icon, *pngs)


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (the XDG base directory rule)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launch_command(
    argv0: str | None = None, executable: str | None = None, frozen: bool | None = None
) -> tuple[str, ...]:
    """How a desktop launches the metaflash that is running now: the standalone bundle's
    program, the ``metaflash`` command that started it (kept as found, so that a pipx link
    survives upgrades), else this Python with ``-m metaflash``."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if frozen:
        return (os.path.abspath(executable),)
    if Path(argv0).name in ("metaflash", "metaflash.exe") and os.path.isfile(argv0):
        return (os.path.abspath(argv0),)
    return (os.path.abspath(executable), "-m", "metaflash")


def _exec_argument(argument: str) -> str:
    """One argument of an ``Exec`` key, quoted as the Desktop Entry spec asks."""
    argument = argument.replace("%", "%%")  # a lone % starts a field code
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`="):
        return argument
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    # the .desktop file format unescapes backslashes once more before the Exec rules apply
    return '"' + quoted.replace("\\", "\\\\") + '"'


def desktop_entry(command: tuple[str, ...]) -> str:
    exec_line = " ".join(_exec_argument(argument) for argument in command)
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",  # 1.5 adds nothing used here, and older validators refuse it
            "Name=metaflash",
            "GenericName=Flashcards",
            f"Comment={SUMMARY}",
            f"Exec={exec_line}",
            f"Icon={APP_ID}",
            "Terminal=false",
            f"Categories={';'.join(CATEGORIES)};",
            f"Keywords={';'.join(KEYWORDS)};",
            "StartupNotify=true",
            "StartupWMClass=metaflash",  # the X11 WM_CLASS Qt gives the window (checked)
            "",
        ]
    )


def metainfo(version: str, released: date) -> str:
    paragraphs = (
        (
            "metaflash is a desktop flashcard app for learning a process, shipped with decks on "
            "the metastatic cascade: how cancer cells leave a tumour, travel by the blood or the "
            "lymph and grow in a distant organ."
        ),
        (
            "It schedules reviews with FSRS spaced repetition, shows each step of the process on "
            "an animated pathway diagram coloured by what you have mastered, and reads its decks "
            "from plain YAML files that educators write by hand. Decks export to Anki; Anki and "
            "CSV decks import. It works offline, and your progress stays on your machine."
        ),
    )
    description = "\n".join(f"    <p>{escape(text)}</p>" for text in paragraphs)
    keywords = "\n".join(f"    <keyword>{escape(word)}</keyword>" for word in KEYWORDS)
    categories = "\n".join(f"    <category>{name}</category>" for name in CATEGORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<component type="desktop-application">
  <id>{APP_ID}</id>
  <metadata_license>CC0-1.0</metadata_license>
  <project_license>MIT</project_license>
  <name>metaflash</name>
  <summary>{escape(SUMMARY)}</summary>
  <description>
{description}
  </description>
  <launchable type="desktop-id">{APP_ID}.desktop</launchable>
  <developer id="org.metaflash">
    <name>The metaflash developers</name>
  </developer>
  <categories>
{categories}
  </categories>
  <keywords>
{keywords}
  </keywords>
  <content_rating type="oars-1.1"/>
  <provides>
    <binary>metaflash</binary>
  </provides>
  <releases>
    <release version="{escape(version)}" date="{released.isoformat()}"/>
  </releases>
</component>
"""
