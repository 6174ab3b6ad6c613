"""Benchmark: the deck overview's card table at 20,000 cards against a bare QTableView over the
same rows, side by side in one run.

  open     show a deck's cards in the table until it is painted (ours: the whole deck
           overview's ``show_deck``, with its header, counts and column widths; the bare
           side: a model of the same rows' strings set on a QTableView)
  first    the same for a deck just loaded, as a start or a reload gives it to the window:
           read back from the library cache, its cards still encoded (ours decodes the rows
           it shows; what it counts once per deck is counted here). The rest of its cards
           are then decoded while the window is idle: that time is reported, not compared
  scroll   to the last row, painted
  filter   type a word that keeps about one row in ten, painted; then clear it, painted

The same open, scroll and filter are then timed for the editor's card list over the same
deck's drafts (its Tags and Stage columns hidden, as they start, on both sides).

The bare side is a QTableView over a minimal QAbstractTableModel holding the rows' texts,
ready-made, behind Qt's own QSortFilterProxyModel (the same filtering our table uses): the
floor any Qt table pays. Our side makes its texts from the cards as rows are shown. Medians
of ``--repeat`` runs, the sides taking turns. Target: each at most 2.0x.

    python bench/tables.py [--cards N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from deck_load import generate_deck, generate_diagram
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from metaflash.core.decks.markdown import plain_text
from metaflash.core.editing.document import DeckDocument
from metaflash.core.editing.draft import CardDraft
from metaflash.core.library.lazy_pickle import dumps
from metaflash.core.library.snapshot import Library, load_library
from metaflash.ui.decks.card_table import CardColumn
from metaflash.ui.decks.deck_overview import DeckOverview
from metaflash.ui.editor.card_list import CardListPanel, Column, plain_question

TARGET = 2.0
WORD = "kalo"  # the generated text's syllables: a word that keeps a part of the rows


class BareModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[str, ...]], columns: int = 5) -> None:
        super().__init__()
        self.rows = rows
        self.columns = columns

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None


def paint(widget: Any) -> None:
    widget.repaint()
    QApplication.processEvents()


def wait_for(done: Callable[[], bool]) -> None:
    while not done():
        QApplication.processEvents()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def reopen(view: QTableView, source: BareModel, rows: list[tuple[str, ...]]) -> None:
    """The bare side's open: empty the model, painted; then the rows, painted."""
    for shown in ([], rows):
        source.beginResetModel()
        source.rows = shown
        source.endResetModel()
        paint(view)


Side = tuple[str, QTableView, Callable[[], object], Callable[[str], object]]


def time_table(sides: dict[str, dict[str, list[float]]], both: tuple[Side, Side]) -> None:
    """One run of open, scroll and filter on each side (name, table, open, search)."""
    for name, view, open_, search in both:
        got = sides[name]
        got.setdefault("open", []).append(timed(open_))
        view.scrollToTop()
        paint(view)
        got.setdefault("scroll", []).append(timed(lambda v=view: (v.scrollToBottom(), paint(v))))
        got.setdefault("filter", []).append(
            timed(lambda v=view, s=search: (s(WORD), paint(v), s(""), paint(v)))
        )


def report(sides: dict[str, dict[str, list[float]]], operations: tuple[str, ...]) -> int:
    """Print each operation's medians and ratio; how many targets were missed."""
    missed = 0
    for operation in operations:
        mine = statistics.median(sides["ours"][operation]) * 1000
        base = statistics.median(sides["bare"][operation]) * 1000
        ratio = mine / base if base else float("inf")
        missed += ratio > TARGET
        verdict = "ok" if ratio <= TARGET else "MISSED"
        print(f"  {operation:<8} {mine:>8.1f}ms {base:>8.1f}ms {ratio:>7.2f}  {verdict}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(["bench-tables"])
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "bench.diagram.yaml").write_text(generate_diagram())
        (folder / "bench-deck.yaml").write_text(generate_deck(args.cards))
        library = load_library([folder])
        drafts = DeckDocument.from_bytes((folder / "bench-deck.yaml").read_bytes(), "bench").cards()
    (deck,) = library.decks
    rows = [
        (
            card.id,
            card.type.value,
            plain_text(card.prompts(deck.id)[0].question),
            ", ".join(card.tags),
            card.diagram_step or "",
        )
        for card in deck.cards
    ]
    # the same library as each start reads it back from the library cache, one per run
    fresh = [pickle.loads(dumps(library)) for _ in range(args.repeat)]
    ours = DeckOverview(library)
    ours.resize(1200, 800)
    ours.show()
    bare = QTableView()
    bare_source = BareModel([])
    bare_proxy = QSortFilterProxyModel()
    bare_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    bare_proxy.setFilterKeyColumn(-1)
    bare_proxy.setSourceModel(bare_source)
    bare.setModel(bare_proxy)
    bare.resize(1200, 600)
    bare.show()
    app.processEvents()

    def ours_open() -> None:
        ours.show_deck(None)
        paint(ours)
        ours.cards.set_cards(())  # as another deck would
        ours.show_deck(deck.id)
        paint(ours)

    def bare_open() -> None:
        reopen(bare, bare_source, rows)

    def ours_first(loaded: Library) -> None:
        ours.show_deck(None)
        paint(ours)
        ours.cards.set_cards(())
        ours.set_library(loaded)  # as a start or a reload does, then the deck is shown
        ours.show_deck(deck.id)
        paint(ours)

    table = ours.table
    decoder = ours.findChild(QTimer, "card-decoder")
    assert decoder is not None
    idle: list[float] = []
    sides: dict[str, dict[str, list[float]]] = {"ours": {}, "bare": {}}
    for run in range(args.repeat):
        loaded = fresh[run]
        sides["ours"].setdefault("first", []).append(timed(lambda: ours_first(loaded)))  # noqa: B023
        sides["bare"].setdefault("first", []).append(timed(bare_open))
        # the rest of the deck's cards are decoded while the window is idle (not timed
        # against the bare side, which holds its rows ready-made; reported below)
        idle.append(timed(lambda: wait_for(lambda: not decoder.isActive())))
        time_table(
            sides,
            (
                ("ours", table, ours_open, ours.filter.setText),  # typed in its search field
                ("bare", bare, bare_open, bare_proxy.setFilterFixedString),
            ),
        )
    print(f"tables benchmark: {args.cards:,} cards, Qt offscreen, median of {args.repeat} runs")
    print(f"  {'operation':<8} {'metaflash':>10} {'bare':>10} {'ratio':>7}  target <= {TARGET}")
    missed = report(sides, ("first", "open", "scroll", "filter"))
    print(
        f"  after 'first', the rest of the deck decoded in the background in "
        f"{statistics.median(idle) * 1000:.0f} ms of idle time (median)"
    )
    shown = ours.filtered.rowCount()
    assert shown == len(rows) and table.model().columnCount() == len(CardColumn)
    ours.close()
    missed += editor_table(drafts, bare, bare_source, bare_proxy, args.repeat)
    bare.close()
    return 1 if missed else 0


def editor_table(
    drafts: tuple[CardDraft, ...],
    bare: QTableView,
    bare_source: BareModel,
    bare_proxy: QSortFilterProxyModel,
    repeat: int,
) -> int:
    """The editor's card list over the same deck's drafts against the bare table over the
    same rows' texts (its hidden columns hidden on both sides); how many targets missed."""
    rows = [
        (
            str(number),
            plain_question(draft) or "(empty)",
            draft.id,
            draft.type.value,
            " ".join(draft.tags),
            draft.stage,
        )
        for number, draft in enumerate(drafts, start=1)
    ]
    ours = CardListPanel()
    ours.resize(900, 800)
    ours.show()
    bare_source.beginResetModel()
    bare_source.rows, bare_source.columns = [], len(Column)
    bare_source.endResetModel()
    for column in (Column.TAGS, Column.STAGE):
        bare.setColumnHidden(column, True)
    QApplication.processEvents()

    def ours_open() -> None:
        ours.set_cards((), ())
        paint(ours)
        ours.set_cards(drafts, ())
        paint(ours)

    sides: dict[str, dict[str, list[float]]] = {"ours": {}, "bare": {}}
    for _ in range(repeat):
        time_table(
            sides,
            (
                ("ours", ours.table, ours_open, ours.search.setText),  # typed in its search field
                (
                    "bare",
                    bare,
                    lambda: reopen(bare, bare_source, rows),
                    bare_proxy.setFilterFixedString,
                ),
            ),
        )
    print(f"  the editor's card list, {len(drafts):,} cards")
    missed = report(sides, ("open", "scroll", "filter"))
    assert ours.filtered.rowCount() == len(rows)
    ours.close()
    return missed


if __name__ == "__main__":
    sys.exit(main())
