"""What to do when the deck file changed on disk while it was being edited.

The author chooses: **Reload** (take the file from disk, dropping the unsaved edits),
**Keep Mine** (overwrite the file with the editor's version) or **Cancel**; **Compare**
shows the difference first, as a unified diff. Nothing is overwritten without a choice.
"""

from __future__ import annotations

import difflib
import html
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash.ui.common.theme import colors_for_palette
from metaflash.ui.common.window_geometry import fit_dialog


class ConflictChoice(StrEnum):
    RELOAD = "reload"
    KEEP_MINE = "keep-mine"
    CANCEL = "cancel"


def unified_diff(disk_text: str | None, mine: str, name: str) -> str:
    """The change from the file on disk to the editor's version, as a unified diff."""
    before = (disk_text or "").splitlines(keepends=True)
    lines = difflib.unified_diff(
        before,
        mine.splitlines(keepends=True),
        fromfile=f"{name} (on disk)",
        tofile=f"{name} (in the editor)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def diff_html(diff: str, added: str, removed: str, muted: str) -> str:
    """The diff coloured: added lines on ``added``, removed lines on ``removed``."""
    rows = []
    for line in diff.splitlines():
        escaped = html.escape(line) or "&nbsp;"
        if line.startswith(("+++", "---")):
            rows.append(f'<span style="color:{muted}; font-weight:600">{escaped}</span>')
        elif line.startswith("@@"):
            rows.append(f'<span style="color:{muted}">{escaped}</span>')
        elif line.startswith("+"):
            rows.append(f'<span style="background-color:{added}">{escaped}</span>')
        elif line.startswith("-"):
            rows.append(f'<span style="background-color:{removed}">{escaped}</span>')
        else:
            rows.append(escaped)
    return "<pre>" + "\n".join(rows) + "</pre>"


def tint(color: str, base: str, amount: float = 0.2) -> str:
    """``color`` mixed into ``base``: a light background in the light theme, dark in dark."""
    top, ground = QColor(color), QColor(base)

    def mix(a: int, b: int) -> int:
        return round(a * amount + b * (1 - amount))

    return QColor(
        mix(top.red(), ground.red()),
        mix(top.green(), ground.green()),
        mix(top.blue(), ground.blue()),
    ).name()


class ConflictDialog(QDialog):
    """Asks what to do about a deck file that changed on disk; :attr:`choice` says."""

    def __init__(
        self, path: Path, disk_text: str | None, mine: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("The Deck Changed on Disk")
        self.choice = ConflictChoice.CANCEL
        deleted = disk_text is None
        self.diff = unified_diff(disk_text, mine, path.name)
        heading = QLabel(
            f"“{path.name}” was deleted since you opened it."
            if deleted
            else f"“{path.name}” was changed by another program since you opened it."
        )
        heading.setProperty("role", "title")
        heading.setWordWrap(True)
        explanation = QLabel(
            "Reload takes the file as it is on disk and drops your unsaved edits. "
            "Keep Mine writes your version over it. Compare shows the differences first."
        )
        explanation.setWordWrap(True)
        explanation.setProperty("role", "muted")
        self.diff_view = QTextBrowser()
        self.diff_view.setObjectName("conflictDiff")
        self.diff_view.setAccessibleName("Differences between the file on disk and your version")
        self.diff_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.diff_view.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.diff_view.hide()

        self.compare_button = QPushButton("Compare…")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setCheckable(True)
        self.compare_button.setAutoDefault(False)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.setEnabled(not deleted)
        self.keep_button = QPushButton("Keep Mine")
        self.keep_button.setObjectName("keepMineButton")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.diff_view, 1)
        layout.addLayout(buttons)
        self.resize(560, 180)

        self.compare_button.toggled.connect(self._compare)
        self.reload_button.clicked.connect(lambda: self._choose(ConflictChoice.RELOAD))
        self.keep_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        self.cancel_button.clicked.connect(lambda: self._choose(ConflictChoice.CANCEL))

    @Slot(bool)
    def _compare(self, shown: bool) -> None:
        if shown and not self.diff_view.toPlainText():
            colors = colors_for_palette(self.palette())
            added, removed = tint(colors.good, colors.base), tint(colors.again, colors.base)
            text = self.diff or "The two versions hold the same text."
            self.diff_view.setHtml(diff_html(text, added, removed, colors.muted_text))
        self.diff_view.setVisible(shown)
        self.compare_button.setText("Hide Differences" if shown else "Compare…")
        if shown:
            fit_dialog(self, QSize(max(self.width(), 760), max(self.height(), 520)))

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        if choice is ConflictChoice.CANCEL:
            self.reject()
        else:
            self.accept()

    @staticmethod
    def ask(
        path: Path, disk_text: str | None, mine: str, parent: QWidget | None = None
    ) -> ConflictChoice:
        dialog = ConflictDialog(path, disk_text, mine, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        return choice
