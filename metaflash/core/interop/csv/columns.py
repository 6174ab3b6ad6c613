"""What each column of a CSV file holds: a header row found, a guess the user may change.

A plain table often starts with a row of column names ("Front,Back,Tags"): when every cell of
the first row is a short, distinct name and at least one is a name metaflash knows, that row
names the columns instead of becoming a card. Each column then gets a role (front, back,
tags, id, notes, deck, source, type, a line of the notes, or ignored) from its name, or by
position (front, then back, then lines of the notes) when the file has no names. The import
dialog shows the guess over the first rows (:func:`preview_csv`) and lets the user change it;
``metaflash import`` has the same choices as flags (``--header``, ``--columns``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ColumnRole(StrEnum):
    FRONT = "front"
    BACK = "back"
    TAGS = "tags"
    ID = "id"
    NOTES = "notes"
    DECK = "deck"
    SOURCE = "source"
    TYPE = "type"
    EXTRA = "extra"  # a "**Name:** value" line of the card's notes
    IGNORE = "ignore"


#: How each role reads in the import dialog (short: each heads a column of the preview).
ROLE_TITLES = {
    ColumnRole.FRONT: "Front",
    ColumnRole.BACK: "Back",
    ColumnRole.TAGS: "Tags",
    ColumnRole.ID: "Card id",
    ColumnRole.NOTES: "Notes",
    ColumnRole.DECK: "Deck",
    ColumnRole.SOURCE: "Source",
    ColumnRole.TYPE: "Card type",
    ColumnRole.EXTRA: "Notes line",
    ColumnRole.IGNORE: "Ignore",
}

#: What each role does, in a sentence (tooltips, ``metaflash import --preview``).
ROLE_HELP = {
    ColumnRole.FRONT: "the question side of each card",
    ColumnRole.BACK: "the answer side of each card",
    ColumnRole.TAGS: "tags, separated by spaces",
    ColumnRole.ID: "the card's id (kept, so that importing again updates the same card)",
    ColumnRole.NOTES: "the card's notes",
    ColumnRole.DECK: "the deck, Parent::Child for a sub-deck",
    ColumnRole.SOURCE: "where the card's fact comes from",
    ColumnRole.TYPE: "basic, reverse, cloze or sequence",
    ColumnRole.EXTRA: "a '**Name:** value' line added to the card's notes",
    ColumnRole.IGNORE: "not imported",
}

#: Column names and the role they stand for (as Anki and metaflash's CSV export write them).
ROLE_BY_NAME = {
    "front": ColumnRole.FRONT,
    "text": ColumnRole.FRONT,
    "question": ColumnRole.FRONT,
    "prompt": ColumnRole.FRONT,
    "term": ColumnRole.FRONT,
    "back": ColumnRole.BACK,
    "back extra": ColumnRole.BACK,
    "extra": ColumnRole.BACK,
    "answer": ColumnRole.BACK,
    "definition": ColumnRole.BACK,
    "tags": ColumnRole.TAGS,
    "tag": ColumnRole.TAGS,
    "id": ColumnRole.ID,
    "guid": ColumnRole.ID,
    "notes": ColumnRole.NOTES,
    "note": ColumnRole.NOTES,
    "deck": ColumnRole.DECK,
    "source": ColumnRole.SOURCE,
    "type": ColumnRole.TYPE,
}

#: The longest cell a header row may hold: names, not card text.
MAX_NAME_CHARS = 40
#: Roles that at most one column may have.
SINGLE_ROLES = frozenset(ColumnRole) - {ColumnRole.EXTRA, ColumnRole.IGNORE}


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """Whether the first row names the columns, and each column's role."""

    header_row: bool
    roles: tuple[ColumnRole, ...]

    def problem(self) -> str:
        """What makes this mapping unusable ("" when nothing does)."""
        if ColumnRole.FRONT not in self.roles:
            return "choose the column that holds the front (the question) of each card"
        for role in SINGLE_ROLES:
            if self.roles.count(role) > 1:
                return f"two columns are mapped to {ROLE_TITLES[role].lower()}: choose one"
        return ""


def role_by_name(name: str) -> ColumnRole | None:
    return ROLE_BY_NAME.get(" ".join(name.strip().lower().split()))


def looks_like_header(cells: Sequence[str]) -> bool:
    """Whether a first row names the columns rather than being a card."""
    names = [cell.strip() for cell in cells]
    if not names or any(not name or len(name) > MAX_NAME_CHARS for name in names):
        return False
    if len({name.lower() for name in names}) != len(names):
        return False
    if any(mark in name for name in names for mark in ("<", "{{", "\n")):
        return False
    return any(role_by_name(name) is not None for name in names)


def guess_roles(width: int, names: Sequence[str] = ()) -> tuple[ColumnRole, ...]:
    """Each column's role: from its name where it has one metaflash knows, else by position
    (the first free column is the front, the next the back, the rest lines of the notes)."""
    roles: list[ColumnRole | None] = []
    taken: set[ColumnRole] = set()
    for index in range(width):
        role = role_by_name(names[index]) if index < len(names) else None
        if role is not None and role not in taken:
            taken.add(role)
            roles.append(role)
        else:
            roles.append(None)
    result: list[ColumnRole] = []
    for role in roles:
        if role is None:
            role = next(
                (wanted for wanted in (ColumnRole.FRONT, ColumnRole.BACK) if wanted not in taken),
                ColumnRole.EXTRA,
            )
            taken.add(role)
        result.append(role)
    return tuple(result)


def parse_roles(text: str) -> tuple[ColumnRole, ...]:
    """``--columns front,back,tags,-`` as roles (``-`` or ``ignore`` skips a column)."""
    roles = []
    for part in text.split(","):
        name = part.strip().lower()
        if name in ("-", "", "skip"):
            roles.append(ColumnRole.IGNORE)
            continue
        try:
            roles.append(ColumnRole(name))
        except ValueError:
            known = ", ".join(role.value for role in ColumnRole)
            raise ValueError(f"unknown column role {part.strip()!r}: use {known}, or -") from None
    return tuple(roles)
