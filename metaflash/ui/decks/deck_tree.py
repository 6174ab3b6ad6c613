"""The tree of decks in the deck manager: titles nested by parent, and today's counts.

The New, Learning and Due columns show what studying each deck (with its sub-decks) would
bring today; they are coloured as in Anki (blue, red, green) and each column is labelled,
so colour is never the only signal. :meth:`DeckTree.set_counts` updates the numbers in
place (after every answer), without rebuilding the tree.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from metaflash.core.decks.model import DeckId
from metaflash.core.decks.tree import DeckNode
from metaflash.core.library.snapshot import Library
from metaflash.core.study.counts import TodayCounts
from metaflash.ui.common.theme import colors_for_palette

DECK_ID_ROLE = Qt.ItemDataRole.UserRole


class DeckTree(QTreeWidget):
    """Lists the library's decks; emits :attr:`deck_selected` with the chosen deck's id and
    :attr:`study_requested` when a deck is activated (Enter or a double click)."""

    deck_selected = Signal(str)
    study_requested = Signal(str)

    TITLE_COLUMN = 0
    NEW_COLUMN = 1
    LEARNING_COLUMN = 2
    DUE_COLUMN = 3

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckTree")
        self.setColumnCount(4)
        self.setHeaderLabels(["Deck", "New", "Learn", "Due"])
        header_item = self.headerItem()
        for column, tip in (
            (self.NEW_COLUMN, "New cards to learn today"),
            (self.LEARNING_COLUMN, "Cards in learning, due today"),
            (self.DUE_COLUMN, "Reviews due today"),
        ):
            header_item.setToolTip(column, tip)
            header_item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName("Decks")
        self.setAccessibleDescription(
            "Arrow keys move between decks, Enter studies the selected deck, "
            "the menu key opens its actions."
        )
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self._count_width = self.fontMetrics().horizontalAdvance("Learn") + 22
        for column in (self.NEW_COLUMN, self.LEARNING_COLUMN, self.DUE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self._count_width)
        # the names keep room for a few words however narrow the list is made; longer ones
        # elide, with the whole title in their tooltip
        self.setMinimumWidth(self._width_for(self.fontMetrics().averageCharWidth() * 12, 1))
        self._counts: dict[DeckId, TodayCounts] = {}
        self._filter = ""
        self.currentItemChanged.connect(self._on_current_changed)
        self.itemActivated.connect(self._on_activated)
        self.set_library(library)

    def _width_for(self, title: int, depth: int) -> int:
        """The list's width that shows a title ``title`` px wide at ``depth`` and the counts."""
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        return title + self.indentation() * (depth + 1) + 3 * self._count_width + frame + 12

    def ideal_width(self) -> int:
        """The width at which every deck's whole title shows beside its counts."""
        metrics = self.fontMetrics()
        widest = self.minimumWidth()
        stack = [(self.topLevelItem(i), 0) for i in range(self.topLevelItemCount())]
        while stack:
            item, depth = stack.pop()
            if item is None:
                continue
            title = metrics.horizontalAdvance(item.text(self.TITLE_COLUMN))
            widest = max(widest, self._width_for(title, depth))
            stack.extend((item.child(i), depth + 1) for i in range(item.childCount()))
        return widest

    # --- content --------------------------------------------------------------------------

    def set_library(self, library: Library) -> None:
        """Show ``library``, keeping the selected deck when it is still there."""
        previous = self.selected_deck_id()
        self.blockSignals(True)
        self.clear()
        for node in library.tree.roots:
            self.addTopLevelItem(self._item(node, library))
        self.expandAll()
        self._apply_counts()
        self._apply_filter()
        self.blockSignals(False)
        if not (previous is not None and self.select_deck(previous)):
            first = self._first_visible()
            if first is not None:
                self.setCurrentItem(first)
            else:
                self.deck_selected.emit("")

    def _item(self, node: DeckNode, library: Library) -> QTreeWidgetItem:
        deck = node.deck
        title = deck.title + (" (last good version)" if deck.id in library.stale else "")
        item = QTreeWidgetItem([title, "", "", ""])
        item.setData(self.TITLE_COLUMN, DECK_ID_ROLE, deck.id)
        own = deck.card_count
        tip = f"{deck.title}\n{_cards(own)} in this deck"
        if node.children:
            tip += f", {_cards(node.total_cards)} with its sub-decks"
        if deck.id in library.stale:
            tip += "\nIts file has errors: the last version that loaded is in use."
        item.setToolTip(self.TITLE_COLUMN, tip)
        for column in (self.NEW_COLUMN, self.LEARNING_COLUMN, self.DUE_COLUMN):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        for child in node.children:
            item.addChild(self._item(child, library))
        return item

    def set_counts(self, counts: Mapping[DeckId, TodayCounts]) -> None:
        """Show today's counts (each deck with its sub-decks)."""
        self._counts = dict(counts)
        self._apply_counts()

    def counts_shown(self, deck_id: DeckId) -> tuple[str, str, str]:
        """The New, Learning and Due texts of a deck's row (for tests and accessibility)."""
        item = self._find(deck_id)
        if item is None:
            raise KeyError(deck_id)
        return (
            item.text(self.NEW_COLUMN),
            item.text(self.LEARNING_COLUMN),
            item.text(self.DUE_COLUMN),
        )

    def _apply_counts(self) -> None:
        colors = colors_for_palette(self.palette())
        muted = QBrush(QColor(colors.disabled_text))
        hues = {
            self.NEW_COLUMN: (QBrush(QColor(colors.new)), "new"),
            self.LEARNING_COLUMN: (QBrush(QColor(colors.learning)), "learning"),
            self.DUE_COLUMN: (QBrush(QColor(colors.due)), "due"),
        }
        for item in self._items():
            counts = self._counts.get(DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE))))
            values = {
                self.NEW_COLUMN: counts.new if counts else 0,
                self.LEARNING_COLUMN: counts.learning if counts else 0,
                self.DUE_COLUMN: counts.due if counts else 0,
            }
            for column, value in values.items():
                brush, word = hues[column]
                item.setText(column, str(value))
                item.setForeground(column, brush if value else muted)
                item.setToolTip(column, f"{value} {word} today, with its sub-decks")

    # --- the filter ----------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show only decks whose title or id contains ``text`` (with their parents)."""
        self._filter = text.strip().casefold()
        self._apply_filter()
        current = self.currentItem()
        if current is None or not self._matches(current):
            first = next((item for item in self._items() if self._matches(item)), None)
            if first is not None:
                self.setCurrentItem(first)

    def _matches(self, item: QTreeWidgetItem) -> bool:
        wanted = self._filter
        deck_id = str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE))
        return not wanted or wanted in item.text(self.TITLE_COLUMN).casefold() or wanted in deck_id

    def _apply_filter(self) -> None:
        def show(item: QTreeWidgetItem | None) -> bool:
            if item is None:
                return False
            visible_child = False
            for index in range(item.childCount()):
                visible_child = show(item.child(index)) or visible_child
            match = self._matches(item)
            item.setHidden(not (match or visible_child))
            return match or visible_child

        for index in range(self.topLevelItemCount()):
            show(self.topLevelItem(index))

    def _first_visible(self) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if not item.isHidden()), None)

    def visible_deck_ids(self) -> list[DeckId]:
        return [
            DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE)))
            for item in self._items()
            if not item.isHidden()
        ]

    # --- selection ---------------------------------------------------------------------

    def selected_deck_id(self) -> DeckId | None:
        item = self.currentItem()
        if item is None:
            return None
        return DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE)))

    def select_deck(self, deck_id: DeckId) -> bool:
        """Select the deck with ``deck_id``; False when it is not in the tree."""
        item = self._find(deck_id)
        if item is None:
            return False
        if item.isHidden():
            self.set_filter("")
        self.setCurrentItem(item)
        return True

    def deck_ids(self) -> list[DeckId]:
        """The ids in display order (depth first)."""
        return [DeckId(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE))) for item in self._items()]

    def _find(self, deck_id: DeckId) -> QTreeWidgetItem | None:
        return next(
            (i for i in self._items() if i.data(self.TITLE_COLUMN, DECK_ID_ROLE) == deck_id), None
        )

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

    @Slot(QTreeWidgetItem, int)
    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.study_requested.emit(str(item.data(self.TITLE_COLUMN, DECK_ID_ROLE)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_counts()


def _cards(count: int) -> str:
    return f"{count:,} card" if count == 1 else f"{count:,} cards"
