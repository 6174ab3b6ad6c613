"""The parsed-files cache: a start with unchanged decks parses nothing again, and nothing it
does can change what loads: a changed file, a damaged or foreign cache, a deleted one."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.library_memo import MEMO_PATH
from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.util.paths import bundled_decks_dir


def same(a: Library, b: Library) -> bool:
    return (a.decks, a.diagrams, a.problems) == (b.decks, b.diagrams, b.problems)


def forget_libraries(where: Path) -> None:
    """Drop the whole-library entries, leaving the parsed files."""
    with sqlite3.connect(where) as db:
        db.execute("DELETE FROM parsed WHERE path = ?", (MEMO_PATH,))


def test_unchanged_files_are_not_parsed_again(metastasis_decks: Path, tmp_path: Path) -> None:
    where = tmp_path / "cache" / "parsed.sqlite3"
    cache = ParsedFileCache(where)
    first = load_library([metastasis_decks], cache=cache)
    assert (cache.hits, cache.misses, cache.served) == (0, 6, 0)
    cache.close()
    forget_libraries(where)
    again = ParsedFileCache(where)  # a new start, without the whole library kept
    second = load_library([metastasis_decks], cache=again)
    assert (again.hits, again.misses, again.served) == (6, 0, 0)
    assert same(first, second) and same(second, load_library([metastasis_decks]))
    assert len(second.decks[0].prompts()) > 0


def test_a_changed_file_is_parsed_even_with_the_same_size_and_time(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "parsed.sqlite3"
    load_library([metastasis_decks], cache=ParsedFileCache(where))
    path = metastasis_decks / "sites.yaml"
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("title: Sites of spread", "title: Sites of sprea_")
    assert len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    cache = ParsedFileCache(where)
    library = load_library([metastasis_decks], cache=cache)
    assert (cache.hits, cache.misses) == (5, 1)
    assert any(deck.title == "Sites of sprea_" for deck in library.decks)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "entry"])
def test_a_damaged_cache_is_only_slower(
    metastasis_decks: Path, tmp_path: Path, damage: str
) -> None:
    where = tmp_path / "parsed.sqlite3"
    writer = ParsedFileCache(where)
    expected = load_library([metastasis_decks], cache=writer)
    writer.close()  # as at the end of a run
    if damage == "garbage":
        where.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        with where.open("r+b") as stream:
            stream.truncate(100)
    else:
        with sqlite3.connect(where) as db:
            db.execute("UPDATE parsed SET payload = x'00ff00'")
    cache = ParsedFileCache(where)
    assert same(load_library([metastasis_decks], cache=cache), expected)
    assert cache.hits == 0
    healed = ParsedFileCache(where)
    assert same(load_library([metastasis_decks], cache=healed), expected)
    assert healed.served == 1  # rebuilt as it went


def test_entries_of_another_program_are_not_used(metastasis_decks: Path, tmp_path: Path) -> None:
    where = tmp_path / "parsed.sqlite3"
    load_library([metastasis_decks], cache=ParsedFileCache(where))
    with sqlite3.connect(where) as db:
        db.execute("UPDATE parsed SET program = 'metaflash 0.0.1'")
    cache = ParsedFileCache(where)
    load_library([metastasis_decks], cache=cache)
    assert (cache.hits, cache.misses, cache.served) == (0, 6, 0)


def test_files_no_longer_loaded_are_forgotten(metastasis_decks: Path, tmp_path: Path) -> None:
    where = tmp_path / "parsed.sqlite3"
    load_library([metastasis_decks], cache=ParsedFileCache(where))
    (metastasis_decks / "biology.yaml").unlink()
    load_library([metastasis_decks], cache=ParsedFileCache(where))
    with sqlite3.connect(where) as db:
        rows = db.execute("SELECT path FROM parsed WHERE path != ?", (MEMO_PATH,))
        paths = {Path(row[0]).name for row in rows}
    assert "biology.yaml" not in paths and len(paths) == 5


def test_a_cache_that_cannot_be_made_is_no_cache(metastasis_decks: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    cache = ParsedFileCache(blocked / "parsed.sqlite3")
    assert same(load_library([metastasis_decks], cache=cache), load_library([metastasis_decks]))


def test_a_program_without_its_sources_still_has_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # a PyInstaller bundle carries bytecode only; the key then rests on its program file
    import metaflash
    from metaflash.core.library import deck_cache

    fake = tmp_path / "pkg"
    fake.mkdir()
    monkeypatch.setattr(metaflash, "__file__", str(fake / "__init__.py"))
    deck_cache.program_key.cache_clear()  # made once per run
    first = deck_cache.program_key()
    monkeypatch.setattr(deck_cache.sys, "frozen", True, raising=False)
    program = tmp_path / "metaflash-program"
    program.write_bytes(b"one")
    monkeypatch.setattr(deck_cache.sys, "executable", str(program))
    deck_cache.program_key.cache_clear()
    second = deck_cache.program_key()
    program.write_bytes(b"two!")
    deck_cache.program_key.cache_clear()
    third = deck_cache.program_key()
    deck_cache.program_key.cache_clear()  # leave the real one to the other tests
    assert first != second != third


def test_decks_survive_pickling_whole() -> None:
    import dataclasses
    import pickle

    from metaflash.core.decks.model import Card, Deck

    library = load_library([bundled_decks_dir()])
    for deck in library.decks:
        deck.prompts()
        again = pickle.loads(pickle.dumps(deck))
        assert again == deck and again.prompts() == deck.prompts()
        assert again.card(deck.cards[0].id) == deck.cards[0]  # the index came along
    # the quicker state methods, not dataclasses' (which call fields() for every object)
    assert Card.__setstate__ is not dataclasses._dataclass_setstate  # type: ignore[attr-defined]
    assert Deck.__getstate__ is not dataclasses._dataclass_getstate  # type: ignore[attr-defined]


def test_deferred_writes_wait_for_the_owner(metastasis_decks: Path, tmp_path: Path) -> None:
    # the window stores what a start parsed once it shows, not before its first card
    where = tmp_path / "parsed.sqlite3"
    owner = ParsedFileCache(where, defer_writes=True)
    first = load_library([metastasis_decks], cache=owner)
    other = ParsedFileCache(where, defer_writes=True)  # a reader that writes nothing
    assert same(load_library([metastasis_decks], cache=other), first)
    assert (other.hits, other.served) == (0, 0)  # nothing was written yet
    owner.flush()
    later = ParsedFileCache(where)
    assert same(load_library([metastasis_decks], cache=later), first) and later.served == 1


def test_a_pending_entry_is_written_before_it_is_looked_up(
    metastasis_decks: Path, tmp_path: Path
) -> None:
    where = tmp_path / "parsed.sqlite3"
    cache = ParsedFileCache(where, defer_writes=True)
    first = load_library([metastasis_decks], cache=cache)
    again = load_library([metastasis_decks], cache=cache)  # a reload in the same run
    assert cache.served == 1 and same(first, again)
    cache.close()
    with sqlite3.connect(where) as db:
        assert (
            db.execute("SELECT count(*) FROM parsed").fetchone()[0] == 8
        )  # 6 files; a library: its facts and itself
