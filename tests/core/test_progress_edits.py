"""Every row of the table "Edits that keep progress" in docs/deck-format.md, tried.

Each case studies every prompt of the decks *before* the edit (so each has a history of its
own), reconciles the decks *after* it the way the app does, and checks which history each
prompt now has: the one named in ``kept``, or none (a new card); and that each prompt named
in ``aside`` keeps its history, retired. The table in the documentation and the cases here
must name the same edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, basic_card

from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.collection.records import PromptRecord
from metaflash.core.collection.store import Collection
from metaflash.core.decks.cloze import ClozeText, parse_cloze
from metaflash.core.decks.model import (
    Card,
    CardId,
    ClozeContent,
    Deck,
    DeckId,
    DiagramContent,
    PromptKey,
    ReverseContent,
    SequenceContent,
    StepId,
)
from metaflash.core.scheduling.scheduler import NEW_CARD, Rating
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"


def reverse(card_id: str) -> Card:
    return Card(CardId(card_id), ReverseContent(f"Question {card_id}?", f"Answer {card_id}."))


def cloze(card_id: str, text: str) -> Card:
    parsed = parse_cloze(text)
    assert isinstance(parsed, ClozeText)
    return Card(CardId(card_id), ClozeContent(text, parsed))


def sequence(card_id: str, steps: tuple[str, ...]) -> Card:
    return Card(CardId(card_id), SequenceContent("The cascade", steps))


def diagram(card_id: str) -> Card:
    return Card(CardId(card_id), DiagramContent(f"Question {card_id}?", StepId("intravasation")))


def deck(deck_id: str, *cards: Card, **fields: object) -> Deck:
    return replace(Deck(DeckId(deck_id), deck_id.title(), tuple(cards)), **fields)  # type: ignore[arg-type]


def k(deck_id: str, card_id: str, variant: str = "") -> PromptKey:
    return PromptKey(DeckId(deck_id), CardId(card_id), variant)


@dataclass(frozen=True)
class Edit:
    before: tuple[Deck, ...]
    after: tuple[Deck, ...]
    kept: dict[PromptKey, PromptKey]  # prompt after the edit -> whose history it has
    aside: frozenset[PromptKey] = field(default_factory=frozenset)  # retired, history kept


A = deck("a", basic_card("one"), basic_card("two"), basic_card("three"))
SEQ = ("Local invasion", "Intravasation", "Survival", "Extravasation")


def all_kept(*decks: Deck) -> dict[PromptKey, PromptKey]:
    return {p.key: p.key for d in decks for p in d.prompts()}


def with_cards(base: Deck, *cards: Card) -> Deck:
    return replace(base, cards=cards)


def edited(base: Deck, card_id: str, **changes: object) -> Deck:
    return replace(
        base,
        cards=tuple(
            replace(card, **changes) if card.id == card_id else card  # type: ignore[arg-type]
            for card in base.cards
        ),
    )


EDITS: dict[str, Edit] = {
    "Reword a question or an answer, fix a typo": Edit(
        (A,),
        (
            edited(
                A, "two", content=basic_card("two", front="Reworded, with a fixed typo?").content
            ),
        ),
        all_kept(A),
    ),
    "Change tags, notes, sources or image": Edit(
        (A,),
        (edited(A, "two", tags=("new-tag",), notes="A new note."),),
        all_kept(A),
    ),
    "Reorder the cards in the file": Edit((A,), (with_cards(A, *reversed(A.cards)),), all_kept(A)),
    "Change or add the card's `stage`": Edit(
        (A,), (edited(A, "one", stage=StepId("intravasation")),), all_kept(A)
    ),
    "Rename the deck file or move it to another folder": Edit(
        (replace(A, path=Path("/decks/a.yaml")),),
        (replace(A, path=Path("/elsewhere/renamed.yaml")),),
        all_kept(A),
    ),
    "Change the deck's title, description or parent": Edit(
        (A,),
        (replace(A, title="New title", description="New.", parent=DeckId("b")),),
        all_kept(A),
    ),
    "Remove a card": Edit(
        (A,),
        (with_cards(A, *A.cards[::2]),),
        {k("a", "one"): k("a", "one"), k("a", "three"): k("a", "three")},
        frozenset({k("a", "two")}),
    ),
    "Move a card to another deck file, keeping its id": Edit(
        (A, deck("b", basic_card("own"))),
        (with_cards(A, *A.cards[::2]), deck("b", basic_card("own"), basic_card("two"))),
        {
            **all_kept(with_cards(A, *A.cards[::2]), deck("b", basic_card("own"))),
            k("b", "two"): k("a", "two"),
        },
    ),
    "Move a card out of one deck into two, or out of two decks into one": Edit(
        (A, deck("b", basic_card("own")), deck("c", basic_card("own"))),
        (
            with_cards(A, *A.cards[::2]),
            deck("b", basic_card("own"), basic_card("two")),
            deck("c", basic_card("own"), basic_card("two")),
        ),
        all_kept(
            with_cards(A, *A.cards[::2]), deck("b", basic_card("own")), deck("c", basic_card("own"))
        ),
        frozenset({k("a", "two")}),
    ),
    "Change `basic` to `reverse`": Edit(
        (A,),
        (edited(A, "two", content=reverse("two").content),),
        {**all_kept(with_cards(A, *A.cards[::2])), k("a", "two", "forward"): k("a", "two")},
    ),
    "Change `reverse` to `basic`": Edit(
        (deck("a", reverse("two")),),
        (deck("a", basic_card("two")),),
        {k("a", "two"): k("a", "two", "forward")},
        frozenset({k("a", "two", "backward")}),
    ),
    "Change `basic` to `diagram`, or back": Edit(
        (A,), (edited(A, "two", content=diagram("two").content),), all_kept(A)
    ),
    "Edit a cloze's text, keeping its gap numbers": Edit(
        (deck("a", cloze("gap", "{{c1::Cells}} enter a {{c2::vessel}}.")),),
        (deck("a", cloze("gap", "Cancer {{c1::cells}} get into a {{c2::blood vessel}}.")),),
        {k("a", "gap", "c1"): k("a", "gap", "c1"), k("a", "gap", "c2"): k("a", "gap", "c2")},
    ),
    "Renumber a cloze's gaps, or remove one": Edit(
        (deck("a", cloze("gap", "{{c1::Cells}} enter a {{c2::vessel}} in {{c3::time}}.")),),
        (deck("a", cloze("gap", "{{c2::Cells}} enter a {{c1::vessel}}.")),),
        {k("a", "gap", "c1"): k("a", "gap", "c1"), k("a", "gap", "c2"): k("a", "gap", "c2")},
        frozenset({k("a", "gap", "c3")}),
    ),
    "Change a sequence's steps": Edit(
        (deck("a", sequence("order", SEQ)),),
        (deck("a", sequence("order", (*SEQ[:2], "Survival in the circulation", SEQ[3]))),),
        all_kept(deck("a", sequence("order", SEQ))),
    ),
    "Change a card from or to `cloze` or `sequence`": Edit(
        (A,),
        (edited(A, "two", content=cloze("two", "{{c1::Two}} cells.").content),),
        all_kept(with_cards(A, *A.cards[::2])),
        frozenset({k("a", "two")}),
    ),
    "Change a card's id": Edit(
        (A,),
        (edited(A, "two", id=CardId("two-renamed")),),
        all_kept(with_cards(A, *A.cards[::2])),
        frozenset({k("a", "two")}),
    ),
    "Change the deck's id": Edit((A,), (replace(A, id=DeckId("a-renamed")),), {}),
}


def documented_edits() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Edits that keep progress") :]
    section = section[: section.index("\n## ", 1)]
    return [
        match.group(1).strip()
        for match in re.finditer(r"^\| ([^|]+) \| [^|]+ \|$", section, re.MULTILINE)
        if match.group(1).strip() not in ("edit", "---")
    ]


def test_the_table_and_the_cases_name_the_same_edits() -> None:
    assert documented_edits() == list(EDITS)


def study_everything(collection: Collection, decks: tuple[Deck, ...], clock: Clock) -> None:
    """Answer every prompt of ``decks`` at least once (siblings are not buried: all today)."""
    collection.set_study_settings(
        StudySettings(new_per_day=999, bury_new_siblings=False, bury_review_siblings=False)
    )
    for d in decks:
        for _ in range(5):
            session = ReviewSession(collection, [d], deck_scope([d], d.id), PARIS_DAY, clock.now)
            while session.current is not None:
                session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
            if all(r.state != NEW_CARD for r in collection.records([d.id])):
                break
            clock.advance(days=1)
        assert all(r.state != NEW_CARD for r in collection.records([d.id])), d.id


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_keeps_what_the_table_says(tmp_path: Path, name: str) -> None:
    edit = EDITS[name]
    clock = Clock()
    collection = Collection.open(tmp_path, clock.now)
    reconcile_library(collection, edit.before, clock.now)
    study_everything(collection, edit.before, clock)
    ids = {d.id for d in (*edit.before, *edit.after)}
    before: dict[PromptKey, PromptRecord] = {r.key: r for r in collection.records(ids)}
    histories = {key: collection.history(record.row) for key, record in before.items()}
    clock.advance(hours=1)
    result = reconcile_library(collection, edit.after, clock.now)
    assert not result.failures
    now: dict[int, PromptRecord] = {r.row: r for r in collection.records(ids)}
    asked = [p.key for d in edit.after for p in d.prompts()]
    assert set(edit.kept) <= set(asked)
    for key in asked:
        record = collection.record(key)
        assert record is not None and not record.retired, key
        if key in edit.kept:
            had = before[edit.kept[key]]
            assert (record.row, record.state) == (had.row, had.state), key
            assert collection.history(record.row) == histories[edit.kept[key]], key
        else:
            assert record.state == NEW_CARD and collection.history(record.row) == (), key
    for key in edit.aside:
        had = before[key]
        record = now.get(had.row)
        assert record is not None and record.retired and record.state == had.state, key
    collection.close(clock.now)
