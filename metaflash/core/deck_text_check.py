"""Check a deck's text before it is written: the loader's checks plus the cross-file ones.

The editor checks the text it would save, not the file on disk: :func:`check_deck_text`
parses it with the real loader (:func:`metaflash.core.deck_loader.read_deck`) and runs the
library's own cross-file checks on the result (the diagram and its steps, images, the
parent deck, a deck id used by another file), so the editor reports exactly what loading
the saved file will report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.deck_loader import DeckReferences, read_deck
from metaflash.core.deck_model import Deck, DeckId, Diagram, Problem

# The library's cross-file checks work on its per-file records; they are used here as they
# are (rather than copied) so that the editor and the loader can never disagree.
from metaflash.core.library import _File, _Loader


@dataclass(frozen=True, slots=True)
class TextCheck:
    """What checking a deck's text found: ``deck`` is ``None`` when the text has errors of
    its own; ``diagram`` is the deck's diagram when it loaded."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    diagram: Diagram | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")


def check_deck_text(
    text: str,
    path: Path,
    others: Sequence[Deck] = (),
    known_ids: Iterable[DeckId] = (),
) -> TextCheck:
    """Check ``text`` as the deck file ``path`` would hold it. ``others`` are the other loaded
    decks (a parent must be one of them, or in ``known_ids``; none may share its id)."""
    shown = str(path)
    reading = read_deck(text, path, name=shown)
    if reading.partial is None:
        return TextCheck(None, reading.problems)
    loader = _Loader()
    real = os.path.realpath(path)
    file = _File(
        path,
        shown,
        deck=reading.partial,
        references=reading.references,
        own_errors=bool(reading.problems),
        opened=True,
        problems=list(reading.problems),
    )
    loader.files[real] = file
    loader._check_diagram(file)
    loader._check_images(file)
    neighbours = tuple(
        other for other in others if other.path is None or os.path.realpath(other.path) != real
    )
    loader._check_duplicate_ids([file], neighbours)
    parents = [
        _File(other.path or path, str(other.path), deck=other, references=DeckReferences())
        for other in neighbours
    ]
    loader._check_parents([file, *parents], frozenset(known_ids))
    diagram = next(
        (
            found.diagram
            for found in loader.files.values()
            if found.diagram is not None
            and file.deck is not None
            and file.deck.diagram is not None
            and os.path.realpath(found.path) == os.path.realpath(file.deck.diagram)
        ),
        None,
    )
    problems = sorted(file.problems, key=lambda problem: (problem.line, problem.column))
    deck = file.deck if not file.own_errors else None
    return TextCheck(deck, tuple(problems), diagram)
