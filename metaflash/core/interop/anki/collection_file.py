"""Read the notes of an Anki collection file (the SQLite ``collection.anki2``/``.anki21``).

The file comes from an untrusted package, so it is opened read-only and immutable from the
private temporary copy the importer extracted, with ``trusted_schema`` off, and only the
plain ``SELECT`` statements below run against it: the tables must be real tables (not
views), and nothing stored in the file is ever executed. The note types and decks come from
the JSON in the ``col`` table (the "legacy" schema 11 that Anki writes when exporting with
"Support older Anki versions").
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from metaflash.core.interop.import_result import CancelCheck, ImportAborted, ImportCancelled, fail

LEGACY_HINT = (
    "in Anki, use File > Export, choose 'Anki Deck Package', tick "
    "'Support older Anki versions', and import that file"
)


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    is_cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


@dataclass(frozen=True, slots=True)
class AnkiNoteRecord:
    """One note as stored: HTML fields in the note type's order."""

    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    deck: str  # the full deck name of the note's first card ("A::B"), or "" without cards


@dataclass(frozen=True, slots=True)
class AnkiCollection:
    notetypes: dict[int, NoteType]
    notes: tuple[AnkiNoteRecord, ...]


def _connect(path: Path, cancelled: CancelCheck) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    connection.text_factory = lambda data: data.decode("utf-8", errors="replace")
    connection.set_progress_handler(lambda: 1 if cancelled() else 0, 20_000)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


def _damaged(source: str, detail: str) -> ImportAborted:
    return fail(
        source,
        f"the collection in the package is damaged or not an Anki collection ({detail})",
        "export the deck again from Anki; " + LEGACY_HINT,
    )


def _text(value: object, what: str, source: str) -> str:
    if not isinstance(value, str):
        raise _damaged(source, f"{what} is not text")
    return value


def _parse_notetypes(raw: str, source: str) -> dict[int, NoteType]:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise _damaged(source, "the note types are not valid JSON") from None
    if not isinstance(data, dict):
        raise _damaged(source, "the note types are not a JSON object")
    result: dict[int, NoteType] = {}
    for key, item in data.items():
        if not isinstance(item, dict):
            raise _damaged(source, f"note type {key} is not an object")
        fields = item.get("flds")
        templates = item.get("tmpls")
        if not isinstance(fields, list) or not isinstance(templates, list):
            raise _damaged(source, f"note type {key} has no fields or templates")
        ordered_fields = sorted(
            (field for field in fields if isinstance(field, dict)),
            key=lambda field: field.get("ord", 0) if isinstance(field.get("ord", 0), int) else 0,
        )
        try:
            notetype_id = int(item.get("id") or key)
        except (TypeError, ValueError):
            raise _damaged(source, f"note type {key} has no id") from None
        result[notetype_id] = NoteType(
            id=notetype_id,
            name=_text(item.get("name", ""), "a note type name", source),
            is_cloze=item.get("type") == 1,
            fields=tuple(
                _text(field.get("name", ""), "a field name", source) for field in ordered_fields
            ),
            templates=tuple(
                Template(
                    _text(template.get("name", ""), "a template name", source),
                    _text(template.get("qfmt", ""), "a template", source),
                    _text(template.get("afmt", ""), "a template", source),
                )
                for template in templates
                if isinstance(template, dict)
            ),
        )
    return result


def _parse_decks(raw: str, source: str) -> dict[int, str]:
    try:
        data = json.loads(raw) if raw else {}
    except (json.JSONDecodeError, RecursionError):
        raise _damaged(source, "the decks are not valid JSON") from None
    if not isinstance(data, dict):
        raise _damaged(source, "the decks are not a JSON object")
    decks: dict[int, str] = {}
    for key, item in data.items():
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            try:
                decks[int(item.get("id") or key)] = item["name"]
            except (TypeError, ValueError):
                continue
    return decks


def read_collection(
    path: Path,
    source: str,
    cancelled: CancelCheck,
    progress: Callable[[int, int], None],
) -> AnkiCollection:
    """The note types and notes of the collection at ``path`` (``source`` names it in errors)."""
    try:
        connection = _connect(path, cancelled)
    except sqlite3.Error as error:
        raise _damaged(source, str(error)) from None
    try:
        return _read(connection, source, cancelled, progress)
    except sqlite3.OperationalError as error:
        if cancelled():
            raise ImportCancelled() from None
        raise _damaged(source, str(error)) from None
    except sqlite3.Error as error:
        raise _damaged(source, str(error)) from None
    except (TypeError, ValueError) as error:
        raise _damaged(source, f"unexpected data: {error}") from None
    finally:
        connection.close()


def _read(
    connection: sqlite3.Connection,
    source: str,
    cancelled: CancelCheck,
    progress: Callable[[int, int], None],
) -> AnkiCollection:
    kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
    for table in ("col", "notes", "cards"):
        if kinds.get(table) != "table":
            raise _damaged(source, f"no {table!r} table")
    row = connection.execute("SELECT ver, models, decks FROM col LIMIT 1").fetchone()
    if row is None:
        raise _damaged(source, "the 'col' table is empty")
    version, models, decks_json = row
    if not models and kinds.get("notetypes") == "table":
        raise fail(
            source, f"the collection uses Anki's newer format (schema {version})", LEGACY_HINT
        )
    notetypes = _parse_notetypes(_text(models, "the note types", source), source)
    deck_names = _parse_decks(decks_json if isinstance(decks_json, str) else "", source)

    first_deck: dict[int, tuple[int, int]] = {}
    for note_id, deck_id, ordinal in connection.execute("SELECT nid, did, ord FROM cards"):
        current = first_deck.get(note_id)
        if isinstance(ordinal, int) and (current is None or ordinal < current[0]):
            first_deck[note_id] = (ordinal, deck_id)

    (total,) = connection.execute("SELECT count(*) FROM notes").fetchone()
    notes: list[AnkiNoteRecord] = []
    cursor = connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
    for note_id, guid, notetype_id, tags, fields in cursor:
        if cancelled():
            raise ImportCancelled()
        deck = first_deck.get(note_id)
        notes.append(
            AnkiNoteRecord(
                id=int(note_id),
                guid=str(guid),
                notetype_id=int(notetype_id),
                tags=tuple(str(tags or "").split()),
                fields=tuple(str(fields or "").split("\x1f")),
                deck=deck_names.get(deck[1], "") if deck else "",
            )
        )
        if len(notes) % 500 == 0:
            progress(len(notes), int(total))
    progress(len(notes), int(total))
    return AnkiCollection(notetypes, tuple(notes))
