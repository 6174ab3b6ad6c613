"""The live preview of the card being edited, drawn by the review screen's own renderer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import CardType, DeckId, Prompt, SourceDocument
from metaflash.core.editing.draft import CardDraft, draft_card
from metaflash.ui.common.card_render import CARD_FONT_SCALE, CardContext, card_html, card_stylesheet
from metaflash.ui.common.theme import colors_for_palette


def variant_label(prompt: Prompt) -> str:
    """How a prompt is named in the preview's list ("Cloze 2", "Back → front"...)."""
    variant = prompt.variant
    if variant == "":
        return "Pick the step" if prompt.card_type is CardType.DIAGRAM else "Front → back"
    if variant == "forward":
        return "Front → back"
    if variant == "backward":
        return "Back → front"
    if variant.startswith("c") and variant[1:].isdigit():
        return f"Gap {variant[1:]}"
    if variant.startswith("next-"):
        return f"After step {variant.removeprefix('next-')}"
    if variant == "order":
        return "Put in order"
    return variant


class CardPreview(QWidget):
    """Shows each prompt of a draft as review shows it: pick the prompt, question or answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPreview")
        self._draft: CardDraft | None = None
        self._folder = Path()
        self._deck_id = DeckId("deck")
        self._deck_title = ""
        self._documents: dict[str, str] = {}
        self._prompts: tuple[Prompt, ...] = ()
        self._steps: dict[str, tuple[str, str]] = {}

        title = QLabel("Preview")
        title.setProperty("role", "subheading")
        self.variant = QComboBox()
        self.variant.setObjectName("previewVariant")
        self.variant.setAccessibleName("Prompt to preview")
        self.variant.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_answer = QCheckBox("Show answer")
        self.show_answer.setObjectName("previewAnswer")
        self.show_answer.setChecked(True)
        self.show_answer.setToolTip("Show the card as it looks once the answer is shown")
        self.browser = QTextBrowser()
        self.browser.setObjectName("previewCard")
        self.browser.setAccessibleName("Card preview")
        self.browser.setOpenExternalLinks(True)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.document().setDocumentMargin(20)
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setProperty("role", "muted")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message.setContentsMargins(24, 40, 24, 24)
        self.message.hide()

        top = QHBoxLayout()
        top.setContentsMargins(16, 12, 16, 8)
        top.setSpacing(8)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.variant)
        top.addWidget(self.show_answer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.browser, 1)
        self.variant.currentIndexChanged.connect(self._render)
        self.show_answer.toggled.connect(self._render)
        self._restyle()

    def set_deck(
        self,
        *,
        folder: Path,
        deck_id: str,
        title: str,
        documents: tuple[SourceDocument, ...],
        steps: Mapping[str, tuple[str, str]],
    ) -> None:
        """The deck the previewed cards belong to; ``steps`` are its diagram's steps
        (label and summary by id), which a diagram card's answer shows."""
        self._steps = dict(steps)
        self._folder = folder
        self._deck_id = DeckId(deck_id or "deck")
        self._deck_title = title
        self._documents = {document.id: document.title for document in documents}
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))

    def show_draft(self, draft: CardDraft | None) -> None:
        """Preview ``draft`` (``None``: nothing selected)."""
        self._draft = draft
        wanted = self.variant.currentData()
        if draft is None:
            self._prompts = ()
            self._show_message("Select a card to see it as students will.")
        else:
            card = draft_card(draft, self._folder, self._steps)
            if isinstance(card, str):
                self._prompts = ()
                self._show_message(card)
            else:
                self._prompts = card.prompts(self._deck_id)
        self.variant.blockSignals(True)
        self.variant.clear()
        for prompt in self._prompts:
            self.variant.addItem(variant_label(prompt), prompt.variant)
        self.variant.setCurrentIndex(max(0, self.variant.findData(wanted)))
        self.variant.setEnabled(len(self._prompts) > 1)
        self.variant.setVisible(bool(self._prompts))
        self.show_answer.setVisible(bool(self._prompts))
        self.variant.blockSignals(False)
        if self._prompts:
            self._render()

    def shown_text(self) -> str:
        """What the preview shows, as plain text (for tests and screen readers)."""
        return self.message.text() if self.message.isVisible() else self.browser.toPlainText()

    def _show_message(self, text: str) -> None:
        self.browser.clear()
        self.browser.hide()
        self.message.setText(text)
        self.message.show()

    @Slot()
    def _render(self) -> None:
        if not self._prompts or self._draft is None:
            return
        prompt = self._prompts[max(0, self.variant.currentIndex())]
        cited = []
        for ref in self._draft.sources:
            title = self._documents.get(ref.document, ref.document)
            cited.append(f"{title}, “{ref.section}”" if ref.section else title)
        context = CardContext(self._deck_title, "; ".join(cited))
        self.message.hide()
        self.browser.show()
        self.browser.setHtml(
            card_html(prompt, revealed=self.show_answer.isChecked(), context=context)
        )

    def _restyle(self) -> None:
        colors = colors_for_palette(self.palette())
        self.browser.document().setDefaultStyleSheet(card_stylesheet(colors))
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * CARD_FONT_SCALE)
        self.browser.document().setDefaultFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()
            self._render()
