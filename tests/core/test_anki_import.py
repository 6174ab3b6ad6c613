"""Packages made by Anki's own library import as YAML decks, the same way every time."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.import_result import ImportFailure, ImportProgress, ImportResult
from tests.core.interop_support import files_under, load_valid, make_anki_package

pytest.importorskip("anki", reason="Anki's library is a test dependency (the 'test' extra)")


@pytest.fixture(scope="module")
def anki_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_anki_package(tmp_path_factory.mktemp("anki"))


def imported(package: Path, out: Path) -> ImportResult:
    result = import_anki_package(package, out)
    assert isinstance(result, ImportResult), result
    return result


def load(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def cards_of(path: Path) -> list[dict[str, object]]:
    cards = load(path)["cards"]
    assert isinstance(cards, list)
    return cards


def test_an_anki_package_becomes_a_deck_per_anki_deck(anki_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "biology.yaml"
    result = imported(anki_package, out)
    assert result.decks == (out, tmp_path / "biology-cells.yaml")
    library = load_valid(tmp_path)
    assert sorted(deck.id for deck in library.decks) == ["biology", "biology-cells"]
    assert library.card_count == 5
    assert result.media == (tmp_path / "media" / "cell.png",)
    assert (tmp_path / "media" / "cell.png").read_bytes().startswith(b"\x89PNG")
    assert result.cards == 5

    top, sub = load(out), load(tmp_path / "biology-cells.yaml")
    assert (top["id"], top["title"], top.get("parent")) == ("biology", "Biology", None)
    assert (sub["id"], sub["title"], sub["parent"]) == ("biology-cells", "Cells", "biology")

    by_front = {
        card.get("front", card.get("text")): card
        for card in cards_of(out) + cards_of(tmp_path / "biology-cells.yaml")
    }
    basic = by_front["What is a **cell**?"]
    assert basic["type"] == "basic"
    assert basic["back"] == "The unit of life & more\\\n![](media/cell.png)"
    assert basic["tags"] == ["anatomy::micro", "cells"]
    assert by_front["Mitosis"]["type"] == "reverse"
    assert (
        by_front["Nucleus"]["type"] == "reverse"
    )  # optional reversed card, with "Add Reverse" filled
    cloze = by_front["The {{c1::nucleus}} holds {{c2::DNA::molecule}}"]
    assert (cloze["type"], cloze["notes"], cloze["tags"]) == (
        "cloze",
        "*Eukaryotes* only",
        ["cloze"],
    )
    vocabulary = by_front["Apoptosis"]
    assert (vocabulary["type"], vocabulary["back"]) == ("basic", "Programmed cell death")
    assert vocabulary["notes"] == "**Example:** In development"
    assert [w.message for w in result.warnings] == [
        (
            "note type 'Vocabulary' (1 notes) imported as basic cards from its first two fields "
            "('Front', 'Back'); its other fields went into the notes"
        )
    ]
    for card in by_front.values():
        assert isinstance(card["id"], str) and card["id"]


def test_importing_twice_gives_the_same_ids_and_files(anki_package: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    imported(anki_package, first / "deck.yaml")
    imported(anki_package, second / "deck.yaml")
    for name in ("deck.yaml", "biology-cells.yaml"):
        assert (first / name).read_text() == (second / name).read_text()
    ids = [
        card["id"]
        for card in cards_of(first / "deck.yaml") + cards_of(first / "biology-cells.yaml")
    ]
    assert len(set(ids)) == len(ids) == 5

    again = imported(anki_package, first / "deck.yaml")  # the same decks: replaced in place
    assert again.decks[0] == first / "deck.yaml"
    assert files_under(first) == ["biology-cells.yaml", "deck.yaml", "media", "media/cell.png"]


def test_a_file_holding_another_deck_is_not_replaced(anki_package: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    other = "format: 1\nid: my-own-deck\ntitle: Mine\ncards: []\n"
    (tmp_path / "deck.yaml").write_text(other)
    result = import_anki_package(anki_package, tmp_path / "deck.yaml")
    assert isinstance(result, ImportFailure)
    assert "already exists and is not the deck 'biology'" in result.problems[0].message
    assert "--overwrite" in result.problems[0].hint
    assert (tmp_path / "deck.yaml").read_text() == other
    assert files_under(tmp_path) == ["deck.yaml"]
    assert isinstance(
        import_anki_package(anki_package, tmp_path / "deck.yaml", overwrite=True), ImportResult
    )


def test_progress_is_reported_and_cancelling_writes_nothing(
    anki_package: Path, tmp_path: Path
) -> None:
    seen: list[ImportProgress] = []
    (tmp_path / "a").mkdir()
    result = import_anki_package(anki_package, tmp_path / "a" / "deck.yaml", progress=seen.append)
    assert isinstance(result, ImportResult)
    phases = [progress.phase for progress in seen]
    assert phases[0] == "checking the package" and phases[-1] == "done"
    assert "copying media" in phases

    for stop_after in range(1, len(seen)):
        target = tmp_path / f"cancel-{stop_after}"
        target.mkdir()
        calls: list[ImportProgress] = []

        def cancelled(calls: list[ImportProgress] = calls, stop_after: int = stop_after) -> bool:
            return len(calls) >= stop_after

        outcome = import_anki_package(
            anki_package, target / "deck.yaml", progress=calls.append, cancelled=cancelled
        )
        assert isinstance(outcome, ImportFailure) and outcome.cancelled, stop_after
        assert files_under(target) == [], stop_after


def test_a_package_with_only_the_new_collection_format_says_how_to_export(tmp_path: Path) -> None:
    package = make_anki_package(tmp_path / "anki", legacy=False)
    result = import_anki_package(package, tmp_path / "deck.yaml")
    assert isinstance(result, ImportFailure)
    problem = result.problems[0]
    assert "newer compressed format" in problem.message
    assert "File > Export" in problem.hint and "Support older Anki versions" in problem.hint
    assert str(problem).startswith(f"{package}:1:1: error: ")
