"""``metaflash --install-desktop-entry`` and ``--uninstall-desktop-entry``: metaflash in the
desktop's menus, with its icon, for the user alone (no root, nothing outside
``$XDG_DATA_HOME``). The icons are drawn from the bundled SVG at the usual sizes."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from functools import partial
from pathlib import Path
from typing import BinaryIO

from metaflash import __released__, __version__
from metaflash.core.util import paths
from metaflash.core.util.atomic_file import write_atomically
from metaflash.core.util.desktop import (
    ICON_SIZES,
    DesktopFiles,
    data_home,
    desktop_entry,
    launch_command,
    metainfo,
)

ICON = "icons/metaflash.svg"


def install_desktop_entry(files: DesktopFiles | None = None) -> list[Path]:
    """Write the entry, the metainfo and the icons; the files written, in order."""
    files = files or DesktopFiles(data_home())
    svg = (paths.resources_dir() / ICON).read_bytes()
    written: list[tuple[Path, bytes]] = [
        (files.entry, desktop_entry(launch_command()).encode()),
        (files.metainfo, metainfo(__version__, date.fromisoformat(__released__)).encode()),
        (files.svg_icon, svg),
    ]
    written += [(files.png_icon(size), _png(svg, size)) for size in ICON_SIZES]
    for path, data in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, partial(_write, data))
    _refresh_caches(files)
    return [path for path, _ in written]


def uninstall_desktop_entry(files: DesktopFiles | None = None) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; the files removed."""
    files = files or DesktopFiles(data_home())
    removed = []
    for path in files.all():
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
    if removed:
        _refresh_caches(files)
    return removed


def _write(data: bytes, stream: BinaryIO) -> None:
    stream.write(data)


def _png(svg: bytes, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is shown
        _keep.append(QGuiApplication([]))
    renderer = QSvgRenderer(QByteArray(svg))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; it takes str
    buffer.close()
    return bytes(data.data())


_keep: list[object] = []  # the application made for drawing, kept alive until exit


def _refresh_caches(files: DesktopFiles) -> None:
    """Tell the desktop about the change, where its tools are installed (they are optional:
    menus also notice new files on their own)."""
    for tool, argument in (
        ("update-desktop-database", files.entry.parent),
        ("gtk-update-icon-cache", files.icons),
    ):
        found = shutil.which(tool)
        if found is None or not argument.is_dir():
            continue
        subprocess.run(
            [found, "-q", str(argument)]
            if tool == "update-desktop-database"
            else [found, "-q", "-t", "-f", str(argument)],
            check=False,
            capture_output=True,
            timeout=30,
        )
