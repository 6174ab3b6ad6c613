"""The deck editor's commands as actions, with their shortcuts, tied to its buttons.

The actions work while focus is anywhere in the editor; text fields keep their own undo,
redo and delete keys. The window may also put them in its menus (``view.save_action``...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from metaflash.core.decks.model import CardType

if TYPE_CHECKING:
    from metaflash.ui.editor.editor_view import EditorView

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


def _action(view: EditorView, text: str, keys: Keys, slot: Callable[[], object]) -> QAction:
    action = QAction(text, view)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda checked=False: slot())
    view.addAction(action)
    return action


def build_actions(view: EditorView) -> None:
    """Make the view's actions and connect its buttons to them."""
    view.save_action = _action(view, "&Save", [QKeySequence.StandardKey.Save], view.save)
    view.undo_action = _action(view, "&Undo", [QKeySequence.StandardKey.Undo], view.undo)
    view.redo_action = _action(view, "&Redo", [QKeySequence.StandardKey.Redo], view.redo)
    view.add_actions = {
        card_type: _action(
            view,
            f"Add {card_type.value.capitalize()} Card",
            ["Ctrl+Shift+N"] if card_type is CardType.BASIC else [],
            lambda t=card_type: view.add_card(t),  # type: ignore[misc]
        )
        for card_type in CardType
    }
    view.duplicate_action = _action(view, "D&uplicate Card", ["Ctrl+D"], view.duplicate_card)
    view.delete_action = _action(
        view, "&Delete Card", ["Ctrl+Backspace", "Ctrl+Delete"], view.delete_card
    )
    view.move_up_action = _action(view, "Move Card &Up", ["Alt+Up"], lambda: view.move_card(-1))
    view.move_down_action = _action(
        view, "Move Card Do&wn", ["Alt+Down"], lambda: view.move_card(1)
    )
    view.find_action = _action(
        view, "&Find Cards", [QKeySequence.StandardKey.Find], view.focus_search
    )
    view.study_action = _action(view, "S&tudy This Deck", [], view.study)
    for button, action in (
        (view.save_button, view.save_action),
        (view.undo_button, view.undo_action),
        (view.redo_button, view.redo_action),
        (view.study_button, view.study_action),
        (view.duplicate_button, view.duplicate_action),
        (view.delete_button, view.delete_action),
        (view.up_button, view.move_up_action),
        (view.down_button, view.move_down_action),
    ):
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        button.setEnabled(action.isEnabled())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        plain = action.text().replace("&", "")
        button.setToolTip(f"{plain} ({shortcut})" if shortcut else plain)
    for action in view.add_actions.values():
        view.add_menu.addAction(action)
    view.add_button.clicked.connect(view.add_actions[CardType.BASIC].trigger)
    view.add_button.setToolTip(
        "Add a card after the selected one (Ctrl+Shift+N); the arrow chooses its type"
    )
