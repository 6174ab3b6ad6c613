"""The sync folder's layout: one folder per device, each holding that device's journal files.

::

    DIR/metaflash/
        .gitattributes              keeps git from changing the files' line endings
        <device id>/
            device.json             the device's name, as its owner last set it
            journal-000000000001.jsonl
            journal-000000010001.jsonl   (a new file every 10,000 events)

A device writes only under its own folder, only by appending (``device.json`` is replaced
whole). It reads every ``*.jsonl`` file in the other folders, including the copies a sync tool
makes when two versions met (``journal-… (conflict …).jsonl``, ``journal-….sync-conflict-….jsonl``):
events are keyed by their global id, so a copy adds nothing twice.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.collection.sync_events import DEVICE_ID, SYNC_FORMAT
from metaflash.core.util.atomic_file import fsync_directory, temporary_sibling

APP_FOLDER = "metaflash"
DEVICE_FILE = "device.json"
#: events per journal file: small enough for a cloud folder to upload whole
SEGMENT_EVENTS = 10_000
_SEGMENT = re.compile(r"journal-(\d{12})\.jsonl")
_GITATTRIBUTES = (
    "# metaflash: journal files are written byte by byte; git must not change them\n* -text\n"
)


class SyncFolderError(Exception):
    """The sync folder cannot be used; the message says why and what to do."""


def segment_name(first_seq: int) -> str:
    return f"journal-{first_seq:012d}.jsonl"


def segment_start(name: str) -> int | None:
    """The first event number of a journal file this device wrote (None for other names,
    such as a sync tool's conflict copy)."""
    match = _SEGMENT.fullmatch(name)
    return None if match is None else int(match[1])


@dataclass(frozen=True, slots=True)
class SyncLayout:
    """Where things are in a sync folder chosen by the user."""

    root: Path  # the folder the user chose

    @property
    def app_folder(self) -> Path:
        return self.root / APP_FOLDER

    def device_folder(self, device: str) -> Path:
        return self.app_folder / device

    def problem(self) -> str | None:
        """Why the chosen folder cannot be used (None: it can), without writing anything."""
        if not self.root.is_dir():
            return (
                f"the sync folder {self.root} does not exist (or is not a folder): create it, "
                "or choose another"
            )
        if not os.access(self.root, os.W_OK | os.X_OK):
            return f"cannot write in the sync folder {self.root}: choose one you can write in"
        return None

    def prepare(self) -> None:
        """Check the chosen folder and make metaflash's folder in it."""
        problem = self.problem()
        if problem is not None:
            raise SyncFolderError(problem)
        try:
            self.app_folder.mkdir(exist_ok=True)
            attributes = self.app_folder / ".gitattributes"
            if not attributes.exists():
                attributes.write_text(_GITATTRIBUTES, encoding="utf-8")
        except OSError as error:
            raise SyncFolderError(
                f"cannot write in the sync folder {self.root}: {error.strerror or error}. "
                "Check that it is writable, or choose another."
            ) from error

    def other_devices(self, me: str) -> list[tuple[str, Path]]:
        """Every other device's folder, by device id."""
        try:
            entries = sorted(self.app_folder.iterdir())
        except OSError:
            return []
        return [
            (entry.name, entry)
            for entry in entries
            if entry.name != me and DEVICE_ID.fullmatch(entry.name) and entry.is_dir()
        ]

    def own_segments(self, me: str) -> list[tuple[int, Path]]:
        """This device's journal files, by their first event number."""
        folder = self.device_folder(me)
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        found = [(segment_start(name), folder / name) for name in names]
        return sorted((start, path) for start, path in found if start is not None)


def read_device_name(folder: Path) -> str | None:
    """The name a device gave itself (None when its ``device.json`` is missing or unreadable)."""
    try:
        data = json.loads((folder / DEVICE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def write_device_file(folder: Path, device: str, name: str) -> None:
    """Replace this device's ``device.json`` (atomically) when its name changed."""
    path = folder / DEVICE_FILE
    if read_device_name(folder) == name:
        return
    text = json.dumps({"f": SYNC_FORMAT, "device": device, "name": name}, ensure_ascii=False)
    with temporary_sibling(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    fsync_directory(folder)
