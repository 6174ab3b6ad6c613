"""A row of widgets that wraps onto more rows when it runs out of width.

Toolbars of buttons and filters (the diagram's playback controls, the editor's filters) use it
so that a narrow window or a large scale reflows them instead of squeezing their text. Each
item keeps at least its size hint; a row's items share the row's height and are centred in it.
An item may be marked to take the room left at the end of its row (the way a stretch in a
QHBoxLayout pushes what follows to the right).
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Lays items left to right and wraps them; its height follows its width."""

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 6, row_spacing: int = 4
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._pushed_right: set[int] = set()  # ids of items aligned to the row's right end
        self._spacing = spacing
        self._row_spacing = row_spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # --- QLayout ------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_widget(self, widget: QWidget, *, right: bool = False) -> None:
        """Add ``widget``; with ``right`` it sits at the right end of whatever row it is on."""
        self.addWidget(widget)
        if right:
            self._pushed_right.add(id(self._items[-1]))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self._pushed_right.discard(id(item))
        return item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        visible = self._visible()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in visible)
        width += self._spacing * max(0, len(visible) - 1)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """The widest item alone on its row: narrower than that, something would be cut."""
        margins = self.contentsMargins()
        visible = self._visible()
        width = max((item.sizeHint().width() for item in visible), default=0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    # --- placing ------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            item_width = item.sizeHint().width()
            needed = item_width if not rows[-1] else used + self._spacing + item_width
            if rows[-1] and needed > width:
                rows.append([item])
                used = item_width
            else:
                rows[-1].append(item)
                used = needed
        return [row for row in rows if row]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        y = area.y()
        for index, row in enumerate(self._rows(area.width())):
            if index:
                y += self._row_spacing
            height = max(item.sizeHint().height() for item in row)
            if move:
                self._place_row(row, area, y, height)
            y += height
        return y - rect.y() + margins.bottom()

    def _place_row(self, row: list[QLayoutItem], area: QRect, y: int, height: int) -> None:
        left = [item for item in row if id(item) not in self._pushed_right]
        right = [item for item in row if id(item) in self._pushed_right]
        x = area.x()
        for item in left:
            x = self._place(item, x, y, height) + self._spacing
        x_right = area.right() + 1
        for item in reversed(right):
            width = item.sizeHint().width()
            x_right -= width
            self._place(item, max(x, x_right), y, height)
            x_right -= self._spacing

    @staticmethod
    def _place(item: QLayoutItem, x: int, y: int, height: int) -> int:
        hint = item.sizeHint()
        item_height = height if _fills_height(item) else hint.height()
        top = y + (height - item_height) // 2
        item.setGeometry(QRect(QPoint(x, top), QSize(hint.width(), item_height)))
        return x + hint.width()


def _fills_height(item: QLayoutItem) -> bool:
    widget = item.widget()
    if widget is None:
        return False
    return widget.sizePolicy().verticalPolicy() in (
        QSizePolicy.Policy.Expanding,
        QSizePolicy.Policy.MinimumExpanding,
    )
