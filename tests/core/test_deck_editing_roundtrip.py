"""Round-trip editing keeps every line the edit did not touch, byte for byte.

On copies of the bundled decks and on a hand-written deck with tricky formatting (a BOM,
flow lists and flow cards, ``>-`` and ``|`` blocks, comments on keys and between cards,
quotes of both kinds, odd spacing), each kind of edit changes exactly the lines it must,
and the result loads with the real loader.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import (
    BasicContent,
    CardType,
    ClozeContent,
    Deck,
    DiagramContent,
    SequenceContent,
)
from metaflash.core.editing.document import DeckDocument
from metaflash.core.editing.draft import CardDraft
from metaflash.core.editing.yaml_roundtrip import merge3
from metaflash.core.util.paths import bundled_decks_dir

BUNDLED = sorted(
    p
    for p in (bundled_decks_dir() / "metastasis").glob("*.yaml")
    if not p.name.endswith(".diagram.yaml")
)

TRICKY = """\ufeff# yaml-language-server: $schema=../resources/schema/deck.schema.json
# A deck written by hand, with formatting the editor must keep.
format: 1
id: tricky   # the id never changes
title: 'A deck with tricky formatting'
description: |
  Line one of the description.
  Line two, with a trailing newline kept.
authors: [Ada,   Grace]
version: '1.0'
sources:
  - id: qa
    title: "How does the metastatic process work in cancer?"

cards:
  # --- first section -------------------------------------------
  - id: first
    type: basic
    front: "What is **intravasation**?"    # quoted on purpose
    back: >-
      Cancer cells entering the bloodstream
      or the lymphatic system.
    tags: [definition,  stage-2]
    source: {document: qa, section: 'Stages of Metastasis'}

  - id: second
    type: cloze
    text: "Cells secrete {{c1::enzymes}} that break down the {{c2::matrix::a barrier}}."
    tags:
      - enzymes
      - matrix
    notes: |
      - a Markdown list
      - kept as written


  # --- second section ------------------------------------------
  - {id: third, type: reverse, front: Extravasation, back: Leaving the vessel.}

  - id: fourth
    type: sequence
    prompt: The stages, in order
    steps: [Local invasion, Intravasation, Extravasation]
    # a comment inside the card
    tags: [order]
  - id: fifth
    front:   Spacing after the colon is kept
    back: plain text
"""


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added between two texts."""
    removed: list[str] = []
    added: list[str] = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def load(text: str | bytes, path: Path) -> Deck:
    deck = parse_deck(text, path)
    assert isinstance(deck, Deck), deck
    return deck


def bundled_copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    return folder / name


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: p.name)
def test_editing_one_answer_changes_only_that_answer_in_every_bundled_card(
    tmp_path: Path, source: Path
) -> None:
    path = bundled_copy(tmp_path, source.name)
    raw = path.read_bytes()
    document = DeckDocument.from_bytes(raw, str(path))
    assert document.file_bytes() == raw
    for index, card in enumerate(document.cards()):
        if card.type in (CardType.BASIC, CardType.REVERSE):
            edited = replace(card, back="A new answer for this card.")
        elif card.type is CardType.CLOZE:
            edited = replace(card, text="The {{c1::edited}} cloze text.")
        elif card.type is CardType.DIAGRAM:
            edited = replace(card, question="Where does this happen, edited?")
        else:
            edited = replace(card, steps=(*card.steps[:-1], "A different last step"))
        changed = document.with_card(index, edited)
        removed, added = changes(document.text, changed.text)
        span = document.layout.cards[index]
        field = {
            "basic": "back",
            "reverse": "back",
            "cloze": "text",
            "sequence": "steps",
            "diagram": "question",
        }[card.type.value]
        lines = next(f for f in span.fields if f.name == field)
        old_field_lines = document.text.splitlines()[lines.first : lines.last + 1]
        assert set(removed) <= set(old_field_lines), (card.id, removed)
        assert len(added) >= 1 and all(line.startswith("    ") for line in added)
        deck = load(changed.file_bytes(), path)
        assert deck.cards[index].id == card.id
        match deck.cards[index].content:
            case BasicContent(_, back):
                assert back == "A new answer for this card."
            case ClozeContent(text, _):
                assert text == "The {{c1::edited}} cloze text."
            case SequenceContent(_, steps):
                assert steps[-1] == "A different last step"
            case DiagramContent(question, _):
                assert question == "Where does this happen, edited?"
        assert len(deck.cards) == len(document.cards())


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: p.name)
def test_adding_a_card_only_appends_lines(tmp_path: Path, source: Path) -> None:
    path = bundled_copy(tmp_path, source.name)
    document = DeckDocument.from_bytes(path.read_bytes(), str(path))
    draft = CardDraft(id="a-new-card", front="What is new?", back="This card.", tags=("new",))
    added_document = document.with_card_inserted(len(document.cards()), draft)
    assert added_document.text.startswith(document.text)
    tail = added_document.text[len(document.text) :]
    assert (
        tail
        == "\n  - id: a-new-card\n    type: basic\n    front: What is new?\n    back: This card.\n    tags: [new]\n"
    )
    deck = load(added_document.file_bytes(), path)
    assert deck.cards[-1].id == "a-new-card"


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: p.name)
def test_deleting_and_moving_cards_moves_only_their_lines(tmp_path: Path, source: Path) -> None:
    path = bundled_copy(tmp_path, source.name)
    document = DeckDocument.from_bytes(path.read_bytes(), str(path))
    comments = [line for line in document.text.splitlines() if line.lstrip().startswith("#")]
    count = len(document.cards())
    for index in (0, count // 2, count - 1):
        span = document.layout.cards[index]
        block = document.text.splitlines()[span.start : span.end]
        removed, added = changes(document.text, document.without_card(index).text)
        assert added == []
        assert [line for line in removed if line.strip()] == [
            line for line in block if line.strip()
        ]
        assert sum(1 for line in removed if not line.strip()) <= 1
    for index, target in ((0, 1), (count - 1, count - 2), (count // 2, 0), (0, count - 1)):
        moved = document.with_card_moved(index, target)
        assert sorted(moved.text.splitlines()) == sorted(document.text.splitlines())
        assert [
            line for line in moved.text.splitlines() if line.lstrip().startswith("#")
        ] == comments
        ids = list(document.card_ids())
        ids.insert(target, ids.pop(index))
        assert [card.id for card in load(moved.file_bytes(), path).cards] == ids


def test_editing_a_field_of_a_tricky_deck_changes_only_that_field() -> None:
    raw = TRICKY.encode("utf-8")
    document = DeckDocument.from_bytes(raw, "tricky.yaml")
    assert document.file_bytes() == raw
    cases = [
        (
            0,
            {"back": "Cancer cells entering the blood."},
            ["      Cancer cells entering the blood."],
        ),
        (
            0,
            {"front": "What is **extravasation**?"},
            ['    front: "What is **extravasation**?"    # quoted on purpose'],
        ),
        (1, {"tags": ("enzymes", "barrier")}, ["      - barrier"]),
        (
            1,
            {"notes": "- a Markdown list\n- kept as written\n- and a third item\n"},
            ["      - and a third item"],
        ),
        (
            2,
            {"back": "Leaving the vessel again."},
            [
                "  - {id: third, type: reverse, front: Extravasation, back: Leaving the vessel again.}"
            ],
        ),
        (
            3,
            {"steps": ("Local invasion", "Intravasation", "Colonisation")},
            ["    steps: [Local invasion, Intravasation, Colonisation]"],
        ),
        (4, {"back": "yes"}, ['    back: "yes"']),
        (
            4,
            {"back": "The {{c1::gap}}: 'quoted' # not a comment"},
            ["    back: \"The {{c1::gap}}: 'quoted' # not a comment\""],
        ),
    ]
    for index, fields, expected_added in cases:
        changed = document.with_card(index, replace(document.card(index), **fields))
        removed, added = changes(document.text, changed.text)
        assert added == expected_added, (fields, added)
        assert len(removed) <= 2
        assert changed.file_bytes().startswith(b"\xef\xbb\xbf")
        deck = load(changed.file_bytes(), Path("tricky.yaml"))
        assert changed.card(index) == replace(document.card(index), **fields)
        assert deck.id == "tricky"
        untouched = [line for line in TRICKY.lstrip("\ufeff").splitlines() if line not in removed]
        assert all(line in changed.text.splitlines() for line in untouched)


def test_the_tricky_deck_keeps_comments_when_cards_are_added_deleted_and_moved() -> None:
    document = DeckDocument.from_bytes(TRICKY.encode("utf-8"), "tricky.yaml")
    comments = [line for line in document.text.splitlines() if line.lstrip().startswith("#")]
    deleted = document.without_card(2)
    removed, added = changes(document.text, deleted.text)
    assert added == [] and removed == [
        "  - {id: third, type: reverse, front: Extravasation, back: Leaving the vessel.}",
        "",
    ]
    moved = document.with_card_moved(4, 0)
    removed, added = changes(document.text, moved.text)
    assert added[:3] == [
        "  - id: fifth",
        "    front:   Spacing after the colon is kept",
        "    back: plain text",
    ]
    assert [line for line in moved.text.splitlines() if line.lstrip().startswith("#")] == comments
    assert moved.card_ids() == ("fifth", "first", "second", "third", "fourth")
    inserted = document.with_card_inserted(2, CardDraft(id="inserted", front="Q", back="A"))
    removed, added = changes(document.text, inserted.text)
    assert removed == [] and added == [
        "  - id: inserted",
        "    type: basic",
        "    front: Q",
        "    back: A",
        "",
    ]
    text = inserted.text
    assert text.index("id: inserted") < text.index("# --- second section")
    for changed in (deleted, moved, inserted):
        load(changed.file_bytes(), Path("tricky.yaml"))


def test_deck_details_change_only_their_lines() -> None:
    document = DeckDocument.from_bytes(TRICKY.encode("utf-8"), "tricky.yaml")
    meta = document.meta()
    assert meta.title == "A deck with tricky formatting" and meta.authors == ("Ada", "Grace")
    changed = document.with_meta(replace(meta, title="Renamed", version="2.0", parent="metastasis"))
    removed, added = changes(document.text, changed.text)
    assert removed == ["title: 'A deck with tricky formatting'", "version: '1.0'"]
    assert added == ["title: 'Renamed'", "parent: metastasis", "version: '2.0'"]
    deck = load(changed.file_bytes(), Path("tricky.yaml"))
    assert (deck.title, deck.version, deck.parent) == ("Renamed", "2.0", "metastasis")
    sourced = document.with_meta(
        replace(
            meta,
            sources=(*meta.sources, replace(meta.sources[0], id="new", title="A second document")),
        )
    )
    removed, added = changes(document.text, sourced.text)
    assert removed == [] and added == ["  - id: new", "    title: A second document"]


def test_a_new_version_is_always_quoted_so_it_stays_text() -> None:
    document = DeckDocument.from_bytes(b"format: 1\nid: d\ntitle: T\ncards: []\n", "d.yaml")
    changed = document.with_meta(replace(document.meta(), version="1.0"))
    assert 'version: "1.0"' in changed.text
    assert load(changed.text, Path("d.yaml")).version == "1.0"


def test_crlf_line_ends_and_a_missing_final_newline_are_kept() -> None:
    raw = b"format: 1\r\nid: d\r\ntitle: T\r\ncards:\r\n  - id: a\r\n    front: Q\r\n    back: A"
    document = DeckDocument.from_bytes(raw, "d.yaml")
    assert document.file_bytes() == raw
    changed = document.with_card(0, replace(document.card(0), back="B"))
    assert changed.file_bytes() == raw[:-1] + b"B"


def test_an_empty_deck_gets_its_first_card_and_loses_its_last() -> None:
    document = DeckDocument.from_bytes(
        b"# mine\nformat: 1\nid: d\ntitle: T\ncards: []  # none yet\n", "d.yaml"
    )
    one = document.with_card_inserted(0, CardDraft(id="first", front="Q", back="A"))
    assert one.card_ids() == ("first",)
    assert one.text.startswith("# mine\nformat: 1\nid: d\ntitle: T\n")
    assert load(one.text, Path("d.yaml")).cards[0].id == "first"
    empty = one.without_card(0)
    assert load(empty.text, Path("d.yaml")).cards == ()


def test_changing_the_type_rewrites_the_type_fields_only() -> None:
    document = DeckDocument.from_bytes(TRICKY.encode("utf-8"), "tricky.yaml")
    first = document.card(0)
    as_cloze = replace(
        first.for_type(CardType.CLOZE), text="{{c1::Intravasation}} is the entry into vessels."
    )
    changed = document.with_card(0, as_cloze)
    removed, added = changes(document.text, changed.text)
    assert "    type: cloze" in added and "    tags: [definition,  stage-2]" not in removed
    card = load(changed.file_bytes(), Path("tricky.yaml")).cards[0]
    assert card.type is CardType.CLOZE and card.tags == ("definition", "stage-2")


def test_a_duplicate_keeps_the_formatting_of_its_original() -> None:
    document = DeckDocument.from_bytes(TRICKY.encode("utf-8"), "tricky.yaml")
    copied = document.with_card_duplicated(0, "first-copy")
    removed, _ = changes(document.text, copied.text)
    assert removed == []
    span = document.layout.cards[0]
    block = "".join(document.layout.lines[span.start : span.end])
    assert (
        copied.text.replace(block.replace("id: first", "id: first-copy", 1) + "\n", "", 1)
        == document.text
    )
    assert copied.card(1) == replace(document.card(0), id="first-copy")


def test_an_indentless_deck_keeps_its_indentation() -> None:
    text = "format: 1\nid: d\ntitle: T\ncards:\n- id: a\n  front: Q\n  back: A\n  tags:\n  - x\n"
    document = DeckDocument.from_bytes(text.encode(), "d.yaml")
    added = document.with_card_inserted(1, CardDraft(id="b", front="Q2", back="A2", steps=()))
    assert added.text == text + "\n- id: b\n  type: basic\n  front: Q2\n  back: A2\n"
    retagged = document.with_card(0, replace(document.card(0), tags=("x", "other", "y")))
    assert retagged.text == text + '  - other\n  - "y"\n'  # y is true in YAML 1.1


def test_merge3_keeps_the_original_where_only_the_rewrite_differs() -> None:
    original = ["a:   1\n", "b: 2\n", "c:  3\n"]
    base = ["a: 1\n", "b: 2\n", "c: 3\n"]
    edited = ["a: 1\n", "b: 5\n", "c: 3\n"]
    assert merge3(original, base, edited) == ["a:   1\n", "b: 5\n", "c:  3\n"]
    assert merge3(original, base, base) == original
    assert merge3(original, base, ["a: 1\n", "b: 2\n", "c: 3\n", "d: 4\n"]) == [*original, "d: 4\n"]
    assert merge3(original, base, ["a: 9\n", "b: 2\n", "c: 3\n"]) == ["a: 9\n", "b: 2\n", "c:  3\n"]


def with_diagram() -> DeckDocument:
    document = DeckDocument.from_bytes(TRICKY.encode("utf-8"), "tricky.yaml")
    return document.with_meta(replace(document.meta(), diagram="cascade.diagram.yaml"))


def test_a_sequences_stages_are_written_beside_its_steps_and_can_go() -> None:
    document = with_diagram()
    staged = document.with_card(
        3, replace(document.card(3), stages=("local-invasion", "", "extravasation"))
    )
    removed, added = changes(document.text, staged.text)
    assert removed == [] and added == ["    stages: [local-invasion, null, extravasation]"]
    assert staged.card(3).stages == ("local-invasion", "", "extravasation")
    card = load(staged.file_bytes(), Path("tricky.yaml")).cards[3]
    assert isinstance(card.content, SequenceContent)
    assert card.content.stages == ("local-invasion", None, "extravasation")
    unstaged = staged.with_card(3, replace(staged.card(3), stages=()))
    assert unstaged.text == document.text


def test_diagram_cards_are_written_with_their_question_and_answer() -> None:
    document = with_diagram()
    draft = CardDraft(
        id="where",
        type=CardType.DIAGRAM,
        question="Where do cells enter a vessel?",
        answer="intravasation",
    )
    added_document = document.with_card_inserted(5, draft)
    assert added_document.text.endswith(
        "\n  - id: where\n    type: diagram\n    question: Where do cells enter a vessel?\n"
        "    answer: intravasation\n"
    )
    card = load(added_document.file_bytes(), Path("tricky.yaml")).cards[5]
    assert card.content == DiagramContent("Where do cells enter a vessel?", "intravasation")  # type: ignore[arg-type]
    as_basic = added_document.with_card(5, added_document.card(5).for_type(CardType.BASIC))
    assert (
        as_basic.card(5).front == "Where do cells enter a vessel?" and as_basic.card(5).answer == ""
    )
    assert "answer:" not in as_basic.text.split("id: where")[1]


def test_a_deck_written_as_one_flow_list_and_a_card_using_an_alias_are_still_edited() -> None:
    flow = b"format: 1\nid: d\ntitle: T\ncards: [{id: a, front: Q, back: A}, {id: b, front: Q2, back: A2}]\n"
    document = DeckDocument.from_bytes(flow, "d.yaml")
    assert not document.layout.block_cards and document.card_ids() == ("a", "b")
    for changed in (
        document.with_card(1, replace(document.card(1), back="New")),
        document.with_card_inserted(2, CardDraft(id="c", front="Q3", back="A3")),
        document.with_card_moved(1, 0),
        document.without_card(0),
    ):
        load(changed.text, Path("d.yaml"))
    assert document.with_card(1, replace(document.card(1), back="New")).card(1).back == "New"
    aliased = (
        b"format: 1\nid: d\ntitle: T\nsources: [{id: qa, title: Q}]\n"
        b"cards:\n  - id: a\n    front: Q\n    back: A\n    source: &qa {document: qa}\n"
        b"  - id: b\n    front: Q2\n    back: A2\n    source: *qa\n"
    )
    document = DeckDocument.from_bytes(aliased, "d.yaml")
    changed = document.with_card(1, replace(document.card(1), back="Changed"))
    assert "source: *qa" in changed.text and "back: Changed" in changed.text
    assert load(changed.text, Path("d.yaml")).cards[1].content.back == "Changed"  # type: ignore[union-attr]
