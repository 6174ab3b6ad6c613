"""A CSV or TSV file read as a table: Anki's ``#`` header lines, the separator, the rows.

Read a line at a time with hard limits (:data:`MAX_LINE_BYTES` a line, :data:`MAX_IMPORT_TEXT`
in all, ``limits.max_members`` rows), so that memory stays bounded whatever the file's size;
every problem names the file and line. :mod:`metaflash.core.interop.csv.importer` turns the
rows into cards.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from metaflash.core.decks.model import Problem
from metaflash.core.decks.yaml_source import MAX_FILE_BYTES
from metaflash.core.interop.import_result import ImportLimits, fail

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_KNOWN_HEADERS = {
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "notetype column",
    "deck column",
    "tags column",
    "guid column",
    "if matches",
    "match scope",
}
#: The most text the rows of one CSV file may hold: a deck file holds at most 16 MiB.
MAX_IMPORT_TEXT = MAX_FILE_BYTES
#: The longest line read (a longer one is not a table of cards).
MAX_LINE_BYTES = 16 * 1024**2
_SAMPLE_CHARS = 64 * 1024  # what the separator is guessed from
_UTF8_HINT = "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'), then import it again"


@dataclass(slots=True)
class CsvHeader:
    separator: str | None = None
    html: bool | None = None
    tags: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    notetype: str = ""
    deck: str = ""
    special: dict[str, int] = field(
        default_factory=dict
    )  # "notetype"/"deck"/"tags"/"guid" → 0-based
    lines: int = 0  # how many header lines


def csv_lines(stream: BinaryIO, source: str, limits: ImportLimits) -> Iterator[str]:
    """The file's lines as text, read a line at a time (``\n`` endings; a BOM dropped).

    Anything but UTF-8 is an error that names the line and column; a line longer than
    :data:`MAX_LINE_BYTES` is refused before it is all in memory, and so is a file that goes
    on past ``limits.max_csv_bytes``.
    """
    number = 0
    read = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        read += len(raw)
        if len(raw) > MAX_LINE_BYTES:
            raise fail(
                source,
                f"line {number} is longer than {MAX_LINE_BYTES // 1024**2} MiB",
                "this is not a table of cards; check that it is the right file",
                number,
            )
        if read > limits.max_csv_bytes:
            raise fail(
                source, f"the file is larger than {limits.max_csv_bytes:,} bytes", "split the file"
            )
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            column = error.start + 1
            raise fail(
                source,
                f"the file is not UTF-8 (byte 0x{raw[error.start]:02x})",
                _UTF8_HINT,
                number,
                column,
            ) from None
        if "\r" in text:  # Windows and old Mac line endings (a Mac file reads as one line)
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            yield from (line + "\n" for line in lines[:-1])
            if lines[-1]:
                yield lines[-1]
        else:
            yield text


def parse_header(lines: Sequence[str], source: str, warnings: list[Problem]) -> CsvHeader:
    header = CsvHeader()
    pending_columns = ""
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        header.lines = number
        key, colon, value = line[1:].partition(":")
        key = key.strip().lower()
        if not colon:
            continue  # a comment
        if key not in _KNOWN_HEADERS:
            warnings.append(
                Problem(source, number, 1, f"unknown header #{key}: ignored", "", "warning")
            )
            continue
        value = value.strip()
        if key == "separator":
            separator = SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
            if separator is None or separator in '"\n':
                raise fail(
                    source,
                    f"unknown separator {value!r}",
                    "use Comma, Semicolon, Tab, Space, Pipe, Colon or one character",
                    number,
                    2,
                )
            header.separator = separator
        elif key == "html":
            header.html = value.lower() in ("true", "yes", "1")
        elif key == "tags":
            header.tags = tuple(value.split())
        elif key == "columns":
            pending_columns = (
                line[len("#columns:") :] if line.lower().startswith("#columns:") else value
            )
        elif key in ("notetype", "deck"):
            setattr(header, key, value)
        elif key.endswith(" column"):
            if not value.isdigit() or int(value) < 1:
                raise fail(
                    source,
                    f"#{key} must be a column number from 1",
                    "for example '#tags column:3'",
                    number,
                    2,
                )
            header.special[key.removesuffix(" column")] = int(value) - 1
    if pending_columns:
        header.columns = tuple(
            next(csv.reader([pending_columns], delimiter=header.separator or ","))
        )
    return header


def _guess_separator(sample: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    first = next((line for line in sample.split("\n") if line.strip()), "")
    try:
        return csv.Sniffer().sniff(sample[:8192], delimiters="\t,;|").delimiter
    except csv.Error:
        return "\t" if "\t" in first else ","


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    cells: tuple[str, ...]


def read_rows(
    body: Iterable[str], header: CsvHeader, separator: str, source: str, limits: ImportLimits
) -> list[CsvRow]:
    """The non-empty rows after the header lines; ragged rows are an error.

    Read as they stream in, and refused as soon as they hold more text than one import may
    (:data:`MAX_IMPORT_TEXT`: a deck file holds at most 16 MiB) or more rows than
    ``limits.max_members``, so memory stays bounded whatever the file's size.
    """
    reader = csv.reader(body, delimiter=separator, strict=True)
    rows: list[CsvRow] = []
    width = 0
    text = 0
    while True:
        start = header.lines + reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise fail(
                source, f"malformed CSV: {error}", "check the quotes on this line", start
            ) from None
        line = start
        if not any(cell.strip() for cell in cells):
            continue
        if not width:
            width = len(cells)
        elif len(cells) != width:
            raise fail(
                source,
                f"row has {len(cells)} columns, the first row has {width}",
                f"give every row the same number of columns (separator {separator!r})",
                line,
            )
        text += sum(len(cell) for cell in cells)
        if text > MAX_IMPORT_TEXT:
            raise fail(
                source,
                f"the rows up to this one hold more than {MAX_IMPORT_TEXT // 1024**2} MiB of "
                "text, more than a deck file may hold",
                "split the file into several smaller ones (for example one per deck) and "
                "import each",
                line,
            )
        rows.append(CsvRow(line, tuple(cells)))
        if len(rows) > limits.max_members:
            raise fail(source, f"more than {limits.max_members} rows", "split the file", line)
    return rows


def _open(path: Path, limits: ImportLimits) -> BinaryIO:
    try:
        size = path.stat().st_size
        if size > limits.max_csv_bytes:
            raise fail(
                path,
                f"the file is {size:,} bytes (at most {limits.max_csv_bytes:,})",
                "split the file",
            )
        return open(path, "rb")
    except FileNotFoundError:
        raise fail(path, "file not found", "check the path") from None
    except IsADirectoryError:
        raise fail(
            path, "is a folder, not a CSV file", "give the path of a .csv or .tsv file"
        ) from None
    except OSError as error:
        raise fail(path, f"cannot read the file: {error.strerror or error}") from None


def _split_header(lines: Iterator[str]) -> tuple[list[str], list[str]]:
    """Anki's '#' header lines, and the first lines of the body (a sample to guess from)."""
    header: list[str] = []
    sample: list[str] = []
    sampled = 0
    for line in lines:
        if not sample and line.startswith("#"):
            header.append(line.rstrip("\n"))
            continue
        sample.append(line)
        sampled += len(line)
        if sampled >= _SAMPLE_CHARS:
            break
    return header, sample


def read_table(
    path: Path, limits: ImportLimits, warnings: list[Problem]
) -> tuple[CsvHeader, str, list[CsvRow]]:
    """The file's Anki header, its separator and its rows (at least one, of 2+ columns);
    a file that cannot be read as such a table raises ImportAborted naming the line."""
    source = str(path)
    with _open(path, limits) as stream:
        lines = csv_lines(stream, source, limits)
        header_lines, sample = _split_header(lines)
        header = parse_header(header_lines, source, warnings)
        header.lines = len(header_lines)
        if not "".join(sample).strip():
            raise fail(
                source,
                "the file has no rows",
                "add one row per card: front, back",
                header.lines + 1,
            )
        separator = header.separator or _guess_separator("".join(sample), path)
        rows = read_rows(itertools.chain(sample, lines), header, separator, source, limits)
    if not rows:
        raise fail(
            source, "the file has no rows", "add one row per card: front, back", header.lines + 1
        )
    if len(rows[0].cells) < 2 and not header.columns:
        raise fail(
            source,
            "rows need at least two columns (front and back)",
            f"separate the columns with {separator!r}, or add a '#separator:' header",
            rows[0].line,
        )
    return header, separator, rows
