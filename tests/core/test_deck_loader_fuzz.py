"""Property-based fuzzing: whatever the input, parse_deck gives a deck or clear problems.

Never an exception, and every problem names the file and a real position in it. Inputs are
random bytes and text, line-level mutations of a valid deck, value-level mutations of a
valid deck's data, and valid decks generated from random text (which must load with the
same values PyYAML's own safe loader reads).
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import (
    BasicContent,
    Deck,
    DiagramContent,
    Problem,
    SequenceContent,
)
from metaflash.core.diagrams.loader import parse_diagram

NAME = "fuzz.yaml"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_RAW = settings(FUZZ, max_examples=400)

VALID = """\
format: 1
id: fuzz-deck
title: Fuzzing
parent: top
diagram: cascade.diagram.yaml
sources:
  - id: qa
    title: Questions
cards:
  - id: one
    front: What is **intravasation**?
    back: Cells entering a vessel.
    tags: [definition, stage-2]
    source: {document: qa, section: "Stages"}
  - id: two
    type: reverse
    front: Extravasation
    back: Leaving the vessel.
  - id: three
    type: cloze
    text: "Cells secrete {{c1::enzymes}} that break the {{c2::matrix::a barrier}}."
    notes: |-
      A note
      on two lines.
  - id: four
    type: sequence
    prompt: The stages
    steps:
      - Local invasion
      - Intravasation
    stages: [local-invasion, null]
  - id: five
    type: diagram
    question: Where do cells *enter* a vessel?
    answer: intravasation
    source: {document: qa}
"""
LINES = VALID.splitlines(keepends=True)
YAML_BITS = [
    "-",
    ":",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a",
    "*a",
    "!",
    "!!str",
    "|",
    ">",
    "'",
    '"',
    "#",
    " ",
    "  ",
    "\t",
    "\n",
    "{{c1::",
    "}}",
    "?",
    "%",
    "@",
    "---",
    "...",
    "~",
    "yes",
    "1.5",
    "0x1F",
    "<<",
    "\x00",
    "\x07",
    "\ufeff",
    "é",
    "😀",
]


def assert_clear_outcome(result: Deck | tuple[Problem, ...], text: str | bytes) -> None:
    """A deck, or at least one problem with a file, a real position and a message."""
    if isinstance(result, Deck):
        return
    assert result, "an empty tuple of problems"
    if isinstance(text, bytes):
        lines = text.count(b"\n") + 2
    else:
        lines = text.count("\n") + text.count("\r") + 2
    for problem in result:
        assert isinstance(problem, Problem)
        assert problem.file == NAME
        assert problem.message.strip()
        assert problem.severity == "error"
        assert 1 <= problem.line <= lines, problem
        assert problem.column >= 1, problem


@FUZZ_RAW
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    assert_clear_outcome(parse_deck(data, NAME), data)


@FUZZ_RAW
@given(st.text(max_size=3000))
@example("-\x850")  # YAML breaks lines at U+0085; editors do not: positions follow editors
@example("a: 1\rb\rc: [")
def test_random_text(text: str) -> None:
    assert_clear_outcome(parse_deck(text, NAME), text)


@FUZZ
@given(
    st.lists(st.sampled_from(YAML_BITS + ["a", "b", "id", "cards", "format: 1\n"]), max_size=200)
)
def test_random_yaml_punctuation(parts: list[str]) -> None:
    text = "".join(parts)
    assert_clear_outcome(parse_deck(text, NAME), text)
    assert_clear_outcome(parse_diagram(text, NAME), text)  # type: ignore[arg-type]


@st.composite
def mutated_deck(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "value"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "insert":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            bit = draw(st.sampled_from(YAML_BITS) | st.text(max_size=5))
            lines[index] = line[:at] + bit + line[at:]
        elif action == "indent":
            delta = draw(st.integers(-3, 3))
            line = lines[index]
            lines[index] = " " * max(0, delta) + line[max(0, -delta) :]
        else:
            line = lines[index]
            key, colon, _ = line.partition(": ")
            if colon:
                value = draw(st.sampled_from(YAML_BITS) | st.text(max_size=20))
                lines[index] = f"{key}: {value}\n"
    return "".join(lines)


@FUZZ
@given(mutated_deck())
def test_mutations_of_a_valid_deck(text: str) -> None:
    assert_clear_outcome(parse_deck(text, NAME), text)


# --- value-level mutations of the deck's data --------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_in(value, (*prefix, index))
    return found


@FUZZ
@given(st.data())
def test_wrong_values_anywhere_in_a_valid_deck(data: st.DataObject) -> None:
    tree = yaml.safe_load(VALID)
    path = data.draw(st.sampled_from(paths_in(tree)[1:]))
    value = data.draw(json_values)
    target = tree
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    text = yaml.safe_dump(tree, allow_unicode=data.draw(st.booleans()))
    assert_clear_outcome(parse_deck(text, NAME), text)


# --- valid decks from random text load unchanged -----------------------------------------

slugs = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    min_size=1,
    max_size=4,
).map("-".join)
texts = st.text(min_size=1, max_size=60).filter(lambda s: s.strip() != "")


@st.composite
def generated_deck(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(slugs, min_size=1, max_size=6, unique=True))
    cards: list[dict[str, Any]] = []
    for card_id in ids:
        kind = draw(st.sampled_from(["basic", "sequence", "diagram"]))
        if kind == "basic":
            cards.append({"id": card_id, "front": draw(texts), "back": draw(texts)})
        elif kind == "diagram":
            card = {"id": card_id, "type": "diagram", "question": draw(texts)}
            cards.append(card | {"answer": draw(slugs)})
        else:
            steps = draw(st.lists(texts, min_size=2, max_size=4, unique=True))
            card = {"id": card_id, "type": "sequence", "prompt": draw(texts), "steps": steps}
            if draw(st.booleans()):
                stages = draw(st.lists(st.none() | slugs, min_size=len(steps), max_size=len(steps)))
                card["stages"] = [draw(slugs), *stages[1:]]
            cards.append(card)
    deck = {"format": 1, "id": draw(slugs), "title": draw(texts)}
    if any(card.get("type") == "diagram" or "stages" in card for card in cards):
        deck["diagram"] = "cascade.diagram.yaml"
    return deck | {"cards": cards}


@FUZZ
@given(generated_deck(), st.sampled_from(["block", "flow", "unicode"]))
def test_valid_decks_load_as_pyyaml_reads_them(data: dict[str, Any], style: str) -> None:
    """Any valid deck PyYAML writes loads, with the very values PyYAML's safe loader reads."""
    text = yaml.safe_dump(
        data, default_flow_style=style == "flow", allow_unicode=style == "unicode", sort_keys=False
    )
    expected = yaml.safe_load(text)
    deck = parse_deck(text, NAME)
    assert isinstance(deck, Deck), "\n".join(str(p) for p in deck)
    assert deck.id == expected["id"] and deck.title == expected["title"]
    for card, written in zip(deck.cards, expected["cards"], strict=True):
        assert card.id == written["id"]
        if "front" in written:
            assert card.content == BasicContent(written["front"], written["back"])
        elif "answer" in written:
            assert card.content == DiagramContent(written["question"], written["answer"])
        else:
            stages = tuple(written.get("stages", ()))
            assert card.content == SequenceContent(
                written["prompt"], tuple(written["steps"]), stages
            )
