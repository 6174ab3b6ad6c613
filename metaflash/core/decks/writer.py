"""Write a :class:`Deck` as clean, hand-editable YAML in the format of docs/deck-format.md.

The layout is the one people write by hand: deck keys first, then ``cards`` as a block list,
one key per line, short lists of tags in flow style, multi-line text as literal blocks (``|``).
Strings are written plain when YAML reads them back unchanged, else double-quoted. The result
is checked by reading it back: what is written is what the deck holds.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from metaflash.core.decks.model import (
    FORMAT_VERSION,
    BasicContent,
    Card,
    ClozeContent,
    Deck,
    DiagramContent,
    ReverseContent,
    SequenceContent,
    SourceRef,
)
from metaflash.core.util.atomic_file import write_text_atomically

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n\r\t]*$")
_FLOW_PLAIN = re.compile(r"^[A-Za-z0-9][\w .-]*$")
_YAML_SPECIAL = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+"
    r"|=|<<|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?.*|[\d:]+(?:\.\d*)?)$"
)
_BLOCK_SAFE = re.compile(
    r"^[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*$"
)
_NEEDS_ESCAPE = re.compile(
    r"[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scalar(text: str, indent: int) -> str:
    """``text`` as a YAML scalar that starts on the current line at ``indent`` columns in."""
    if "\n" in text and _BLOCK_SAFE.match(text) and text.strip():
        block = _literal_block(text, indent)
        if block is not None:
            return block
    if (
        _PLAIN.match(text)
        and _BLOCK_SAFE.match(text)
        and text == text.strip()
        and not _YAML_SPECIAL.match(text)
        and " #" not in text
        and ": " not in text
        and not text.endswith(":")
    ):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes, plus YAML's for what it cannot carry raw)."""
    return _NEEDS_ESCAPE.sub(_escape_char, json.dumps(text, ensure_ascii=False))


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _literal_block(text: str, indent: int) -> str | None:
    stripped = text.rstrip("\n")
    trailing = len(text) - len(stripped)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = stripped.split("\n")
    if any(line != line.rstrip(" ") and not line.strip() for line in lines):
        return None  # whitespace-only lines do not survive a literal block
    pad = " " * (indent + 2)
    first = next((line for line in lines if line), "")
    indicator = "2" if first.startswith((" ", "\t")) else ""
    body = "\n".join(pad + line if line else "" for line in lines)
    return f"|{indicator}{chomp}\n{body}" + "\n" * max(0, trailing - 1)


def _flow_list(items: Sequence[str]) -> str:
    if all(_FLOW_PLAIN.match(item) and scalar(item, 0) == item for item in items):
        return "[" + ", ".join(items) + "]"
    return "[" + ", ".join(quoted(item) for item in items) + "]"


def _source(ref: SourceRef) -> str:
    return f"{{document: {scalar(ref.document, 0)}, section: {quoted(ref.section)}}}"


def _relative(path: Path, base: Path | None) -> str:
    if base is None:
        return path.as_posix()
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _card_lines(card: Card, base: Path | None) -> list[str]:
    lines = [f"  - id: {scalar(card.id, 4)}", f"    type: {card.type.value}"]

    def key(name: str, value: str) -> None:
        lines.append(f"    {name}: {scalar(value, 4)}")

    match card.content:
        case BasicContent(front, back) | ReverseContent(front, back):
            key("front", front)
            key("back", back)
        case ClozeContent(text, _):
            key("text", text)
        case SequenceContent(prompt, steps, stages):
            key("prompt", prompt)
            lines.append("    steps:")
            lines.extend(f"      - {scalar(step, 6)}" for step in steps)
            if stages:
                lines.append("    stages:")
                lines.extend(f"      - {scalar(stage, 6) if stage else 'null'}" for stage in stages)
        case DiagramContent(question, answer):
            key("question", question)
            key("answer", answer)
    if card.tags:
        lines.append(f"    tags: {_flow_list(card.tags)}")
    if card.stage:
        key("stage", card.stage)
    if len(card.sources) == 1:
        lines.append(f"    source: {_source(card.sources[0])}")
    elif card.sources:
        lines.append("    source:")
        lines.extend(f"      - {_source(ref)}" for ref in card.sources)
    if card.notes:
        key("notes", card.notes)
    if card.image is not None:
        key("image", _relative(card.image, base))
    return lines


def deck_to_yaml(deck: Deck, path: Path | None = None, comments: Sequence[str] = ()) -> str:
    """The YAML text of ``deck``, with paths relative to ``path``'s folder (when given)."""
    base = path.parent if path is not None else (deck.path.parent if deck.path else None)
    lines = [f"# {comment}" for comment in comments]
    lines.append(f"format: {FORMAT_VERSION}")
    lines.append(f"id: {scalar(deck.id, 0)}")
    lines.append(f"title: {scalar(deck.title, 0)}")
    if deck.description:
        lines.append(f"description: {scalar(deck.description, 0)}")
    if deck.parent:
        lines.append(f"parent: {scalar(deck.parent, 0)}")
    if deck.authors:
        lines.append(f"authors: {_flow_list(deck.authors)}")
    if deck.version:
        lines.append(f"version: {quoted(deck.version)}")
    if deck.licence:
        lines.append(f"licence: {scalar(deck.licence, 0)}")
    if deck.diagram is not None:
        lines.append(f"diagram: {scalar(_relative(deck.diagram, base), 0)}")
    if deck.sources:
        lines.append("sources:")
        for document in deck.sources:
            lines.append(f"  - id: {scalar(document.id, 4)}")
            lines.append(f"    title: {scalar(document.title, 4)}")
            if document.file:
                lines.append(f"    file: {scalar(document.file, 4)}")
            if document.url:
                lines.append(f"    url: {scalar(document.url, 4)}")
            if document.sections:
                lines.append("    sections:")
                lines.extend(f"      - {quoted(name)}" for name in document.sections)
    if not deck.cards:
        lines.append("cards: []")
    else:
        lines.append("cards:")
        for card in deck.cards:
            lines.extend(_card_lines(card, base))
    text = "\n".join(lines) + "\n"
    _check_round_trip(text, deck)
    return text


def _check_round_trip(text: str, deck: Deck) -> None:
    """Read the text back: every card's strings must come back exactly."""
    data = yaml.load(text, Loader=_Loader)  # a safe loader
    if not isinstance(data, dict) or data.get("id") != deck.id or data.get("title") != deck.title:
        raise AssertionError(f"deck_writer wrote YAML that does not read back: {deck.id}")
    cards = data.get("cards") or []
    if len(cards) != len(deck.cards):
        raise AssertionError(f"deck_writer lost cards of {deck.id}")
    for written, card in zip(cards, deck.cards):
        expected: dict[str, object] = {"id": card.id}
        match card.content:
            case BasicContent(front, back) | ReverseContent(front, back):
                expected.update(front=front, back=back)
            case ClozeContent(cloze_text, _):
                expected.update(text=cloze_text)
            case SequenceContent(prompt, steps, stages):
                expected.update(prompt=prompt, steps=list(steps))
                if stages:
                    expected.update(stages=list(stages))
            case DiagramContent(question, answer):
                expected.update(question=question, answer=answer)
        if card.notes:
            expected["notes"] = card.notes
        if card.tags:
            expected["tags"] = list(card.tags)
        for name, value in expected.items():
            if written.get(name) != value:
                raise AssertionError(f"deck_writer changed {name!r} of card {card.id!r}")


def write_deck(deck: Deck, path: Path, comments: Sequence[str] = ()) -> None:
    """Write ``deck`` to ``path`` atomically (temporary file, fsync, rename)."""
    write_text_atomically(path, deck_to_yaml(deck, path, comments))
