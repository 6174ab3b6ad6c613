"""The deck editor's widgets and how they are laid out (the behaviour is in editor_view)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.model import Problem
from metaflash.ui.common.eliding_label import ElidingLabel
from metaflash.ui.common.flow_layout import FlowLayout
from metaflash.ui.common.theme import set_role
from metaflash.ui.editor.card_form import CardForm
from metaflash.ui.editor.card_list import CardListPanel
from metaflash.ui.editor.card_preview import CardPreview
from metaflash.ui.editor.deck_details_form import DeckDetailsForm


def shown_path(path: Path) -> str:
    """``path`` for display, with the home folder as ``~``."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


class _FormArea(QScrollArea):
    """Scrolls a form up and down, and is never narrower than the form's fields."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), inner.minimumSizeHint().width() + bar), hint.height())


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    area = _FormArea()
    area.setObjectName(name)
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setProperty("role", "page")
    return area


def _tool_button(name: str, text: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class EditorWidgets(QWidget):
    """The editor's widgets: a header, the Cards and Deck Details tabs, the problems list."""

    EMPTY_PAGE, EDITOR_PAGE = 0, 1
    # the commands, made by editor_actions.build_actions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorView")
        self.setProperty("role", "page")

        # header
        self.title_label = QLabel()
        self.title_label.setObjectName("editorTitle")
        self.title_label.setProperty("role", "title")
        self.path_label = ElidingLabel()
        self.path_label.setObjectName("editorPath")
        self.path_label.setProperty("role", "muted")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("editorSaved")
        self.saved_label.setProperty("role", "muted")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setObjectName("redoButton")
        self.study_button = QPushButton("Study")
        self.study_button.setObjectName("studyButton")
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveButton")
        self.save_button.setProperty("role", "primary")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.path_label)
        header = QHBoxLayout()
        header.setContentsMargins(20, 12, 20, 10)
        header.setSpacing(8)
        header.addLayout(titles, 1)
        header.addWidget(self.saved_label)
        header.addSpacing(8)
        for button in (self.undo_button, self.redo_button, self.study_button, self.save_button):
            header.addWidget(button)

        # a notice when the file changed on disk
        self.banner = QFrame()
        self.banner.setObjectName("diskBanner")
        self.banner.setProperty("role", "notice")
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_reload = QPushButton("Reload")
        self.banner_reload.setObjectName("bannerReload")
        self.banner_compare = QPushButton("Compare…")
        self.banner_compare.setObjectName("bannerCompare")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 8, 12, 8)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.banner_compare)
        banner_layout.addWidget(self.banner_reload)
        self.banner.hide()

        # a deck that comes with metaflash: read-only, with a way to an editable copy
        self.read_only_banner = QFrame()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setProperty("role", "notice")
        self.read_only_label = QLabel(
            "<b>This deck comes with metaflash, so it opens read-only:</b> edits inside the "
            "installed program would be lost when metaflash is updated. Copy it to My Decks "
            "to edit it; your progress stays with it."
        )
        self.read_only_label.setWordWrap(True)
        self.copy_button = QPushButton("Copy to My Decks")
        self.copy_button.setObjectName("copyToMyDecks")
        self.copy_button.setProperty("role", "primary")
        read_only_layout = QHBoxLayout(self.read_only_banner)
        read_only_layout.setContentsMargins(12, 8, 12, 8)
        read_only_layout.addWidget(self.read_only_label, 1)
        read_only_layout.addWidget(self.copy_button)
        self.read_only_banner.hide()

        # the Cards tab: list | form | preview
        self.card_list = CardListPanel()
        self.add_button = _tool_button("addCard", "Add Card")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_menu = QMenu(self.add_button)
        self.add_button.setMenu(self.add_menu)
        self.duplicate_button = _tool_button("duplicateCard", "Duplicate")
        self.delete_button = _tool_button("deleteCard", "Delete")
        self.up_button = _tool_button("moveUp", "↑ Up")
        self.down_button = _tool_button("moveDown", "↓ Down")
        card_actions = FlowLayout(spacing=2, row_spacing=4)  # wraps on a narrow list
        card_actions.setContentsMargins(8, 6, 8, 8)
        for tool in (self.add_button, self.duplicate_button, self.delete_button):
            card_actions.add_widget(tool)
        moves = QWidget()  # Up and Down stay together
        moves_row = QHBoxLayout(moves)
        moves_row.setContentsMargins(0, 0, 0, 0)
        moves_row.setSpacing(2)
        moves_row.addWidget(self.up_button)
        moves_row.addWidget(self.down_button)
        card_actions.add_widget(moves, right=True)
        list_side = QWidget()
        list_side.setProperty("role", "surface")
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.card_list, 1)
        list_layout.addLayout(card_actions)

        self.form = CardForm()
        self.form_area = _scrolled(self.form, "cardFormArea")
        self.preview = CardPreview()
        self.preview.setProperty("role", "surface")
        # form and preview side by side where there is room, the preview under the form
        # where there is not (see :meth:`fit_panes`)
        self.form_split = QSplitter(Qt.Orientation.Horizontal)
        self.form_split.setObjectName("formSplitter")
        self.form_split.setChildrenCollapsible(False)
        self.form_split.addWidget(self.form_area)
        self.form_split.addWidget(self.preview)
        self.form_split.setStretchFactor(0, 4)
        self.form_split.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(self.form_split)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 7)
        self.splitter.setSizes([470, 810])
        self._list_side = list_side
        self.splitter.installEventFilter(self)

        self.details = DeckDetailsForm()
        self.details_area = _scrolled(self.details, "deckDetailsArea")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "Cards")
        self.tabs.addTab(self.details_area, "Deck Details")

        # the problems of the deck
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("editorProblems")
        self.problem_list.setAccessibleName("Problems in this deck")
        self.problem_list.setAlternatingRowColors(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("editorStatus")
        self.status_label.setProperty("role", "muted")
        self.problem_summary = QLabel()
        self.problem_summary.setObjectName("problemSummary")
        status = QHBoxLayout()
        status.setContentsMargins(20, 6, 20, 8)
        status.addWidget(self.problem_summary)
        status.addStretch(1)
        status.addWidget(self.status_label)

        editor_page = QWidget()
        editor_layout = QVBoxLayout(editor_page)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        editor_layout.addLayout(header)
        editor_layout.addWidget(self.banner)
        editor_layout.addWidget(self.read_only_banner)
        editor_layout.addWidget(self.tabs, 1)
        editor_layout.addWidget(self.problem_list)
        editor_layout.addLayout(status)

        # nothing open yet
        empty_title = QLabel("No deck is open")
        empty_title.setProperty("role", "heading")
        empty_text = QLabel(
            "Edit a deck from the deck list, open a deck file, or start a new deck. "
            "The editor keeps your comments and formatting when it saves."
        )
        empty_text.setProperty("role", "muted")
        empty_text.setWordWrap(True)
        empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_deck_button = QPushButton("New Deck…")
        self.new_deck_button.setObjectName("newDeckButton")
        self.new_deck_button.setProperty("role", "primary")
        self.open_file_button = QPushButton("Open Deck File…")
        self.open_file_button.setObjectName("openDeckFileButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.new_deck_button)
        buttons.addStretch(1)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(2)
        empty_layout.addWidget(empty_title, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addSpacing(12)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(3)
        empty_text.setMaximumWidth(460)

        self.pages = QStackedWidget()
        self.pages.addWidget(empty_page)
        self.pages.addWidget(editor_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _show_empty(self) -> None:
        self.pages.setCurrentIndex(self.EMPTY_PAGE)

    def _show_editor(self) -> None:
        self.pages.setCurrentIndex(self.EDITOR_PAGE)

    def show_problems(
        self, located: Sequence[tuple[Problem, int | None, str | None]], card_ids: Sequence[str]
    ) -> None:
        """List the deck's problems; each item leads to its card and field."""
        self.problem_list.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for problem, index, field in located:
            where = (
                f"card “{card_ids[index]}”"
                if index is not None and index < len(card_ids)
                else "deck details"
            )
            text = f"Line {problem.line} ({where}): {problem.message}"
            if problem.hint:
                text += f" — {problem.hint}"
            item = QListWidgetItem(icon, text)
            item.setData(Qt.ItemDataRole.UserRole, (index, field))
            item.setToolTip(str(problem))
            self.problem_list.addItem(item)
        count = len(located)
        self.problem_list.setVisible(bool(count))
        if count:
            row = max(self.problem_list.sizeHintForRow(0), 20)
            frame = 2 * self.problem_list.frameWidth()
            self.problem_list.setFixedHeight(min(count, 4) * row + frame + 2)
        self.problem_summary.setText(
            "✓ No problems" if not count else f"⚠ {count} problem{'s' if count != 1 else ''} to fix"
        )
        set_role(self.problem_summary, "error" if count else "muted")

    def fit_panes(self) -> None:
        """The preview beside the form when list, form and preview all fit side by side at
        their least widths; under the form otherwise (a small screen, a large scale)."""
        needed = (
            self._list_side.minimumSizeHint().width()
            + self.form_area.minimumSizeHint().width()
            + self.preview.minimumSizeHint().width()
            + 2 * self.splitter.handleWidth()
        )
        wide = self.splitter.width() >= needed
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.form_split.orientation() is not orientation:
            self.form_split.setOrientation(orientation)
            total = (self.form_split.width() if wide else self.form_split.height()) or 1
            self.form_split.setSizes(
                [total * 4 // 7, total * 3 // 7] if wide else [total * 2 // 3, total // 3]
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self.fit_panes()
        return super().eventFilter(watched, event)
