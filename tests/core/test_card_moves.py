"""A card moved from one deck file to another takes its progress along; an unclear move
guesses nothing and says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, basic_card, make_deck

from metaflash.core.collection.card_moves import MOVE_WINDOW, MoveMemory, reconcile_library
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import (
    Card,
    CardId,
    Deck,
    DeckId,
    Location,
    PromptKey,
    ReverseContent,
)
from metaflash.core.scheduling.scheduler import NEW_CARD, CardState, Rating
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession


@pytest.fixture
def clock() -> Clock:
    return Clock()


def key(deck: str, card: str, variant: str = "") -> PromptKey:
    return PromptKey(DeckId(deck), CardId(card), variant)


def study_all(collection: Collection, deck: Deck, clock: Clock) -> dict[PromptKey, CardState]:
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    while session.current is not None:
        session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
    return {r.key: r.state for r in collection.records([deck.id])}


def without(deck: Deck, card_id: str) -> Deck:
    return replace(deck, cards=tuple(card for card in deck.cards if card.id != card_id))


def with_card(deck: Deck, card: Card) -> Deck:
    return replace(deck, cards=(*deck.cards, card))


@pytest.fixture
def studied(tmp_path: Path, clock: Clock) -> tuple[Collection, Deck, Deck, Deck]:
    """Three decks, ``a`` studied; ``a`` holds card ``emt``."""
    a = make_deck("a", 2, cards=[basic_card("emt")], path=tmp_path / "a.yaml")
    b = make_deck("b", 1, path=tmp_path / "b.yaml")
    c = make_deck("c", 1, path=tmp_path / "c.yaml")
    collection = Collection.open(tmp_path / "data", clock.now)
    reconcile_library(collection, [a, b, c], clock.now)
    study_all(collection, a, clock)
    return collection, a, b, c


def test_a_card_moved_in_one_reload_keeps_its_history(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None and before.state != NEW_CARD
    history = collection.history(before.row)
    moved_a, moved_b = without(a, "emt"), with_card(b, a.card(CardId("emt")))  # type: ignore[arg-type]
    result = reconcile_library(collection, [moved_a, moved_b, c], clock.now, ["a", "b"])
    assert [str(move) for move in result.moves] == ["card 'emt' moved from deck 'a' to 'b'"]
    after = collection.record(key("b", "emt"))
    assert after is not None and not after.retired and after.state == before.state
    assert collection.history(after.row) == history
    assert collection.record(key("a", "emt")) is None  # nothing left behind to come back
    assert not result.unclear and not result.failures
    # the moved card is scheduled in its new deck, as it was in the old one
    clock.advance(days=400)
    session = ReviewSession(
        collection, [moved_b], deck_scope([moved_b], moved_b.id), PARIS_DAY, clock.now
    )
    assert session.counts.review == 1 and session.counts.new == 1
    collection.close(clock.now)


@pytest.mark.parametrize("first", ["cut", "paste"])
def test_a_move_saved_as_two_edits_keeps_its_history(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock, first: str
) -> None:
    """Cut from one file and save, paste into the other and save (or the other way round):
    two reloads of one run."""
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None
    memory = MoveMemory()
    card = a.card(CardId("emt"))
    assert card is not None
    moved_a, moved_b = without(a, "emt"), with_card(b, card)
    if first == "cut":
        one = reconcile_library(collection, [moved_a, b, c], clock.now, ["a"], memory)
        assert collection.record(key("a", "emt")).retired  # type: ignore[union-attr]
        clock.advance(seconds=20)
        two = reconcile_library(collection, [moved_a, moved_b, c], clock.now, ["b"], memory)
    else:
        one = reconcile_library(collection, [a, moved_b, c], clock.now, ["b"], memory)
        assert collection.record(key("b", "emt")).state == NEW_CARD  # type: ignore[union-attr]
        clock.advance(seconds=20)
        two = reconcile_library(collection, [moved_a, moved_b, c], clock.now, ["a"], memory)
    assert not one.moves and [(m.source, m.target) for m in two.moves] == [("a", "b")]
    after = collection.record(key("b", "emt"))
    assert after is not None and after.row == before.row and not after.retired
    assert after.state == before.state
    assert collection.record(key("a", "emt")) is None
    assert memory == MoveMemory()  # nothing left pending
    collection.close(clock.now)


def test_a_move_and_a_change_of_type_together_keep_the_history(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None
    reverse = Card(CardId("emt"), ReverseContent("EMT", "transition"))
    reconcile_library(collection, [without(a, "emt"), with_card(b, reverse), c], clock.now)
    forward = collection.record(key("b", "emt", "forward"))
    assert forward is not None and forward.row == before.row and forward.state == before.state
    assert collection.record(key("b", "emt", "backward")).state == NEW_CARD  # type: ignore[union-attr]
    collection.close(clock.now)


def test_a_card_arriving_in_two_decks_guesses_nothing_until_one_is_left(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None
    card = replace(a.card(CardId("emt")), location=Location(str(b.path), 7, 5))  # type: ignore[type-var]
    memory = MoveMemory()
    moved = [without(a, "emt"), with_card(b, card), with_card(c, card)]
    result = reconcile_library(collection, moved, clock.now, ["a", "b", "c"], memory)
    assert not result.moves
    assert [(u.card_id, u.sources, u.targets) for u in result.unclear] == [
        ("emt", ("a",), ("b", "c"))
    ]
    problems = result.problems(moved)
    assert sorted(p.file for p in problems) == [str(b.path), str(c.path)]
    for problem in problems:
        assert (problem.line, problem.column, problem.severity) == (7, 5, "warning")
        assert "emt" in problem.message and "'a'" in problem.message
        assert "2 decks ('b', 'c')" in problem.message and "one of the decks" in problem.hint
    retired = collection.record(key("a", "emt"))
    assert retired is not None and retired.retired and retired.state == before.state
    assert collection.record(key("b", "emt")).state == NEW_CARD  # type: ignore[union-attr]
    assert collection.record(key("c", "emt")).state == NEW_CARD  # type: ignore[union-attr]
    # another deck's reload keeps the warning up while nothing is resolved
    again = reconcile_library(collection, moved, clock.now, [], memory)
    assert len(again.unclear) == 1 and len(again.problems(moved)) == 2
    # the author keeps the card in deck c only: c takes the history
    resolved = [moved[0], b, moved[2]]
    done = reconcile_library(collection, resolved, clock.now, ["b"], memory)
    assert [(m.source, m.target) for m in done.moves] == [("a", "c")] and not done.unclear
    after = collection.record(key("c", "emt"))
    assert after is not None and after.row == before.row and after.state == before.state
    assert collection.record(key("b", "emt")).retired  # type: ignore[union-attr]
    collection.close(clock.now)


def test_a_card_leaving_two_decks_for_one_guesses_nothing(tmp_path: Path, clock: Clock) -> None:
    a = make_deck("a", cards=[basic_card("emt")], path=tmp_path / "a.yaml")
    b = make_deck("b", cards=[basic_card("emt")], path=tmp_path / "b.yaml")
    c = make_deck("c", 1, path=tmp_path / "c.yaml")
    collection = Collection.open(tmp_path / "data", clock.now)
    reconcile_library(collection, [a, b, c], clock.now)
    states = {**study_all(collection, a, clock), **study_all(collection, b, clock)}
    card = replace(basic_card("emt"), location=Location(str(c.path), 3, 5))
    moved = [without(a, "emt"), without(b, "emt"), with_card(c, card)]
    result = reconcile_library(collection, moved, clock.now)
    assert not result.moves and [u.sources for u in result.unclear] == [("a", "b")]
    (problem,) = result.problems(moved)
    assert (problem.file, problem.line) == (str(c.path), 3)
    assert "2 decks ('a', 'b')" in problem.message and "put the card back" in problem.hint
    assert collection.record(key("c", "emt")).state == NEW_CARD  # type: ignore[union-attr]
    for deck in ("a", "b"):
        kept = collection.record(key(deck, "emt"))
        assert kept is not None and kept.retired and kept.state == states[key(deck, "emt")]
    collection.close(clock.now)


def test_the_same_id_staying_in_two_decks_is_not_a_move(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    """Ids are unique within a deck only: a card copied to another deck, or a new card that
    happens to share an id, leaves the first deck's card and its history alone."""
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    result = reconcile_library(collection, [a, with_card(b, basic_card("emt")), c], clock.now)
    assert not result.moves and not result.unclear
    assert collection.record(key("a", "emt")) == before
    assert collection.record(key("b", "emt")).state == NEW_CARD  # type: ignore[union-attr]
    collection.close(clock.now)


def test_a_card_never_answered_carries_nothing(tmp_path: Path, clock: Clock) -> None:
    a = make_deck("a", cards=[basic_card("emt")])
    b = make_deck("b", 1)
    collection = Collection.open(tmp_path, clock.now)
    reconcile_library(collection, [a, b], clock.now)
    result = reconcile_library(
        collection, [without(a, "emt"), with_card(b, basic_card("emt"))], clock.now
    )
    assert not result.moves and not result.unclear
    assert collection.record(key("a", "emt")).retired  # type: ignore[union-attr]
    assert collection.record(key("b", "emt")).state == NEW_CARD  # type: ignore[union-attr]
    collection.close(clock.now)


def test_a_deck_that_did_not_load_is_never_a_source(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    """Deck ``a`` fails to load at a start (a broken file, a folder not mounted): its cards
    are not "gone", so a card with the same id in deck ``b`` takes nothing from it."""
    collection, _, b, c = studied
    before = collection.record(key("a", "emt"))
    result = reconcile_library(collection, [with_card(b, basic_card("emt")), c], clock.now)
    assert not result.moves and not result.unclear
    assert collection.record(key("a", "emt")) == before
    collection.close(clock.now)


def test_an_unclear_move_is_still_reported_after_a_restart_and_settles_then(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock, tmp_path: Path
) -> None:
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None
    card = a.card(CardId("emt"))
    assert card is not None
    moved = [without(a, "emt"), with_card(b, card), with_card(c, card)]
    assert reconcile_library(collection, moved, clock.now, memory=MoveMemory()).unclear
    collection.close(clock.now)
    clock.advance(days=2)  # quit; two days later, a new run with nothing in memory
    collection = Collection.open(tmp_path / "data", clock.now)
    again = reconcile_library(collection, moved, clock.now, memory=MoveMemory())
    assert [(u.sources, u.targets) for u in again.unclear] == [(("a",), ("b", "c"))]
    assert len(again.problems(moved)) == 2
    collection.close(clock.now)
    # with the app closed, the author removes the copy in b; the next start settles the move
    collection = Collection.open(tmp_path / "data", clock.now)
    settled = reconcile_library(collection, [moved[0], b, moved[2]], clock.now, memory=MoveMemory())
    assert [(m.source, m.target) for m in settled.moves] == [("a", "c")] and not settled.unclear
    after = collection.record(key("c", "emt"))
    assert after is not None and after.row == before.row and after.state == before.state
    assert collection.unclear_moves() is None  # nothing left to settle
    collection.close(clock.now)


def test_studying_one_copy_of_an_unclear_move_drops_it_without_guessing(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    card = a.card(CardId("emt"))
    assert card is not None
    memory = MoveMemory()
    moved = [without(a, "emt"), with_card(b, card), with_card(c, card)]
    assert reconcile_library(collection, moved, clock.now, memory=memory).unclear
    study_all(collection, moved[1], clock)  # the student starts b's copy as a new card
    result = reconcile_library(collection, moved, clock.now, [], memory)
    assert not result.moves and not result.unclear and not result.problems(moved)
    # removing c's copy now moves nothing: b's copy has its own history, a's stays aside
    result = reconcile_library(collection, [moved[0], moved[1], c], clock.now, ["c"], memory)
    assert not result.moves and not result.unclear
    assert collection.record(key("a", "emt")) == replace(before, retired=True)  # type: ignore[type-var]
    assert collection.unclear_moves() is None
    collection.close(clock.now)


@pytest.mark.parametrize(("minutes", "moves"), [(29, 1), (31, 0)])
def test_the_two_halves_of_a_move_meet_within_the_window(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock, minutes: int, moves: int
) -> None:
    """An old deletion and an unrelated new card that shares its id are not a move."""
    collection, a, b, c = studied
    memory = MoveMemory()
    card = a.card(CardId("emt"))
    assert card is not None
    reconcile_library(collection, [without(a, "emt"), b, c], clock.now, ["a"], memory)
    clock.advance(minutes=minutes)
    decks = [without(a, "emt"), with_card(b, card), c]
    result = reconcile_library(collection, decks, clock.now, ["b"], memory)
    assert len(result.moves) == moves
    assert MOVE_WINDOW == timedelta(minutes=30)
    collection.close(clock.now)


@pytest.mark.parametrize("stored", ["{not json", "[]", '{"emt": 3}', '{"emt": {"left": []}}'])
def test_a_damaged_record_of_unclear_moves_guesses_nothing(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock, stored: str
) -> None:
    collection, a, b, c = studied
    collection.set_unclear_moves(stored)
    card = a.card(CardId("emt"))
    assert card is not None
    moved = [without(a, "emt"), with_card(b, card), with_card(c, card)]
    result = reconcile_library(collection, moved, clock.now)
    assert not result.moves and [u.targets for u in result.unclear] == [("b", "c")]
    collection.close(clock.now)


def test_a_move_into_a_deck_that_once_held_the_id_unanswered_still_moves(
    studied: tuple[Collection, Deck, Deck, Deck], clock: Clock
) -> None:
    """Pasted into b and saved, taken out again; later really moved from a to b."""
    collection, a, b, c = studied
    before = collection.record(key("a", "emt"))
    assert before is not None
    card = a.card(CardId("emt"))
    assert card is not None
    memory = MoveMemory()
    reconcile_library(collection, [a, with_card(b, card), c], clock.now, ["b"], memory)
    reconcile_library(collection, [a, b, c], clock.now, ["b"], memory)
    assert collection.record(key("b", "emt")).retired  # type: ignore[union-attr]
    clock.advance(hours=5)
    result = reconcile_library(
        collection, [without(a, "emt"), with_card(b, card), c], clock.now, ["a", "b"], memory
    )
    assert [(m.source, m.target) for m in result.moves] == [("a", "b")]
    after = collection.record(key("b", "emt"))
    assert after is not None and after.row == before.row and after.state == before.state
    collection.close(clock.now)


def test_cards_that_share_an_id_from_the_first_start_are_not_a_move(
    tmp_path: Path, clock: Clock
) -> None:
    """Two decks both have a card "intro" from the start. The student studies a's; the
    author then deletes it from a. b's "intro" is another card: it takes nothing."""
    a = make_deck("a", 1, cards=[basic_card("intro")])
    b = make_deck("b", 1, cards=[basic_card("intro")])
    collection = Collection.open(tmp_path, clock.now)
    memory = MoveMemory()
    reconcile_library(collection, [a, b], clock.now, memory=memory)
    study_all(collection, a, clock)
    clock.advance(minutes=5)
    result = reconcile_library(collection, [without(a, "intro"), b], clock.now, ["a"], memory)
    assert not result.moves and not result.unclear
    assert collection.record(key("a", "intro")).retired  # type: ignore[union-attr]
    assert collection.record(key("b", "intro")).state == NEW_CARD  # type: ignore[union-attr]
    collection.close(clock.now)
