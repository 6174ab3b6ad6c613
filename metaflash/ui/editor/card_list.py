"""The editor's list of cards: a table in deck order, with search and tag/stage/type filters."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from itertools import chain
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import CardType, Problem
from metaflash.core.editing.draft import CardDraft
from metaflash.ui.common.flow_layout import FlowLayout
from metaflash.ui.common.theme import colors_for_palette
from metaflash.ui.decks.card_table import ColumnFitter, set_up_card_table

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
MATCH_ROLE = Qt.ItemDataRole.UserRole + 7  # "1" when the filter keeps the row
MATCHED = "1"
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _FOREGROUND, _ALIGNMENT})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)
_MARKUP = re.compile(r"[*_`#>]+|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"\s+")
#: Filter values meaning "any" and "none".
ANY = ""
NO_STAGE = "\u2205"


class Column(IntEnum):
    NUMBER = 0
    QUESTION = 1
    ID = 2
    TYPE = 3
    TAGS = 4
    STAGE = 5


HEADERS = ("#", "Question", "ID", "Type", "Tags", "Stage")
_COLUMNS = len(Column)


def plain_question(draft: CardDraft) -> str:
    """The question as one line of plain text: cloze gaps show their answers."""
    text = _CLOZE.sub(r"\1", draft.label)
    text = _MARKUP.sub(lambda match: match.group(1) or "", text)
    return _SPACES.sub(" ", text).strip()


def searchable_text(draft: CardDraft) -> str:
    parts = [
        draft.id,
        draft.label,
        draft.question,
        draft.answer,
        draft.back,
        draft.text,
        draft.prompt,
        *draft.steps,
        *draft.tags,
        draft.stage,
        draft.notes,
    ]
    return " ".join(parts).casefold()


class CardListModel(QAbstractTableModel):
    """The deck's cards as drafts, one row each in deck order, with their problems."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cards: tuple[CardDraft, ...] = ()
        self._problems: Mapping[int, Sequence[Problem]] = {}
        self._search: dict[int, str] = {}  # made when a search first needs the row
        #: whether the filter keeps a row (the filter sets it; see CardFilter)
        self.accepts: Callable[[int], bool] = lambda row: True

    def set_cards(self, cards: tuple[CardDraft, ...]) -> None:
        if len(cards) == len(self._cards):
            changed = [row for row, (old, new) in enumerate(zip(self._cards, cards)) if old != new]
            self._cards = cards
            for row in changed:
                self._search.pop(row, None)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
            return
        self.beginResetModel()
        self._cards = cards
        self._search = {}
        self.endResetModel()

    def set_problems(self, problems: Mapping[int, Sequence[Problem]]) -> None:
        rows = set(problems) | set(self._problems)
        self._problems = problems
        for row in sorted(rows):
            if row < len(self._cards):
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def card(self, row: int) -> CardDraft:
        return self._cards[row]

    def cards(self) -> tuple[CardDraft, ...]:
        return self._cards

    def search_text(self, row: int) -> str:
        text = self._search.get(row)
        if text is None:
            text = self._search[row] = searchable_text(self._cards[row])
        return text

    def problems(self, row: int) -> Sequence[Problem]:
        return self._problems.get(row, ())

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else _COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks each painted cell for a dozen roles: the ones never answered leave first
        if role not in _ANSWERED:
            if role == MATCH_ROLE:  # asked by the filter, once per row, while one is set
                return MATCHED if self.accepts(index.row()) else ""
            return None
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        card = self._cards[row]
        if role == _DISPLAY:
            return self._text(row, card, Column(column))
        if role == _ALIGNMENT:
            return _RIGHT if column == Column.NUMBER else None
        problems = self._problems.get(row, ())
        if role == _TOOLTIP:
            if problems:
                return "\n".join(f"Line {p.line}: {p.message}" for p in problems)
            return plain_question(card) if column == Column.QUESTION else None
        if not problems:
            return None
        if role == _DECORATION and column == Column.NUMBER:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == _FOREGROUND and column in (Column.NUMBER, Column.ID):
            return QColor(colors_for_palette(QApplication.palette()).error)
        return None

    def _text(self, row: int, card: CardDraft, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return str(row + 1)
            case Column.QUESTION:
                return plain_question(card) or "(empty)"
            case Column.ID:
                return card.id
            case Column.TYPE:
                return card.type.value
            case Column.TAGS:
                return " ".join(card.tags)
            case Column.STAGE:
                return card.stage


class CardFilter(QSortFilterProxyModel):
    """Shows the cards matching every word searched for and the chosen tag, stage, type."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._tag = ANY
        self._stage = ANY
        self._type = ANY
        self._problems_only = False
        # Qt's own filter asks the model for MATCH_ROLE only while something is filtered
        # for (a Python filterAcceptsRow would be called for each of a 20,000-card deck's
        # rows whenever the cards change, filtered or not)
        self.setFilterKeyColumn(0)
        self.setFilterRole(MATCH_ROLE)
        self._matching = ""

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if isinstance(model, CardListModel):
            model.accepts = self._accepts
        super().setSourceModel(model)

    def set_filters(
        self, *, search: str, tag: str, stage: str, card_type: str, problems_only: bool
    ) -> None:
        def apply() -> None:
            self._words = search.casefold().split()
            self._tag, self._stage, self._type = tag, stage, card_type
            self._problems_only = problems_only

        self.refilter(apply)

    def refilter(self, change: Callable[[], None] = lambda: None) -> None:
        """Filter again after ``change`` changed what is filtered for."""
        change()
        wanted = MATCHED if self.active else ""
        if wanted != self._matching:
            self._matching = wanted
            self.setFilterFixedString(wanted)  # filters again (every row, with no filter)
            return
        if not wanted:
            return
        begin = getattr(self, "beginFilterChange", None)
        if begin is None:  # Qt before 6.9
            self.invalidateRowsFilter()
            return
        begin()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._words or self._tag or self._stage or self._type or self._problems_only)

    def _accepts(self, source_row: int) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CardListModel):
            return True
        card = model.card(source_row)
        if self._tag and self._tag not in card.tags:
            return False
        if self._stage == NO_STAGE and card.stage:
            return False
        if self._stage not in (ANY, NO_STAGE) and card.stage != self._stage:
            return False
        if self._type and card.type.value != self._type:
            return False
        if self._problems_only and not model.problems(source_row):
            return False
        text = model.search_text(source_row)
        return all(word in text for word in self._words)


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo


class CardListPanel(QWidget):
    """The search field, the filters and the table of cards."""

    current_changed = Signal(int)  # the selected card's index in the deck, -1 for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorCardList")
        self.model = CardListModel(self)
        self.filtered = CardFilter(self)
        self.filtered.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setObjectName("cardSearch")
        self.search.setPlaceholderText("Search cards")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cards")
        self.tag_filter = _combo("tagFilter", "Filter by tag")
        self.stage_filter = _combo("stageFilter", "Filter by stage")
        self.type_filter = _combo("typeFilter", "Filter by type")
        self.type_filter.addItem("All types", ANY)
        for card_type in CardType:
            self.type_filter.addItem(card_type.value.capitalize(), card_type.value)
        self.problems_only = QCheckBox("With problems")
        self.problems_only.setObjectName("problemsOnly")
        self.problems_only.setToolTip("Show only the cards with problems")
        self.count = QLabel()
        self.count.setProperty("role", "muted")

        self.table = QTableView()
        self.table.setObjectName("editorCardTable")
        self.table.setModel(self.filtered)
        header = set_up_card_table(self.table, len(Column))
        header.setMinimumSectionSize(36)
        self.columns = ColumnFitter(
            self.table,
            Column.QUESTION,
            {
                Column.NUMBER: 46,
                Column.ID: 130,
                Column.TYPE: 88,
                Column.TAGS: 110,
                Column.STAGE: 120,
            },
        )
        for column in (Column.TAGS, Column.STAGE):
            self.table.setColumnHidden(
                column, True
            )  # the filters cover them; the header menu shows them
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column in (Column.ID, Column.TYPE, Column.TAGS, Column.STAGE):
            action = QAction(f"Show {HEADERS[column]}", header)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
            header.addAction(action)

        filters = FlowLayout(spacing=6, row_spacing=6)  # wraps where the list is narrow
        for widget in (self.tag_filter, self.stage_filter, self.type_filter, self.problems_only):
            filters.add_widget(widget)
        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 8)
        top.setSpacing(6)
        top.addWidget(self.search)
        top.addLayout(filters)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._apply_filters)
        for combo in (self.tag_filter, self.stage_filter, self.type_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.problems_only.toggled.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.set_filter_choices((), ())

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        self.columns.fit()

    # --- content ------------------------------------------------------------------------

    def set_cards(self, cards: tuple[CardDraft, ...], stages: Sequence[tuple[str, str]]) -> None:
        """Show ``cards``; ``stages`` are the diagram's (id, label) pairs, for the filter."""
        current = self.current_index()
        self.model.set_cards(cards)
        # gathered at every change: kept to two quick passes over a 20,000-card deck
        tags = sorted(set(chain.from_iterable([card.tags for card in cards])), key=str.casefold)
        used = {card.stage for card in cards} - {""}
        known = [(step_id, label) for step_id, label in stages]
        known += [(stage, stage) for stage in sorted(used - {step for step, _ in stages})]
        self.set_filter_choices(tags, known)
        self._update_count()
        if 0 <= current < len(cards) and self.current_index() != current:
            self.select(current)

    def set_filter_choices(self, tags: Sequence[str], stages: Sequence[tuple[str, str]]) -> None:
        for combo, items, everything in (
            (self.tag_filter, [(tag, tag) for tag in tags], "All tags"),
            (self.stage_filter, [(label, step) for step, label in stages], "All stages"),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, ANY)
            if combo is self.stage_filter:
                combo.addItem("No stage", NO_STAGE)
            for text, value in items:
                combo.addItem(text, value)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)

    def set_problems(self, problems: Mapping[int, Sequence[Problem]]) -> None:
        self.model.set_problems(problems)
        if self.problems_only.isChecked():
            self.filtered.refilter()
            self._update_count()

    # --- selection ----------------------------------------------------------------------

    def current_index(self) -> int:
        index = self.table.currentIndex()
        if not index.isValid():
            return -1
        return self.filtered.mapToSource(index).row()

    def select(self, row: int) -> bool:
        """Select the card at ``row`` of the deck (clearing filters that hide it)."""
        if not 0 <= row < self.model.rowCount():
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            return False
        source = self.model.index(row, Column.QUESTION)
        proxy = self.filtered.mapFromSource(source)
        if not proxy.isValid():
            self.clear_filters()
            proxy = self.filtered.mapFromSource(source)
        self.table.setCurrentIndex(proxy)
        self.table.selectRow(proxy.row())
        self.table.scrollTo(proxy)
        return True

    def clear_filters(self) -> None:
        for widget in (
            self.search,
            self.tag_filter,
            self.stage_filter,
            self.type_filter,
            self.problems_only,
        ):
            widget.blockSignals(True)
        self.search.clear()
        self.tag_filter.setCurrentIndex(0)
        self.stage_filter.setCurrentIndex(0)
        self.type_filter.setCurrentIndex(0)
        self.problems_only.setChecked(False)
        for widget in (
            self.search,
            self.tag_filter,
            self.stage_filter,
            self.type_filter,
            self.problems_only,
        ):
            widget.blockSignals(False)
        self._apply_filters()

    @Slot()
    def _apply_filters(self) -> None:
        self.filtered.set_filters(
            search=self.search.text(),
            tag=str(self.tag_filter.currentData() or ANY),
            stage=str(self.stage_filter.currentData() or ANY),
            card_type=str(self.type_filter.currentData() or ANY),
            problems_only=self.problems_only.isChecked(),
        )
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.filtered.rowCount()
        noun = "card" if total == 1 else "cards"
        self.count.setText(
            f"{shown:,} of {total:,} {noun}" if self.filtered.active else f"{total:,} {noun}"
        )

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(
            self.filtered.mapToSource(current).row() if current.isValid() else -1
        )
