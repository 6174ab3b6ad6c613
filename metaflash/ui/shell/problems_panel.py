"""The list of problems found in deck files, said the way a compiler says them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from metaflash.core.decks.model import Problem


def problem_location(problem: Problem) -> str:
    return f"{problem.file}:{problem.line}:{problem.column}"


class ProblemsPanel(QTreeWidget):
    """One row per problem: where (file:line:column), what, and how to fix it."""

    LOCATION_COLUMN = 0
    MESSAGE_COLUMN = 1

    def __init__(self, problems: tuple[Problem, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.setAccessibleName("Problems")
        self.setColumnCount(2)
        self.setHeaderLabels(["Where", "Problem"])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # a message wraps onto more lines rather than being cut; a long path loses its
        # middle, never the line and column at its end
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(self.LOCATION_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(self.LOCATION_COLUMN, 420)
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())
        self.setMinimumHeight(
            header.sizeHint().height() + 3 * self.fontMetrics().lineSpacing() + 16
        )
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selected)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._problems: tuple[Problem, ...] = ()
        self.set_problems(problems)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        self._problems = problems
        self.clear()
        style = self.style()
        error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for problem in problems:
            message = f"{problem.severity}: {problem.message}"
            if problem.hint:
                message += f" ({problem.hint})"
            item = QTreeWidgetItem([problem_location(problem), message])
            item.setIcon(
                self.LOCATION_COLUMN, warning_icon if problem.severity == "warning" else error_icon
            )
            item.setToolTip(self.LOCATION_COLUMN, problem_location(problem))
            item.setToolTip(self.MESSAGE_COLUMN, str(problem))
            self.addTopLevelItem(item)
        self._fit_location_column()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_location_column()

    def _fit_location_column(self) -> None:
        """As wide as the longest place, up to two fifths of the panel (then elided)."""
        longest = max(
            (
                self.sizeHintForColumn(self.LOCATION_COLUMN)
                for _ in (0,)
                if self.topLevelItemCount()
            ),
            default=160,
        )
        room = self.viewport().width()
        width = max(160, min(longest + 8, room * 2 // 5))
        if room > 0 and self.header().sectionSize(self.LOCATION_COLUMN) != width:
            self.header().resizeSection(self.LOCATION_COLUMN, width)

    def lines(self) -> list[str]:
        """Each problem as one line of text, as shown."""
        return [str(problem) for problem in self._problems]

    @Slot()
    def copy_selected(self) -> None:
        rows = sorted(self.indexOfTopLevelItem(item) for item in self.selectedItems())
        chosen = [self._problems[row] for row in rows] or list(self._problems)
        QGuiApplication.clipboard().setText("\n".join(str(problem) for problem in chosen))
