"""Which decks an export takes from a deck file or a folder of decks."""

from __future__ import annotations

from pathlib import Path

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Problem
from metaflash.core.library.snapshot import load_library, read_bytes


def decks_to_export(path: Path) -> tuple[tuple[Deck, ...], tuple[Problem, ...]]:
    """The decks in ``path`` (a deck file or a folder) and the errors that stop an export.

    A single deck file may name a ``parent`` that is not exported with it: it is then
    exported as a top-level deck, so its parent need not be loaded."""
    if not path.exists():
        return (), (Problem(str(path), 1, 1, "no such file or folder", "check the path"),)
    known: tuple[Deck, ...] = ()
    if path.is_file():
        data = read_bytes(path, str(path))
        if isinstance(data, Problem):
            return (), (data,)
        parsed = parse_deck(data, path)
        if isinstance(parsed, tuple):
            return (), parsed
        if parsed.parent:
            known = (Deck(parsed.parent, parsed.parent, ()),)
    library = load_library([path], known_decks=known)
    errors = tuple(problem for problem in library.problems if problem.severity == "error")
    if not library.decks and not errors:
        errors = (
            Problem(str(path), 1, 1, "no decks found here", "decks are .yaml files with 'cards:'"),
        )
    return library.decks, errors
