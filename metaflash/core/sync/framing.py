"""How records are framed in a sync file: one JSON object per line, with a checksum.

A line is ``<json> TAB <crc32 of the json, 8 hex digits> LF``. JSON never holds a raw tab or
line feed, so the last tab splits a line cleanly. File-sync tools deliver files in pieces,
late, twice or as old copies, so a reader meets three things besides good records:

* an **incomplete tail** (the bytes after the last line feed): the writer, or the sync tool,
  is not done with it. It is left for a later read, never reported: :attr:`Framed.end` stops
  before it, so the next read starts there.
* a **damaged line** (wrong checksum, not UTF-8, not a JSON object): reported with its line
  number and skipped; the lines after it are still read.
* a carriage return before the line feed (a git checkout that converted line endings) is
  accepted as if it were not there.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

_TAB = b"\t"
_LF = b"\n"


def frame(record: dict[str, Any]) -> bytes:
    """``record`` as one framed line (keys sorted: equal records give equal lines)."""
    body = json.dumps(record, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    data = body.encode("utf-8")
    return data + b"\t" + f"{zlib.crc32(data):08x}".encode("ascii") + _LF


@dataclass(frozen=True, slots=True)
class Damage:
    """A line that is not a record: where it is (1-based line, byte offset) and why."""

    line: int
    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class FramedRecord:
    line: int
    offset: int
    value: dict[str, Any]
    raw: bytes  # the line as written, without its line feed


@dataclass(frozen=True, slots=True)
class Framed:
    """What :func:`read_framed` found: the records, the damaged lines, and where the last
    complete line ends (read again from there once the file has grown)."""

    records: tuple[FramedRecord, ...]
    damaged: tuple[Damage, ...]
    end: int
    lines: int  # complete lines up to ``end``, counted from ``start``


def _check(line: bytes) -> dict[str, Any] | str:
    """The record on ``line``, or why it is not one."""
    body, tab, crc = line.rpartition(_TAB)
    if not tab:
        return "it has no checksum"
    try:
        expected = int(crc, 16)
    except ValueError:
        return "its checksum is not a hexadecimal number"
    if len(crc) != 8 or zlib.crc32(body) != expected:
        return "its checksum does not match (the line was changed or cut)"
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    except (ValueError, RecursionError):
        return "it is not JSON this reader takes (not JSON, or nested too deeply)"
    if not isinstance(value, dict):
        return "it is not a JSON object"
    return value


def read_framed(data: bytes, start: int = 0, first_line: int = 1) -> Framed:
    """The framed lines of ``data`` from byte ``start`` (a line start; ``first_line`` is its
    number). The bytes after the last line feed are an incomplete tail, left unread."""
    records: list[FramedRecord] = []
    damaged: list[Damage] = []
    offset = start
    number = first_line
    end = data.rfind(_LF, start) + 1 if start < len(data) else start
    if end <= start:
        return Framed((), (), start, 0)
    for raw in data[start : end - 1].split(_LF):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if line:
            checked = _check(line)
            if isinstance(checked, str):
                damaged.append(Damage(number, offset, checked))
            else:
                records.append(FramedRecord(number, offset, checked, line))
        offset += len(raw) + 1
        number += 1
    return Framed(tuple(records), tuple(damaged), end, number - first_line)
