"""The main window: the deck manager on the left, a stack of views in the centre (deck
overview, review, diagram, statistics, editor), menus, a toolbar, a problems panel and a
status bar.

The window holds no study logic: the library controller loads the decks and keeps the
collection in step, a :class:`~metaflash.core.study.session.ReviewSession` decides what is
studied, and each view shows its model. What the window does is connect them: which deck is
selected, which view is shown, and refreshing today's counts (two cheap queries, deferred
until the next card is on screen) after every answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidgetItem,
    QWidget,
)

from metaflash.core.collection.store import Collection, CollectionChange
from metaflash.core.decks.model import DeckId, Problem
from metaflash.core.library.snapshot import Library
from metaflash.core.study.counts import TodayCounts, due_forecast, subtree_ids, today_counts
from metaflash.core.util.observers import Subscription
from metaflash.ui.common.clock import Clock
from metaflash.ui.common.theme import ThemeController, set_role
from metaflash.ui.common.window_geometry import MINIMUM
from metaflash.ui.common.window_settings import WindowSettings
from metaflash.ui.decks.deck_manager import DeckManager
from metaflash.ui.decks.deck_overview import DeckOverview
from metaflash.ui.decks.library_controller import LibraryController
from metaflash.ui.decks.study_panel import FORECAST_DAYS
from metaflash.ui.review.review_view import ReviewView
from metaflash.ui.shell.commands import WindowCommands
from metaflash.ui.shell.menus import MenuCommands, WindowActions, build_menus
from metaflash.ui.shell.open_in_editor import DesktopOpener
from metaflash.ui.shell.problems_panel import ProblemsPanel
from metaflash.ui.shell.shortcuts import (
    KeyboardShortcutsDialog,
    ShortcutGroup,
    diagram_group,
    editor_group,
    menu_groups,
)
from metaflash.ui.shell.study_host import StudyHost
from metaflash.ui.shell.sync_controller import SyncButton, SyncController
from metaflash.ui.shell.views import VIEW_TITLES, ViewName

#: After an answer, today's counts are refreshed this much later (the next card first).
COUNTS_DELAY_MS = 30


def _count(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


#: The most of the window the deck list takes by itself to show whole titles (the bundled
#: decks' longest title fits at 1366x768; the rest goes to the view).
SIDEBAR_SHARE = 0.38


class MainWindow(QMainWindow):
    def __init__(
        self,
        *,
        collection: Collection,
        data_dir: Path,
        bundled: Path,
        clock: Clock,
        settings: WindowSettings,
        theme: ThemeController | None = None,
        opener: DesktopOpener | None = None,
        extra_folders: tuple[Path, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("metaflash")
        self.setMinimumSize(MINIMUM)  # shrunk to the screen by window_geometry.fit_window
        self.setAnimated(False)  # docks appear at once, with no animation left running
        self.collection = collection
        self.data_dir = data_dir
        self.clock = clock
        self.settings = settings
        self.theme = theme
        self.opener = opener or DesktopOpener()
        self.counts: dict[DeckId, TodayCounts] = {}
        self._views: dict[ViewName, QWidget] = {}

        self.library_controller = LibraryController(
            bundled=bundled,
            data_dir=data_dir,
            collection=collection,
            clock=clock,
            settings=settings,
            extra_folders=extra_folders,
            parent=self,
        )
        library = self.library_controller.library
        self.deck_manager = DeckManager(library)
        self.overview = DeckOverview(library)
        self.review = ReviewView(clock)
        self.stack = QStackedWidget()
        self.stack.setObjectName("views")
        self._page_policies: dict[int, QSizePolicy] = {}  # each view's own, kept while hidden
        self.stack.currentChanged.connect(self._size_by_current_view)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.deck_manager)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 920])
        # when a view needs less room again (the diagram's step panel closed), the deck list
        # gets its width back
        self.splitter.installEventFilter(self)
        self.setCentralWidget(self.splitter)
        #: The deck list's width the user chose (None: fit the titles); given back whenever a
        #: view that needed more room (the diagram's step panel) is left.
        self._sidebar_width: int | None = None
        self.splitter.splitterMoved.connect(self._remember_sidebar)
        self.add_view(ViewName.DECKS, self.overview)
        self.add_view(ViewName.REVIEW, self.review)

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
        self.problem_button.setToolTip("Show the problems found in deck files (Ctrl+Shift+M)")
        self.problem_button.clicked.connect(self.show_problems)
        self.sync_button = SyncButton()
        self.statusBar().addWidget(self.summary, 1)
        self.statusBar().addPermanentWidget(self.sync_button)
        self.statusBar().addPermanentWidget(self.problem_button)
        self.statusBar().setSizeGripEnabled(False)

        self.study = StudyHost(
            collection=collection,
            clock=clock,
            settings=settings,
            library=self.library_controller,
            review=self.review,
            selected_deck=self.deck_manager.selected_deck_id,
            current_view=self.current_view,
            parent=self,
        )
        self.study.view_ready.connect(self._on_view_ready)
        self.study.view_wanted.connect(self.show_view)
        self.study.review_started.connect(self._show_review_now)
        self.study.decks_wanted.connect(self.back_to_decks)
        self.sync = SyncController(collection, clock, self._reviewing, parent=self)
        self.sync_button.follow(self.sync)
        self.sync.problems_found.connect(self._show_problems_found)
        self.stack.currentChanged.connect(self.sync.idle)  # a sync that waited for the review
        self.commands = WindowCommands(
            parent=self,
            data_dir=data_dir,
            collection=collection,
            clock=clock,
            settings=settings,
            theme=theme,
            opener=self.opener,
            library=self.library_controller,
            deck_manager=self.deck_manager,
            study=self.study,
            sync=self.sync,
        )
        self.commands.settings_applied.connect(self.refresh_counts)
        self.commands.status_message.connect(self._show_status)
        self.sync.synced.connect(self.commands.refresh_class_shares)  # class summaries kept current
        self._counts_timer = QTimer(self)
        self._counts_timer.setObjectName("counts-refresh")
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._subscription: Subscription[CollectionChange] | None = collection.changed.connect(
            self._on_collection_changed
        )
        self.study.add_optional_views()

        self.deck_list_action = self._deck_list_toggle()
        self.menus: WindowActions = build_menus(
            self,
            commands=self._menu_commands(),
            views=[(name.value, VIEW_TITLES[name]) for name in self._menu_views()],
            show_view=self.show_view,
            study_actions=self.review.study_actions(),
            problems_action=self.problems_dock.toggleViewAction(),
            deck_list_action=self.deck_list_action,
        )

        self.deck_manager.deck_selected.connect(self._on_deck_selected)
        self.deck_manager.study_requested.connect(self.study.study_deck)
        self.deck_manager.open_file_requested.connect(self.commands.open_deck_file)
        self.deck_manager.edit_requested.connect(self.commands.edit_deck)
        self.deck_manager.can_edit = self.study.has_editor
        self.deck_manager.reveal_requested.connect(self.commands.reveal_deck_file)
        self.deck_manager.remove_requested.connect(self.commands.remove_deck)
        self.overview.study_requested.connect(self.study.study_deck)
        self.overview.welcome.dismissed.connect(self._on_welcome_dismissed)
        self.review.back_requested.connect(self.back_to_decks)
        self.review.edit_requested.connect(self.commands.edit_card)
        self.problems.itemActivated.connect(self._on_problem_activated)
        self.library_controller.library_changed.connect(self._on_library_changed)

        last = settings.last_deck  # read before showing the library selects the first deck
        self.overview.welcome.setVisible(not settings.welcome_dismissed)
        QWidget.setTabOrder(self.deck_manager.filter, self.deck_manager.tree)
        QWidget.setTabOrder(self.deck_manager.tree, self.overview.welcome.close_button)
        self._show_library(library)
        if last is not None:
            self.deck_manager.select_deck(last)
        self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)
        self._restore_layout()
        self.show_view(ViewName.DECKS)
        self.deck_manager.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sync.start()

    # --- views ------------------------------------------------------------------------------

    def _menu_commands(self) -> MenuCommands:
        commands = self.commands
        return MenuCommands(
            open_folder=commands.choose_deck_folder,
            add_file=commands.choose_deck_file,
            reload=self.reload_decks,
            restore_removed=commands.restore_removed,
            new_deck=commands.new_deck,
            import_decks=commands.import_decks,
            export_decks=commands.export_decks,
            share_with_class=commands.choose_class_to_share,
            open_class=commands.open_class_folder,
            settings=commands.open_settings,
            quit=self.close,
            study_deck=commands.study_selected,
            filter_decks=self.filter_decks,
            full_screen=self.toggle_full_screen,
            welcome=self.show_welcome,
            deck_format=commands.show_deck_format,
            shortcuts=self.show_shortcuts,
            about=commands.show_about,
        )

    def add_view(self, name: ViewName, view: QWidget) -> None:
        if name in self._views:
            raise ValueError(f"the {name} view is already in the window")
        self._views[name] = view
        self.stack.addWidget(view)
        self._size_by_current_view(self.stack.currentIndex())

    def set_view(self, name: ViewName, view: QWidget) -> None:
        """Put ``view`` in the window as ``name``, replacing (and deleting) the one before."""
        old = self._views.get(name)
        if old is view:
            return
        showing = old is not None and self.stack.currentWidget() is old
        self._views[name] = view
        self.stack.addWidget(view)
        if showing:
            self.stack.setCurrentWidget(view)
        if old is not None:
            self.stack.removeWidget(old)
            self._page_policies.pop(id(old), None)
            old.deleteLater()
        self._size_by_current_view(self.stack.currentIndex())

    def has_view(self, name: ViewName) -> bool:
        return name in self._views

    def view(self, name: ViewName) -> QWidget | None:
        return self._views.get(name)

    def show_view(self, name: ViewName | str) -> ViewName:
        """Show the named view; a view this window cannot show falls back to the decks.

        The review view starts (or resumes) studying the selected deck; the diagram view
        shows the selected deck's diagram; statistics are computed as they are shown."""
        wanted = ViewName(name)
        if wanted is ViewName.REVIEW and not self.study.ensure_session():
            wanted = ViewName.DECKS
        if wanted is ViewName.DIAGRAM and not self.study.prepare_diagram():
            wanted = ViewName.DECKS
        if wanted is ViewName.EDITOR and not self.study.prepare_editor():
            wanted = ViewName.DECKS
        shown = wanted if wanted in self._views else ViewName.DECKS
        view = self._views[shown]
        self.stack.setCurrentWidget(view)
        if shown is ViewName.STATS:
            self.study.refresh_statistics()
        if shown is ViewName.DECKS:
            self.refresh_counts()
        action = self.menus.views.get(shown.value) if hasattr(self, "menus") else None
        if action is not None:
            action.setChecked(True)
        if shown is not ViewName.DECKS:
            view.setFocus(Qt.FocusReason.OtherFocusReason)
        return shown

    def _menu_views(self) -> list[ViewName]:
        """The views the toolbar offers: the editor only when this build has one."""
        names = [ViewName.DECKS, ViewName.REVIEW, ViewName.DIAGRAM, ViewName.STATS]
        if ViewName.EDITOR in self._views:
            names.append(ViewName.EDITOR)
        return names

    def current_view(self) -> ViewName:
        current = self.stack.currentWidget()
        return next((name for name, view in self._views.items() if view is current), ViewName.DECKS)

    @Slot(str, QWidget)
    def _on_view_ready(self, name: str, view: QWidget) -> None:
        self.set_view(ViewName(name), view)

    @Slot()
    def _show_review_now(self) -> None:
        """A session has started: the review screen as it is (not prepared again)."""
        self.stack.setCurrentWidget(self.review)
        if hasattr(self, "menus"):
            self.menus.views[ViewName.REVIEW.value].setChecked(True)
        self.review.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _reviewing(self) -> bool:
        """Whether a card is on screen (syncing waits until it is not)."""
        return self.current_view() is ViewName.REVIEW and self.review.session is not None

    @Slot()
    def _show_problems_found(self) -> None:
        self._show_library(self.library)
        self.problems_dock.setVisible(True)

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def shortcut_groups(self) -> list[ShortcutGroup]:
        """Every key the window answers to, from its menus, the editor and the diagram."""
        editor = self.study.editor
        return [
            *menu_groups(self),
            *editor_group(editor.editor_actions if editor is not None else None),
            *diagram_group(),
        ]

    @Slot()
    def show_shortcuts(self) -> KeyboardShortcutsDialog:
        """Help › Keyboard Shortcuts."""
        dialog = KeyboardShortcutsDialog(self.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    @Slot()
    def filter_decks(self) -> None:
        self.deck_list_action.setChecked(True)
        self.deck_manager.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.deck_manager.filter.selectAll()

    @Slot()
    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)
        self.menus.full_screen.setChecked(self.isFullScreen())

    @Slot()
    def back_to_decks(self) -> None:
        self.show_view(ViewName.DECKS)
        self.deck_manager.setFocus(Qt.FocusReason.OtherFocusReason)

    def _deck_list_toggle(self) -> QAction:
        action = QAction("Deck List", self)
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(self.deck_manager.setVisible)
        return action

    # --- the decks --------------------------------------------------------------------

    @property
    def library(self) -> Library:
        return self.library_controller.library

    def reload_decks(self) -> None:
        self.library_controller.reload()

    def add_deck_folder(self, folder: Path) -> None:
        """Load the decks in ``folder`` as well (remembered), and select the first of them."""
        self.commands.add_deck_folder(folder)

    @Slot()
    def _on_library_changed(self) -> None:
        self._show_library(self.library)
        self.study.library_changed()
        self.sync.decks_changed()  # another device's answers to cards that just came

    def _show_library(self, library: Library) -> None:
        self.deck_manager.set_library(library)
        self.overview.set_library(library)
        problems = library.problems + tuple(self.sync.problems)
        self.problems.set_problems(problems)
        self.problems_dock.setVisible(bool(problems))
        self.summary.setText(
            f"{_count(len(library.decks), 'deck')} and {_count(library.card_count, 'card')} "
            f"loaded from {_count(len(library.folders), 'folder')}"
        )
        count = len(problems)
        self.problem_button.setText(
            _count(count, "problem") + " found" if count else "No problems found"
        )
        set_role(self.problem_button, "error" if count else "muted")
        self.problem_button.setEnabled(bool(count))
        if hasattr(self, "menus"):
            self.menus.restore_removed.setEnabled(self.library_controller.has_removed)
        self.refresh_counts()

    @Slot(str)
    def _on_deck_selected(self, deck_id: str) -> None:
        self.overview.show_deck(deck_id or None)
        if deck_id:
            self.settings.last_deck = DeckId(deck_id)
            self.study.deck_selected(DeckId(deck_id))
        self._show_overview_counts()

    # --- today's counts -----------------------------------------------------------------

    def _on_collection_changed(self, change: CollectionChange) -> None:
        self.study.note_change(change)
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    @Slot()
    def refresh_counts(self) -> None:
        """Today's counts for every deck (two grouped queries) into the tree and overview."""
        self._counts_timer.stop()
        decks = self.library.decks
        now = self.clock.now()
        day = self.collection.study_day(self.clock.timezone)
        self.counts = today_counts(self.collection, decks, day, now)
        self.deck_manager.tree.set_counts(self.counts)
        self.study.refresh_mastery()
        self._show_overview_counts()

    def _show_overview_counts(self) -> None:
        deck = self.overview.deck
        if deck is None or self.library.deck(deck.id) is None:
            return
        self.overview.set_counts(self.counts.get(deck.id, TodayCounts()))
        if self.stack.currentWidget() is self.overview:
            day = self.collection.study_day(self.clock.timezone)
            ids = subtree_ids(self.library.decks, deck.id)
            self.overview.set_forecast(
                due_forecast(self.collection, ids, day, self.clock.now(), FORECAST_DAYS)
            )

    # --- problems and the welcome ---------------------------------------------------------

    @Slot()
    def show_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(QTreeWidgetItem, int)
    def _on_problem_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        row = self.problems.indexOfTopLevelItem(item)
        if 0 <= row < len(self.problems.problems):
            problem: Problem = self.problems.problems[row]
            self.opener.open_file_at(Path(problem.file), problem.line)

    @Slot()
    def _on_welcome_dismissed(self) -> None:
        self.settings.welcome_dismissed = True
        self.settings.sync()
        self.deck_manager.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_welcome(self) -> None:
        self.settings.welcome_dismissed = False
        self.overview.welcome.show()
        self.show_view(ViewName.DECKS)

    # --- geometry and closing ------------------------------------------------------------

    def _saved_splitters(self) -> dict[str, Callable[[], QSplitter]]:
        return {
            "main_splitter": lambda: self.splitter,
            "cards_splitter": lambda: self.overview.splitter,
        }

    def _restore_layout(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.state("window_state")
        if state is not None:
            self.restoreState(state)
        for name, splitter in self._saved_splitters().items():
            saved = self.settings.state(name)
            if saved is not None:
                splitter().restoreState(saved)
        self.deck_list_action.setChecked(self.settings.state("deck_list_hidden") is None)
        width = self.settings.state("deck_list_width")
        if width is not None and bytes(width.data()).isdigit():
            self._sidebar_width = int(bytes(width.data()))

    def _save_layout(self) -> None:
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("window_state", self.saveState())
        for name, splitter in self._saved_splitters().items():
            self.settings.set_state(name, splitter().saveState())
        self.settings.set_state(
            "deck_list_hidden", QByteArray(b"" if self.deck_list_action.isChecked() else b"1")
        )
        if self._sidebar_width is not None:
            self.settings.set_state("deck_list_width", QByteArray(b"%d" % self._sidebar_width))
        self.settings.sync()

    @Slot(int, int)
    def _remember_sidebar(self, position: int, index: int) -> None:
        """The user dragged the handle: their width is kept from now on."""
        self._sidebar_width = self.splitter.sizes()[0]

    @Slot(int)
    def _size_by_current_view(self, _index: int) -> None:
        """The views' stack asks for the room its current view needs, not the largest of all
        (a hidden editor or diagram panel would keep the deck list squeezed on every view)."""
        current = self.stack.currentWidget()
        ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is None:
                continue
            own = self._page_policies.setdefault(id(page), page.sizePolicy())
            page.setSizePolicy(own if page is current else ignored)
        self.stack.updateGeometry()

    def fit_sidebar(self) -> None:
        """Give the deck list its width: the user's, else wide enough for every title (at
        most :data:`SIDEBAR_SHARE` of the window), as far as the view beside it leaves room."""
        total = sum(self.splitter.sizes())
        if total <= 0 or not self.deck_manager.isVisible():
            return
        wanted = self._sidebar_width
        if wanted is None:
            wanted = min(self.deck_manager.ideal_width(), round(total * SIDEBAR_SHARE))
        current = self.stack.currentWidget()
        view_minimum = (current or self.stack).minimumSizeHint().width()
        width = max(self.deck_manager.minimumSizeHint().width(), min(wanted, total - view_minimum))
        if width != self.splitter.sizes()[0]:
            self.splitter.setSizes([width, total - width])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_sidebar()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.LayoutRequest:
            self.fit_sidebar()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.study.may_close():  # unsaved edits, and the author chose Cancel
            event.ignore()
            return
        self.sync.stop()
        self.sync.sync(even_if_busy=True)  # this computer's last answers reach the folder
        self.commands.refresh_class_shares()
        self._save_layout()
        self._counts_timer.stop()
        self.review.shutdown()
        self.study.shutdown()
        self.library_controller.stop()
        if self._subscription is not None:
            self._subscription.disconnect()
            self._subscription = None
        super().closeEvent(event)
