"""Export decks as a CSV file that Anki's text importer reads, one row per card.

The file starts with Anki's header lines, so that Anki (2.1.55 and later) needs no choices::

    #separator:Comma
    #html:true
    #notetype column:1
    #deck column:2
    #guid column:3
    #tags column:10
    #columns:Notetype,Deck,GUID,Front,Back,Notes,Source,ID,Type,Tags

- ``Notetype`` names Anki's stock note types, which every Anki profile has: ``Basic``,
  ``Basic (and reversed card)`` and ``Cloze`` (sequences are cloze notes, see
  :mod:`metaflash.core.interop.anki.notetypes`). ``Front``/``Back`` fill their two fields; for cloze
  rows ``Back`` is the "Back Extra" field and holds the card's notes.
- ``GUID`` is the same stable GUID as in the ``.apkg`` export: importing the CSV again, or the
  package, updates the same notes in Anki.
- ``Notes``, ``Source``, ``ID`` (``deck-id/card-id``) and ``Type`` (the metaflash card type)
  are for metaflash and spreadsheets; Anki's stock note types have no fields for them and
  leave them out. ``metaflash import`` reads them back, so a CSV round trip keeps ids.
- Diagram cards are ``Basic`` rows (the question; the step's label and summary) whose
  ``Type`` says ``diagram``; imported again they become basic cards (a CSV file carries no
  diagram), with a warning.
- Fields are HTML (``#html:true``); ``Tags`` are space-separated Anki tags.
- Rows come deck by deck, parent decks first (Anki creates a parent deck once, then its
  sub-decks). A CSV file cannot carry images: the export warns when cards use some.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.decks.model import CardType, Deck, Problem
from metaflash.core.interop.anki.export import duplicate_deck_problems
from metaflash.core.interop.anki.notes import AnkiNote, build_plan
from metaflash.core.util.atomic_file import write_text_atomically

COLUMNS = ("Notetype", "Deck", "GUID", "Front", "Back", "Notes", "Source", "ID", "Type", "Tags")
STOCK_NOTETYPES: dict[CardType, str] = {
    CardType.BASIC: "Basic",
    CardType.REVERSE: "Basic (and reversed card)",
    CardType.CLOZE: "Cloze",
    CardType.SEQUENCE: "Cloze",
}


@dataclass(frozen=True, slots=True)
class CsvExportResult:
    path: Path
    rows: int
    warnings: tuple[Problem, ...]


def _header() -> list[str]:
    position = {name: index + 1 for index, name in enumerate(COLUMNS)}
    return [
        "#separator:Comma",
        "#html:true",
        f"#notetype column:{position['Notetype']}",
        f"#deck column:{position['Deck']}",
        f"#guid column:{position['GUID']}",
        f"#tags column:{position['Tags']}",
        "#columns:" + ",".join(COLUMNS),
    ]


def _row(note: AnkiNote) -> list[str]:
    if note.card_type is CardType.SEQUENCE:
        front = f'<div class="mf-prompt">{note.first}</div>{note.second}'
    else:
        front = note.first
    if note.card_type in (CardType.CLOZE, CardType.SEQUENCE):
        back, notes = note.notes, ""
    else:
        back, notes = note.second, note.notes
    return [
        STOCK_NOTETYPES[note.card_type],
        note.deck_name,
        note.guid,
        front,
        back,
        notes,
        note.source,
        note.ident,
        note.card_kind.value,
        " ".join(note.tags),
    ]


def decks_to_csv(decks: Sequence[Deck]) -> tuple[str, int, tuple[Problem, ...]]:
    """The CSV text of ``decks``, its row count and any warnings."""
    plan = build_plan(decks)
    order = {deck.name: index for index, deck in enumerate(plan.decks)}
    notes = sorted(plan.notes, key=lambda note: order[note.deck_name])
    buffer = io.StringIO()
    buffer.write("\n".join(_header()) + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    for note in notes:
        writer.writerow(_row(note))
    warnings = list(plan.warnings)
    if plan.media:
        names = ", ".join(item.name for item in plan.media[:5])
        more = f" and {len(plan.media) - 5} more" if len(plan.media) > 5 else ""
        warnings.append(
            Problem(
                str(decks[0].path or decks[0].id),
                1,
                1,
                f"a CSV file cannot carry images ({names}{more}); Anki will show them as missing",
                "export to .apkg to include images",
                "warning",
            )
        )
    return buffer.getvalue(), len(notes), tuple(warnings)


def export_csv(decks: Sequence[Deck], out: Path) -> CsvExportResult | tuple[Problem, ...]:
    """Write ``decks`` to the CSV file ``out`` atomically."""
    problems = duplicate_deck_problems(decks)
    if problems:
        return problems
    if not out.parent.is_dir():
        return (Problem(str(out), 1, 1, "the output folder does not exist", "create it first"),)
    text, rows, warnings = decks_to_csv(decks)
    try:
        write_text_atomically(out, text)
    except OSError as error:
        return (
            Problem(
                str(out),
                1,
                1,
                f"cannot write the CSV file: {error.strerror or error}",
                "check the folder is writable",
            ),
        )
    return CsvExportResult(out, rows, warnings)
