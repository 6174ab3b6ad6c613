"""The tree of decks on the left of the deck browser: titles nested by parent, card counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from metaflash.core.deck_model import DeckId
from metaflash.ui.deck_library import DeckLibrary, DeckNode, deck_forest

DECK_ID_ROLE = Qt.ItemDataRole.UserRole


class DeckTree(QTreeWidget):
    """Lists the library's decks; emits :attr:`deck_selected` with the chosen deck's id."""

    deck_selected = Signal(str)

    TITLE_COLUMN = 0
    COUNT_COLUMN = 1

    def __init__(self, library: DeckLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckTree")
        self.setColumnCount(2)
        self.setHeaderLabels(["Deck", "Cards"])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName("Decks")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COUNT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.currentItemChanged.connect(self._on_current_changed)
        self.set_library(library)

    def set_library(self, library: DeckLibrary) -> None:
        """Show ``library``, keeping the selected deck when it is still there."""
        previous = self.selected_deck_id()
        self.blockSignals(True)
        self.clear()
        for node in deck_forest(library.decks):
            self.addTopLevelItem(self._item(node))
        self.expandAll()
        self.blockSignals(False)
        if not (previous is not None and self.select_deck(previous)):
            first = self.topLevelItem(0)
            if first is not None:
                self.setCurrentItem(first)
            else:
                self.deck_selected.emit("")

    def _item(self, node: DeckNode) -> QTreeWidgetItem:
        deck = node.deck
        item = QTreeWidgetItem([deck.title, str(node.total_cards)])
        item.setData(self.TITLE_COLUMN, DECK_ID_ROLE, deck.id)
        own = len(deck.cards)
        tip = f"{deck.title}\n{_cards(own)} in this deck"
        if node.children:
            tip += f", {_cards(node.total_cards)} with its sub-decks"
        item.setToolTip(self.TITLE_COLUMN, tip)
        item.setToolTip(self.COUNT_COLUMN, tip)
        item.setTextAlignment(
            self.COUNT_COLUMN, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        for child in node.children:
            item.addChild(self._item(child))
        return item

    def selected_deck_id(self) -> DeckId | None:
        item = self.currentItem()
        if item is None:
            return None
        return DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE)))

    def select_deck(self, deck_id: DeckId) -> bool:
        """Select the deck with ``deck_id``; False when it is not in the tree."""
        for item in self._items():
            if item.data(self.TITLE_COLUMN, DECK_ID_ROLE) == deck_id:
                self.setCurrentItem(item)
                return True
        return False

    def deck_ids(self) -> list[DeckId]:
        """The ids in display order (depth first)."""
        return [DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE))) for item in self._items()]

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            found.append(item)
            for index in range(item.childCount()):
                walk(item.child(index))

        for index in range(self.topLevelItemCount()):
            walk(self.topLevelItem(index))
        return found

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is not None:
            self.deck_selected.emit(str(current.data(self.TITLE_COLUMN, DECK_ID_ROLE)))


def _cards(count: int) -> str:
    return f"{count} card" if count == 1 else f"{count} cards"
