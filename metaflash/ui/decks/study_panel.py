"""The study part of the deck overview: today's counts, "Study now", and the coming days."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from metaflash.core.study.counts import ForecastDay, TodayCounts
from metaflash.ui.common.bar_chart import Bar, BarChart
from metaflash.ui.common.counts_label import CountsLabel

FORECAST_DAYS = 14


def forecast_bars(days: Sequence[ForecastDay]) -> list[Bar]:
    bars = []
    for index, day in enumerate(days):
        when = "today" if index == 0 else "tomorrow" if index == 1 else f"{day.day:%a %d %b}"
        label = "Today" if index == 0 else f"{day.day:%d}"
        cards = f"{day.due} card{'s' if day.due != 1 else ''}"
        bars.append(Bar(label, day.due, f"{cards} due {when}", hue="due"))
    return bars


class StudyPanel(QFrame):
    """Counts and the Study now button on the left, the forecast chart on the right."""

    study_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyPanel")
        self.setProperty("role", "card")
        heading = QLabel("Today")
        heading.setProperty("role", "subheading")
        self.counts = CountsLabel(big=True)
        self.study_button = QPushButton("Study now")
        self.study_button.setObjectName("studyNow")
        self.study_button.setProperty("role", "primary")
        self.study_button.setAccessibleName("Study now (Enter)")
        self.study_button.setToolTip("Study this deck with its sub-decks (Enter)")
        self.study_button.clicked.connect(self.study_requested)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        action = QHBoxLayout()
        action.setSpacing(12)
        action.addWidget(self.study_button, 0)
        action.addWidget(self.status, 1)
        action.addStretch(0)

        forecast_heading = QLabel(f"Due in the next {FORECAST_DAYS} days")
        forecast_heading.setProperty("role", "subheading")
        self.forecast = BarChart(hue="due", empty_text="Nothing scheduled yet: study some cards")
        self.forecast.setObjectName("overviewForecast")
        self.forecast.setAccessibleName(f"Cards due in the next {FORECAST_DAYS} days")
        self.forecast.setMinimumHeight(96)
        self.forecast.setMaximumHeight(120)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 10)
        column.setSpacing(6)
        column.addWidget(heading)
        column.addWidget(self.counts)
        column.addLayout(action)
        column.addSpacing(6)
        column.addWidget(forecast_heading)
        column.addWidget(self.forecast)
        self.setMinimumWidth(340)
        self.setMaximumWidth(520)

    def set_counts(self, counts: TodayCounts) -> None:
        self.counts.set_counts(counts.new, counts.learning, counts.due)
        if counts.total:
            self.status.setText("")
            self.study_button.setText("Study now")
        else:
            self.status.setText("Nothing left for today.")
        self.status.setVisible(not counts.total)

    def set_forecast(self, days: Sequence[ForecastDay]) -> None:
        self.forecast.set_bars(forecast_bars(days))
