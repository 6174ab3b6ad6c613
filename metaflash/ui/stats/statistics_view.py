"""The statistics screen: the due forecast, reviews per day, true retention and the mastery
of each diagram step, for one deck with its sub-decks or for every deck.

The numbers come from :func:`metaflash.core.stats.statistics.collect_statistics` (the same as
``metaflash stats``); they are computed when the screen is shown or its deck changes, never
after each answer. Every bar shows its numbers on hover and from the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import DeckId, StepId
from metaflash.core.stats.mastery import StepMastery
from metaflash.core.stats.statistics import DayCount, DayReviews, Retention, Statistics
from metaflash.ui.common.bar_chart import Bar, BarChart
from metaflash.ui.common.time_text import duration_text

FORECAST_DAYS = 30
HISTORY_DAYS = 30

#: Computes the statistics of a deck with its sub-decks (None: every deck).
StatisticsSource = Callable[[DeckId | None], Statistics]


def _day(value: date) -> str:
    return f"{value:%a %d %b}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def forecast_bars(days: Sequence[DayCount]) -> list[Bar]:
    return [
        Bar(
            "Today" if index == 0 else f"{day.day:%d %b}",
            day.count,
            f"{_day(day.day)}: {_plural(day.count, 'card')} due"
            + (" (overdue included)" if index == 0 else ""),
            hue="due",
        )
        for index, day in enumerate(days)
    ]


def review_bars(days: Sequence[DayReviews]) -> list[Bar]:
    bars = []
    for day in days:
        tip = f"{_day(day.day)}: {_plural(day.answers, 'answer')}"
        if day.answers:
            tip += (
                f"\n{day.again} Again, {day.new_cards} new, {duration_text_ms(day.time_ms)} spent"
            )
        bars.append(Bar(f"{day.day:%d %b}", day.answers, tip))
    return bars


def duration_text_ms(milliseconds: int) -> str:
    from datetime import timedelta

    return duration_text(timedelta(milliseconds=milliseconds))


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def retention_bars(periods: Sequence[Retention]) -> list[Bar]:
    bars = []
    for period in periods:
        passed = period.young_passed + period.mature_passed
        total = passed + period.young_failed + period.mature_failed
        tip = (
            f"{period.label.capitalize()}: {_share(period.total)} of {_plural(total, 'review')} "
            f"passed\nyoung cards {_share(period.young)} "
            f"({period.young_passed} of {period.young_passed + period.young_failed}), "
            f"mature cards {_share(period.mature)} "
            f"({period.mature_passed} of {period.mature_passed + period.mature_failed})"
        )
        value = 0.0 if period.total is None else round(period.total * 100, 1)
        text = "no reviews" if period.total is None else f"{period.total:.0%}  ({passed}/{total})"
        bars.append(Bar(period.label.capitalize(), value, tip, text=text, hue="good"))
    return bars


_LEVEL_HUES = {"mastered": "good", "learning": "hard", "weak": "again"}


def mastery_bars(mastery: Sequence[StepMastery], labels: Mapping[StepId, str]) -> list[Bar]:
    bars = []
    for step in mastery:
        name = labels.get(step.step_id, str(step.step_id))
        value = 0.0 if step.recall is None else round(step.recall * 100, 1)
        text = (
            "not started"
            if step.recall is None
            else f"{step.recall:.0%}  ({step.studied}/{step.total})"
        )
        bars.append(
            Bar(
                name,
                value,
                f"{name}: {step.level}\n{step.label()}",
                text=text,
                hue=_LEVEL_HUES.get(step.level, "accent"),
            )
        )
    return bars


def _section(title: str, chart: QWidget, note: str = "") -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    heading = QLabel(title)
    heading.setProperty("role", "title")
    layout.addWidget(heading)
    if note:
        hint = QLabel(note)
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
    layout.addWidget(chart, 1)
    layout.addStretch(0)
    return frame


class StatisticsView(QScrollArea):
    """Charts for a deck (with its sub-decks) or for every deck; :meth:`refresh` recomputes."""

    def __init__(self, source: StatisticsSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsView")
        self.setProperty("role", "page")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._source = source
        self._step_labels: dict[StepId, str] = {}
        self.statistics: Statistics | None = None

        self.scope = QComboBox()
        self.scope.setObjectName("statisticsScope")
        self.scope.setAccessibleName("Statistics of")
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        heading = QLabel("Statistics")
        heading.setProperty("role", "heading")
        self.today = QLabel()
        self.today.setProperty("role", "muted")
        self.today.setWordWrap(True)

        self.forecast = BarChart(hue="due", empty_text="Nothing scheduled yet")
        self.forecast.setAccessibleName(f"Cards due in the next {FORECAST_DAYS} days")
        self.reviews = BarChart(empty_text="No reviews in the last 30 days")
        self.reviews.setAccessibleName(f"Answers per day, last {HISTORY_DAYS} days")
        self.retention = BarChart(horizontal=True, maximum=100, empty_text="No reviews yet")
        self.retention.setAccessibleName("True retention")
        self.mastery = BarChart(horizontal=True, maximum=100, empty_text="No diagram steps")
        self.mastery.setAccessibleName("Mastery per diagram step")

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        of = QLabel("Deck:")
        of.setBuddy(self.scope)
        top.addWidget(of)
        top.addWidget(self.scope)
        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(_section(f"Due in the next {FORECAST_DAYS} days", self.forecast), 0, 0)
        grid.addWidget(_section(f"Reviews per day, last {HISTORY_DAYS} days", self.reviews), 0, 1)
        grid.addWidget(
            _section(
                "True retention",
                self.retention,
                "The share of reviews you passed (Hard, Good or Easy), as Anki counts it.",
            ),
            1,
            0,
        )
        grid.addWidget(
            _section(
                "Mastery per diagram step",
                self.mastery,
                "Mean predicted recall of each step's cards now (cards studied / cards).",
            ),
            1,
            1,
        )
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        page = QWidget()
        page.setProperty("role", "page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.today)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setWidget(page)

    def set_decks(
        self, decks: Sequence[tuple[DeckId, str, int]], steps: Mapping[StepId, str]
    ) -> None:
        """The decks to choose from (id, title, depth) and the names of diagram steps."""
        chosen = self.deck_id()
        self._step_labels = dict(steps)
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("All decks", "")
        for deck_id, title, depth in decks:
            self.scope.addItem("    " * depth + title, deck_id)
        index = self.scope.findData(chosen or "")
        self.scope.setCurrentIndex(max(0, index))
        self.scope.blockSignals(False)

    def deck_id(self) -> DeckId | None:
        value = self.scope.currentData()
        return DeckId(str(value)) if value else None

    def show_deck(self, deck_id: DeckId | None) -> None:
        """Show the statistics of ``deck_id`` (None: every deck)."""
        index = self.scope.findData(deck_id or "")
        if index >= 0 and index != self.scope.currentIndex():
            self.scope.setCurrentIndex(index)  # refreshes

    @Slot(int)
    def _on_scope_changed(self, _index: int) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Compute the statistics again and redraw every chart."""
        stats = self._source(self.deck_id())
        self.statistics = stats
        self.forecast.set_bars(forecast_bars(stats.forecast))
        self.reviews.set_bars(review_bars(stats.reviews))
        self.retention.set_bars(retention_bars(stats.retention))
        self.mastery.set_bars(mastery_bars(stats.mastery, self._step_labels))
        today = stats.reviews[-1] if stats.reviews else None
        counts = stats.overall
        parts = [
            (
                f"{_plural(counts.total, 'prompt')} (a card asked one way): {counts.studied} "
                f"studied, {counts.new} new, {counts.suspended} suspended."
            )
        ]
        if today is not None and today.answers:
            parts.append(
                f"Today: {_plural(today.answers, 'answer')} in {duration_text_ms(today.time_ms)}."
            )
        else:
            parts.append("No answers yet today.")
        self.today.setText("  ".join(parts))
