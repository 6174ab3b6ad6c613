"""The form that edits a deck's header: title, description, parent, authors, version,
licence, diagram and the source documents its cards cite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import Deck, SourceDocument
from metaflash.core.editing.draft import DeckMeta
from metaflash.ui.editor.form_fields import FieldRow, set_text_quietly, text_box


class SourcesEditor(QWidget):
    """The deck's source documents: id, title, file and web address of each."""

    changed = Signal()
    COLUMNS = (
        ("id", "Id", 1),
        ("title", "Title", 4),
        ("file", "File", 2),
        ("url", "Web address", 2),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckSources")
        self.rows: list[tuple[list[QLineEdit], QToolButton]] = []
        # each row's declared passages: not edited here, kept as the file has them
        self._sections: list[tuple[str, ...]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        for column, (_, label, stretch) in enumerate(self.COLUMNS):
            heading = QLabel(label)
            heading.setProperty("role", "muted")
            self._grid.addWidget(heading, 0, column)
            self._grid.setColumnStretch(column, stretch)
        self.add_button = QPushButton("Add Source")
        self.add_button.setObjectName("addDeckSource")
        self.add_button.clicked.connect(self._add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._grid)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def documents(self) -> tuple[SourceDocument, ...]:
        documents = []
        for (edits, _), sections in zip(self.rows, self._sections, strict=True):
            source_id, title, file, url = (edit.text().strip() for edit in edits)
            documents.append(SourceDocument(source_id, title, file, url, sections))
        return tuple(documents)

    def set_documents(self, documents: Sequence[SourceDocument]) -> None:
        if tuple(documents) == self.documents():
            return
        while len(self.rows) > len(documents):
            edits, remove = self.rows.pop()
            self._sections.pop()
            for widget in (*edits, remove):
                self._grid.removeWidget(widget)
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        while len(self.rows) < len(documents):
            self._add_row()
        self._sections = [document.sections for document in documents]
        for (edits, _), document in zip(self.rows, documents):
            for edit, value in zip(
                edits, (document.id, document.title, document.file, document.url)
            ):
                set_text_quietly(edit, value)

    def _add_row(self) -> None:
        row = len(self.rows) + 1
        edits = []
        for column, (name, label, _) in enumerate(self.COLUMNS):
            edit = QLineEdit()
            edit.setAccessibleName(f"Source {row} {label.lower()}")
            edit.setPlaceholderText(
                {"id": "qa", "file": "optional", "url": "optional"}.get(name, "")
            )
            edit.textChanged.connect(self.changed)
            self._grid.addWidget(edit, row, column)
            edits.append(edit)
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip("Remove this source")
        remove.clicked.connect(lambda: self._remove(edits[0]))
        self._grid.addWidget(remove, row, len(self.COLUMNS))
        self.rows.append((edits, remove))
        self._sections.append(())

    @Slot()
    def _add_clicked(self) -> None:
        self._add_row()
        self.rows[-1][0][0].setFocus()
        self.changed.emit()

    def _remove(self, first: QLineEdit) -> None:
        kept = [
            doc for (edits, _), doc in zip(self.rows, self.documents()) if edits[0] is not first
        ]
        self.set_documents(kept)
        self.changed.emit()


class DeckDetailsForm(QWidget):
    """Edits a deck's header; says when the author changed it (:attr:`meta_changed`)."""

    meta_changed = Signal(object)  # the DeckMeta as now typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckDetailsForm")
        self._meta = DeckMeta()
        self._loading = False
        self.deck_id = QLineEdit()
        self.deck_id.setObjectName("deckId")
        self.deck_id.setReadOnly(True)
        self.deck_id.setToolTip(
            "Progress is stored under the deck's id; it is set when the deck is made"
        )
        self.title = QLineEdit()
        self.title.setObjectName("deckTitle")
        self.title.setAccessibleName("Deck title")
        self.description = text_box("description", 4)
        self.parent_combo = QComboBox()
        self.parent_combo.setObjectName("deckParent")
        self.parent_combo.setAccessibleName("Parent deck")
        self.authors = QLineEdit()
        self.authors.setObjectName("deckAuthors")
        self.authors.setPlaceholderText("Ada Lovelace, Grace Hopper")
        self.version = QLineEdit()
        self.version.setObjectName("deckVersion")
        self.version.setPlaceholderText("1.0.0")
        self.licence = QLineEdit()
        self.licence.setObjectName("deckLicence")
        self.licence.setPlaceholderText("CC-BY-4.0")
        self.diagram = QComboBox()
        self.diagram.setObjectName("deckDiagram")
        self.diagram.setAccessibleName("Diagram")
        self.sources = SourcesEditor()
        self.rows: dict[str, FieldRow] = {
            "id": FieldRow("ID", self.deck_id, hint="Fixed: progress is stored under it"),
            "title": FieldRow("Title", self.title),
            "description": FieldRow("Description", self.description, hint="Markdown"),
            "parent": FieldRow("Parent Deck", self.parent_combo, hint="Makes this a sub-deck"),
            "authors": FieldRow("Authors", self.authors, hint="Separated by commas"),
            "version": FieldRow("Version", self.version),
            "licence": FieldRow("Licence", self.licence),
            "diagram": FieldRow("Diagram", self.diagram, hint="Its steps are the cards' stages"),
            "sources": FieldRow("Source Documents", self.sources, hint="Cards cite them by id"),
        }
        self.general = QLabel()
        self.general.setObjectName("deckProblems")
        self.general.setProperty("role", "error")
        self.general.setWordWrap(True)
        self.general.hide()
        pairs = QGridLayout()
        pairs.setHorizontalSpacing(16)
        pairs.setVerticalSpacing(14)
        pairs.addWidget(self.rows["title"], 0, 0)
        pairs.addWidget(self.rows["id"], 0, 1)
        pairs.addWidget(self.rows["parent"], 1, 0)
        pairs.addWidget(self.rows["diagram"], 1, 1)
        pairs.addWidget(self.rows["authors"], 2, 0)
        small = QHBoxLayout()
        small.setSpacing(16)
        small.addWidget(self.rows["version"])
        small.addWidget(self.rows["licence"])
        pairs.addLayout(small, 2, 1)
        pairs.setColumnStretch(0, 3)
        pairs.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(self.general)
        layout.addLayout(pairs)
        layout.addWidget(self.rows["description"])
        layout.addWidget(self.rows["sources"])
        layout.addStretch(1)

        for edit in (self.title, self.authors, self.version, self.licence):
            edit.textChanged.connect(self._changed)
        self.description.textChanged.connect(self._changed)
        self.parent_combo.currentIndexChanged.connect(self._changed)
        self.diagram.currentIndexChanged.connect(self._changed)
        self.sources.changed.connect(self._changed)

    def set_meta(self, meta: DeckMeta, *, decks: Sequence[Deck], folder: Path | None) -> None:
        """Show ``meta``; ``decks`` are those it may be a sub-deck of, ``folder`` is where
        its diagram can be chosen from."""
        self._loading = True
        self._meta = meta
        set_text_quietly(self.deck_id, meta.id)
        set_text_quietly(self.title, meta.title)
        set_text_quietly(self.description, meta.description)
        set_text_quietly(self.authors, ", ".join(meta.authors))
        set_text_quietly(self.version, meta.version)
        set_text_quietly(self.licence, meta.licence)
        self._fill(
            self.parent_combo,
            "No parent (a top-level deck)",
            [
                (f"{deck.title}  ({deck.id})", deck.id)
                for deck in sorted(decks, key=lambda d: d.title.casefold())
                if deck.id != meta.id
            ],
            meta.parent,
            "not a loaded deck",
        )
        diagrams = (
            sorted(path.name for path in folder.glob("*.diagram.y*ml"))
            if folder and folder.is_dir()
            else []
        )
        self._fill(
            self.diagram,
            "No diagram",
            [(name, name) for name in diagrams],
            meta.diagram,
            "not in this folder",
        )
        self.sources.set_documents(meta.sources)
        self._loading = False

    @staticmethod
    def _fill(
        combo: QComboBox, none: str, items: Sequence[tuple[str, str]], current: str, missing: str
    ) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(none, "")
        for text, value in items:
            combo.addItem(text, value)
        if current and combo.findData(current) < 0:
            combo.addItem(f"{current}  ({missing})", current)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def meta(self) -> DeckMeta:
        authors = tuple(name.strip() for name in self.authors.text().split(",") if name.strip())
        return replace(
            self._meta,
            title=self.title.text(),
            description=self.description.toPlainText(),
            parent=str(self.parent_combo.currentData() or ""),
            authors=authors,
            version=self.version.text().strip(),
            licence=self.licence.text().strip(),
            diagram=str(self.diagram.currentData() or ""),
            sources=self.sources.documents(),
        )

    def set_problems(self, by_field: Mapping[str, Sequence[str]], general: Sequence[str]) -> None:
        for name, row in self.rows.items():
            row.set_problems(by_field.get(name, ()))
        extra = [
            message
            for name, messages in by_field.items()
            if name not in self.rows
            for message in messages
        ]
        shown = [*general, *extra]
        self.general.setText("\n".join(f"⚠ {message}" for message in shown))
        self.general.setVisible(bool(shown))

    @Slot()
    def _changed(self) -> None:
        if not self._loading:
            self.meta_changed.emit(self.meta())
