"""Write an import's decks and media all at once, or not at all.

Everything is first written into a hidden staging folder inside the target folder; only
when all of it is there (and the import was not cancelled) are the files moved into place
with ``os.replace``, each one atomic. A failure or a cancellation removes the staging folder
and leaves the target folder as it was.

An existing file is replaced only when it is the same deck (same ``id``), as on a second
import of the same package; any other file is kept and the import stops, unless ``overwrite``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from metaflash.core.atomic_file import fsync_directory, fsync_file
from metaflash.core.deck_writer import deck_to_yaml
from metaflash.core.import_builder import MEDIA_FOLDER, ImportPlan
from metaflash.core.import_result import CancelCheck, ImportCancelled, fail

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
    try:
        staging = Path(tempfile.mkdtemp(prefix=".metaflash-import-", dir=folder))
    except OSError as error:
        raise fail(
            folder, f"cannot write here: {error.strerror or error}", "choose a writable folder"
        ) from None
    try:
        staged_media = staging / MEDIA_FOLDER
        staged_media.mkdir()
        for name in plan.media:
            if cancelled():
                raise ImportCancelled()
            copy_media(name, staged_media / name)
            fsync_file(staged_media / name)
        staged_decks: list[tuple[Path, Path]] = []
        for index, planned in enumerate(plan.decks):
            if cancelled():
                raise ImportCancelled()
            temp = staging / f"deck-{index}.yaml"
            temp.write_text(deck_to_yaml(planned.deck, planned.path, comments), encoding="utf-8")
            fsync_file(temp)
            staged_decks.append((temp, planned.path))
        if cancelled():
            raise ImportCancelled()
        return _commit(staged_media, plan.media, staged_decks, folder)
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
            os.replace(staged_media / name, target)
            written_media.append(target)
        fsync_directory(media_folder)
    for temp, target in staged_decks:
        os.replace(temp, target)
    fsync_directory(folder)
    return tuple(target for _, target in staged_decks), tuple(written_media)
