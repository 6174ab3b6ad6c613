"""Deck files to :class:`~metaflash.core.decks.model.Deck` values, or every problem in them.

:func:`parse_deck` is pure: text in, a deck or problems out; it never touches the file
system. What needs other files (the diagram steps that cards name in ``stage``, a diagram
card's ``answer`` and a sequence's ``stages``; images on disk; the ``parent`` deck) is checked
by :mod:`metaflash.core.library.snapshot`, from the positions this module records in
:class:`DeckReferences`. Each card type's own fields are read by
:mod:`metaflash.core.decks.card_reader`.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path, PurePosixPath
from typing import Final

from metaflash.core.decks.card_reader import OPTIONAL_TYPE_FIELDS, TYPE_FIELDS, read_content
from metaflash.core.decks.citations import Declared, read_citations, read_sources
from metaflash.core.decks.model import (
    NOWHERE,
    Card,
    CardContent,
    CardId,
    Deck,
    DeckId,
    DiagramContent,
    Location,
    Problem,
    SequenceContent,
    StepId,
)
from metaflash.core.decks.yaml_fields import (
    Entries,
    FieldReader,
    TooMuchExpansion,
    declared_kind,
    describe,
    suggest,
)
from metaflash.core.decks.yaml_source import (
    Document,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose,
)
from metaflash.core.util.gc_pause import collector_paused

__all__ = [
    "ALL_CARD_KEYS",
    "CARD_KEYS",
    "COMMON_CARD_KEYS",
    "DECK_KEYS",
    "DECK_ORDER",
    "IMAGE_SUFFIXES",
    "OPTIONAL_TYPE_FIELDS",
    "TYPE_FIELDS",
    "DeckReading",
    "DeckReferences",
    "deck_from_document",
    "parse_deck",
    "read_deck",
]

#: A deck's keys in the order of docs/deck-format.md (the editor places new keys by it).
DECK_ORDER: Final = (
    "format",
    "kind",
    "id",
    "title",
    "description",
    "parent",
    "authors",
    "version",
    "licence",
    "license",  # accepted as well; it sits where "licence" does
    "diagram",
    "sources",
    "cards",
)
DECK_KEYS: Final = frozenset(DECK_ORDER)
DECK_REQUIRED: Final = ("id", "title", "cards")
COMMON_CARD_KEYS: Final = frozenset({"id", "type", "tags", "stage", "source", "notes", "image"})
CARD_KEYS: Final = {
    name: COMMON_CARD_KEYS | set(fields) | set(OPTIONAL_TYPE_FIELDS.get(name, ()))
    for name, fields in TYPE_FIELDS.items()
}
ALL_CARD_KEYS: Final = COMMON_CARD_KEYS.union(*CARD_KEYS.values())
_TYPE_NAMES: Final = "basic, reverse, cloze, sequence or diagram"
IMAGE_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"})
_TAG: Final = re.compile(r"\S+")
_DECK_EXAMPLE: Final = "'format: 1', 'id: my-deck', 'title: ...' and 'cards:' on their own lines"


@dataclass(frozen=True, slots=True)
class DeckReferences:
    """Where a deck refers to other files and decks, for the library's cross-file checks.

    ``stages`` are the cards' ``stage`` values, ``answers`` the diagram cards' ``answer``
    values, and ``sequence_stages`` the items of sequence cards' ``stages`` lists."""

    id: Location = NOWHERE
    diagram: Location | None = None
    parent: Location | None = None
    stages: Mapping[CardId, Location] = field(default_factory=dict)
    images: Mapping[CardId, Location] = field(default_factory=dict)
    answers: Mapping[CardId, Location] = field(default_factory=dict)
    sequence_stages: Mapping[CardId, tuple[Location, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeckReading:
    """The outcome of reading one deck file: ``deck`` is ``None`` when it has errors.

    ``partial`` is the deck built from what was valid (the cards without errors) whenever its
    id and title are, so that the checks across files can still report on it."""

    deck: Deck | None
    references: DeckReferences
    problems: tuple[Problem, ...]
    partial: Deck | None = None


def _elsewhere(key: str, card_type: str) -> str:
    """A hint for ``key`` on a card of ``card_type`` when the key belongs to other types."""
    if key == "stages":
        return "did you mean 'stage'? ('stages' is a list that belongs to sequence cards)"
    if key in ("question", "answer") and card_type in ("basic", "reverse"):
        return f"{card_type} cards use 'front' and 'back'; '{key}' belongs to diagram cards"
    if key in ("front", "back") and card_type == "diagram":
        return "diagram cards use 'question' and 'answer' (the id of a diagram step)"
    owners = [name for name, fields in TYPE_FIELDS.items() if key in fields]
    if not owners:
        return ""
    return f"'{key}' belongs to {' and '.join(owners)} cards; set 'type: {owners[0]}'"


def parse_deck(text: str | bytes, path: str | PathLike[str]) -> Deck | tuple[Problem, ...]:
    """The deck in ``text`` (read from ``path``), or every problem found in it.

    Relative paths in the deck (``diagram``, ``image``) are joined to ``path``'s folder."""
    reading = read_deck(text, path)
    return reading.deck if reading.deck is not None else reading.problems


def read_deck(
    text: str | bytes, path: str | PathLike[str], *, name: str | None = None
) -> DeckReading:
    """:func:`parse_deck` with the references kept; problems name the file ``name``."""
    with collector_paused(promote=True):
        document = compose(text, name if name is not None else str(path))
        if isinstance(document, Problem):
            return DeckReading(None, DeckReferences(), (document,))
        return deck_from_document(document, Path(path))


def deck_from_document(document: Document, path: Path) -> DeckReading:
    """Build the deck from an already composed file."""
    if document.root is None:
        return DeckReading(None, DeckReferences(), document.problems)
    reader = FieldReader(document)
    builder = _DeckBuilder(reader, path)
    try:
        deck = builder.build(document.root)
    except TooMuchExpansion as stop:
        reader.error(
            stop.node,
            "aliases (*name) repeat so much of this file that it would take too long to check",
            "write the repeated values out, or use far fewer aliases",
        )
        deck = None
    problems = reader.sorted_problems()
    references = builder.references()
    return DeckReading(None if problems else deck, references, problems, deck)


class _DeckBuilder:
    def __init__(self, reader: FieldReader, path: Path) -> None:
        self.reader = reader
        self.folder = path.parent
        self.path = path
        self.id_location = NOWHERE
        self.diagram_location: Location | None = None
        self.parent_location: Location | None = None
        self.stage_locations: dict[CardId, Location] = {}
        self.image_locations: dict[CardId, Location] = {}
        self.answer_locations: dict[CardId, Location] = {}
        self.sequence_stage_locations: dict[CardId, tuple[Location, ...]] = {}
        self.has_diagram = False
        # the nodes that name diagram steps in a deck without a diagram, by field
        self.steps_without_diagram: dict[str, list[Node]] = {}

    def references(self) -> DeckReferences:
        return DeckReferences(
            self.id_location,
            self.diagram_location,
            self.parent_location,
            self.stage_locations,
            self.image_locations,
            self.answer_locations,
            self.sequence_stage_locations,
        )

    def build(self, root: Node) -> Deck | None:
        reader = self.reader
        entries = reader.fields(root, "the deck", DECK_KEYS, DECK_REQUIRED, example=_DECK_EXAMPLE)
        if entries is None:
            return None
        kind = declared_kind(reader, entries)
        if kind == "diagram":
            reader.discard_field_problems()
            reader.error(
                entries["kind"][1],
                "this file is a diagram (kind: diagram), not a deck",
                "a deck uses it with 'diagram: FILE.diagram.yaml'",
            )
            return None
        if not reader.format_version(entries, root):
            problem = reader.problems[-1]
            reader.discard_field_problems()
            reader.problems.append(problem)
            return None

        def text(key: str, *, empty_ok: bool = False) -> str | None:
            found = entries.get(key)
            return None if found is None else reader.text(found[1], key, empty_ok=empty_ok)

        deck_id = None
        if "id" in entries:
            id_node = entries["id"][1]
            self.id_location = reader.location(id_node)
            deck_id = reader.slug(id_node, "id")
        title = text("title")
        description = text("description", empty_ok=True) or ""
        version = text("version") or ""
        licence = self._licence(entries)
        authors: tuple[str, ...] = ()
        if "authors" in entries:
            authors = reader.text_list(entries["authors"][1], "authors") or ()
        parent = self._parent(entries, deck_id)
        diagram = self._diagram(entries)
        sources, declared = (
            read_sources(reader, entries["sources"][1]) if "sources" in entries else ((), {})
        )
        cards: tuple[Card, ...] = ()
        if "cards" in entries:
            cards = self._cards(entries["cards"][1], declared)
        self._report_steps_without_diagram()
        if deck_id is None or title is None:
            return None
        return Deck(
            DeckId(deck_id),
            title,
            cards,
            description=description,
            authors=authors,
            version=version,
            licence=licence,
            sources=sources,
            parent=parent,
            diagram=diagram,
            path=self.path,
            location=reader.location(root),
        )

    def _report_steps_without_diagram(self) -> None:
        """One error per kind of reference to diagram steps in a deck without a diagram."""
        add = "add 'diagram: FILE.diagram.yaml' to the deck"
        what = {
            "stage": ("cards name a 'stage'", f"{add}, or remove the stages"),
            "answer": (
                "diagram cards are answered on the deck's diagram",
                f"{add}: its steps are the answers",
            ),
            "stages": ("sequence cards name 'stages'", f"{add}, or remove the 'stages' lists"),
        }
        for key, (message, hint) in what.items():
            nodes = self.steps_without_diagram.get(key, [])
            if nodes:
                count = f" ({len(nodes)} cards do)" if len(nodes) > 1 else ""
                self.reader.error(
                    nodes[0], f"{message}, but the deck names no 'diagram'{count}", hint
                )

    def _licence(self, entries: Entries) -> str:
        reader = self.reader
        british, american = entries.get("licence"), entries.get("license")
        if british is not None and american is not None:
            reader.error(
                american[0], "give either 'licence' or 'license', not both", "remove one of them"
            )
            return ""
        found = british or american
        if found is None:
            return ""
        return reader.text(found[1], found[0].value) or ""

    def _parent(self, entries: Entries, deck_id: str | None) -> DeckId | None:
        found = entries.get("parent")
        if found is None:
            return None
        node = found[1]
        self.parent_location = self.reader.location(node)
        parent = self.reader.slug(node, "parent")
        if parent is None:
            return None
        if parent == deck_id:
            self.reader.error(
                node,
                "a deck cannot be its own parent",
                "name the id of the deck this one belongs to",
            )
            return None
        return DeckId(parent)

    def _diagram(self, entries: Entries) -> Path | None:
        found = entries.get("diagram")
        if found is None:
            return None
        node = found[1]
        self.has_diagram = True
        self.diagram_location = self.reader.location(node)
        value = self.reader.text(node, "diagram")
        if value is None:
            return None
        if "\\" in value or PurePosixPath(value).is_absolute() or re.match(r"[A-Za-z]:", value):
            self.reader.error(
                node,
                f"'diagram' must be a path relative to the deck's folder: '{value}'",
                "use forward slashes, e.g. diagram: cascade.diagram.yaml",
            )
            return None
        if not value.endswith((".yaml", ".yml")):
            self.reader.error(
                node,
                f"'diagram' must name a .diagram.yaml file: '{value}'",
                "diagram files end in .diagram.yaml",
            )
            return None
        return Path(os.path.normpath(self.folder / value))

    # --- cards ---------------------------------------------------------------------------

    def _cards(self, node: Node, sources: Declared) -> tuple[Card, ...]:
        reader = self.reader
        items = reader.items(node, "cards", example="cards: [] (for no cards yet)")
        if items is None:
            return ()
        first_line: dict[str, int] = {}
        cards: list[Card] = []
        for item in items:
            card = self._card(item, sources, first_line)
            if card is not None:
                cards.append(card)
        return tuple(cards)

    def _card(self, node: Node, sources: Declared, first_line: dict[str, int]) -> Card | None:
        reader = self.reader
        if not isinstance(node, MappingNode):
            reader.error(
                node,
                f"a card must be a mapping of fields, not {describe(node)}",
                "start each card with '- id: ...' and indent its other fields under it",
            )
            return None
        entries = node.entries
        id_entry = entries.get("id")
        label = (
            f"card '{id_entry[1].value}'"
            if id_entry is not None and type(id_entry[1]) is ScalarNode
            else "a card"
        )
        card_type = "basic"
        type_entry = entries.get("type")
        if type_entry is not None:
            card_type = self._card_type(type_entry[1]) or ""
        known = CARD_KEYS.get(card_type, ALL_CARD_KEYS)
        required = ("id", *TYPE_FIELDS.get(card_type, ()))

        def elsewhere(key: str) -> str:
            return _elsewhere(key, card_type)

        entries_or_none = reader.fields(
            node,
            f"{label} ({card_type or 'unknown'} type)" if card_type else label,
            known,
            required,
            elsewhere=elsewhere,
        )
        if entries_or_none is None:
            return None

        card_id = None
        if id_entry is not None:
            id_node = id_entry[1]
            card_id = reader.slug(id_node, "id")
            if card_id is not None:
                line = first_line.get(card_id)
                if line is not None:
                    reader.error(
                        id_node,
                        f"duplicate card id '{card_id}' (first used at line {line})",
                        "every card in a deck needs its own id: progress is stored by id",
                    )
                    card_id = None
                else:
                    first_line[card_id] = id_node.line + 1
        content = read_content(reader, card_type, entries) if card_type else None
        self._step_references(None if card_id is None else CardId(card_id), entries, content)
        tags: tuple[str, ...] = ()
        if "tags" in entries:
            tags = self._tags(entries["tags"][1])
        stage = None
        if "stage" in entries:
            stage_node = entries["stage"][1]
            stage = reader.slug(stage_node, "stage")
            if stage is not None and card_id is not None:
                self.stage_locations[CardId(card_id)] = reader.location(stage_node)
            if not self.has_diagram:
                self.steps_without_diagram.setdefault("stage", []).append(stage_node)
        refs = read_citations(reader, entries["source"][1], sources) if "source" in entries else ()
        notes = ""
        if "notes" in entries:
            notes = reader.text(entries["notes"][1], "notes", empty_ok=True) or ""
        image = None
        if "image" in entries:
            image_node = entries["image"][1]
            image = self._image(image_node)
            if image is not None and card_id is not None:
                self.image_locations[CardId(card_id)] = reader.location(image_node)
        if card_id is None or content is None:
            return None
        return Card(
            CardId(card_id),
            content,
            tags,
            StepId(stage) if stage is not None else None,
            refs,
            notes,
            image,
            reader.location(node),
        )

    def _card_type(self, node: Node) -> str | None:
        value = self.reader.text(node, "type")
        if value is None or value in TYPE_FIELDS:
            return value
        hint = suggest(value, TYPE_FIELDS) or f"use {_TYPE_NAMES}"
        self.reader.error(node, f"unknown card type '{value}'", hint)
        return None

    def _step_references(
        self, card_id: CardId | None, entries: Entries, content: CardContent | None
    ) -> None:
        """Record where a diagram card's ``answer`` and a sequence's ``stages`` are written."""
        if isinstance(content, DiagramContent):
            node = entries["answer"][1]
            if card_id is not None:
                self.answer_locations[card_id] = self.reader.location(node)
            key = "answer"
        elif isinstance(content, SequenceContent) and content.stages:
            node = entries["stages"][1]
            assert isinstance(node, SequenceNode)
            if card_id is not None:
                self.sequence_stage_locations[card_id] = tuple(
                    self.reader.location(item) for item in node.items
                )
            key = "stages"
        else:
            return
        if not self.has_diagram:
            self.steps_without_diagram.setdefault(key, []).append(node)

    def _tags(self, node: Node) -> tuple[str, ...]:
        reader = self.reader

        def one_word(item: Node, tag: str) -> bool:
            if _TAG.fullmatch(tag):
                return True
            fixed = "-".join(tag.split())
            reader.error(item, f"tag '{tag}' contains spaces", f"join the words: '{fixed}'")
            return False

        tags = reader.text_list(node, "tags", check=one_word)
        return tuple(dict.fromkeys(tags)) if tags else ()

    def _image(self, node: Node) -> Path | None:
        reader = self.reader
        value = reader.text(node, "image")
        if value is None:
            return None
        if "\\" in value or PurePosixPath(value).is_absolute() or re.match(r"[A-Za-z]:", value):
            reader.error(
                node,
                f"'image' must be a path relative to the deck's folder: '{value}'",
                "use forward slashes, e.g. image: images/vessel.png",
            )
            return None
        normal = posixpath.normpath(value)
        if normal == ".." or normal.startswith("../"):
            reader.error(
                node,
                f"the image '{value}' is outside the deck's folder",
                "keep images in the deck's folder or below it",
            )
            return None
        suffix = PurePosixPath(normal).suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            kinds = ", ".join(sorted(IMAGE_SUFFIXES))
            reader.error(node, f"'{value}' is not an image file this program shows", f"use {kinds}")
            return None
        return self.folder / normal
