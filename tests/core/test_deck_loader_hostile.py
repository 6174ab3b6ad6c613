"""Hostile files get a clear Problem back: no traceback, no hang, no runaway memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
import yaml

from metaflash.core.decks import yaml_source
from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Problem
from metaflash.core.decks.yaml_source import DEPTH_HINT, MAX_DEPTH, MAX_FILE_BYTES

HEAD = "format: 1\nid: deck\ntitle: A deck\n"


def problems_of(data: str | bytes) -> tuple[Problem, ...]:
    result = parse_deck(data, "hostile.yaml")
    assert isinstance(result, tuple), "a hostile file loaded as a deck"
    assert result and all(isinstance(p, Problem) for p in result)
    return result


def nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def laughs(levels: int, width: int = 10) -> str:
    """The "billion laughs": each level lists the previous one ``width`` times."""
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


# (file contents, expected line, expected column or None, expected message fragment)
# fmt: off
HOSTILE = [
    pytest.param(b"", 1, 1, "the file is empty", id="empty-bytes"),
    pytest.param(b"   \n\n  \n", 1, 1, "the file is empty", id="whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 1, "binary data (a NUL byte at byte offset 8)", id="png"),
    pytest.param(b"format: 1\x00", 1, 10, "binary data", id="nul-byte"),
    pytest.param("format: 1\nid: café\n".encode("latin-1"), 2, 8, "not valid UTF-8: byte 0xe9 at byte offset 17", id="latin-1"),
    pytest.param(b"format: 1\ntitle: ok \xc3\xa9 then \xff\n", 2, 18, "byte 0xff at byte offset 28", id="bad-byte-after-utf8"),
    pytest.param("format: 1\n".encode("utf-16"), 1, 1, "encoded as UTF-16", id="utf-16"),
    pytest.param("format: 1\n".encode("utf-32"), 1, 1, "encoded as UTF-32", id="utf-32"),
    pytest.param("format: 1\nid: \ud800\n", 2, 5, "unpaired surrogate U+D800", id="surrogate"),
    pytest.param("format: 1\nid: a\x1bb\n", 2, 6, "control character U+001B", id="escape-char"),
    pytest.param(HEAD + "cards: []\n---\n" + HEAD, 5, 1, "more than one YAML document", id="second-document"),
]
# fmt: on


# Nesting too deep: (file contents, expected line). The problem comes from metaflash's own
# depth limit or from LibYAML's (1,000 levels since 0.2.6, in its own words); either way the
# contract is the same: an error at that line of the file, with the hint that says what to do.
# fmt: off
TOO_DEEP = [
    pytest.param(nested_flow(50_000), 1, id="deep-flow-list"),
    pytest.param("{a: " * 50_000 + "}" * 50_000, 1, id="deep-flow-map"),
    pytest.param("- " * 50_000 + "x\n", 1, id="deep-block-list"),
    pytest.param("".join(" " * i + "k:\n" for i in range(3_000)), MAX_DEPTH + 1, id="deep-indent"),
    pytest.param(HEAD + "cards: " + nested_flow(100_000), 4, id="deep-inside-deck"),
]
# fmt: on


@pytest.mark.parametrize(("data", "line"), TOO_DEEP)
def test_nesting_too_deep_is_a_clear_problem(data: str, line: int) -> None:
    problems = problems_of(data)
    deep = [p for p in problems if p.hint == DEPTH_HINT]
    assert deep, "\n".join(str(p) for p in problems)
    assert (deep[0].file, deep[0].line, deep[0].severity) == ("hostile.yaml", line, "error")


@pytest.mark.parametrize(("data", "line", "column", "fragment"), HOSTILE)
def test_hostile_file_gets_a_clear_problem(
    data: str | bytes, line: int, column: int | None, fragment: str
) -> None:
    problems = problems_of(data)
    matching = [p for p in problems if fragment in p.message]
    assert matching, "\n".join(str(p) for p in problems)
    assert matching[0].line == line, str(matching[0])
    if column is not None:
        assert matching[0].column == column, str(matching[0])


def test_nesting_up_to_the_limit_is_read() -> None:
    """64 levels are composed (and then rejected as a deck for other reasons); 65 are not."""
    at_limit = problems_of(HEAD + "cards:\n  - id: a\n    front: " + nested_flow(MAX_DEPTH - 3))
    assert not any("nested" in p.message for p in at_limit)
    assert any("'front' must be text, not a list" in p.message for p in at_limit)
    over = problems_of(HEAD + "cards:\n  - id: a\n    front: " + nested_flow(MAX_DEPTH - 2))
    assert [p.message for p in over] == ["lists and mappings are nested more than 64 levels deep"]


@pytest.mark.parametrize("as_bytes", [True, False], ids=["bytes", "text"])
def test_a_file_over_the_size_limit_is_refused_before_parsing(as_bytes: bool) -> None:
    text = HEAD + "description: |\n" + ("  " + "x" * 98 + "\n") * (MAX_FILE_BYTES // 100 + 1)
    (problem,) = problems_of(text.encode() if as_bytes else text)
    assert "the file is too large" in problem.message and "16 MiB" in problem.message
    assert "split it into several decks" in problem.hint


def test_a_file_with_too_many_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_NODES", 1_000)
    (problem,) = problems_of("[" + "a, " * 2_000 + "]")
    assert problem.message == "the file holds more than 1,000 YAML values"
    # the list is value 1, so the 1,000th "a" is value 1,001
    assert (problem.line, problem.column) == (1, 2 + 3 * 999)


def test_billion_laughs_is_cheap_because_aliases_are_never_expanded() -> None:
    tracemalloc.start()
    try:
        problems = problems_of(laughs(12))  # 10**12 "lol" strings if expanded
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(p.message == "unknown field 'l12' in the deck" for p in problems)
    assert peak < 5_000_000


def test_an_alias_bomb_inside_the_deck_schema_stops_at_the_budget() -> None:
    """Each card is an alias of one card whose tag list is an alias of a long list: the walk
    would be cards x tags long. It stops early instead, with its own message."""
    tags = ", ".join(["t"] * 5_000)
    text = (
        HEAD
        + "cards:\n"
        + f"  - &card {{id: a, front: Q, back: A, tags: [{tags}]}}\n"
        + "  - *card\n" * 5_000
    )
    tracemalloc.start()
    try:
        problems = problems_of(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any("aliases (*name) repeat so much" in p.message for p in problems)
    assert peak < 20_000_000


def test_modest_alias_reuse_stays_within_the_budget() -> None:
    cards = "".join(
        f"  - {{id: c{n}, front: Q, back: A, source: *cite, tags: *tags}}\n" for n in range(2_000)
    )
    text = (
        HEAD + "sources: [{id: qa, title: Q}]\n" + "x-anchors: &cite {document: qa, section: S}\n"
    )
    # anchors must be defined where the format allows them: on the first card
    text = (
        HEAD
        + "sources: [{id: qa, title: Q}]\n"
        + "cards:\n"
        + "  - {id: first, front: Q, back: A, source: &cite {document: qa, section: S},"
        + " tags: &tags [a, b, c, d, e, f]}\n"
        + cards
    )
    deck = parse_deck(text, "reuse.yaml")
    assert isinstance(deck, Deck), deck
    assert len(deck.cards) == 2_001 and deck.cards[-1].tags == ("a", "b", "c", "d", "e", "f")


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        HEAD
        + f"cards: !!python/object/apply:os.system ['touch {marker}']\n"
        + "description: !!python/name:os.system\n"
    )
    problems = problems_of(text)
    assert not marker.exists()
    tags = [p for p in problems if "YAML tag" in p.message]
    assert [(p.line, p.message) for p in tags] == [
        (4, "YAML tag '!!python/object/apply:os.system' is not allowed"),
        (5, "YAML tag '!!python/name:os.system' is not allowed"),
    ]


def test_a_recursive_alias_does_not_loop() -> None:
    problems = problems_of(HEAD + "cards: &loop [*loop]\n")
    assert any("a card must be a mapping of fields, not a list" in p.message for p in problems)


# --- the pure-Python parser, used when PyYAML lacks LibYAML -------------------------------


@pytest.fixture
def python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "LOADER", yaml.SafeLoader)


@pytest.mark.usefixtures("python_parser")
@pytest.mark.parametrize(
    ("data", "line", "column", "fragment"),
    [
        pytest.param(
            nested_flow(20_000), 1, MAX_DEPTH + 1, "nested more than 64 levels", id="deep"
        ),
        pytest.param(HEAD + "cards:\n\t- id: a\n", 5, 1, "indent with spaces", id="tab"),
        pytest.param(
            HEAD + "cards: []\ncards: []\n",
            5,
            1,
            "duplicate key 'cards' (first given at line 4)",
            id="duplicate",
        ),
        pytest.param(
            HEAD + "cards: []\nx: a\x07\n", 5, 5, "control character U+0007", id="control"
        ),
        pytest.param(
            HEAD + "cards: !!python/object:os.system []\n", 4, 8, "is not allowed", id="tag"
        ),
        pytest.param(laughs(12), 1, 1, "unknown field 'l0'", id="laughs"),
    ],
)
def test_the_python_parser_gives_the_same_problems(
    data: str, line: int, column: int, fragment: str
) -> None:
    problems = problems_of(data)
    matching = [p for p in problems if fragment in f"{p.message} ({p.hint})"]
    assert matching, "\n".join(str(p) for p in problems)
    assert (matching[0].line, matching[0].column) == (line, column)


def test_the_python_parser_builds_the_same_deck(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.core.test_deck_loader import FULL

    with_libyaml = parse_deck(FULL, "/d/deck.yaml")
    monkeypatch.setattr(yaml_source, "LOADER", yaml.SafeLoader)
    with_python = parse_deck(FULL, "/d/deck.yaml")
    assert isinstance(with_libyaml, Deck)
    assert with_python == with_libyaml
