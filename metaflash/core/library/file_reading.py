"""One deck or diagram file read and parsed on its own, before the checks that span files
(:mod:`metaflash.core.library.snapshot`); what the parsed-files cache keeps."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from metaflash.core.decks.loader import DeckReferences, deck_from_document
from metaflash.core.decks.model import Deck, Diagram, Problem
from metaflash.core.decks.yaml_source import (
    MAX_FILE_BYTES,
    MappingNode,
    ScalarNode,
    compose,
    too_large,
)
from metaflash.core.diagrams.loader import diagram_from_document
from metaflash.core.library.deck_cache import ParsedFileCache, program_key

DECK_SUFFIXES: Final = (".yaml", ".yml")
DIAGRAM_SUFFIXES: Final = (".diagram.yaml", ".diagram.yml")


@dataclass(slots=True)
class LoadedFile:
    """One file being loaded: where it is, how it is shown, and what it held."""

    path: Path  # absolute
    shown: str
    deck: Deck | None = None
    references: DeckReferences | None = None
    diagram: Diagram | None = None
    kind: str = "deck"
    own_errors: bool = False  # errors in the file itself: its deck is checked, not loaded
    opened: bool = False  # whether its bytes could be read (it counts as checked)
    digest: bytes = b""  # of its bytes, when they could be read
    made_from: list[bytes] = dataclasses.field(default_factory=list)  # other files' digests
    problems: list[Problem] = dataclasses.field(default_factory=list)


def yaml_files(folder: Path) -> Iterator[str]:
    """Relative paths of the YAML files under ``folder``, skipping hidden files and folders."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(DECK_SUFFIXES) and not name.startswith("."):
                yield os.path.relpath(os.path.join(root, name), folder)


def read_bytes(path: Path, shown: str) -> bytes | Problem:
    """A file's bytes, refusing folders, devices, missing and oversized files."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Problem(shown, 1, 1, "no such file or folder", "check the path")
    except OSError as error:
        return Problem(shown, 1, 1, f"cannot open the file: {error.strerror or error}")
    if stat.S_ISDIR(info.st_mode):
        return Problem(
            shown,
            1,
            1,
            "this is a folder, not a deck file",
            "give the folder itself to load every deck in it",
        )
    if not stat.S_ISREG(info.st_mode):
        return Problem(shown, 1, 1, "this is not a regular file", "a deck is a .yaml text file")
    if info.st_size > MAX_FILE_BYTES:
        return too_large(shown, info.st_size)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return Problem(shown, 1, 1, f"cannot read the file: {error.strerror or error}")
    return too_large(shown, len(data)) if len(data) > MAX_FILE_BYTES else data


def _declared_kind(root: object) -> str | None:
    if type(root) is MappingNode:
        found = root.entries.get("kind")
        if found is not None and type(found[1]) is ScalarNode:
            return found[1].value
    return None


def read_file(
    path: Path,
    shown: str,
    *,
    expect_diagram: bool = False,
    cache: ParsedFileCache | None = None,
) -> LoadedFile:
    file = LoadedFile(
        path,
        shown,
        kind="diagram" if expect_diagram or shown.endswith(DIAGRAM_SUFFIXES) else "deck",
    )
    data = read_bytes(path, shown)
    if isinstance(data, Problem):
        file.problems.append(data)
        return file
    file.digest = content_digest(data)
    if cache is not None and not expect_diagram:
        kept = cache.lookup(path, shown, file.digest)
        if isinstance(kept, LoadedFile):
            return kept
        _parse(file, data)
        # what the file alone holds: the checks across files change ``file`` later
        kept = dataclasses.replace(
            file, problems=list(file.problems), made_from=list(file.made_from)
        )
        cache.store(path, shown, file.digest, kept)
        return file
    _parse(file, data)
    return file


def _parse(file: LoadedFile, data: bytes) -> None:
    """Fill ``file`` from its bytes: its deck or diagram, or its problems."""
    path, shown = file.path, file.shown
    file.opened = True
    document = compose(data, shown)
    if isinstance(document, Problem):
        file.problems.append(document)
        return
    declared = _declared_kind(document.root)
    if declared == "diagram" or (declared is None and file.kind == "diagram"):
        file.kind = "diagram"
        diagram_reading = diagram_from_document(document, path)
        file.diagram = diagram_reading.diagram
        file.problems.extend(diagram_reading.problems)
    else:
        file.kind = "deck"
        deck_reading = deck_from_document(document, path)
        file.deck = deck_reading.partial
        file.references = deck_reading.references
        file.problems.extend(deck_reading.problems)
        file.own_errors = bool(deck_reading.problems)


def content_digest(data: bytes) -> bytes:
    """A file's bytes, hashed: equal digests, equal files."""
    return hashlib.sha256(data).digest()  # hardware-assisted on most CPUs: twice BLAKE2b here


def fingerprint(file: LoadedFile) -> str:
    """What made a deck: its file, the other files it was checked against, the program."""
    digest = hashlib.blake2b(program_key().encode(), digest_size=20)
    for part in (file.digest, *file.made_from):
        digest.update(part)
    return digest.hexdigest()
