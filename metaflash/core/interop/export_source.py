"""Which decks an export takes from a deck file or a folder of decks.

- A folder: every deck in it (searched recursively).
- A deck file: that deck with its sub-decks, as Anki exports a deck: the decks found in the
  file's folder (recursively) whose ``parent`` leads to it. A parent the export leaves out
  is not needed: the exported deck becomes a top-level deck.

Either way a ``parent`` may name a bundled deck (as ``metaflash validate`` allows), and only
errors in the decks exported stop the export; a broken unrelated file beside them does not.
"""

from __future__ import annotations

import os
from pathlib import Path

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Problem
from metaflash.core.decks.tree import DeckTree
from metaflash.core.library.file_reading import read_bytes
from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.util.paths import bundled_decks_dir


def decks_to_export(path: Path) -> tuple[tuple[Deck, ...], tuple[Problem, ...]]:
    """The decks to export from ``path`` (a deck file or a folder) and the errors that stop
    the export."""
    if not path.exists():
        return (), (Problem(str(path), 1, 1, "no such file or folder", "check the path"),)
    if path.is_file():
        return _deck_and_sub_decks(path)
    library = _load_with_bundled_parents(path)
    errors = tuple(problem for problem in library.problems if problem.severity == "error")
    if not library.decks and not errors:
        errors = (
            Problem(str(path), 1, 1, "no decks found here", "decks are .yaml files with 'cards:'"),
        )
    return library.decks, errors


def _deck_and_sub_decks(path: Path) -> tuple[tuple[Deck, ...], tuple[Problem, ...]]:
    data = read_bytes(path, str(path))
    if isinstance(data, Problem):
        return (), (data,)
    parsed = parse_deck(data, path)
    if isinstance(parsed, tuple):
        return (), parsed
    folder = path.parent
    library = _load_with_bundled_parents(folder, parsed)
    known = [Deck(parsed.parent, parsed.parent, ())] if parsed.parent else []
    real = os.path.realpath(path)
    deck = next(
        (d for d in library.decks if d.path is not None and os.path.realpath(d.path) == real),
        None,
    )
    if deck is None:  # it did not load with its folder: its own problems say why
        own = load_library([path], known_decks=known)
        errors = tuple(p for p in own.problems if p.severity == "error")
        return own.decks, errors or (
            Problem(str(path), 1, 1, "the deck did not load", "run metaflash validate on it"),
        )
    chosen = DeckTree(library.decks).subtree(deck.id)
    decks = tuple(library.deck(deck_id) for deck_id in chosen)
    exported = tuple(d for d in decks if d is not None)
    files = {os.path.realpath(d.path) for d in exported if d.path is not None}
    errors = tuple(
        problem
        for problem in library.problems
        if problem.severity == "error" and os.path.realpath(problem.file) in files
    )
    return exported, errors


def _load_with_bundled_parents(folder: Path, deck: Deck | None = None) -> Library:
    """The decks in ``folder``; a ``parent`` may name a bundled deck the folder does not
    hold (a copy of a bundled deck in the folder is the folder's own), or the exported
    ``deck``'s parent, which the export leaves out."""
    first = load_library([folder])
    ids = {loaded.id for loaded in first.decks}
    known: list[Deck] = []
    bundled = Path(os.path.realpath(bundled_decks_dir()))
    inside = Path(os.path.realpath(folder))
    if not (inside.is_relative_to(bundled) or bundled.is_relative_to(inside)):
        known = [d for d in load_library([bundled]).decks if d.id not in ids]
    parent = deck.parent if deck is not None else None
    if parent and parent not in ids and not any(k.id == parent for k in known):
        known.append(Deck(parent, parent, ()))  # not exported: any deck of that id will do
    return load_library([folder], known_decks=known) if known else first
