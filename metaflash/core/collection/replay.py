"""A prompt's state from its review log, on one device or merged from several.

The log is the truth and the ``prompts`` state a cache of it. Each device's entries keep their
own order (the order they were made in); entries of different devices are interleaved: again
and again, the next one is the earliest (by time, then device id) of the devices' next answers
that was made on the state reached so far, or, when none was, the earliest of them. An answer
made after seeing another device's thus comes after it even when its computer's clock is
behind. Every device that holds the same entries replays them in the same order, whatever
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

from collections.abc import Callable, Sequence
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
    streams: dict[str, list[LogEntry]] = {}
    for entry in entries:
        if entry.kind is ReviewKind.ANSWER and entry.id not in undone:
            streams.setdefault(entry.device, []).append(entry)
    for stream in streams.values():
        stream.sort(key=lambda e: e.seq, reverse=True)  # taken from the end
    state = NEW_STATE_JSON
    broken: list[LogEntry] = []
    rescheduled = 0
    one_device = len(streams) <= 1
    while streams:
        entry = _next(streams, state)
        if entry.before == state:
            state = entry.after
        elif one_device or entry.rating is None:
            broken.append(entry)
            state = entry.after
        else:
            state = _schedule_again(key, state, entry, settings(entry.settings))
            rescheduled += 1
    return Replayed(state, tuple(broken), tuple(bad_undos), rescheduled)


def _next(streams: dict[str, list[LogEntry]], state: str) -> LogEntry:
    """Take the next answer to replay from the devices' streams: the earliest (by time, then
    device) of the devices' next answers that was made on the state reached so far, so that
    an answer given after seeing another device's comes after it whatever the clocks said;
    when none was (the devices answered without seeing each other), the earliest."""
    heads = [(stream[-1].time_ms, device) for device, stream in streams.items()]
    following = [head for head in heads if streams[head[1]][-1].before == state]
    _, device = min(following or heads)
    stream = streams[device]
    entry = stream.pop()
    if not stream:
        del streams[device]
    return entry


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
