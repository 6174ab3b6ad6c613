"""Where each prompt stands in its deck's order: the ``prompts.position`` column.

New cards are introduced in deck order (``ORDER BY position``), so positions must rise along
the deck. They need not be the prompts' indexes: keeping them as sort keys with room between
them lets an edit rewrite only the prompts it moved. Adding one card to the middle of a
20,000-card deck then writes one row, not the 10,000 after it. The prompts that are still
in the same order as before keep their positions: the longest such run is found
(:func:`placed`), and the others are put between their neighbours.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise
from typing import Final

#: the room left between positions when a deck is numbered afresh
STRIDE: Final = 1024


def placed(old: Sequence[int | None]) -> list[int] | None:
    """Positions for a deck's prompts in their new order, given each one's old position
    (None for a new prompt): strictly rising, and the same as before for the longest run of
    prompts that kept their order. None when the room between two kept positions is too
    small for the prompts that go between them: then number the deck afresh
    (:func:`renumbered`)."""
    kept = _longest_rising(old)
    result: list[int] = []
    index, count = 0, len(old)
    below: int | None = None
    while index < count:
        if kept[index]:
            position = old[index]
            assert position is not None
            result.append(position)
            below = position
            index += 1
            continue
        end = index
        while end < count and not kept[end]:
            end += 1
        run = end - index
        above = old[end] if end < count else None
        if below is None and above is None:
            keys = [k * STRIDE for k in range(run)]
        elif below is None:
            assert above is not None
            keys = [above - (run - k) * STRIDE for k in range(run)]
        elif above is None:
            keys = [below + (k + 1) * STRIDE for k in range(run)]
        else:
            gap = above - below
            if gap <= run:
                return None
            keys = [below + gap * (k + 1) // (run + 1) for k in range(run)]
        result.extend(keys)
        below = keys[-1]
        index = end
    return result


def renumbered(count: int) -> list[int]:
    """Positions for ``count`` prompts numbered afresh, with room between them."""
    return [k * STRIDE for k in range(count)]


def _longest_rising(old: Sequence[int | None]) -> list[bool]:
    """For each index of ``old``, whether it is in a longest strictly rising run of the known
    positions. An edit that only adds, removes or rewords cards leaves every known position
    in order: that is checked first, in one pass."""
    known = [position for position in old if position is not None]
    if all(a < b for a, b in pairwise(known)):
        return [position is not None for position in old]
    tails: list[int] = []  # the smallest last position of a rising run of each length
    ends: list[int] = []  # the index holding it
    before: dict[int, int] = {}  # index -> the index before it in its run
    for index, position in enumerate(old):
        if position is None:
            continue
        length = bisect_left(tails, position)
        if length == len(tails):
            tails.append(position)
            ends.append(index)
        else:
            tails[length] = position
            ends[length] = index
        if length:
            before[index] = ends[length - 1]
    run = [False] * len(old)
    at = ends[-1] if ends else None
    while at is not None:
        run[at] = True
        at = before.get(at)
    return run
