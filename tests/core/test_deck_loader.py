"""parse_deck: valid decks become typed values; every mistake becomes a located Problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.core.decks.loader import parse_deck, read_deck
from metaflash.core.decks.model import (
    BasicContent,
    CardType,
    ClozeContent,
    Deck,
    Problem,
    ReverseContent,
    SequenceContent,
    SourceDocument,
    SourceRef,
)

HEAD = "format: 1\nid: deck\ntitle: A deck\n"
SOURCES = "sources:\n  - {id: qa, title: Questions}\n"


def problems_of(text: str | bytes) -> tuple[Problem, ...]:
    result = parse_deck(text, "deck.yaml")
    assert isinstance(result, tuple), "expected problems, got a deck"
    assert result, "an empty tuple of problems"
    return result


def deck_of(text: str | bytes, path: str = "/decks/deck.yaml") -> Deck:
    result = parse_deck(text, path)
    assert isinstance(result, Deck), "\n".join(str(problem) for problem in result)
    return result


def card(body: str) -> str:
    """A deck around one card; the card's first line is line 5."""
    return HEAD + "cards:\n" + body


# (yaml text, expected line, expected column or None, expected message fragment)
# fmt: off
MALFORMED = [
    pytest.param("", 1, 1, "the file is empty", id="empty"),
    pytest.param("# nothing but a comment\n", 1, 1, "the file is empty", id="only-comment"),
    pytest.param("- a\n- b\n", 1, 1, "must be a mapping of fields, not a list", id="root-list"),
    pytest.param("just text\n", 1, 1, "must be a mapping of fields, not text", id="root-scalar"),
    pytest.param("id: deck\ntitle: T\ncards: []\n", 1, 1, "'format' is missing", id="no-format"),
    pytest.param("format: 1\ntitle: T\ncards: []\n", 1, 1, "missing the required field 'id'", id="no-id"),
    pytest.param("format: 1\nid: d\ncards: []\n", 1, 1, "missing the required field 'title'", id="no-title"),
    pytest.param("format: 1\nid: d\ntitle: T\n", 1, 1, "missing the required field 'cards'", id="no-cards"),
    pytest.param(HEAD + "cards:\n", 4, 7, "'cards' must be a list, not nothing", id="cards-null"),
    pytest.param(HEAD + "cards: {}\n", 4, 8, "'cards' must be a list, not a mapping", id="cards-map"),
    pytest.param("format: 2\nid: d\ntitle: T\ncards: []\n", 1, 9, "upgrade metaflash", id="newer-format"),
    pytest.param("format: 0\nid: d\ntitle: T\ncards: []\n", 1, 9, "format 0 does not exist", id="format-0"),
    pytest.param("format: one\nid: d\ntitle: T\ncards: []\n", 1, 9, "'format' must be a whole number", id="format-text"),
    pytest.param("format: 1.0\nid: d\ntitle: T\ncards: []\n", 1, 9, "must be a whole number, not a number (1.0)", id="format-float"),
    pytest.param(HEAD + "cards: []\ntittle: x\n", 5, 1, "unknown field 'tittle' in the deck", id="unknown-deck-key"),
    pytest.param(HEAD + "cards: []\nDescription: x\n", 5, 1, "did you mean 'description'", id="case-typo"),
    pytest.param("format: 1\nid: Deck One\ntitle: T\ncards: []\n", 2, 5, "not a valid id: 'Deck One'", id="bad-deck-slug"),
    pytest.param("format: 1\nid: deck--one\ntitle: T\ncards: []\n", 2, 5, "not a valid id", id="double-hyphen"),
    pytest.param("format: 1\nid: d\ntitle: ''\ncards: []\n", 3, 8, "'title' is empty", id="empty-title"),
    pytest.param("format: 1\nid: d\ntitle: 2024\ncards: []\n", 3, 8, "'title' must be text, not a number", id="title-number"),
    pytest.param(HEAD + "version: 1.0\ncards: []\n", 4, 10, 'put it in quotes: version: "1.0"', id="version-float"),
    pytest.param(HEAD + "licence: a\nlicense: b\ncards: []\n", 5, 1, "either 'licence' or 'license'", id="both-licences"),
    pytest.param(HEAD + "parent: deck\ncards: []\n", 4, 9, "cannot be its own parent", id="own-parent"),
    pytest.param(HEAD + "parent: Top Deck\ncards: []\n", 4, 9, "not a valid id", id="parent-slug"),
    pytest.param(HEAD + "authors: Ada\ncards: []\n", 4, 10, "'authors' must be a list", id="authors-scalar"),
    pytest.param(HEAD + "diagram: /abs/x.diagram.yaml\ncards: []\n", 4, 10, "relative to the deck's folder", id="diagram-absolute"),
    pytest.param(HEAD + "diagram: cascade.txt\ncards: []\n", 4, 10, "must name a .diagram.yaml file", id="diagram-suffix"),
    pytest.param(HEAD + "kind: diagram\ncards: []\n", 4, 7, "this file is a diagram", id="kind-diagram"),
    pytest.param(HEAD + "kind: dek\ncards: []\n", 4, 7, "did you mean 'deck'", id="kind-typo"),
    # --- sources ------------------------------------------------------------------------
    pytest.param(HEAD + "sources: qa\ncards: []\n", 4, 10, "'sources' must be a list", id="sources-scalar"),
    pytest.param(HEAD + "sources:\n  - {id: qa}\ncards: []\n", 5, 5, "missing the required field 'title'", id="source-no-title"),
    pytest.param(HEAD + "sources:\n  - {id: qa, title: A}\n  - {id: qa, title: B}\ncards: []\n", 6, 10, "duplicate source id 'qa' (first used at line 5)", id="source-duplicate"),
    pytest.param(HEAD + "sources:\n  - {id: qa, title: A, url: ftp.example}\ncards: []\n", 5, 29, "not a web address", id="source-url"),
    pytest.param(HEAD + "sources:\n  - {id: qa, titel: A}\ncards: []\n", 5, 14, "did you mean 'title'", id="source-key-typo"),
    # --- cards --------------------------------------------------------------------------
    pytest.param(card("  - just a string\n"), 5, 5, "a card must be a mapping of fields, not text", id="card-scalar"),
    pytest.param(card("  - {front: Q, back: A}\n"), 5, 5, "missing the required field 'id'", id="card-no-id"),
    pytest.param(card("  - id: a\n    front: Q\n"), 5, 5, "missing the required field 'back'", id="no-back"),
    pytest.param(card("  - id: a\n    fornt: Q\n    back: A\n"), 6, 5, "unknown field 'fornt' in card 'a' (basic type)", id="card-typo"),
    pytest.param(card("  - id: a\n    fornt: Q\n    back: A\n"), 6, 5, "did you mean 'front'", id="card-typo-hint"),
    pytest.param(card("  - id: Card A\n    front: Q\n    back: A\n"), 5, 9, "not a valid id: 'Card A'", id="card-slug"),
    pytest.param(card("  - id: a_b\n    front: Q\n    back: A\n"), 5, 9, "e.g. 'a-b'", id="card-slug-hint"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n  - id: a\n    front: Q2\n    back: A2\n"), 8, 9, "duplicate card id 'a' (first used at line 5)", id="duplicate-card-id"),
    pytest.param(card("  - id: a\n    front: ''\n    back: A\n"), 6, 12, "'front' is empty", id="empty-front"),
    pytest.param(card("  - id: a\n    front: '   '\n    back: A\n"), 6, 12, "'front' is empty", id="blank-front"),
    pytest.param(card("  - id: a\n    front: Q\n    back:\n"), 7, 10, "'back' is empty", id="null-back"),
    pytest.param(card("  - id: a\n    front: Q\n    back: 1958\n"), 7, 11, "not a number (1958)", id="back-number"),
    pytest.param(card("  - id: a\n    front: Q\n    back: No\n"), 7, 11, "not true/false (No)", id="back-norway"),
    pytest.param(card("  - id: a\n    front: [Q]\n    back: A\n"), 6, 12, "'front' must be text, not a list", id="front-list"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    front: Q2\n"), 8, 5, "duplicate key 'front' (first given at line 6)", id="duplicate-key"),
    pytest.param(card("  - id: a\n    type: revers\n    front: Q\n    back: A\n"), 6, 11, "did you mean 'reverse'", id="type-typo"),
    pytest.param(card("  - id: a\n    type: flip\n    front: Q\n    back: A\n"), 6, 11, "use basic, reverse, cloze, sequence or diagram", id="type-unknown"),
    pytest.param(card("  - id: a\n    text: Q\n    front: Q\n    back: A\n"), 6, 5, "set 'type: cloze'", id="field-of-other-type"),
    pytest.param(card("  - id: a\n    type: cloze\n    front: Q\n"), 5, 5, "missing the required field 'text'", id="cloze-no-text"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    tags: [two words]\n"), 8, 12, "tag 'two words' contains spaces", id="tag-spaces"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    tags: single\n"), 8, 11, "'tags' must be a list", id="tags-scalar"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    notes: [x]\n"), 8, 12, "'notes' must be text", id="notes-list"),
    # --- cloze syntax: at the gap in one-line scalars, else at the scalar's start --------
    pytest.param(card("  - id: a\n    type: cloze\n    text: The {{c1::cat sat\n"), 7, 15, "cloze deletion is not closed", id="cloze-unclosed-plain"),
    pytest.param(card('  - id: a\n    type: cloze\n    text: "The {{c1::}} sat"\n'), 7, 16, "c1 has an empty answer", id="cloze-empty-quoted"),
    pytest.param(card("  - id: a\n    type: cloze\n    text: 'It {{c0::x}}'\n"), 7, 15, "must be 1 or more", id="cloze-zero-single-quoted"),
    pytest.param(card("  - id: a\n    type: cloze\n    text: no gaps here\n"), 7, 11, "needs at least one deletion", id="cloze-none"),
    pytest.param(card("  - id: a\n    type: cloze\n    text: A {{c1::b {{c2::c}} d}}\n"), 7, 21, "nested cloze deletions", id="cloze-nested"),
    pytest.param(card('  - id: a\n    type: cloze\n    text: "A {{ c1: b}}"\n'), 7, 14, "malformed cloze deletion", id="cloze-malformed"),
    pytest.param(card('  - id: a\n    type: cloze\n    text: "A \\t {{c1::}}"\n'), 7, 11, "empty answer", id="cloze-escaped-at-start"),
    pytest.param(card("  - id: a\n    type: cloze\n    text: |\n      line one\n      {{c1::open\n"), 7, 11, "not closed", id="cloze-block-at-start"),
    # --- sequences ----------------------------------------------------------------------
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [one]\n"), 8, 12, "at least 2 steps, not 1", id="sequence-one-step"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: []\n"), 8, 12, "at least 2 steps, not 0", id="sequence-empty"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y, x]\n"), 8, 19, "step 3 repeats step 1", id="sequence-repeat"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, '']\n"), 8, 16, "'steps item' is empty", id="sequence-empty-step"),
    pytest.param(card("  - id: a\n    type: sequence\n    steps: [x, y]\n"), 5, 5, "missing the required field 'prompt'", id="sequence-no-prompt"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y, z]\n    stages: [a, b]\n"), 9, 13, "'stages' has 2 items, but 'steps' has 3", id="stages-too-few"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y]\n    stages: [a, b, c]\n"), 9, 13, "one diagram step id per step", id="stages-too-many"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y, z]\n    stages: [a, B C, null]\n"), 9, 17, "'stages item' is not a valid id: 'B C'", id="stages-item-slug"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y]\n    stages: [null, ~]\n"), 9, 13, "'stages' names no diagram step", id="stages-all-null"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y]\n    stages: intravasation\n"), 9, 13, "'stages' must be a list, not text", id="stages-scalar"),
    pytest.param(card("  - id: a\n    type: sequence\n    prompt: P\n    steps: [x, y]\n    stages: [local-invasion, intravasation]\n"), 9, 13, "sequence cards name 'stages', but the deck names no 'diagram'", id="stages-without-diagram"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    stages: [x, y]\n"), 8, 5, "did you mean 'stage'?", id="stages-on-basic"),
    # --- diagram cards ------------------------------------------------------------------
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n    answer: extravasation\n"), 8, 13, "diagram cards are answered on the deck's diagram, but the deck names no 'diagram'", id="diagram-card-without-diagram"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n    answer: e\n  - id: b\n    type: diagram\n    question: Where?\n    answer: f\n"), 8, 13, "names no 'diagram' (2 cards do)", id="diagram-cards-without-diagram-counted"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n"), 5, 5, "card 'a' (diagram type) is missing the required field 'answer'", id="diagram-no-answer"),
    pytest.param(card("  - id: a\n    type: diagram\n    answer: extravasation\n"), 5, 5, "missing the required field 'question'", id="diagram-no-question"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n    answer: Survival in circulation\n"), 8, 13, "'answer' must be the id of a step of the deck's diagram, not 'Survival in circulation' (write the step's id from the diagram file, e.g. 'survival-in-circulation')", id="diagram-answer-label"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n    answer:\n"), 8, 12, "'answer' is empty", id="diagram-answer-empty"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: Where?\n    answer: [liver, bone]\n"), 8, 13, "'answer' must be text, not a list", id="diagram-answer-list"),
    pytest.param(card("  - id: a\n    type: diagram\n    question: ''\n    answer: liver\n"), 7, 15, "'question' is empty", id="diagram-question-empty"),
    pytest.param(card("  - id: a\n    type: diagram\n    front: Where?\n    answer: liver\n"), 7, 5, "diagram cards use 'question' and 'answer'", id="diagram-with-front"),
    pytest.param(card("  - id: a\n    question: Where?\n    answer: liver\n"), 6, 5, "basic cards use 'front' and 'back'; 'question' belongs to diagram cards", id="question-on-basic"),
    pytest.param(card("  - id: a\n    type: cloze\n    text: 'a {{c1::b}}'\n    answer: liver\n"), 8, 5, "'answer' belongs to diagram cards; set 'type: diagram'", id="answer-on-cloze"),
    # --- citations, stages, images --------------------------------------------------------
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    source: {document: qa}\n"), 8, 24, "this file has no 'sources'", id="cite-undeclared"),
    pytest.param(HEAD + SOURCES + "cards:\n  - id: a\n    front: Q\n    back: A\n    source: {document: q}\n", 10, 24, "did you mean 'qa'", id="cite-typo"),
    pytest.param(HEAD + SOURCES + "cards:\n  - id: a\n    front: Q\n    back: A\n    source: {section: S}\n", 10, 13, "missing the required field 'document'", id="cite-no-document"),
    pytest.param(HEAD + SOURCES + "cards:\n  - id: a\n    front: Q\n    back: A\n    source: []\n", 10, 13, "'source' is an empty list", id="cite-empty-list"),
    pytest.param(HEAD + SOURCES + "cards:\n  - id: a\n    front: Q\n    back: A\n    source: {document: qa, page: 3}\n", 10, 28, "unknown field 'page'", id="cite-unknown-key"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    stage: intravasation\n"), 8, 12, "the deck names no 'diagram'", id="stage-without-diagram"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    image: ../secret.png\n"), 8, 12, "outside the deck's folder", id="image-dotdot"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    image: img/../../x.png\n"), 8, 12, "outside the deck's folder", id="image-dotdot-inner"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    image: /etc/x.png\n"), 8, 12, "relative to the deck's folder", id="image-absolute"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    image: 'img\\x.png'\n"), 8, 12, "use forward slashes", id="image-backslash"),
    pytest.param(card("  - id: a\n    front: Q\n    back: A\n    image: notes.txt\n"), 8, 12, "not an image file", id="image-suffix"),
    # --- YAML itself ----------------------------------------------------------------------
    pytest.param(HEAD + "cards: [\n", 5, 1, "YAML syntax error", id="unclosed-bracket"),
    pytest.param(HEAD + "cards:\n\t- id: a\n", 5, 1, "indent with spaces", id="tab-indent"),
    pytest.param(HEAD + "cards:\n  - id: a\n    front: Q: what?\n    back: A\n", 6, 13, "a value that contains ': ' must be quoted", id="colon-in-plain"),
    pytest.param(HEAD + "cards:\n  - id: a\n   front: Q\n", 6, 4, "YAML syntax error", id="bad-indent"),
    pytest.param(HEAD + 'title2: "open\n', 5, 1, "a quote or a bracket is not closed", id="unclosed-quote"),
    pytest.param(HEAD + "cards: []\n---\nid: other\n", 5, 1, "more than one YAML document", id="two-documents"),
    pytest.param(HEAD + "cards: *nothing\n", 4, 8, "the alias *nothing names no anchor", id="undefined-alias"),
    pytest.param(HEAD + "cards: !!python/object/apply:os.system [echo]\n", 4, 8, "YAML tag '!!python/object/apply:os.system' is not allowed", id="python-tag"),
    pytest.param(HEAD + "cards: []\ndescription: !custom x\n", 5, 14, "YAML tag '!custom' is not allowed", id="local-tag"),
    pytest.param(HEAD + "cards: []\n? [a, b]\n: c\n", 5, 3, "a mapping key must be plain text", id="complex-key"),
    pytest.param(HEAD + "cards: []\n<<: {x: 1}\n", 5, 1, "merge keys (<<) are not supported", id="merge-key"),
    pytest.param(HEAD + "cards: []\nx: \x07\n", 5, 4, "control character U+0007", id="control-char"),
]
# fmt: on


@pytest.mark.parametrize(("text", "line", "column", "fragment"), MALFORMED)
def test_malformed_deck_is_reported_where_it_is(
    text: str, line: int, column: int | None, fragment: str
) -> None:
    problems = problems_of(text)
    matching = [p for p in problems if fragment in f"{p.message} ({p.hint})"]
    assert matching, "\n".join(str(p) for p in problems)
    assert matching[0].line == line, str(matching[0])
    if column is not None:
        assert matching[0].column == column, str(matching[0])
    assert all(p.file == "deck.yaml" and p.severity == "error" for p in problems)


def test_every_error_is_collected_not_just_the_first() -> None:
    text = card(
        "  - id: Bad Id\n    front: ''\n    back: A\n"
        "  - id: b\n    fornt: Q\n    back: A\n"
        "  - id: c\n    type: sequence\n    prompt: P\n    steps: [one]\n"
    )
    problems = problems_of(text)
    messages = [p.message for p in problems]
    assert any("not a valid id" in m for m in messages)
    assert any("'front' is empty" in m for m in messages)
    assert any("unknown field 'fornt'" in m for m in messages)
    assert any("at least 2 steps" in m for m in messages)
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)


def test_a_newer_format_is_the_only_problem_reported() -> None:
    problems = problems_of("format: 3\nid: Not A Slug\nfuture-field: x\ncards: 7\n")
    assert len(problems) == 1
    assert "format 3" in problems[0].message and "format 1 at most" in problems[0].message
    assert problems[0].hint == "upgrade metaflash to open it"


def test_a_diagram_file_given_as_a_deck_says_so_once() -> None:
    problems = problems_of("format: 1\nkind: diagram\nid: x\ntitle: T\nsteps: []\n")
    assert len(problems) == 1 and "diagram" in problems[0].message


# --- valid decks --------------------------------------------------------------------------

FULL = """\
format: 1
id: metastasis-stages
title: The stages of metastasis
description: >-
  The five stages.
parent: metastasis
authors: [metaflash team, Ada]
version: "1.0.0"
license: CC-BY-4.0
diagram: ../shared/cascade.diagram.yaml
sources:
  - id: qa
    title: How does the metastatic process work in cancer?
    file: metastatic-process-qa.md
    url: https://example.org/qa
cards:
  - id: intravasation-definition
    front: What is **intravasation**?
    back: Cells entering a vessel.
    tags: [definition, stage-2, definition]
    stage: intravasation
    source: {document: qa, section: "Stages of Metastasis"}
    notes: Extra.
    image: images/vessel.png
  - id: reverse-one
    type: reverse
    front: Extravasation
    back: Leaving the vessel.
    source:
      - {document: qa, section: A}
      - {document: qa}
  - id: cloze-one
    type: cloze
    text: "Cells secrete {{c1::enzymes}} that break the {{c2::matrix::a barrier}}."
  - id: order-one
    type: sequence
    prompt: The stages
    steps: [Local invasion, Intravasation, Extravasation]
"""


def test_a_full_deck_loads_into_typed_values() -> None:
    deck = deck_of(FULL, "/decks/stages/stages.yaml")
    assert deck.id == "metastasis-stages"
    assert deck.title == "The stages of metastasis"
    assert deck.description == "The five stages."
    assert deck.parent == "metastasis"
    assert deck.authors == ("metaflash team", "Ada")
    assert deck.version == "1.0.0"
    assert deck.licence == "CC-BY-4.0"  # `license` is accepted too
    assert deck.diagram == Path("/decks/shared/cascade.diagram.yaml")
    assert deck.path == Path("/decks/stages/stages.yaml")
    assert deck.sources == (
        SourceDocument(
            "qa",
            "How does the metastatic process work in cancer?",
            "metastatic-process-qa.md",
            "https://example.org/qa",
        ),
    )
    first, second, third, fourth = deck.cards
    assert first.type is CardType.BASIC
    assert first.content == BasicContent("What is **intravasation**?", "Cells entering a vessel.")
    assert first.tags == ("definition", "stage-2")  # a repeated tag is kept once
    assert first.stage == "intravasation"
    assert first.sources == (SourceRef("qa", "Stages of Metastasis"),)
    assert first.notes == "Extra."
    assert first.image == Path("/decks/stages/images/vessel.png")
    assert (first.location.line, first.location.column) == (17, 5)
    assert second.content == ReverseContent("Extravasation", "Leaving the vessel.")
    assert second.sources == (SourceRef("qa", "A"), SourceRef("qa", ""))
    assert isinstance(third.content, ClozeContent)
    assert third.content.cloze.numbers == (1, 2)
    assert fourth.content == SequenceContent(
        "The stages", ("Local invasion", "Intravasation", "Extravasation")
    )
    assert deck.card(first.id) is first
    assert len(deck.prompts()) == 1 + 2 + 2 + 3


def test_reading_keeps_where_references_are_written() -> None:
    reading = read_deck(FULL, "/decks/stages/stages.yaml", name="stages.yaml")
    assert reading.deck is not None and not reading.problems
    refs = reading.references
    assert refs.diagram is not None and (refs.diagram.line, refs.diagram.column) == (10, 10)
    assert refs.parent is not None and refs.parent.line == 6
    assert refs.stages["intravasation-definition"].line == 21
    assert refs.images["intravasation-definition"].line == 24
    assert refs.id.file == "stages.yaml"


def test_bytes_with_a_bom_and_text_give_the_same_deck() -> None:
    from_text = deck_of(FULL)
    from_bytes = deck_of(b"\xef\xbb\xbf" + FULL.encode())
    assert from_text == from_bytes


def test_windows_line_endings_load() -> None:
    deck = deck_of(FULL.replace("\n", "\r\n"))
    assert len(deck.cards) == 4


def test_yaml_conveniences_work_within_the_format() -> None:
    text = (
        HEAD
        + SOURCES
        + (
            "cards:\n"
            "  - id: a\n"
            "    front: !!str 1958\n"  # an explicit string
            "    back: &answer The answer.\n"
            "    source: &cite {document: qa, section: S}\n"
            "  - id: b\n"
            "    front: Q\n"
            "    back: *answer\n"
            "    source: *cite\n"
            "    notes:\n"  # empty notes are fine
        )
    )
    deck = deck_of(text)
    assert deck.cards[0].content == BasicContent("1958", "The answer.")
    assert deck.cards[1].content == BasicContent("Q", "The answer.")
    assert deck.cards[1].sources == deck.cards[0].sources


def test_an_empty_card_list_is_a_valid_deck() -> None:
    assert deck_of(HEAD + "cards: []\n").cards == ()


def test_parse_deck_is_pure(tmp_path: Path) -> None:
    """Images and diagrams are not looked up on disk here: that is the library's job."""
    deck = deck_of(FULL, str(tmp_path / "stages.yaml"))
    assert deck.cards[0].image == tmp_path / "images" / "vessel.png"
    assert not (tmp_path / "images").exists()


def test_a_decks_prompts_are_made_once() -> None:
    deck = deck_of(HEAD + "cards:\n  - {id: a, type: reverse, front: F, back: B}\n")
    first = deck.prompts()
    assert [p.variant for p in first] == ["forward", "backward"]
    assert deck.prompts() is first  # not made again at every call (20,000 cards: 0.2 s)


def test_a_cards_variants_are_its_prompts_names(tmp_path: Path) -> None:
    import sys

    from metaflash.core.collection.reconcile import reconciled_prompts
    from metaflash.core.library.snapshot import load_library
    from metaflash.core.util.paths import bundled_decks_dir

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from deck_load import generate_deck, generate_diagram

    (tmp_path / "bench.diagram.yaml").write_text(generate_diagram())
    (tmp_path / "bench-deck.yaml").write_text(generate_deck(400))
    decks = [*load_library([bundled_decks_dir()]).decks, *load_library([tmp_path]).decks]
    types = set()
    for deck in decks:
        for card in deck.cards:
            types.add(card.type)
            assert card.variants() == tuple(p.variant for p in card.prompts(deck.id)), card.id
        assert deck.prompt_count() == len(deck.prompts())
        # what reconciling stores of each prompt is what the prompts say
        assert reconciled_prompts(deck) == [(p.card_id, p.variant, p.stage) for p in deck.prompts()]
    assert {t.value for t in types} == {"basic", "reverse", "cloze", "sequence", "diagram"}
