"""Every bundled deck and diagram under decks/ loads with no problem at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.util.paths import bundled_decks_dir


@pytest.fixture(scope="module")
def bundled() -> Library:
    folder = bundled_decks_dir()
    if not any(folder.rglob("*.yaml")):
        pytest.fail(f"no bundled decks in {folder}: the decks/ folder is empty")
    return load_library([folder])


def test_every_bundled_file_is_valid(bundled: Library) -> None:
    assert [str(problem) for problem in bundled.problems] == []
    assert bundled.decks, "no bundled deck loaded"
    assert bundled.diagrams, "no bundled diagram loaded"


def test_every_bundled_file_was_checked(bundled: Library) -> None:
    on_disk = {path.resolve() for path in bundled_decks_dir().rglob("*.y*ml")}
    assert {Path(name).resolve() for name in bundled.files} == on_disk


def test_bundled_decks_form_one_tree_with_their_diagrams(bundled: Library) -> None:
    ids = {deck.id for deck in bundled.decks}
    assert all(deck.parent is None or deck.parent in ids for deck in bundled.decks)
    for deck in bundled.decks:
        staged = [card for card in deck.cards if card.stage is not None]
        if staged:
            diagram = bundled.diagram_of(deck)
            assert diagram is not None, deck.id
            assert all(diagram.step(card.stage) is not None for card in staged if card.stage)
