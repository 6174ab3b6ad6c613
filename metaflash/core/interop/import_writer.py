"""Write an import's decks and media all at once, or not at all.

Everything is first written into a hidden staging folder inside the target folder; only
when all of it is there (and the import was not cancelled) are the files moved into place
with ``os.replace``, each one atomic. A failure or a cancellation removes the staging folder
and leaves the target folder as it was.

An existing file is replaced only when it is the same deck (same ``id``), as on a second
import of the same package; any other file is kept and the import stops, unless ``overwrite``.
A media file never replaces an existing one: the plan gives a different file of the same name
a new name (``cell (2).png``), and one with the same bytes is not copied again. A ``media``
folder that is a symbolic link leading out of the target folder is refused. Staging folders
left by a killed import (their owner process is gone) are removed by the next import there.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from metaflash.core.decks.writer import deck_to_yaml
from metaflash.core.decks.yaml_source import MAX_FILE_BYTES
from metaflash.core.interop.import_builder import MEDIA_FOLDER, ImportPlan
from metaflash.core.interop.import_result import CancelCheck, ImportCancelled, fail
from metaflash.core.util.atomic_file import fsync_directory, fsync_file

#: Writes media file ``name`` into the given path (the importer streams it from its source).
MediaCopier = Callable[[str, Path], None]


def _existing_deck_id(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.safe_load(stream)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    deck_id = data.get("id") if isinstance(data, dict) else None
    return deck_id if isinstance(deck_id, str) else None


def check_targets(plan: ImportPlan, overwrite: bool) -> None:
    """Refuse to replace a file that holds something else than the deck being imported."""
    if overwrite:
        return
    for planned in plan.decks:
        if planned.path.exists() and _existing_deck_id(planned.path) != planned.deck.id:
            raise fail(
                planned.path,
                f"already exists and is not the deck {planned.deck.id!r}",
                "choose another output file, or pass --overwrite to replace it",
            )


STAGING_PREFIX = ".metaflash-import-"
_OWNER_FILE = "owner"


def _owner_alive(staging: Path) -> bool:
    try:
        host, _, pid = (staging / _OWNER_FILE).read_text(encoding="ascii").partition(" ")
    except (OSError, UnicodeDecodeError):
        return False
    if host != socket.gethostname() or not pid.strip().isdigit():
        return True  # another machine's (a shared folder): not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_abandoned_staging(folder: Path) -> tuple[Path, ...]:
    """Remove the staging folders of imports that were killed; the paths removed."""
    removed = []
    for staging in folder.glob(f"{STAGING_PREFIX}*"):
        if staging.is_dir() and not staging.is_symlink() and not _owner_alive(staging):
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    return tuple(removed)


def check_media_folder(folder: Path) -> None:
    """Refuse a ``media`` folder that is a link leading out of ``folder``."""
    media = folder / MEDIA_FOLDER
    if not media.is_symlink():
        return
    target = media.resolve()
    if not target.is_relative_to(folder.resolve()):
        raise fail(
            media,
            f"the media folder is a link to {target}, outside the deck folder",
            "replace the link with a real folder (or import into another folder); "
            "nothing was written",
        )


def write_import(
    plan: ImportPlan,
    copy_media: MediaCopier,
    *,
    comments: Sequence[str],
    cancelled: CancelCheck,
    overwrite: bool = False,
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Write the decks and media of ``plan``; returns (deck files, media files)."""
    if not plan.decks:
        return (), ()
    folder = plan.decks[0].path.parent
    if not folder.is_dir():
        raise fail(folder, "the output folder does not exist", "create it first")
    check_targets(plan, overwrite)
    check_media_folder(folder)
    remove_abandoned_staging(folder)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        (staging / _OWNER_FILE).write_text(f"{socket.gethostname()} {os.getpid()}", "ascii")
    except OSError as error:
        raise fail(
            folder, f"cannot write here: {error.strerror or error}", "choose a writable folder"
        ) from None
    try:
        staged_media = staging / MEDIA_FOLDER
        staged_media.mkdir()
        for name in plan.to_copy:
            if cancelled():
                raise ImportCancelled()
            staged = staged_media / plan.media_target(name)
            copy_media(name, staged)
            fsync_file(staged)
        staged_decks: list[tuple[Path, Path]] = []
        for index, planned in enumerate(plan.decks):
            if cancelled():
                raise ImportCancelled()
            temp = staging / f"deck-{index}.yaml"
            data = deck_to_yaml(planned.deck, planned.path, comments).encode("utf-8")
            if len(data) > MAX_FILE_BYTES:
                raise fail(
                    planned.path,
                    f"the deck would be {len(data):,} bytes, more than a deck file may hold "
                    f"({MAX_FILE_BYTES // 1024**2} MiB)",
                    "split the import into smaller files (for example one per deck)",
                )
            temp.write_bytes(data)
            fsync_file(temp)
            staged_decks.append((temp, planned.path))
        if cancelled():
            raise ImportCancelled()
        targets = [plan.media_target(name) for name in plan.to_copy]
        return _commit(staged_media, targets, staged_decks, folder)
    except OSError as error:
        raise fail(
            folder,
            f"cannot write the import: {error.strerror or error}",
            "check the folder is writable and has free space",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _commit(
    staged_media: Path,
    media: Sequence[str],
    staged_decks: Sequence[tuple[Path, Path]],
    folder: Path,
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    media_folder = folder / MEDIA_FOLDER
    written_media: list[Path] = []
    if media:
        media_folder.mkdir(exist_ok=True)
        for name in media:
            target = media_folder / name
            if target.exists() or target.is_symlink():  # appeared since the plan was made
                raise fail(
                    target,
                    "a media file of this name appeared during the import",
                    "import again: the new file will be kept and the imported one renamed",
                )
            os.replace(staged_media / name, target)
            written_media.append(target)
        fsync_directory(media_folder)
    for temp, target in staged_decks:
        os.replace(temp, target)
    fsync_directory(folder)
    return tuple(target for _, target in staged_decks), tuple(written_media)
