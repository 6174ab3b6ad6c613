"""The light and dark themes: a QPalette plus a small stylesheet, built from one set of colours.

Every colour metaflash draws with is named here. Widgets never carry colours of their own:
they use palette roles, or set a ``role`` property (``heading``, ``muted``, ``error``...)
that the stylesheet below styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from metaflash.core.util.paths import resources_dir

#: The smallest point size the app uses for body text (Qt falls back to 9 pt without a desktop).
MIN_POINT_SIZE = 10.0
#: The range of the user's font scale (Settings › Appearance).
MIN_FONT_SCALE = 0.8
MAX_FONT_SCALE = 2.0


class ThemeName(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


#: The tick drawn in a checked box (white, on the accent colour in both themes).
_CHECK_MARK = (resources_dir() / "icons" / "check.svg").as_posix()


@dataclass(frozen=True, slots=True)
class ThemeColors:
    """The named colours of one theme (hex strings, ``#rrggbb``)."""

    window: str  # the window background, around panels
    panel: str  # headers, the status bar, dock title bars
    base: str  # text fields, lists and tables
    alternate_base: str  # every other row of a table
    text: str
    muted_text: str  # secondary text: meta lines, counts, hints
    disabled_text: str
    border: str
    button: str
    accent: str  # selection and focus
    accent_text: str  # text on the accent colour
    link: str
    error: str
    warning: str
    tooltip_base: str
    tooltip_text: str
    new: str  # the counts: new cards, learning cards, reviews due (as Anki: blue, red, green)
    learning: str
    due: str
    again: str  # the answer buttons
    hard: str
    good: str
    easy: str
    cloze_background: str  # the gap on a cloze card
    cloze_text: str
    notice: str  # the background of a notice bar (welcome, leech)


LIGHT = ThemeColors(
    window="#f5f6f8",
    panel="#eceef2",
    base="#ffffff",
    alternate_base="#f7f8fa",
    text="#1d2128",
    muted_text="#5d6672",
    disabled_text="#9aa1ab",
    border="#d6dae1",
    button="#fbfbfc",
    accent="#2c66d4",
    accent_text="#ffffff",
    link="#1f5bc4",
    error="#b42318",
    warning="#8a5a00",
    tooltip_base="#2a2f37",
    tooltip_text="#f3f4f6",
    new="#1f5bc4",
    learning="#b5470b",
    due="#177245",
    again="#b42318",
    hard="#8a5a00",
    good="#177245",
    easy="#1f5bc4",
    cloze_background="#fdf0c4",
    cloze_text="#5a3b00",
    notice="#eaf1fc",
)

DARK = ThemeColors(
    window="#1d2025",
    panel="#24282e",
    base="#16181c",
    alternate_base="#1b1e22",
    text="#e4e7eb",
    muted_text="#9aa3ae",
    disabled_text="#5f6670",
    border="#353a42",
    button="#2a2e35",
    accent="#3b78e0",
    accent_text="#ffffff",
    link="#7eaaff",
    error="#ff8a80",
    warning="#e3b341",
    tooltip_base="#e4e7eb",
    tooltip_text="#1d2128",
    new="#7eaaff",
    learning="#ffa270",
    due="#6fd394",
    again="#ff8a80",
    hard="#e3b341",
    good="#6fd394",
    easy="#7eaaff",
    cloze_background="#4b3d14",
    cloze_text="#ffe08a",
    notice="#1f2a3a",
)


def colors_for(theme: ThemeName) -> ThemeColors:
    """The colours of a concrete theme (``SYSTEM`` must be resolved first)."""
    if theme is ThemeName.SYSTEM:
        raise ValueError("resolve the system theme to light or dark first")
    return DARK if theme is ThemeName.DARK else LIGHT


def colors_for_palette(palette: QPalette) -> ThemeColors:
    """The theme colours that go with ``palette`` (dark when its window colour is dark)."""
    return DARK if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT


def resolve_theme(requested: ThemeName, scheme: Qt.ColorScheme) -> ThemeName:
    """Light or dark: ``SYSTEM`` follows the desktop's colour scheme (light when unknown)."""
    if requested is not ThemeName.SYSTEM:
        return requested
    return ThemeName.DARK if scheme == Qt.ColorScheme.Dark else ThemeName.LIGHT


def build_palette(colors: ThemeColors) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    plain = {
        role.Window: colors.window,
        role.WindowText: colors.text,
        role.Base: colors.base,
        role.AlternateBase: colors.alternate_base,
        role.Text: colors.text,
        role.PlaceholderText: colors.muted_text,
        role.Button: colors.button,
        role.ButtonText: colors.text,
        role.BrightText: colors.error,
        role.Highlight: colors.accent,
        role.HighlightedText: colors.accent_text,
        role.Link: colors.link,
        role.LinkVisited: colors.link,
        role.ToolTipBase: colors.tooltip_base,
        role.ToolTipText: colors.tooltip_text,
        role.Light: colors.base,
        role.Midlight: colors.panel,
        role.Mid: colors.border,
        role.Dark: colors.border,
        role.Shadow: colors.border,
        role.Accent: colors.accent,
    }
    for color_role, value in plain.items():
        palette.setColor(color_role, QColor(value))
    for color_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, color_role, QColor(colors.disabled_text))
    palette.setColor(group.Inactive, role.Highlight, QColor(colors.accent))
    palette.setColor(group.Inactive, role.HighlightedText, QColor(colors.accent_text))
    return palette


def build_stylesheet(colors: ThemeColors, scale: float = 1.0) -> str:
    """A small stylesheet for what a palette cannot say: spacing, borders, text roles.

    ``scale`` is the user's font scale: the point sizes named here grow with it."""

    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    return f"""
QMainWindow::separator {{ background: {colors.border}; width: 1px; height: 1px; }}
QSplitter::handle {{ background: {colors.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QStatusBar {{ background: {colors.panel}; border-top: 1px solid {colors.border}; }}
QStatusBar QLabel {{ padding: 2px 6px; }}
QDockWidget::title {{
    background: {colors.panel}; padding: 6px 10px; border-bottom: 1px solid {colors.border};
}}
QTreeView, QTableView, QListView, QTextBrowser {{
    background: {colors.base}; border: none; selection-background-color: {colors.accent};
    selection-color: {colors.accent_text};
}}
QTreeView {{ show-decoration-selected: 1; outline: 0; }}
QTableView {{ outline: 0; }}
QTreeView::item, QTableView::item {{ padding: 4px 6px; }}
QHeaderView::section {{
    background: {colors.panel}; color: {colors.muted_text}; padding: 5px 8px;
    border: none; border-bottom: 1px solid {colors.border}; border-right: 1px solid {colors.border};
}}
QLineEdit {{
    background: {colors.base}; border: 1px solid {colors.border}; border-radius: 4px;
    padding: 4px 8px; selection-background-color: {colors.accent};
}}
QLineEdit:focus {{ border-color: {colors.accent}; }}
QToolTip {{
    background: {colors.tooltip_base}; color: {colors.tooltip_text}; border: none; padding: 4px 6px;
}}
QWidget[role="sidebar"], QWidget[role="surface"] {{ background: {colors.base}; }}
QWidget[role="page"] {{ background: {colors.window}; }}
QLabel[role="heading"] {{ color: {colors.text}; font-size: {pt(17)}; font-weight: 600; }}
QLabel[role="subheading"] {{ color: {colors.muted_text}; font-size: {pt(9)}; font-weight: 600; }}
QLabel[role="muted"] {{ color: {colors.muted_text}; }}
QLabel[role="error"] {{ color: {colors.error}; }}
QLabel[role="warning"] {{ color: {colors.warning}; }}
QLabel[role="empty"] {{ color: {colors.muted_text}; font-size: {pt(12)}; }}
QFrame[role="card"] {{
    background: {colors.base}; border: 1px solid {colors.border}; border-radius: 6px;
}}
QToolButton[role="error"] {{ color: {colors.error}; padding: 2px 8px; }}
QToolButton[role="muted"] {{ color: {colors.muted_text}; padding: 2px 8px; }}
QLabel[role="title"] {{ color: {colors.text}; font-size: {pt(13)}; font-weight: 600; }}
QLabel[role="big-number"] {{ font-size: {pt(20)}; font-weight: 600; }}
QLabel[big="true"] {{ font-size: {pt(13)}; }}
QLabel[role="count-new"] {{ color: {colors.new}; }}
QLabel[role="count-learning"] {{ color: {colors.learning}; }}
QLabel[role="count-due"] {{ color: {colors.due}; }}
QFrame[role="notice"] {{
    background: {colors.notice}; border: 1px solid {colors.border}; border-radius: 6px;
}}
QFrame[role="rule"] {{ color: {colors.border}; }}
QToolBar {{ background: {colors.panel}; border: none; border-bottom: 1px solid {colors.border};
    spacing: 2px; padding: 2px 6px; }}
QToolBar QToolButton {{ padding: 4px 10px; border-radius: 4px; }}
QToolBar QToolButton:checked {{ background: {colors.base}; color: {colors.accent};
    border: 1px solid {colors.border}; }}
QPushButton {{ padding: 6px 14px; border: 1px solid {colors.border}; border-radius: 5px;
    background: {colors.button}; }}
QPushButton:focus {{ border-color: {colors.accent}; }}
QPushButton:default, QPushButton[role="primary"] {{
    background: {colors.accent}; color: {colors.accent_text}; border-color: {colors.accent};
}}
QPushButton:disabled {{ background: {colors.button}; color: {colors.disabled_text};
    border-color: {colors.border}; }}
QPushButton[role="answer"] {{ padding: 6px 10px; min-width: 92px; }}
QPushButton[rating="1"] {{ color: {colors.again}; }}
QPushButton[rating="2"] {{ color: {colors.hard}; }}
QPushButton[rating="3"] {{ color: {colors.good}; }}
QPushButton[rating="4"] {{ color: {colors.easy}; }}
QScrollArea[role="page"] {{ border: none; }}
QCheckBox::indicator {{ width: 14px; height: 14px; border-radius: 3px;
    border: 1px solid {colors.muted_text}; background: {colors.base}; }}
QCheckBox::indicator:focus {{ border-color: {colors.accent}; }}
QCheckBox::indicator:checked {{ background: {colors.accent}; border-color: {colors.accent};
    image: url("{_CHECK_MARK}"); }}
QCheckBox::indicator:disabled {{ border-color: {colors.disabled_text}; }}
"""


def severity_color(colors: ThemeColors, severity: str) -> QColor:
    """The text colour for a problem of ``severity`` ("error" or "warning")."""
    return QColor(colors.warning if severity == "warning" else colors.error)


class ThemeController(QObject):
    """Applies a theme to the application and, for ``system``, follows the desktop's changes."""

    def __init__(
        self,
        app: QApplication,
        requested: ThemeName = ThemeName.SYSTEM,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._requested = requested
        self._current = ThemeName.LIGHT
        self._base_font = QFont(app.font())
        self._font_scale = 1.0
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    @property
    def requested(self) -> ThemeName:
        return self._requested

    @property
    def current(self) -> ThemeName:
        """The theme in effect: light or dark."""
        return self._current

    @property
    def colors(self) -> ThemeColors:
        return colors_for(self._current)

    def apply(self, requested: ThemeName | None = None) -> ThemeName:
        if requested is not None:
            self._requested = requested
        self._show(resolve_theme(self._requested, self._app.styleHints().colorScheme()))
        return self._current

    @property
    def font_scale(self) -> float:
        return self._font_scale

    def set_font_scale(self, scale: float) -> None:
        """Scale every font: the application's, and the sizes the stylesheet names."""
        if not MIN_FONT_SCALE <= scale <= MAX_FONT_SCALE:
            raise ValueError(f"the font scale must be {MIN_FONT_SCALE}..{MAX_FONT_SCALE}")
        self._font_scale = scale
        font = QFont(self._base_font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        self._app.setFont(font)
        self._show(self._current)

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._requested is ThemeName.SYSTEM:
            self._show(resolve_theme(ThemeName.SYSTEM, scheme))

    def _show(self, theme: ThemeName) -> None:
        self._current = theme
        colors = colors_for(theme)
        self._app.setPalette(build_palette(colors))
        self._app.setStyleSheet(build_stylesheet(colors, self._font_scale))


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a stylesheet role (``heading``, ``muted``, ``error``...) and restyle it."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def readable_font(font: QFont) -> QFont:
    """The desktop's font, raised to :data:`MIN_POINT_SIZE` when it is smaller."""
    result = QFont(font)
    if 0 < result.pointSizeF() < MIN_POINT_SIZE:
        result.setPointSizeF(MIN_POINT_SIZE)
    return result
