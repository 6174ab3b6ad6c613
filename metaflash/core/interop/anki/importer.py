"""Import an Anki package (``.apkg`` or ``.colpkg``) as metaflash YAML decks.

The package is untrusted: :mod:`metaflash.core.interop.safe_zip` checks it, the collection is
streamed into a private temporary folder and read read-only by
:mod:`metaflash.core.interop.anki.collection_file`, media names are checked before any file is named after
them, and :mod:`metaflash.core.interop.import_writer` writes everything at once or nothing.

Packages that hold only Anki's newer compressed collection (``collection.anki21b``) cannot be
read; the error says how to export with legacy support from Anki.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from metaflash.core.interop.anki.collection_file import LEGACY_HINT, read_collection
from metaflash.core.interop.anki.note_mapping import map_notes
from metaflash.core.interop.import_builder import plan_import
from metaflash.core.interop.import_result import (
    DEFAULT_LIMITS,
    CancelCheck,
    ImportAborted,
    ImportCancelled,
    ImportFailure,
    ImportLimits,
    ImportProgress,
    ImportResult,
    ProgressCallback,
    fail,
    never_cancelled,
    no_progress,
)
from metaflash.core.interop.import_writer import write_import
from metaflash.core.interop.safe_zip import SafeArchive

_MAX_MEDIA_MAP = 64 * 1024 * 1024
_BAD_MEDIA_CHARS = re.compile(r"[/\\\x00-\x1f\x7f:]")
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def safe_media_name(name: str) -> bool:
    """Can ``name`` be a file in the media folder without going anywhere else?"""
    return (
        bool(name)
        and name not in (".", "..")
        and not name.startswith(".")
        and not _BAD_MEDIA_CHARS.search(name)
        and len(name.encode("utf-8", errors="surrogatepass")) <= 240
    )


def _collection_member(archive: SafeArchive) -> str:
    names = archive.names()
    for candidate in ("collection.anki21", "collection.anki2"):
        if candidate in names:
            if candidate == "collection.anki2" and "collection.anki21b" in names:
                break  # only a placeholder that tells old Anki versions to update
            return candidate
    if "collection.anki21b" in names:
        raise fail(
            archive.path,
            "this package uses Anki's newer compressed format, which metaflash cannot read",
            LEGACY_HINT,
        )
    raise fail(
        archive.path,
        "no collection in the package (collection.anki2 or collection.anki21 is missing)",
        "is this an Anki package? Export it again from Anki",
    )


def _media_map(archive: SafeArchive) -> dict[str, str]:
    """Package member → media file name; every name checked before anything uses it."""
    if "media" not in archive.names():
        return {}
    raw = archive.read("media", _MAX_MEDIA_MAP)
    if raw.startswith(_ZSTD_MAGIC):
        raise fail(archive.path, "the media list uses Anki's newer compressed format", LEGACY_HINT)
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise fail(
            archive.path, "the media list of the package is damaged", "export the package again"
        ) from None
    if not isinstance(data, dict):
        raise fail(
            archive.path, "the media list of the package is damaged", "export the package again"
        )
    by_name: dict[str, str] = {}
    for member, name in data.items():
        if not isinstance(name, str) or not safe_media_name(name):
            raise fail(
                archive.path,
                f"unsafe media file name {name!r} in the package",
                "the package is damaged or hostile; nothing was written",
            )
        if name in by_name:
            continue
        by_name[name] = str(member)
    return by_name


def import_anki_package(
    package: Path,
    out: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancelled: CancelCheck = never_cancelled,
    limits: ImportLimits = DEFAULT_LIMITS,
    overwrite: bool = False,
) -> ImportResult | ImportFailure:
    """Import ``package`` into the deck file ``out`` (sub-decks and ``media/`` beside it)."""
    try:
        return _import(package, out, progress, cancelled, limits, overwrite)
    except ImportCancelled:
        return ImportFailure((), cancelled=True)
    except ImportAborted as error:
        return ImportFailure((error.problem,))


def _import(
    package: Path,
    out: Path,
    progress: ProgressCallback,
    cancelled: CancelCheck,
    limits: ImportLimits,
    overwrite: bool,
) -> ImportResult:
    progress(ImportProgress("checking the package", 0, 0))
    with (
        SafeArchive(package, limits, cancelled) as archive,
        tempfile.TemporaryDirectory(prefix="metaflash-anki-") as work,
    ):
        member = _collection_member(archive)
        media = _media_map(archive)
        progress(ImportProgress("extracting the collection", 0, 0))
        database = Path(work) / "collection.sqlite"
        archive.extract_to(member, database)
        collection = read_collection(
            database,
            str(package),
            cancelled,
            lambda done, total: progress(ImportProgress("reading notes", done, total)),
        )
        mapped = map_notes(collection.notes, collection.notetypes, str(package))
        progress(ImportProgress("converting cards", 0, len(mapped.notes)))
        available = {name for name, item in media.items() if item in archive.names()}

        def same_media(name: str, existing: Path) -> bool:
            return archive.same_bytes(media[name], existing)

        plan = plan_import(
            mapped.notes,
            out,
            top_title=package.stem,
            media_exists=available.__contains__,
            cancelled=cancelled,
            progress=progress,
            same_media=same_media,
        )
        media_bytes = sum(archive.size(media[name]) for name in plan.to_copy)
        if media_bytes > limits.max_media_bytes:
            raise fail(
                package,
                f"its media files add up to {media_bytes:,} bytes "
                f"(at most {limits.max_media_bytes:,})",
                "this package is too large to import; nothing was written",
            )
        done = 0

        def copy(name: str, target: Path) -> None:
            nonlocal done
            archive.extract_to(media[name], target)
            done += 1
            progress(ImportProgress("copying media", done, len(plan.to_copy)))

        progress(ImportProgress("writing decks", 0, len(plan.decks)))
        decks, files = write_import(
            plan,
            copy,
            comments=(f"Imported by metaflash from {package.name}.",),
            cancelled=cancelled,
            overwrite=overwrite,
        )
    progress(ImportProgress("done", plan.cards, plan.cards))
    return ImportResult(decks, files, plan.cards, mapped.warnings + plan.warnings)
