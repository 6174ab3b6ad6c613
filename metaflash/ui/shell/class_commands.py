"""The window's class commands: open a class folder (an educator's report), and share
progress with a class, seen first (a student's). Imported when first used: the class view
draws the pathway figure, whose modules the window does not load at start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from metaflash.core.classroom.report import class_report
from metaflash.core.classroom.summary import (
    ClassFolderError,
    read_class,
    save_summary,
    share,
    stop_sharing,
    student_summary,
)
from metaflash.core.collection import class_state
from metaflash.core.collection.store import Collection
from metaflash.core.library.snapshot import Library
from metaflash.ui.common.clock import Clock
from metaflash.ui.shell.class_window import ClassWindow, ShareWithClassDialog


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def choose_class_folder(parent: QWidget, library: Library) -> ClassWindow | None:
    """File › Open Class Folder: the class's report (for an educator)."""
    chosen = QFileDialog.getExistingDirectory(parent, "Open Class Folder", str(Path.home()))
    return show_class(parent, library, Path(chosen)) if chosen else None


def show_class(parent: QWidget, library: Library, folder: Path) -> ClassWindow | None:
    try:
        report = class_report(folder)
    except ClassFolderError as error:
        QMessageBox.warning(parent, "Open Class Folder", _sentence(str(error)))
        return None
    window = ClassWindow(report, library, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window


def choose_class_to_share(
    parent: QWidget, collection: Collection, clock: Clock
) -> ShareWithClassDialog | None:
    """File › Share Progress with a Class: pick the class folder, see, then share."""
    chosen = QFileDialog.getExistingDirectory(
        parent, "Share Progress with a Class: Choose the Class Folder", str(Path.home())
    )
    return share_with_class(parent, collection, clock, Path(chosen)) if chosen else None


def share_with_class(
    parent: QWidget, collection: Collection, clock: Clock, folder: Path
) -> ShareWithClassDialog | None:
    try:
        info = read_class(folder)
    except ClassFolderError as error:
        QMessageBox.warning(parent, "Share Progress with a Class", _sentence(str(error)))
        return None

    def share_now() -> Path | None:
        try:
            return share(collection, folder, clock.now(), clock.timezone)
        except ClassFolderError as error:
            QMessageBox.warning(parent, "Share Progress with a Class", _sentence(str(error)))
            return None

    def save_file() -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            "Save Your Summary to Hand In",
            str(Path.home() / "summary.json"),
            "JSON files (*.json)",
        )
        if not chosen:
            return None
        try:
            save_summary(collection, info, Path(chosen), clock.now(), clock.timezone)
        except ClassFolderError as error:
            QMessageBox.warning(parent, "Share Progress with a Class", _sentence(str(error)))
            return None
        return Path(chosen)

    dialog = ShareWithClassDialog(
        info,
        student_summary(collection, info, clock.now(), clock.timezone),
        sharing=info.id in class_state.shared_folders(collection),
        share=share_now,
        stop=lambda: stop_sharing(collection, folder),
        save=save_file,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
