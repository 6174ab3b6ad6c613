"""Reading typed fields out of composed YAML nodes, collecting a problem for each mistake.

A :class:`FieldReader` belongs to one file. Its getters return the value, or ``None`` after
recording a :class:`Problem` at the offending node; loaders call them field by field, so that
one pass reports every mistake in the file. Scalars are typed as PyYAML's safe loader would
type them (YAML 1.1: ``yes`` is true, ``1.0`` is a number), so that the JSON Schema, which
editors apply to the same file, agrees with the loader.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Final

import yaml

from metaflash.core.decks.model import FORMAT_VERSION, SLUG_PATTERN, Location, Problem
from metaflash.core.decks.yaml_source import Document, MappingNode, Node, ScalarNode, SequenceNode

_SLUG: Final = re.compile(SLUG_PATTERN)
_INTEGER: Final = re.compile(r"[-+]?[0-9]{1,9}")
_NUMBER: Final = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_IMPLICIT: Final = yaml.resolver.Resolver.yaml_implicit_resolvers
_KIND_NAMES: Final = {
    "null": "nothing (an empty value)",
    "bool": "true/false",
    "int": "a number",
    "float": "a number",
    "timestamp": "a date",
}
Entries = dict[str, tuple[ScalarNode, Node]]


class TooMuchExpansion(Exception):
    """Aliases repeat so much of the file that checking it would take too long."""

    def __init__(self, node: Node) -> None:
        super().__init__("alias expansion budget exceeded")
        self.node = node


def plain_kind(node: ScalarNode) -> str:
    """``"str"``, or the YAML 1.1 type a plain scalar resolves to (``"int"``, ``"bool"``...)."""
    if node.style or node.tag:
        return "str"
    value = node.value
    if not value:
        return "null"
    for tag, regexp in _IMPLICIT.get(value[0], ()):
        if regexp.match(value):
            kind = str(tag).rpartition(":")[2]
            return kind if kind in _KIND_NAMES else "str"
    return "str"


def describe(node: Node) -> str:
    """What a node is, for messages: "a list", "a mapping", "a number (12)"..."""
    if type(node) is MappingNode:
        return "a mapping"
    if type(node) is SequenceNode:
        return "a list"
    assert isinstance(node, ScalarNode)
    kind = plain_kind(node)
    if kind == "str":
        return "text"
    name = _KIND_NAMES[kind]
    return f"{name} ({node.value})" if kind != "null" else name


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells (same letters in another case first)."""
    options = sorted(choices)
    folded = {option.casefold(): option for option in options}
    if word.casefold() in folded:
        return folded[word.casefold()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """A "did you mean" hint, or ``""`` when nothing is close."""
    guess = closest(word, choices)
    return f"did you mean '{guess}'?" if guess is not None else ""


def slug_hint(value: str) -> str:
    fixed = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")
    advice = "use lower-case letters, digits and single hyphens"
    return f"{advice}, e.g. '{fixed}'" if fixed and fixed != value else advice


class FieldReader:
    """Typed access to one file's nodes; every getter records its problems here."""

    def __init__(self, document: Document) -> None:
        self.source = document.source
        self.path = document.source.path
        self.problems: list[Problem] = list(document.problems)
        self._yaml_problems = len(document.problems)
        # Walking a node costs its size; aliases may make the walk longer than the file,
        # but never by more than this (a "billion laughs" file stops here, quickly).
        self._budget = 4 * document.node_count + 10_000

    # --- problems and positions ----------------------------------------------------------

    def error(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, node.line + 1, node.column + 1, message, hint))

    def error_at(self, line: int, column: int, message: str, hint: str = "") -> None:
        """An error at a 1-based ``line`` and ``column``."""
        self.problems.append(Problem(self.path, line, column, message, hint))

    def location(self, node: Node) -> Location:
        return Location(self.path, node.line + 1, node.column + 1)

    def spend(self, node: Node, cost: int) -> None:
        self._budget -= cost
        if self._budget < 0:
            raise TooMuchExpansion(node)

    def discard_field_problems(self) -> None:
        """Keep only the YAML-level problems (for a file of another kind or a newer format,
        field problems would be noise)."""
        del self.problems[self._yaml_problems :]

    def sorted_problems(self) -> tuple[Problem, ...]:
        return tuple(sorted(self.problems, key=lambda problem: (problem.line, problem.column)))

    # --- structure -----------------------------------------------------------------------

    def fields(
        self,
        node: Node,
        what: str,
        known: frozenset[str],
        required: tuple[str, ...] = (),
        *,
        elsewhere: Callable[[str], str] | None = None,
        example: str = "",
    ) -> Entries | None:
        """The entries of mapping ``node``; unknown keys and missing ``required`` are errors.

        ``elsewhere(key)`` may explain a key that is valid in another context (a hint). A
        missing field that an unknown key misspells is reported once, at the misspelling."""
        if type(node) is not MappingNode:
            hint = f"write it as {example}" if example else ""
            self.error(node, f"{what} must be a mapping of fields, not {describe(node)}", hint)
            return None
        entries = node.entries
        self.spend(node, len(entries))
        misspelt: set[str] = set()
        if not entries.keys() <= known:
            for key, (key_node, _) in entries.items():
                if key in known:
                    continue
                guess = closest(key, known)
                hint = elsewhere(key) if elsewhere else ""
                if not hint and guess is not None:
                    hint = f"did you mean '{guess}'?"
                    misspelt.add(guess)
                if key == "<<":
                    hint = "merge keys (<<) are not supported; write the fields out"
                self.error(key_node, f"unknown field '{key}' in {what}", hint)
        for name in required:
            if name not in entries and name not in misspelt:
                self.error(node, f"{what} is missing the required field '{name}'")
        return entries

    def items(self, node: Node, name: str, *, example: str = "") -> list[Node] | None:
        """The items of list ``node``."""
        if type(node) is not SequenceNode:
            hint = f"write it as a list, e.g. {example}" if example else "write it as a list"
            self.error(node, f"'{name}' must be a list, not {describe(node)}", hint)
            return None
        self.spend(node, len(node.items))
        return node.items

    # --- scalars -------------------------------------------------------------------------

    def text(self, node: Node, name: str, *, empty_ok: bool = False) -> str | None:
        """A string; numbers, true/false and dates must be quoted to count as text."""
        if type(node) is not ScalarNode:
            self.error(node, f"'{name}' must be text, not {describe(node)}")
            return None
        value = node.value
        if not node.style and not node.tag:
            kind = plain_kind(node)
            if kind == "null":
                if empty_ok:
                    return ""
                self.error(node, f"'{name}' is empty", f"give '{name}' a value")
                return None
            if kind != "str":
                self.error(
                    node,
                    f"'{name}' must be text, not {describe(node)}",
                    f'put it in quotes: {name}: "{value}"',
                )
                return None
        if not empty_ok and not value.strip():
            self.error(node, f"'{name}' is empty", f"give '{name}' a value")
            return None
        return value

    def slug(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if _SLUG.match(value) is None:
            self.error(node, f"'{name}' is not a valid id: '{value}'", slug_hint(value))
            return None
        return value

    def integer(self, node: Node, name: str) -> int | None:
        if (
            type(node) is ScalarNode
            and plain_kind(node) == "int"
            and _INTEGER.fullmatch(node.value)
        ):
            return int(node.value)
        self.error(node, f"'{name}' must be a whole number, not {describe(node)}")
        return None

    def number(self, node: Node, name: str) -> float | None:
        if (
            type(node) is ScalarNode
            and plain_kind(node) in ("int", "float")
            and _NUMBER.fullmatch(node.value)
        ):
            return float(node.value)
        self.error(node, f"'{name}' must be a number, not {describe(node)}")
        return None

    def text_list(
        self, node: Node, name: str, *, check: Callable[[Node, str], bool] | None = None
    ) -> tuple[str, ...] | None:
        """A list of non-empty strings; ``check`` may reject an item (it records why)."""
        items = self.items(node, name, example=f"{name}: [one, two]")
        if items is None:
            return None
        values: list[str] = []
        ok = True
        for item in items:
            value = self.text(item, f"{name} item")
            if value is None or (check is not None and not check(item, value)):
                ok = False
            else:
                values.append(value)
        return tuple(values) if ok else None

    # --- the format version --------------------------------------------------------------

    def format_version(self, entries: Entries, root: Node) -> bool:
        """Check ``format``; ``False`` when the file is newer than this program can read."""
        found = entries.get("format")
        if found is None:
            self.error(
                root,
                "the required field 'format' is missing",
                f"start the file with 'format: {FORMAT_VERSION}'",
            )
            return True
        node = found[1]
        version = self.integer(node, "format")
        if version is None:
            return True
        if version > FORMAT_VERSION:
            self.error(
                node,
                f"this file uses format {version}, but this version of metaflash reads "
                f"format {FORMAT_VERSION} at most",
                "upgrade metaflash to open it",
            )
            return False
        if version < 1:
            self.error(
                node, f"format {version} does not exist", f"write 'format: {FORMAT_VERSION}'"
            )
        return True


def declared_kind(reader: FieldReader, entries: Entries) -> str | None:
    """The ``kind`` a file declares ("deck" when it declares none); ``None`` if invalid."""
    found = entries.get("kind")
    if found is None:
        return "deck"
    value = reader.text(found[1], "kind")
    if value is None:
        return None
    if value not in ("deck", "diagram"):
        hint = suggest(value, ("deck", "diagram")) or "write 'kind: diagram' in diagram files"
        reader.error(found[1], f"unknown kind '{value}'", hint)
        return None
    return value
