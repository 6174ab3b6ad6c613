"""A whole library load, kept between starts, with its decks' cards left encoded.

The parsed-files cache spares the parsing of unchanged files, but a start still decoded every
card of every deck (about 100 ms per 20,000 cards) and ran the checks across files over all of
them, only to show one card. When nothing the last load depended on has changed, that load's
:class:`~metaflash.core.library.snapshot.Library` is served instead, its decks' cards decoded
chunk by chunk as they are asked for (:mod:`metaflash.core.decks.lazy_cards`).

What a load depended on (:class:`LoadFacts`): the paths it was given and, for each folder, the
YAML files in it; the bytes of every file it read (their hash: read at every start, as the
parsed-files cache does), and the real path each resolves to, under every name the load met
it by; each card image, still a file at the same real path, and the real path of the folder
it must stay inside. With the same program (the cache's key), the same paths and the same
facts, a load gives the same library: serving the stored one changes nothing but speed.
Only loads without any problem are kept (a problem's hints look at more than these facts).
The facts and the library are two entries: a start whose files changed reads only the facts.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from metaflash.core.decks.model import Deck
from metaflash.core.library.file_reading import content_digest, read_bytes, yaml_files

#: where the library entries live in the parsed-files cache (never a real file's path)
MEMO_PATH = "<library>"


@dataclass(slots=True)
class LoadFacts:
    """What one load of the library read, and what it found there."""

    given: list[tuple[str, bool, tuple[str, ...]]] = field(default_factory=list)
    files: list[tuple[str, str, bytes]] = field(default_factory=list)  # path, real path, hash
    images: list[tuple[str, str]] = field(default_factory=list)  # path, real path
    folders: list[tuple[str, str]] = field(default_factory=list)  # path, real path
    usable: bool = True  # False when a file could not be read: such a load is not kept
    #: names the library stored with these facts (its entry's digest): the two go together
    token: bytes = field(default_factory=lambda: os.urandom(16))

    def note_given(self, path: Path) -> tuple[str, ...] | None:
        """The YAML files in the folder ``path``, sorted; None when it is not a folder."""
        is_dir = path.is_dir()
        listing = tuple(sorted(yaml_files(path))) if is_dir else ()
        self.given.append((str(path), is_dir, listing))
        return listing if is_dir else None

    def note_file(self, path: Path, digest: bytes) -> None:
        if not digest:
            self.usable = False
            return
        self.files.append((str(path), os.path.realpath(path), digest))

    def note_image(self, image: Path) -> None:
        self.images.append((str(image), os.path.realpath(image)))

    def note_folder(self, folder: Path) -> None:
        self.folders.append((str(folder), os.path.realpath(folder)))

    def still_true(self) -> bool:
        """Whether the files and folders are still as this load found them."""
        for given, was_dir, listing in self.given:
            path = Path(given)
            is_dir = path.is_dir()
            if is_dir != was_dir or (is_dir and tuple(sorted(yaml_files(path))) != listing):
                return False
        for name, real, digest in self.files:
            if os.path.realpath(name) != real:
                return False
            data = read_bytes(Path(name), name)
            if not isinstance(data, bytes) or content_digest(data) != digest:
                return False
        if any(os.path.realpath(folder) != real for folder, real in self.folders):
            return False
        return all(
            os.path.isfile(image) and os.path.realpath(image) == real for image, real in self.images
        )


def memo_key(paths: Sequence[str], known_decks: Iterable[Deck], folders: Iterable[Path]) -> str:
    """What a load was asked for: its paths (as given, and absolute), the decks it was told
    about and the folders it records."""
    parts = [f"path {given}\0{os.path.abspath(given)}" for given in paths]
    parts += [f"known {deck.id}\0{deck.path}\0{deck.location}" for deck in known_decks]
    parts += [f"folder {folder}" for folder in folders]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def library_entry(key: str) -> str:
    """The cache entry (beside the facts' entry ``key``) that holds the library itself."""
    return f"{key}/library"


def load_facts(payload: bytes | None) -> LoadFacts | None:
    """The facts a load stored (see ``snapshot.load_library``), or None when there are none
    or they cannot be read back. They are kept apart from the library, a few megabytes for
    20,000 cards, so that a start whose files changed reads only them."""
    facts = load_value(payload)
    return facts if isinstance(facts, LoadFacts) else None


def load_value(payload: bytes | None) -> object | None:
    """What an entry holds, or None (a damaged entry is only a miss)."""
    try:
        return None if payload is None else pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged entry is only a miss
        return None
