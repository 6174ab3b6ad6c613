"""Decks meet the collection: every edit an author makes keeps the student's history."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, basic_card, make_deck, open_with

from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.decks.cloze import ClozeText, parse_cloze
from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    Deck,
    DeckId,
    PromptKey,
    ReverseContent,
)
from metaflash.core.scheduling.scheduler import NEW_CARD, CardState, Phase, Rating
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession


@pytest.fixture
def clock() -> Clock:
    return Clock()


def study(
    collection: Collection, deck: Deck, clock: Clock, answers: int
) -> dict[PromptKey, CardState]:
    """Answer ``answers`` cards Easy (real history); the states they ended in."""
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    for _ in range(answers):
        assert session.current is not None
        session.answer(Rating.EASY, clock.advance(seconds=5), 5000)
    return {r.key: r.state for r in collection.records([deck.id]) if r.state != NEW_CARD}


def key(deck: str, card: str, variant: str = "") -> PromptKey:
    return PromptKey(DeckId(deck), CardId(card), variant)


def test_new_cards_become_new_and_a_second_run_changes_nothing(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 3)
    collection = Collection.open(tmp_path, clock.now)
    first = reconcile(collection, deck, clock.now)
    assert (first.added, first.kept, first.retired) == (3, 0, 0) and first.changed
    assert all(r.state == NEW_CARD for r in collection.records([deck.id]))
    again = reconcile(collection, deck, clock.now)
    assert (again.added, again.kept, again.moved, again.changed) == (0, 3, 0, False)
    collection.close(clock.now)


def test_changed_text_and_tags_keep_the_history(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 2)
    collection = open_with(tmp_path, clock, deck)
    studied = study(collection, deck, clock, 2)
    edited = replace(
        deck,
        cards=tuple(
            replace(card, content=BasicContent("Reworded?", "Fixed typo."), tags=("new-tag",))
            for card in deck.cards
        ),
    )
    report = reconcile(collection, edited, clock.now)
    assert (report.added, report.kept, report.changed) == (0, 2, False)
    assert {r.key: r.state for r in collection.records([deck.id])} == studied
    collection.close(clock.now)


def test_reordered_cards_keep_history_and_new_cards_follow_the_new_order(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 5)
    collection = open_with(tmp_path, clock, deck)
    studied = study(collection, deck, clock, 1)  # bio-1
    reordered = replace(deck, cards=tuple(reversed(deck.cards)))
    report = reconcile(collection, reordered, clock.now)
    assert report.moved == 4 and report.added == 0  # bio-3 stays in the middle
    assert {r.key: r.state for r in collection.records([deck.id]) if r.state != NEW_CARD} == studied
    session = ReviewSession(
        collection, [reordered], deck_scope([reordered], deck.id), PARIS_DAY, clock.now
    )
    order = []
    while session.current is not None and session.current_record.state.phase is Phase.NEW:  # type: ignore[union-attr]
        order.append(session.current.card_id)
        session.answer(Rating.EASY, clock.advance(seconds=5), 5000)
    assert order == ["bio-5", "bio-4", "bio-3", "bio-2"]
    collection.close(clock.now)


def test_a_renamed_or_moved_deck_file_keeps_the_history(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 2, path=tmp_path / "decks" / "biology.yaml")
    collection = open_with(tmp_path, clock, deck)
    studied = study(collection, deck, clock, 2)
    moved = replace(deck, path=tmp_path / "elsewhere" / "renamed.yaml")
    report = reconcile(collection, moved, clock.now)
    assert not report.changed
    assert {r.key: r.state for r in collection.records([deck.id])} == studied
    collection.close(clock.now)


def test_a_removed_card_is_retired_with_its_history_and_comes_back_with_it(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    studied = study(collection, deck, clock, 3)
    gone = key("bio", "bio-2")
    history = collection.history(collection.record(gone).row)  # type: ignore[union-attr]
    without = replace(deck, cards=tuple(c for c in deck.cards if c.id != "bio-2"))
    report = reconcile(collection, without, clock.now)
    assert (report.retired, report.kept) == (1, 2)
    retired = collection.record(gone)
    assert retired is not None and retired.retired and retired.state == studied[gone]
    clock.advance(days=90)  # everything is due: the retired card is not among them
    session = ReviewSession(
        collection, [without], deck_scope([without], deck.id), PARIS_DAY, clock.now
    )
    assert session.counts.review == 2
    shown = set()
    while session.current is not None:
        shown.add(session.current.card_id)
        session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    assert shown == {"bio-1", "bio-3"}
    back = reconcile(collection, deck, clock.now)
    assert back.restored == 1 and back.added == 0
    restored = collection.record(gone)
    assert restored is not None and not restored.retired
    assert restored.state == studied[gone]
    assert collection.history(restored.row) == history
    collection.close(clock.now)


def as_type(deck: Deck, card_id: str, content: BasicContent | ReverseContent) -> Deck:
    return replace(
        deck,
        cards=tuple(
            replace(card, content=content) if card.id == card_id else card for card in deck.cards
        ),
    )


def test_basic_to_reverse_keeps_front_to_back_and_back_keeps_it_again(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", cards=[basic_card("emt"), basic_card("other")])
    collection = open_with(tmp_path, clock, deck)
    studied = study(collection, deck, clock, 2)
    history = collection.history(collection.record(key("bio", "emt")).row)  # type: ignore[union-attr]
    reverse = as_type(deck, "emt", ReverseContent("EMT", "transition"))
    report = reconcile(collection, reverse, clock.now)
    assert (report.added, report.carried, report.retired, report.changed) == (1, 1, 0, True)
    forward = collection.record(key("bio", "emt", "forward"))
    assert forward is not None and forward.state == studied[key("bio", "emt")]
    assert collection.history(forward.row) == history
    assert collection.record(key("bio", "emt", "backward")).state == NEW_CARD  # type: ignore[union-attr]
    assert collection.record(key("bio", "emt")) is None  # no retired basic prompt left behind
    # the backward prompt gets a history of its own, then the card turns basic again
    clock.advance(days=1)
    session = ReviewSession(
        collection, [reverse], deck_scope([reverse], reverse.id), PARIS_DAY, clock.now
    )
    while session.current is not None and session.current.variant != "backward":
        session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    assert session.current is not None
    session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    backward = collection.record(key("bio", "emt", "backward"))
    assert backward is not None and backward.state != NEW_CARD
    forward_now = collection.record(key("bio", "emt", "forward"))
    assert forward_now is not None
    report = reconcile(collection, deck, clock.now)
    assert (report.added, report.carried, report.retired) == (0, 1, 1)
    basic = collection.record(key("bio", "emt"))
    assert basic is not None and not basic.retired and basic.row == forward_now.row
    assert basic.state == forward_now.state
    kept = collection.record(key("bio", "emt", "backward"))
    assert kept is not None and kept.retired and kept.state == backward.state
    # and reverse once more: both prompts come back with their own histories
    report = reconcile(collection, reverse, clock.now)
    assert (report.added, report.carried, report.restored) == (0, 1, 1)
    assert collection.record(key("bio", "emt", "forward")).row == forward_now.row  # type: ignore[union-attr]
    assert collection.record(key("bio", "emt", "backward")).state == backward.state  # type: ignore[union-attr]
    collection.close(clock.now)


def test_an_older_retired_basic_prompt_gives_way_to_the_history_being_studied(
    tmp_path: Path, clock: Clock
) -> None:
    """A collection from before types carried their history: the card's basic prompt was
    retired when it turned reverse, and the student went on with the forward prompt. Turned
    basic again, the card keeps the forward history, the one the student was studying."""
    deck = make_deck("bio", cards=[basic_card("emt")])
    collection = open_with(tmp_path, clock, deck)
    study(collection, deck, clock, 1)
    old_basic = collection.record(key("bio", "emt"))
    assert old_basic is not None
    reverse = as_type(deck, "emt", ReverseContent("EMT", "transition"))
    with collection.transaction() as db:  # what earlier versions stored after the change
        db.execute("UPDATE prompts SET retired = 1 WHERE id = ?", (old_basic.row,))
        db.execute(
            "INSERT INTO prompts (deck_id, card_id, variant, position, stage) "
            "VALUES ('bio', 'emt', 'forward', 0, NULL), ('bio', 'emt', 'backward', 1, NULL)"
        )
    clock.advance(days=30)
    collection.set_study_settings(  # both sides today: siblings not buried
        StudySettings(bury_new_siblings=False, bury_review_siblings=False)
    )
    studied = study(collection, reverse, clock, 2)
    forward = collection.record(key("bio", "emt", "forward"))
    assert forward is not None and studied[forward.key] == forward.state
    report = reconcile(collection, deck, clock.now)
    assert (report.carried, report.restored, report.retired) == (1, 0, 1)
    basic = collection.record(key("bio", "emt"))
    assert basic is not None and basic.row == forward.row and not basic.retired
    swapped = collection.record(key("bio", "emt", "forward"))
    assert swapped is not None and swapped.row == old_basic.row and swapped.retired
    collection.close(clock.now)


def test_a_change_to_a_type_that_asks_something_else_starts_new(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", cards=[basic_card("emt")])
    collection = open_with(tmp_path, clock, deck)
    study(collection, deck, clock, 1)
    text = "{{c1::EMT}} is a transition"
    parsed = parse_cloze(text)
    assert isinstance(parsed, ClozeText)
    cloze = replace(deck, cards=(Card(CardId("emt"), ClozeContent(text, parsed)),))
    report = reconcile(collection, cloze, clock.now)
    assert (report.added, report.carried, report.retired) == (1, 0, 1)
    basic = collection.record(key("bio", "emt"))
    assert basic is not None and basic.retired and basic.state.phase is Phase.REVIEW
    assert collection.record(key("bio", "emt", "c1")).state == NEW_CARD  # type: ignore[union-attr]
    collection.close(clock.now)


def test_the_stage_is_stored(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("stages", 2, parent="metastasis", stage_of={1: "invasion"})
    collection = open_with(tmp_path, clock, deck)
    assert collection.records([deck.id])[0].stage == "invasion"
    moved = make_deck("stages", 2, parent="metastasis", stage_of={1: "intravasation"})
    assert reconcile(collection, moved, clock.now).moved == 1
    assert collection.records([deck.id])[0].stage == "intravasation"
    collection.close(clock.now)


def test_a_deck_with_a_duplicate_card_changes_nothing(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 2)
    collection = open_with(tmp_path, clock, deck)
    dump = list(collection.db.iterdump())
    twice = replace(deck, cards=deck.cards + (basic_card("new-one"), deck.cards[0]))
    with pytest.raises(ValueError, match="twice"):
        reconcile(collection, twice, clock.now)
    assert list(collection.db.iterdump()) == dump
    collection.close(clock.now)


# --- a deck file that becomes invalid -----------------------------------------------------


def load_deck_file(path: Path) -> Deck | tuple[str, ...]:
    """The deck in ``path`` through the real loader, or what is wrong with it."""
    result = parse_deck(path.read_text(encoding="utf-8"), path)
    return result if isinstance(result, Deck) else tuple(str(problem) for problem in result)


VALID = """\
format: 1
id: flow
title: Flow
cards:
  - {id: one, front: "First?", back: "1"}
  - {id: two, front: "Second?", back: "2"}
  - {id: three, front: "Third?", back: "3"}
"""
BROKEN = """\
format: 1
id: flow
title: Flow
cards:
  - {id: one, front: "First?", back: "1"}
  - {id: two, fornt: "Second?", back: "2"}
"""


def sync_file(collection: Collection, path: Path, clock: Clock) -> Deck | tuple[str, ...]:
    """What the window does on (re)loading a deck: reconcile only a deck that loaded."""
    loaded = load_deck_file(path)
    if isinstance(loaded, Deck):
        reconcile(collection, loaded, clock.now)
    return loaded


def test_a_deck_file_that_becomes_invalid_changes_nothing(tmp_path: Path, clock: Clock) -> None:
    deck_file = tmp_path / "flow.yaml"
    deck_file.write_text(VALID, encoding="utf-8")
    collection = Collection.open(tmp_path / "data", clock.now)
    deck = sync_file(collection, deck_file, clock)
    assert isinstance(deck, Deck)
    studied = study(collection, deck, clock, 3)
    dump = list(collection.db.iterdump())
    deck_file.write_text(BROKEN, encoding="utf-8")  # card "three" gone, card "two" misspelt
    problems = sync_file(collection, deck_file, clock)
    assert isinstance(problems, tuple) and any("fornt" in problem for problem in problems)
    assert list(collection.db.iterdump()) == dump  # nothing retired, nothing changed
    deck_file.write_text(VALID, encoding="utf-8")  # fixed: all history still there
    assert isinstance(sync_file(collection, deck_file, clock), Deck)
    assert {r.key: r.state for r in collection.records([DeckId("flow")])} == studied
    collection.close(clock.now)
