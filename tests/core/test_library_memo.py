"""A whole library load kept between starts: served only while nothing it read has changed,
with its decks' cards decoded only when asked for, and never different from a fresh load."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

import pytest
from test_library import DIAGRAM, PNG

from metaflash.core.decks.lazy_cards import CHUNK
from metaflash.core.decks.model import Deck
from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.library_memo import MEMO_PATH
from metaflash.core.library.snapshot import Library, load_library


def same(a: Library, b: Library) -> bool:
    return (a.decks, a.diagrams, a.problems, a.files, a.fingerprints) == (
        b.decks,
        b.diagrams,
        b.problems,
        b.files,
        b.fingerprints,
    )


def decoded(deck: Deck) -> bool:
    """Whether the deck's cards are decoded (the slot itself, not the lazy attribute)."""
    try:
        Deck.cards.__get__(deck, Deck)  # type: ignore[attr-defined]
    except AttributeError:
        return False
    return True


def start(
    metastasis_decks: Path, cache_file: Path, *paths: Path
) -> tuple[Library, ParsedFileCache]:
    cache = ParsedFileCache(cache_file)
    library = load_library(paths or [metastasis_decks], cache=cache)
    cache.close()
    return library, cache


def test_an_unchanged_library_is_served_whole_with_its_cards_encoded(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    start(metastasis_decks, where)
    served, cache = start(metastasis_decks, where)
    assert (cache.served, cache.hits, cache.misses) == (1, 0, 0)
    fresh = load_library([metastasis_decks])
    assert not any(decoded(deck) for deck in served.decks)
    # what a start asks for needs no decoding of the rest
    assert served.card_count == fresh.card_count
    assert [d.prompt_count() for d in served.decks] == [d.prompt_count() for d in fresh.decks]
    deck, same_deck = served.decks[0], fresh.decks[0]
    last = same_deck.cards[-1]
    assert deck.card(last.id) == last and deck.card(last.id) is deck.card(last.id)
    assert deck.card("no-such-card") is None  # type: ignore[arg-type]
    assert not decoded(deck)
    # and everything else is the fresh load's
    assert same(served, fresh)
    assert all(decoded(d) for d in served.decks)
    assert deck.card(last.id) is deck.cards[-1]  # one object, however it was reached
    assert deck.prompts() == same_deck.prompts()


def test_a_served_deck_pickles_and_compares_like_any_other(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    start(metastasis_decks, where)
    served, _ = start(metastasis_decks, where)
    for deck, fresh in zip(served.decks, load_library([metastasis_decks]).decks, strict=True):
        again = pickle.loads(pickle.dumps(deck))
        assert again == fresh and hash(again) == hash(fresh)


def test_a_changed_added_or_removed_file_is_read_again(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    start(metastasis_decks, where)
    sites = metastasis_decks / "sites.yaml"
    sites.write_text(sites.read_text().replace("title: Sites of spread", "title: Sites!"))
    library, cache = start(metastasis_decks, where)
    assert cache.served == 0 and "Sites!" in [deck.title for deck in library.decks]
    assert start(metastasis_decks, where)[1].served == 1

    extra = "format: 1\nid: extra\ntitle: Extra\ncards:\n  - {id: one, front: Q, back: A}\n"
    (metastasis_decks / "more").mkdir()
    (metastasis_decks / "more" / "extra.yaml").write_text(extra)
    library, cache = start(metastasis_decks, where)
    assert cache.served == 0 and library.deck("extra") is not None  # type: ignore[arg-type]
    (metastasis_decks / "more" / "extra.yaml").unlink()
    library, cache = start(metastasis_decks, where)
    assert cache.served == 0 and library.deck("extra") is None  # type: ignore[arg-type]
    assert same(library, load_library([metastasis_decks]))


def test_a_changed_diagram_is_read_again(tmp_path: Path) -> None:
    # the deck file is given alone: its diagram is read because the deck names it
    (tmp_path / "cascade.diagram.yaml").write_text(DIAGRAM)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "format: 1\nid: own\ntitle: Own\ndiagram: cascade.diagram.yaml\ncards:\n"
        "  - {id: one, front: Q, back: A, stage: intravasation}\n"
    )
    where = tmp_path / "cache.sqlite3"
    assert not start(deck, where)[0].problems
    assert start(deck, where)[1].served == 1
    diagram = tmp_path / "cascade.diagram.yaml"
    diagram.write_text(DIAGRAM.replace("intravasation", "intravasion"))
    library, cache = start(deck, where)
    assert cache.served == 0 and library.problems  # the card names a step now gone


def test_a_missing_image_is_noticed(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "cell.png").write_bytes(PNG)
    (folder / "deck.yaml").write_text(
        "format: 1\nid: own\ntitle: Own\ncards:\n"
        "  - {id: one, front: Q, back: A, image: cell.png}\n"
    )
    where = tmp_path / "cache.sqlite3"
    start(folder, where)
    assert start(folder, where)[1].served == 1
    (folder / "cell.png").unlink()
    library, cache = start(folder, where)
    assert cache.served == 0
    assert ["the image 'cell.png' does not exist"] == [p.message for p in library.problems]


def test_a_load_with_problems_or_other_paths_is_not_served(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    broken = metastasis_decks / "broken.yaml"
    broken.write_text("format: 1\nid: broken\ntitle: Broken\ncards:\n  - {id: one, front: Q}\n")
    first, _ = start(metastasis_decks, where)
    again, cache = start(metastasis_decks, where)
    assert first.problems and cache.served == 0 and same(first, again)
    broken.unlink()
    start(metastasis_decks, where)
    assert start(metastasis_decks, where)[1].served == 1
    assert (
        start(metastasis_decks, where, metastasis_decks / "sites.yaml")[1].served == 0
    )  # asked for other paths
    # which forgot the entries it did not use, as the parsed-files cache does
    assert start(metastasis_decks, where)[1].served == 0
    assert start(metastasis_decks, where)[1].served == 1


def test_a_load_with_problems_in_between_keeps_the_stored_library(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    expected, _ = start(metastasis_decks, where)
    broken = metastasis_decks / "broken.yaml"
    broken.write_text("format: 1\nid: broken\ntitle: Broken\ncards:\n  - {id: one, front: Q}\n")
    assert start(metastasis_decks, where)[0].problems  # not kept, and the stored library stays
    broken.unlink()  # the files are as the stored library found them again
    library, cache = start(metastasis_decks, where)
    assert cache.served == 1 and same(library, expected)


@pytest.mark.parametrize("damage", [b"\x00garbage", pickle.dumps(("not", "facts"))])
def test_a_damaged_entry_is_only_slower(
    metastasis_decks: Path, tmp_path: Path, damage: bytes
) -> None:
    where = tmp_path / "cache.sqlite3"
    expected, _ = start(metastasis_decks, where)
    with sqlite3.connect(where) as db:
        db.execute("UPDATE parsed SET payload = ? WHERE path = ?", (damage, MEMO_PATH))
    library, cache = start(metastasis_decks, where)
    assert cache.served == 0 and same(library, expected)
    assert start(metastasis_decks, where)[1].served == 1  # written again


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE parsed SET payload = x'00' WHERE shown LIKE '%/library'",
        "UPDATE parsed SET digest = x'00' WHERE shown LIKE '%/library'",  # another load's
        "DELETE FROM parsed WHERE shown LIKE '%/library'",
    ],
)
def test_facts_without_their_library_are_only_slower(
    metastasis_decks: Path, tmp_path: Path, damage: str
) -> None:
    where = tmp_path / "cache.sqlite3"
    expected, _ = start(metastasis_decks, where)
    with sqlite3.connect(where) as db:
        assert db.execute(damage).rowcount == 1
    library, cache = start(metastasis_decks, where)
    assert cache.served == 0 and same(library, expected)
    assert start(metastasis_decks, where)[1].served == 1  # written again


def test_changed_files_spare_reading_the_stored_library(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "cache.sqlite3"
    start(metastasis_decks, where)
    with sqlite3.connect(where) as db:
        (stored,) = db.execute(
            "SELECT length(payload) FROM parsed WHERE path = ? AND shown LIKE '%/library'",
            (MEMO_PATH,),
        ).fetchone()
    (metastasis_decks / "biology.yaml").write_text(
        (metastasis_decks / "biology.yaml").read_text() + "\n# edited\n"
    )
    cache = ParsedFileCache(where)
    read: list[int] = []
    looked_up = cache.lookup_payload

    def measured(path: str, shown: str, digest: bytes) -> bytes | None:  # the real lookup
        payload = looked_up(path, shown, digest)
        if path == MEMO_PATH and payload is not None:
            read.append(len(payload))
        return payload

    cache.lookup_payload = measured  # type: ignore[method-assign]
    library = load_library([metastasis_decks], cache=cache)
    cache.close()
    assert cache.served == 0 and library.decks
    assert 0 < sum(read) < stored // 10  # the facts only, not the decks


def test_a_served_deck_is_read_a_little_at_a_time(metastasis_decks: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache.sqlite3"
    start(metastasis_decks, where)
    served, _ = start(metastasis_decks, where)
    fresh = {deck.id: deck for deck in load_library([metastasis_decks]).decks}
    deck = max(served.decks, key=lambda d: d.card_count)
    expected = fresh[deck.id].cards
    view = deck.card_sequence()
    assert len(view) == len(expected) and view[-1] == expected[-1] and view[0] == expected[0]
    assert list(view[1:4]) == list(expected[1:4])
    assert sorted(deck.card_ids()) == sorted(card.id for card in expected)
    assert deck.has_card(expected[3].id) and not deck.has_card("no-such-card")  # type: ignore[arg-type]
    assert not decoded(deck)
    untouched = -(-len(expected) // CHUNK) - 2  # the view read the first chunk and the last
    calls = 1
    while not deck.decode_some(chunks=1):
        assert not decoded(deck)
        calls += 1
    assert calls == untouched
    assert deck.cards == expected and list(view) == list(expected)  # the view still reads
    assert deck.encoded_cards() is None and deck.card_count == len(expected)
    assert deck.prompt_count() == fresh[deck.id].prompt_count()


def test_a_file_met_under_a_second_name_is_followed_there_too(tmp_path: Path) -> None:
    # b.yaml leads to a.yaml, read once; when b.yaml becomes a deck of its own, a.yaml's
    # bytes and the folder's listing are unchanged, but the library is not
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = "format: 1\nid: {0}\ntitle: {0}\ncards:\n  - {{id: one, front: Q, back: A}}\n"
    (folder / "a.yaml").write_text(deck.format("a"))
    os.symlink(folder / "a.yaml", folder / "b.yaml")
    where = tmp_path / "cache.sqlite3"
    assert [d.id for d in start(folder, where)[0].decks] == ["a"]
    assert start(folder, where)[1].served == 1
    (folder / "b.yaml").unlink()
    (folder / "b.yaml").write_text(deck.format("b"))
    library, cache = start(folder, where)
    assert cache.served == 0 and sorted(d.id for d in library.decks) == ["a", "b"]


def test_a_diagram_reached_through_a_link_is_followed_when_the_link_moves(
    tmp_path: Path,
) -> None:
    folder, links = tmp_path / "decks", tmp_path / "links"
    folder.mkdir()
    links.mkdir()
    (folder / "x.diagram.yaml").write_text(DIAGRAM)
    (folder / "w.diagram.yaml").write_text(
        DIAGRAM.replace("id: cascade", "id: other").replace("intravasation", "circulation")
    )
    os.symlink(folder / "x.diagram.yaml", links / "cascade.diagram.yaml")
    (folder / "deck.yaml").write_text(
        "format: 1\nid: own\ntitle: Own\ndiagram: ../links/cascade.diagram.yaml\ncards:\n"
        "  - {id: one, front: Q, back: A, stage: intravasation}\n"
    )
    where = tmp_path / "cache.sqlite3"
    assert not start(folder, where)[0].problems
    assert start(folder, where)[1].served == 1
    (links / "cascade.diagram.yaml").unlink()
    os.symlink(folder / "w.diagram.yaml", links / "cascade.diagram.yaml")
    library, cache = start(folder, where)
    assert cache.served == 0 and library.problems == load_library([folder]).problems
    assert library.problems  # its card names a step the other diagram lacks
