"""deck_writer: decks as clean YAML that reads back to exactly the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    Deck,
    DeckId,
    SequenceContent,
    SourceDocument,
    SourceRef,
    StepId,
)
from metaflash.core.decks.writer import deck_to_yaml, scalar, write_deck
from tests.core.interop_support import sample_decks

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50) | st.text(
    alphabet=" \n\t-:#ab'\"|>\r\x85\u2028*&!%@,[]{}?", max_size=20
)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_any_string_reads_back_unchanged(text: str) -> None:
    for indent in (0, 4):
        document = f"{' ' * indent}k: {scalar(text, indent)}\n"
        if indent:
            document = "x:\n" + document
        data = yaml.safe_load(document)
        assert (data["x"]["k"] if indent else data["k"]) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Hello world", "Hello world"),
        ("What is **intravasation**?", "What is **intravasation**?"),
        ("yes", '"yes"'),
        ("1.0", '"1.0"'),
        ("a: b", '"a: b"'),
        ("- item", '"- item"'),
        ("one\ntwo", "|-\n      one\n      two"),
    ],
)
def test_scalars_are_plain_when_they_can_be(text: str, written: str) -> None:
    assert scalar(text, 4) == written


def test_a_whole_deck_is_written_the_way_people_write_it(tmp_path: Path) -> None:
    _parent, child = sample_decks(tmp_path)
    deck = Deck(
        id=DeckId("demo"),
        title="Demo: a deck",
        description="Two lines\nof description.",
        parent=DeckId("metastasis"),
        authors=("metaflash team",),
        version="1.0.0",
        licence="CC-BY-4.0",
        sources=(SourceDocument("qa", "The Q&A", file="qa.md"),),
        cards=(
            Card(
                CardId("b"),
                BasicContent("Front", "Back"),
                tags=("one", "two words"),
                stage=StepId("intravasation"),
                sources=(SourceRef("qa", "Stages of Metastasis"),),
                notes="A note",
            ),
            Card(
                CardId("s"),
                SequenceContent("Order", ("first", "second")),
                sources=(SourceRef("qa", "A"), SourceRef("qa", "B")),
            ),
            *child.cards,
        ),
        path=tmp_path / "demo.yaml",
    )
    text = deck_to_yaml(deck, tmp_path / "demo.yaml", comments=("Imported.",))
    assert text.startswith('# Imported.\nformat: 1\nid: demo\ntitle: "Demo: a deck"\n')
    assert "    tags: [one, two words]\n" in text
    assert '    source: {document: qa, section: "Stages of Metastasis"}\n' in text
    assert "    steps:\n      - first\n      - second\n" in text
    assert "    image: images/vessel.png\n" in text
    data = yaml.safe_load(text)
    assert data["parent"] == "metastasis" and data["version"] == "1.0.0"
    assert [card["id"] for card in data["cards"]] == ["b", "s", *(card.id for card in child.cards)]
    assert data["cards"][1]["source"] == [
        {"document": "qa", "section": "A"},
        {"document": "qa", "section": "B"},
    ]
    assert data["cards"][0]["stage"] == "intravasation"


def test_writing_is_atomic_and_replaces_the_old_file(tmp_path: Path) -> None:
    parent, _ = sample_decks(tmp_path / "decks")
    target = tmp_path / "deck.yaml"
    target.write_text("old")
    write_deck(parent, target)
    assert yaml.safe_load(target.read_text())["id"] == "metastasis"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.yaml", "decks", "home"]
