"""Building a large library makes millions of small objects that all live on. Python's cyclic
garbage collector runs every 700 new objects and walks the young ones each time: for a
20,000-card deck that is about half of the time spent reading it (measured by
``bench/deck_load.py``), and it finds nothing to free. :func:`collector_paused` holds it off
while a bulk load runs; reference counting still frees everything at once, and the collector
resumes when the last load ends. What the load made then goes straight to the oldest
generation (``gc.freeze`` and ``gc.unfreeze``: nothing stays frozen), where only the rare
full collections look at it: left young, a freshly read 20,000-card library was walked by
the next few collections (30-40 ms before the first card), which found nothing to free."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the ``with`` block (nested and threaded uses count)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                # what the pause made (a library: about a million objects that live on) goes
                # straight to the oldest generation: left young, the first allocation after
                # the pause would walk all of it, and again on its way up, to free nothing
                gc.freeze()
                gc.unfreeze()
                gc.enable()
