"""The window's deck library: where decks come from, reloading them when files change, and
keeping the collection in step with them.

Files are watched with a QFileSystemWatcher. Editors that save by writing a new file and
renaming it over the old one make the watcher drop the path, so every change re-adds the
paths that exist again, and the folders are watched too (a new, removed or renamed file).
Changes are gathered for :data:`RELOAD_DELAY_MS` by a single-shot timer, then the library is
loaded again: a deck whose file broke keeps its last good version (and the problems panel
says why), and every deck that changed is reconciled with the collection; a card moved
between deck files takes its progress along, even when the two files are saved one after
the other (:mod:`metaflash.core.collection.card_moves`). A deck that fails to load never reaches the
collection.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from metaflash.core.collection.card_moves import CardMove, MoveMemory, reconcile_library
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.reconcile import ReconcileReport
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId, Problem
from metaflash.core.library.deck_cache import ParsedFileCache
from metaflash.core.library.snapshot import Library
from metaflash.core.library.sources import (
    DeckSources,
    copy_bundled_decks,
    copy_deck_into,
    load_sources,
    user_decks_dir,
    watched_folders,
)
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.window_settings import WindowSettings

#: The parsed-files cache, in the data folder's ``cache/`` (safe to delete at any time).
PARSED_CACHE_NAME = "parsed-decks.sqlite3"
#: how long after a load its parsed files are written to the cache (the window is up by then)
CACHE_WRITE_DELAY_MS = 1500

#: How long file changes are gathered before the library is loaded again.
RELOAD_DELAY_MS = 200


class LibraryController(QObject):
    """Owns the library snapshot the views show; emits :attr:`library_changed` after each load."""

    library_changed = Signal()

    def __init__(
        self,
        *,
        bundled: Path,
        data_dir: Path,
        collection: Collection,
        clock: Clock,
        settings: WindowSettings,
        extra_folders: Sequence[Path] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._collection = collection
        self._clock = clock
        self._settings = settings
        self.user_folder = user_decks_dir(data_dir)
        self.user_folder.mkdir(parents=True, exist_ok=True)
        self.bundled = Path(os.path.realpath(bundled))
        folders = [self.bundled, Path(os.path.realpath(self.user_folder))]
        for folder in (*settings.extra_folders, *extra_folders):
            real = Path(os.path.realpath(folder))
            if real not in folders and real.is_dir():
                folders.append(real)
        self._session_folders = tuple(Path(os.path.realpath(f)) for f in extra_folders)
        self.sources = DeckSources(tuple(folders), frozenset(settings.excluded_files))
        self.reports: tuple[ReconcileReport, ...] = ()
        self.moves: tuple[CardMove, ...] = ()  # cards the last reload moved between decks
        self._moves = MoveMemory()  # halves of moves seen in this run, for a move in two saves
        self._reconcile_problems: tuple[Problem, ...] = ()
        self._unreconciled: set[DeckId] = set()
        self._fingerprints: Mapping[DeckId, str] = {}
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        self.watcher.directoryChanged.connect(self._on_folder_changed)
        self.reload_timer = QTimer(self)
        self.reload_timer.setObjectName("deck-reload")
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(RELOAD_DELAY_MS)
        self.reload_timer.timeout.connect(self.reload)
        self.library = Library((), (), (), folders=self.sources.folders)
        # parsed files kept between starts: an accelerator, never the truth (see deck_cache)
        self.parsed_cache = ParsedFileCache(
            data_dir / "cache" / PARSED_CACHE_NAME, defer_writes=True
        )
        # what a load parsed is stored once the window is up, not before its first card
        self.cache_timer = QTimer(self)
        self.cache_timer.setObjectName("parsed-cache-write")
        self.cache_timer.setSingleShot(True)
        self.cache_timer.setInterval(CACHE_WRITE_DELAY_MS)
        self.cache_timer.timeout.connect(self.parsed_cache.flush)
        self.reload()

    # --- loading ----------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Load every deck again, keep the collection in step, and tell the views."""
        self.reload_timer.stop()
        previous = self.library
        library = load_sources(
            self.sources, previous if previous.decks else None, cache=self.parsed_cache
        )
        self._reconcile(library.decks, previous.decks, library.fingerprints)
        self._fingerprints = library.fingerprints
        library = library.with_problems(self._reconcile_problems)
        self.library = library
        self._watch()
        self.library_changed.emit()
        self.cache_timer.start()

    def _reconcile(
        self, decks: Sequence[Deck], before: Sequence[Deck], prints: Mapping[DeckId, str]
    ) -> None:
        """Reconcile each deck that is new or changed (or failed to last time); cards that
        moved between decks take their progress along. ``prints``: the decks' fingerprints
        now (equal fingerprints, equal decks: no need to compare their cards)."""
        old = {deck.id: deck for deck in before}

        def changed_since(deck: Deck) -> bool:
            was = old.get(deck.id)
            if was is None or deck.id in self._unreconciled:
                return True
            then, now = self._fingerprints.get(deck.id), prints.get(deck.id)
            if then is not None and now is not None:
                return then != now
            return was is not deck and was != deck

        changed = [deck.id for deck in decks if changed_since(deck)]
        try:
            result = reconcile_library(
                self._collection,
                decks,
                self._clock.now(),
                changed,
                self._moves,
                fingerprints=prints,
            )
        except (CollectionError, sqlite3.Error) as error:  # the moves could not be written
            self._unreconciled.update(changed)
            self.reports, self.moves = (), ()
            self._reconcile_problems = tuple(
                self._cannot_take_in(deck, error) for deck in decks if deck.id in changed
            )
            return
        failed = {deck.id for deck, _ in result.failures}
        self._unreconciled = (self._unreconciled - set(changed)) | failed
        self.reports, self.moves = result.reports, result.moves
        self._reconcile_problems = result.problems(decks) + tuple(
            self._cannot_take_in(deck, error) for deck, error in result.failures
        )

    @staticmethod
    def _cannot_take_in(deck: Deck, error: Exception) -> Problem:
        return Problem(
            str(deck.path or deck.id),
            deck.location.line,
            deck.location.column,
            f"the collection could not take in the deck '{deck.id}': {error}",
            "check the data folder, then reload the decks (F5)",
        )

    # --- watching ---------------------------------------------------------------------------

    def _watch(self) -> None:
        wanted = {str(folder) for folder in watched_folders(self.sources)}
        wanted |= {file for file in self.library.files if os.path.exists(file)}
        current = set(self.watcher.files()) | set(self.watcher.directories())
        stale = sorted(current - wanted)
        if stale:
            self.watcher.removePaths(stale)
        missing = sorted(wanted - current)
        if missing:
            self.watcher.addPaths(missing)

    @Slot(str)
    def _on_file_changed(self, path: str) -> None:
        # A save by rename removes the path from the watcher: watch the new file again.
        if os.path.exists(path) and path not in self.watcher.files():
            self.watcher.addPath(path)
        self.reload_timer.start()

    @Slot(str)
    def _on_folder_changed(self, _path: str) -> None:
        self.reload_timer.start()

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self.reload_timer.stop()
        self.cache_timer.stop()
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)
        self.parsed_cache.close()  # its write-ahead log folded into the file

    # --- changing the library ---------------------------------------------------------

    def add_folder(self, folder: Path) -> list[Deck]:
        """Add a folder of decks (remembered); returns the decks found in it."""
        real = Path(os.path.realpath(folder))
        self.sources = self.sources.with_folder(real)
        self._remember()
        self.reload()
        return sorted(
            (
                d
                for d in self.library.decks
                if d.path is not None and Path(os.path.realpath(d.path)).is_relative_to(real)
            ),
            key=lambda deck: deck.title.casefold(),
        )

    def add_file(self, file: Path) -> Deck | None:
        """Copy a deck file into the user's decks folder and load it (AddDeckError if it
        cannot be added). A file removed from the library before is simply put back."""
        real = Path(os.path.realpath(file))
        if real in self.sources.excluded:
            self.sources = self.sources.including(real)
            self._remember()
            self.reload()
            return next(
                (
                    d
                    for d in self.library.decks
                    if d.path and Path(os.path.realpath(d.path)) == real
                ),
                None,
            )
        copied = copy_deck_into(file, self.user_folder, self.library.decks)
        self.reload()
        copied_real = Path(os.path.realpath(copied))
        return next(
            (
                d
                for d in self.library.decks
                if d.path and Path(os.path.realpath(d.path)) == copied_real
            ),
            None,
        )

    def is_bundled(self, path: Path) -> bool:
        """Whether ``path`` is one of the decks that come with metaflash (inside the
        installed package: edits there would be lost when metaflash is updated)."""
        return Path(os.path.realpath(path)).is_relative_to(self.bundled)

    def copy_bundled(self, deck_file: Path) -> Path:
        """Copy the bundled decks that ``deck_file`` belongs with into the user's decks folder
        and use the copies instead (same ids: progress carries over). The copy of
        ``deck_file``; AddDeckError when it cannot be made."""
        copied = copy_bundled_decks(deck_file, self.bundled, self.user_folder)
        self.sources = self.sources.without_files(copied.replaced)
        self._remember()
        self.reload()
        return copied.deck

    def removal_of(self, deck_id: DeckId) -> tuple[Deck, ...]:
        """The decks removing ``deck_id`` takes away: the deck and its sub-decks."""
        decks = self.library.decks
        if self.library.deck(deck_id) is None:
            return ()
        ids = self.library.tree.subtree(deck_id)
        return tuple(deck for deck in decks if deck.id in ids)

    def remove_deck(self, deck_id: DeckId) -> tuple[Deck, ...]:
        """Leave a deck and its sub-decks out of the library. Files are never deleted, and
        their progress stays in the collection (adding the file back brings it back)."""
        removed = self.removal_of(deck_id)
        files = [deck.path for deck in removed if deck.path is not None]
        if files:
            self.sources = self.sources.without_files(files)
            self._remember()
            self.reload()
        return removed

    def restore_removed(self) -> None:
        """Put every removed deck file back in the library."""
        self.sources = DeckSources(self.sources.folders)
        self._remember()
        self.reload()

    @property
    def has_removed(self) -> bool:
        return bool(self.sources.excluded)

    def _remember(self) -> None:
        fixed = {self.bundled, Path(os.path.realpath(self.user_folder)), *self._session_folders}
        self._settings.extra_folders = tuple(f for f in self.sources.folders if f not in fixed)
        self._settings.excluded_files = tuple(sorted(self.sources.excluded))
        self._settings.sync()
