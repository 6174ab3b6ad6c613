"""Anki note types mapped to metaflash card types.

- ``Basic`` (and ``Basic (type in the answer)``) → ``basic``;
- ``Basic (and reversed card)`` → ``reverse``; ``Basic (optional reversed card)`` →
  ``reverse`` when its "Add Reverse" field is filled, else ``basic``;
- any cloze note type → ``cloze`` (its ``Back Extra``/``Extra`` field becomes the notes);
- the ``metaflash …`` note types → their own types, with notes, source, image and ids;
- Image Occlusion notes are skipped with a warning (metaflash has no such card);
- any other note type → ``basic`` from its first two fields, with a warning; its other
  non-empty fields are kept in the card's notes as ``**Field:** text``.

Note types are recognised by their shape as well as their English names, so a Basic or a
reversed note type that Anki created in another language maps the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from metaflash.core.decks.model import CardType, Problem
from metaflash.core.interop.anki.collection_file import AnkiNoteRecord, NoteType
from metaflash.core.interop.anki.notetypes import MODEL_NAMES
from metaflash.core.interop.html_markdown import parse_html
from metaflash.core.interop.incoming_notes import IncomingNote

_EXTRA_NAMES = ("back extra", "extra")
_CLOZE_WRAPPER = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_OWN = {name: card_type for card_type, name in MODEL_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Mapped:
    notes: tuple[IncomingNote, ...]
    warnings: tuple[Problem, ...]


def _mentions(template: str, field: str) -> bool:
    return re.search(r"\{\{[^}]*\b" + re.escape(field) + r"\}\}", template) is not None


def _kind(notetype: NoteType) -> str:
    """ "own", "cloze", "occlusion", "basic", "reverse", "optional-reverse" or "other"."""
    if notetype.name in _OWN and notetype.fields[:1] and "ID" in notetype.fields:
        return "own"
    if "occlusion" in notetype.name.lower() or notetype.fields[:1] == ("Occlusion",):
        return "occlusion"
    if notetype.is_cloze:
        return "cloze"
    fields, templates = notetype.fields, notetype.templates
    if len(fields) < 2:
        return "other"
    first, second = fields[0], fields[1]
    if notetype.name == "Basic (optional reversed card)" or (
        len(fields) == 3 and len(templates) == 2 and _mentions(templates[1].question, fields[2])
    ):
        return "optional-reverse"
    if (
        len(templates) == 2
        and _mentions(templates[0].question, first)
        and _mentions(templates[1].question, second)
    ):
        return "reverse" if len(fields) == 2 else "other"
    if len(templates) == 1 and len(fields) == 2 and _mentions(templates[0].question, first):
        return "basic"
    return "other"


def sequence_steps(steps_html: str) -> tuple[str, ...]:
    """The steps of a ``metaflash Sequence`` note's ``Steps`` list, cloze markers removed."""
    soup = parse_html(steps_html)
    items = soup.find_all("li")
    return tuple(_CLOZE_WRAPPER.sub(r"\1", item.decode_contents()).strip() for item in items)


def map_notes(
    records: Sequence[AnkiNoteRecord], notetypes: dict[int, NoteType], source: str
) -> Mapped:
    notes: list[IncomingNote] = []
    warnings: list[Problem] = []
    other_counts: dict[int, int] = {}
    skipped: dict[str, int] = {}
    for record in records:
        notetype = notetypes.get(record.notetype_id)
        if notetype is None:
            skipped["a missing note type"] = skipped.get("a missing note type", 0) + 1
            continue
        kind = _kind(notetype)
        if kind == "occlusion":
            skipped[f"image occlusion ({notetype.name})"] = (
                skipped.get(f"image occlusion ({notetype.name})", 0) + 1
            )
            continue
        if kind == "other":
            other_counts[notetype.id] = other_counts.get(notetype.id, 0) + 1
        notes.append(_note(record, notetype, kind, source))
    for notetype_id, count in other_counts.items():
        notetype = notetypes[notetype_id]
        firsts = ", ".join(repr(name) for name in notetype.fields[:2])
        warnings.append(
            Problem(
                source,
                1,
                1,
                f"note type {notetype.name!r} ({count} notes) imported as basic cards from its "
                f"first two fields ({firsts}); its other fields went into the notes",
                "check these cards after the import",
                "warning",
            )
        )
    for reason, count in skipped.items():
        warnings.append(
            Problem(
                source,
                1,
                1,
                f"skipped {count} notes of {reason}",
                "metaflash has no card type for them",
                "warning",
            )
        )
    return Mapped(tuple(notes), tuple(warnings))


def _note(record: AnkiNoteRecord, notetype: NoteType, kind: str, source: str) -> IncomingNote:
    names = notetype.fields
    values = dict(zip(names, record.fields + ("",) * max(0, len(names) - len(record.fields))))

    def field(index: int) -> str:
        return record.fields[index] if index < len(record.fields) else ""

    card_type = CardType.BASIC
    first, second, notes, source_text, image, ident = field(0), field(1), "", "", "", ""
    steps: tuple[str, ...] = ()
    used = {names[0], names[1]} if len(names) > 1 else set(names)
    if kind == "own":
        card_type = _OWN[notetype.name]
        first = values.get(names[0], "")
        second = "" if card_type is CardType.CLOZE else values.get(names[1], "")
        if card_type is CardType.SEQUENCE:
            steps, second = sequence_steps(second), ""
        notes, source_text = values.get("Notes", ""), values.get("Source", "")
        image, ident = values.get("Image", ""), values.get("ID", "")
        used = set(names)
    elif kind == "cloze":
        card_type = CardType.CLOZE
        text_name = "Text" if "Text" in values else names[0]
        first, second = values.get(text_name, ""), ""
        extra_name = next((name for name in names if name.lower() in _EXTRA_NAMES), None)
        notes = values.get(extra_name, "") if extra_name else ""
        used = {text_name, extra_name or text_name}
    elif kind == "reverse":
        card_type = CardType.REVERSE
    elif kind == "optional-reverse":
        reverse_flag = field(2)
        card_type = (
            CardType.REVERSE if parse_html(reverse_flag).get_text().strip() else CardType.BASIC
        )
        used = set(names[:3])
    extras = tuple(
        (name, value)
        for name, value in zip(names, record.fields)
        if name not in used and value.strip()
    )
    return IncomingNote(
        file=source,
        line=1,
        label=f"note {record.id} ({notetype.name})",
        guid=record.guid,
        card_type=card_type,
        first=first,
        second=second,
        steps=steps,
        notes=notes,
        extras=extras,
        source=source_text,
        image=image,
        ident=ident,
        tags=record.tags,
        deck=tuple(part for part in record.deck.split("::") if part) if record.deck else (),
    )
