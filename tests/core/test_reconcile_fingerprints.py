"""Decks unchanged since they were last reconciled are not reconciled again at start: the
collection remembers each deck's fingerprint; any change to what makes the prompts, or a new
program, reconciles the deck in full."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from engine_testing import Clock, basic_card, make_deck

from metaflash.core.collection import card_moves
from metaflash.core.collection.card_moves import deck_fingerprint, reconcile_library
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, CardId
from metaflash.core.library import deck_cache


def active_cards(collection: Collection, deck_id: str) -> list[str]:
    rows = collection.db.execute(
        "SELECT card_id FROM prompts WHERE deck_id = ? AND retired = 0 ORDER BY position",
        (deck_id,),
    )
    return [str(row[0]) for row in rows]


def test_an_unchanged_deck_is_not_reconciled_again(tmp_path: Path) -> None:
    clock = Clock()
    a, b = make_deck("a", 3), make_deck("b", 2)
    collection = Collection.open(tmp_path / "data", clock.now)
    first = reconcile_library(collection, [a, b], clock.now)
    assert {report.deck_id for report in first.reports} == {"a", "b"}
    assert collection.reconciled_decks() == {"a": deck_fingerprint(a), "b": deck_fingerprint(b)}
    collection.close(clock.now)

    again = Collection.open(tmp_path / "data", clock.now)  # the next start
    writes = again.db.total_changes
    second = reconcile_library(again, [a, b], clock.now)
    assert second.reports == () and again.db.total_changes == writes

    # a new card, a reworded one, a reordering: each reconciles its deck, and only it
    grown = replace(a, cards=(*a.cards, basic_card("a-new")))
    third = reconcile_library(again, [grown, b], clock.now)
    assert [report.deck_id for report in third.reports] == ["a"]
    assert active_cards(again, "a")[-1] == "a-new"
    card = grown.cards[0]
    reworded = replace(grown, cards=(replace(card, content=BasicContent("Q?", "A.")),))
    reordered = replace(grown, cards=tuple(reversed(grown.cards)))
    assert deck_fingerprint(reordered) != deck_fingerprint(grown)
    # reconciling reads no card text: rewording changes nothing it would do
    retexted = replace(grown, cards=(reworded.cards[0], *grown.cards[1:]))
    assert deck_fingerprint(retexted) == deck_fingerprint(grown)
    reconcile_library(again, [reordered, b], clock.now)
    assert active_cards(again, "a") == [str(c.id) for c in reordered.cards]
    again.close(clock.now)


def test_a_new_program_reconciles_every_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    a = make_deck("a", 2)
    collection = Collection.open(tmp_path / "data", clock.now)
    reconcile_library(collection, [a], clock.now)
    monkeypatch.setattr(card_moves, "program_key", lambda: "metaflash 9.9")
    assert [r.deck_id for r in reconcile_library(collection, [a], clock.now).reports] == ["a"]
    assert reconcile_library(collection, [a], clock.now).reports == ()
    collection.close(clock.now)
    deck_cache.program_key.cache_clear()


def test_a_deck_that_failed_is_tried_again(tmp_path: Path) -> None:
    clock = Clock()
    good = make_deck("a", 2)
    twice = replace(good, cards=(*good.cards, good.cards[0]))  # the same card id twice
    collection = Collection.open(tmp_path / "data", clock.now)
    result = reconcile_library(collection, [twice], clock.now)
    assert [deck.id for deck, _ in result.failures] == ["a"]
    assert "a" not in collection.reconciled_decks()
    assert [r.deck_id for r in reconcile_library(collection, [good], clock.now).reports] == ["a"]
    assert active_cards(collection, "a") == [str(CardId(c.id)) for c in good.cards]
    collection.close(clock.now)


def test_a_damaged_record_of_fingerprints_only_costs_a_reconcile(tmp_path: Path) -> None:
    clock = Clock()
    a = make_deck("a", 2)
    collection = Collection.open(tmp_path / "data", clock.now)
    reconcile_library(collection, [a], clock.now)
    collection.set_config_value("reconciled-decks", "{not json")
    assert [r.deck_id for r in reconcile_library(collection, [a], clock.now).reports] == ["a"]
    assert collection.reconciled_decks() == {"a": deck_fingerprint(a)}
    collection.close(clock.now)


def test_a_decks_fingerprint_follows_its_file_and_its_diagram(tmp_path: Path) -> None:
    import shutil

    from metaflash.core.library.snapshot import load_library
    from metaflash.core.util.paths import bundled_decks_dir

    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    plain = "format: 1\nid: plain\ntitle: No diagram\ncards:\n  - {id: a, front: Q, back: A}\n"
    (folder / "plain.yaml").write_text(plain)
    first = load_library([folder]).fingerprints
    assert len(first) == 6 and "plain" in first
    assert load_library([folder]).fingerprints == first  # the same files: the same prints
    diagram = folder / "metastatic-cascade.diagram.yaml"
    diagram.write_text(diagram.read_text() + "\n# a comment\n")
    second = load_library([folder]).fingerprints
    stages = "metastasis-stages"
    assert second[stages] != first[stages]  # it names the diagram: checked against it again
    assert second["plain"] == first["plain"]  # it names none
    (folder / "plain.yaml").write_text(plain.replace("back: A", "back: B"))
    assert load_library([folder]).fingerprints["plain"] != first["plain"]


def test_the_librarys_fingerprints_are_the_ones_used(tmp_path: Path) -> None:
    clock = Clock()
    a = make_deck("a", 2)
    collection = Collection.open(tmp_path / "data", clock.now)
    reconcile_library(collection, [a], clock.now, fingerprints={a.id: "made-from-these-files"})
    assert collection.reconciled_decks() == {"a": "made-from-these-files"}
    grown = replace(a, cards=(*a.cards, basic_card("a-new")))
    same_files = reconcile_library(
        collection, [grown], clock.now, fingerprints={a.id: "made-from-these-files"}
    )
    assert same_files.reports == ()  # trusted: the files that make the deck did not change
    collection.close(clock.now)
