"""Helpers for the deck editor's Qt tests: a copy of the bundled decks, answering modal
dialogs through their real buttons, and waiting for typed edits to be applied."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from metaflash.core.util.paths import bundled_decks_dir
from metaflash.ui.editor.editor_view import EditorView


def copy_bundled_decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    return folder


def settle(qtbot: object, view: EditorView) -> None:
    """Wait until the typed edits are applied and checked (the debounce timer fired)."""
    qtbot.waitUntil(lambda: not view.edits_pending, timeout=3000)  # type: ignore[attr-defined]


def button_in(widget: QWidget, text: str) -> QAbstractButton:
    found = [
        b
        for b in widget.findChildren(QAbstractButton)
        if b.text().replace("&", "") == text and b.isVisible()
    ]
    if not found:
        names = sorted(b.text() for b in widget.findChildren(QAbstractButton) if b.isVisible())
        raise AssertionError(f"no button {text!r} in {type(widget).__name__}; it has {names}")
    return found[0]


def when_modal(
    act: Callable[[QWidget], None], *, tries: int = 100, name: str | None = None
) -> list[QWidget]:
    """Call ``act`` with the next modal dialog once it is shown (from inside its exec()),
    or with the one whose object name is ``name`` (another may be up first). Returns a
    list that will hold the dialog, for checks after exec() returned."""
    seen: list[QWidget] = []

    def attempt(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (name is not None and dialog.objectName() != name):
            if left > 0:
                QTimer.singleShot(10, lambda: attempt(left - 1))
            return
        seen.append(dialog)
        try:
            act(dialog)
        except BaseException:
            dialog.close()  # never leave a test waiting on a modal dialog
            raise

    QTimer.singleShot(0, lambda: attempt(tries))
    return seen


def summary_text(dialog: QWidget) -> str:
    """The import summary's text, after closing it with OK."""
    from PySide6.QtWidgets import QMessageBox

    assert isinstance(dialog, QMessageBox)
    text = f"{dialog.text()}\n{dialog.informativeText()}"
    dialog.accept()
    return text


def click_in_modal(text: str) -> list[QWidget]:
    """Click the button called ``text`` in the next modal dialog."""
    return when_modal(lambda dialog: button_in(dialog, text).click())
