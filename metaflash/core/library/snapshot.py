"""Decks and diagrams loaded from files and folders, with the checks that span files.

:func:`load_library` reads every ``*.yaml``/``*.yml`` file under the given paths (files whose
``kind`` is ``diagram``, or whose name ends in ``.diagram.yaml``, are diagrams) and checks
what one file cannot check alone:

- a deck's ``diagram`` exists and is a valid diagram, and every step its cards name (a
  ``stage``, a diagram card's ``answer``, a sequence's ``stages``) is one of its steps (see
  :mod:`metaflash.core.diagrams.references`; diagram cards get their answer's label here);
- every card ``image`` exists and stays inside the deck's folder (symbolic links resolved);
- a deck's ``parent`` is a loaded deck and parents form no cycle;
- no two files use the same deck id (or diagram id).

A deck whose own file has errors is not loaded (what of it is valid is still checked across
files, so that every problem shows at once). A deck with a broken cross-file reference is
loaded with that reference dropped (no image, no stage, no diagram; a diagram card that
cannot be answered is left out), and the problem is reported; decks that share an id are not
loaded, since their progress would collide.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from metaflash.core.decks.loader import DeckReferences, read_deck
from metaflash.core.decks.model import Card, Deck, DeckId, Diagram, Location, Problem
from metaflash.core.decks.tree import DeckTree
from metaflash.core.decks.yaml_fields import suggest
from metaflash.core.diagrams.references import (
    check_against_diagram,
    left_out_hint,
    without_diagram,
)
from metaflash.core.library import library_memo
from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.file_reading import (
    DIAGRAM_SUFFIXES,
    LoadedFile,
    fingerprint,
    read_file,
)
from metaflash.core.library.library_memo import MEMO_PATH, LoadFacts, library_entry, memo_key
from metaflash.core.util.gc_pause import collector_paused


@dataclass(frozen=True, slots=True)
class Library:
    """One immutable snapshot of what a set of files and folders holds: the usable decks and
    diagrams, and every problem. The window, the command line and the editor share it.

    ``files`` are the files read and checked, named as in problems (paths as the caller gave
    them, joined to the folders searched). ``folders`` are the folders the window searched;
    ``stale`` the decks whose file broke, shown as they were last loaded."""

    decks: tuple[Deck, ...]
    diagrams: tuple[Diagram, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...] = ()
    folders: tuple[Path, ...] = ()
    stale: tuple[DeckId, ...] = ()
    #: each deck loaded from its file now: a hash of what made it (its file's bytes, its
    #: diagram file's, the program); reconciling skips a deck whose fingerprint it has seen
    fingerprints: Mapping[DeckId, str] = dataclasses.field(default_factory=dict, compare=False)
    _by_id: dict[DeckId, Deck] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _trees: list[DeckTree] = dataclasses.field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for deck in self.decks:
            self._by_id.setdefault(deck.id, deck)

    @property
    def card_count(self) -> int:
        return sum(deck.card_count for deck in self.decks)

    @property
    def error_count(self) -> int:
        return sum(problem.severity == "error" for problem in self.problems)

    @property
    def warning_count(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)

    @property
    def tree(self) -> DeckTree:
        """The decks nested by parent (built on first use, once per snapshot)."""
        if not self._trees:
            self._trees.append(DeckTree(self.decks))
        return self._trees[0]

    def deck(self, deck_id: DeckId) -> Deck | None:
        return self._by_id.get(deck_id)

    def diagram_of(self, deck: Deck) -> Diagram | None:
        """The diagram ``deck`` uses, when it loaded."""
        if deck.diagram is None:
            return None
        found = next((d for d in self.diagrams if d.path == deck.diagram), None)
        if found is None:
            real = os.path.realpath(deck.diagram)
            found = next(
                (d for d in self.diagrams if d.path and os.path.realpath(d.path) == real), None
            )
        return found

    def with_problems(self, more: Sequence[Problem]) -> Library:
        """The same snapshot with ``more`` problems listed after its own."""
        if not more:
            return self
        return dataclasses.replace(self, problems=(*self.problems, *more))


def load_library(
    paths: Iterable[str | PathLike[str]],
    *,
    known_decks: Iterable[Deck] = (),
    folders: Sequence[Path] = (),
    cache: ParsedFileCache | None = None,
) -> Library:
    """Load every deck and diagram in ``paths`` (files, or folders searched recursively).

    ``known_decks`` are decks loaded elsewhere (the bundled ones, for ``metaflash validate``):
    a ``parent`` may name them, and a deck in another file may not reuse their ids.
    ``folders`` are recorded in the snapshot as the folders searched (the window's).
    ``cache``: files whose bytes are unchanged since a previous load are not parsed again
    (the result is the same); it forgets the files this load did not meet."""
    given = [os.fspath(path) for path in paths]
    known, searched = tuple(known_decks), tuple(folders)
    key = memo_key(given, known, searched) if cache is not None else ""
    with collector_paused(promote=True):
        if cache is not None:
            kept = _kept_library(cache, key)
            if kept is not None:
                return kept
        loader = _Loader(cache)
        for path in given:
            loader.add_path(path)
        library = loader.finish(known, searched)
    if cache is not None:
        cache.finish_load()
        if loader.facts.usable and not library.problems:
            cache.store(MEMO_PATH, key, b"", loader.facts)
            cache.store(MEMO_PATH, library_entry(key), loader.facts.token, library)
        if not cache.defer_writes:
            cache.flush()
    return library


def _kept_library(cache: ParsedFileCache, key: str) -> Library | None:
    """The library a previous load with ``key`` made, when nothing it read has changed."""
    facts = library_memo.load_facts(cache.lookup_payload(MEMO_PATH, key, b""))
    cache.keep(MEMO_PATH, library_entry(key))  # the two stay, or go, together
    if facts is None or not facts.still_true():
        return None
    payload = cache.lookup_payload(MEMO_PATH, library_entry(key), facts.token)
    library = library_memo.load_value(payload)
    if not isinstance(library, Library):
        return None
    cache.served += 1
    return library


def load_folders(
    folders: Sequence[str | PathLike[str]],
) -> tuple[tuple[Deck, ...], tuple[Problem, ...]]:
    """The usable decks in ``folders`` and every problem found (for the window)."""
    library = load_library(folders)
    return library.decks, library.problems


def load_deck_file(path: str | PathLike[str]) -> Deck | tuple[Problem, ...]:
    """The deck in one file, checked against its diagram and images; or its problems."""
    library = load_library([path])
    if library.problems:
        return library.problems
    if len(library.decks) != 1:
        shown = os.fspath(path)
        return (Problem(shown, 1, 1, "this file is not a deck", "it holds a diagram"),)
    return library.decks[0]


def load_diagram_file(path: str | PathLike[str]) -> Diagram | tuple[Problem, ...]:
    """The diagram in one file, or its problems."""
    shown = os.fspath(path)
    file = read_file(Path(os.path.abspath(shown)), shown, expect_diagram=True)
    if file.problems:
        return tuple(file.problems)
    if file.diagram is None:
        return (
            Problem(
                shown,
                1,
                1,
                "this file is a deck, not a diagram",
                "diagram files say 'kind: diagram'",
            ),
        )
    return file.diagram


def _problem(where: Location, message: str, hint: str = "") -> Problem:
    return Problem(where.file, where.line, where.column, message, hint)


class _Loader:
    def __init__(self, cache: ParsedFileCache | None = None) -> None:
        self.cache = cache
        self.files: dict[str, LoadedFile] = {}  # by real path
        self.order: list[str] = []  # shown names, in the order files were met
        self.loose: list[Problem] = []  # problems with paths that are not files
        self.facts = LoadFacts()  # what the load depends on (to serve it again unchanged)

    def _note(self, shown: str) -> None:
        if shown not in self.order:
            self.order.append(shown)

    def add_path(self, given: str) -> None:
        path = Path(os.path.abspath(given))
        found = self.facts.note_given(path)
        if found is not None:
            if not found:
                self._note(given)
                self.loose.append(
                    Problem(
                        given,
                        1,
                        1,
                        "no deck files (*.yaml, *.yml) in this folder",
                        "check the path",
                    )
                )
            for relative in found:
                self.add_file(path / relative, os.path.join(given, relative))
            return
        self.add_file(path, given)

    def add_file(self, path: Path, shown: str) -> LoadedFile:
        real = os.path.realpath(path)
        known = self.files.get(real)
        if known is not None:
            # a second name for a file already read: the load depends on where it leads too
            self.facts.note_file(path, known.digest)
            return known
        file = read_file(path, shown, cache=self.cache)
        self.facts.note_file(path, file.digest)
        self.files[real] = file
        self._note(shown)
        return file

    def finish(self, known_decks: tuple[Deck, ...], folders: tuple[Path, ...] = ()) -> Library:
        decks = [file for file in list(self.files.values()) if file.deck is not None]
        for file in decks:
            self._check_diagram(file)
            self._check_images(file)
        excluded = self._check_duplicate_ids(decks, known_decks)
        self._check_parents(decks, frozenset(deck.id for deck in known_decks))
        diagrams = [file for file in self.files.values() if file.diagram is not None]
        excluded |= self._check_duplicate_diagrams(diagrams)

        rank = {shown: index for index, shown in enumerate(self.order)}
        problems = self.loose + [p for file in self.files.values() for p in file.problems]
        problems.sort(key=lambda p: (rank.get(p.file, len(rank)), p.line, p.column))
        kept = [
            f for f in decks if f.deck is not None and not f.own_errors and id(f) not in excluded
        ]
        fingerprints = {f.deck.id: fingerprint(f) for f in kept if f.deck is not None and f.digest}
        return Library(
            tuple(f.deck for f in kept if f.deck is not None),
            tuple(f.diagram for f in diagrams if f.diagram is not None and id(f) not in excluded),
            tuple(problems),
            tuple(file.shown for file in self.files.values() if file.opened),
            folders,
            fingerprints=fingerprints,
        )

    # --- the checks that span files --------------------------------------------------------

    def _check_diagram(self, file: LoadedFile) -> None:
        deck, refs = file.deck, file.references
        assert deck is not None and refs is not None
        if deck.diagram is None or refs.diagram is None:
            return
        where = refs.diagram
        relative = os.path.relpath(deck.diagram, file.path.parent)
        shown = os.path.normpath(os.path.join(os.path.dirname(file.shown), relative))
        if not deck.diagram.exists():
            hint = suggest(relative, _diagram_names(file.path.parent)) or "check the file name"
            message = f"the diagram file '{relative}' does not exist"
            file.made_from.append(b"no diagram")
        else:
            target = self.add_file(deck.diagram, shown)
            file.made_from.append(target.digest or b"unreadable diagram")
            if target.kind != "diagram":
                message = f"'{relative}' is not a diagram file"
                hint = "name a file that says 'kind: diagram'"
            elif target.diagram is None:
                count = len(target.problems)
                message = f"the diagram '{relative}' has {count} error{'s' if count != 1 else ''}"
                hint = f"fix {target.shown} first"
            else:
                file.deck, problems = check_against_diagram(deck, refs, target.diagram)
                file.problems.extend(problems)
                return
        file.deck, left_out = without_diagram(deck)
        file.problems.append(_problem(where, message, left_out_hint(hint, left_out)))

    def _check_images(self, file: LoadedFile) -> None:
        deck, refs = file.deck, file.references
        assert deck is not None and refs is not None
        folder = os.path.realpath(file.path.parent)
        broken: set[int] = set()
        noted = False
        for index, card in enumerate(deck.cards):
            if card.image is None:
                continue
            if not noted:
                self.facts.note_folder(file.path.parent)  # images must stay inside it
                noted = True
            self.facts.note_image(card.image)
            where = refs.images.get(card.id, card.location)
            relative = os.path.relpath(card.image, file.path.parent)
            if not card.image.is_file():
                what = "is not a file" if card.image.exists() else "does not exist"
                file.problems.append(
                    _problem(
                        where,
                        f"the image '{relative}' {what}",
                        "check the path (it is relative to the deck's folder)",
                    )
                )
                broken.add(index)
            elif not os.path.realpath(card.image).startswith(folder + os.sep):
                file.problems.append(
                    _problem(
                        where,
                        f"the image '{relative}' leads outside the deck's folder (through a symbolic link)",
                        "copy the image into the deck's folder",
                    )
                )
                broken.add(index)
        if broken:
            current = file.deck
            assert current is not None
            file.deck = dataclasses.replace(current, cards=_without_images(current.cards, broken))

    def _check_duplicate_ids(self, files: list[LoadedFile], known: tuple[Deck, ...]) -> set[int]:
        by_id: dict[DeckId, list[LoadedFile]] = {}
        for file in files:
            assert file.deck is not None
            by_id.setdefault(file.deck.id, []).append(file)
        elsewhere = {
            deck.id: deck
            for deck in known
            if deck.path is None or os.path.realpath(deck.path) not in self.files
        }
        excluded: set[int] = set()
        for deck_id, group in by_id.items():
            others_known = [str(elsewhere[deck_id].location)] if deck_id in elsewhere else []
            if len(group) + len(others_known) < 2:
                continue
            for file in group:
                assert file.references is not None
                others = [
                    str(other.references.id if other.references else other.shown)
                    for other in group
                    if other is not file
                ]
                file.problems.append(
                    _problem(
                        file.references.id,
                        f"the deck id '{deck_id}' is also used by {', '.join(others + others_known)}",
                        "every deck needs its own id: progress is stored by deck id",
                    )
                )
                excluded.add(id(file))
        return excluded

    def _check_duplicate_diagrams(self, files: list[LoadedFile]) -> set[int]:
        by_id: dict[str, list[LoadedFile]] = {}
        for file in files:
            assert file.diagram is not None
            by_id.setdefault(file.diagram.id, []).append(file)
        excluded: set[int] = set()
        for diagram_id, group in by_id.items():
            if len(group) < 2:
                continue
            for file in group:
                assert file.diagram is not None
                others = ", ".join(other.shown for other in group if other is not file)
                file.problems.append(
                    _problem(
                        file.diagram.location,
                        f"the diagram id '{diagram_id}' is also used by {others}",
                        "give each diagram its own id",
                    )
                )
                excluded.add(id(file))
        return excluded

    def _check_parents(self, files: list[LoadedFile], known: frozenset[DeckId]) -> None:
        parents: dict[DeckId, DeckId | None] = {}
        for file in files:
            assert file.deck is not None
            parents.setdefault(file.deck.id, file.deck.parent)
        ids = set(parents) | known
        for file in files:
            deck, refs = file.deck, file.references
            assert deck is not None and refs is not None
            if deck.parent is None:
                continue
            where = refs.parent or deck.location
            if deck.parent not in ids:
                hint = (
                    suggest(deck.parent, ids - {deck.id})
                    or "load the folder that holds the parent deck too"
                )
                file.problems.append(
                    _problem(where, f"the parent deck '{deck.parent}' is not loaded", hint)
                )
                continue
            cycle = _cycle_from(deck.id, parents)
            if cycle:
                shown = " → ".join([*cycle, cycle[0]])
                file.problems.append(
                    _problem(
                        where,
                        f"the decks' parents form a cycle: {shown}",
                        "one of these decks must be at the top, without a parent",
                    )
                )


def _cycle_from(start: DeckId, parents: dict[DeckId, DeckId | None]) -> list[DeckId]:
    """The cycle of parents through ``start``, starting at it; empty when there is none."""
    chain = [start]
    current = parents.get(start)
    while current is not None and current in parents:
        if current == start:
            return chain
        if current in chain:
            return []  # a cycle further up, which does not include ``start``
        chain.append(current)
        current = parents.get(current)
    return []


def _without_images(cards: tuple[Card, ...], which: set[int]) -> tuple[Card, ...]:
    """``cards`` with the image cleared on the cards at ``which``."""
    return tuple(
        dataclasses.replace(card, image=None) if index in which else card
        for index, card in enumerate(cards)
    )


def _diagram_names(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir() if p.name.endswith(DIAGRAM_SUFFIXES)]
    except OSError:
        return []


# --- checking a deck's text before it is written (the editor) ---------------------------


@dataclass(frozen=True, slots=True)
class TextCheck:
    """What checking a deck's text found: ``deck`` is ``None`` when the text has errors of
    its own; ``diagram`` is the deck's diagram when it loaded."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    diagram: Diagram | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")


def check_deck_text(
    text: str,
    path: Path,
    others: Sequence[Deck] = (),
    known_ids: Iterable[DeckId] = (),
) -> TextCheck:
    """Check ``text`` as the deck file ``path`` would hold it. ``others`` are the other loaded
    decks (a parent must be one of them, or in ``known_ids``; none may share its id)."""
    shown = str(path)
    reading = read_deck(text, path, name=shown)
    if reading.partial is None:
        return TextCheck(None, reading.problems)
    loader = _Loader()
    real = os.path.realpath(path)
    file = LoadedFile(
        path,
        shown,
        deck=reading.partial,
        references=reading.references,
        own_errors=bool(reading.problems),
        opened=True,
        problems=list(reading.problems),
    )
    loader.files[real] = file
    loader._check_diagram(file)
    loader._check_images(file)
    neighbours = tuple(
        other for other in others if other.path is None or os.path.realpath(other.path) != real
    )
    loader._check_duplicate_ids([file], neighbours)
    parents = [
        LoadedFile(other.path or path, str(other.path), deck=other, references=DeckReferences())
        for other in neighbours
    ]
    loader._check_parents([file, *parents], frozenset(known_ids))
    diagram = next(
        (
            found.diagram
            for found in loader.files.values()
            if found.diagram is not None
            and file.deck is not None
            and file.deck.diagram is not None
            and os.path.realpath(found.path) == os.path.realpath(file.deck.diagram)
        ),
        None,
    )
    problems = sorted(file.problems, key=lambda problem: (problem.line, problem.column))
    deck = file.deck if not file.own_errors else None
    return TextCheck(deck, tuple(problems), diagram)
