"""Run a long job (an import, an export) in a worker thread, with progress and cancelling.

The job is a plain function of the core: it takes a progress callback and a cancel check
(:mod:`metaflash.core.interop.import_result`) and returns its result. Both callbacks are called in
the worker thread; :class:`BackgroundTask` turns them into Qt signals delivered in the GUI
thread, and a cancel request into a flag the job reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from metaflash.core.interop.import_result import CancelCheck, ImportProgress, ProgressCallback

Job = Callable[[ProgressCallback, CancelCheck], object]


class _Worker(QObject):
    progressed = Signal(str, int, int)
    done = Signal(object)

    def __init__(self, job: Job, cancelled: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancelled = cancelled

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._report, self._cancelled.is_set)
        except Exception as error:  # noqa: BLE001 - a bug in the job: the GUI thread shows it
            result = error
        self.done.emit(result)

    def _report(self, progress: ImportProgress) -> None:
        self.progressed.emit(progress.phase, progress.done, progress.total)


class BackgroundTask(QObject):
    """One job in one thread. :attr:`finished` carries the job's result, or the exception
    it raised; :meth:`cancel` asks the job to stop at its next cancel check."""

    progressed = Signal(str, int, int)  # phase, done, total (0: unknown)
    finished = Signal(object)

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancelled = threading.Event()
        self._thread = QThread(self)
        self._thread.setObjectName("backgroundTask")
        self._worker = _Worker(job, self._cancelled)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._cancelled.is_set()

    def start(self) -> None:
        self._running = True
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled.set()

    def wait(self) -> None:
        """Block until the thread has ended (for closing while a job runs)."""
        self._thread.quit()
        self._thread.wait()

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self._thread.quit()
        self._thread.wait()
        self._running = False
        self.finished.emit(result)
