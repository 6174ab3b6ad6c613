"""The three counts, always coloured *and* labelled: ``12 new · 3 learning · 40 due``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class CountsLabel(QWidget):
    """New, learning and due counts in their colours, each followed by its word."""

    def __init__(self, parent: QWidget | None = None, *, big: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("counts")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.new = self._part("count-new", big)
        self.learning = self._part("count-learning", big)
        self.due = self._part("count-due", big)
        for index, label in enumerate((self.new, self.learning, self.due)):
            if index:
                dot = QLabel("·")
                dot.setProperty("role", "muted")
                dot.setAccessibleName("")
                layout.addWidget(dot)
            layout.addWidget(label)
        layout.addStretch(1)
        self.set_counts(0, 0, 0)

    @staticmethod
    def _part(role: str, big: bool) -> QLabel:
        label = QLabel()
        label.setProperty("role", role)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setProperty("big", big)  # the stylesheet sets a larger size
        return label

    def set_counts(self, new: int, learning: int, due: int) -> None:
        for label, value, word in (
            (self.new, new, "new"),
            (self.learning, learning, "learning"),
            (self.due, due, "due"),
        ):
            label.setText(f"<b>{value}</b> {word}")
            label.setAccessibleName(f"{value} {word}")
        self.setAccessibleName(f"{new} new, {learning} learning, {due} due")
        self.setToolTip(f"{new} new cards, {learning} in learning and {due} reviews left for today")

    def text(self) -> str:
        """The counts as one line of plain text."""
        return f"{self.new.accessibleName()} · {self.learning.accessibleName()} · {self.due.accessibleName()}"
