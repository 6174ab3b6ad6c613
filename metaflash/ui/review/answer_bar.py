"""The bar under the card: "Show answer", then the four grades with the interval each gives.

The buttons trigger the review view's actions (so a click, a key and the Study menu do the
same thing). They take no keyboard focus: Space, Enter and 1 to 4 reach them from anywhere
in the review screen, and a focused "Again" can never turn Space into the wrong grade.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QWidget

from metaflash.core.scheduling.scheduler import NextStates, Rating, format_interval

RATING_LABELS = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}


def _button(action: QAction, role: str) -> QPushButton:
    button = QPushButton()
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.clicked.connect(action.trigger)
    return button


class AnswerBar(QStackedWidget):
    """Page 0: the show-answer button; page 1: the grade buttons."""

    def __init__(
        self, show_answer: QAction, grades: dict[Rating, QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("answerBar")
        self.show_button = _button(show_answer, "primary")
        self.show_button.setText("Show answer    Space")
        self.show_button.setAccessibleName("Show answer (Space or Enter)")
        self.show_button.setMinimumWidth(260)
        self.grade_buttons: dict[Rating, QPushButton] = {}
        front = QWidget()
        front_row = QHBoxLayout(front)
        front_row.setContentsMargins(0, 0, 0, 0)
        front_row.addStretch(1)
        front_row.addWidget(self.show_button)
        front_row.addStretch(1)
        back = QWidget()
        back_row = QHBoxLayout(back)
        back_row.setContentsMargins(0, 0, 0, 0)
        back_row.setSpacing(8)
        back_row.addStretch(1)
        for rating, action in grades.items():
            button = _button(action, "answer")
            button.setProperty("rating", str(int(rating)))
            self.grade_buttons[rating] = button
            back_row.addWidget(button)
        back_row.addStretch(1)
        self.addWidget(front)
        self.addWidget(back)
        self.set_intervals(None)

    def show_question(self) -> None:
        self.setCurrentIndex(0)

    def show_grades(self) -> None:
        self.setCurrentIndex(1)

    @property
    def grades_shown(self) -> bool:
        return self.currentIndex() == 1

    def set_intervals(self, states: NextStates | None) -> None:
        """Label each grade with the interval it gives (from the session's NextStates)."""
        for rating, button in self.grade_buttons.items():
            label = RATING_LABELS[rating]
            key = int(rating)
            if states is None:
                button.setText(f"{label}\n{key}")
                button.setAccessibleName(f"{label} (key {key})")
                button.setToolTip(f"{label} (key {key})")
                continue
            interval = format_interval(states[rating].interval)
            button.setText(f"{interval}\n{label}  {key}")
            button.setAccessibleName(f"{label}: next in {interval} (key {key})")
            button.setToolTip(f"{label}: you will see this card again in {interval}. Key {key}.")

    def interval_text(self, rating: Rating) -> str:
        """The interval shown on a grade's button (the first line of its text)."""
        return self.grade_buttons[rating].text().split("\n", 1)[0]
