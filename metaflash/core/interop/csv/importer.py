"""Import a CSV or TSV file (Anki's text format, or a plain two-column table) as YAML decks.

Anki's header lines are understood: ``#separator:`` (Comma, Semicolon, Tab, Space, Pipe,
Colon or the character itself), ``#html:``, ``#tags:`` (tags for every row), ``#columns:``,
``#notetype:``, ``#deck:``, and ``#notetype column:``, ``#deck column:``, ``#tags column:``,
``#guid column:`` (1-based). Without headers the separator is guessed (tab for ``.tsv``),
the first column is the front and the second the back.

Columns named ``Front``/``Text``, ``Back``/``Back Extra``, ``Notes``, ``Source``, ``ID`` and
``Type`` (as metaflash's CSV export writes them) are read by name; other columns become
``**Name:** value`` lines of the card's notes. The card type comes from a ``Type`` column,
else from the note type's name (``Cloze`` → cloze, ``… reversed …`` → reverse), else
``{{c1::…}}`` in the first column makes a cloze card; anything else is basic.

Images (``<img src="x.png">``) are looked up beside the CSV file and in a ``media/`` folder
there, and copied into the deck's ``media/`` folder; missing ones are warned about.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.decks.model import CardType, Problem
from metaflash.core.interop.anki.importer import safe_media_name
from metaflash.core.interop.anki.note_mapping import sequence_steps
from metaflash.core.interop.csv.columns import (
    ColumnRole,
    CsvMapping,
    guess_roles,
    looks_like_header,
)
from metaflash.core.interop.csv.table import CsvHeader, CsvRow, read_table
from metaflash.core.interop.html_markdown import parse_html
from metaflash.core.interop.import_builder import plan_import
from metaflash.core.interop.import_result import (
    DEFAULT_LIMITS,
    CancelCheck,
    ImportAborted,
    ImportCancelled,
    ImportFailure,
    ImportLimits,
    ImportProgress,
    ImportResult,
    ProgressCallback,
    fail,
    never_cancelled,
    no_progress,
)
from metaflash.core.interop.import_writer import write_import
from metaflash.core.interop.incoming_notes import IncomingNote

_LOOKS_HTML = re.compile(r"<[a-zA-Z/][^>]*>|&(?:[a-zA-Z]+|#\d+);")
_CLOZE = re.compile(r"\{\{c\d+::")
#: The column name that makes rows_to_notes read a column in a role.
_LABEL_OF_ROLE = {
    ColumnRole.FRONT: "Front",
    ColumnRole.BACK: "Back",
    ColumnRole.NOTES: "Notes",
    ColumnRole.ID: "ID",
    ColumnRole.SOURCE: "Source",
    ColumnRole.TYPE: "Type",
}
_ROLE_BY_LABEL = {
    "front": "first",
    "text": "first",
    "question": "first",
    "prompt": "first",
    "back": "second",
    "back extra": "second",
    "extra": "second",
    "answer": "second",
    "notes": "notes",
    "source": "source",
    "id": "ident",
    "type": "type",
    "image": "image",
}


def _card_type(type_text: str, notetype: str, first: str) -> CardType:
    if type_text.strip().lower() in {kind.value for kind in CardType}:
        return CardType(type_text.strip().lower())
    name = notetype.lower()
    if "cloze" in name:
        return CardType.CLOZE
    if "reverse" in name and "optional" not in name:
        return CardType.REVERSE
    if not name and _CLOZE.search(first):
        return CardType.CLOZE
    return CardType.BASIC


def rows_to_notes(
    rows: Sequence[CsvRow], header: CsvHeader, source: str, is_html: bool
) -> list[IncomingNote]:
    width = len(rows[0].cells)
    special = {name: index for name, index in header.special.items()}
    for name, index in special.items():
        if index >= width:
            raise fail(
                source,
                f"#{name} column:{index + 1} but rows have {width} columns",
                "fix the column number in the header",
                1,
            )
    roles: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    labels = header.columns if len(header.columns) == width else ()
    free = [index for index in range(width) if index not in special.values()]
    for index in free:
        label = labels[index] if labels else ""
        role = _ROLE_BY_LABEL.get(label.strip().lower()) if label else None
        if role and role not in roles:
            roles[role] = index
        elif not labels and "first" not in roles:
            roles["first"] = index
        elif not labels and "second" not in roles:
            roles["second"] = index
        else:
            extras.append((label or f"Column {index + 1}", index))

    notes: list[IncomingNote] = []
    for row in rows:
        cells = row.cells

        def cell(role: str, cells: Sequence[str] = cells) -> str:
            index = roles.get(role)
            return cells[index] if index is not None else ""

        def special_cell(name: str, cells: Sequence[str] = cells) -> str:
            index = special.get(name)
            return cells[index] if index is not None else ""

        first = cell("first")
        card_type = _card_type(cell("type"), special_cell("notetype") or header.notetype, first)
        second, notes_text = cell("second"), cell("notes")
        steps: tuple[str, ...] = ()
        if card_type in (CardType.CLOZE, CardType.SEQUENCE):
            notes_text = "\n\n".join(part for part in (second, notes_text) if part.strip())
            second = ""
        if card_type is CardType.SEQUENCE:
            soup = parse_html(first)
            prompt = soup.find(class_="mf-prompt")
            steps_list = soup.find("ol")
            first = prompt.decode_contents() if prompt is not None else ""
            steps = sequence_steps(str(steps_list)) if steps_list is not None else ()
        deck_text = special_cell("deck") or header.deck
        notes.append(
            IncomingNote(
                file=source,
                line=row.line,
                label=f"row {row.line}",
                guid=special_cell("guid").strip(),
                card_type=card_type,
                first=first,
                second=second,
                steps=steps,
                notes=notes_text,
                extras=tuple(
                    (name, row.cells[index]) for name, index in extras if row.cells[index].strip()
                ),
                source=cell("source"),
                image=cell("image"),
                ident=cell("ident"),
                tags=tuple(dict.fromkeys(header.tags + tuple(special_cell("tags").split()))),
                deck=tuple(part.strip() for part in deck_text.split("::") if part.strip()),
                is_html=is_html,
            )
        )
    return notes


@dataclass(frozen=True, slots=True)
class CsvPreview:
    """The start of a CSV file as the import would read it, and the guessed mapping."""

    separator: str
    rows: tuple[tuple[str, ...], ...]  # the first rows, the header row (if any) included
    total_rows: int  # every non-empty row, the header row included
    names: tuple[str, ...]  # the columns' names: the header row's, Anki's #columns, or none
    mapping: CsvMapping  # the guess (see columns.py)

    @property
    def width(self) -> int:
        return len(self.mapping.roles)

    @property
    def cards(self) -> int:
        """How many cards the mapping would make (rows less the header row)."""
        return self.total_rows - (1 if self.mapping.header_row else 0)


def preview_csv(
    path: Path, *, limits: ImportLimits = DEFAULT_LIMITS, rows: int = 6
) -> CsvPreview | ImportFailure:
    """Read ``path`` as :func:`import_csv` would, writing nothing: its first ``rows`` rows
    and the guessed mapping, for the import dialog to show and let the user change."""
    try:
        header, separator, table = read_table(path, limits, [])
    except ImportAborted as error:
        return ImportFailure((error.problem,))
    width = len(table[0].cells)
    anki_names = header.columns if len(header.columns) == width else ()
    header_row = not anki_names and looks_like_header(table[0].cells)
    names = anki_names or (table[0].cells if header_row else ())
    return CsvPreview(
        separator,
        tuple(row.cells for row in table[:rows]),
        len(table),
        tuple(names),
        CsvMapping(header_row, _guess(header, width, names)),
    )


def _guess(header: CsvHeader, width: int, names: Sequence[str]) -> tuple[ColumnRole, ...]:
    """The roles the file's own words give: Anki's ``#… column:`` headers, then the names."""
    roles = list(guess_roles(width, names))
    for name, role in (("tags", ColumnRole.TAGS), ("deck", ColumnRole.DECK)):
        index = header.special.get(name)
        if index is not None and index < width:
            roles = [ColumnRole.EXTRA if r is role else r for r in roles]
            roles[index] = role
    for name in ("notetype", "guid"):
        index = header.special.get(name)
        if index is not None and index < width:
            roles[index] = ColumnRole.TYPE if name == "notetype" else ColumnRole.ID
    return tuple(roles)


def import_csv(
    path: Path,
    out: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancelled: CancelCheck = never_cancelled,
    limits: ImportLimits = DEFAULT_LIMITS,
    overwrite: bool = False,
    mapping: CsvMapping | None = None,
) -> ImportResult | ImportFailure:
    """Import the CSV/TSV file ``path`` into the deck file ``out`` (sub-decks beside it).

    ``mapping`` says whether the first row names the columns and what each column holds;
    without it, the file's Anki headers or a header row of known names say, else the first
    column is the front and the second the back."""
    warnings: list[Problem] = []
    try:
        return _import(path, out, progress, cancelled, limits, overwrite, warnings, mapping)
    except ImportCancelled:
        return ImportFailure((), cancelled=True)
    except ImportAborted as error:
        return ImportFailure((error.problem, *warnings))


def _same_file(found: Path | None, existing: Path) -> bool:
    try:
        return found is not None and filecmp.cmp(found, existing, shallow=False)
    except OSError:
        return False


def _apply_mapping(
    header: CsvHeader, rows: list[CsvRow], mapping: CsvMapping | None, source: str
) -> list[CsvRow]:
    """Set the header's column names and special columns from ``mapping`` (or the guess);
    the rows left once a header row is taken off."""
    width = len(rows[0].cells)
    if mapping is None:
        if len(header.columns) == width or not looks_like_header(rows[0].cells):
            return rows  # Anki's headers, or by position: as rows_to_notes reads them
        mapping = CsvMapping(True, _guess(header, width, rows[0].cells))
    if len(mapping.roles) != width:
        raise fail(
            source,
            f"the rows have {width} columns but {len(mapping.roles)} column roles were given",
            "give one role per column, e.g. --columns front,back,tags",
            rows[0].line,
        )
    problem = mapping.problem()
    if problem:
        raise fail(source, f"the column mapping cannot be used: {problem}", "", rows[0].line)
    names = rows[0].cells if mapping.header_row else header.columns
    labels: list[str] = []
    # Anki's note type and GUID columns keep their meaning when mapped to type and id
    special = {
        name: index
        for name, role in (("notetype", ColumnRole.TYPE), ("guid", ColumnRole.ID))
        if (index := header.special.get(name, -1)) >= 0
        and index < width
        and mapping.roles[index] is role
    }
    for index, role in enumerate(mapping.roles):
        name = names[index].strip() if index < len(names) and names[index].strip() else ""
        name = name or f"Column {index + 1}"
        if index in special.values():
            labels.append(name)
        elif role in (ColumnRole.TAGS, ColumnRole.DECK):
            special[role.value] = index
        elif role is ColumnRole.IGNORE:
            special[f"ignored {index + 1}"] = index
        elif role is ColumnRole.EXTRA and name.lower() in _ROLE_BY_LABEL:
            name = f"{name} (column {index + 1})"  # a line of the notes, not its named role
        labels.append(name if role is ColumnRole.EXTRA else _LABEL_OF_ROLE.get(role, name))
    header.columns = tuple(labels)
    header.special = special
    body = rows[1:] if mapping.header_row else rows
    if not body:
        raise fail(
            source,
            "the file has only its header row",
            "add one row per card under the column names",
            rows[0].line,
        )
    return body


def _import(
    path: Path,
    out: Path,
    progress: ProgressCallback,
    cancelled: CancelCheck,
    limits: ImportLimits,
    overwrite: bool,
    warnings: list[Problem],
    mapping: CsvMapping | None,
) -> ImportResult:
    source = str(path)
    progress(ImportProgress("reading the file", 0, 0))
    header, _separator, rows = read_table(path, limits, warnings)
    rows = _apply_mapping(header, rows, mapping, source)
    is_html = (
        header.html
        if header.html is not None
        else any(_LOOKS_HTML.search(cell) for row in rows for cell in row.cells)
    )
    notes = rows_to_notes(rows, header, source, is_html)
    if cancelled():
        raise ImportCancelled()
    progress(ImportProgress("converting cards", 0, len(notes)))
    folders = (path.parent, path.parent / "media")

    def find_media(name: str) -> Path | None:
        if not safe_media_name(name):
            return None
        return next((folder / name for folder in folders if (folder / name).is_file()), None)

    plan = plan_import(
        notes,
        out,
        top_title=header.deck or path.stem,
        media_exists=lambda name: find_media(name) is not None,
        cancelled=cancelled,
        progress=progress,
        same_media=lambda name, existing: _same_file(find_media(name), existing),
    )

    def copy(name: str, target: Path) -> None:
        found = find_media(name)
        if found is None:  # removed while importing
            raise fail(source, f"media file {name!r} disappeared during the import")
        shutil.copyfile(found, target)

    progress(ImportProgress("writing decks", 0, len(plan.decks)))
    decks, media = write_import(
        plan,
        copy,
        comments=(f"Imported by metaflash from {path.name}.",),
        cancelled=cancelled,
        overwrite=overwrite,
    )
    progress(ImportProgress("done", plan.cards, plan.cards))
    return ImportResult(decks, media, plan.cards, tuple(warnings) + plan.warnings)
