"""Whatever an author types, the editor writes YAML that the loader reads back exactly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import BasicContent, Deck, SequenceContent
from metaflash.core.editing.document import DeckDocument
from metaflash.core.editing.draft import CardDraft

DECK = b"""format: 1
id: props
title: Properties
cards:
  - id: basic-card
    type: basic
    front: >-
      A folded front that
      spans two lines.
    back: 'single quoted'
    notes: |
      literal
      notes

  - id: steps-card
    type: sequence
    prompt: Order
    steps:
      - one
      - two
"""

# Text that YAML treats specially in every position, plus ordinary prose.
SPECIAL = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "null",
        "~",
        "1.0",
        "0x1F",
        "2024-01-01",
        "- item",
        "? key",
        ": colon",
        "a: b",
        "a #b",
        "#hash",
        "'quoted'",
        '"double"',
        "{{c1::gap}}",
        "[list]",
        "{map}",
        "*alias",
        "&anchor",
        "!tag",
        "|",
        ">",
        "@at",
        "`tick`",
        "%percent",
        "  leading",
        "trailing  ",
        "tab\there",
        "line\nbreak",
        "two\n\nparagraphs",
        "ends with newline\n",
        "\n starts with newline",
        "ünïcödé ✓",
        "back\\slash",
        "a" * 150,
        "word " * 40,
    ]
)
TEXT = st.one_of(
    SPECIAL,
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
        min_size=1,
        max_size=60,
    ),
    st.lists(SPECIAL, min_size=1, max_size=4).map(" ".join),
)
NON_BLANK = TEXT.filter(lambda text: text.strip() != "")


def read(text: str) -> Deck:
    deck = parse_deck(text, Path("props.yaml"))
    assert isinstance(deck, Deck), deck
    return deck


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=NON_BLANK, back=NON_BLANK, notes=TEXT)
def test_any_text_is_written_so_that_it_reads_back_unchanged(
    front: str, back: str, notes: str
) -> None:
    document = DeckDocument.from_bytes(DECK, "props.yaml")
    draft = replace(document.card(0), front=front, back=back, notes=notes)
    changed = document.with_card(0, draft)
    assert changed.card(0) == draft
    card = read(changed.text).cards[0]
    assert card.content == BasicContent(front, back)
    assert card.notes == notes
    assert changed.card(1) == document.card(1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(NON_BLANK, min_size=2, max_size=6, unique=True),
    tags=st.lists(
        st.from_regex(r"[a-z0-9][a-z0-9:_.-]{0,12}", fullmatch=True), max_size=4, unique=True
    ),
)
def test_any_steps_and_tags_read_back_unchanged(steps: list[str], tags: list[str]) -> None:
    document = DeckDocument.from_bytes(DECK, "props.yaml")
    draft = replace(document.card(1), steps=tuple(steps), tags=tuple(tags))
    changed = document.with_card(1, draft)
    card = read(changed.text).cards[1]
    assert card.content == SequenceContent("Order", tuple(steps))
    assert card.tags == tuple(dict.fromkeys(tags))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=NON_BLANK, back=NON_BLANK)
def test_a_new_card_with_any_text_reads_back_unchanged(front: str, back: str) -> None:
    document = DeckDocument.from_bytes(DECK, "props.yaml")
    changed = document.with_card_inserted(1, CardDraft(id="new", front=front, back=back))
    deck = read(changed.text)
    assert [card.id for card in deck.cards] == ["basic-card", "new", "steps-card"]
    assert deck.cards[1].content == BasicContent(front, back)
