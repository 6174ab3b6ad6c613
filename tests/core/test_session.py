"""Study sessions: Anki's queue order, daily limits, the study day, answers and undo."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from engine_testing import PARIS, PARIS_DAY, Clock, make_deck, open_with

from metaflash.core.collection.backups import collection_path
from metaflash.core.collection.check import check_collection
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck
from metaflash.core.scheduling.scheduler import NEW_CARD, Phase, Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.queue import QueueKind
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession, SessionEvent, SessionEventKind


def session_for(
    collection: Collection, deck: Deck, when: Clock | datetime, cram: bool = False
) -> ReviewSession:
    now = when.now if isinstance(when, Clock) else when
    return ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, now, cram=cram)


def answer_current(session: ReviewSession, rating: Rating, clock: Clock, seconds: float = 5) -> str:
    assert session.current is not None, "nothing on screen"
    card_id = str(session.current.card_id)
    clock.advance(seconds=seconds)
    session.answer(rating, clock.now, int(seconds * 1000))
    return card_id


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_new_cards_come_in_deck_order_up_to_the_daily_limit(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 30)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    assert session.counts.new == 20 and session.counts.total == 20
    shown = [answer_current(session, Rating.EASY, clock) for _ in range(20)]
    assert shown == [f"bio-{i}" for i in range(1, 21)]
    assert session.current is None and session.finished
    collection.close(clock.now)


def test_limits_count_what_was_already_studied_today(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 40)
    collection = open_with(tmp_path, clock, deck)
    first = session_for(collection, deck, clock)
    for _ in range(5):
        answer_current(first, Rating.EASY, clock)
    again = session_for(collection, deck, clock.advance(hours=3))
    assert again.counts.new == 15
    assert again.current is not None and again.current.card_id == "bio-6"
    tomorrow = session_for(collection, deck, clock.advance(days=1))
    assert tomorrow.counts.new == 20
    collection.close(clock.now)


def test_the_queue_is_learning_first_then_overdue_reviews_interleaved_with_new(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 40)
    collection = open_with(tmp_path, clock, deck)
    day_one = session_for(collection, deck, clock)
    ratings = [Rating.EASY] * 6 + [Rating.GOOD, Rating.AGAIN]
    for rating in ratings:
        answer_current(day_one, rating, clock)
        clock.advance(hours=12) if rating is Rating.EASY else None  # spread the due dates
    clock.advance(days=40)
    session = session_for(collection, deck, clock)
    assert (session.counts.learning, session.counts.review, session.counts.new) == (2, 6, 20)
    kinds: list[QueueKind] = []
    overdue: list[float] = []
    new_order: list[str] = []
    while session.current is not None:
        record = session.current_record
        assert record is not None
        if record.state.phase is Phase.REVIEW:
            kinds.append(QueueKind.REVIEW)
            state = record.state
            assert state.due is not None and state.last_review is not None
            overdue.append((clock.now - state.last_review) / (state.due - state.last_review))
        elif record.state.phase is Phase.NEW:
            kinds.append(QueueKind.NEW)
            new_order.append(str(record.key.card_id))
        else:
            kinds.append(QueueKind.LEARNING)
        answer_current(session, Rating.EASY, clock, seconds=1)
    assert kinds[:2] == [QueueKind.LEARNING] * 2
    assert overdue == sorted(overdue, reverse=True)  # most overdue (relative) first
    assert new_order == [f"bio-{i}" for i in range(9, 29)]
    # new cards are spread among the reviews, not all before or after them
    positions = [i for i, kind in enumerate(kinds[2:]) if kind is QueueKind.REVIEW]
    assert positions[0] < 3 and positions[-1] < 14
    collection.close(clock.now)


def test_the_daily_review_limit(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 5)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    for _ in range(5):
        answer_current(session, Rating.EASY, clock)
    collection.set_study_settings(StudySettings(reviews_per_day=3))
    later = session_for(collection, deck, clock.advance(days=60))
    assert later.counts.review == 3
    for _ in range(2):
        answer_current(later, Rating.GOOD, clock)
    assert session_for(collection, deck, clock).counts.review == 1
    collection.close(clock.now)


def test_the_study_day_starts_at_four_in_the_morning_local_time(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 1)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    answer_current(session, Rating.EASY, clock)
    record = collection.record(deck.prompts()[0].key)
    assert record is not None and record.state.due is not None
    due_local = record.state.due.astimezone(PARIS)
    assert due_local.hour == 10  # answered at 10:00 Paris, due at 10:00 on a later day
    # 05:00 on the due date is the same study day: the review is due "today"
    same_day = due_local.replace(hour=5)
    assert session_for(collection, deck, same_day.astimezone(UTC)).counts.review == 1
    # 03:00 on the due date still belongs to the previous study day
    day_before = due_local.replace(hour=3)
    assert session_for(collection, deck, day_before.astimezone(UTC)).counts.review == 0
    # with days starting at midnight, 03:00 on the due date is already that day
    midnight = StudyDay(PARIS, start_hour=0)
    early = ReviewSession(collection, [deck], deck_scope([deck], deck.id), midnight, day_before)
    assert early.counts.review == 1
    collection.close(clock.now)


def test_study_day_arithmetic_across_a_daylight_saving_change() -> None:
    day = StudyDay(PARIS)
    before = datetime(2026, 3, 29, 1, 59, tzinfo=UTC)  # 03:59 CEST, after the 02:00 jump
    after = datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 CEST
    assert day.day_of(after) == day.day_of(before) + 1
    assert day.start_of(day.day_of(after)) == after
    assert day.end_of(day.day_of(before)) == after
    assert day.start_of(day.day_of(before)) == datetime(2026, 3, 28, 3, 0, tzinfo=UTC)  # CET
    with pytest.raises(ValueError, match="timezone-aware"):
        day.day_of(datetime(2026, 3, 29, 4))


def test_learning_cards_are_shown_early_only_when_nothing_else_is_left(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 2)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    answer_current(session, Rating.GOOD, clock)  # bio-1: learning, due in 10 minutes
    assert session.current is not None and session.current.card_id == "bio-2"
    answer_current(session, Rating.GOOD, clock)  # nothing else left: bio-1 is shown early
    assert session.current is not None and session.current.card_id == "bio-1"
    collection.set_study_settings(StudySettings(learn_ahead_minutes=5))
    strict = session_for(collection, deck, clock)
    assert strict.current is None and not strict.finished
    waiting = strict.waiting_until
    assert waiting is not None and waiting - clock.now < timedelta(minutes=11)
    strict.refresh(waiting)
    assert strict.current is not None and strict.current.card_id == "bio-1"
    assert strict.counts.learning == 2
    collection.close(clock.now)


def test_the_committed_answer_is_the_state_the_button_showed(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    for rating in (Rating.AGAIN, Rating.HARD, Rating.EASY):
        record, shown = session.current_record, session.next_states
        assert record is not None and shown is not None
        result = session.answer(rating, clock.advance(seconds=7), 7000)
        assert result.outcome is not None
        assert result.outcome.interval == shown[rating].interval
        stored = collection.record(record.key)
        assert stored is not None and stored.state == result.outcome.state
        # the same state, counted from the answer (7 s after the card was shown)
        assert stored.state.due == shown[rating].state.due + timedelta(seconds=7)  # type: ignore[operator]
        assert stored.state.last_review == clock.now
        assert (stored.state.stability, stored.state.difficulty, stored.state.phase) == (
            shown[rating].state.stability,
            shown[rating].state.difficulty,
            shown[rating].state.phase,
        )
    collection.close(clock.now)


def test_each_answer_is_committed_before_the_next_card_is_shown(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 4)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    seen: list[int] = []

    def count_from_another_connection(event: SessionEvent) -> None:
        if event.kind is SessionEventKind.SHOWN:
            other = sqlite3.connect(collection_path(tmp_path))
            seen.append(other.execute("SELECT count(*) FROM review_log").fetchone()[0])
            other.close()

    session.changed.connect(count_from_another_connection)
    for _ in range(4):
        answer_current(session, Rating.EASY, clock)
    assert seen == [1, 2, 3, 4]
    collection.close(clock.now)


def test_bury_hides_a_card_until_the_next_study_day(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    session.bury(clock.now)
    assert session.current is not None and session.current.card_id == "bio-2"
    assert session.counts.new == 2
    assert session_for(collection, deck, clock.advance(hours=17)).counts.new == 2  # 03:00 local
    tomorrow = session_for(collection, deck, clock.advance(hours=1, seconds=1))  # after 04:00
    assert tomorrow.counts.new == 3 and tomorrow.current.card_id == "bio-1"  # type: ignore[union-attr]
    collection.close(clock.now)


def test_suspend_and_unsuspend(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 2)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    session.suspend(clock.now)
    assert session.counts.new == 1
    later = session_for(collection, deck, clock.advance(days=3))
    assert later.counts.new == 1
    suspended = collection.record(deck.prompts()[0].key)
    assert suspended is not None and suspended.suspended
    collection.set_suspended([suspended], False)
    assert session_for(collection, deck, clock).counts.new == 2
    collection.close(clock.now)


def test_flags_persist_and_undo(tmp_path: Path, clock: Clock) -> None:
    from metaflash.core.collection.records import Flag

    deck = make_deck("bio", 2)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    session.flag(Flag.RED)
    assert session.current_record is not None and session.current_record.flag is Flag.RED
    assert collection.record(deck.prompts()[0].key).flag is Flag.RED  # type: ignore[union-attr]
    session.undo(clock.now)
    assert collection.record(deck.prompts()[0].key).flag is Flag.NONE  # type: ignore[union-attr]
    assert session.current_record.flag is Flag.NONE
    collection.close(clock.now)


def test_undo_several_answers_restores_states_counts_and_the_card_on_screen(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("bio", 5)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    history = []
    for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN):
        record = session.current_record
        assert record is not None
        history.append((record, session.counts))
        answer_current(session, rating, clock)
    for record, counts in reversed(history):
        assert session.undo(clock.now) == record.key
        assert session.current_record is not None
        assert session.current_record.key == record.key
        assert session.current_record.state == record.state
        assert collection.record(record.key).state == record.state  # type: ignore[union-attr]
        assert session.counts == counts
    assert session.undo(clock.now) is None and not session.can_undo
    assert all(collection.record(p.key).state == NEW_CARD for p in deck.prompts())  # type: ignore[union-attr]
    assert check_collection(collection, clock.now).clean
    assert session.summary(clock.now).reviewed == 0
    # history kept: three answers and three undos
    assert collection.db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 6
    collection.close(clock.now)


def test_undo_of_bury_and_suspend_brings_the_card_back(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    session.bury(clock.now)
    session.suspend(clock.now)
    assert session.current.card_id == "bio-3"  # type: ignore[union-attr]
    session.undo(clock.now)
    assert session.current.card_id == "bio-2"  # type: ignore[union-attr]
    session.undo(clock.now)
    assert session.current.card_id == "bio-1"  # type: ignore[union-attr]
    assert session.counts.new == 3
    record = collection.record(deck.prompts()[0].key)
    assert record is not None and record.buried_until is None and not record.suspended
    collection.close(clock.now)


def test_a_card_becomes_a_leech_after_eight_lapses(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 1)
    collection = open_with(tmp_path, clock, deck)
    key = deck.prompts()[0].key
    assert collection.study_settings().leech_threshold == 8
    events: list[SessionEventKind] = []
    leech_result = None
    for _ in range(200):
        record = collection.record(key)
        assert record is not None
        if record.state.due is not None:
            clock.now = max(clock.now, record.state.due)
        session = session_for(collection, deck, clock)
        session.changed.connect(lambda event: events.append(event.kind))
        assert session.current is not None
        lapse = record.state.phase is Phase.REVIEW
        leech_result = session.answer(Rating.AGAIN if lapse else Rating.EASY, clock.now, 3000)
        if leech_result.became_leech:
            break
    assert leech_result is not None and leech_result.became_leech
    leech = collection.record(key)
    assert leech is not None
    assert leech.state.lapses == 8 and leech.suspended and leech.leech and "leech" in leech.tags
    assert SessionEventKind.LEECH in events
    assert session.summary(clock.now).leeches == (key,)
    assert session.counts.total == 0  # suspended: not shown again
    session.undo(clock.now)  # undo lifts the suspension and the tag with the answer
    restored = collection.record(key)
    assert restored is not None and not restored.suspended and not restored.leech
    assert restored.state.lapses == 7
    assert check_collection(collection, clock.now).clean
    collection.close(clock.now)


def test_leech_rule_repeats_every_half_threshold() -> None:
    settings = StudySettings()
    assert [n for n in range(30) if settings.is_leech(n)] == [8, 12, 16, 20, 24, 28]


def test_the_session_summary(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 4)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    for rating in (Rating.EASY, Rating.EASY, Rating.EASY, Rating.AGAIN):
        answer_current(session, rating, clock, seconds=6)
    summary = session.summary(clock.now)
    assert (summary.reviewed, summary.again, summary.retention) == (4, 1, 0.75)
    assert summary.time_spent == timedelta(seconds=24)
    assert summary.next_due is not None and summary.next_due - clock.now <= timedelta(minutes=1)
    assert summary.leeches == ()
    collection.close(clock.now)


def test_observers_hear_each_change_and_can_disconnect(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    heard: list[SessionEventKind] = []
    subscription = session.changed.connect(lambda event: heard.append(event.kind))
    answer_current(session, Rating.GOOD, clock)
    session.bury(clock.now)
    session.undo(clock.now)
    assert heard == [
        SessionEventKind.ANSWERED,
        SessionEventKind.SHOWN,
        SessionEventKind.BURIED,
        SessionEventKind.SHOWN,
        SessionEventKind.UNDONE,
        SessionEventKind.SHOWN,
    ]
    subscription.disconnect()
    answer_current(session, Rating.GOOD, clock)
    assert len(heard) == 6
    collection.close(clock.now)


def test_a_new_study_day_during_a_session_refills_the_queue(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 3)
    collection = open_with(tmp_path, clock, deck)
    collection.set_study_settings(StudySettings(new_per_day=1))
    session = session_for(collection, deck, clock)
    answer_current(session, Rating.EASY, clock)
    assert session.finished
    session.refresh(clock.advance(days=1))
    assert session.current is not None and session.current.card_id == "bio-2"
    collection.close(clock.now)


def test_answering_with_nothing_on_screen_is_an_error(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 0)
    collection = open_with(tmp_path, clock, deck)
    session = session_for(collection, deck, clock)
    assert session.finished and session.next_states is None
    with pytest.raises(Exception, match="no card is on screen"):
        session.answer(Rating.GOOD, clock.now, 1000)
    collection.close(clock.now)
