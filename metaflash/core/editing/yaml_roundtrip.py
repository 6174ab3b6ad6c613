"""Round-trip YAML editing that keeps the author's comments, key order and formatting.

ruamel.yaml (round-trip mode) loads a piece of a deck file into commented mappings and lists,
an edit changes them, and ruamel writes them back. ruamel keeps comments, key order, quoting
and block scalars, but it can still normalise a few things it does not model (unusual
indentation, spacing after a colon). So the text written back is a three-way merge: the
lines ruamel changed because of the edit are taken from its output, every other line from
the original text, byte for byte. The merged text is then read back and must hold exactly
the data of ruamel's output; if it does not, ruamel's output is used as it is.

New and changed values get a style that YAML 1.1 (PyYAML, which reads decks) and YAML 1.2
(ruamel, editors) read the same way: plain when that is safe, else double-quoted; multi-line
text as a literal block (``|``); a value written folded (``>-``) stays folded, re-wrapped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from metaflash.core.decks.writer import scalar

#: Lines are never re-wrapped by ruamel: the author's line breaks are theirs.
_NO_WRAP: Final = 1 << 20
#: Where new and re-wrapped folded text is broken, counting the indentation.
FOLD_WIDTH: Final = 80
_PyYamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FOLDABLE_CHARS: Final = re.compile(
    r"^[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*$"
)


class RoundTripError(Exception):
    """ruamel could not read or write a piece of YAML (the message says why)."""


@dataclass(frozen=True, slots=True)
class Indentation:
    """How a file indents, in ruamel's terms: ``sequence`` is the column of a list item's
    content and ``offset`` the column of its dash, both relative to the parent; ``mapping``
    is how far nested mappings and block scalars are indented."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2

    def fixed(self) -> Indentation:
        """The same indentation, made consistent enough for ruamel's emitter."""
        mapping = max(1, self.mapping)
        offset = max(0, self.offset)
        return Indentation(mapping, max(self.sequence, offset + 2), offset)


def _yaml(indent: Indentation) -> YAML:
    handler = YAML(typ="rt", pure=True)
    handler.preserve_quotes = True
    handler.width = _NO_WRAP
    handler.allow_unicode = True
    fixed = indent.fixed()
    handler.indent(mapping=fixed.mapping, sequence=fixed.sequence, offset=fixed.offset)
    return handler


def load(text: str, indent: Indentation) -> object:
    try:
        return _yaml(indent).load(text)
    except (RuamelError, ValueError, TypeError) as error:
        raise RoundTripError(f"cannot read this YAML for editing: {error}") from error


def dump(data: object, indent: Indentation) -> str:
    stream = io.StringIO()
    try:
        _yaml(indent).dump(data, stream)
    except (RuamelError, ValueError, TypeError) as error:
        raise RoundTripError(f"cannot write this YAML: {error}") from error
    return stream.getvalue()


def edit_text(text: str, indent: Indentation, apply: Callable[[object], None]) -> str:
    """``text`` with ``apply`` run on its loaded data, every untouched line kept as it was."""
    data = load(text, indent)
    base = dump(data, indent)
    apply(data)
    edited = dump(data, indent)
    merged = "".join(merge3(text.splitlines(True), base.splitlines(True), edited.splitlines(True)))
    return merged if same_data(merged, edited) else edited


def same_data(first: str, second: str) -> bool:
    """Whether two YAML texts hold the same data, as the deck loader's YAML reads it."""
    try:
        return bool(
            yaml.load(first, Loader=_PyYamlLoader) == yaml.load(second, Loader=_PyYamlLoader)
        )
    except yaml.YAMLError:
        return False


def merge3(original: Sequence[str], base: Sequence[str], edited: Sequence[str]) -> list[str]:
    """A three-way merge of lines: the edit (``base`` → ``edited``) applied to ``original``.

    ``base`` is ruamel's rewrite of ``original``, equal to it but where ruamel normalised
    something. Each region of ``base`` that the edit changed is replaced by ``edited``'s
    lines; each region that only ruamel changed keeps ``original``'s lines; where the two
    overlap, ``edited`` wins (its data is right; a line of formatting may be normalised)."""
    to_original = SequenceMatcher(None, base, original, autojunk=False).get_opcodes()
    to_edited = SequenceMatcher(None, base, edited, autojunk=False).get_opcodes()
    spans = [_Span(a1, a2, b1, b2, False) for tag, a1, a2, b1, b2 in to_original if tag != "equal"]
    spans += [_Span(a1, a2, b1, b2, True) for tag, a1, a2, b1, b2 in to_edited if tag != "equal"]
    spans.sort(key=lambda span: (span.start, span.end, not span.edit))
    result: list[str] = []
    position = 0
    for cluster in _clusters(spans):
        start, end = cluster[0].start, max(span.end for span in cluster)
        result.extend(base[position:start])
        kinds = {span.edit for span in cluster}
        if len(cluster) == 1:
            only = cluster[0]
            result.extend((edited if only.edit else original)[only.first : only.last])
        elif kinds == {False}:
            result.extend(original[_map(to_original, start, True) : _map(to_original, end, False)])
        else:
            result.extend(edited[_map(to_edited, start, True) : _map(to_edited, end, False)])
        position = end
    result.extend(base[position:])
    return result


@dataclass(frozen=True, slots=True)
class _Span:
    """Lines ``start:end`` of the base replaced by ``first:last`` of the original (``edit``
    false) or of the edited text."""

    start: int
    end: int
    first: int
    last: int
    edit: bool


def _clusters(spans: Sequence[_Span]) -> list[list[_Span]]:
    clusters: list[list[_Span]] = []
    end = -1
    for span in spans:
        if clusters:
            current = clusters[-1]
            empty_here = span.start == span.end == current[0].start == end
            if span.start < end or empty_here:
                current.append(span)
                end = max(end, span.end)
                continue
        clusters.append([span])
        end = span.end
    return clusters


def _map(opcodes: Sequence[tuple[str, int, int, int, int]], position: int, start: bool) -> int:
    """Where a line boundary of the base falls in the other text."""
    equal = [op for op in opcodes if op[0] == "equal" and op[1] <= position <= op[2]]
    if equal:
        _tag, a1, _a2, b1, _b2 = equal[-1] if start else equal[0]
        return b1 + position - a1
    for _tag, a1, a2, b1, b2 in opcodes:
        if a1 == position:
            return b1
        if a2 == position:
            return b2
    return 0


# --- styles for new and changed values ---------------------------------------------------------


def plain_safe(text: str) -> bool:
    """Whether ``text`` can be written unquoted and read back unchanged by YAML 1.1 and 1.2."""
    return "\n" not in text and bool(text) and scalar(text, 0) == text


def styled_text(
    text: str, previous: object = None, *, indent: int = 0, fold_long: bool = False
) -> object:
    """``text`` as a scalar to store in a round-trip mapping, styled like ``previous`` (the
    value it replaces) where that reads back the same. ``indent`` is the column of the key
    (for folding); ``fold_long`` folds long new text as ``>-`` when it is safe. An empty
    previous value (a placeholder such as ``front: ""``) has no style to keep."""
    if previous == "":
        previous = None
    if "\n" in text.strip("\n") or (text.endswith("\n") and text.strip()):
        return LiteralScalarString(text) if _literal_safe(text) else DoubleQuotedScalarString(text)
    if isinstance(previous, FoldedScalarString) or (
        fold_long and previous is None and indent + len(text) > FOLD_WIDTH
    ):
        folded = folded_text(text, indent)
        if folded is not None:
            return folded
    if (
        isinstance(previous, SingleQuotedScalarString)
        and "\n" not in text
        and _FOLDABLE_CHARS.match(text)
    ):
        return SingleQuotedScalarString(text)
    if isinstance(previous, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(text)
    if plain_safe(text):
        # not a bare str: ruamel would give it the style of the value it replaces
        return PlainScalarString(text)
    return DoubleQuotedScalarString(text)


def _literal_safe(text: str) -> bool:
    lines = text.split("\n")
    return (
        bool(_FOLDABLE_CHARS.match(text.replace("\n", "")))
        and not text.startswith((" ", "\t"))
        and not any(line.strip() == "" and line for line in lines)
        and "\t" not in text
    )


def folded_text(text: str, indent: int) -> FoldedScalarString | None:
    """``text`` as a ``>-`` block broken at spaces near :data:`FOLD_WIDTH` columns, or
    ``None`` when folding could change it (leading, trailing or repeated spaces...)."""
    if (
        not text
        or text != text.strip()
        or "  " in text
        or "\t" in text
        or "\n" in text
        or not _FOLDABLE_CHARS.match(text)
    ):
        return None
    width = max(20, FOLD_WIDTH - indent - 2)
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for position, char in enumerate(text):
        if char == " ":
            if position - line_start > width and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = position
    if len(text) - line_start > width and last_space > line_start:
        positions.append(last_space)
    folded: FoldedScalarString = FoldedScalarString(text)
    folded.fold_pos = positions  # type: ignore[attr-defined]  # set by ruamel's own loader too
    return folded


def flow_list(items: Sequence[str]) -> CommentedSeq:
    """A ``[a, b]`` list of short texts (tags, authors)."""
    seq = CommentedSeq(
        [
            PlainScalarString(item) if _flow_plain(item) else DoubleQuotedScalarString(item)
            for item in items
        ]
    )
    seq.fa.set_flow_style()
    return seq


def _flow_plain(item: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Za-z0-9](?:[\w .-]*[\w.-])?", item))
        and "  " not in item
        and plain_safe(item)
    )


def flow_map(pairs: Sequence[tuple[str, object]]) -> CommentedMap:
    """A ``{key: value}`` mapping written on one line."""
    mapping = CommentedMap(pairs)
    mapping.fa.set_flow_style()
    return mapping


def set_key(mapping: CommentedMap, key: str, value: object, order: Sequence[str]) -> None:
    """Set ``key``; a new key goes after the last present key that comes before it in
    ``order`` (the order the format documents), else first among the known keys."""
    if key in mapping:
        mapping[key] = value
        return
    rank = {name: position for position, name in enumerate(order)}
    wanted = rank.get(key, len(order))
    position = 0
    for index, existing in enumerate(mapping):
        if rank.get(str(existing), len(order) + 1) < wanted:
            position = index + 1
    mapping.insert(position, key, value)


def remove_key(mapping: CommentedMap, key: str) -> None:
    if key in mapping:
        del mapping[key]
