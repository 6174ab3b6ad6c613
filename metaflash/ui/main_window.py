"""The main window: a stack of views in the centre, the menus, a problems panel, a status bar.

The window holds no study logic. It is given the loaded decks and the function that loads
them, and each view is given its own model; later views (review, diagram, statistics,
editor) are added with :meth:`MainWindow.add_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from metaflash.ui.deck_browser import DeckBrowserView
from metaflash.ui.deck_library import DeckLibrary
from metaflash.ui.help_dialogs import DeckFormatDialog, show_about
from metaflash.ui.problems_panel import ProblemsPanel
from metaflash.ui.theme import set_role

LibraryLoader = Callable[[Sequence[Path]], DeckLibrary]


class ViewName(StrEnum):
    DECKS = "decks"
    REVIEW = "review"
    DIAGRAM = "diagram"
    STATS = "stats"
    EDITOR = "editor"


def _count(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class MainWindow(QMainWindow):
    def __init__(
        self,
        library: DeckLibrary,
        *,
        data_dir: Path,
        load_library: LibraryLoader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("metaflash")
        self.setMinimumSize(900, 600)
        self.setAnimated(
            False
        )  # docks and the status bar appear at once, with no timers left running
        self._library = library
        self._data_dir = data_dir
        self._load_library = load_library

        self.stack = QStackedWidget()
        self.stack.setObjectName("views")
        self.setCentralWidget(self.stack)
        self._views: dict[ViewName, QWidget] = {}
        self.deck_browser = DeckBrowserView(library)
        self.add_view(ViewName.DECKS, self.deck_browser)

        self.problems = ProblemsPanel(library.problems)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.problems_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self.summary = QLabel()
        self.summary.setObjectName("librarySummary")
        self.problem_button = QToolButton()
        self.problem_button.setObjectName("problemButton")
        self.problem_button.setAutoRaise(True)
        self.problem_button.setToolTip("Show the problems found in deck files")
        self.problem_button.clicked.connect(self.show_problems)
        self.statusBar().addWidget(self.summary, 1)
        self.statusBar().addPermanentWidget(self.problem_button)
        self.statusBar().setSizeGripEnabled(False)

        self._build_menus()
        self._show_library(library)
        self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)

    # --- views ------------------------------------------------------------------------------

    def add_view(self, name: ViewName, view: QWidget) -> None:
        if name in self._views:
            raise ValueError(f"the {name} view is already in the window")
        self._views[name] = view
        self.stack.addWidget(view)

    def show_view(self, name: ViewName | str) -> ViewName:
        """Show the named view; views not in this window fall back to the decks view."""
        wanted = ViewName(name)
        shown = wanted if wanted in self._views else ViewName.DECKS
        self.stack.setCurrentWidget(self._views[shown])
        return shown

    def current_view(self) -> ViewName:
        current = self.stack.currentWidget()
        return next(name for name, view in self._views.items() if view is current)

    # --- the decks ------------------------------------------------------------------------

    @property
    def library(self) -> DeckLibrary:
        return self._library

    def reload_decks(self) -> None:
        self._show_library(self._load_library(self._library.folders))

    def add_deck_folder(self, folder: Path) -> None:
        """Load the decks in ``folder`` as well, and select the first of them."""
        folder = folder.resolve()
        folders = self._library.folders
        if folder not in folders:
            folders = (*folders, folder)
        self._show_library(self._load_library(folders))
        added = sorted(
            (
                deck
                for deck in self._library.decks
                if deck.path is not None and deck.path.is_relative_to(folder)
            ),
            key=lambda deck: deck.title.casefold(),
        )
        if added:
            self.deck_browser.select_deck(added[0].id)

    def _show_library(self, library: DeckLibrary) -> None:
        self._library = library
        self.deck_browser.set_library(library)
        self.problems.set_problems(library.problems)
        self.problems_dock.setVisible(bool(library.problems))
        folders = len(library.folders)
        self.summary.setText(
            f"{_count(len(library.decks), 'deck')} and {_count(library.card_count, 'card')} loaded "
            f"from {_count(folders, 'folder')}"
        )
        count = len(library.problems)
        self.problem_button.setText(
            _count(count, "problem") + " found" if count else "No problems found"
        )
        set_role(self.problem_button, "error" if count else "muted")
        self.problem_button.setEnabled(bool(count))

    # --- menus ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_folder_action = self._action(
            "&Open Deck Folder…", QKeySequence.StandardKey.Open, self._choose_deck_folder
        )
        self.reload_action = self._action(
            "&Reload Decks", QKeySequence.StandardKey.Refresh, self.reload_decks
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.open_folder_action)
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.problems_action = self.problems_dock.toggleViewAction()
        self.problems_action.setText("&Problems")
        self.problems_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        view_menu.addAction(self.problems_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.deck_format_action = self._action(
            "&Deck Format", QKeySequence.StandardKey.HelpContents, self._show_deck_format
        )
        self.about_action = self._action("&About metaflash", None, self._show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.deck_format_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _action(
        self, text: str, shortcut: QKeySequence.StandardKey | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    @Slot()
    def show_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _choose_deck_folder(self) -> None:
        start = str(self._library.folders[-1]) if self._library.folders else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Open Deck Folder", start)
        if chosen:
            self.add_deck_folder(Path(chosen))

    @Slot()
    def _show_deck_format(self) -> None:
        dialog = DeckFormatDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def _show_about(self) -> None:
        show_about(self, self._data_dir, self._library.folders)
