"""The library's files, decks left out of it, adding a deck file, and the last good version
of a deck whose file broke."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metaflash.core.decks.model import DeckId
from metaflash.core.library.sources import (
    AddDeckError,
    DeckSources,
    copy_deck_into,
    library_files,
    load_sources,
    watched_folders,
)

GOOD = "format: 1\nid: {id}\ntitle: {title}\ncards:\n  - {{id: a, front: Q, back: A}}\n"
BROKEN = "format: 1\nid: {id}\ntitle: {title}\ncards:\n  - {{id: a, frnt: Q, back: A}}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_library_files_skip_hidden_excluded_and_missing(tmp_path: Path) -> None:
    one = write(tmp_path / "a" / "one.yaml", GOOD.format(id="one", title="One"))
    two = write(tmp_path / "a" / "sub" / "two.yml", GOOD.format(id="two", title="Two"))
    write(tmp_path / "a" / ".hidden.yaml", "x")
    write(tmp_path / "a" / ".git" / "three.yaml", "x")
    write(tmp_path / "a" / "notes.txt", "x")
    sources = DeckSources((tmp_path / "a", tmp_path / "a", tmp_path / "missing"))
    assert library_files(sources) == (one, two)
    assert library_files(sources.without_files([two])) == (one,)
    assert library_files(sources.without_files([two]).including(two)) == (one, two)
    assert watched_folders(sources)[:2] == (tmp_path / "a", tmp_path / "a" / "sub")


def test_an_empty_folder_is_no_problem(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    library = load_sources(DeckSources((tmp_path / "empty",)))
    stale = library.stale
    assert library.decks == () and library.problems == () and stale == ()


def test_a_broken_file_keeps_its_last_good_deck(tmp_path: Path) -> None:
    deck = write(tmp_path / "d" / "deck.yaml", GOOD.format(id="deck", title="Good"))
    write(tmp_path / "d" / "other.yaml", GOOD.format(id="other", title="Other"))
    sources = DeckSources((tmp_path / "d",))
    first = load_sources(sources)
    write(deck, BROKEN.format(id="deck", title="Broken"))
    second = load_sources(sources, first)
    stale = second.stale
    assert stale == (DeckId("deck"),)
    kept = second.deck(DeckId("deck"))
    assert kept is not None and kept.title == "Good"
    assert second.problems[0].severity == "warning" and "last loaded" in second.problems[0].message
    assert any("frnt" in p.message for p in second.problems)
    # fixed again: the new version, no warning
    write(deck, GOOD.format(id="deck", title="Fixed"))
    third = load_sources(sources, second)
    stale = third.stale
    assert stale == () and third.problems == ()
    assert third.deck(DeckId("deck")).title == "Fixed"  # type: ignore[union-attr]


def test_a_deleted_or_renamed_away_file_keeps_nothing(tmp_path: Path) -> None:
    deck = write(tmp_path / "d" / "deck.yaml", GOOD.format(id="deck", title="Good"))
    sources = DeckSources((tmp_path / "d",))
    first = load_sources(sources)
    deck.unlink()
    second = load_sources(sources, first)
    stale = second.stale
    assert second.decks == () and stale == ()


def test_copying_a_deck_brings_its_images_and_diagram(tmp_path: Path) -> None:
    source = tmp_path / "teacher"
    write(source / "img" / "cell.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    deck = write(
        source / "cells.yaml",
        "format: 1\nid: cells\ntitle: Cells\ncards:\n"
        "  - {id: a, front: Q, back: A, image: img/cell.svg}\n",
    )
    target = tmp_path / "mine"
    copied = copy_deck_into(deck, target, ())
    assert copied == target / "cells.yaml"
    assert (target / "img" / "cell.svg").is_file()
    # the same file name again gets a number, never overwrites; the same id is refused
    other = write(tmp_path / "x" / "cells.yaml", GOOD.format(id="other-cells", title="Other"))
    assert copy_deck_into(other, target, ()) == target / "cells-2.yaml"
    library = load_sources(DeckSources((target,)))
    with pytest.raises(AddDeckError, match="already in the library"):
        copy_deck_into(deck, target, library.decks)


def test_copying_refuses_broken_decks_and_files_outside_the_folder(tmp_path: Path) -> None:
    broken = write(tmp_path / "b" / "broken.yaml", BROKEN.format(id="b", title="B"))
    with pytest.raises(AddDeckError, match=r"has errors; fix them first:\n.*broken.yaml:5:"):
        copy_deck_into(broken, tmp_path / "mine", ())
    assert not (tmp_path / "mine").exists()
    write(tmp_path / "shared.diagram.yaml", "kind: diagram\n")
    outside = write(
        tmp_path / "c" / "deck.yaml",
        "format: 1\nid: c\ntitle: C\ndiagram: ../shared.diagram.yaml\ncards: []\n",
    )
    with pytest.raises(AddDeckError):
        copy_deck_into(outside, tmp_path / "mine", ())


def test_bundled_decks_are_copied_whole_and_named_for_leaving_out(tmp_path: Path) -> None:
    from metaflash.core.library.snapshot import load_library
    from metaflash.core.library.sources import AddDeckError, copy_bundled_decks
    from metaflash.core.util.paths import bundled_decks_dir

    installed = tmp_path / "installed"
    shutil.copytree(bundled_decks_dir(), installed)
    mine = tmp_path / "data" / "decks"
    deck = installed / "metastasis" / "stages.yaml"
    copied = copy_bundled_decks(deck, installed, mine)
    assert copied.deck == mine / "metastasis" / "stages.yaml"
    assert copied.deck.read_bytes() == deck.read_bytes()
    names = sorted(path.name for path in copied.replaced)
    assert "metastatic-cascade.diagram.yaml" in names and "overview.yaml" in names
    assert all(path.is_relative_to(installed) for path in copied.replaced)
    assert load_library([mine]).problems == ()  # parents and the diagram came along
    again = copy_bundled_decks(deck, installed, mine)  # never over the first copy
    assert again.deck == mine / "metastasis-2" / "stages.yaml"
    with pytest.raises(AddDeckError, match="not one of the decks that come with metaflash"):
        copy_bundled_decks(copied.deck, installed, mine)
