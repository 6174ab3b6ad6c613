"""Today's counts for the deck list agree with what a study session of each deck shows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.decks.model import DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.stats.statistics import collect_statistics
from metaflash.core.study.counts import TodayCounts, due_forecast, subtree_ids, today_counts
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession


@pytest.fixture
def clock() -> Clock:
    return Clock()


def session_counts(collection, decks, deck_id: str, clock: Clock) -> TodayCounts:  # type: ignore[no-untyped-def]
    session = ReviewSession(
        collection, decks, deck_scope(decks, DeckId(deck_id)), PARIS_DAY, clock.now
    )
    counts = session.counts
    return TodayCounts(counts.new, counts.learning, counts.review)


def test_counts_match_a_fresh_session_of_every_deck(tmp_path: Path, clock: Clock) -> None:
    decks = [make_deck("top", 4), make_deck("child", 30, parent="top"), make_deck("other", 3)]
    collection = open_with(tmp_path, clock, *decks)
    session = ReviewSession(
        collection, decks, deck_scope(decks, DeckId("top")), PARIS_DAY, clock.now
    )
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.EASY, Rating.GOOD):
        clock.advance(seconds=5)
        session.answer(rating, clock.now, 5000)
    clock.advance(days=30)
    collection.set_study_settings(StudySettings(new_per_day=12, reviews_per_day=1))
    counts = today_counts(collection, decks, PARIS_DAY, clock.now)
    for deck in decks:
        assert counts[deck.id] == session_counts(collection, decks, deck.id, clock), deck.id
    assert counts[DeckId("top")].due == 1  # capped by the review limit
    collection.close(clock.now)


def test_what_was_studied_today_counts_against_the_limits(tmp_path: Path, clock: Clock) -> None:
    decks = [make_deck("bio", 30)]
    collection = open_with(tmp_path, clock, *decks)
    assert today_counts(collection, decks, PARIS_DAY, clock.now)[DeckId("bio")] == TodayCounts(
        20, 0, 0
    )
    session = ReviewSession(
        collection, decks, deck_scope(decks, DeckId("bio")), PARIS_DAY, clock.now
    )
    for _ in range(5):
        session.answer(Rating.EASY, clock.now, 1000)
    assert today_counts(collection, decks, PARIS_DAY, clock.now)[DeckId("bio")] == TodayCounts(
        15, 0, 0
    )
    undone = session.undo(clock.now)
    assert undone is not None  # an undone answer gives its place back
    assert today_counts(collection, decks, PARIS_DAY, clock.now)[DeckId("bio")] == TodayCounts(
        16, 0, 0
    )
    collection.close(clock.now)


def test_a_moved_card_takes_todays_answers_to_its_new_deck(tmp_path: Path, clock: Clock) -> None:
    bio, chem = make_deck("bio", 30), make_deck("chem", 30)
    collection = open_with(tmp_path, clock, bio, chem)
    session = ReviewSession(collection, [bio], deck_scope([bio], bio.id), PARIS_DAY, clock.now)
    for _ in range(5):
        session.answer(Rating.EASY, clock.now, 1000)
    moved = bio.cards[0]
    decks = [
        replace(bio, cards=bio.cards[1:]),
        replace(chem, cards=(*chem.cards, moved)),
    ]
    assert [str(m) for m in reconcile_library(collection, decks, clock.now).moves] == [
        "card 'bio-1' moved from deck 'bio' to 'chem'"
    ]
    counts = today_counts(collection, decks, PARIS_DAY, clock.now)
    assert counts[DeckId("bio")] == TodayCounts(16, 0, 0)  # 4 new cards studied here today
    assert counts[DeckId("chem")] == TodayCounts(19, 0, 0)  # and the one that moved here
    collection.close(clock.now)


def test_the_forecast_matches_the_statistics(tmp_path: Path, clock: Clock) -> None:
    decks = [make_deck("top", 8), make_deck("child", 6, parent="top")]
    collection = open_with(tmp_path, clock, *decks)
    session = ReviewSession(
        collection, decks, deck_scope(decks, DeckId("top")), PARIS_DAY, clock.now
    )
    ratings = [Rating.GOOD, Rating.EASY, Rating.HARD, Rating.EASY] * 4
    while session.current is not None and ratings:
        session.answer(ratings.pop(), clock.now, 1000)
    clock.advance(hours=2)
    forecast = due_forecast(collection, subtree_ids(decks, DeckId("top")), PARIS_DAY, clock.now, 21)
    stats = collect_statistics(
        collection, decks, PARIS_DAY, clock.now, root=DeckId("top"), forecast_days=21
    )
    assert [(d.day, d.due) for d in forecast] == [(d.day, d.count) for d in stats.forecast]
    assert sum(d.due for d in forecast) > 0
    assert due_forecast(collection, (), PARIS_DAY, clock.now, 5) == ()
    collection.close(clock.now)
