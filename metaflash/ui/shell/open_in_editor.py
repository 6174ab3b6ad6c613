"""Open a deck file at a line: in the user's editor when we know how to pass it a line.

``$VISUAL`` (else ``$EDITOR``) is used when it names a graphical editor whose command line
takes a line number (the table below); terminal editors (vim, nano, emacs -nw...) cannot be
started without a terminal, so for them, and when neither variable is set, the file opens
with the desktop's default application for it (QDesktopServices; no line then). Everything
that starts a program goes through :class:`DesktopOpener`, which tests replace with one
that records what would have been started.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

LineArguments = Callable[[str, int], list[str]]

#: Graphical editors and how each is told to open a file at a line.
KNOWN_EDITORS: dict[str, LineArguments] = {
    "code": lambda file, line: ["-g", f"{file}:{line}"],
    "code-insiders": lambda file, line: ["-g", f"{file}:{line}"],
    "codium": lambda file, line: ["-g", f"{file}:{line}"],
    "subl": lambda file, line: [f"{file}:{line}"],
    "sublime_text": lambda file, line: [f"{file}:{line}"],
    "zed": lambda file, line: [f"{file}:{line}"],
    "gedit": lambda file, line: [f"+{line}", file],
    "gnome-text-editor": lambda file, line: [f"+{line}", file],
    "pluma": lambda file, line: [f"+{line}", file],
    "xed": lambda file, line: [f"+{line}", file],
    "geany": lambda file, line: [f"+{line}", file],
    "gvim": lambda file, line: [f"+{line}", file],
    "mvim": lambda file, line: [f"+{line}", file],
    "kate": lambda file, line: ["--line", str(line), file],
    "kwrite": lambda file, line: ["--line", str(line), file],
    "mousepad": lambda file, line: [f"--line={line}", file],
    "idea": lambda file, line: ["--line", str(line), file],
    "pycharm": lambda file, line: ["--line", str(line), file],
}


def editor_command(file: Path, line: int, environ: Mapping[str, str]) -> list[str] | None:
    """The command that opens ``file`` at ``line`` in the user's editor, or None when the
    editor is unset, unknown or a terminal editor (then open the file with the desktop)."""
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError:
            continue
        if not words:
            continue
        name = Path(words[0]).name.lower().removesuffix(".exe").removesuffix(".cmd")
        arguments = KNOWN_EDITORS.get(name)
        if arguments is None:
            continue
        flags = [word for word in words[1:] if word not in ("--wait", "-w")]
        return [words[0], *flags, *arguments(str(file), max(1, line))]
    return None


class DesktopOpener:
    """Starts programs and opens files and folders with the desktop."""

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def start(self, program: str, arguments: list[str]) -> bool:
        started, _pid = QProcess.startDetached(program, arguments)
        return bool(started)

    def open_file_at(self, file: Path, line: int, environ: Mapping[str, str] | None = None) -> bool:
        """Open ``file`` at ``line`` (see the module's description)."""
        command = editor_command(file, line, os.environ if environ is None else environ)
        if command is not None and self.start(command[0], command[1:]):
            return True
        return self.open_url(QUrl.fromLocalFile(str(file)))

    def open_folder(self, folder: Path) -> bool:
        return self.open_url(QUrl.fromLocalFile(str(folder)))

    def reveal(self, file: Path) -> bool:
        """Show the folder that holds ``file``."""
        return self.open_url(QUrl.fromLocalFile(str(file.parent)))
