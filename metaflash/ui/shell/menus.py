"""The main window's menu bar and toolbar: every command with its standard shortcut.

The toolbar holds text buttons (crisp at any scale, no bitmaps): the views and Settings.
The Study menu shows the review screen's own actions, so a key, a click and the menu are
one and the same command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True, slots=True)
class MenuCommands:
    """What each menu command does."""

    open_folder: Callable[[], object]
    add_file: Callable[[], object]
    reload: Callable[[], object]
    restore_removed: Callable[[], object]
    new_deck: Callable[[], object]
    import_decks: Callable[[], object]
    export_decks: Callable[[], object]
    share_with_class: Callable[[], object]
    open_class: Callable[[], object]
    settings: Callable[[], object]
    quit: Callable[[], object]
    study_deck: Callable[[], object]
    filter_decks: Callable[[], object]
    full_screen: Callable[[], object]
    welcome: Callable[[], object]
    deck_format: Callable[[], object]
    shortcuts: Callable[[], object]
    about: Callable[[], object]


@dataclass
class WindowActions:
    open_folder: QAction
    add_file: QAction
    reload: QAction
    restore_removed: QAction
    new_deck: QAction
    import_decks: QAction
    export_decks: QAction
    share_with_class: QAction
    open_class: QAction
    settings: QAction
    quit: QAction
    views: dict[str, QAction]
    study_deck: QAction
    deck_list: QAction
    filter_decks: QAction
    problems: QAction
    full_screen: QAction
    welcome: QAction
    deck_format: QAction
    shortcuts: QAction
    about: QAction
    toolbar: QToolBar
    study_menu: QMenu


def make_action(
    window: QMainWindow,
    text: str,
    shortcut: Shortcut | Sequence[Shortcut],
    slot: Callable[[], object],
) -> QAction:
    action = QAction(text, window)
    keys: Sequence[Shortcut] = (
        shortcut if isinstance(shortcut, (list, tuple)) else [shortcut]  # type: ignore[list-item]
    )
    sequences = [QKeySequence(key) for key in keys if key is not None]
    if sequences:
        action.setShortcuts(sequences)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(
    window: QMainWindow,
    *,
    commands: MenuCommands,
    views: Sequence[tuple[str, str]],
    show_view: Callable[[str], object],
    study_actions: Sequence[QAction | None],
    problems_action: QAction,
    deck_list_action: QAction,
) -> WindowActions:
    """Menus and toolbar. ``commands`` says what each command does; ``views`` lists
    (view name, title) in toolbar order."""

    def act(
        text: str, shortcut: Shortcut | Sequence[Shortcut], slot: Callable[[], object]
    ) -> QAction:
        return make_action(window, text, shortcut, slot)

    open_folder = act("&Open Deck Folder…", QKeySequence.StandardKey.Open, commands.open_folder)
    add_file = act("&Add Deck File…", "Ctrl+Shift+O", commands.add_file)
    reload = act("&Reload Decks", [QKeySequence.StandardKey.Refresh, "Ctrl+R"], commands.reload)
    restore = act("Restore &Removed Decks", None, commands.restore_removed)
    new_deck = act("&New Deck…", QKeySequence.StandardKey.New, commands.new_deck)
    import_decks = act("&Import…", "Ctrl+Shift+I", commands.import_decks)
    export_decks = act("&Export…", "Ctrl+Shift+E", commands.export_decks)
    share_with_class = act("S&hare Progress with a Class…", None, commands.share_with_class)
    open_class = act("Open C&lass Folder…", None, commands.open_class)
    settings = act(
        "&Settings…", ["Ctrl+,", QKeySequence.StandardKey.Preferences], commands.settings
    )
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    quit_action = act("&Quit", QKeySequence.StandardKey.Quit, commands.quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    file_menu = window.menuBar().addMenu("&File")
    file_actions = (
        new_deck, open_folder, add_file, reload, restore, None,
        import_decks, export_decks, None, share_with_class, open_class, None, settings, None,
        quit_action,
    )  # fmt: skip
    for action in file_actions:
        _add(file_menu, action)

    group = QActionGroup(window)
    group.setExclusive(True)
    view_actions: dict[str, QAction] = {}
    for number, (name, title) in enumerate(views, start=1):
        action = make_action(window, f"&{title}", f"Ctrl+{number}", partial(show_view, name))
        action.setCheckable(True)
        action.setData(name)
        group.addAction(action)
        view_actions[name] = action
    filter_decks = act("&Filter Decks", "Ctrl+K", commands.filter_decks)
    full_screen = act("&Full Screen", QKeySequence.StandardKey.FullScreen, commands.full_screen)
    full_screen.setCheckable(True)
    problems_action.setText("&Problems")
    problems_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
    deck_list_action.setText("&Deck List")
    deck_list_action.setShortcut(QKeySequence("F9"))
    view_menu = window.menuBar().addMenu("&View")
    for action in (
        *view_actions.values(),
        None,
        deck_list_action,
        filter_decks,
        problems_action,
        None,
        full_screen,
    ):
        _add(view_menu, action)

    study_menu = window.menuBar().addMenu("&Study")
    study_deck = act("&Study Selected Deck", "Ctrl+Return", commands.study_deck)
    _add(study_menu, study_deck)
    _add(study_menu, None)
    for action in study_actions:
        _add(study_menu, action)

    welcome = act("Show the &Welcome", None, commands.welcome)
    deck_format = act("&Deck Format", QKeySequence.StandardKey.HelpContents, commands.deck_format)
    shortcuts = act("&Keyboard Shortcuts", "Ctrl+/", commands.shortcuts)
    about = act("&About metaflash", None, commands.about)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    help_menu = window.menuBar().addMenu("&Help")
    for action in (welcome, deck_format, shortcuts, None, about):
        _add(help_menu, action)

    toolbar = QToolBar("Toolbar", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.toggleViewAction().setText("&Toolbar")
    for action in view_actions.values():
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addAction(settings)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    view_menu.insertAction(deck_list_action, toolbar.toggleViewAction())

    return WindowActions(
        open_folder=open_folder,
        add_file=add_file,
        reload=reload,
        restore_removed=restore,
        new_deck=new_deck,
        import_decks=import_decks,
        export_decks=export_decks,
        share_with_class=share_with_class,
        open_class=open_class,
        settings=settings,
        quit=quit_action,
        views=view_actions,
        study_deck=study_deck,
        deck_list=deck_list_action,
        filter_decks=filter_decks,
        problems=problems_action,
        full_screen=full_screen,
        welcome=welcome,
        deck_format=deck_format,
        shortcuts=shortcuts,
        about=about,
        toolbar=toolbar,
        study_menu=study_menu,
    )


def _add(menu: QMenu, action: QAction | None) -> None:
    if action is None:
        menu.addSeparator()
    else:
        menu.addAction(action)
