"""Statistics: counts per deck and step, forecast, reviews per day, true retention, mastery."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.card_moves import reconcile_library
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId, StepId
from metaflash.core.scheduling.scheduler import Phase, Rating, fuzz_seed, next_states
from metaflash.core.stats.statistics import Counts, collect_statistics, step_mastery
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession


@pytest.fixture
def clock() -> Clock:
    return Clock()


def answer_next(
    collection: Collection, decks: list[Deck], root: str, rating: Rating, clock: Clock
) -> None:
    session = ReviewSession(
        collection, decks, deck_scope(decks, DeckId(root)), PARIS_DAY, clock.now
    )
    assert session.current is not None
    session.answer(rating, clock.advance(seconds=10), 10_000)


def test_counts_per_deck_include_sub_decks(tmp_path: Path, clock: Clock) -> None:
    parent = make_deck("metastasis", 2, title="Metastasis")
    child = make_deck("stages", 3, parent="metastasis", title="Stages")
    decks = [parent, child]
    collection = open_with(tmp_path, clock, *decks)
    answer_next(collection, decks, "stages", Rating.EASY, clock)  # stages-1: review, later
    answer_next(collection, decks, "stages", Rating.AGAIN, clock)  # stages-2: learning, today
    stats = collect_statistics(collection, decks, PARIS_DAY, clock.now)
    by_id = {deck.deck_id: deck for deck in stats.decks}
    assert [deck.deck_id for deck in stats.decks] == ["metastasis", "stages"]
    assert by_id["stages"].depth == 1
    assert by_id["stages"].own == Counts(new=1, learning=1, due=0, studied=2, total=3)
    assert by_id["metastasis"].own == Counts(new=2, total=2)
    assert by_id["metastasis"].with_subdecks == Counts(new=3, learning=1, studied=2, total=5)
    assert stats.overall == by_id["metastasis"].with_subdecks
    clock.advance(days=60)
    later = collect_statistics(collection, decks, PARIS_DAY, clock.now, root=DeckId("stages"))
    assert [deck.deck_id for deck in later.decks] == ["stages"]
    assert later.decks[0].own == Counts(new=1, learning=1, due=1, studied=2, total=3)
    collection.close(clock.now)


def test_suspended_buried_and_unreconciled_cards(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 4)
    unseen = make_deck("unseen", 5)  # never reconciled: all new
    collection = open_with(tmp_path, clock, deck)
    records = collection.records([deck.id])
    collection.set_suspended([records[0]], True)
    collection.bury([records[1]], until=PARIS_DAY.day_of(clock.now) + 1)  # type: ignore[arg-type]
    stats = collect_statistics(collection, [deck, unseen], PARIS_DAY, clock.now)
    by_id = {d.deck_id: d.own for d in stats.decks}
    assert by_id["bio"] == Counts(new=2, suspended=1, total=4)
    assert by_id["unseen"] == Counts(new=5, total=5)
    collection.close(clock.now)


def test_step_counts_and_mastery(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("stages", 4, stage_of={1: "invasion", 2: "invasion", 3: "intravasation"})
    collection = open_with(tmp_path, clock, deck)
    answer_next(collection, [deck], "stages", Rating.EASY, clock)  # stages-1 studied
    clock.advance(days=3)
    stats = collect_statistics(
        collection,
        [deck],
        PARIS_DAY,
        clock.now,
        step_order=[StepId("intravasation"), StepId("invasion")],
    )
    assert [step.step_id for step in stats.steps] == ["intravasation", "invasion"]
    steps = {step.step_id: step.counts for step in stats.steps}
    assert steps["invasion"] == Counts(new=1, studied=1, total=2)
    mastery = {m.step_id: m for m in stats.mastery}
    invasion = mastery[StepId("invasion")]
    assert (invasion.studied, invasion.total) == (1, 2)
    assert invasion.recall is not None and 0.8 < invasion.recall < 1.0  # 3 days after Easy
    assert invasion.label() == f"1/2 cards, {round(invasion.recall * 100)}% recall"
    assert mastery[StepId("intravasation")].label() == "0/1 cards, not studied yet"
    assert step_mastery(collection, [deck], clock.now)[StepId("invasion")] == invasion
    collection.close(clock.now)


def test_a_step_is_not_mastered_right_after_its_card_was_forgotten(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("stages", 1, stage_of={1: "invasion"})
    collection = open_with(tmp_path, clock, deck)
    step = StepId("invasion")

    def now_mastery() -> tuple[float | None, int, str, str]:
        shown = step_mastery(collection, [deck], clock.now)[step]
        stats = collect_statistics(collection, [deck], PARIS_DAY, clock.now)
        assert {m.step_id: m for m in stats.mastery}[step] == shown  # one definition
        return shown.recall, shown.forgotten, shown.level, shown.label()

    answer_next(collection, [deck], "stages", Rating.EASY, clock)
    clock.advance(days=30)
    recall, forgotten, level, _ = now_mastery()
    assert recall is not None and recall > 0.5 and forgotten == 0
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert session.current is not None
    session.answer(Rating.AGAIN, clock.advance(seconds=10), 10_000)
    # FSRS predicts ~100% recall right after any answer; a card just failed counts 0
    recall, forgotten, level, label = now_mastery()
    assert (recall, forgotten, level) == (0.0, 1, "weak")
    assert label == "1/1 cards, 0% recall, 1 forgotten"
    session.undo(clock.advance(seconds=5))  # the lapse taken back: as before it
    assert now_mastery()[1] == 0
    session.answer(Rating.AGAIN, clock.advance(seconds=10), 10_000)
    clock.advance(minutes=10)
    again = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert again.current is not None
    again.answer(Rating.GOOD, clock.advance(seconds=10), 10_000)  # recalled again
    recall, forgotten, level, _ = now_mastery()
    assert forgotten == 0 and recall is not None and recall > 0.9 and level == "mastered"
    collection.close(clock.now)


def test_the_due_forecast(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    for rating in (Rating.EASY, Rating.EASY, Rating.GOOD):
        answer_next(collection, [deck], "bio", rating, clock)
    stats = collect_statistics(collection, [deck], PARIS_DAY, clock.now, forecast_days=30)
    today = PARIS_DAY.day_of(clock.now)
    expected = [0] * 30
    for record in collection.records([deck.id]):
        assert record.state.due is not None
        expected[PARIS_DAY.day_of(record.state.due) - today] += 1
    assert [day.count for day in stats.forecast] == expected
    assert expected[0] == 1  # the learning card, due in ten minutes
    assert stats.forecast[0].day == PARIS_DAY.date_of(today)
    collection.close(clock.now)


def test_reviews_per_day_leave_out_undone_and_cram_answers(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 10)
    collection = open_with(tmp_path, clock, deck)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    for rating in (Rating.AGAIN, Rating.EASY):
        session.answer(rating, clock.advance(seconds=10), 10_000)
    clock.advance(days=1)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    for rating in (Rating.EASY, Rating.EASY, Rating.GOOD):
        session.answer(rating, clock.advance(seconds=20), 20_000)
    session.undo(clock.now)
    cram = ReviewSession(
        collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now, cram=True
    )
    cram.answer(Rating.AGAIN, clock.advance(seconds=5), 5000)
    stats = collect_statistics(collection, [deck], PARIS_DAY, clock.now, history_days=3)
    rows = [(day.answers, day.again, day.new_cards, day.time_ms) for day in stats.reviews]
    # day 2: the learning card from day 1 first, then one new card (the third was undone)
    assert rows == [(0, 0, 0, 0), (2, 1, 2, 20_000), (2, 0, 1, 40_000)]
    assert stats.reviews[-1].day == PARIS_DAY.date_of(PARIS_DAY.day_of(clock.now))
    collection.close(clock.now)


def test_a_moved_card_takes_its_answers_to_its_new_deck(tmp_path: Path, clock: Clock) -> None:
    bio, chem = make_deck("bio", 3), make_deck("chem", 1)
    collection = open_with(tmp_path, clock, bio, chem)
    session = ReviewSession(collection, [bio], deck_scope([bio], bio.id), PARIS_DAY, clock.now)
    session.answer(Rating.GOOD, clock.advance(seconds=10), 10_000)  # bio-1, new
    moved = [replace(bio, cards=bio.cards[1:]), replace(chem, cards=(*chem.cards, bio.cards[0]))]
    assert reconcile_library(collection, moved, clock.now).moves
    for deck, answers in zip(moved, (0, 1), strict=True):
        stats = collect_statistics(collection, [deck], PARIS_DAY, clock.now, history_days=1)
        assert [day.answers for day in stats.reviews] == [answers], deck.id
    collection.close(clock.now)


def test_true_retention_splits_young_and_mature_reviews(tmp_path: Path, clock: Clock) -> None:
    """Drive one card through a long real history; compare with a count made independently."""
    deck = make_deck("bio", 1)
    collection = open_with(tmp_path, clock, deck)
    key = deck.prompts()[0].key
    settings = collection.scheduler_settings()
    expected = {"young_passed": 0, "young_failed": 0, "mature_passed": 0, "mature_failed": 0}
    pattern = [Rating.EASY, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.HARD]
    for number in range(40):
        record = collection.record(key)
        assert record is not None
        state = record.state
        if state.due is not None:
            clock.now = max(clock.now, state.due + timedelta(hours=1))
        rating = pattern[number % len(pattern)]
        if state.phase is Phase.REVIEW:
            assert state.due is not None and state.last_review is not None
            mature = (state.due - state.last_review) >= timedelta(days=21)
            outcome = "passed" if rating is not Rating.AGAIN else "failed"
            expected[f"{'mature' if mature else 'young'}_{outcome}"] += 1
        states = next_states(state, clock.now, settings, fuzz_seed(*key, state.reps))
        collection.record_answer(record, states[rating], clock.now, 8000, settings)
    assert expected["mature_passed"] and expected["young_failed"]  # the history covers both
    stats = collect_statistics(collection, [deck], PARIS_DAY, clock.now)
    all_time = stats.retention[-1]
    assert all_time.label == "all time"
    got = {name: getattr(all_time, name) for name in expected}
    assert got == expected
    passed = expected["young_passed"] + expected["mature_passed"]
    assert all_time.total == pytest.approx(passed / sum(expected.values()))
    today = stats.retention[0]
    assert today.label == "today" and today.young_passed + today.mature_passed <= 1
    collection.close(clock.now)
