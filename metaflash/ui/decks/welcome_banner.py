"""The welcome shown on the first start, above the deck overview: what metaflash is and which
keys to press. Dismissed with its close button (or by pressing it with the keyboard), and
remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

WELCOME_HTML = (
    "<b>Welcome to metaflash.</b> The decks on the left teach the metastatic cascade; "
    "your progress is saved as you go.<br>"
    "<b>Enter</b> studies the selected deck · <b>Space</b> shows the answer, then means Good · "
    "<b>1–4</b> answer Again, Hard, Good, Easy · <b>Ctrl+Z</b> undoes · "
    "<b>Esc</b> comes back here · <b>Ctrl+,</b> opens the settings."
)


class WelcomeBanner(QFrame):
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setProperty("role", "notice")
        self.text = QLabel(WELCOME_HTML)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Dismiss the welcome")
        self.close_button.setToolTip("Dismiss the welcome (it will not come back)")
        self.close_button.clicked.connect(self._dismiss)
        column = QVBoxLayout()
        column.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 8, 10)
        row.addWidget(self.text, 1)
        row.addLayout(column)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
