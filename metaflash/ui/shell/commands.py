"""What the window's menu commands do: the library (open a folder, add or remove a deck
file), settings, opening deck files in an editor, help.

The commands are given what they work with; they tell the window what to show through
their signals. The window's own commands (quit, full screen, the deck filter) stay in it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from metaflash.core.collection import class_state, sync_state
from metaflash.core.decks.model import CardId, DeckId
from metaflash.core.library.sources import AddDeckError
from metaflash.core.stats.statistics import reviews_per_day
from metaflash.core.sync.folder import SyncFolderError
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.theme import ThemeController
from metaflash.ui.common.window_settings import WindowSettings
from metaflash.ui.decks.deck_manager import DeckManager
from metaflash.ui.decks.library_controller import LibraryController
from metaflash.ui.shell.help_dialogs import DeckFormatDialog, show_about
from metaflash.ui.shell.open_in_editor import DesktopOpener
from metaflash.ui.shell.settings_dialog import SettingsDialog, SettingsValues
from metaflash.ui.shell.study_host import StudyHost
from metaflash.ui.shell.sync_controller import SyncController

if TYPE_CHECKING:
    from metaflash.core.collection.store import Collection


class WindowCommands(QObject):
    #: settings were applied: today's counts may have changed
    settings_applied = Signal()
    #: a short message for the status bar
    status_message = Signal(str)

    def __init__(
        self,
        *,
        parent: QWidget,
        data_dir: Path,
        collection: Collection,
        clock: Clock,
        settings: WindowSettings,
        theme: ThemeController | None,
        opener: DesktopOpener,
        library: LibraryController,
        deck_manager: DeckManager,
        study: StudyHost,
        sync: SyncController,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._data_dir = data_dir
        self._collection = collection
        self._clock = clock
        self._settings = settings
        self._theme = theme
        self._opener = opener
        self._library = library
        self._deck_manager = deck_manager
        self._study = study
        self._sync = sync
        self.settings_dialog: SettingsDialog | None = None

    # --- the library -------------------------------------------------------------------

    @Slot()
    def choose_deck_folder(self) -> None:
        folders = self._library.library.folders
        start = str(folders[-1]) if folders else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self._parent, "Open Deck Folder", start)
        if chosen:
            self.add_deck_folder(Path(chosen))

    def add_deck_folder(self, folder: Path) -> None:
        """Load the decks in ``folder`` as well (remembered), and select the first of them."""
        added = self._library.add_folder(folder)
        if added:
            self._deck_manager.select_deck(added[0].id)

    @Slot()
    def choose_deck_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self._parent, "Add Deck File", str(Path.home()), "Deck files (*.yaml *.yml)"
        )
        if chosen:
            self.add_deck_file(Path(chosen))

    def add_deck_file(self, file: Path) -> bool:
        """Copy a deck into the user's decks folder and select it; explain a refusal."""
        try:
            deck = self._library.add_file(file)
        except AddDeckError as error:
            QMessageBox.warning(self._parent, "Cannot add the deck", str(error))
            return False
        if deck is not None:
            self._deck_manager.select_deck(deck.id)
        return True

    @Slot(str)
    def remove_deck(self, deck_id: str) -> None:
        """Ask, then leave the deck (and its sub-decks) out of the library."""
        removed = self._library.removal_of(DeckId(deck_id))
        if not removed:
            return
        names = "\n".join(f"• {deck.title}" for deck in removed)
        answer = QMessageBox.question(
            self._parent,
            "Remove from Library",
            f"Remove these decks from the library?\n\n{names}\n\nTheir files stay where they "
            "are and your progress is kept: File › Restore Removed Decks brings them back.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Ok:
            self._library.remove_deck(DeckId(deck_id))

    @Slot()
    def restore_removed(self) -> None:
        self._library.restore_removed()

    # --- new decks, import and export --------------------------------------------------

    def _writable_folders(self) -> list[Path]:
        """Where a new or imported deck may go: the library's folders but the bundled one,
        the user's decks folder first."""
        controller = self._library
        user = Path(os.path.realpath(controller.user_folder))
        others = [f for f in controller.library.folders if f not in (controller.bundled, user)]
        return [user, *others]

    def _adopt(self, file: Path) -> DeckId | None:
        """A deck file a dialog wrote: load it with the library and select it."""
        folder = Path(os.path.realpath(file.parent))
        if any(folder.is_relative_to(known) for known in self._library.library.folders):
            self._library.reload()
        else:
            self.add_deck_folder(folder)
        real = os.path.realpath(file)
        deck = next(
            (d for d in self._library.library.decks if d.path and os.path.realpath(d.path) == real),
            None,
        )
        if deck is None:  # it has problems: the Problems panel lists them
            return None
        self._deck_manager.select_deck(deck.id)
        return deck.id

    @Slot()
    def new_deck(self) -> None:
        """File › New Deck: create the file, load it and open it in the editor."""
        from metaflash.ui.editor import run_new_deck_dialog

        created = run_new_deck_dialog(
            self._parent, self._writable_folders(), self._library.library.decks
        )
        if created is not None:
            deck_id = self._adopt(created)
            if deck_id is not None:
                self.edit_deck(deck_id)

    @Slot()
    def import_decks(self) -> None:
        """File › Import: an Anki package or a CSV file becomes YAML decks in the library."""
        from metaflash.ui.interop import run_import_dialog  # the import chain, when asked for

        imported = run_import_dialog(self._parent, self._writable_folders())
        if imported is not None:
            self._adopt(imported)

    @Slot()
    def export_decks(self) -> None:
        """File › Export: the selected deck (or its folder) to an Anki package or CSV."""
        deck_id = self._deck_manager.selected_deck_id()
        deck = self._library.library.deck(deck_id) if deck_id is not None else None
        if deck is None or deck.path is None:
            QMessageBox.information(
                self._parent, "Export", "Choose the deck to export in the deck list, then export."
            )
            return
        from metaflash.ui.interop import run_export_dialog  # the export chain, when asked for

        exported = run_export_dialog(self._parent, deck.path, deck.title)
        if exported is not None:
            self.status_message.emit(f"Exported {deck.title} to {exported}")

    # --- deck files in an editor ---------------------------------------------------------

    @Slot(str)
    def open_deck_file(self, deck_id: str) -> None:
        deck = self._library.library.deck(DeckId(deck_id))
        if deck is not None and deck.path is not None:
            self._opener.open_file_at(deck.path, deck.location.line)

    @Slot(str)
    def reveal_deck_file(self, deck_id: str) -> None:
        deck = self._library.library.deck(DeckId(deck_id))
        if deck is not None and deck.path is not None:
            self._opener.reveal(deck.path)

    @Slot(str)
    def edit_deck(self, deck_id: str) -> None:
        """Edit Deck in a deck's menu: the deck in the editor view."""
        self._study.edit_deck(DeckId(deck_id))

    @Slot(str, str)
    def edit_card(self, deck_id: str, card_id: str) -> None:
        """E in the review: the card in the editor view, or else the card's deck file at
        the card's line in the system's editor."""
        if self._study.edit_deck(DeckId(deck_id), card_id):
            return
        deck = self._library.library.deck(DeckId(deck_id))
        if deck is None or deck.path is None:
            return
        card = deck.card(CardId(card_id))
        line = card.location.line if card is not None else deck.location.line
        self._opener.open_file_at(deck.path, line)

    # --- settings -------------------------------------------------------------------------

    def current_settings(self) -> SettingsValues:
        theme = self._theme.requested if self._theme is not None else self._settings.theme
        return SettingsValues(
            self._collection.scheduler_settings(),
            self._collection.study_settings(),
            theme,
            self._settings.font_scale,
            self._settings.reduce_motion,
            sync_state.sync_folder(self._collection),
            sync_state.this_device_name(self._collection),
        )

    def _sync_status(self) -> str:
        """What the Settings dialog says about syncing so far."""
        if sync_state.sync_folder(self._collection) is None:
            return ""
        last = sync_state.last_sync(self._collection)
        seen = sync_state.devices_seen(self._collection)
        when = (
            "not synced yet"
            if last is None
            else "last synced "
            + datetime.fromtimestamp(last / 1000, UTC)
            .astimezone(self._clock.timezone)
            .strftime("%Y-%m-%d %H:%M")
        )
        others = (
            "no other computer seen yet"
            if not seen
            else f"{len(seen)} other computer{'s' if len(seen) != 1 else ''} seen"
        )
        return f"This computer {when}; {others}. Each computer writes only its own files there."

    def _recent_reviews_per_day(self) -> float | None:
        ids = [deck.id for deck in self._library.library.decks]
        if not ids:
            return None
        days = reviews_per_day(
            self._collection,
            ids,
            self._collection.study_day(self._clock.timezone),
            self._clock.now(),
            30,
        )
        active = [day.answers for day in days if day.answers]
        return sum(active) / len(days) if active else None

    @Slot()
    def open_settings(self) -> SettingsDialog:
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return self.settings_dialog
        dialog = SettingsDialog(
            self.current_settings(),
            data_dir=self._data_dir,
            opener=self._opener,
            reviews_per_day=self._recent_reviews_per_day(),
            sync_status=self._sync_status(),
            parent=self._parent,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.values()))
        dialog.finished.connect(self._forget_dialog)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _forget_dialog(self) -> None:
        self.settings_dialog = None

    def apply_settings(self, values: SettingsValues | None) -> None:
        """Store the settings (study settings in the collection, the rest in window.ini)
        and apply them now: theme, font size, motion, and the running session."""
        if values is None:
            return
        collection = self._collection
        before = self.current_settings()
        if values.scheduler != before.scheduler:
            collection.set_scheduler_settings(values.scheduler)
        if values.study != before.study:
            collection.set_study_settings(values.study)
        if values.device_name and values.device_name != before.device_name:
            sync_state.set_device_name(collection, values.device_name)
        if values.sync_folder != before.sync_folder:
            try:
                self._sync.set_folder(values.sync_folder)
            except SyncFolderError as error:
                QMessageBox.warning(
                    self._parent, "Sync folder", str(error)[:1].upper() + str(error)[1:]
                )
        prefs = self._settings
        prefs.theme = values.theme
        prefs.font_scale = values.font_scale
        prefs.reduce_motion = values.reduce_motion
        prefs.sync()
        if self._theme is not None:
            if values.font_scale != self._theme.font_scale:
                self._theme.set_font_scale(values.font_scale)
            self._theme.apply(values.theme)
        self._study.set_reduce_motion(values.reduce_motion)
        if values.scheduler != before.scheduler or values.study != before.study:
            self._study.restart()
        self.settings_applied.emit()

    # --- a class (its modules, and the pathway figure, are imported when first used) --------

    @Slot()
    def open_class_folder(self) -> QWidget | None:
        """File › Open Class Folder: the class's report (for an educator)."""
        from metaflash.ui.shell.class_commands import choose_class_folder

        return choose_class_folder(self._parent, self._library.library)

    def show_class(self, folder: Path) -> QWidget | None:
        from metaflash.ui.shell.class_commands import show_class

        return show_class(self._parent, self._library.library, folder)

    @Slot()
    def choose_class_to_share(self) -> QWidget | None:
        """File › Share Progress with a Class: pick the class folder, see, then share."""
        from metaflash.ui.shell.class_commands import choose_class_to_share

        return choose_class_to_share(self._parent, self._collection, self._clock)

    def share_with_class(self, folder: Path) -> QWidget | None:
        from metaflash.ui.shell.class_commands import share_with_class

        return share_with_class(self._parent, self._collection, self._clock, folder)

    def refresh_class_shares(self) -> None:
        """Bring every class summary this student shares up to date (after a sync, at close);
        a class folder that cannot be written is said in the status bar."""
        folders = class_state.shared_folders(self._collection)
        if not folders:
            return
        from metaflash.core.classroom.summary import ClassFolderError, share

        for folder in folders.values():
            try:
                share(self._collection, folder, self._clock.now(), self._clock.timezone)
            except (ClassFolderError, OSError) as error:
                self.status_message.emit(f"Could not update your class summary: {error}")

    # --- the rest ----------------------------------------------------------------------

    @Slot()
    def study_selected(self) -> None:
        selected = self._deck_manager.selected_deck_id()
        if selected is not None:
            self._study.study_deck(selected)

    @Slot()
    def show_deck_format(self) -> None:
        dialog = DeckFormatDialog(self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def show_about(self) -> None:
        show_about(self._parent, self._data_dir, self._library.library.folders)
