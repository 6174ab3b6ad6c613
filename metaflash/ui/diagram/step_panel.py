"""The side panel of a step: what happens there, where it comes from, the cards that ask
about it, how well the student knows it, and a button to study just this step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.markdown import plain_text
from metaflash.core.decks.model import (
    DiagramAccount,
    DiagramStep,
    Prompt,
    SourceDocument,
    StepId,
    StepKind,
)
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.diagram.backdrop import cosmetic_pen
from metaflash.ui.diagram.colours import DiagramColours

KIND_WORDS = {StepKind.STEP: "stage", StepKind.ROUTE: "route", StepKind.ORGAN: "site"}


def mastery_swatch(
    colour: object, studied_fraction: float, size: int, device_ratio: float
) -> QPixmap:
    """A small mastery ring, drawn at the screen's pixel density."""
    pixmap = QPixmap(QSize(round(size * device_ratio), round(size * device_ratio)))
    pixmap.setDevicePixelRatio(device_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    r = size / 2 - 2
    painter.setPen(cosmetic_pen(colour, 3.0))
    painter.drawArc(
        2, 2, int(2 * r), int(2 * r), 90 * 16, int(-360 * 16 * max(studied_fraction, 0.0))
    )
    if studied_fraction <= 0:
        painter.setPen(cosmetic_pen(colour, 1.5, Qt.PenStyle.DotLine))
        painter.drawEllipse(QPointF(size / 2, size / 2), r, r)
    painter.end()
    return pixmap


def account_lines(step_id: StepId, accounts: Sequence[DiagramAccount]) -> list[str]:
    """Where a step stands in each account: "The Q&A's five stages — 4 of 5: Extravasation"."""
    lines = []
    for account in accounts:
        found = account.place_of(step_id)
        if found is None:
            lines.append(f"{account.title} — not one of them")
        else:
            number, stage = found
            lines.append(f"{account.title} — {number} of {len(account.stages)}: {stage.name}")
    return lines


class StepPanel(QFrame):
    studyRequested = Signal(str)
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(280)
        self.setMaximumWidth(380)
        self.setAccessibleName("Step details")
        self._step_id = ""
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAccessibleName("Close step details")
        self.close_button.clicked.connect(self.closeRequested)
        self.position = QLabel()
        self.position.setProperty("role", "muted")
        self.swatch = QLabel()
        self.mastery = QLabel()
        self.mastery.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.sources.setProperty("role", "muted")
        self.sources.setTextFormat(Qt.TextFormat.PlainText)
        self.accounts_heading = QLabel("IN EACH ACCOUNT")
        self.accounts_heading.setProperty("role", "subheading")
        self.accounts = QLabel()
        self.accounts.setObjectName("stepAccounts")
        self.accounts.setWordWrap(True)
        self.accounts.setTextFormat(Qt.TextFormat.PlainText)
        self.cards_heading = QLabel()
        self.cards_heading.setProperty("role", "subheading")
        self.cards = QListWidget()
        self.cards.setWordWrap(True)
        self.cards.setSpacing(2)
        self.cards.setAlternatingRowColors(True)
        self.cards.setAccessibleName("Cards about this step")
        self.cards.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.study_button = QPushButton("Study this step")
        self.study_button.setAccessibleName("Study this step")
        self.study_button.clicked.connect(lambda: self.studyRequested.emit(self._step_id))

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        mastery_row = QHBoxLayout()
        mastery_row.addWidget(self.swatch, 0, Qt.AlignmentFlag.AlignTop)
        mastery_row.addWidget(self.mastery, 1)
        source_heading = QLabel("SOURCE")
        source_heading.setProperty("role", "subheading")
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 12, 14, 14)
        column.setSpacing(8)
        column.addLayout(header)
        column.addWidget(self.position)
        column.addLayout(mastery_row)
        column.addWidget(self.summary)
        column.addWidget(self.accounts_heading)
        column.addWidget(self.accounts)
        column.addWidget(source_heading)
        column.addWidget(self.sources)
        column.addWidget(self.cards_heading)
        column.addWidget(self.cards, 1)
        column.addWidget(self.study_button)

    @property
    def step_id(self) -> str:
        return self._step_id

    def show_step(
        self,
        step: DiagramStep,
        number: int,
        total: int,
        mastery: StepMastery,
        prompts: Sequence[Prompt],
        documents: Mapping[str, SourceDocument],
        colours: DiagramColours,
        accounts: Sequence[DiagramAccount] = (),
    ) -> None:
        self._step_id = step.id
        self.title.setText(step.label)
        self.position.setText(
            f"Step {number} of {total} · {KIND_WORDS.get(step.kind, step.kind.value)}"
        )
        self.show_mastery(mastery, colours)
        self.summary.setText(step.summary)
        self.accounts.setText("\n".join(account_lines(step.id, accounts)))
        self.accounts_heading.setVisible(bool(accounts))
        self.accounts.setVisible(bool(accounts))
        lines = []
        for ref in step.sources:
            document = documents.get(ref.document)
            title = document.title if document else ref.document
            lines.append(f"{title} — {ref.section}")
        self.sources.setText("\n".join(lines) if lines else "No source given")
        self.cards.clear()
        for prompt in prompts:
            item = QListWidgetItem(plain_text(prompt.question))
            item.setToolTip(plain_text(prompt.answer))
            self.cards.addItem(item)
        count = len(prompts)
        self.cards_heading.setText(f"CARDS ({count})")
        self.cards.setVisible(count > 0)
        self.study_button.setEnabled(count > 0)
        self.study_button.setText("Study this step" if count else "No cards for this step yet")
        self.setAccessibleDescription(f"{step.label}: {step.summary}")

    def show_mastery(self, mastery: StepMastery, colours: DiagramColours) -> None:
        fraction = mastery.studied / mastery.total if mastery.total else 0.0
        self.swatch.setPixmap(
            mastery_swatch(colours.for_mastery(mastery), fraction, 18, self.devicePixelRatioF())
        )
        self.mastery.setText(f"{mastery.level.capitalize()}: {mastery.label()}")
