"""Help › Keyboard Shortcuts: every key the window answers to, read from the window itself.

The menus' actions, the editor's actions and the diagram's keys (``DIAGRAM_KEYS``) are the
same objects that make the shortcuts, so the list cannot drift from what the keys do. The
README's "Keyboard shortcuts" section lists the same keys (a test compares them).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash.ui.common.window_geometry import fit_dialog
from metaflash.ui.diagram.keys import DIAGRAM_KEYS

if TYPE_CHECKING:  # the editor is imported when it is first built, not with the window
    from metaflash.ui.editor.editor_actions import EditorActions


@dataclass(frozen=True, slots=True)
class ShortcutGroup:
    title: str
    rows: tuple[tuple[str, str], ...]  # (the keys, what they do)


def keys_text(action: QAction) -> str:
    """The action's keys as this platform writes them (a standard key this platform has no
    binding for is left out)."""
    texts = (s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
    return ", ".join(text for text in texts if text)


def _what(action: QAction) -> str:
    return action.text().replace("&", "").rstrip("…").strip()


def _rows(actions: Iterable[QAction]) -> tuple[tuple[str, str], ...]:
    rows = []
    for action in actions:
        keys, what = keys_text(action), _what(action)
        if keys and what:  # "1 Again" on its button: the key need not be said twice
            rows.append((keys, what.removeprefix(f"{keys} ")))
    return tuple(rows)


def menu_groups(window: QMainWindow) -> list[ShortcutGroup]:
    """One group per menu of ``window``'s menu bar: its actions that have keys."""
    groups = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            rows = _rows(menu.actions())
            if rows:
                groups.append(ShortcutGroup(_what(action), rows))
    return groups


def editor_group(actions: EditorActions | None) -> list[ShortcutGroup]:
    if actions is None:
        return []
    found: list[QAction] = []
    for field in fields(actions):
        value = getattr(actions, field.name)
        found.extend(value.values() if isinstance(value, dict) else [value])
    return [ShortcutGroup("In the editor", _rows(found))]


def diagram_group() -> list[ShortcutGroup]:
    rows = tuple((", ".join(keys), what) for keys, _, what in DIAGRAM_KEYS)
    return [ShortcutGroup("In the diagram", rows)]


def shortcuts_html(groups: Sequence[ShortcutGroup]) -> str:
    parts = []
    for group in groups:
        rows = "".join(
            f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(what)}</td></tr>"
            for keys, what in group.rows
        )
        parts.append(f"<h4>{html.escape(group.title)}</h4><table>{rows}</table>")
    return "".join(parts)


class KeyboardShortcutsDialog(QDialog):
    def __init__(self, groups: Sequence[ShortcutGroup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardShortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.groups = tuple(groups)
        self.browser = QTextBrowser()
        self.browser.setHtml(shortcuts_html(self.groups))
        self.browser.document().setDocumentMargin(16)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        fit_dialog(self, QSize(560, 600))
