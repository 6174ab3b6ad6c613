"""The decks view: the tree of decks on the left, the selected deck's cards in the centre."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from metaflash.core.deck_model import DeckId
from metaflash.ui.deck_detail import DeckDetail
from metaflash.ui.deck_library import DeckLibrary
from metaflash.ui.deck_tree import DeckTree


class DeckBrowserView(QWidget):
    """Browses a :class:`DeckLibrary`; :meth:`set_library` shows a newly loaded one."""

    def __init__(self, library: DeckLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckBrowser")
        self.detail = DeckDetail(library)
        self.tree = DeckTree(library)
        self.tree.setProperty("role", "sidebar")
        self.tree.deck_selected.connect(self._on_deck_selected)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 940])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._on_deck_selected(self.tree.selected_deck_id() or "")

    def set_library(self, library: DeckLibrary) -> None:
        self.detail.set_library(library)
        self.tree.set_library(library)

    def select_deck(self, deck_id: DeckId) -> bool:
        return self.tree.select_deck(deck_id)

    @Slot(str)
    def _on_deck_selected(self, deck_id: str) -> None:
        self.detail.show_deck(deck_id or None)
