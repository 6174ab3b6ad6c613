"""Positions in the deck's order: always rising along the deck, and an edit rewrites only the
prompts it moved (one card added to the middle of a big deck writes one row)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from engine_testing import Clock, basic_card, make_deck
from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.collection.deck_order import STRIDE, placed, renumbered
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck


def longest_rising(values: list[int]) -> int:
    """The length of a longest strictly rising subsequence, the slow way."""
    best = [1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


def rows(collection: Collection, deck: Deck) -> dict[str, tuple[int, int]]:
    """card id -> (row id, position) of the deck's prompts still in it, in position order."""
    found = collection.db.execute(
        "SELECT card_id, id, position FROM prompts WHERE deck_id = ? AND retired = 0 "
        "ORDER BY position",
        (deck.id,),
    )
    return {card_id: (row_id, position) for card_id, row_id, position in found}


def test_fresh_numbers_leave_room() -> None:
    assert placed([None, None, None]) == renumbered(3) == [0, STRIDE, 2 * STRIDE]


def test_the_room_between_two_kept_positions_must_suffice() -> None:
    assert placed([0, None, 2]) == [0, 1, 2]
    assert placed([0, None, 1]) is None  # nothing fits between 0 and 1
    assert placed([None, 5, None]) == [5 - STRIDE, 5, 5 + STRIDE]  # before the first, after


@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6)),
        max_size=40,
    ).map(lambda values: _distinct_known(values))
)
def test_positions_rise_and_the_longest_run_in_order_keeps_its_own(
    old: list[int | None],
) -> None:
    new = placed(old)
    if new is None:
        return  # the caller numbers afresh
    assert len(new) == len(old)
    assert all(a < b for a, b in pairwise(new))
    known = [position for position in old if position is not None]
    same = sum(1 for was, now in zip(old, new, strict=True) if was is not None and was == now)
    assert same == longest_rising(known)


def _distinct_known(values: list[int | None]) -> list[int | None]:
    seen: set[int] = set()
    result: list[int | None] = []
    for value in values:
        if value is None or value not in seen:
            result.append(value)
            if value is not None:
                seen.add(value)
    return result


def test_adding_a_card_in_the_middle_writes_one_row(tmp_path: Path) -> None:
    clock = Clock()
    deck = make_deck("bio", 200)
    collection = Collection.open(tmp_path, clock.now)
    reconcile(collection, deck, clock.now)
    before = rows(collection, deck)
    cards = list(deck.cards)
    cards.insert(100, basic_card("bio-new"))
    edited = replace(deck, cards=tuple(cards))
    report = reconcile(collection, edited, clock.now)
    after = rows(collection, edited)
    assert list(after) == [card.id for card in edited.cards]  # positions follow the deck
    assert {card: after[card] for card in before} == before  # no other row was written
    assert (report.added, report.moved) == (1, 0)
    collection.close(clock.now)


def test_a_collection_numbered_without_room_is_numbered_afresh_once(tmp_path: Path) -> None:
    clock = Clock()
    deck = make_deck("bio", 20)
    collection = Collection.open(tmp_path, clock.now)
    reconcile(collection, deck, clock.now)
    with collection.transaction() as db:  # as earlier versions numbered them: 0, 1, 2, ...
        for index, card in enumerate(deck.cards):
            db.execute(
                "UPDATE prompts SET position = ? WHERE deck_id = ? AND card_id = ?",
                (index, deck.id, card.id),
            )
    cards = list(deck.cards)
    cards.insert(10, basic_card("bio-new"))
    edited = replace(deck, cards=tuple(cards))
    reconcile(collection, edited, clock.now)
    assert list(rows(collection, edited)) == [card.id for card in edited.cards]
    cards.insert(5, basic_card("bio-newer"))
    again = replace(deck, cards=tuple(cards))
    before = rows(collection, edited)
    reconcile(collection, again, clock.now)
    after = rows(collection, again)
    assert list(after) == [card.id for card in again.cards]
    assert {card: after[card] for card in before} == before  # room was left the first time
    collection.close(clock.now)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_edits_keep_the_collection_in_deck_order(data: st.DataObject) -> None:
    clock = Clock()
    deck = make_deck("bio", 12)
    with tempfile.TemporaryDirectory() as scratch:
        collection = Collection.open(Path(scratch), clock.now)
        reconcile(collection, deck, clock.now)
        cards = list(deck.cards)
        fresh = 0
        for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
            match data.draw(st.sampled_from(["insert", "remove", "move", "shuffle"])):
                case "insert":
                    fresh += 1
                    at = data.draw(st.integers(min_value=0, max_value=len(cards)))
                    cards.insert(at, basic_card(f"new-{fresh}"))
                case "remove" if len(cards) > 1:
                    cards.pop(data.draw(st.integers(min_value=0, max_value=len(cards) - 1)))
                case "move" if cards:
                    card = cards.pop(data.draw(st.integers(0, len(cards) - 1)))
                    cards.insert(data.draw(st.integers(0, len(cards))), card)
                case "shuffle":
                    cards = data.draw(st.permutations(cards))
                case _:
                    pass
            edited = replace(deck, cards=tuple(cards))
            reconcile(collection, edited, clock.now)
            assert list(rows(collection, edited)) == [card.id for card in cards]
        collection.close(clock.now)
