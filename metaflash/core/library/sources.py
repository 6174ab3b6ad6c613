"""Where the window's decks come from, and the last good version of a deck being edited.

The library is the bundled decks, the user's own decks folder (``<data dir>/decks``) and any
folder the user opened, minus the deck files the user removed from the library (the files
themselves are never deleted). :func:`library_files` lists the files to load;
:func:`keep_last_good` keeps a deck in use when an edit breaks its file, so that a typo never
takes a deck away from a student in the middle of studying it.
"""

from __future__ import annotations

import dataclasses
import filecmp
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.decks.model import Deck, DeckId, Problem
from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.file_reading import DECK_SUFFIXES
from metaflash.core.library.snapshot import Library, load_library

USER_DECKS_DIR_NAME = "decks"


def user_decks_dir(data_dir: Path) -> Path:
    """The user's own decks folder: where added deck files are copied."""
    return data_dir / USER_DECKS_DIR_NAME


@dataclass(frozen=True, slots=True)
class DeckSources:
    """The folders searched for decks and the deck files left out of the library."""

    folders: tuple[Path, ...]
    excluded: frozenset[Path] = frozenset()

    def with_folder(self, folder: Path) -> DeckSources:
        folder = Path(os.path.realpath(folder))
        if folder in self.folders:
            return self
        return dataclasses.replace(self, folders=(*self.folders, folder))

    def without_files(self, files: Iterable[Path]) -> DeckSources:
        return dataclasses.replace(
            self, excluded=self.excluded | {Path(os.path.realpath(f)) for f in files}
        )

    def including(self, file: Path) -> DeckSources:
        return dataclasses.replace(self, excluded=self.excluded - {Path(os.path.realpath(file))})


def yaml_files(folder: Path) -> Iterator[Path]:
    """The YAML files under ``folder`` (recursively), skipping hidden files and folders,
    in a stable order (as :func:`metaflash.core.library.snapshot.load_library` searches folders)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(DECK_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def library_files(sources: DeckSources) -> tuple[Path, ...]:
    """Every deck and diagram file of the library, each once (by real path), minus the
    excluded ones. A folder that does not exist (any more) contributes nothing."""
    seen: set[str] = set()
    files: list[Path] = []
    for folder in sources.folders:
        if not folder.is_dir():
            continue
        for path in yaml_files(folder):
            real = os.path.realpath(path)
            if real in seen or Path(real) in sources.excluded:
                continue
            seen.add(real)
            files.append(path)
    return tuple(files)


def watched_folders(sources: DeckSources) -> tuple[Path, ...]:
    """The folders to watch for added, removed and renamed files: each searched folder and
    the non-hidden folders below it."""
    found: list[Path] = []
    for folder in sources.folders:
        if not folder.is_dir():
            continue
        for root, dirs, _names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.append(Path(root))
    return tuple(found)


def _real(path: Path | str | None) -> str | None:
    return None if path is None else os.path.realpath(path)


def keep_last_good(previous: Sequence[Deck], loaded: Library) -> tuple[Library, tuple[DeckId, ...]]:
    """``loaded`` with the previous version of each deck whose file now fails to load.

    A deck keeps its last good version when its file still exists, has errors, yields no
    deck now, and no other file now provides a deck with the same id. Each kept deck gets a
    warning on its file saying so. Returns the library and the ids of the kept decks.
    """
    files_with_errors = {
        _real(problem.file) for problem in loaded.problems if problem.severity == "error"
    }
    loaded_paths = {_real(deck.path) for deck in loaded.decks}
    loaded_ids = {deck.id for deck in loaded.decks}
    kept: list[Deck] = []
    warnings: list[Problem] = []
    for deck in previous:
        real = _real(deck.path)
        if (
            real is None
            or real not in files_with_errors
            or real in loaded_paths
            or deck.id in loaded_ids
            or not os.path.isfile(real)
        ):
            continue
        kept.append(deck)
        loaded_ids.add(deck.id)
        shown = next((p.file for p in loaded.problems if _real(p.file) == real), str(deck.path))
        warnings.append(
            Problem(
                shown,
                1,
                1,
                f"the deck '{deck.title}' stays as it was last loaded until this file's "
                "errors are fixed",
                "fix the errors listed for this file and save it again",
                severity="warning",
            )
        )
    if not kept:
        return loaded, ()
    problems = _with_warnings(loaded.problems, warnings)
    library = dataclasses.replace(
        loaded,
        decks=(*loaded.decks, *kept),
        problems=problems,
        stale=tuple(deck.id for deck in kept),
    )
    return library, library.stale


def _with_warnings(problems: tuple[Problem, ...], warnings: list[Problem]) -> tuple[Problem, ...]:
    """Each warning just before the first problem of its file."""
    result: list[Problem] = []
    pending = {warning.file: warning for warning in warnings}
    for problem in problems:
        warning = pending.pop(problem.file, None)
        if warning is not None:
            result.append(warning)
        result.append(problem)
    result.extend(pending.values())
    return tuple(result)


def load_sources(
    sources: DeckSources,
    previous: Library | None = None,
    cache: ParsedFileCache | None = None,
) -> Library:
    """One snapshot of the library's files, searched in ``sources``; decks whose file broke
    since ``previous`` keep that version (listed in ``stale``). ``cache``: files unchanged
    since they were last parsed are not parsed again."""
    loaded = load_library(library_files(sources), folders=sources.folders, cache=cache)
    library, _ = keep_last_good(previous.decks if previous is not None else (), loaded)
    return library


class AddDeckError(Exception):
    """A deck file cannot be added to the library; the message says why and what to do."""


def copy_deck_into(file: Path, folder: Path, known: Sequence[Deck]) -> Path:
    """Copy a valid deck file into ``folder`` (the user's decks folder) with the images and
    the diagram it uses, keeping their places relative to it. Returns the new file's path.

    Refused (:class:`AddDeckError`) when the file does not load (its problems are listed),
    when a deck with its id is already in the library (``known``), or when it refers to a
    file outside its own folder (then open that whole folder instead). A name already taken
    in ``folder`` gets a number (``deck-2.yaml``); nothing there is ever overwritten.
    """
    loaded = load_library([file])
    errors = [problem for problem in loaded.problems if problem.severity == "error"]
    if errors:
        listed = "\n".join(str(problem) for problem in errors[:10])
        more = f"\n(and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise AddDeckError(f"{file} has errors; fix them first:\n{listed}{more}")
    decks = [deck for deck in loaded.decks if deck.path is not None]
    if len(decks) != 1:
        raise AddDeckError(f"{file} is not a deck file (it holds a diagram)")
    deck = decks[0]
    clash = next((other for other in known if other.id == deck.id), None)
    if clash is not None:
        where = f" ({clash.path})" if clash.path is not None else ""
        raise AddDeckError(
            f"a deck with the id '{deck.id}' is already in the library{where}. Edit that "
            "file instead, or give this deck another id."
        )
    source_dir = Path(os.path.realpath(file)).parent
    extras: list[Path] = [card.image for card in deck.cards if card.image is not None]
    if deck.diagram is not None:
        extras.append(deck.diagram)
    relative: list[Path] = []
    for extra in extras:
        real = Path(os.path.realpath(extra))
        if not real.is_relative_to(source_dir):
            raise AddDeckError(
                f"{file} uses {extra}, outside its folder; open the whole folder instead "
                "(File › Open Deck Folder…)"
            )
        relative.append(real.relative_to(source_dir))
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, Path(file).name)
    try:
        for part in dict.fromkeys(relative):
            destination = target.parent / part
            if destination.exists():
                if not filecmp.cmp(source_dir / part, destination, shallow=False):
                    raise AddDeckError(
                        f"{destination} already exists with other content; open the deck's "
                        "folder instead (File › Open Deck Folder…)"
                    )
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_dir / part, destination)
        shutil.copy2(file, target)
    except OSError as error:
        raise AddDeckError(
            f"cannot copy {file} into {folder}: {error.strerror or error}"
        ) from error
    return target


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = name, ""
    for known_suffix in (".diagram.yaml", ".diagram.yml", ".yaml", ".yml"):
        if name.endswith(known_suffix):
            stem, suffix = name[: -len(known_suffix)], known_suffix
            break
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


@dataclass(frozen=True, slots=True)
class BundledCopy:
    """Bundled decks copied into the user's decks folder: the copy of the deck asked for,
    and the bundled files the copies stand in for (to leave out of the library)."""

    deck: Path
    replaced: tuple[Path, ...]


def copy_bundled_decks(deck_file: Path, bundled: Path, folder: Path) -> BundledCopy:
    """Copy the folder of bundled decks that holds ``deck_file`` (all of it: its decks share
    a diagram and name each other as parents) into ``folder``, the user's decks folder, as a
    new sub-folder. The copies keep every deck and card id, so progress carries over once the
    bundled files are left out of the library. Nothing in ``folder`` is overwritten."""
    bundled = Path(os.path.realpath(bundled))
    real = Path(os.path.realpath(deck_file))
    if not real.is_relative_to(bundled):
        raise AddDeckError(f"{deck_file} is not one of the decks that come with metaflash")
    parts = real.relative_to(bundled).parts
    source = bundled / parts[0] if len(parts) > 1 else bundled
    target = folder / (source.name if source != bundled else "bundled-decks")
    number = 2
    base = target
    while target.exists():
        target = base.with_name(f"{base.name}-{number}")
        number += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py*"))
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise AddDeckError(
            f"cannot copy {source} into {folder}: {error.strerror or error}"
        ) from error
    replaced = tuple(
        sorted(
            path
            for path in source.rglob("*")
            if path.is_file() and path.name.endswith(DECK_SUFFIXES)
        )
    )
    return BundledCopy(target / real.relative_to(source), replaced)
