"""Help › About and Help › Deck Format."""

from __future__ import annotations

import html
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash import __version__
from metaflash.core.util import paths
from metaflash.ui.common.window_geometry import fit_dialog

DECK_FORMAT_DOC = "deck-format.md"


def about_html(data_dir: Path, deck_folders: tuple[Path, ...]) -> str:
    folders = "<br>".join(html.escape(str(folder)) for folder in deck_folders) or "none"
    return (
        f"<h3>metaflash {html.escape(__version__)}</h3>"
        "<p>Flashcards and an animated pathway diagram for learning a process: "
        "the metastatic cascade. Study offline with spaced repetition, or write your own decks "
        "as YAML files.</p>"
        f"<p><b>Your data</b><br>{html.escape(str(data_dir))}</p>"
        f"<p><b>Deck folders</b><br>{folders}</p>"
        f"<p>Qt {html.escape(qVersion())}, PySide6 {html.escape(PySide6.__version__)}</p>"
    )


def show_about(parent: QWidget, data_dir: Path, deck_folders: tuple[Path, ...]) -> None:
    QMessageBox.about(parent, "About metaflash", about_html(data_dir, deck_folders))


class DeckFormatDialog(QDialog):
    """The deck format reference (docs/deck-format.md), rendered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckFormatDialog")
        self.setWindowTitle("The metaflash deck format")
        fit_dialog(self, QSize(820, 680))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(20)
        try:
            text = (paths.bundled_docs_dir() / DECK_FORMAT_DOC).read_text(encoding="utf-8")
        except OSError as error:
            text = f"The deck format guide could not be read: {error}. Reinstall metaflash."
        self.browser.setMarkdown(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
