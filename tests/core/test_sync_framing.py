"""Sync files: one checksummed JSON object per line; torn tails wait, damaged lines are skipped."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.sync.framing import frame, read_framed

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**62), max_value=2**62)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5), max_size=8)


@settings(max_examples=200, deadline=None)
@given(RECORDS)
def test_records_read_back_as_written(records: list[dict[str, Any]]) -> None:
    data = b"".join(frame(record) for record in records)
    framed = read_framed(data)
    assert [found.value for found in framed.records] == records
    assert framed.damaged == () and framed.end == len(data) and framed.lines == len(records)


@settings(max_examples=100, deadline=None)
@given(RECORDS.filter(bool), st.data())
def test_a_file_cut_anywhere_gives_its_whole_lines_and_no_damage(
    records: list[dict[str, Any]], data: st.DataObject
) -> None:
    lines = [frame(record) for record in records]
    whole = b"".join(lines)
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    framed = read_framed(whole[:cut])
    complete = 0
    while complete < len(lines) and len(b"".join(lines[: complete + 1])) <= cut:
        complete += 1
    assert [found.value for found in framed.records] == records[:complete]
    assert framed.damaged == ()  # a tail still being written is not damage
    assert framed.end == len(b"".join(lines[:complete]))
    # once the rest arrives, reading on from where the last read stopped gives the rest
    rest = read_framed(whole, framed.end, framed.lines + 1)
    assert [found.value for found in rest.records] == records[complete:]


def _line(body: bytes, crc: str | None = None) -> bytes:
    return body + b"\t" + (crc or f"{zlib.crc32(body):08x}").encode() + b"\n"


GOOD = frame({"a": 1})


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"a":1}\n', "it has no checksum"),
        (_line(b'{"a":1}', "zzzzzzzz"), "its checksum is not a hexadecimal number"),
        (_line(b'{"a":1}', "00000000"), "its checksum does not match"),
        (_line(b'{"a":1}', "1234"), "its checksum does not match"),
        (_line(b'{"a":\xff}'), "it is not UTF-8 text"),
        (_line(b'{"a":'), "it is not JSON"),
        (_line(b"[1, 2]"), "it is not a JSON object"),
        (_line(b'"text"'), "it is not a JSON object"),
    ],
)
def test_a_damaged_line_is_reported_by_number_and_the_rest_is_read(
    line: bytes, reason: str
) -> None:
    data = GOOD + line + GOOD
    framed = read_framed(data)
    assert [found.value for found in framed.records] == [{"a": 1}, {"a": 1}]
    assert [found.line for found in framed.records] == [1, 3]
    (damage,) = framed.damaged
    assert damage.line == 2 and damage.offset == len(GOOD) and reason in damage.reason
    assert framed.end == len(data)


def test_a_line_changed_after_it_was_written_fails_its_checksum() -> None:
    line = frame({"rating": 3})
    changed = line.replace(b"3", b"4", 1)
    framed = read_framed(changed)
    assert framed.records == () and "checksum does not match" in framed.damaged[0].reason


def test_line_endings_converted_by_git_are_accepted() -> None:
    data = frame({"a": 1}).replace(b"\n", b"\r\n") + frame({"b": 2}).replace(b"\n", b"\r\n")
    framed = read_framed(data)
    assert [found.value for found in framed.records] == [{"a": 1}, {"b": 2}]
    assert framed.damaged == () and framed.end == len(data)
    assert framed.records[1].offset == len(frame({"a": 1})) + 1


def test_blank_lines_are_skipped_and_counted() -> None:
    data = b"\n" + GOOD + b"\n\n" + GOOD
    framed = read_framed(data)
    assert [found.line for found in framed.records] == [2, 5]
    assert framed.damaged == () and framed.lines == 5


def test_equal_records_give_equal_lines_whatever_the_key_order() -> None:
    assert frame({"b": 1, "a": [1, "é"]}) == frame({"a": [1, "é"], "b": 1})
    body = frame({"text": "tab\tand\nnewline"}).rpartition(b"\t")[0]
    assert b"\n" not in body and json.loads(body) == {"text": "tab\tand\nnewline"}
