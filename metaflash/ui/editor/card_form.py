"""The form that edits one card: the fields of its type, tags, stage, sources, notes, image.

The form holds a :class:`~metaflash.core.editing.draft.CardDraft` and says when the author
changed it (:attr:`CardForm.draft_changed`); it never writes anything itself. A saved
card's id is locked: progress is stored under it, so changing it takes a confirmation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import CardType, SourceDocument
from metaflash.core.editing.draft import CardDraft
from metaflash.ui.editor.form_fields import (
    CitationsEditor,
    FieldRow,
    ImageField,
    StepsEditor,
    TagsEdit,
    set_text_quietly,
    text_box,
)

_GAP_NUMBER = re.compile(r"\{\{c(\d+)::")
TYPE_LABELS = {
    CardType.BASIC: ("Basic", "A question and its answer"),
    CardType.REVERSE: ("Reverse", "Asked both ways: front → back and back → front"),
    CardType.CLOZE: ("Cloze", "Text with gaps to fill in: {{c1::answer}}"),
    CardType.SEQUENCE: ("Sequence", "Steps to recall in order"),
    CardType.DIAGRAM: ("Diagram", "Answered by picking a step on the deck's diagram"),
}
#: The rows of each card type, besides the common ones.
TYPE_ROWS = {
    CardType.BASIC: ("front", "back"),
    CardType.REVERSE: ("front", "back"),
    CardType.CLOZE: ("text",),
    CardType.SEQUENCE: ("prompt", "steps"),
    CardType.DIAGRAM: ("question", "answer"),
}


class CardForm(QWidget):
    """Edits one card; :meth:`set_draft` shows a card, :meth:`draft` reads what is typed."""

    draft_changed = Signal(object)  # the CardDraft as now typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardForm")
        self._draft = CardDraft()
        self._id_locked = False
        self._loading = False
        self._stages: tuple[tuple[str, str], ...] = ()
        self._has_diagram = False

        self.type_combo = QComboBox()
        self.type_combo.setObjectName("cardType")
        self.type_combo.setAccessibleName("Card type")
        for card_type, (label, tip) in TYPE_LABELS.items():
            self.type_combo.addItem(label, card_type.value)
            self.type_combo.setItemData(
                self.type_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("cardId")
        self.id_edit.setAccessibleName("Card id")
        self.change_id_button = QPushButton("Change…")
        self.change_id_button.setObjectName("changeId")
        self.change_id_button.setToolTip("Change the id under which this card's progress is stored")
        id_box = QWidget()
        id_layout = QHBoxLayout(id_box)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.setSpacing(6)
        id_layout.addWidget(self.id_edit, 1)
        id_layout.addWidget(self.change_id_button)

        self.front = text_box("front", 3)
        self.back = text_box("back", 3)
        self.text = text_box("text", 4)
        self.gap_button = QPushButton("Make Gap")
        self.gap_button.setObjectName("makeGap")
        self.gap_button.setToolTip("Turn the selected words into the next cloze gap: {{c1::words}}")
        text_box_with_button = QWidget()
        text_layout = QVBoxLayout(text_box_with_button)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(4)
        text_layout.addWidget(self.text)
        text_layout.addWidget(self.gap_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.prompt = text_box("prompt", 2)
        self.steps = StepsEditor()
        self.question = text_box("question", 3)
        self.answer = QComboBox()
        self.answer.setObjectName("answerStep")
        self.answer.setAccessibleName("Answer: a step of the diagram")
        self.tags = TagsEdit()
        self.stage = QComboBox()
        self.stage.setObjectName("stage")
        self.stage.setAccessibleName("Stage")
        self.sources = CitationsEditor()
        self.notes = text_box("notes", 3)
        self.image = ImageField()

        self.rows: dict[str, FieldRow] = {
            "type": FieldRow("Type", self.type_combo),
            "id": FieldRow("ID", id_box),
            "front": FieldRow("Question", self.front, hint="Markdown"),
            "back": FieldRow("Answer", self.back, hint="Markdown"),
            "text": FieldRow(
                "Text", text_box_with_button, hint="Gaps: {{c1::answer}} or {{c1::answer::hint}}"
            ),
            "prompt": FieldRow("Prompt", self.prompt, hint="Markdown"),
            "steps": FieldRow("Steps", self.steps, hint="In order, at least two"),
            "question": FieldRow("Question", self.question, hint="Markdown"),
            "answer": FieldRow("Answer", self.answer, hint="A step of the diagram"),
            "tags": FieldRow("Tags", self.tags),
            "stage": FieldRow("Stage", self.stage),
            "source": FieldRow("Sources", self.sources),
            "notes": FieldRow("Notes", self.notes),
            "image": FieldRow("Image", self.image),
        }
        self.rows["tags"].label.setToolTip("Tags separated by spaces, such as: definition stage-2")
        self.rows["stage"].label.setToolTip("The step of the deck's diagram this card is about")
        self.rows["notes"].label.setToolTip("Markdown shown with the answer")
        self.general = QLabel()
        self.general.setObjectName("cardProblems")
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()

        head = QHBoxLayout()
        head.setSpacing(12)
        self.type_combo.setMinimumWidth(130)
        head.addWidget(self.rows["type"], 0)
        head.addWidget(self.rows["id"], 1)
        tag_stage = QHBoxLayout()
        tag_stage.setSpacing(12)
        tag_stage.addWidget(self.rows["tags"], 1)
        tag_stage.addWidget(self.rows["stage"], 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(14)
        layout.addWidget(self.general)
        layout.addLayout(head)
        for name in ("front", "back", "text", "prompt", "steps", "question", "answer"):
            layout.addWidget(self.rows[name])
        layout.addLayout(tag_stage)
        for name in ("source", "notes", "image"):
            layout.addWidget(self.rows[name])
        layout.addStretch(1)

        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.id_edit.textEdited.connect(self._changed)
        for box in (self.front, self.back, self.text, self.prompt, self.question, self.notes):
            box.textChanged.connect(self._changed)
        self.answer.currentIndexChanged.connect(self._changed)
        self.tags.textChanged.connect(self._changed)
        self.stage.currentIndexChanged.connect(self._changed)
        for editor in (self.steps, self.sources, self.image):
            editor.changed.connect(self._changed)
        self.change_id_button.clicked.connect(self._unlock_id)
        self.gap_button.clicked.connect(self.make_gap)
        self._show_type(CardType.BASIC)

    # --- what the form shows ------------------------------------------------------------

    def set_context(
        self,
        *,
        deck_path: Path | None,
        stages: Sequence[tuple[str, str]],
        documents: Sequence[SourceDocument],
        sections: Sequence[str],
        tags: Sequence[str],
        has_diagram: bool,
    ) -> None:
        """What the deck offers: its diagram's steps (id, label), its source documents, the
        sections and tags its cards use. What is typed in the form is kept."""
        typed = self.draft()
        self._loading = True
        self.image.deck_path = deck_path
        self._stages = tuple(stages)
        self._has_diagram = has_diagram
        self.sources.set_documents(documents, sections)
        self.tags.set_known(tags)
        self.steps.set_stage_choices(self._stages)
        self._fill_stages(typed.stage, typed.answer)
        self._loading = False

    def _fill_stages(self, current: str, answer: str = "") -> None:
        for combo, value, none in (
            (self.stage, current, "No stage"),
            (self.answer, answer, "Choose a step"),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(none, "")
            for step_id, label in self._stages:
                combo.addItem(label, step_id)
                combo.setItemData(combo.count() - 1, step_id, Qt.ItemDataRole.ToolTipRole)
            if value and combo.findData(value) < 0:
                combo.addItem(f"{value} (not a step of the diagram)", value)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.setEnabled(self._has_diagram or bool(value))
            combo.setToolTip(
                ""
                if self._has_diagram
                else "The deck names no diagram: name one in Deck Details to use its steps"
            )
            combo.blockSignals(False)

    def set_draft(
        self, draft: CardDraft, *, id_locked: bool, id_follows_question: bool = False
    ) -> None:
        """Show ``draft``. A locked id (a saved card's) changes only after a warning; an id
        that follows the question is said so."""
        self._loading = True
        self._draft = draft
        self._id_locked = id_locked
        self.type_combo.setCurrentIndex(self.type_combo.findData(draft.type.value))
        self._show_type(draft.type)
        set_text_quietly(self.id_edit, draft.id)
        self.id_edit.setCursorPosition(0)  # the start of a long id says most
        self.id_edit.setReadOnly(id_locked)
        self.change_id_button.setVisible(id_locked)
        self.rows["id"].hint.setText(
            "Follows the question until saved" if id_follows_question else ""
        )
        self.rows["id"].hint.setVisible(id_follows_question)
        for box, value in (
            (self.front, draft.front),
            (self.back, draft.back),
            (self.text, draft.text),
            (self.prompt, draft.prompt),
            (self.question, draft.question),
            (self.notes, draft.notes),
        ):
            set_text_quietly(box, value)
        self.steps.set_steps(draft.steps, draft.stages)
        self.tags.set_tags(draft.tags)
        self._fill_stages(draft.stage, draft.answer)
        self.sources.set_citations(draft.sources)
        self.image.set_image(draft.image)
        self._loading = False

    def set_id(self, card_id: str, *, id_follows_question: bool) -> None:
        """The id as written (a new card's follows its question)."""
        self._draft = replace(self._draft, id=card_id)
        if self.id_edit.text() != card_id and not self.id_edit.hasFocus():
            set_text_quietly(self.id_edit, card_id)
        self.rows["id"].hint.setVisible(id_follows_question)

    def draft(self) -> CardDraft:
        """The card as now typed."""
        return self._typed(CardType(self.type_combo.currentData()))

    def _typed(self, card_type: CardType) -> CardDraft:
        return replace(
            self._draft,
            id=self.id_edit.text().strip(),
            type=card_type,
            front=self.front.toPlainText(),
            back=self.back.toPlainText(),
            text=self.text.toPlainText(),
            prompt=self.prompt.toPlainText(),
            steps=self.steps.steps(),
            stages=self.steps.stages(),
            question=self.question.toPlainText(),
            answer=str(self.answer.currentData() or ""),
            tags=self.tags.tags(),
            stage=str(self.stage.currentData() or ""),
            sources=self.sources.citations(),
            notes=self.notes.toPlainText(),
            image=self.image.image(),
        )

    def set_problems(self, by_field: Mapping[str, Sequence[str]], general: Sequence[str]) -> None:
        """Show each problem under its field; problems of no shown field at the top."""
        card_type = CardType(self.type_combo.currentData())
        shown_rows = {
            "type",
            "id",
            "tags",
            "stage",
            "source",
            "notes",
            "image",
            *TYPE_ROWS[card_type],
        }
        by_field = dict(by_field)
        if "stages" in by_field:  # a sequence's stages are chosen beside its steps
            by_field["steps"] = [*by_field.get("steps", ()), *by_field.pop("stages")]
        for name, row in self.rows.items():
            row.set_problems(by_field.get(name, ()) if name in shown_rows else ())
        elsewhere = [
            message
            for name, messages in by_field.items()
            if name not in shown_rows
            for message in messages
        ]
        shown = [*general, *elsewhere]
        self.general.setText("\n".join(f"⚠ {message}" for message in shown))
        self.general.setVisible(bool(shown))

    def focus_field(self, name: str) -> None:
        widgets: dict[str, QWidget] = {
            "id": self.id_edit,
            "type": self.type_combo,
            "front": self.front,
            "back": self.back,
            "text": self.text,
            "prompt": self.prompt,
            "tags": self.tags,
            "stage": self.stage,
            "question": self.question,
            "answer": self.answer,
            "stages": self.steps,
            "notes": self.notes,
            "image": self.image.path_edit,
        }
        widget = widgets.get(name)
        if name in ("steps", "stages") and self.steps.rows:
            widget = self.steps.rows[0].edit
        if name == "source" and self.sources.rows:
            widget = self.sources.rows[0][1]
        (widget or self.id_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    # --- reacting to the author ---------------------------------------------------------

    def _show_type(self, card_type: CardType) -> None:
        for name in ("front", "back", "text", "prompt", "steps", "question", "answer"):
            self.rows[name].setVisible(name in TYPE_ROWS[card_type])
        self.rows["front"].label.setText("Front" if card_type is CardType.REVERSE else "Question")
        self.rows["back"].label.setText("Back" if card_type is CardType.REVERSE else "Answer")

    @Slot()
    def _on_type_changed(self) -> None:
        if self._loading:
            return
        moved = self._typed(self._draft.type).for_type(CardType(self.type_combo.currentData()))
        follows = self.rows["id"].hint.isVisible()
        self.set_draft(moved, id_locked=self._id_locked, id_follows_question=follows)
        self.draft_changed.emit(self.draft())

    @Slot()
    def _changed(self) -> None:
        if not self._loading:
            self.draft_changed.emit(self.draft())

    @Slot()
    def _unlock_id(self) -> None:
        if self.confirm_id_change():
            self._id_locked = False
            self.id_edit.setReadOnly(False)
            self.change_id_button.hide()
            self.id_edit.setFocus()
            self.id_edit.selectAll()

    def confirm_id_change(self) -> bool:
        box = QMessageBox(self)
        box.setObjectName("changeIdWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Change the Card's ID?")
        box.setText(f"Progress on this card is stored under its id, “{self._draft.id}”.")
        box.setInformativeText(
            "If you change it, everyone who has studied this card starts it over, as if it "
            "were new. Fix typos in the text instead: that keeps the progress."
        )
        change = box.addButton("Change ID", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is change

    @Slot()
    def make_gap(self) -> None:
        """Wrap the selected text of a cloze card in the next gap number."""
        cursor = self.text.textCursor()
        selected = cursor.selectedText().replace("\u2029", "\n")
        numbers = [int(found) for found in _GAP_NUMBER.findall(self.text.toPlainText())]
        number = max(numbers, default=0) + 1
        cursor.insertText(f"{{{{c{number}::{selected or 'answer'}}}}}")
        self.text.setTextCursor(cursor)
        self.text.setFocus()
