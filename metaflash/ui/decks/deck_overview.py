"""The deck overview, in the centre of the window: one deck's title, description and sources,
what studying it brings today ("Study now", also Enter), the coming days, and its cards.

A first start shows the welcome above it (see :mod:`metaflash.ui.decks.welcome_banner`)."""

from __future__ import annotations

import heapq
import html
import itertools
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.decks.markdown import render_markdown
from metaflash.core.decks.model import (
    NOWHERE,
    Card,
    CardId,
    Deck,
    DeckId,
    SourceDocument,
    SourceRef,
)
from metaflash.core.decks.tree import DeckNode
from metaflash.core.library.snapshot import Library
from metaflash.core.study.counts import ForecastDay, TodayCounts
from metaflash.ui.common.card_text import card_markdown
from metaflash.ui.decks.card_table import (
    CardColumn,
    CardFilterModel,
    CardTableModel,
    ColumnFitter,
    set_up_card_table,
)
from metaflash.ui.decks.study_panel import StudyPanel
from metaflash.ui.decks.welcome_banner import WelcomeBanner


def _label(role: str, text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


class DeckOverview(QWidget):
    """Shows one deck of a library; :meth:`show_deck` switches deck. Emits
    :attr:`study_requested` with the deck's id for "Study now" (or Enter)."""

    study_requested = Signal(str)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckOverview")
        self.setProperty("role", "page")
        self._library = library
        self._deck: Deck | None = None
        self._longest_ids: tuple[Deck, list[CardId]] | None = None
        # a deck read lazily shows its rows at once; the rest of its cards are decoded a
        # little at a time while the window is idle, so that a search or a sort finds them
        self._decoder = QTimer(self)
        self._decoder.setObjectName("card-decoder")
        self._decoder.setInterval(0)
        self._decoder.timeout.connect(self._decode_some)

        self.breadcrumb = _label("muted")
        self.title = _label("heading")
        self.title.setAccessibleName("Deck title")
        self.meta = _label("muted")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.description.setOpenExternalLinks(True)
        self.sources = _label("muted", rich=True)
        self.sources.setOpenExternalLinks(True)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter cards by id, text, tag or stage")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter cards")
        self.card_count = _label("muted")

        self.cards = CardTableModel(parent=self)
        self.filtered = CardFilterModel(self)
        self.filtered.setSourceModel(self.cards)
        self.table = QTableView()
        self.table.setObjectName("cardTable")
        self.table.setModel(self.filtered)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(
            -1, Qt.SortOrder.AscendingOrder
        )  # deck order until a header is clicked
        set_up_card_table(self.table, len(CardColumn))
        self.columns = ColumnFitter(
            self.table,
            CardColumn.QUESTION,
            {CardColumn.ID: 210, CardColumn.TYPE: 90, CardColumn.TAGS: 150, CardColumn.STAGE: 140},
        )

        self.preview = QTextBrowser()
        self.preview.setObjectName("cardPreview")
        self.preview.setOpenExternalLinks(True)
        self.preview.setAccessibleName("Card preview")
        self.preview.document().setDocumentMargin(14)
        self.card_details = _label("muted")
        self.card_details.setObjectName("cardDetails")

        self.empty = _label("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome = WelcomeBanner()
        self.welcome.hide()
        self.study = StudyPanel()
        self.study.study_requested.connect(self._request_study)

        self._build_layout()
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self._request_study)
        # Tab goes from the top down: the welcome, Study now, the forecast, then the cards
        chain = (
            self.welcome.close_button,
            self.study.study_button,
            self.study.forecast,
            self.filter,
            self.table,
            self.preview,
        )
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_filter)
        self.show_deck(None)

    def _build_layout(self) -> None:
        info = QVBoxLayout()
        info.setSpacing(6)
        for widget in (self.breadcrumb, self.title, self.meta, self.description, self.sources):
            info.addWidget(widget)
        info.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addLayout(info, 3)
        row.addWidget(self.study, 2)
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(24, 16, 24, 12)
        header_layout.setSpacing(10)
        header_layout.addWidget(self.welcome)
        header_layout.addLayout(row)

        bar = QHBoxLayout()
        bar.setContentsMargins(24, 0, 24, 10)
        bar.setSpacing(12)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.card_count)

        cards = QWidget()
        cards_layout = QVBoxLayout(cards)
        cards_layout.setContentsMargins(0, 0, 0, 0)
        cards_layout.setSpacing(0)
        cards_layout.addLayout(bar)
        cards_layout.addWidget(self.table)

        preview = QWidget()
        preview.setProperty("role", "surface")
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.setSpacing(0)
        self.card_details.setContentsMargins(18, 12, 18, 0)
        preview_layout.addWidget(self.card_details)
        preview_layout.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(cards)
        self.splitter.addWidget(preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 160])

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(0)
        content_layout.addWidget(header)
        content_layout.addWidget(self.splitter, 1)

        # the cards keep room for a few rows; where the window is too short for the header
        # and them, the whole overview scrolls (it is never squeezed or cut)
        self.splitter.setMinimumHeight(self.fontMetrics().lineSpacing() * 11)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("overviewScroller")
        self.scroller.setWidget(self.content)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is inside
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)
        layout.addWidget(self.empty)
        self.cards_box = cards

    # --- what is shown -------------------------------------------------------------------

    def set_library(self, library: Library) -> None:
        self._library = library
        self.show_deck(self._deck.id if self._deck is not None else None)

    @property
    def deck(self) -> Deck | None:
        return self._deck

    def show_deck(self, deck_id: str | None) -> None:
        """Show the deck with ``deck_id``; an empty state when there is none."""
        deck = self._library.deck(DeckId(deck_id)) if deck_id else None
        self._deck = deck
        self.scroller.setVisible(deck is not None)
        self.empty.setVisible(deck is None)
        if deck is None:
            self.empty.setText(
                "No decks are loaded.\nUse File › Open Deck Folder… or File › Add Deck File… "
                "to add decks."
                if not self._library.decks
                else "Select a deck on the left to see its cards."
            )
            self.cards.set_cards(())
            return
        ancestors = self._library.tree.chain(deck.id)[:-1]
        self.breadcrumb.setText(" › ".join(parent.title for parent in ancestors))
        self.breadcrumb.setVisible(bool(ancestors))
        self.title.setText(deck.title)
        self.meta.setText(self._meta_line(deck))
        self.description.setText(render_markdown(deck.description))
        self.description.setVisible(bool(deck.description.strip()))
        self.sources.setText(_sources_html(deck.sources))
        self.sources.setVisible(bool(deck.sources))
        self.meta.setToolTip(str(deck.path) if deck.path else "")
        self.cards.set_cards(deck.card_sequence())  # a big deck's rows decoded as shown
        if deck.encoded_cards() is not None:
            self._decoder.start()
        self._fit_id_column(deck)
        self._update_count()
        if self.filtered.rowCount() > 0:
            self.table.selectRow(0)
        else:
            self._show_card(None)

    @Slot()
    def _decode_some(self) -> None:
        if self._deck is None or self._deck.decode_some():
            self._decoder.stop()

    def set_counts(self, counts: TodayCounts) -> None:
        """Today's counts of the deck shown (with its sub-decks)."""
        self.study.set_counts(counts)

    def set_forecast(self, days: Sequence[ForecastDay]) -> None:
        self.study.set_forecast(days)

    @Slot()
    def _request_study(self) -> None:
        if self._deck is not None:
            self.study_requested.emit(self._deck.id)

    def _fit_id_column(self, deck: Deck) -> None:
        """Wide enough for this deck's ids, within reason (a long id is elided, not wrapped)."""
        # the widest of the longest ids, measured (asking the view would measure every row);
        # kept for the deck last shown (a deck never changes: an edit makes a new one); ties
        # go by id, so a deck read lazily (its ids sorted) picks the same ones
        if self._longest_ids is None or self._longest_ids[0] is not deck:
            self._longest_ids = (
                deck,
                heapq.nlargest(20, deck.card_ids(), key=lambda card_id: (len(card_id), card_id)),
            )
        ids = self._longest_ids[1]
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(card_id) for card_id in ids), default=0)
        wanted = (
            widest
            + 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin)
            + 24
        )
        self.columns.set_width(CardColumn.ID, max(140, min(wanted, 280)))

    def _meta_line(self, deck: Deck) -> str:
        node = next((n for n in _walk(self._library.tree.roots) if n.deck.id == deck.id), None)
        parts = [_plural(deck.card_count, "card"), _plural(deck.prompt_count(), "prompt")]
        if node is not None and node.children:
            sub_decks = _plural(len(node.children), "sub-deck")
            parts.append(f"{sub_decks} ({_plural(node.total_cards, 'card')} in all)")
        if deck.version:
            parts.append(f"version {deck.version}")
        if deck.licence:
            parts.append(deck.licence)
        if deck.authors:
            parts.append("by " + ", ".join(deck.authors))
        if deck.path is not None:
            parts.append(deck.path.name)
        return "  ·  ".join(parts)

    def _show_card(self, card: Card | None) -> None:
        if card is None:
            self.card_details.setText("")
            self.preview.setHtml(
                render_markdown(
                    "*No cards match the filter.*"
                    if self.cards.rowCount()
                    else "*This deck has no cards yet.*"
                )
            )
            return
        assert self._deck is not None
        details = [card.id, card.type.value]
        if card.tags:
            details.append("tags: " + ", ".join(card.tags))
        if card.stage:
            details.append(f"stage: {card.stage}")
        cited = _citations(card.sources, self._deck.sources)
        if cited:
            details.append("source: " + "; ".join(cited))
        if card.image is not None:
            details.append(f"image: {card.image.name}")
        if card.location != NOWHERE:
            details.append(f"{Path(card.location.file).name}, line {card.location.line}")
        self.card_details.setText("  ·  ".join(details))
        self.preview.setHtml(render_markdown(card_markdown(card)))

    def selected_card(self) -> Card | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.cards.card(self.filtered.mapToSource(rows[0]).row())

    def _update_count(self) -> None:
        shown, total = self.filtered.rowCount(), self.cards.rowCount()
        self.card_count.setText(
            _plural(total, "card") if shown == total else f"{shown:,} of {total:,} cards"
        )

    @Slot(str)
    def _on_filter_changed(self, text: str) -> None:
        self.filtered.set_search(text.strip())
        self._update_count()
        if self.filtered.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        elif not self.filtered.rowCount():
            self._show_card(None)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        card = self.selected_card()
        if card is not None:
            self._show_card(card)

    @Slot()
    def _focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()


def _walk(nodes: tuple[DeckNode, ...]) -> list[DeckNode]:
    found: list[DeckNode] = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node.children))
    return found


def _sources_html(sources: tuple[SourceDocument, ...]) -> str:
    items = []
    for source in sources:
        title = html.escape(source.title)
        if source.url:
            title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
        if source.file:
            title += f" ({html.escape(source.file)})"
        items.append(title)
    return "Sources: " + "; ".join(items)


def _citations(refs: tuple[SourceRef, ...], documents: tuple[SourceDocument, ...]) -> list[str]:
    titles = {document.id: document.title for document in documents}
    cited = []
    for ref in refs:
        title = titles.get(ref.document, ref.document)
        cited.append(f"{title}, “{ref.section}”" if ref.section else title)
    return cited
