"""`metaflash stats` over the bundled decks and the user's collection."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import START, Clock, run_command

from metaflash.commands import stats as stats_command
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.library.snapshot import load_library
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay, local_timezone
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession
from metaflash.core.util.paths import bundled_decks_dir


def study_bundled(data_dir: Path, answers: int) -> tuple[str, str]:
    """Answer ``answers`` cards of the first bundled sub-deck at the test clock's start (a
    study day's first hour in UTC-5, later in the day elsewhere: the command runs seconds
    later, on the same study day); the sub-deck's id and its parent's."""
    library = load_library([bundled_decks_dir()])
    decks = list(library.decks)
    deck = next(d for d in decks if d.parent is not None and len(d.cards) >= answers)
    now = START
    day = StudyDay(local_timezone())
    collection = Collection.open(data_dir, now)
    for each in decks:
        reconcile(collection, each, now)
    session = ReviewSession(collection, decks, deck_scope(decks, deck.id), day, now)
    for number in range(answers):
        session.answer(
            Rating.AGAIN if number == 0 else Rating.EASY, now + timedelta(seconds=number), 4000
        )
    collection.close(now)
    assert deck.parent is not None
    return deck.id, deck.parent


def later() -> Clock:
    """The command's clock: a minute after the answers."""
    return Clock(START + timedelta(minutes=1))


def test_stats_json_counts_what_was_studied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck_id, parent_id = study_bundled(tmp_path, 4)
    assert run_command(stats_command, tmp_path, "stats", "--json", clock=later()) == 0
    data = json.loads(capsys.readouterr().out)
    decks = {deck["id"]: deck for deck in data["decks"]}
    assert decks[deck_id]["own"]["studied"] == 4
    assert decks[deck_id]["own"]["learning"] >= 1  # the Again card
    assert decks[parent_id]["with_subdecks"]["studied"] >= 4
    assert decks[parent_id]["depth"] == 0 and decks[deck_id]["depth"] == 1
    assert data["reviews_per_day"][-1]["answers"] == 4
    assert data["reviews_per_day"][-1]["again"] == 1
    assert len(data["forecast"]) == 7
    assert {period["period"] for period in data["true_retention"]} >= {"today", "all time"}
    mastery = data["mastery"]
    assert mastery and all(m["total"] >= m["studied"] >= 0 for m in mastery)
    assert all(m["label"].startswith(f"{m['studied']}/{m['total']} cards") for m in mastery)


def test_stats_for_one_deck_and_while_the_window_has_the_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck_id, _ = study_bundled(tmp_path, 2)
    window = Collection.open(tmp_path, START)  # another metaflash holds it
    try:
        assert (
            run_command(
                stats_command, tmp_path, "stats", "--json", "--deck", deck_id, clock=later()
            )
            == 0
        )
        data = json.loads(capsys.readouterr().out)
        assert [deck["id"] for deck in data["decks"]] == [deck_id]
        assert data["overall"]["studied"] == 2
        assert run_command(stats_command, tmp_path, "stats", clock=later()) == 0
        text = capsys.readouterr().out
        assert "True retention" in text and "Due in the coming days" in text
    finally:
        window.close(START)


def test_stats_names_an_unknown_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(stats_command, tmp_path, "stats", "--deck", "no-such-deck") == 1
    assert "no deck 'no-such-deck'" in capsys.readouterr().err


def test_stats_sees_the_decks_in_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "decks"  # where the window copies added decks
    own.mkdir()
    (own / "mine.yaml").write_text(
        "format: 1\nid: mine\ntitle: Mine\ncards:\n  - {id: a, front: Q?, back: A.}\n",
        encoding="utf-8",
    )
    assert run_command(stats_command, tmp_path, "stats", "--json", "--deck", "mine") == 0
    data = json.loads(capsys.readouterr().out)
    assert [deck["id"] for deck in data["decks"]] == ["mine"]
