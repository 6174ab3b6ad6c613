"""What the window's menu commands do: the library (open a folder, add or remove a deck
file), settings, opening deck files in an editor, help."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox

from metaflash.core.decks.model import CardId, DeckId
from metaflash.core.library.sources import AddDeckError
from metaflash.core.stats.statistics import reviews_per_day
from metaflash.ui.editor import run_new_deck_dialog
from metaflash.ui.interop import run_export_dialog, run_import_dialog
from metaflash.ui.shell.help_dialogs import DeckFormatDialog, show_about
from metaflash.ui.shell.settings_dialog import SettingsDialog, SettingsValues

if TYPE_CHECKING:
    from metaflash.ui.shell.main_window import MainWindow


class WindowCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.settings_dialog: SettingsDialog | None = None

    def table(self) -> dict[str, Callable[[], object]]:
        """The commands the menus name."""
        return {
            "open_folder": self.choose_deck_folder,
            "add_file": self.choose_deck_file,
            "reload": self._window.reload_decks,
            "restore_removed": self.restore_removed,
            "new_deck": self.new_deck,
            "import_decks": self.import_decks,
            "export_decks": self.export_decks,
            "settings": self.open_settings,
            "quit": self._window.close,
            "study_deck": self.study_selected,
            "filter_decks": self.filter_decks,
            "full_screen": self.toggle_full_screen,
            "welcome": self._window.show_welcome,
            "deck_format": self.show_deck_format,
            "about": self.show_about,
        }

    # --- the library -------------------------------------------------------------------

    @Slot()
    def choose_deck_folder(self) -> None:
        window = self._window
        folders = window.library.folders
        start = str(folders[-1]) if folders else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(window, "Open Deck Folder", start)
        if chosen:
            window.add_deck_folder(Path(chosen))

    @Slot()
    def choose_deck_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self._window, "Add Deck File", str(Path.home()), "Deck files (*.yaml *.yml)"
        )
        if chosen:
            self.add_deck_file(Path(chosen))

    def add_deck_file(self, file: Path) -> bool:
        """Copy a deck into the user's decks folder and select it; explain a refusal."""
        window = self._window
        try:
            deck = window.library_controller.add_file(file)
        except AddDeckError as error:
            QMessageBox.warning(window, "Cannot add the deck", str(error))
            return False
        if deck is not None:
            window.deck_manager.select_deck(deck.id)
        return True

    @Slot(str)
    def remove_deck(self, deck_id: str) -> None:
        """Ask, then leave the deck (and its sub-decks) out of the library."""
        window = self._window
        removed = window.library_controller.removal_of(DeckId(deck_id))
        if not removed:
            return
        names = "\n".join(f"• {deck.title}" for deck in removed)
        answer = QMessageBox.question(
            window,
            "Remove from Library",
            f"Remove these decks from the library?\n\n{names}\n\nTheir files stay where they "
            "are and your progress is kept: File › Restore Removed Decks brings them back.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Ok:
            window.library_controller.remove_deck(DeckId(deck_id))

    @Slot()
    def restore_removed(self) -> None:
        self._window.library_controller.restore_removed()

    # --- new decks, import and export --------------------------------------------------

    def _writable_folders(self) -> list[Path]:
        """Where a new or imported deck may go: the library's folders but the bundled one,
        the user's decks folder first."""
        controller = self._window.library_controller
        user = Path(os.path.realpath(controller.user_folder))
        others = [f for f in self._window.library.folders if f not in (controller.bundled, user)]
        return [user, *others]

    def _adopt(self, file: Path) -> DeckId | None:
        """A deck file a dialog wrote: load it with the library and select it."""
        window = self._window
        folder = Path(os.path.realpath(file.parent))
        if any(folder.is_relative_to(known) for known in window.library.folders):
            window.reload_decks()
        else:
            window.add_deck_folder(folder)
        real = os.path.realpath(file)
        deck = next(
            (d for d in window.library.decks if d.path and os.path.realpath(d.path) == real),
            None,
        )
        if deck is None:  # it has problems: the Problems panel lists them
            return None
        window.deck_manager.select_deck(deck.id)
        return deck.id

    @Slot()
    def new_deck(self) -> None:
        """File › New Deck: create the file, load it and open it in the editor."""
        window = self._window
        created = run_new_deck_dialog(window, self._writable_folders(), window.library.decks)
        if created is not None:
            deck_id = self._adopt(created)
            if deck_id is not None:
                self.edit_deck(deck_id)

    @Slot()
    def import_decks(self) -> None:
        """File › Import: an Anki package or a CSV file becomes YAML decks in the library."""
        imported = run_import_dialog(self._window, self._writable_folders())
        if imported is not None:
            self._adopt(imported)

    @Slot()
    def export_decks(self) -> None:
        """File › Export: the selected deck (or its folder) to an Anki package or CSV."""
        window = self._window
        deck_id = window.deck_manager.selected_deck_id()
        deck = window.library.deck(deck_id) if deck_id is not None else None
        if deck is None or deck.path is None:
            QMessageBox.information(
                window, "Export", "Choose the deck to export in the deck list, then export."
            )
            return
        exported = run_export_dialog(window, deck.path, deck.title)
        if exported is not None:
            window.statusBar().showMessage(f"Exported {deck.title} to {exported}", 8000)

    # --- deck files in an editor ---------------------------------------------------------

    @Slot(str)
    def open_deck_file(self, deck_id: str) -> None:
        deck = self._window.library.deck(DeckId(deck_id))
        if deck is not None and deck.path is not None:
            self._window.opener.open_file_at(deck.path, deck.location.line)

    @Slot(str)
    def reveal_deck_file(self, deck_id: str) -> None:
        deck = self._window.library.deck(DeckId(deck_id))
        if deck is not None and deck.path is not None:
            self._window.opener.reveal(deck.path)

    @Slot(str)
    def edit_deck(self, deck_id: str) -> None:
        """Edit Deck in a deck's menu: the deck in the editor view."""
        self._window.study.edit_deck(DeckId(deck_id))

    @Slot(str, str)
    def edit_card(self, deck_id: str, card_id: str) -> None:
        """E in the review: the card in the editor view, or else the card's deck file at
        the card's line in the system's editor."""
        if self._window.study.edit_deck(DeckId(deck_id), card_id):
            return
        deck = self._window.library.deck(DeckId(deck_id))
        if deck is None or deck.path is None:
            return
        card = deck.card(CardId(card_id))
        line = card.location.line if card is not None else deck.location.line
        self._window.opener.open_file_at(deck.path, line)

    # --- settings -------------------------------------------------------------------------

    def current_settings(self) -> SettingsValues:
        window = self._window
        theme = window.theme.requested if window.theme is not None else window.settings.theme
        return SettingsValues(
            window.collection.scheduler_settings(),
            window.collection.study_settings(),
            theme,
            window.settings.font_scale,
            window.settings.reduce_motion,
        )

    def _recent_reviews_per_day(self) -> float | None:
        window = self._window
        ids = [deck.id for deck in window.library.decks]
        if not ids:
            return None
        days = reviews_per_day(
            window.collection,
            ids,
            window.collection.study_day(window.clock.timezone),
            window.clock.now(),
            30,
        )
        active = [day.answers for day in days if day.answers]
        return sum(active) / len(days) if active else None

    @Slot()
    def open_settings(self) -> SettingsDialog:
        window = self._window
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return self.settings_dialog
        dialog = SettingsDialog(
            self.current_settings(),
            data_dir=window.data_dir,
            opener=window.opener,
            reviews_per_day=self._recent_reviews_per_day(),
            parent=window,
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
        window = self._window
        collection = window.collection
        before = self.current_settings()
        if values.scheduler != before.scheduler:
            collection.set_scheduler_settings(values.scheduler)
        if values.study != before.study:
            collection.set_study_settings(values.study)
        prefs = window.settings
        prefs.theme = values.theme
        prefs.font_scale = values.font_scale
        prefs.reduce_motion = values.reduce_motion
        prefs.sync()
        if window.theme is not None:
            if values.font_scale != window.theme.font_scale:
                window.theme.set_font_scale(values.font_scale)
            window.theme.apply(values.theme)
        window.study.set_reduce_motion(values.reduce_motion)
        if values.scheduler != before.scheduler or values.study != before.study:
            window.study.restart()
        window.refresh_counts()

    # --- the rest ----------------------------------------------------------------------

    @Slot()
    def study_selected(self) -> None:
        selected = self._window.deck_manager.selected_deck_id()
        if selected is not None:
            self._window.study.study_deck(selected)

    @Slot()
    def filter_decks(self) -> None:
        window = self._window
        window.deck_list_action.setChecked(True)
        window.deck_manager.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        window.deck_manager.filter.selectAll()

    @Slot()
    def toggle_full_screen(self) -> None:
        window = self._window
        window.setWindowState(window.windowState() ^ Qt.WindowState.WindowFullScreen)
        window.menus.full_screen.setChecked(window.isFullScreen())

    @Slot()
    def show_deck_format(self) -> None:
        dialog = DeckFormatDialog(self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def show_about(self) -> None:
        show_about(self._window, self._window.data_dir, self._window.library.folders)

