"""Syncing from the window: when to sync with the folder the user chose, and what to say.

The window syncs a moment after it opens, every few minutes, soon after another device's
files change in the folder (a QFileSystemWatcher, gathered over a short pause), when the user
asks (Settings), and when it closes. It never syncs while a card is on screen: a sync that
falls due during a review waits until the review view is left, so the review never waits on
it. The status bar says when the last sync was, or why it failed; damaged lines in other
devices' files go to the Problems panel, once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolButton, QWidget

from metaflash.core.collection import sync_state
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.store import Collection
from metaflash.core.collection.sync_state import waiting_events
from metaflash.core.decks.model import Problem
from metaflash.core.sync.folder import SyncFolderError, SyncLayout
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.theme import set_role

if TYPE_CHECKING:
    from metaflash.core.sync.exchange import SyncReport

#: How often the window syncs while it is open.
SYNC_INTERVAL_MS = 5 * 60 * 1000
#: How long after the window opened it syncs the first time (the first card comes first).
FIRST_SYNC_DELAY_MS = 1500
#: Changes in the folder are gathered this long (a sync tool writes in bursts).
SETTLE_MS = 2000


class SyncController(QObject):
    """Syncs the collection with its sync folder; :attr:`status_changed` says how it went
    (a short text, a tooltip, and whether it failed)."""

    status_changed = Signal(str, str, bool)
    problems_found = Signal()
    synced = Signal()  # a sync ran to its end

    def __init__(
        self,
        collection: Collection,
        clock: Clock,
        busy: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._collection = collection
        self._clock = clock
        self._busy = busy
        self._pending = False
        #: the other devices' files as the last sync left them (a change elsewhere in the
        #: folder, such as this device's own writes, is no reason to sync)
        self._seen: frozenset[tuple[str, int, int]] = frozenset()
        self.problems: list[Problem] = []  # found by this window's syncs, newest last
        self.last_report: SyncReport | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("sync-interval")
        self._timer.setInterval(SYNC_INTERVAL_MS)
        self._timer.timeout.connect(self.sync_soon)
        self._soon = QTimer(self)
        self._soon.setObjectName("sync-soon")
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self.sync)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._folder_changed)
        self._watcher.fileChanged.connect(self._folder_changed)

    @property
    def folder(self) -> Path | None:
        return sync_state.sync_folder(self._collection)

    def start(self) -> None:
        """Begin: a first sync shortly, then every few minutes and on changes."""
        if self.folder is None:
            self.status_changed.emit("", "", False)
            return
        self._watch()
        self._timer.start()
        self._soon.start(FIRST_SYNC_DELAY_MS)
        self.status_changed.emit("Not synced yet", f"Sync folder: {self.folder}", False)

    def stop(self) -> None:
        self._timer.stop()
        self._soon.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def set_folder(self, folder: Path | None) -> None:
        """Sync through ``folder`` from now on (None: stop syncing); raises
        :class:`SyncFolderError` when it cannot be used."""
        if folder is not None:
            SyncLayout(folder).prepare()
        self.stop()
        sync_state.set_sync_folder(self._collection, folder)
        self.start()

    @Slot()
    def sync_soon(self) -> None:
        self._soon.start(0)

    @Slot()
    def decks_changed(self) -> None:
        """Decks came or changed: events that waited for their cards may apply now."""
        if self.folder is not None and waiting_events(self._collection):
            self.sync_soon()

    @Slot()
    def idle(self) -> None:
        """The window is no longer busy (the review was left): a sync that waited runs."""
        if self._pending and not self._busy():
            self._pending = False
            self.sync_soon()

    @Slot()
    def sync(self, *, even_if_busy: bool = False) -> SyncReport | None:
        """Sync now, unless a card is on screen (then once it is not); the report, if it ran."""
        folder = self.folder
        if folder is None:
            return None
        if self._busy() and not even_if_busy:
            self._pending = True
            return None
        from metaflash.core.sync.exchange import DAMAGED_LINE_HINT, sync_now  # not at start

        now = self._clock.now()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)  # a first sync may be long
        try:
            report = sync_now(self._collection, folder, now)
        except SyncFolderError as error:
            self.status_changed.emit("Sync failed", str(error), True)
            return None
        except (CollectionError, OSError, sqlite3.Error) as error:
            message = getattr(error, "strerror", None) or str(error)
            self.status_changed.emit(
                "Sync failed", f"Could not sync with {folder}: {message}", True
            )
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
            self._seen = self._others_files()
            self._watch()
        self.last_report = report
        if report.problems:
            self.problems.extend(
                Problem(
                    str(problem.path),
                    max(problem.line, 1),
                    1,
                    problem.reason,
                    DAMAGED_LINE_HINT if problem.line else "",
                    "warning",
                )
                for problem in report.problems
            )
            self.problems_found.emit()
        self.status_changed.emit(*self._describe(report, now), False)
        self.synced.emit()
        return report

    def _describe(self, report: SyncReport, now: datetime) -> tuple[str, str]:
        when = now.astimezone(self._clock.timezone).strftime("%H:%M")
        merge = report.merge
        lines = [f"Sync folder: {report.folder}", f"Last sync: {when}"]
        if report.devices:
            lines.append(
                f"Took in {merge.received:,} new event{'s' if merge.received != 1 else ''} from "
                f"{report.devices} other device{'s' if report.devices != 1 else ''}"
            )
        else:
            lines.append("No other device has synced with this folder yet")
        if merge.waiting:
            lines.append(f"{merge.waiting:,} wait for decks this computer does not have")
        if report.newer:
            lines.append(f"{report.newer:,} written by a newer metaflash are kept unread")
        return f"Synced {when}", "\n".join(lines)

    def _watch(self) -> None:
        """Watch the folder and the other devices' folders and files (a device's own
        writes are not watched)."""
        folder = self.folder
        if folder is None:
            return
        layout = SyncLayout(folder)
        wanted = [layout.app_folder]
        for _, device_folder in layout.other_devices(self._collection.device_id):
            wanted.append(device_folder)
            wanted.extend(sorted(device_folder.glob("*.jsonl")))
        watched = set(self._watcher.files() + self._watcher.directories())
        new = [str(path) for path in wanted if str(path) not in watched and path.exists()]
        if new:
            self._watcher.addPaths(new)

    def _others_files(self) -> frozenset[tuple[str, int, int]]:
        """Every file in the other devices' folders: (path, size, modification time)."""
        folder = self.folder
        if folder is None:
            return frozenset()
        found: set[tuple[str, int, int]] = set()
        for _, device_folder in SyncLayout(folder).other_devices(self._collection.device_id):
            for path in device_folder.iterdir():
                try:
                    status = path.stat()
                except OSError:
                    continue
                found.add((str(path), status.st_size, status.st_mtime_ns))
        return frozenset(found)

    @Slot(str)
    def _folder_changed(self, _path: str) -> None:
        self._watch()  # a new device's folder and files are watched too
        if self._others_files() != self._seen:
            self._soon.start(SETTLE_MS)


class SyncButton(QToolButton):
    """The status bar's word on syncing: when it last synced, or why it failed (in red); the
    details in its tooltip; a click syncs now. Hidden while there is no sync folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncButton")
        self.setAutoRaise(True)
        self.hide()

    def follow(self, controller: SyncController) -> None:
        controller.status_changed.connect(self.show_status)
        self.clicked.connect(lambda: controller.sync(even_if_busy=True))

    @Slot(str, str, bool)
    def show_status(self, text: str, details: str, failed: bool) -> None:
        self.setText(text)
        self.setToolTip(f"{details}\n\nClick to sync now." if details else "Click to sync now.")
        self.setAccessibleName(f"Sync: {text}")
        set_role(self, "error" if failed else "muted")
        self.setVisible(bool(text))
