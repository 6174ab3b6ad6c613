"""Building a large library makes millions of small objects that all live on. Python's cyclic
garbage collector runs every 700 new objects and walks the young ones each time: for a
20,000-card deck that is about half of the time spent reading it (measured by
``bench/deck_load.py``), and it finds nothing to free. :func:`collector_paused` holds it off
while a bulk load runs; reference counting still frees everything at once, and the collector
resumes when the last load ends. What a load made then goes straight to the oldest
generation (``gc.freeze`` and ``gc.unfreeze``: nothing stays frozen), where only the rare
full collections look at it: left young, a freshly read 20,000-card library was walked by
the next few collections (30-40 ms before the first card), which found nothing to free.
Reconciling pauses the collector too, without that: what it makes does not live on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_promote = False


@contextmanager
def collector_paused(*, promote: bool = False) -> Iterator[None]:
    """The cyclic collector off for the ``with`` block (nested and threaded uses count).

    ``promote``: the block makes objects that live on (a load); when the last pause ends,
    the collector's young objects go straight to its oldest generation (see above). It is
    skipped when something else keeps objects frozen (``gc.freeze``), which it would undo."""
    global _depth, _was_enabled, _promote
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
        _promote = _promote or promote
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _was_enabled:
                    if _promote and gc.get_freeze_count() == 0:
                        gc.freeze()  # every tracked object out of the generations...
                        gc.unfreeze()  # ...and back, into the oldest: none stays frozen
                    gc.enable()
                _promote = False
