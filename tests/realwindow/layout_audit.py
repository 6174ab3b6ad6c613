"""Find what a user would see cut off in a shown window: widgets that get less than their
minimum size, text that does not fit, widgets that stick out of their parent or the screen.

Qt's layouts never give a widget less than its minimum size hint on their own; when the window
is smaller than its layout's minimum (a small screen, a large scale), the overflow is simply
cut at the window's edge. So the audit looks at the outcome, widget by widget, in the window
as it is on the screen:

- a window (or dialog) that does not fit in the screen's available area;
- a widget that sticks out of its parent, where no scroll area lets the user reach the rest;
- a label, button, check box, line edit, combo box or spin box smaller than its minimum size
  hint (its text or its frame is cut), unless it elides its text and says it in a tooltip;
- a word-wrapped label shorter than the height its text needs at its width;
- a list, tree or table whose columns do not fit beside each other (a sideways scroll bar).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QSplitterHandle,
    QTabBar,
    QWidget,
)

#: A pixel of slack for rounding at fractional scales.
SLACK = 1


@dataclass(frozen=True)
class Clip:
    """One thing cut off: where (the widget's path), what, and the sizes involved."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


def describe(widget: QWidget) -> str:
    """``QDialog#settings > QLabel#workload "You did about…"``: enough to find it."""
    parts = []
    node: QWidget | None = widget
    while node is not None:
        name = node.objectName()
        part = type(node).__name__ + (f"#{name}" if name else "")
        parts.append(part)
        if node.isWindow():
            break
        node = node.parentWidget()
    text = _text(widget)
    shown = f' "{text[:40]}{"…" if len(text) > 40 else ""}"' if text else ""
    return " > ".join(reversed(parts[:3])) + shown


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return widget.text().replace("\n", " ")
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("\n", " ")
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def _scroller(widget: QWidget, root: QWidget) -> QAbstractScrollArea | None:
    """The scroll area (or list, table, text view) whose viewport holds ``widget``: the user
    can scroll to what lies outside its parent, in the directions it scrolls."""
    node = widget.parentWidget()
    while node is not None and node is not root:
        owner = node.parentWidget()
        if isinstance(owner, QAbstractScrollArea) and owner.viewport() is node:
            return owner
        node = owner
    return None


def _scrolls(area: QAbstractScrollArea, orientation: Qt.Orientation) -> bool:
    horizontal = orientation is Qt.Orientation.Horizontal
    policy = area.horizontalScrollBarPolicy() if horizontal else area.verticalScrollBarPolicy()
    return policy is not Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def _internal(widget: QWidget) -> bool:
    """Parts of Qt's own composite widgets that are laid out (and hidden) by them."""
    parent = widget.parentWidget()
    if isinstance(widget, QScrollBar | QSplitterHandle):
        return True
    if isinstance(parent, QTabBar | QAbstractSpinBox | QComboBox):
        return True
    if (
        isinstance(parent, QAbstractScrollArea)
        and widget is not parent.viewport()
        and not isinstance(widget, QHeaderView)
    ):
        return True  # the corner widget, scroll bar containers
    if widget.objectName().startswith("qt_"):
        return True  # Qt's own parts: QMainWindow's dock separators, scroll area containers
    return type(widget).__name__ in {"QFocusFrame", "QRubberBand", "QSizeGrip"}


def _elides(widget: QWidget) -> bool:
    """A widget that shortens its text on purpose shows the whole text in its tooltip."""
    return bool(widget.toolTip()) and "…" in _text(widget)


def _minimum(widget: QWidget) -> tuple[int, int]:
    """The least room the widget shows itself whole in (Qt's buttons and check boxes give
    their full size hint as the minimum)."""
    hint = widget.minimumSizeHint()
    return max(hint.width(), widget.minimumWidth()), max(hint.height(), widget.minimumHeight())


def audit(root: QWidget) -> list[Clip]:
    """Everything cut off in the shown window ``root``."""
    clips: list[Clip] = []
    screen = root.screen()
    if screen is not None:
        area = screen.availableGeometry()
        frame = root.frameGeometry()
        if frame.isEmpty():  # a frame Qt has not worked out yet (see probe.mapped)
            frame = root.geometry()
        if not area.contains(frame):
            clips.append(
                Clip(
                    describe(root),
                    f"the window ({_size(frame)} at {frame.x()},{frame.y()}) does not fit "
                    f"the screen's {_size(area)}",
                )
            )
    for widget in root.findChildren(QWidget):
        if widget.window() is not root or not widget.isVisible() or _internal(widget):
            continue
        clips.extend(_audit_widget(widget, root))
    return clips


def _audit_widget(widget: QWidget, root: QWidget) -> list[Clip]:
    found: list[Clip] = []
    where = describe(widget)
    parent = widget.parentWidget()
    if parent is not None and widget.width() > 0:
        inside = parent.rect()
        mine = widget.geometry()
        if not inside.contains(mine):
            cut = mine.intersected(inside)
            lost_w, lost_h = mine.width() - cut.width(), mine.height() - cut.height()
            area = _scroller(widget, root)
            if area is not None:  # what the scroll bars reach is not lost
                lost_w = 0 if _scrolls(area, Qt.Orientation.Horizontal) else lost_w
                lost_h = 0 if _scrolls(area, Qt.Orientation.Vertical) else lost_h
            if lost_w > SLACK or lost_h > SLACK:
                found.append(
                    Clip(
                        where,
                        f"sticks out of its parent by {lost_w}×{lost_h} px ({_rect(mine)} in {_size(inside)})",
                    )
                )
    text = _text(widget)
    if isinstance(widget, QLabel) and text.strip():
        if widget.wordWrap():
            need = widget.heightForWidth(widget.width())
            if need > widget.height() + SLACK:
                found.append(
                    Clip(where, f"wrapped text needs {need} px of height, has {widget.height()}")
                )
        elif not _elides(widget):
            width, height = _minimum(widget)
            if widget.width() + SLACK < width or widget.height() + SLACK < height:
                found.append(
                    Clip(where, f"is {_size(widget.rect())}, its text needs {width}×{height}")
                )
    elif isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox):
        if not _elides(widget):
            width, height = _minimum(widget)
            if widget.width() + SLACK < width or widget.height() + SLACK < height:
                found.append(
                    Clip(where, f"is {_size(widget.rect())}, needs at least {width}×{height}")
                )
    elif isinstance(widget, QHeaderView) and widget.orientation() is Qt.Orientation.Horizontal:
        found.extend(_audit_header(widget, where))
    elif isinstance(widget, QAbstractItemView):
        bar = widget.horizontalScrollBar()
        if bar.isVisible() and bar.maximum() > 0:
            found.append(
                Clip(
                    where,
                    f"its columns are {bar.maximum()} px wider than the view: scrolled sideways",
                )
            )
    return found


def _audit_header(header: QHeaderView, where: str) -> list[Clip]:
    """A column narrower than its own heading: its name (and so its values) cannot be read."""
    model = header.model()
    if model is None:
        return []
    found = []
    metrics = header.fontMetrics()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        need = metrics.horizontalAdvance(title) + 8
        if title and header.sectionSize(section) < need:
            found.append(
                Clip(
                    where,
                    f"column {title!r} is {header.sectionSize(section)} px, its heading needs {need}",
                )
            )
    return found


def _size(rect: QRect) -> str:
    return f"{rect.width()}×{rect.height()}"


def _rect(rect: QRect) -> str:
    return f"{rect.width()}×{rect.height()} at {rect.x()},{rect.y()}"
