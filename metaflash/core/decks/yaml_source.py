"""Safe, position-keeping YAML reading for deck and diagram files.

The text is decoded and checked here (size, binary data, UTF-8), then composed into a small
tree of :class:`ScalarNode`, :class:`MappingNode` and :class:`SequenceNode` nodes straight from the
parser's event stream. Nothing is ever constructed from a YAML tag: the only Python values
made are strings, lists and dicts of this module's own nodes. LibYAML's C parser is used when
PyYAML has it (``yaml.CSafeLoader``), else PyYAML's pure-Python ``SafeLoader``; only their
*parser* half runs, never a constructor.

Composing iteratively from events (rather than with PyYAML's recursive composer) keeps every
hostile file cheap: nesting is cut off at :data:`MAX_DEPTH` before it can exhaust a stack,
aliases are kept as shared nodes (never expanded), and duplicate keys, which PyYAML silently
resolves to the last value, are reported with both lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
)

from metaflash.core.decks.model import Problem

#: Files larger than this are refused before parsing (the 20,000-card benchmark deck is 7.6 MiB).
MAX_FILE_BYTES: Final = 16 * 1024 * 1024
#: Collections nested deeper than this are refused (a deck needs about 6 levels).
MAX_DEPTH: Final = 64
#: YAML values (scalars, lists, mappings, aliases) allowed in one file.
MAX_NODES: Final = 1_000_000

SPLIT_HINT: Final = "split it into several decks (sub-decks name their deck with `parent:`)"

_STR_TAG: Final = "tag:yaml.org,2002:str"
_SEQ_TAG: Final = "tag:yaml.org,2002:seq"
_MAP_TAG: Final = "tag:yaml.org,2002:map"
_CORE_PREFIX: Final = "tag:yaml.org,2002:"


class _EventSource(Protocol):
    def check_event(self) -> bool: ...

    def get_event(self) -> Event | None: ...

    def dispose(self) -> None: ...


def _pick_loader() -> tuple[Callable[[bytes], _EventSource], str]:
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is not None:
        return c_loader, "libyaml"
    return yaml.SafeLoader, "python"


#: The safe parser in use, and which one it is ("libyaml" or "python").
LOADER, LOADER_NAME = _pick_loader()


# --- decoding -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A file's text, decoded and checked: ``text`` has no BOM; ``data`` is its UTF-8."""

    path: str
    text: str
    data: bytes


def position_of(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of character ``index`` in ``text``, with lines broken
    where editors break them (``\\n``, ``\\r\\n``, ``\\r``). YAML also breaks lines at
    U+0085, U+2028 and U+2029, which editors show inside a line: positions for people come
    from here, not from the parser's line count."""
    breaks = text.count("\n", 0, index) + text.count("\r", 0, index) - text.count("\r\n", 0, index)
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return breaks + 1, index - start + 1


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def too_large(path: str, size: int) -> Problem:
    """The problem for a file of ``size`` bytes, over :data:`MAX_FILE_BYTES`."""
    return Problem(
        path,
        1,
        1,
        f"the file is too large ({size / 1048576:.1f} MiB; the limit is "
        f"{MAX_FILE_BYTES // 1048576} MiB)",
        SPLIT_HINT,
    )


_UTF16_32_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(raw: str | bytes, path: str) -> Source | Problem:
    """Check and decode a file's contents; a UTF-8 byte-order mark is dropped."""
    if isinstance(raw, str):
        return _decode_text(raw, path)
    if len(raw) > MAX_FILE_BYTES:
        return too_large(path, len(raw))
    for bom, encoding in _UTF16_32_BOMS:
        if raw.startswith(bom):
            return Problem(
                path, 1, 1, f"the file is encoded as {encoding}, not UTF-8", "save it as UTF-8"
            )
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        return Problem(
            path,
            line,
            column,
            f"the file holds binary data (a NUL byte at byte offset {nul}), not YAML text",
            "a deck is a UTF-8 text file; check that this is the file you meant",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        return Problem(
            path,
            line,
            column,
            f"the file is not valid UTF-8: byte 0x{raw[error.start]:02x} at byte offset "
            f"{error.start}",
            "save the file with the UTF-8 encoding",
        )
    return Source(path, text, raw)


def _decode_text(text: str, path: str) -> Source | Problem:
    if len(text) > MAX_FILE_BYTES:
        return too_large(path, len(text))
    nul = text.find("\0")
    if nul >= 0:
        line, column = position_of(text, nul)
        return Problem(
            path,
            line,
            column,
            "the text holds a NUL character (binary data), not YAML text",
            "a deck is a UTF-8 text file; check that this is the file you meant",
        )
    text = text.removeprefix("\ufeff")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        line, column = position_of(text, error.start)
        return Problem(
            path,
            line,
            column,
            f"the text holds an unpaired surrogate U+{ord(text[error.start]):04X}, "
            "which UTF-8 cannot encode",
            "save the file with the UTF-8 encoding",
        )
    if len(data) > MAX_FILE_BYTES:
        return too_large(path, len(data))
    return Source(path, text, data)


# --- nodes ----------------------------------------------------------------------------------


class ScalarNode:
    """A scalar as written. ``line``/``column`` are 0-based; ``index``/``end`` are offsets in
    the decoded text. ``style`` is ``""`` for plain scalars, else ``'``, ``"``, ``|`` or ``>``;
    ``tag`` is ``"!!str"`` when the scalar was explicitly tagged a string, else ``""``."""

    __slots__ = ("column", "end", "index", "line", "style", "tag", "value")

    def __init__(
        self, value: str, line: int, column: int, index: int, end: int, style: str, tag: str
    ) -> None:
        self.value = value
        self.line = line
        self.column = column
        self.index = index
        self.end = end
        self.style = style
        self.tag = tag


class MappingNode:
    """A mapping; ``entries`` maps each key's text to its key node and value, in file order.

    A repeated key keeps its first value (the repeat is reported as an error)."""

    __slots__ = ("column", "entries", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.entries: dict[str, tuple[ScalarNode, Node]] = {}


class SequenceNode:
    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.items: list[Node] = []


Node = ScalarNode | MappingNode | SequenceNode


@dataclass(frozen=True, slots=True)
class Document:
    """A composed file: ``root`` is ``None`` when the YAML itself could not be read."""

    source: Source
    root: Node | None
    problems: tuple[Problem, ...]
    node_count: int


# --- composing ------------------------------------------------------------------------------

#: What to do about lists and mappings nested too deeply, whichever layer finds them.
DEPTH_HINT: Final = (
    "lists and mappings are nested too deeply: a deck needs only a few levels; "
    "check the indentation and close every bracket"
)

#: Hints for libyaml's most common complaints, keyed by a fragment of its message.
_SYNTAX_HINTS: Final = (
    (
        "mapping values are not allowed",
        "a value that contains ': ' must be quoted, and keys of one mapping must line up",
    ),
    ("did not find expected key", "check the indentation: keys of one mapping must line up"),
    ("did not find expected '-' indicator", "check the indentation of the list items"),
    ("could not find expected ':'", "a key needs ': ' after it (or quote the text)"),
    ("did not find expected node content", "a value is missing, or a bracket is not closed"),
    ("did not find expected ',' or ']'", "a '[' list is not closed with ']'"),
    ("did not find expected ',' or '}'", "a '{' mapping is not closed with '}'"),
    ("found unexpected end of stream", "a quote or a bracket is not closed"),
    ("found unknown escape character", "in double quotes, write a backslash as \\\\"),
    ("expected <document start>", "a file holds one YAML document; check the indentation"),
    ("cannot start any token", "quote values that begin with @ or `"),
    # LibYAML 0.2.6 stops at 1,000 levels before metaflash's own, shallower limit is reached.
    ("nesting depth", DEPTH_HINT),
    ("too deep", DEPTH_HINT),
)
#: libyaml's contexts that say where a construct began (others only repeat the position).
_USEFUL_CONTEXTS: Final = ("flow", "quoted", "block mapping", "block collection")


def _syntax_problem(source: Source, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (1, 1)
    if mark is not None:
        index = min(max(mark.index, 0), len(source.text))
        line, column = position_of(source.text, index)
    what = error.problem or error.context or "the YAML cannot be read"
    hint = next((advice for fragment, advice in _SYNTAX_HINTS if fragment in what), "")
    if mark is not None and source.text[mark.index : mark.index + 1] == "\t":
        hint = "indent with spaces: YAML does not allow tabs for indentation"
    context, context_mark = error.context, error.context_mark
    if (
        context
        and context_mark is not None
        and error.problem
        and any(word in context for word in _USEFUL_CONTEXTS)
        and (context_mark.line, context_mark.column) != (line - 1, column - 1)
    ):
        where = f"line {context_mark.line + 1}, column {context_mark.column + 1}"
        thing = re.sub(r"^while (?:parsing|scanning) (?:an? )?", "", context)
        started = f"the {thing} starts at {where}"
        hint = f"{hint}; {started}" if hint else started
    return Problem(source.path, line, column, f"YAML syntax error: {what}", hint)


def _reader_problem(source: Source, error: yaml.YAMLError) -> Problem:
    match = re.search(yaml.reader.Reader.NON_PRINTABLE.pattern, source.text)
    if match is None:
        return Problem(source.path, 1, 1, f"the file cannot be read as YAML: {error}")
    line, column = position_of(source.text, match.start())
    return Problem(
        source.path,
        line,
        column,
        f"the file holds the control character U+{ord(match.group()):04X}, which YAML forbids",
        "remove it (or write it as an escape such as \\x07 inside a double-quoted string)",
    )


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE_PREFIX) :] if tag.startswith(_CORE_PREFIX) else tag


def compose(raw: str | bytes, path: str) -> Document | Problem:
    """Decode and compose one YAML document; a :class:`Problem` when it cannot be decoded."""
    source = decode(raw, path)
    if isinstance(source, Problem):
        return source
    return compose_source(source)


def compose_source(source: Source) -> Document:
    """Compose the single document in ``source`` into nodes, collecting every problem."""
    return _Composer(source).run()


class _Stop(Exception):
    """The YAML cannot be composed any further (the problem is already recorded)."""


_TAG_HINT: Final = "remove the tag; decks hold plain text, numbers and lists only"


class _Composer:
    """Builds nodes from parser events with an explicit stack: no recursion, whatever the
    nesting, and a node per alias is shared, never copied."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.root: Node | None = None
        self.stack: list[MappingNode | SequenceNode] = []
        # For each open collection: the key waiting for its value (in a mapping), else None.
        self.keys: list[ScalarNode | None] = []
        self.anchors: dict[str, Node] = {}
        self.count = 0
        self.documents = 0
        self.bad_key = ScalarNode("", 0, 0, 0, 0, "", "")

    def error(self, line: int, column: int, message: str, hint: str = "") -> None:
        """A problem at 0-based ``line`` and ``column``."""
        self.problems.append(Problem(self.source.path, line + 1, column + 1, message, hint))

    def run(self) -> Document:
        loader: _EventSource | None = None
        try:
            loader = LOADER(self.source.data)  # the pure-Python reader checks characters here
            self._consume(loader)
        except _Stop:
            self.root = None
        except yaml.reader.ReaderError as failure:
            self.problems.append(_reader_problem(self.source, failure))
            self.root = None
        except yaml.MarkedYAMLError as failure:
            self.problems.append(_syntax_problem(self.source, failure))
            self.root = None
        else:
            if self.root is None:
                self.problems.append(
                    Problem(
                        self.source.path,
                        1,
                        1,
                        "the file is empty",
                        "a deck needs at least `format`, `id`, `title` and `cards`",
                    )
                )
        finally:
            if loader is not None:
                loader.dispose()
        return Document(self.source, self.root, tuple(self.problems), self.count)

    def _consume(self, loader: _EventSource) -> None:
        check, get = loader.check_event, loader.get_event
        stack, keys = self.stack, self.keys
        while check():
            event = get()
            node: Node
            if isinstance(event, ScalarEvent):
                node = self._scalar(event)
            elif isinstance(event, CollectionEndEvent):
                stack.pop()
                keys.pop()
                continue
            elif isinstance(event, CollectionStartEvent):
                node = self._collection(event)
            elif isinstance(event, AliasEvent):
                node = self._alias(event)
            elif isinstance(event, DocumentStartEvent):
                self._document(event)
                continue
            else:  # stream start and end, document end
                continue
            self.count += 1
            if self.count > MAX_NODES:
                message = f"the file holds more than {MAX_NODES:,} YAML values"
                self.error(node.line, node.column, message, SPLIT_HINT)
                raise _Stop
            if stack:
                parent = stack[-1]
                if type(parent) is SequenceNode:
                    parent.items.append(node)
                else:
                    assert isinstance(parent, MappingNode)
                    self._add_to_mapping(parent, node)
            else:
                self.root = node
            if isinstance(event, CollectionStartEvent):
                assert not isinstance(node, ScalarNode)
                stack.append(node)
                keys.append(None)

    def _scalar(self, event: ScalarEvent) -> ScalarNode:
        mark, end = event.start_mark, event.end_mark
        assert mark is not None and end is not None
        tag = event.tag
        if tag is None or tag == "!":
            tag = ""
        elif tag == _STR_TAG:
            tag = "!!str"
        else:
            self.error(
                mark.line, mark.column, f"YAML tag '{_show_tag(tag)}' is not allowed", _TAG_HINT
            )
            tag = ""
        node = ScalarNode(
            event.value, mark.line, mark.column, mark.index, end.index, event.style or "", tag
        )
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node

    def _collection(self, event: CollectionStartEvent) -> MappingNode | SequenceNode:
        mark = event.start_mark
        assert mark is not None
        if len(self.stack) >= MAX_DEPTH:
            self.error(
                mark.line,
                mark.column,
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                DEPTH_HINT,
            )
            raise _Stop
        node = (
            MappingNode(mark.line, mark.column)
            if isinstance(event, MappingStartEvent)
            else SequenceNode(mark.line, mark.column)
        )
        if event.tag is not None and event.tag not in ("!", _SEQ_TAG, _MAP_TAG):
            message = f"YAML tag '{_show_tag(event.tag)}' is not allowed"
            self.error(mark.line, mark.column, message, _TAG_HINT)
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node

    def _alias(self, event: AliasEvent) -> Node:
        mark = event.start_mark
        assert mark is not None and event.anchor is not None
        found = self.anchors.get(event.anchor)
        if found is None:
            self.error(
                mark.line,
                mark.column,
                f"the alias *{event.anchor} names no anchor",
                f"define '&{event.anchor}' on a value before this point",
            )
            raise _Stop
        return found

    def _document(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            mark = event.start_mark
            assert mark is not None
            self.error(
                mark.line,
                mark.column,
                "the file holds more than one YAML document",
                "a file holds one deck or one diagram; remove the '---' line or split the file",
            )
            raise _Stop

    def _add_to_mapping(self, mapping: MappingNode, node: Node) -> None:
        """``node`` is the next key of ``mapping``, or the value of the waiting key."""
        keys = self.keys
        key = keys[-1]
        if key is None:
            if type(node) is ScalarNode:
                keys[-1] = node
            else:
                self.error(
                    node.line,
                    node.column,
                    "a mapping key must be plain text, not a list or a mapping",
                    "write 'name: value' with a simple name",
                )
                keys[-1] = self.bad_key
            return
        keys[-1] = None
        if key is self.bad_key:
            return
        first = mapping.entries.get(key.value)
        if first is None:
            mapping.entries[key.value] = (key, node)
        else:
            self.error(
                key.line,
                key.column,
                f"duplicate key '{key.value}' (first given at line {first[0].line + 1})",
                "remove one of them: YAML would silently keep only the last",
            )
