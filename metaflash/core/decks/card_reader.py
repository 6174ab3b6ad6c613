"""The fields of each card type, read from a card's YAML entries into its typed content.

:func:`read_content` is called by :mod:`metaflash.core.decks.loader` for every card, after
the card's keys were checked; like the rest of the loader it records a located problem for
each mistake and returns ``None`` when the content is unusable. Whether the diagram steps
that ``answer`` and ``stages`` name exist is checked across files, by the library.
"""

from __future__ import annotations

import re
from typing import Final

from metaflash.core.decks.cloze import parse_cloze
from metaflash.core.decks.model import (
    SLUG_PATTERN,
    BasicContent,
    CardContent,
    ClozeContent,
    DiagramContent,
    ReverseContent,
    SequenceContent,
    StepId,
)
from metaflash.core.decks.yaml_fields import Entries, FieldReader, plain_kind
from metaflash.core.decks.yaml_source import Node, ScalarNode, SequenceNode

#: The fields each card type needs, besides the common ones.
TYPE_FIELDS: Final = {
    "basic": ("front", "back"),
    "reverse": ("front", "back"),
    "cloze": ("text",),
    "sequence": ("prompt", "steps"),
    "diagram": ("question", "answer"),
}
#: The fields a card type may have, besides its required and the common ones.
OPTIONAL_TYPE_FIELDS: Final = {"sequence": ("stages",)}
_SLUG: Final = re.compile(SLUG_PATTERN)


def read_content(reader: FieldReader, card_type: str, entries: Entries) -> CardContent | None:
    """The content of a card of ``card_type`` (a known type) from its ``entries``."""

    def text(key: str) -> str | None:
        return reader.text(entries[key][1], key) if key in entries else None

    if card_type in ("basic", "reverse"):
        front, back = text("front"), text("back")
        if front is None or back is None:
            return None
        return BasicContent(front, back) if card_type == "basic" else ReverseContent(front, back)
    if card_type == "cloze":
        return _cloze(reader, entries["text"][1]) if "text" in entries else None
    if card_type == "sequence":
        prompt = text("prompt")
        steps = _steps(reader, entries["steps"][1]) if "steps" in entries else None
        stages = _stages(reader, entries["stages"][1], steps) if "stages" in entries else ()
        if prompt is None or steps is None or stages is None:
            return None
        return SequenceContent(prompt, steps, stages)
    if card_type == "diagram":
        question = text("question")
        answer = _answer(reader, entries["answer"][1]) if "answer" in entries else None
        if question is None or answer is None:
            return None
        return DiagramContent(question, answer)
    return None


def _cloze(reader: FieldReader, node: Node) -> ClozeContent | None:
    text = reader.text(node, "text")
    if text is None:
        return None
    parsed = parse_cloze(text)
    if not isinstance(parsed, tuple):
        return ClozeContent(text, parsed)
    assert isinstance(node, ScalarNode)
    for error in parsed:
        line, column = _offset_position(reader, node, error.offset)
        reader.error_at(line, column, error.message, error.hint)
    return None


def _offset_position(reader: FieldReader, node: ScalarNode, offset: int) -> tuple[int, int]:
    """Where character ``offset`` of a scalar's value is written, when that is exact:
    a one-line plain or quoted scalar without escapes; else the scalar's start."""
    if node.style in ("", "'", '"'):
        written = reader.source.text[node.index : node.end]
        inner = written[1:-1] if node.style else written
        if "\n" not in written and inner == node.value:
            return node.line + 1, node.column + 1 + offset + (1 if node.style else 0)
    return node.line + 1, node.column + 1


def _steps(reader: FieldReader, node: Node) -> tuple[str, ...] | None:
    steps = reader.text_list(node, "steps")
    if steps is None:
        return None
    if len(steps) < 2:
        reader.error(
            node,
            f"a sequence needs at least 2 steps, not {len(steps)}",
            "list the steps in order under 'steps:'",
        )
        return None
    seen: dict[str, int] = {}
    assert isinstance(node, SequenceNode)
    for number, (step, item) in enumerate(zip(steps, node.items, strict=True), 1):
        if step in seen:
            reader.error(
                item,
                f"step {number} repeats step {seen[step]}: '{step}'",
                "each step of a sequence must differ, or the order is ambiguous",
            )
            return None
        seen[step] = number
    return steps


def _stages(
    reader: FieldReader, node: Node, steps: tuple[str, ...] | None
) -> tuple[StepId | None, ...] | None:
    """A sequence's ``stages``: one diagram step id (or null) per step, in the same order."""
    items = reader.items(node, "stages", example="stages: [local-invasion, null, extravasation]")
    if items is None:
        return None
    stages: list[StepId | None] = []
    ok = True
    for item in items:
        if type(item) is ScalarNode and plain_kind(item) == "null":
            stages.append(None)
            continue
        value = reader.slug(item, "stages item")
        if value is None:
            ok = False
        stages.append(StepId(value) if value is not None else None)
    if steps is not None and len(items) != len(steps):
        reader.error(
            node,
            f"'stages' has {len(items)} item{'s' if len(items) != 1 else ''}, "
            f"but 'steps' has {len(steps)}",
            "give one diagram step id per step, in the same order (null for a step the "
            "diagram does not show)",
        )
        return None
    if ok and all(stage is None for stage in stages):
        reader.error(
            node,
            "'stages' names no diagram step",
            "give the step ids of the deck's diagram, or remove 'stages'",
        )
        return None
    return tuple(stages) if ok else None


def _answer(reader: FieldReader, node: Node) -> StepId | None:
    value = reader.text(node, "answer")
    if value is None:
        return None
    if _SLUG.match(value) is None:
        example = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")
        reader.error(
            node,
            f"'answer' must be the id of a step of the deck's diagram, not '{value}'",
            "write the step's id from the diagram file"
            + (f", e.g. '{example}'" if example else ""),
        )
        return None
    return StepId(value)
