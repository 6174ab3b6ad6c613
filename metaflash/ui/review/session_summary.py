"""The end of a study session: what was done, how well, how long, and when to come back."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from metaflash.core.decks.model import PromptKey
from metaflash.core.study.session import SessionSummary
from metaflash.ui.common.time_text import duration_text


def when_text(moment: datetime | None, now: datetime, timezone: tzinfo) -> str:
    """When the next card comes due, in the user's words and time zone."""
    if moment is None:
        return "nothing is scheduled yet"
    local, today = moment.astimezone(timezone), now.astimezone(timezone)
    days = (local.date() - today.date()).days
    if moment <= now:
        return "now"
    if days == 0:
        return f"today at {local:%H:%M}"
    if days == 1:
        return f"tomorrow at {local:%H:%M}"
    if days < 7:
        return f"{local:%A} ({days} days)"
    return f"{local:%d %B %Y} (in {days} days)"


def _leech_text(keys: tuple[PromptKey, ...]) -> str:
    names = ", ".join(f"{key.card_id}" for key in keys)
    return (
        f"Leech: {names}. You forgot {'it' if len(keys) == 1 else 'them'} many times, so "
        f"{'it is' if len(keys) == 1 else 'they are'} now suspended and tagged “leech”. "
        "Rewriting a leech (smaller question, a memory hook) usually helps more than "
        "more reviews."
    )


class SessionSummaryView(QWidget):
    """Cards reviewed, retention, time spent, when the next cards are due, leeches."""

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionSummary")
        self.title = QLabel("Congratulations! You have finished this deck for now.")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(36)
        grid.setVerticalSpacing(2)
        for column, (key, caption) in enumerate(
            (
                ("reviewed", "cards reviewed"),
                ("retention", "remembered"),
                ("time", "time spent"),
            )
        ):
            value = QLabel()
            value.setProperty("role", "big-number")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label = QLabel(caption)
            label.setProperty("role", "muted")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(value, 0, column)
            grid.addWidget(label, 1, column)
            self.values[key] = value
        self.next_due = QLabel()
        self.next_due.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_due.setWordWrap(True)
        self.leeches = QLabel()
        self.leeches.setProperty("role", "warning")
        self.leeches.setWordWrap(True)
        self.leeches.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.back = QPushButton("Back to decks    Enter")
        self.back.setProperty("role", "primary")
        self.back.setAccessibleName("Back to decks (Enter or Escape)")
        self.back.clicked.connect(self.back_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.setSpacing(18)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.next_due)
        layout.addWidget(self.leeches)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setFocusProxy(self.back)

    def show_summary(self, summary: SessionSummary, now: datetime, timezone: tzinfo) -> None:
        retention = summary.retention
        self.title.setText(
            "Congratulations! You have finished this deck for now."
            if summary.reviewed
            else "Nothing is due in this deck right now."
        )
        self.values["reviewed"].setText(str(summary.reviewed))
        self.values["retention"].setText("–" if retention is None else f"{retention:.0%}")
        self.values["time"].setText(duration_text(summary.time_spent))
        tomorrow = (
            f" {summary.due_tomorrow} card{'s are' if summary.due_tomorrow != 1 else ' is'} "
            "due by the end of tomorrow."
            if summary.due_tomorrow
            else ""
        )
        self.next_due.setText(
            f"The next card is due {when_text(summary.next_due, now, timezone)}.{tomorrow}"
        )
        self.leeches.setText(_leech_text(summary.leeches) if summary.leeches else "")
        self.leeches.setVisible(bool(summary.leeches))

    def text(self) -> str:
        """Everything the summary says, as plain text (for tests and screen readers)."""
        parts = [self.title.text()]
        for key, value in self.values.items():
            parts.append(f"{key}: {value.text()}")
        parts.append(self.next_due.text())
        if self.leeches.isVisibleTo(self):
            parts.append(self.leeches.text())
        return "\n".join(parts)
