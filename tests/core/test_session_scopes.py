"""Sessions over sub-decks, over one diagram step, cram sessions, and sequence cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_testing import PARIS_DAY, Clock, basic_card, make_deck, open_with, sequence_card

from metaflash.core.collection.check import check_collection
from metaflash.core.collection.records import ReviewKind
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import CardId, CardType, PromptKey, StepId
from metaflash.core.decks.tree import deck_tree_order
from metaflash.core.scheduling.scheduler import NEW_CARD, Phase, Rating
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.study.counts import today_counts
from metaflash.core.study.queue import studied_today
from metaflash.core.study.scope import card_scope, deck_scope, step_scope
from metaflash.core.study.session import ReviewSession


@pytest.fixture
def clock() -> Clock:
    return Clock()


def without_burying(collection: Collection) -> None:
    """Siblings stay in today's queue (Anki's two settings off), to see the queue's order."""
    collection.set_study_settings(
        StudySettings(bury_new_siblings=False, bury_review_siblings=False)
    )


def drain(session: ReviewSession, clock: Clock, rating: Rating = Rating.EASY) -> list[str]:
    shown = []
    while session.current is not None:
        variant = session.current.variant
        shown.append(f"{session.current.card_id}/{variant}" if variant else session.current.card_id)
        session.answer(rating, clock.advance(seconds=3), 3000)
    return shown


def test_a_deck_session_includes_its_sub_decks_parents_first(tmp_path: Path, clock: Clock) -> None:
    parent = make_deck("metastasis", 2)
    later = make_deck("sites", 2, parent="metastasis", title="Sites")
    earlier = make_deck("biology", 2, parent="metastasis", title="Biology")
    grandchild = make_deck("genes", 1, parent="biology")
    other = make_deck("other", 3)
    decks = [parent, later, earlier, grandchild, other]
    collection = open_with(tmp_path, clock, *decks)
    assert deck_tree_order(decks, parent.id) == ("metastasis", "biology", "genes", "sites")
    session = ReviewSession(collection, decks, deck_scope(decks, parent.id), PARIS_DAY, clock.now)
    assert drain(session, clock) == [
        "metastasis-1",
        "metastasis-2",
        "biology-1",
        "biology-2",
        "genes-1",
        "sites-1",
        "sites-2",
    ]
    collection.close(clock.now)


def test_a_parent_cycle_is_cut_not_looped() -> None:
    a = make_deck("a", 1, parent="b")
    b = make_deck("b", 1, parent="a")
    assert deck_tree_order([a, b], a.id) == ("a", "b")


def test_a_step_session_studies_only_that_steps_prompts(tmp_path: Path, clock: Clock) -> None:
    stages = make_deck("stages", 5, stage_of={1: "invasion", 3: "invasion", 4: "intravasation"})
    sites = make_deck("sites", 3, stage_of={2: "invasion"})
    decks = [stages, sites]
    collection = open_with(tmp_path, clock, *decks)
    scope = step_scope(decks, StepId("invasion"), "Local invasion")
    assert scope.deck_ids == ("stages", "sites") and scope.stage == "invasion"
    session = ReviewSession(collection, decks, scope, PARIS_DAY, clock.now)
    assert session.counts.new == 3
    assert drain(session, clock) == ["stages-1", "stages-3", "sites-2"]
    # limits in a step session count that step's studying only
    assert studied_today(collection, scope, PARIS_DAY.start_of(PARIS_DAY.day_of(clock.now))) == (
        3,
        0,
    )
    whole = ReviewSession(collection, decks, deck_scope(decks, stages.id), PARIS_DAY, clock.now)
    assert whole.counts.new == 3  # stages-2, -4, -5
    collection.close(clock.now)


def test_cram_never_changes_a_schedule_and_is_logged_as_cram(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("bio", 4)
    collection = open_with(tmp_path, clock, deck)
    regular = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    for _ in range(2):
        regular.answer(Rating.EASY, clock.advance(seconds=5), 5000)
    before = {record.key: record.state for record in collection.records([deck.id])}
    reviews_before = collection.review_count()
    clock.advance(hours=2)
    cram = ReviewSession(
        collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now, cram=True
    )
    assert cram.is_cram and cram.next_states is None
    assert (cram.counts.review, cram.counts.new) == (2, 2)  # studied cards first, then new
    first = cram.current_record
    assert first is not None and first.state.phase is Phase.REVIEW
    cram.answer(Rating.AGAIN, clock.advance(seconds=4), 4000)
    shown = []
    for _ in range(4):
        if cram.current_record is not None:
            shown.append(cram.current_record.key)
        cram.answer(Rating.GOOD, clock.advance(seconds=4), 4000)
    assert first.key in shown  # the Again card came back a few cards later
    while cram.current is not None:
        cram.answer(Rating.GOOD, clock.advance(seconds=4), 4000)
    after = {record.key: record.state for record in collection.records([deck.id])}
    assert after == before
    assert collection.review_count() == reviews_before  # cram answers are not reviews
    kinds = collection.db.execute("SELECT kind, count(*) FROM review_log GROUP BY kind").fetchall()
    assert dict(kinds)[ReviewKind.CRAM] == 5  # 4 cards, one of them twice
    scope = deck_scope([deck], deck.id)
    assert studied_today(collection, scope, PARIS_DAY.start_of(PARIS_DAY.day_of(clock.now))) == (
        2,
        0,
    )
    cram.undo(clock.now)  # undo works in cram too, and leaves the log consistent
    assert check_collection(collection, clock.now).clean
    collection.close(clock.now)


def test_sequence_cards_are_graded_like_any_other(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck(
        "cascade",
        cards=[sequence_card("order-of-stages", ["invasion", "intravasation", "extravasation"])],
    )
    collection = open_with(tmp_path, clock, deck)
    without_burying(collection)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert session.counts.new == 3
    assert session.current is not None and session.current.card_type is CardType.SEQUENCE
    assert "What comes after **invasion**?" in session.current.question
    assert session.current.answer == "intravasation"
    shown = drain(session, clock, Rating.EASY)
    assert shown == ["order-of-stages/next-1", "order-of-stages/next-2", "order-of-stages/order"]
    states = [record.state for record in collection.records([deck.id])]
    assert all(state.phase is Phase.REVIEW and state.reps == 1 for state in states)
    collection.close(clock.now)


def test_cards_of_several_types_share_one_queue(tmp_path: Path, clock: Clock) -> None:
    from metaflash.core.decks.cloze import parse_cloze
    from metaflash.core.decks.model import Card, CardId, ClozeContent, ReverseContent

    text = "Cells {{c1::invade}} nearby tissue and enter {{c2::vessels}}."
    deck = make_deck(
        "mixed",
        cards=[
            Card(CardId("rev"), ReverseContent("EMT", "epithelial-mesenchymal transition")),
            Card(CardId("clz"), ClozeContent(text, parse_cloze(text))),
            basic_card("basic"),
        ],
    )
    collection = open_with(tmp_path, clock, deck)
    without_burying(collection)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    shown = drain(session, clock)
    # deck order, except that siblings (one card's prompts) never come back-to-back
    assert shown == ["rev/forward", "clz/c1", "rev/backward", "clz/c2", "basic"]
    assert all(record.state != NEW_CARD for record in collection.records([deck.id]))
    collection.close(clock.now)


def test_siblings_never_come_back_to_back_while_other_cards_wait(
    tmp_path: Path, clock: Clock
) -> None:
    from metaflash.core.decks.cloze import parse_cloze
    from metaflash.core.decks.model import Card, CardId, ClozeContent

    text = "{{c1::Cells}} {{c2::invade}} {{c3::tissue}} and {{c4::vessels}}."
    deck = make_deck(
        "gaps",
        cards=[
            Card(CardId("clz"), ClozeContent(text, parse_cloze(text))),
            basic_card("one"),
            basic_card("two"),
        ],
    )
    collection = open_with(tmp_path, clock, deck)
    without_burying(collection)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    shown = drain(session, clock)
    cards = [entry.split("/")[0] for entry in shown]
    assert sorted(shown) == ["clz/c1", "clz/c2", "clz/c3", "clz/c4", "one", "two"]
    # the two other cards keep the gaps apart as long as they last; then only gaps are left
    assert cards[:5] == ["clz", "one", "clz", "two", "clz"]
    collection.close(clock.now)


def test_answering_one_side_buries_the_others_until_tomorrow(tmp_path: Path, clock: Clock) -> None:
    """Anki's sibling settings, on by default: a reverse card's back side and a cloze's
    other gaps wait for the next study day; undo brings them back."""
    from metaflash.core.decks.cloze import parse_cloze
    from metaflash.core.decks.model import Card, CardId, ClozeContent, ReverseContent

    text = "Cells {{c1::invade}} nearby tissue and enter {{c2::vessels}}."
    deck = make_deck(
        "mixed",
        cards=[
            Card(CardId("rev"), ReverseContent("EMT", "epithelial-mesenchymal transition")),
            Card(CardId("clz"), ClozeContent(text, parse_cloze(text))),
            basic_card("basic"),
        ],
    )
    collection = open_with(tmp_path, clock, deck)
    assert collection.study_settings().bury_new_siblings
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert session.counts.new == 5
    session.answer(Rating.GOOD, clock.advance(seconds=3), 3000)  # rev/forward
    assert session.counts.new == 3  # rev/backward is buried until tomorrow
    backward = collection.record(PromptKey(deck.id, CardId("rev"), "backward"))
    assert backward is not None and backward.buried_until is not None
    session.undo(clock.advance(seconds=1))
    assert session.counts.new == 5
    assert collection.record(backward.key).buried_until is None  # type: ignore[union-attr]
    shown = drain(session, clock)
    assert shown == ["rev/forward", "clz/c1", "basic"]
    clock.advance(days=1)  # the next study day: the buried siblings are back
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)
    assert sorted(drain(session, clock)) == ["clz/c2", "rev/backward"]
    collection.close(clock.now)


def test_a_card_session_shows_that_cards_prompts_only(tmp_path: Path, clock: Clock) -> None:
    deck = make_deck("d", 3, cards=[sequence_card("order", ["a", "b", "c"])])
    collection = open_with(tmp_path, clock, deck)
    without_burying(collection)
    scope = card_scope(deck, CardId("order"))
    session = ReviewSession(collection, [deck], scope, PARIS_DAY, clock.now)
    prompts = {f"order/{p.variant}" for p in deck.cards[0].prompts(deck.id)}
    shown = drain(session, clock)
    assert sorted(shown) == sorted(prompts) and len(prompts) > 1
    # once answered it is not due: a cram session still shows it, and nothing else
    cram = ReviewSession(collection, [deck], scope, PARIS_DAY, clock.now, cram=True)
    assert sorted(drain(cram, clock)) == sorted(prompts)
    with pytest.raises(ValueError, match="no card nope"):
        card_scope(deck, CardId("nope"))


def test_burying_a_new_card_lets_the_next_one_in_as_the_deck_counts_say(
    tmp_path: Path, clock: Clock
) -> None:
    deck = make_deck("d", 25)  # more new cards than the 20 a day
    collection = open_with(tmp_path, clock, deck)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)

    def deck_counts() -> int:
        return today_counts(collection, [deck], PARIS_DAY, clock.now)[deck.id].new

    assert session.counts.new == deck_counts() == 20
    buried = session.current
    session.bury(clock.advance(seconds=5))
    assert session.counts.new == deck_counts() == 20  # d-21 takes its place, as in Anki
    session.suspend(clock.advance(seconds=5))
    assert session.counts.new == deck_counts() == 20
    session.undo(clock.advance(seconds=5))
    session.undo(clock.advance(seconds=5))
    assert session.current == buried
    assert session.counts.new == deck_counts() == 20
    assert drain(session, clock)[:2] == ["d-1", "d-2"]


def test_buried_siblings_give_their_places_to_the_next_cards(tmp_path: Path, clock: Clock) -> None:
    sequences = [sequence_card(f"seq-{i}", ["a", "b", "c", "d"]) for i in range(1, 5)]
    deck = make_deck("d", 30, cards=sequences)  # 4 cards of several prompts, then 30 basic
    collection = open_with(tmp_path, clock, deck)
    session = ReviewSession(collection, [deck], deck_scope([deck], deck.id), PARIS_DAY, clock.now)

    def deck_counts() -> tuple[int, int, int]:
        counts = today_counts(collection, [deck], PARIS_DAY, clock.now)[deck.id]
        return counts.new, counts.learning, counts.due

    def shown_counts() -> tuple[int, int, int]:
        counts = session.counts
        return counts.new, counts.learning, counts.review

    assert shown_counts() == deck_counts() == (20, 0, 0)
    for _ in range(6):  # each cloze answered buries its two other gaps
        assert session.current is not None
        session.answer(Rating.GOOD, clock.advance(seconds=5), 5000)
        assert shown_counts() == deck_counts()
    session.undo(clock.advance(seconds=5))
    assert shown_counts() == deck_counts()
    session.undo(clock.advance(seconds=5))
    assert shown_counts() == deck_counts()
