"""Render a window to a PNG file at a fixed size (``metaflash --screenshot``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

#: The size of every screenshot: a common laptop screen, big enough to show a whole view.
SCREENSHOT_SIZE = QSize(1280, 800)


class ScreenshotError(Exception):
    """The screenshot could not be written; the message says where and why."""


def render_widget(widget: QWidget, size: QSize = SCREENSHOT_SIZE) -> QImage:
    """``widget`` laid out at ``size`` (logical pixels) and drawn into an image of as many
    device pixels: ``size`` times the scale (``QT_SCALE_FACTOR``, the screen's)."""
    widget.resize(size)
    if not widget.isVisible():
        widget.show()
    QApplication.processEvents()
    ratio = widget.devicePixelRatioF()
    pixels = QSize(round(size.width() * ratio), round(size.height() * ratio))
    image = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(widget.palette().color(QPalette.ColorRole.Window))
    widget.render(image)
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub asks for bytes, but the binding takes the format name as str.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ScreenshotError("the screenshot could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def write_screenshot(widget: QWidget, path: Path, size: QSize = SCREENSHOT_SIZE) -> Path:
    """Render ``widget`` at ``size`` and save it to ``path`` as PNG, atomically."""
    data = png_bytes(render_widget(widget, size))
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ScreenshotError(
            f"cannot write the screenshot to {target}: the folder {folder} does not exist"
        )
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(handle, 0o644)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise ScreenshotError(f"cannot write the screenshot to {target}: {reason}") from error
    return target
