"""The cyclic garbage collector is held off while a library loads, and comes back after."""

from __future__ import annotations

import gc
import threading
import weakref

from metaflash.core.library.snapshot import load_library
from metaflash.core.util.gc_pause import collector_paused
from metaflash.core.util.paths import bundled_decks_dir


def test_paused_inside_and_back_after_nested_and_threaded_uses() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    leave = threading.Event()

    def other_load() -> None:
        with collector_paused():
            inside.set()
            leave.wait(10)

    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load still runs
        thread = threading.Thread(target=other_load)
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread's load still runs
    leave.set()
    thread.join()
    assert gc.isenabled()


def test_loading_leaves_the_collector_as_it_found_it() -> None:
    seen: list[bool] = []
    real = gc.disable

    def watch() -> None:
        seen.append(gc.isenabled())
        real()

    gc.disable = watch  # type: ignore[assignment]
    try:
        load_library([bundled_decks_dir()])
    finally:
        gc.disable = real  # type: ignore[assignment]
    assert seen == [True] and gc.isenabled()
    gc.disable()
    try:
        load_library([bundled_decks_dir()])
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_what_a_load_made_is_old_at_once_and_still_collected() -> None:
    with collector_paused(promote=True):
        made = [[index] for index in range(1000)]
        node = Node()
    alive = weakref.ref(node)
    assert gc.get_freeze_count() == 0  # nothing is left frozen
    assert not any(item is made[0] for item in gc.get_objects(generation=0))
    assert any(item is made[0] for item in gc.get_objects(generation=2))
    del node
    gc.collect()
    assert alive() is None  # still looked after by the collector


def test_a_plain_pause_leaves_young_objects_young() -> None:
    gc.collect()
    with collector_paused():
        made = [[index] for index in range(10)]
    assert any(item is made[0] for item in gc.get_objects(generation=0))


def test_objects_frozen_by_others_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused(promote=True):
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
