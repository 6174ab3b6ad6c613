"""The deck manager on the left of the window: a filter box over the tree of decks, and each
deck's actions (Study, Edit Deck when the editor is there, Open File, Reveal in Folder,
Remove from Library) in a context menu that the mouse, the menu key and Shift+F10 open."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, Qt, Signal, SignalInstance, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QMenu, QVBoxLayout, QWidget

from metaflash.core.decks.model import DeckId
from metaflash.core.library.snapshot import Library
from metaflash.ui.decks.deck_tree import DeckTree


class _FilterBox(QLineEdit):
    """Down arrow (or Enter) from the filter goes into the tree."""

    def __init__(self, tree: DeckTree) -> None:
        super().__init__()
        self._tree = tree

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._tree.setFocus(Qt.FocusReason.TabFocusReason)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class DeckManager(QWidget):
    """The filter box and the deck tree; the deck actions are signals with the deck's id."""

    deck_selected = Signal(str)
    study_requested = Signal(str)
    open_file_requested = Signal(str)
    edit_requested = Signal(str)
    reveal_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckManager")
        self.setProperty("role", "sidebar")
        self.tree = DeckTree(library)
        self.tree.setProperty("role", "sidebar")
        self.filter = _FilterBox(self.tree)
        self.filter.setObjectName("deckFilter")
        self.filter.setPlaceholderText("Filter decks")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter decks")
        self.filter.textChanged.connect(self.tree.set_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree)
        self.tree.deck_selected.connect(self.deck_selected)
        self.tree.study_requested.connect(self.study_requested)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)
        self._library = library
        self.can_edit = False  # whether this build has the editor view

    def set_library(self, library: Library) -> None:
        self._library = library
        self.tree.set_library(library)

    def ideal_width(self) -> int:
        """The width at which every deck's title shows whole (see :meth:`DeckTree.ideal_width`)."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        return self.tree.ideal_width() + margins.left() + margins.right()

    def select_deck(self, deck_id: DeckId) -> bool:
        return self.tree.select_deck(deck_id)

    def selected_deck_id(self) -> DeckId | None:
        return self.tree.selected_deck_id()

    def deck_menu(self, deck_id: DeckId) -> QMenu:
        """The actions of one deck, as the context menu shows them."""
        menu = QMenu(self)
        menu.setObjectName("deckMenu")
        deck = self._library.deck(deck_id)
        has_file = deck is not None and deck.path is not None

        def add(text: str, signal: SignalInstance, enabled: bool = True) -> QAction:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda: signal.emit(deck_id))
            return action

        default = add("&Study", self.study_requested)
        menu.setDefaultAction(default)
        menu.addSeparator()
        if self.can_edit:
            add("&Edit Deck", self.edit_requested, has_file)
        add("&Open File", self.open_file_requested, has_file)
        add("Reveal in &Folder", self.reveal_requested, has_file)
        menu.addSeparator()
        add("&Remove from Library…", self.remove_requested, has_file)
        return menu

    @Slot(QPoint)
    def _show_menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position) or self.tree.currentItem()
        if item is None:
            return
        if item is not self.tree.currentItem():
            self.tree.setCurrentItem(item)
        deck_id = self.tree.selected_deck_id()
        if deck_id is None:
            return
        menu = self.deck_menu(deck_id)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.tree.viewport().mapToGlobal(position))
