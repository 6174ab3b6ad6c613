"""The deck editor's commands as actions, with their shortcuts, tied to its buttons.

The actions work while focus is anywhere in the editor; text fields keep their own undo,
redo and delete keys. :func:`build_actions` is given the editor's widgets and what each
command does, and returns the actions; the window may also put them in its menus
(``view.editor_actions.save``...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from metaflash.core.decks.model import CardType
from metaflash.ui.editor.editor_widgets import EditorWidgets

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


@dataclass(frozen=True, slots=True)
class EditorCommands:
    """What the editor's commands do."""

    save: Callable[[], object]
    undo: Callable[[], object]
    redo: Callable[[], object]
    add_card: Callable[[CardType], object]
    duplicate: Callable[[], object]
    delete: Callable[[], object]
    move: Callable[[int], object]  # -1 up, 1 down
    find: Callable[[], object]
    study: Callable[[], object]


@dataclass(frozen=True, slots=True)
class EditorActions:
    save: QAction
    undo: QAction
    redo: QAction
    add: dict[CardType, QAction]
    duplicate: QAction
    delete: QAction
    move_up: QAction
    move_down: QAction
    find: QAction
    study: QAction

    def set_states(
        self, *, editable: bool, can_undo: bool, can_redo: bool, current: int | None, count: int
    ) -> None:
        """Enable what can be done now: nothing that edits when the deck is not ``editable``
        (none open, or one that comes with metaflash); the card commands need a card
        ``current`` of ``count``."""
        has_card = editable and current is not None
        self.save.setEnabled(editable)
        self.undo.setEnabled(editable and can_undo)
        self.redo.setEnabled(editable and can_redo)
        for action in self.add.values():
            action.setEnabled(editable)
        self.duplicate.setEnabled(has_card)
        self.delete.setEnabled(has_card)
        self.move_up.setEnabled(has_card and current is not None and current > 0)
        self.move_down.setEnabled(has_card and current is not None and current < count - 1)


def _action(owner: EditorWidgets, text: str, keys: Keys, slot: Callable[[], object]) -> QAction:
    action = QAction(text, owner)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda checked=False: slot())
    owner.addAction(action)
    return action


def _add_card(commands: EditorCommands, card_type: CardType) -> Callable[[], object]:
    return lambda: commands.add_card(card_type)


def build_actions(widgets: EditorWidgets, commands: EditorCommands) -> EditorActions:
    """The editor's actions, on ``widgets`` (their shortcuts work anywhere in it), with its
    buttons connected to them."""
    standard = QKeySequence.StandardKey
    actions = EditorActions(
        save=_action(widgets, "&Save", [standard.Save], commands.save),
        undo=_action(widgets, "&Undo", [standard.Undo], commands.undo),
        redo=_action(widgets, "&Redo", [standard.Redo], commands.redo),
        add={
            card_type: _action(
                widgets,
                f"Add {card_type.value.capitalize()} Card",
                ["Ctrl+Shift+N"] if card_type is CardType.BASIC else [],
                _add_card(commands, card_type),
            )
            for card_type in CardType
        },
        duplicate=_action(widgets, "D&uplicate Card", ["Ctrl+D"], commands.duplicate),
        delete=_action(widgets, "&Delete Card", ["Ctrl+Backspace", "Ctrl+Delete"], commands.delete),
        move_up=_action(widgets, "Move Card &Up", ["Alt+Up"], lambda: commands.move(-1)),
        move_down=_action(widgets, "Move Card Do&wn", ["Alt+Down"], lambda: commands.move(1)),
        find=_action(widgets, "&Find Cards", [standard.Find], commands.find),
        study=_action(widgets, "S&tudy This Deck", [], commands.study),
    )
    for button, action in (
        (widgets.save_button, actions.save),
        (widgets.undo_button, actions.undo),
        (widgets.redo_button, actions.redo),
        (widgets.study_button, actions.study),
        (widgets.duplicate_button, actions.duplicate),
        (widgets.delete_button, actions.delete),
        (widgets.up_button, actions.move_up),
        (widgets.down_button, actions.move_down),
    ):
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        button.setEnabled(action.isEnabled())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        plain = action.text().replace("&", "")
        button.setToolTip(f"{plain} ({shortcut})" if shortcut else plain)
    for action in actions.add.values():
        widgets.add_menu.addAction(action)
    widgets.add_button.clicked.connect(actions.add[CardType.BASIC].trigger)
    widgets.add_button.setToolTip(
        "Add a card after the selected one (Ctrl+Shift+N); the arrow chooses its type"
    )
    return actions
