"""Where each problem of a deck's text is shown: under a card's field, on the card, or in
the deck's details (a pure function; the editor view shows the result)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from metaflash.core.decks.model import Problem
from metaflash.core.editing.document import DeckDocument
from metaflash.core.editing.draft import CARD_ORDER

#: "missing the required field 'front'" belongs to the front field, not the card's first line.
_FIELD_IN_MESSAGE: Final = re.compile(r"field '([a-z]+)'")
_FORM_FIELDS: Final = frozenset(CARD_ORDER)  # every card field has a place in the form


def problem_text(problem: Problem) -> str:
    return f"{problem.message} ({problem.hint})" if problem.hint else problem.message


@dataclass(frozen=True, slots=True)
class ProblemPlaces:
    """The problems sorted by where they are shown. ``located`` keeps each problem with its
    card index (``None``: the deck's details) and field, in file order."""

    located: tuple[tuple[Problem, int | None, str | None], ...] = ()
    by_card: dict[int, list[Problem]] = field(default_factory=dict)
    card_fields: dict[str, list[str]] = field(default_factory=dict)  # of the current card
    card_general: list[str] = field(default_factory=list)
    deck_fields: dict[str, list[str]] = field(default_factory=dict)
    deck_general: list[str] = field(default_factory=list)


def place_problems(
    problems: Sequence[Problem], document: DeckDocument, current: int
) -> ProblemPlaces:
    places = ProblemPlaces()
    located = []
    for problem in problems:
        index, name = document.locate(problem.line)
        named = _FIELD_IN_MESSAGE.search(problem.message)
        if (
            index is not None
            and named
            and named.group(1) in _FORM_FIELDS
            and "unknown" not in problem.message
        ):
            name = named.group(1)
        located.append((problem, index, name))
        text = problem_text(problem)
        if index is None:
            (places.deck_fields.setdefault(name, []) if name else places.deck_general).append(text)
            continue
        places.by_card.setdefault(index, []).append(problem)
        if index == current:
            (places.card_fields.setdefault(name, []) if name else places.card_general).append(text)
    return ProblemPlaces(
        tuple(located),
        places.by_card,
        places.card_fields,
        places.card_general,
        places.deck_fields,
        places.deck_general,
    )
