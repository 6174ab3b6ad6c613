"""The editor's form fields that are more than a text box: steps, citations, tags, an image,
and the labelled row that shows a field's problems under it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.loader import IMAGE_SUFFIXES
from metaflash.core.decks.model import SourceDocument, SourceRef
from metaflash.core.editing.new_files import copy_image_into, image_in_folder


class FieldRow(QWidget):
    """A field's label, its editor and, under it, the field's problems (hidden when none)."""

    def __init__(
        self, label: str, editor: QWidget, *, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.label = QLabel(label)
        self.label.setProperty("role", "subheading")
        self.label.setBuddy(editor)
        self.editor = editor
        self.hint = QLabel(hint)
        self.hint.setProperty("role", "muted")
        self.hint.setVisible(bool(hint))
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.label)
        top.addStretch(1)
        top.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(editor)
        layout.addWidget(self.problem)

    def set_problems(self, messages: Sequence[str]) -> None:
        self.problem.setText("\n".join(f"⚠ {message}" for message in messages))
        self.problem.setVisible(bool(messages))

    def problem_text(self) -> str:
        return self.problem.text() if self.problem.isVisible() else ""


def text_box(name: str, lines: int = 3) -> QPlainTextEdit:
    """A Markdown text box about ``lines`` lines high that wraps its text."""
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    height = QFontMetrics(box.font()).lineSpacing() * lines + 14
    box.setFixedHeight(height)
    return box


def set_text_quietly(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Replace a field's text without telling its listeners (and only when it differs)."""
    current = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    if current == text:
        return
    widget.blockSignals(True)
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)
    widget.blockSignals(False)


class TagsEdit(QLineEdit):
    """Tags separated by spaces (or commas), completing the tag being typed from the deck's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tags")
        self.setAccessibleName("Tags")
        self.setPlaceholderText("definition stage-2")
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setWidget(self)
        self._completer.activated[str].connect(self._complete)  # type: ignore[index]
        self.textEdited.connect(self._suggest)

    def set_known(self, tags: Sequence[str]) -> None:
        self._model.setStringList(list(tags))

    def tags(self) -> tuple[str, ...]:
        words = self.text().replace(",", " ").split()
        return tuple(dict.fromkeys(words))

    def set_tags(self, tags: Sequence[str]) -> None:
        set_text_quietly(self, " ".join(tags))

    def _current_word(self) -> str:
        before = self.text()[: self.cursorPosition()]
        return before.replace(",", " ").split(" ")[-1]

    @Slot(str)
    def _suggest(self, _text: str) -> None:
        word = self._current_word()
        popup = self._completer.popup()
        if word:
            self._completer.setCompletionPrefix(word)
        if (
            word
            and self._completer.completionCount()
            and self._completer.currentCompletion() != word
        ):
            self._completer.complete()
        elif popup is not None:
            popup.hide()

    @Slot(str)
    def _complete(self, tag: str) -> None:
        word = self._current_word()
        position = self.cursorPosition()
        text = self.text()
        self.setText(text[: position - len(word)] + tag + " " + text[position:])
        self.setCursorPosition(position - len(word) + len(tag) + 1)


class _StepRow:
    """One step: its number, its text, the diagram step it is (optional) and its buttons."""

    def __init__(self, number: QLabel, edit: QLineEdit, stage: QComboBox, buttons: QWidget) -> None:
        self.number, self.edit, self.stage, self.buttons = number, edit, stage, buttons
        self.up, self.down, self.remove = buttons.findChildren(QToolButton)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.number, self.edit, self.stage, self.buttons)


class StepsEditor(QWidget):
    """A sequence's steps, one line each, in order: add, remove and move them; with a
    diagram, each step may name the diagram step it is (the sequence's ``stages``)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steps")
        self.rows: list[_StepRow] = []
        self._choices: tuple[tuple[str, str], ...] = ()
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(2, 2)
        self.add_button = QPushButton("Add Step")
        self.add_button.setObjectName("addStep")
        self.add_button.clicked.connect(self._add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._grid)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_stage_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """The diagram's steps (id, label) a step may be; none: the choice is hidden."""
        stages = self.stages()
        self._choices = tuple(choices)
        for row, stage in zip(self.rows, stages or ("",) * len(self.rows)):
            self._fill(row.stage, stage)

    def _fill(self, combo: QComboBox, current: str) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("No diagram step", "")
        for step_id, label in self._choices:
            combo.addItem(label, step_id)
        if current and combo.findData(current) < 0:
            combo.addItem(f"{current} (not in the diagram)", current)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.setVisible(bool(self._choices) or bool(current))
        combo.blockSignals(False)

    def steps(self) -> tuple[str, ...]:
        return tuple(row.edit.text() for row in self.rows)

    def stages(self) -> tuple[str, ...]:
        """The diagram step of each step ("" for none); empty when no step names one."""
        stages = tuple(str(row.stage.currentData() or "") for row in self.rows)
        return stages if any(stages) else ()

    def set_steps(self, steps: Sequence[str], stages: Sequence[str] = ()) -> None:
        stages = tuple(stages) if len(stages) == len(steps) else ("",) * len(steps)
        if tuple(steps) == self.steps() and (stages if any(stages) else ()) == self.stages():
            return
        while len(self.rows) > len(steps):
            for widget in self.rows.pop().widgets():
                self._grid.removeWidget(widget)
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        while len(self.rows) < len(steps):
            self._add_row()
        for row, step, stage in zip(self.rows, steps, stages):
            set_text_quietly(row.edit, step)
            self._fill(row.stage, stage)

    def _add_clicked(self) -> None:
        self._add_row()
        self.rows[-1].edit.setFocus()
        self.changed.emit()

    def _add_row(self) -> None:
        position = len(self.rows)
        number = QLabel(f"{position + 1}.")
        number.setProperty("role", "muted")
        number.setMinimumWidth(22)
        number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit = QLineEdit()
        edit.setAccessibleName(f"Step {position + 1}")
        stage = QComboBox()
        stage.setAccessibleName(f"Diagram step of step {position + 1}")
        stage.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        stage.setMinimumContentsLength(6)
        buttons = QWidget()
        box = QHBoxLayout(buttons)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        for symbol, tip in (
            ("↑", "Move this step up"),
            ("↓", "Move this step down"),
            ("✕", "Remove this step"),
        ):
            button = QToolButton(buttons)
            button.setText(symbol)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            box.addWidget(button)
        row = _StepRow(number, edit, stage, buttons)
        row.up.clicked.connect(lambda: self._move(row, -1))
        row.down.clicked.connect(lambda: self._move(row, 1))
        row.remove.clicked.connect(lambda: self._remove(row))
        self._fill(stage, "")
        edit.textChanged.connect(self.changed)
        stage.currentIndexChanged.connect(self.changed)
        for column, widget in enumerate(row.widgets()):
            self._grid.addWidget(widget, position, column)
        self.rows.append(row)

    def _remove(self, row: _StepRow) -> None:
        index = self.rows.index(row)
        steps, stages = list(self.steps()), list(self.stages() or ("",) * len(self.rows))
        del steps[index], stages[index]
        self.set_steps(steps, stages)
        self.changed.emit()

    def _move(self, row: _StepRow, offset: int) -> None:
        index = self.rows.index(row)
        target = index + offset
        steps, stages = list(self.steps()), list(self.stages() or ("",) * len(self.rows))
        if not 0 <= target < len(steps):
            return
        steps[index], steps[target] = steps[target], steps[index]
        stages[index], stages[target] = stages[target], stages[index]
        self.set_steps(steps, stages)
        self.rows[target].edit.setFocus()
        self.changed.emit()


class CitationsEditor(QWidget):
    """A card's citations: which of the deck's documents, and which section of it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sources")
        self.rows: list[tuple[QComboBox, QLineEdit, QToolButton]] = []
        self._documents: tuple[SourceDocument, ...] = ()
        self._sections = QStringListModel(self)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 2)
        self._grid.setColumnStretch(1, 3)
        self.add_button = QPushButton("Add Source")
        self.add_button.setObjectName("addSource")
        self.add_button.clicked.connect(self._add_clicked)
        self.empty = QLabel("The deck declares no source documents (add them in Deck Details).")
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_documents(self, documents: Sequence[SourceDocument], sections: Sequence[str]) -> None:
        self._documents = tuple(documents)
        self._sections.setStringList(sorted(set(sections), key=str.casefold))
        refs = self.citations()
        self._clear()
        for ref in refs:
            self._add_row(ref)
        self._update_empty()

    def citations(self) -> tuple[SourceRef, ...]:
        return tuple(
            SourceRef(str(combo.currentData() or ""), section.text().strip())
            for combo, section, _ in self.rows
            if combo.currentData()
        )

    def set_citations(self, refs: Sequence[SourceRef]) -> None:
        if tuple(refs) == self.citations() and len(self.rows) == len(refs):
            return
        self._clear()
        for ref in refs:
            self._add_row(ref)
        self._update_empty()

    def _clear(self) -> None:
        while self.rows:
            for widget in self.rows.pop():
                self._grid.removeWidget(widget)
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._documents and not self.rows)
        self.add_button.setEnabled(bool(self._documents))

    @Slot()
    def _add_clicked(self) -> None:
        first = self._documents[0].id if self._documents else ""
        self._add_row(SourceRef(first, ""))
        self.rows[-1][1].setFocus()
        self._update_empty()
        self.changed.emit()

    def _add_row(self, ref: SourceRef) -> None:
        row = len(self.rows)
        combo = QComboBox()
        combo.setAccessibleName(f"Source {row + 1} document")
        for document in self._documents:
            combo.addItem(document.title or document.id, document.id)
            combo.setItemData(
                combo.count() - 1, f"{document.id}: {document.title}", Qt.ItemDataRole.ToolTipRole
            )
        if ref.document and combo.findData(ref.document) < 0:
            combo.addItem(f"{ref.document} (not a source of this deck)", ref.document)
        combo.setCurrentIndex(max(0, combo.findData(ref.document)))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        section = QLineEdit(ref.section)
        section.setPlaceholderText("Section (optional)")
        section.setAccessibleName(f"Source {row + 1} section")
        completer = QCompleter(self._sections, section)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        section.setCompleter(completer)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip("Remove this source")
        remove.setAutoRaise(True)
        combo.currentIndexChanged.connect(self.changed)
        section.textChanged.connect(self.changed)
        remove.clicked.connect(lambda: self._remove(combo))
        self._grid.addWidget(combo, row, 0)
        self._grid.addWidget(section, row, 1)
        self._grid.addWidget(remove, row, 2)
        self.rows.append((combo, section, remove))

    def _remove(self, combo: QComboBox) -> None:
        kept = [
            SourceRef(str(c.currentData() or ""), s.text().strip())
            for c, s, _ in self.rows
            if c is not combo
        ]
        self._clear()
        for ref in kept:
            self._add_row(ref)
        self._update_empty()
        self.changed.emit()


class ImageField(QWidget):
    """A card's image: a path inside the deck's folder, chosen with a file dialog; an image
    from elsewhere is copied into the deck's ``images/`` folder when the author agrees."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("image")
        self.deck_path: Path | None = None
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("imagePath")
        self.path_edit.setPlaceholderText("No image")
        self.path_edit.setAccessibleName("Image")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setObjectName("chooseImage")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearImage")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.clear_button)
        self.path_edit.textChanged.connect(self.changed)
        self.choose_button.clicked.connect(self._choose)
        self.clear_button.clicked.connect(self.path_edit.clear)

    def image(self) -> str:
        return self.path_edit.text().strip()

    def set_image(self, image: str) -> None:
        set_text_quietly(self.path_edit, image)

    @Slot()
    def _choose(self) -> None:
        if self.deck_path is None:
            return
        patterns = " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES))
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose an Image", str(self.deck_path.parent), f"Images ({patterns})"
        )
        if chosen:
            self.use_file(Path(chosen))

    def use_file(self, chosen: Path) -> bool:
        """Use ``chosen`` as the image: as it is when it is inside the deck's folder, else a
        copy in the deck's ``images/`` folder (after asking). Returns whether it was used."""
        if self.deck_path is None:
            return False
        relative = image_in_folder(self.deck_path, chosen)
        if relative is None:
            if not self.confirm_copy(chosen):
                return False
            try:
                relative = copy_image_into(self.deck_path, chosen)
            except (OSError, ValueError) as error:
                QMessageBox.warning(
                    self, "Image Not Copied", f"The image could not be copied: {error}"
                )
                return False
        self.path_edit.setText(relative)
        return True

    def confirm_copy(self, chosen: Path) -> bool:
        box = QMessageBox(self)
        box.setObjectName("copyImageQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Copy the Image?")
        box.setText(f"“{chosen.name}” is outside the deck's folder.")
        box.setInformativeText(
            "A card's image must be inside its deck's folder, so that the deck can be moved and "
            "shared with its images. Copy it into the deck's images folder?"
        )
        copy = box.addButton("Copy Image", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(copy)
        box.exec()
        return box.clickedButton() is copy
