"""Anki's cloze syntax: ``{{c1::answer}}`` and ``{{c1::answer::hint}}``.

Parsing is pure and never raises: broken syntax comes back as :class:`ClozeError` values
with the offset in the text where the problem starts.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from metaflash.core.util.fast_pickle import fast_pickling_in

_OPEN = "{{"
_CLOSE = "}}"
_HEAD = re.compile(r"c(\d+)::")


@dataclass(frozen=True, slots=True)
class ClozeGap:
    """One deletion: ``number`` is the N of ``cN``; ``start``/``end`` span the whole ``{{...}}``."""

    number: int
    answer: str
    hint: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClozeError:
    offset: int
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class ClozeText:
    text: str
    gaps: tuple[ClozeGap, ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        """The distinct cloze numbers, ascending: one card each."""
        return tuple(sorted({gap.number for gap in self.gaps}))

    def render(self, active: int, *, reveal: bool, marker: str = "cloze") -> str:
        """The text with gap ``active`` hidden (``[...]`` or ``[hint]``) or revealed.

        Other gaps show their answer. The active gap is wrapped in
        ``<span class="{marker}">`` so that a view can highlight it.
        """
        out: list[str] = []
        pos = 0
        for gap in self.gaps:
            out.append(self.text[pos : gap.start])
            if gap.number == active:
                shown = gap.answer if reveal else f"[{gap.hint or '...'}]"
                out.append(f'<span class="{marker}">{shown}</span>')
            else:
                out.append(gap.answer)
            pos = gap.end
        out.append(self.text[pos:])
        return "".join(out)


def parse_cloze(text: str) -> ClozeText | tuple[ClozeError, ...]:
    """Parse cloze deletions; nested deletions are not supported (as in most decks)."""
    gaps: list[ClozeGap] = []
    errors: list[ClozeError] = []
    pos = 0
    while True:
        start = text.find(_OPEN, pos)
        if start < 0:
            break
        close = text.find(_CLOSE, start + 2)
        head = _HEAD.match(text, start + 2)
        if head is None:
            # "{{" that is not a cloze: only an error when it looks like an attempt at one.
            if re.match(r"\s*[cC]\s*\d", text[start + 2 : start + 8]):
                errors.append(
                    ClozeError(
                        start,
                        "malformed cloze deletion",
                        "write it as {{c1::answer}} or {{c1::answer::hint}}",
                    )
                )
            pos = start + 2
            continue
        if close < 0:
            errors.append(ClozeError(start, "cloze deletion is not closed", "end it with '}}'"))
            break
        inner_open = text.find(_OPEN, head.end(), close)
        if inner_open >= 0:
            errors.append(
                ClozeError(
                    inner_open,
                    "nested cloze deletions are not supported",
                    "close the first deletion with '}}' before opening another",
                )
            )
            pos = close + 2
            continue
        number = int(head.group(1))
        body = text[head.end() : close]
        answer, _, hint = body.partition("::")
        if number < 1:
            errors.append(
                ClozeError(
                    start, f"cloze number c{number} must be 1 or more", "number clozes c1, c2, ..."
                )
            )
        elif not answer.strip():
            errors.append(
                ClozeError(
                    start,
                    f"cloze c{number} has an empty answer",
                    f"put the hidden text after 'c{number}::'",
                )
            )
        else:
            gaps.append(ClozeGap(number, answer, hint, start, close + 2))
        pos = close + 2
    if not errors and not gaps:
        errors.append(
            ClozeError(
                0,
                "a cloze card needs at least one deletion",
                "mark the hidden text as {{c1::text}}",
            )
        )
    if errors:
        return tuple(errors)
    return ClozeText(text, tuple(gaps))


fast_pickling_in(sys.modules[__name__])  # the parsed-files cache unpickles decks at start
