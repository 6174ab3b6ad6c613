"""The import dialog's preview of a CSV file: its first rows, and what each column holds.

A check box says whether the first row names the columns (found by itself when its names are
known ones); above each column a list chooses its role (front, back, tags, id, notes, deck,
...). The line under the table says how many cards the import makes, or what is wrong with
the choice (no front, two fronts).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.interop.csv.columns import ROLE_HELP, ROLE_TITLES, ColumnRole, CsvMapping
from metaflash.core.interop.csv.importer import CsvPreview

#: The longest text shown in a preview cell (the whole text is in its tooltip).
CELL_CHARS = 60


class CsvColumnsBox(QWidget):
    """Shows a :class:`CsvPreview`; :meth:`mapping` is the user's choice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvColumns")
        self._preview: CsvPreview | None = None
        self._combos: list[QComboBox] = []
        title = QLabel("<b>Columns</b>")
        self.header_row = QCheckBox("The first row names the columns")
        self.header_row.setObjectName("importHeaderRow")
        self.header_row.toggled.connect(self._on_changed)
        self.table = QTableWidget()
        self.table.setObjectName("importPreview")
        self.table.setAccessibleName("The first rows of the file")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.summary = QLabel()
        self.summary.setObjectName("importColumnsSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.header_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def set_preview(self, preview: CsvPreview | None) -> None:
        """Show ``preview`` with its guessed mapping (None: nothing to show)."""
        self._preview = preview
        self._combos = []
        self.table.clear()
        if preview is None:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.header_row.blockSignals(True)
        self.header_row.setChecked(preview.mapping.header_row)
        self.header_row.blockSignals(False)
        self.table.setColumnCount(preview.width)
        for index, role in enumerate(preview.mapping.roles):
            combo = QComboBox()
            combo.setObjectName(f"importRole{index + 1}")
            combo.setAccessibleName(f"What column {index + 1} holds")
            for choice in ColumnRole:
                combo.addItem(ROLE_TITLES[choice], choice.value)
                combo.setItemData(
                    combo.count() - 1, ROLE_HELP[choice].capitalize(), Qt.ItemDataRole.ToolTipRole
                )
            combo.setCurrentIndex(combo.findData(role.value))
            combo.currentIndexChanged.connect(self._on_changed)
            self._combos.append(combo)
        self._fill()

    def _fit_lists(self) -> None:
        """The columns share the width, each at least as wide as its list (more columns than
        fit: the table scrolls sideways); the lists' row is as tall as a list. Again once
        shown: the style sizes the lists only then."""
        if not self._combos:
            return
        widest = max(combo.sizeHint().width() for combo in self._combos)
        self.table.horizontalHeader().setMinimumSectionSize(widest + 12)
        tallest = max(combo.sizeHint().height() for combo in self._combos)
        self.table.setRowHeight(0, tallest + 12)  # the theme pads cells by 4 px

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_lists()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit_lists()

    def mapping(self) -> CsvMapping | None:
        """The user's choice, or None when no CSV file is previewed."""
        if self._preview is None:
            return None
        roles = tuple(ColumnRole(combo.currentData()) for combo in self._combos)
        return CsvMapping(self.header_row.isChecked(), roles)

    @Slot()
    def _on_changed(self) -> None:
        self._fill()
        self.changed.emit()

    def _fill(self) -> None:
        preview = self._preview
        mapping = self.mapping()
        if preview is None or mapping is None:
            return
        if mapping.header_row:
            names: tuple[str, ...] = preview.rows[0]
        else:  # Anki's #columns names them; a first row that is a card does not
            names = preview.names if preview.names != preview.rows[0] else ()
        labels = [
            names[index] if index < len(names) and names[index] else f"Column {index + 1}"
            for index in range(preview.width)
        ]
        self.table.setHorizontalHeaderLabels(labels)
        rows = preview.rows[1:] if mapping.header_row else preview.rows
        self.table.setRowCount(1 + len(rows))
        for index, combo in enumerate(self._combos):
            if self.table.cellWidget(0, index) is not combo:
                self.table.setCellWidget(0, index, combo)
        for row_number, cells in enumerate(rows, 1):
            for column, text in enumerate(cells):
                shown = " ".join(text.split())
                item = QTableWidgetItem(
                    shown if len(shown) <= CELL_CHARS else shown[: CELL_CHARS - 1] + "…"
                )
                item.setToolTip(text)
                if mapping.roles[column] is ColumnRole.IGNORE:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row_number, column, item)
        self._fit_lists()
        problem = mapping.problem()
        cards = preview.total_rows - (1 if mapping.header_row else 0)
        if problem:
            self.summary.setText(f"To import, {problem}.")
            self.summary.setProperty("role", "error")
        else:
            noun = "card" if cards == 1 else "cards"
            shown_rows = len(rows)
            self.summary.setText(
                f"{cards} {noun} will be imported (the first {shown_rows} shown)."
                if cards > shown_rows
                else f"{cards} {noun} will be imported."
            )
            self.summary.setProperty("role", "muted")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
