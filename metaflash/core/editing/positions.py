"""Where things are written in a deck file: each card's lines, each field's lines, the header.

The editor changes one card (or the deck's header) at a time: it cuts that card's lines out,
edits them round-trip and puts them back, so an edit costs what the card costs, not what the
file costs, and no other line can change. Moving, adding and deleting cards splices whole
card blocks, and the blank lines and comments *between* cards stay where they are.

A card's block runs from its ``-`` line to its last line of content; blank lines and
comments that follow it at the dash's indentation or less are the separator before the next
card (a section heading such as ``# --- factors ---`` belongs to the cards after it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from metaflash.core.decks.yaml_source import (
    Document,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose,
)
from metaflash.core.editing.yaml_roundtrip import Indentation


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """A key of a card and its value: lines ``first`` to ``last`` (0-based, inclusive)."""

    name: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class CardSpan:
    """One card's block: lines ``start`` (its ``-`` line) up to ``end`` (exclusive)."""

    start: int
    end: int
    dash_column: int
    node: Node
    fields: tuple[FieldSpan, ...]

    def field_at(self, line: int) -> str | None:
        return next(
            (field.name for field in self.fields if field.first <= line <= field.last), None
        )


@dataclass(frozen=True, slots=True)
class DeckLayout:
    """The layout of a deck's text (``lines`` keep their ``\\n``)."""

    lines: tuple[str, ...]
    root: MappingNode | None
    cards_key_line: int | None
    #: the cards are a block list ("- id: ..." items) whose blocks can be spliced
    block_cards: bool
    cards: tuple[CardSpan, ...]
    #: the first line after the cards list (the next top-level key, or the end of the file)
    cards_end: int
    #: the line of ``cards:`` when it is the last top-level key, so that the lines above it
    #: are the deck's header; ``None`` otherwise
    header_end: int | None
    indentation: Indentation
    #: the deck's top-level keys and their lines
    header_fields: tuple[FieldSpan, ...] = ()

    def card_at(self, line: int) -> int | None:
        """The index of the card whose block (or following separator) holds ``line``."""
        found = None
        for index, span in enumerate(self.cards):
            if span.start <= line:
                found = index
            else:
                break
        if found is None or line >= self.cards_end:
            return None
        return found

    def separators(self) -> list[list[str]]:
        """The lines after each card up to the next card (the last: up to ``cards_end``)."""
        result = []
        for index, span in enumerate(self.cards):
            stop = self.cards[index + 1].start if index + 1 < len(self.cards) else self.cards_end
            result.append(list(self.lines[span.end : stop]))
        return result


def layout_of(text: str) -> DeckLayout | None:
    """The layout of ``text`` (normalised: ``\\n`` line ends, ending in ``\\n``); ``None``
    when it is not YAML that composes into a mapping."""
    document = compose(text, "<editor>")
    if isinstance(document, Document) and type(document.root) is MappingNode:
        return _layout(text, document.root)
    return None


def _layout(text: str, root: MappingNode) -> DeckLayout:
    lines = tuple(text.splitlines(True))
    keys = list(root.entries.items())
    found = root.entries.get("cards")
    cards_key_line = found[0].line if found is not None else None
    cards_end = len(lines)
    header_end = None
    if found is not None:
        position = [name for name, _ in keys].index("cards")
        if position + 1 < len(keys):
            cards_end = keys[position + 1][1][0].line
        elif position > 0:
            header_end = found[0].line
    spans: list[CardSpan] = []
    block = False
    if found is not None and type(found[1]) is SequenceNode and found[1].items:
        sequence = found[1]
        block = _is_block(lines, sequence)
        if block:
            starts = [_dash(lines, item) for item in sequence.items]
            block = all(start is not None for start in starts) and _ordered(starts)
            if block:
                spans = _card_spans(lines, sequence.items, starts, cards_end)
    return DeckLayout(
        lines,
        root,
        cards_key_line,
        block,
        tuple(spans),
        cards_end,
        header_end,
        _indentation(lines, root, spans),
        _fields(root, len(lines)),
    )


def _is_block(lines: Sequence[str], sequence: SequenceNode) -> bool:
    line = lines[sequence.line] if sequence.line < len(lines) else ""
    return line[sequence.column : sequence.column + 1] == "-"


def _dash(lines: Sequence[str], item: Node) -> tuple[int, int] | None:
    """Where the ``-`` of a block list item is: (line, column)."""
    line, column = item.line, item.column
    while line >= 0:
        text = lines[line][:column] if column >= 0 else lines[line].rstrip("\n")
        stripped = text.rstrip()
        if stripped.endswith("-"):
            return line, len(stripped) - 1
        if stripped:
            return None
        line -= 1
        column = -1
    return None


def _ordered(starts: Sequence[tuple[int, int] | None]) -> bool:
    rows = [start[0] for start in starts if start is not None]
    return all(a < b for a, b in pairwise(rows))


def _separator_line(line: str, dash_column: int) -> bool:
    stripped = line.strip()
    if not stripped:
        return True
    return stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= dash_column


def _card_spans(
    lines: Sequence[str],
    items: Sequence[Node],
    starts: Sequence[tuple[int, int] | None],
    cards_end: int,
) -> list[CardSpan]:
    spans: list[CardSpan] = []
    for index, item in enumerate(items):
        start = starts[index]
        assert start is not None
        following = starts[index + 1] if index + 1 < len(items) else None
        end = following[0] if following is not None else cards_end
        while end > start[0] + 1 and _separator_line(lines[end - 1], start[1]):
            end -= 1
        spans.append(CardSpan(start[0], end, start[1], item, _fields(item, end)))
    return spans


def _fields(item: Node, end: int) -> tuple[FieldSpan, ...]:
    if type(item) is not MappingNode:
        return ()
    keys = sorted((key.line, name) for name, (key, _) in item.entries.items())
    result = []
    for position, (line, name) in enumerate(keys):
        last = keys[position + 1][0] - 1 if position + 1 < len(keys) else end - 1
        result.append(FieldSpan(name, line, max(line, last)))
    return tuple(result)


def _indentation(lines: Sequence[str], root: MappingNode, spans: Sequence[CardSpan]) -> Indentation:
    mapping = _mapping_indent(lines, root) or 2
    if not spans:
        return Indentation(mapping, mapping + 2, mapping)
    first = spans[0]
    content = first.node.column if first.node.line == first.start else first.dash_column + 2
    return Indentation(mapping, content, first.dash_column)


def _mapping_indent(lines: Sequence[str], root: MappingNode) -> int | None:
    """How far the file indents a nested mapping or a block scalar's text under its key."""
    pending: list[Node] = [root]
    seen = 0
    while pending and seen < 2000:
        node = pending.pop()
        seen += 1
        if type(node) is SequenceNode:
            pending.extend(reversed(node.items))
            continue
        if type(node) is not MappingNode:
            continue
        for key, value in node.entries.values():
            if type(value) is MappingNode and value.line > key.line:
                return value.column - key.column
            if (
                type(value) is ScalarNode
                and value.style in ("|", ">")
                and value.line + 1 < len(lines)
            ):
                body = lines[value.line + 1]
                if body.strip():
                    return len(body) - len(body.lstrip(" ")) - key.column
            if type(value) is not ScalarNode:
                pending.append(value)
    return None
