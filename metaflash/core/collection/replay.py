"""A prompt's state from its review log, on one device or merged from several.

The log is the truth and the ``prompts`` state a cache of it. Each device's entries keep their
own order (the order they were made in); entries of different devices are interleaved by time,
then device id: :func:`merged_order` takes, again and again, the earliest of the devices' next
entries. Every device that holds the same entries replays them in the same order, whatever
order they arrived in.

Replaying, an undone answer and the undo itself count for nothing, and a cram answer leaves the
state as it was. An answer whose state before is the state reached so far is taken as its
device recorded it, so a history made on one device replays exactly as it was shown. Where
several devices answered a card, an answer whose device had not seen the answers merged before
it (two devices studied the card offline) is scheduled again through the same FSRS step, from
the state reached, at its time: both answers count. On one device alone every answer follows
the one before; one that does not was written around the collection: a broken chain, reported
by ``check``, and taken as recorded.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from metaflash.core.collection.records import NEW_STATE_JSON, ReviewKind
from metaflash.core.decks.model import PromptKey
from metaflash.core.scheduling.scheduler import (
    CardState,
    Rating,
    SchedulerSettings,
    fuzz_seed,
    next_states,
)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One review-log row of a prompt, as replaying reads it."""

    id: int  # the row's id in this collection
    device: str  # the device it was made on
    seq: int  # its place in that device's stream (the row id for this device's own rows)
    time_ms: int
    kind: ReviewKind
    rating: int | None
    before: str
    after: str
    undoes: int | None  # the row id an undo cancels
    settings: int | None  # the scheduler settings' row


@dataclass(frozen=True, slots=True)
class Replayed:
    state: str  # the prompt's state JSON
    #: answers that do not follow the answer before them, in a log made on one device
    broken: tuple[LogEntry, ...] = ()
    #: undos that name no answer of this prompt, or one already undone
    bad_undos: tuple[LogEntry, ...] = ()
    #: answers scheduled again because another device's answers came between
    rescheduled: int = 0


def merged_order(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """``entries`` in replay order: each device's in its own order, interleaved by time."""
    streams: dict[str, list[LogEntry]] = {}
    for entry in entries:
        streams.setdefault(entry.device, []).append(entry)
    if len(streams) == 1:
        (only,) = streams.values()
        return sorted(only, key=lambda e: e.seq)
    heads: list[tuple[int, str, int, list[LogEntry]]] = []
    for device, stream in streams.items():
        stream.sort(key=lambda e: e.seq, reverse=True)  # popped from the end
        heads.append((stream[-1].time_ms, device, stream[-1].seq, stream))
    heapq.heapify(heads)
    ordered: list[LogEntry] = []
    while heads:
        _, device, _, stream = heapq.heappop(heads)
        ordered.append(stream.pop())
        if stream:
            heapq.heappush(heads, (stream[-1].time_ms, device, stream[-1].seq, stream))
    return ordered


def replay(
    key: PromptKey,
    entries: Sequence[LogEntry],
    settings: Callable[[int | None], SchedulerSettings],
) -> Replayed:
    """The state ``entries`` (all of one prompt's log) lead to; ``settings`` gives the
    scheduler settings of a row id (the defaults when it is None or unknown)."""
    by_id = {entry.id: entry for entry in entries}
    undone: set[int] = set()
    bad_undos: list[LogEntry] = []
    for entry in entries:
        if entry.kind is not ReviewKind.UNDO:
            continue
        target = None if entry.undoes is None else by_id.get(entry.undoes)
        if target is None or target.kind is ReviewKind.UNDO or target.id in undone:
            bad_undos.append(entry)
        else:
            undone.add(target.id)
    state = NEW_STATE_JSON
    one_device = len({entry.device for entry in entries}) <= 1
    broken: list[LogEntry] = []
    rescheduled = 0
    for entry in merged_order(entries):
        if entry.kind is not ReviewKind.ANSWER or entry.id in undone:
            continue
        if entry.before == state:
            state = entry.after
        elif one_device or entry.rating is None:
            broken.append(entry)
            state = entry.after
        else:
            state = _schedule_again(key, state, entry, settings(entry.settings))
            rescheduled += 1
    return Replayed(state, tuple(broken), tuple(bad_undos), rescheduled)


def _schedule_again(
    key: PromptKey, state_json: str, entry: LogEntry, settings: SchedulerSettings
) -> str:
    """``entry``'s rating applied to the state reached, at its time (never before the state's
    last review: a device whose clock was behind cannot review a card before it was seen)."""
    state = CardState.from_json(state_json)
    when = datetime.fromtimestamp(entry.time_ms / 1000, UTC)
    if state.last_review is not None and when < state.last_review:
        when = state.last_review
    seed = fuzz_seed(key.deck_id, key.card_id, key.variant, state.reps)
    outcome = next_states(state, when, settings, seed)[Rating(entry.rating or Rating.GOOD)]
    return outcome.state.to_json()
