"""The cards of one deck as a table: id, type, question, tags and stage."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from metaflash.core.decks.model import Card
from metaflash.ui.common.card_text import question_plain

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class CardColumn(IntEnum):
    ID = 0
    TYPE = 1
    QUESTION = 2
    TAGS = 3
    STAGE = 4


HEADERS = {
    CardColumn.ID: "ID",
    CardColumn.TYPE: "Type",
    CardColumn.QUESTION: "Question",
    CardColumn.TAGS: "Tags",
    CardColumn.STAGE: "Stage",
}

CARD_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1  # every column's text of the row, folded


class CardTableModel(QAbstractTableModel):
    """A read-only table of cards; the question is the card's Markdown shown as plain text."""

    def __init__(self, cards: Sequence[Card] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cards = cards
        self._questions: dict[int, str] = {}
        self._search: dict[int, str] = {}

    def set_cards(self, cards: Sequence[Card]) -> None:
        """Show ``cards``: any sequence (a lazily read deck's view decodes the rows shown)."""
        self.beginResetModel()
        self._cards = cards
        self._questions = {}
        self._search = {}
        self.endResetModel()

    def card(self, row: int) -> Card:
        return self._cards[row]

    def cards(self) -> Sequence[Card]:
        return self._cards

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(CardColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[CardColumn(section)]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SEARCH_ROLE:  # once per row whenever a search filters the table
            return self.search_text(index.row())
        if not index.isValid():
            return None
        card = self._cards[index.row()]
        column = CardColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), card, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is CardColumn.QUESTION:
            return self._question(index.row(), card)
        if role == CARD_ROLE:
            return card.id
        return None

    def _text(self, row: int, card: Card, column: CardColumn) -> str:
        match column:
            case CardColumn.ID:
                return card.id
            case CardColumn.TYPE:
                return card.type.value
            case CardColumn.QUESTION:
                return self._question(row, card)
            case CardColumn.TAGS:
                return ", ".join(card.tags)
            case CardColumn.STAGE:
                return card.diagram_step or ""

    def _question(self, row: int, card: Card) -> str:
        text = self._questions.get(row)
        if text is None:
            text = self._questions[row] = question_plain(card)
        return text

    def search_text(self, row: int) -> str:
        """Every column's text of ``row``, folded for a case-blind search (made when first
        searched: one call per row where Qt's own filter would make five)."""
        text = self._search.get(row)
        if text is None:
            card = self._cards[row]
            text = " \n ".join(self._text(row, card, column) for column in CardColumn)
            text = self._search[row] = text.casefold()
        return text


class CardFilterModel(QSortFilterProxyModel):
    """Sorts the card table and filters it by words typed in the search field: a row is kept
    when the text typed occurs in one of its columns, ignoring case."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Qt's own filter over one folded text per row (SEARCH_ROLE of column 0): with no
        # search it accepts every row without asking the model (a Python filterAcceptsRow
        # would be called for each of a 20,000-card deck's rows whenever it is shown)
        self.setFilterKeyColumn(0)
        self.setFilterRole(SEARCH_ROLE)
        self._needle = ""

    def set_search(self, text: str) -> None:
        self._needle = text.casefold()
        self.setFilterFixedString(self._needle)  # the rows' texts are folded the same way

    def search(self) -> str:
        return self._needle


def set_up_card_table(table: QTableView, columns: int) -> QHeaderView:
    """The look and behaviour every list of cards shares: whole-row single selection,
    alternating rows, no grid, elided single lines, interactive column widths. The arrow
    keys move between rows and Tab leaves the table (a whole-row table has no cells to tab
    through: Tab moving inside it would trap keyboard users)."""
    table.setTabKeyNavigation(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.setAccessibleName("Cards")
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column in range(columns):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    return header


class ColumnFitter(QObject):
    """Keeps a card table's columns readable at any width: the stretching column (the
    question) gets at least two fifths of the table, and the other columns give up room in
    proportion, down to the width of their headings. Applied when the table's width changes,
    so a column the user drags keeps its width until the window is resized."""

    QUESTION_SHARE = 0.4

    def __init__(self, table: QTableView, stretch: int, widths: dict[int, int]) -> None:
        super().__init__(table)
        self._table = table
        self._stretch = stretch
        self._widths = dict(widths)
        header = table.horizontalHeader()
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in widths.items():
            header.resizeSection(column, width)
        table.viewport().installEventFilter(self)

    def set_width(self, column: int, width: int) -> None:
        """The width ``column`` takes when there is room (e.g. fitted to this deck's ids)."""
        self._widths[column] = width
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _heading_width(self, column: int) -> int:
        header = self._table.horizontalHeader()
        title = str(self._table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        return header.fontMetrics().horizontalAdvance(title) + 24  # the sort arrow, padding

    def fit(self) -> None:
        available = self._table.viewport().width()
        shown = {
            column: width
            for column, width in self._widths.items()
            if not self._table.isColumnHidden(column)
        }
        if available <= 0 or not shown:
            return
        room = available - max(
            self._heading_width(self._stretch), round(available * self.QUESTION_SHARE)
        )
        wanted = sum(shown.values())
        scale = min(1.0, room / wanted) if wanted > 0 else 1.0
        header = self._table.horizontalHeader()
        for column, width in shown.items():
            header.resizeSection(column, max(self._heading_width(column), round(width * scale)))
        self._keep_headings_readable(shown)

    def _keep_headings_readable(self, shown: dict[int, int]) -> None:
        """The table is never narrower than its shown columns' headings side by side."""
        table = self._table
        headings = sum(self._heading_width(column) for column in shown)
        headings += self._heading_width(self._stretch)
        frame = 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        if table.minimumWidth() != headings + frame:
            table.setMinimumWidth(headings + frame)
