"""One long-lived thread that runs a little work while the calling thread waits for the disk.

A synchronous COMMIT (``synchronous=FULL``) spends most of its time in ``fsync``, during which
Python's :mod:`sqlite3` releases the GIL. :class:`SideThread` runs a function (say, preparing
the next card from memory) on its own thread while the caller runs the COMMIT on its own
thread, so the two overlap. The database connection never leaves the calling thread: the
function given to :meth:`SideThread.start` must not use it (sqlite3's same-thread check would
refuse it anyway).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class SideThread:
    """Runs one function at a time on a daemon thread; :meth:`stop` ends it."""

    def __init__(self, name: str = "metaflash-side") -> None:
        # two locks used as binary semaphores (a Lock may be released by another thread):
        # the cheapest hand-over in the standard library, one futex wake each way
        self._go = threading.Lock()
        self._done = threading.Lock()
        self._go.acquire()
        self._done.acquire()
        self._work: Callable[[], None] | None = None
        self._error: BaseException | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def busy(self) -> bool:
        """Work was started and not yet joined."""
        return self._work is not None

    def start(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the thread; :meth:`join` waits for it."""
        if self._work is not None or self._stopping:
            raise RuntimeError("the side thread is busy or stopped")
        self._work = work
        self._go.release()

    def join(self) -> None:
        """Wait for the work started last; re-raise its exception."""
        if self._work is None:
            raise RuntimeError("no work is running on the side thread")
        try:
            self._done.acquire()
        except BaseException:
            self._done.acquire()  # interrupted (Ctrl-C): still never leave the work running
            raise
        finally:
            self._work = None
        error, self._error = self._error, None
        if error is not None:
            raise error

    def stop(self) -> None:
        """End the thread (after the work in hand, whose error is re-raised); idempotent."""
        try:
            if self._work is not None:
                self.join()
        finally:
            if not self._stopping:
                self._stopping = True
                self._go.release()
            self._thread.join()

    def _run(self) -> None:
        while True:
            self._go.acquire()
            if self._stopping:
                return
            assert self._work is not None
            try:
                self._work()
            except BaseException as error:  # noqa: BLE001 - re-raised by join(), in the caller
                self._error = error
            self._done.release()
