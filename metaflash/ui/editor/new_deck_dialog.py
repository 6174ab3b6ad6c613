"""The New Deck dialog: a title (its id is suggested from it), a parent deck, a folder.

It writes a valid deck file with no cards yet, pointing editors at the deck JSON Schema
(``# yaml-language-server: $schema=...``), and never replaces an existing file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import SLUG_PATTERN, Deck
from metaflash.core.editing.new_files import (
    NewDeck,
    create_deck_file,
    new_deck_text,
    schema_reference,
    suggested_deck_id,
)
from metaflash.core.util.paths import resources_dir

_SLUG = re.compile(SLUG_PATTERN)


class NewDeckDialog(QDialog):
    """Asks for a new deck's title, id, parent and folder; :attr:`created` is its file."""

    def __init__(
        self, folders: Sequence[Path], decks: Sequence[Deck], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newDeckDialog")
        self.setWindowTitle("New Deck")
        self.created: Path | None = None
        self._decks = tuple(decks)
        self._id_edited = False
        self._name_edited = False

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("newDeckTitle")
        self.title_edit.setPlaceholderText("Sites of spread")
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("newDeckId")
        self.id_edit.setToolTip("Progress is stored under the deck's id: it cannot change later")
        self.parent_combo = QComboBox()
        self.parent_combo.setObjectName("newDeckParent")
        self.parent_combo.addItem("No parent (a top-level deck)", "")
        for deck in sorted(decks, key=lambda d: d.title.casefold()):
            self.parent_combo.addItem(f"{deck.title}  ({deck.id})", deck.id)
        self.folder_combo = QComboBox()
        self.folder_combo.setObjectName("newDeckFolder")
        for folder in folders:
            self.folder_combo.addItem(str(folder), str(folder))
        self.folder_button = QPushButton("Choose…")
        self.folder_button.setObjectName("newDeckChooseFolder")
        self.folder_button.setAutoDefault(False)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_combo, 1)
        folder_row.addWidget(self.folder_button)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("newDeckFile")
        for combo in (self.parent_combo, self.folder_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(24)
        self.diagram_combo = QComboBox()
        self.diagram_combo.setObjectName("newDeckDiagram")
        self.error = QLabel()
        self.error.setObjectName("newDeckError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("Title", self.title_edit)
        id_box = QVBoxLayout()
        id_box.setSpacing(4)
        id_box.addWidget(self.id_edit)
        id_box.addWidget(self._muted("Progress is stored under the id: it stays as it is."))
        form.addRow("ID", id_box)
        form.addRow("Parent deck", self.parent_combo)
        form.addRow("Folder", folder_row)
        form.addRow("File name", self.file_edit)
        form.addRow("Diagram", self.diagram_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "Create Deck", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("createDeckButton")
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        self.title_edit.textChanged.connect(self._title_changed)
        self.id_edit.textEdited.connect(self._id_typed)
        self.file_edit.textEdited.connect(self._file_typed)
        self.folder_combo.currentIndexChanged.connect(self._folder_changed)
        self.parent_combo.currentIndexChanged.connect(self._folder_changed)
        self.folder_button.clicked.connect(self._choose_folder)
        self.buttons.rejected.connect(self.reject)
        self.create_button.clicked.connect(self.create_deck)
        self._folder_changed()

    @staticmethod
    def _muted(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "muted")
        return label

    def folder(self) -> Path | None:
        value = self.folder_combo.currentData()
        return Path(value) if value else None

    def choose_folder(self, folder: Path) -> None:
        """Make ``folder`` the one the deck is created in."""
        found = self.folder_combo.findData(str(folder))
        if found < 0:
            self.folder_combo.addItem(str(folder), str(folder))
            found = self.folder_combo.count() - 1
        self.folder_combo.setCurrentIndex(found)

    @Slot()
    def _choose_folder(self) -> None:
        current = self.folder()
        chosen = QFileDialog.getExistingDirectory(
            self, "Folder for the New Deck", str(current or Path.home())
        )
        if chosen:
            self.choose_folder(Path(chosen))

    @Slot(str)
    def _title_changed(self, title: str) -> None:
        if not self._id_edited:
            taken = {deck.id for deck in self._decks}
            self.id_edit.setText(suggested_deck_id(title, taken) if title.strip() else "")
            self._id_changed()

    @Slot(str)
    def _id_typed(self, _text: str) -> None:
        self._id_edited = True
        self._id_changed()

    def _id_changed(self) -> None:
        if not self._name_edited:
            deck_id = self.id_edit.text().strip()
            self.file_edit.setText(f"{deck_id}.yaml" if deck_id else "")

    @Slot(str)
    def _file_typed(self, _text: str) -> None:
        self._name_edited = True

    @Slot()
    def _folder_changed(self) -> None:
        folder = self.folder()
        names = (
            sorted(p.name for p in folder.glob("*.diagram.y*ml"))
            if folder and folder.is_dir()
            else []
        )
        parent = next((d for d in self._decks if d.id == self.parent_combo.currentData()), None)
        wanted = ""
        if (
            parent is not None
            and parent.diagram is not None
            and folder is not None
            and parent.diagram.parent == folder
        ):
            wanted = parent.diagram.name
        self.diagram_combo.clear()
        self.diagram_combo.addItem("No diagram", "")
        for name in names:
            self.diagram_combo.addItem(name, name)
        self.diagram_combo.setCurrentIndex(max(0, self.diagram_combo.findData(wanted)))

    def problem(self) -> str:
        """What keeps the deck from being created ("" when nothing does)."""
        title, deck_id, name = (
            self.title_edit.text().strip(),
            self.id_edit.text().strip(),
            self.file_edit.text().strip(),
        )
        folder = self.folder()
        if not title:
            return "Give the deck a title."
        if not _SLUG.match(deck_id):
            return "The id must be lower-case words joined by hyphens, such as “sites-of-spread”."
        if any(deck.id == deck_id for deck in self._decks):
            return f"A loaded deck already uses the id “{deck_id}”: choose another."
        if folder is None or not folder.is_dir():
            return "Choose a folder that exists."
        if not name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
            return "The file name must end in .yaml (no folders in it)."
        if (folder / name).exists():
            return f"{name} already exists in that folder: choose another file name."
        return ""

    @Slot()
    def create_deck(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        folder = self.folder()
        assert folder is not None
        path = folder / self.file_edit.text().strip()
        deck = NewDeck(
            self.id_edit.text().strip(),
            self.title_edit.text().strip(),
            parent=str(self.parent_combo.currentData() or ""),
            diagram=str(self.diagram_combo.currentData() or ""),
        )
        schema = schema_reference(folder, resources_dir() / "schema" / "deck.schema.json")
        try:
            create_deck_file(path, new_deck_text(deck, schema, path))
        except OSError as error:
            self.error.setText(f"The deck could not be created: {error.strerror or error}.")
            self.error.show()
            return
        self.created = path
        self.accept()


def run_new_deck_dialog(
    parent: QWidget | None, folders: Sequence[Path], decks: Sequence[Deck]
) -> Path | None:
    """Ask for a new deck and create its file; its path, or ``None`` when cancelled."""
    dialog = NewDeckDialog(folders, decks, parent)
    dialog.exec()
    created = dialog.created
    dialog.deleteLater()
    return created
