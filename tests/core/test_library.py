"""load_library: decks and diagrams from real files and folders, and the cross-file checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from metaflash.core.decks.model import Deck, DeckId, Diagram, Problem
from metaflash.core.decks.yaml_source import MAX_FILE_BYTES
from metaflash.core.library.snapshot import (
    Library,
    load_deck_file,
    load_diagram_file,
    load_folders,
    load_library,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16  # enough to be a file; never decoded here

DIAGRAM = """\
format: 1
kind: diagram
id: cascade
title: Cascade
steps:
  - {id: invasion, label: Invasion, order: 1, position: {x: 10, y: 20}}
  - {id: intravasation, label: Intravasation, order: 2, position: {x: 30, y: 20}}
links:
  - {from: invasion, to: intravasation}
"""


def deck_text(
    deck_id: str = "stages",
    *,
    parent: str | None = None,
    diagram: str | None = None,
    cards: str = "  - {id: one, front: Q, back: A}\n",
) -> str:
    lines = ["format: 1", f"id: {deck_id}", f"title: Deck {deck_id}"]
    if parent:
        lines.append(f"parent: {parent}")
    if diagram:
        lines.append(f"diagram: {diagram}")
    return "\n".join(lines) + "\ncards:\n" + cards


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(library: Library) -> list[str]:
    return [problem.message for problem in library.problems]


def only_problem(library: Library) -> Problem:
    assert len(library.problems) == 1, [str(p) for p in library.problems]
    return library.problems[0]


# --- finding files ------------------------------------------------------------------------


def test_folders_are_searched_recursively_for_yaml_files(tmp_path: Path) -> None:
    write(tmp_path / "top.yaml", deck_text("top"))
    write(tmp_path / "sub" / "deeper" / "child.yml", deck_text("child", parent="top"))
    write(tmp_path / "sub" / "notes.txt", "not a deck")
    write(tmp_path / ".hidden" / "skipped.yaml", "not: [valid")
    write(tmp_path / ".skipped.yaml", "not: [valid")
    library = load_library([tmp_path])
    assert library.problems == ()
    assert sorted(deck.id for deck in library.decks) == ["child", "top"]
    assert library.files == (
        os.path.join(str(tmp_path), "sub", "deeper", "child.yml"),
        os.path.join(str(tmp_path), "top.yaml"),
    )
    assert library.card_count == 2
    assert library.deck(DeckId("child")) is not None and library.deck(DeckId("nope")) is None


def test_file_paths_keep_the_form_they_were_given_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "decks" / "broken.yaml", deck_text("Broken Id"))
    monkeypatch.chdir(tmp_path)
    problem = only_problem(load_library(["decks"]))
    assert problem.file == os.path.join("decks", "broken.yaml")
    assert (problem.line, problem.column) == (2, 5)


def test_the_same_file_given_twice_is_loaded_once(tmp_path: Path) -> None:
    deck = write(tmp_path / "deck.yaml", deck_text())
    library = load_library([deck, tmp_path, str(deck)])
    assert len(library.decks) == 1 and library.problems == ()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        pytest.param(lambda root: root / "missing.yaml", "no such file or folder", id="missing"),
        pytest.param(
            lambda root: (root / "empty").mkdir() or root / "empty",
            "no deck files",
            id="empty-folder",
        ),
        pytest.param(
            lambda root: write(root / "empty.yaml", ""), "the file is empty", id="empty-file"
        ),
        pytest.param(lambda root: write(root / "b.yaml", b"\x00\x01"), "binary data", id="binary"),
    ],
)
def test_paths_that_hold_no_deck_are_problems(tmp_path: Path, make, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    problem = only_problem(load_library([path]))
    assert fragment in problem.message
    assert problem.file == str(path)


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    problem = only_problem(load_library([fifo]))
    assert problem.message == "this is not a regular file"


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing to read anyway
    problem = only_problem(load_library([big]))
    assert "the file is too large" in problem.message
    assert load_library([big]).files == ()


def test_a_file_that_cannot_be_opened_is_a_problem(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # stat fails with "too many levels of symbolic links"
    problem = only_problem(load_library([loop]))
    assert problem.message.startswith("cannot open the file: Too many levels of symbolic links")


def test_load_deck_file_refuses_a_folder(tmp_path: Path) -> None:
    result = load_deck_file(tmp_path)
    assert isinstance(result, tuple)
    assert "no deck files" in result[0].message


def test_load_deck_file_and_load_diagram_file(tmp_path: Path) -> None:
    write(tmp_path / "cascade.diagram.yaml", DIAGRAM)
    deck_path = write(tmp_path / "deck.yaml", deck_text(diagram="cascade.diagram.yaml"))
    deck = load_deck_file(deck_path)
    assert isinstance(deck, Deck) and deck.diagram == tmp_path / "cascade.diagram.yaml"
    diagram = load_diagram_file(tmp_path / "cascade.diagram.yaml")
    assert isinstance(diagram, Diagram) and diagram.id == "cascade"
    not_diagram = load_diagram_file(deck_path)
    assert isinstance(not_diagram, tuple) and "this file is a deck" in not_diagram[0].message
    assert "is a folder" in load_diagram_file(tmp_path)[0].message  # type: ignore[index]


# --- diagrams and stages ------------------------------------------------------------------


def test_stages_are_checked_against_the_decks_diagram(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "cascade.diagram.yaml", DIAGRAM)
    cards = (
        "  - {id: good, front: Q, back: A, stage: invasion}\n"
        "  - {id: typo, front: Q, back: A, stage: intravasaton}\n"
    )
    write(
        tmp_path / "decks" / "deck.yaml",
        deck_text(diagram="../shared/cascade.diagram.yaml", cards=cards),
    )
    library = load_library([tmp_path / "decks"])
    problem = only_problem(library)
    assert problem.message == "the stage 'intravasaton' is not a step of the diagram 'cascade'"
    assert problem.hint == "did you mean 'intravasation'?"
    assert (problem.line, problem.column) == (7, 42)
    # the diagram is loaded (and counted) although only the deck's folder was given
    assert len(library.files) == 2 and [d.id for d in library.diagrams] == ["cascade"]
    (deck,) = library.decks
    assert [card.stage for card in deck.cards] == ["invasion", None]  # the broken stage dropped
    assert library.diagram_of(deck) is library.diagrams[0]


def test_a_missing_diagram_is_reported_at_the_diagram_line(tmp_path: Path) -> None:
    write(tmp_path / "cascade.diagram.yaml", DIAGRAM)
    cards = "  - {id: one, front: Q, back: A, stage: invasion}\n"
    write(tmp_path / "deck.yaml", deck_text(diagram="cascad.diagram.yaml", cards=cards))
    library = load_library([tmp_path / "deck.yaml"])
    problem = only_problem(library)
    assert problem.message == "the diagram file 'cascad.diagram.yaml' does not exist"
    assert problem.hint == "did you mean 'cascade.diagram.yaml'?"
    assert (problem.line, problem.column) == (4, 10)
    (deck,) = library.decks
    assert deck.diagram is None and deck.cards[0].stage is None


def test_a_deck_named_as_a_diagram_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "other.yaml", deck_text("other"))
    write(tmp_path / "deck.yaml", deck_text(diagram="other.yaml"))
    library = load_library([tmp_path])
    assert messages(library) == ["'other.yaml' is not a diagram file"]


def test_a_broken_diagram_is_reported_in_its_file_and_at_the_deck(tmp_path: Path) -> None:
    write(tmp_path / "cascade.diagram.yaml", DIAGRAM.replace("label: Invasion, ", ""))
    write(tmp_path / "deck.yaml", deck_text(diagram="cascade.diagram.yaml"))
    library = load_library([tmp_path])
    assert [(Path(p.file).name, p.message) for p in library.problems] == [
        ("cascade.diagram.yaml", "a step is missing the required field 'label'"),
        ("deck.yaml", "the diagram 'cascade.diagram.yaml' has 1 error"),
    ]
    assert library.diagrams == ()


def test_diagram_files_are_recognised_by_kind_and_by_name(tmp_path: Path) -> None:
    write(tmp_path / "by-kind.yaml", DIAGRAM.replace("id: cascade", "id: by-kind"))
    write(tmp_path / "by-name.diagram.yaml", DIAGRAM.replace("kind: diagram\n", ""))
    library = load_library([tmp_path])
    assert [d.id for d in library.diagrams] == ["by-kind"]
    problem = only_problem(library)
    assert problem.file.endswith("by-name.diagram.yaml")
    assert "diagram files declare 'kind: diagram'" in problem.message


def test_duplicate_diagram_ids_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.diagram.yaml", DIAGRAM)
    write(tmp_path / "b.diagram.yaml", DIAGRAM)
    library = load_library([tmp_path])
    assert len(library.problems) == 2 and library.diagrams == ()
    assert "also used by" in library.problems[0].message


# --- images -------------------------------------------------------------------------------


def image_deck(image: str) -> str:
    return deck_text(cards=f"  - {{id: one, front: Q, back: A, image: {image}}}\n")


def test_an_image_inside_the_deck_folder_loads(tmp_path: Path) -> None:
    write(tmp_path / "images" / "vessel.png", PNG)
    write(tmp_path / "deck.yaml", image_deck("images/vessel.png"))
    library = load_library([tmp_path])
    assert library.problems == ()
    assert library.decks[0].cards[0].image == tmp_path / "images" / "vessel.png"


def test_a_missing_image_is_reported_and_dropped(tmp_path: Path) -> None:
    write(tmp_path / "deck.yaml", image_deck("images/vesel.png"))
    library = load_library([tmp_path])
    problem = only_problem(library)
    assert problem.message == "the image 'images/vesel.png' does not exist"
    assert (problem.line, problem.column) == (5, 41)
    assert library.decks[0].cards[0].image is None


def test_a_folder_named_as_an_image_is_reported(tmp_path: Path) -> None:
    (tmp_path / "images" / "x.png").mkdir(parents=True)
    write(tmp_path / "deck.yaml", image_deck("images/x.png"))
    assert messages(load_library([tmp_path])) == ["the image 'images/x.png' is not a file"]


def test_a_symlink_that_leads_outside_the_deck_folder_is_refused(tmp_path: Path) -> None:
    secret = write(tmp_path / "outside" / "secret.png", PNG)
    deck_folder = tmp_path / "deck"
    (deck_folder / "images").mkdir(parents=True)
    (deck_folder / "images" / "innocent.png").symlink_to(secret)
    write(deck_folder / "deck.yaml", image_deck("images/innocent.png"))
    library = load_library([deck_folder])
    problem = only_problem(library)
    assert "leads outside the deck's folder" in problem.message
    assert library.decks[0].cards[0].image is None


def test_a_symlinked_folder_inside_the_deck_folder_is_fine(tmp_path: Path) -> None:
    write(tmp_path / "deck" / "art" / "x.png", PNG)
    (tmp_path / "deck" / "images").symlink_to(tmp_path / "deck" / "art")
    write(tmp_path / "deck" / "deck.yaml", image_deck("images/x.png"))
    assert load_library([tmp_path / "deck"]).problems == ()


# --- parents, cycles and duplicate ids --------------------------------------------------------


def test_parents_may_be_in_any_file_and_folder(tmp_path: Path) -> None:
    write(tmp_path / "a" / "top.yaml", deck_text("top"))
    write(tmp_path / "b" / "c" / "child.yaml", deck_text("child", parent="top"))
    library = load_library([tmp_path / "b", tmp_path / "a"])
    assert library.problems == ()
    assert {deck.id: deck.parent for deck in library.decks} == {"child": "top", "top": None}


def test_a_missing_parent_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path / "top.yaml", deck_text("metastasis"))
    write(tmp_path / "child.yaml", deck_text("child", parent="metastasys"))
    library = load_library([tmp_path])
    problem = only_problem(library)
    assert problem.message == "the parent deck 'metastasys' is not loaded"
    assert problem.hint == "did you mean 'metastasis'?"
    assert (problem.line, problem.column) == (4, 9)
    assert len(library.decks) == 2  # the deck still loads; the window shows it at the top


def test_known_decks_count_as_parents_and_keep_their_ids(tmp_path: Path) -> None:
    bundled = load_library([write(tmp_path / "bundled" / "top.yaml", deck_text("metastasis"))])
    write(tmp_path / "mine" / "child.yaml", deck_text("child", parent="metastasis"))
    assert load_library([tmp_path / "mine"], known_decks=bundled.decks).problems == ()

    write(tmp_path / "mine" / "copy.yaml", deck_text("metastasis"))
    library = load_library([tmp_path / "mine"], known_decks=bundled.decks)
    problem = only_problem(library)
    assert problem.message == (
        f"the deck id 'metastasis' is also used by {tmp_path / 'bundled' / 'top.yaml'}:1:1"
    )
    assert [deck.id for deck in library.decks] == ["child"]
    # the known decks' own files may be loaded too: they do not collide with themselves
    both = load_library([tmp_path / "bundled"], known_decks=bundled.decks)
    assert both.problems == ()


def test_a_cycle_of_parents_is_reported_at_each_member(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", deck_text("a", parent="b"))
    write(tmp_path / "b.yaml", deck_text("b", parent="c"))
    write(tmp_path / "c.yaml", deck_text("c", parent="a"))
    write(tmp_path / "d.yaml", deck_text("d", parent="a"))  # hangs off the cycle, not in it
    library = load_library([tmp_path])
    assert [(Path(p.file).name, p.message) for p in library.problems] == [
        ("a.yaml", "the decks' parents form a cycle: a → b → c → a"),
        ("b.yaml", "the decks' parents form a cycle: b → c → a → b"),
        ("c.yaml", "the decks' parents form a cycle: c → a → b → c"),
    ]


def test_duplicate_deck_ids_name_both_files_and_load_neither(tmp_path: Path) -> None:
    write(tmp_path / "one.yaml", deck_text("same"))
    write(tmp_path / "two" / "two.yaml", "# a comment\n" + deck_text("same"))
    write(tmp_path / "other.yaml", deck_text("other"))
    library = load_library([tmp_path])
    one = os.path.join(str(tmp_path), "one.yaml")
    two = os.path.join(str(tmp_path), "two", "two.yaml")
    hint = "(every deck needs its own id: progress is stored by deck id)"
    assert [str(p) for p in library.problems] == [
        f"{one}:2:5: error: the deck id 'same' is also used by {two}:3:5 {hint}",
        f"{two}:3:5: error: the deck id 'same' is also used by {one}:2:5 {hint}",
    ]
    assert [deck.id for deck in library.decks] == ["other"]


def test_a_deck_with_errors_is_not_loaded_but_the_others_are(tmp_path: Path) -> None:
    write(tmp_path / "good.yaml", deck_text("good"))
    write(tmp_path / "bad.yaml", deck_text("bad", cards="  - {id: x, front: Q}\n"))
    decks, problems = load_folders([tmp_path])
    assert [deck.id for deck in decks] == ["good"]
    assert [Path(p.file).name for p in problems] == ["bad.yaml"]


def test_problems_are_sorted_by_file_then_position(tmp_path: Path) -> None:
    write(
        tmp_path / "b.yaml",
        deck_text("b", cards="  - {id: x, front: Q}\n  - {id: Y, front: Q, back: A}\n"),
    )
    write(tmp_path / "a.yaml", deck_text("Bad A"))
    library = load_library([tmp_path])
    keys = [(Path(p.file).name, p.line, p.column) for p in library.problems]
    assert keys == sorted(keys) and len(keys) == 3


def test_a_deck_with_errors_is_still_checked_across_files(tmp_path: Path) -> None:
    cards = (
        "  - {id: one, front: Q, back: A, image: missing.png}\n  - {id: two, fornt: Q, back: A}\n"
    )
    write(tmp_path / "deck.yaml", deck_text("deck", parent="nowhere", cards=cards))
    library = load_library([tmp_path])
    assert messages(library) == [
        "the parent deck 'nowhere' is not loaded",
        "the image 'missing.png' does not exist",
        "unknown field 'fornt' in card 'two' (basic type)",
    ]
    assert library.decks == ()
