"""Export decks to an Anki package (``.apkg``) that Anki imports, one note per card.

genanki writes the collection; this module names everything stably (see
:mod:`metaflash.core.interop.anki.notetypes`), adds the media and writes the package atomically.
The time is passed in: it becomes the notes' modification time, which Anki compares when
it decides whether a re-imported note is newer than the one it has.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from metaflash.core.decks.model import Deck, Problem
from metaflash.core.interop.anki.notes import AnkiNote, ExportPlan, build_plan
from metaflash.core.interop.anki.notetypes import MAIN_FIELDS, NoteTypes
from metaflash.core.util.atomic_file import replace_atomically, temporary_sibling


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    decks: int
    notes: int
    anki_cards: int
    media: int
    warnings: tuple[Problem, ...]


def duplicate_deck_problems(decks: Sequence[Deck]) -> tuple[Problem, ...]:
    """Two decks with one id cannot be exported together: their notes would collide."""
    seen: dict[str, Deck] = {}
    problems: list[Problem] = []
    for deck in decks:
        first = seen.setdefault(deck.id, deck)
        if first is not deck:
            where = deck.location
            problems.append(
                Problem(
                    where.file,
                    where.line,
                    where.column,
                    f"deck id {deck.id!r} is also used by {first.location.file}",
                    "give each deck its own id",
                )
            )
    return tuple(problems)


def _fields(note: AnkiNote) -> list[str]:
    main = [note.first] + ([note.second] if MAIN_FIELDS[note.card_type][1] else [])
    return main + [note.notes, note.source, note.image, note.ident]


def _package(plan: ExportPlan) -> genanki.Package:
    types = NoteTypes.create()
    decks = {
        deck.name: genanki.Deck(deck.anki_id, deck.name, description=deck.description)
        for deck in plan.decks
    }
    for note in plan.notes:
        decks[note.deck_name].add_note(
            genanki.Note(
                model=types.models[note.card_type],
                fields=_fields(note),
                guid=note.guid,
                tags=list(note.tags),
                sort_field=note.first,
            )
        )
    return genanki.Package(list(decks.values()))


def _write_collection(package: genanki.Package, database: Path, now: float) -> list[Problem]:
    problems: list[Problem] = []
    connection = sqlite3.connect(database)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            package.write_to_db(connection.cursor(), now, itertools.count(int(now * 1000)))
        connection.commit()
    finally:
        connection.close()
    for warning in caught:
        problems.append(
            Problem(str(database.name), 1, 1, f"genanki: {warning.message}", "", "warning")
        )
    return problems


def export_apkg(
    decks: Sequence[Deck], out: Path, *, now: float
) -> ExportResult | tuple[Problem, ...]:
    """Write ``decks`` to the Anki package ``out``; ``now`` is the export time (Unix seconds)."""
    problems = duplicate_deck_problems(decks)
    if problems:
        return problems
    if not out.parent.is_dir():
        return (Problem(str(out), 1, 1, "the output folder does not exist", "create it first"),)
    plan = build_plan(decks)
    package = _package(plan)
    try:
        with tempfile.TemporaryDirectory(prefix="metaflash-export-") as work:
            database = Path(work) / "collection.anki2"
            warned = _write_collection(package, database, now)
            with temporary_sibling(out) as temp:
                with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    archive.write(database, "collection.anki2")
                    media_map = {str(index): item.name for index, item in enumerate(plan.media)}
                    archive.writestr("media", json.dumps(media_map, ensure_ascii=False))
                    for index, item in enumerate(plan.media):
                        archive.write(item.path, str(index), compress_type=zipfile.ZIP_STORED)
                replace_atomically(temp, out)
    except OSError as error:
        return (
            Problem(
                str(out),
                1,
                1,
                f"cannot write the package: {error.strerror or error}",
                "check the folder exists and is writable",
            ),
        )
    return ExportResult(
        path=out,
        decks=len(plan.decks),
        notes=len(plan.notes),
        anki_cards=sum(note.anki_cards for note in plan.notes),
        media=len(plan.media),
        warnings=plan.warnings + tuple(warned),
    )
