"""A class in the window: the educator's view of a class folder, and a student's sharing.

:class:`ClassWindow` (File › Open Class Folder…) shows the pathway diagram coloured by the
class's mastery of each step, every step's figures, and the cards the class forgets most,
each with the number of students it rests on; a figure on fewer than five students reads
"fewer than 5 students". Card texts come from the educator's own decks: students share ids.

:class:`ShareWithClassDialog` (File › Share Progress with a Class…) shows a student exactly
what would be shared with the class, word for word, before anything is written; Share writes
it (and the window keeps it current), Stop Sharing removes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.classroom.report import MIN_STUDENTS, ClassReport, Figure
from metaflash.core.classroom.summary import ClassInfo
from metaflash.core.decks.model import CardId, DeckId, Diagram, StepId
from metaflash.core.library.snapshot import Library
from metaflash.core.stats.mastery import StepMastery, class_step_mastery
from metaflash.ui.common.card_text import question_plain
from metaflash.ui.common.window_geometry import fit_dialog
from metaflash.ui.diagram.canvas import DiagramCanvas

HIDDEN = f"fewer than {MIN_STUDENTS} students"
#: What a table cell shows of a hidden figure (its tooltip says why).
HIDDEN_CELL = f"fewer than {MIN_STUDENTS}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _cells(figure: Figure) -> list[str]:
    """Recall, lapses per answer, students: what a table row shows of a figure."""
    if figure.hidden:
        return [HIDDEN_CELL, "", str(figure.students)]
    return [_percent(figure.recall), _percent(figure.lapse_rate), str(figure.students)]


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(name.replace("-", " "))
    table.setHorizontalHeaderLabels(headers)
    tips = ("", "The mean predicted recall today", "Lapses per answer", "Students it rests on")
    for column, tip in enumerate(tips[: len(headers)]):
        item = table.horizontalHeaderItem(column)
        if tip and item is not None:
            item.setToolTip(tip)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 0:
                item.setToolTip(value)  # a long step or question, cut in its cell
            elif value == HIDDEN_CELL:
                item.setToolTip(f"Hidden: this rests on {HIDDEN}")
            table.setItem(row, column, item)


def best_diagram(library: Library, steps: set[str]) -> Diagram | None:
    """The diagram that holds most of the class's steps (None: none holds any)."""
    scored = [
        (len(steps & {str(step.id) for step in diagram.steps}), diagram.title, diagram)
        for diagram in library.diagrams
    ]
    scored = [entry for entry in scored if entry[0]]
    return max(scored, key=lambda entry: (entry[0], entry[1]))[2] if scored else None


class ClassWindow(QDialog):
    """A class's report: the diagram in the class's colours, the steps, the cards."""

    def __init__(
        self, report: ClassReport, library: Library, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("classWindow")
        self.setWindowTitle(f"Class: {report.info.title}")
        self.report = report
        students = report.students
        heading = QLabel(
            f"<b>{report.info.title}</b>: {students} student{'s' if students != 1 else ''} "
            f"shared their progress. Figures that rest on fewer than {MIN_STUDENTS} students "
            "are hidden."
        )
        heading.setObjectName("classHeading")
        heading.setWordWrap(True)
        diagram = best_diagram(library, {step.step for step in report.steps})
        self.mastery: dict[StepId, StepMastery] = {
            StepId(step.step): class_step_mastery(
                StepId(step.step), step.figure.students, step.figure.recall
            )
            for step in report.steps
        }
        self.canvas: DiagramCanvas | None = None
        if diagram is not None:
            self.canvas = DiagramCanvas(diagram, self.mastery, compact=True)
            self.canvas.setAccessibleName(f"{diagram.title}, coloured by the class's recall")
        labels = {
            str(step.id): step.label for diagram_ in library.diagrams for step in diagram_.steps
        }
        self.steps = _table(["Step", "Recall", "Lapses", "Students"], "class-steps")
        _fill(
            self.steps,
            [[labels.get(s.step, s.step), *_cells(s.figure)] for s in report.steps],
        )
        self.cards = _table(["Card", "Recall", "Lapses", "Students"], "class-cards")
        _fill(
            self.cards,
            [[self._card_text(library, c.deck, c.card), *_cells(c.figure)] for c in report.cards],
        )
        cards_title = QLabel("<b>Cards the class forgets most</b>")
        if report.hidden_cards:
            more = QLabel(
                f"{report.hidden_cards} more card{'s' if report.hidden_cards != 1 else ''} "
                f"studied by {HIDDEN}."
            )
        else:
            more = QLabel("")
        more.setProperty("role", "muted")
        more.setVisible(bool(report.hidden_cards))
        problems = QLabel(
            "\n".join(f"{path.name}: skipped ({reason})" for path, reason in report.problems)
        )
        problems.setProperty("role", "error")
        problems.setWordWrap(True)
        problems.setVisible(bool(report.problems))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        steps_title = QLabel("<b>Steps</b>")
        right_layout.addWidget(steps_title)
        right_layout.addWidget(self.steps, 1)
        right_layout.addWidget(cards_title)
        right_layout.addWidget(self.cards, 2)
        right_layout.addWidget(more)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        if self.canvas is not None:
            figure = QWidget()
            figure_layout = QVBoxLayout(figure)
            figure_layout.setContentsMargins(0, 0, 0, 0)
            figure_layout.addWidget(self.canvas, 1)
            key = QLabel(
                "Each step's ring shows the class's mean recall: mastered from 90%, learning "
                f"from 70%, weak below; grey where it rests on {HIDDEN}."
            )
            key.setObjectName("classKey")
            key.setProperty("role", "muted")
            key.setWordWrap(True)
            figure_layout.addWidget(key)
            split.addWidget(figure)
            split.setStretchFactor(0, 5)
        split.addWidget(right)
        split.setStretchFactor(split.count() - 1, 4)
        self._split = split
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(split, 1)
        layout.addWidget(problems)
        layout.addWidget(buttons)
        fit_dialog(self, QSize(1180, 700))
        if split.count() == 2:  # the tables get the room their texts need, the figure the rest
            split.setSizes([self.width() * 5 // 9, self.width() * 4 // 9])

    @staticmethod
    def _card_text(library: Library, deck_id: str, card_id: str) -> str:
        deck = library.deck(DeckId(deck_id))
        card = None if deck is None else deck.card(CardId(card_id))
        if card is None:  # not in this computer's decks: its id is all there is
            return f"{deck_id}/{card_id}"
        return question_plain(card)


class ShareWithClassDialog(QDialog):
    """What would be shared with a class, word for word; Share, or Stop Sharing."""

    def __init__(
        self,
        info: ClassInfo,
        summary: dict[str, Any],
        *,
        sharing: bool,
        share: Callable[[], Path | None],
        stop: Callable[[], Path | None],
        save: Callable[[], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shareWithClassDialog")
        self.setWindowTitle(f"Share Progress with “{info.title}”")
        self._share, self._stop, self._save = share, stop, save
        cards, steps = len(summary["cards"]), len(summary["steps"])
        what = (
            f"for {cards} studied card{'s' if cards != 1 else ''} and {steps} "
            f"step{'s' if steps != 1 else ''} of the pathway, how many answers, how many "
            "lapses and the predicted recall today"
            if cards
            else "nothing yet but the day: you have not studied a card"
        )
        intro = QLabel(
            f"This is exactly what the class folder would receive, as "
            f"<b>{summary['student']}</b>, a name made for this class only: {what}. No name, "
            "no card texts, no times: only the day. The window keeps it up to date until you "
            "stop sharing."
        )
        intro.setWordWrap(True)
        intro.setObjectName("shareExplanation")
        self.preview = QPlainTextEdit(json.dumps(summary, indent=1, ensure_ascii=False))
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("What would be shared")
        self.status = QLabel("You share with this class." if sharing else "")
        self.status.setProperty("role", "muted")
        self.share_button = QPushButton("&Share" if not sharing else "&Share Now")
        self.share_button.setDefault(True)
        self.share_button.clicked.connect(self._on_share)
        self.stop_button = QPushButton("Sto&p Sharing")
        self.stop_button.setEnabled(sharing)
        self.stop_button.clicked.connect(self._on_stop)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        self.save_button = QPushButton("Save as &File…")
        self.save_button.setToolTip("Write the same summary to a file to hand in")
        self.save_button.clicked.connect(self._on_save)
        self.save_button.setVisible(save is not None)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.share_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.preview, 1)
        layout.addLayout(row)
        fit_dialog(self, QSize(640, 520))

    @Slot()
    def _on_share(self) -> None:
        written = self._share()
        if written is not None:
            self.status.setText(f"Shared as {written.name}.")
            self.stop_button.setEnabled(True)

    @Slot()
    def _on_save(self) -> None:
        if self._save is None:
            return
        written = self._save()
        if written is not None:
            self.status.setText(f"Saved to {written.name}: hand it in.")

    @Slot()
    def _on_stop(self) -> None:
        self._stop()
        self.status.setText("You no longer share with this class; your file was removed.")
        self.stop_button.setEnabled(False)
