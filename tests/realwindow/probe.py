"""Open every view and dialog of metaflash in a real window and audit it for clipping.

Run by ``test_real_window.py`` on a real X server (Xvfb with a window manager), with the
xcb platform and the scale under test::

    DISPLAY=:5 QT_QPA_PLATFORM=xcb [QT_SCALE_FACTOR=2] python probe.py DATA_DIR [SHOTS_DIR]

Prints one JSON object: the screen as Qt sees it and, for each place visited (a view, a view
in some state, a dialog), the clipped widgets :mod:`layout_audit` found. With ``SHOTS_DIR``
it saves a screenshot of the whole screen at each place, window frame included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from layout_audit import audit
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QRectF, QTimer
from PySide6.QtGui import QTransform
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QGraphicsItem, QMessageBox, QWidget

from metaflash.core.classroom.report import class_report
from metaflash.core.classroom.summary import init_class, student_summary
from metaflash.core.collection.errors import DamagedCollectionError, DamageKind
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import DeckId, StepId
from metaflash.core.library.snapshot import Library
from metaflash.core.util import paths
from metaflash.ui.common.clock import SystemClock
from metaflash.ui.common.theme import ThemeController, ThemeName
from metaflash.ui.common.window_geometry import fit_window
from metaflash.ui.diagram.canvas import DiagramCanvas
from metaflash.ui.diagram.scene import DiagramScene
from metaflash.ui.diagram.view import DiagramView
from metaflash.ui.editor.conflict_dialog import ConflictDialog
from metaflash.ui.editor.new_deck_dialog import NewDeckDialog
from metaflash.ui.interop.export_dialog import ExportDialog
from metaflash.ui.interop.import_dialog import ImportDialog
from metaflash.ui.shell.app import build_main_window
from metaflash.ui.shell.class_window import ClassWindow, ShareWithClassDialog
from metaflash.ui.shell.damaged_collection import DamagedCollectionDialog
from metaflash.ui.shell.help_dialogs import about_html
from metaflash.ui.shell.main_window import MainWindow
from metaflash.ui.shell.views import ViewName

#: A deck with mistakes, so that the Problems panel has rows to show.
BROKEN_DECK = """\
id: broken-example
title: A deck with mistakes in it, to fill the Problems panel with long messages
cards:
  - id: one
    front: What is metastasis?
  - id: one
    front: A second card with the same id as the first one
    back: It is reported with both places
  - id: three
    type: cloze
    text: A cloze without any gap at all
  - id: four
    front: A card with a stage the diagram does not have
    back: x
    stage: nowhere-at-all
"""

Report = dict[str, list[str]]


def settle(milliseconds: int = 150) -> None:
    """Let the window manager map and size the windows, and Qt lay them out."""
    deadline = QDeadlineTimer(milliseconds)
    while not deadline.hasExpired():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QTest.qWait(10)


def on_screen(item: QGraphicsItem, view: QTransform, inset: float) -> QRectF:
    """Where ``item`` is drawn, in the view's pixels (labels keep their pixel size whatever
    the figure's scale)."""
    rect = item.deviceTransform(view).mapRect(item.boundingRect())
    return rect.adjusted(inset, inset, -inset, -inset)


def figure_overlaps(root: QWidget) -> list[str]:
    """In every diagram on screen: labels that cover each other or another step's ring."""
    found = []
    for canvas in root.findChildren(DiagramCanvas):
        if not canvas.isVisible():
            continue
        scene = canvas.scene()
        assert isinstance(scene, DiagramScene)
        view = canvas.viewportTransform()
        plates = {
            sid: on_screen(label, view, 2)
            for sid, label in scene.labels.items()
            if label.isVisible()
        }
        for sid, plate in plates.items():
            for other, rect in plates.items():
                if other < sid and plate.intersects(rect):
                    found.append(f"diagram: the labels of {sid} and {other} overlap")
            for other, marker in scene.markers.items():
                ring = on_screen(marker, view, 6)
                if other != sid and plate.intersects(ring):
                    found.append(f"diagram: the label of {sid} covers the ring of {other}")
    return found


def mapped(root: QWidget, timeout_ms: int = 10_000, frame_ms: int = 2_000) -> str:
    """Wait until ``root`` is on the screen: ``"framed"`` once the window manager has
    mapped and framed it; ``"unframed"`` when the window system exposed it, at its size,
    but Qt still reports an empty frame for it; ``""`` when it never appeared.

    The second was seen at scale 2 under openbox, about one run in five: a dialog shown and
    drawn whose frame stayed 0x0 however long one waited (probably read from the window
    manager's frame window before that was sized). The probe reports such windows apart,
    and the audit then measures the window without its title bar."""
    deadline = QDeadlineTimer(timeout_ms)
    QTest.qWaitForWindowExposed(root, timeout_ms)
    framed = QDeadlineTimer(min(frame_ms, max(deadline.remainingTime(), 0)))
    while root.frameGeometry().isEmpty() and not framed.hasExpired():
        QTest.qWait(20)
    if not root.isVisible():
        return ""
    if not root.frameGeometry().isEmpty():
        return "framed"
    handle = root.windowHandle()
    exposed = handle is not None and handle.isExposed()
    return "unframed" if exposed and not root.geometry().isEmpty() else ""


class Probe:
    def __init__(self, window: MainWindow, shots: Path | None) -> None:
        self.window = window
        self.shots = shots
        self.report: Report = {}
        self.unframed: list[str] = []  # places whose window Qt never gave a frame

    def look(self, place: str, root: QWidget | None = None) -> None:
        root = root or self.window
        tries = 0
        while not (state := mapped(root)):
            tries += 1  # a slow X server or window manager: ask again, up to three times
            if tries > 3:
                handle = root.windowHandle()
                state = (
                    f"visible={root.isVisible()} frame={root.frameGeometry().getRect()} "
                    f"geometry={root.geometry().getRect()} hint={root.sizeHint().toTuple()} "
                    f"handle={handle.geometry().getRect() if handle is not None else None} "
                    f"exposed={handle.isExposed() if handle is not None else None}"
                )
                self.report[place] = [
                    f"the window never appeared on the screen (not mapped: {state})"
                ]
                return
            root.hide()
            settle(200)
            if root.geometry().isEmpty():
                # seen at scale 2 under openbox, about one run in six: shown and exposed, but
                # Qt kept a 0x0 geometry for it; show it again at the size it asks for
                root.resize(root.sizeHint().expandedTo(root.minimumSizeHint()))
            root.show()
            root.raise_()
            root.activateWindow()
        if state == "unframed":
            self.unframed.append(place)
        settle()
        self.report[place] = [str(clip) for clip in audit(root)] + figure_overlaps(root)
        if self.shots is not None:
            screen = root.screen()
            screen.grabWindow(0).save(str(self.shots / f"{place}.png"))

    @contextmanager
    def dialog(self, dialog: QDialog | QMessageBox) -> Iterator[QDialog | QMessageBox]:
        dialog.show()
        try:
            yield dialog
        finally:
            dialog.done(0)
            dialog.deleteLater()
            settle(50)


def visit(probe: Probe, data_dir: Path) -> None:
    window = probe.window
    for view in ViewName:
        window.show_view(view)
        probe.look(view.value)
    window.show_view(ViewName.DECKS)
    window.problems_dock.show()
    probe.look("decks-with-problems")
    window.problems_dock.hide()
    review_states(probe)
    diagram = window.view(ViewName.DIAGRAM)
    if window.show_view(ViewName.DIAGRAM) is ViewName.DIAGRAM and isinstance(diagram, DiagramView):
        diagram.open_step(StepId("intravasation"))
        probe.look("diagram-step-panel")
        diagram.close_panel()
        diagram.show_account("study-note-steps")
        probe.look("diagram-study-note-steps")
        diagram.show_account("")
        window.show_view(ViewName.DECKS)
        probe.look("decks-after-step-panel")
    dialogs(probe, data_dir)


def review_states(probe: Probe) -> None:
    window = probe.window
    for deck, card in (
        ("metastasis", "metastasis-definition"),
        ("metastasis-stages", "multistep-order"),
    ):
        if window.study.study_card(deck, card) is None:
            probe.look(f"review-{card}-question")
            window.review.reveal()
            probe.look(f"review-{card}-answer")


def dialogs(probe: Probe, data_dir: Path) -> None:
    window = probe.window
    library = window.study.library
    deck = library.deck(DeckId("metastasis"))
    assert deck is not None and deck.path is not None
    places: dict[str, Callable[[], QDialog | QMessageBox]] = {
        "settings": lambda: window.commands.open_settings(),
        "shortcuts": lambda: window.show_shortcuts(),
        "export": lambda: ExportDialog(deck.path, deck.title, window),  # type: ignore[arg-type]
        "import": lambda: ImportDialog([data_dir / "decks"], window),
        "import-csv": lambda: csv_import(window, data_dir),
        "new-deck": lambda: NewDeckDialog([data_dir / "decks"], library.decks, window),
        "conflict": lambda: ConflictDialog(
            deck.path,  # type: ignore[arg-type]
            deck.path.read_text(encoding="utf-8"),  # type: ignore[union-attr]
            "id: metastasis\ntitle: Mine\ncards: []\n",
            window,
        ),
        "about": lambda: about_box(window, data_dir),
        "class": lambda: ClassWindow(
            class_report(class_folder(data_dir, library)), library, window
        ),
        "share-class": lambda: share_dialog(window, data_dir),
        "damaged-collection": lambda: DamagedCollectionDialog(
            DamagedCollectionError(
                data_dir,
                data_dir / "collection.sqlite3",
                DamageKind.DAMAGED,
                "database disk image is malformed",
                None,
            ),
            window,
        ),
    }
    for name, make in places.items():
        with probe.dialog(make()) as dialog:
            probe.look(f"dialog-{name}", dialog)
    window.commands.show_deck_format()
    settle()
    for top in QApplication.topLevelWidgets():
        if top.objectName() == "deckFormatDialog" and top.isVisible():
            probe.look("dialog-deck-format", top)
            top.close()


def class_folder(data_dir: Path, library: Library) -> Path:
    """A class of seven students over the bundled cards: some steps and cards reached by
    fewer than five (their figures hidden), long card texts in the list."""
    folder = data_dir / "class"
    info = init_class(folder, "Oncology 2027, second year: the metastatic cascade")
    staged = [
        (deck.id, card.id, str(card.diagram_step))
        for deck in library.decks
        for card in deck.cards
        if card.diagram_step is not None
    ]
    for student in range(7):
        reached = staged[: len(staged) - 3 * student]
        cards = [
            {
                "deck": d,
                "card": c,
                "variant": "",
                "reviews": 4 + i % 3,
                "lapses": i % 4,
                "recall": round(0.95 - (i % 7) * 0.1, 2),
            }
            for i, (d, c, _) in enumerate(reached)
        ]
        steps = sorted({s for _, _, s in reached})
        summary = {
            "format": 1, "class": info.id, "student": f"student-{student}", "day": "2026-12-06",
            "cards": cards,
            "steps": [{"step": s, "cards": 1, "reviews": 5, "lapses": 1, "recall": round(0.55 + 0.07 * (len(s) % 6), 2)} for s in steps],
        }  # fmt: skip
        (folder / "students" / f"student-{student}.json").write_text(json.dumps(summary))
    return folder


def share_dialog(parent: MainWindow, data_dir: Path) -> ShareWithClassDialog:
    folder = data_dir / "share-class"
    info = init_class(folder, "Oncology 2027")
    summary = student_summary(parent.collection, info, parent.clock.now(), parent.clock.timezone)
    return ShareWithClassDialog(
        info, summary, sharing=True, share=lambda: None, stop=lambda: None, parent=parent
    )


def csv_import(parent: QWidget, data_dir: Path) -> ImportDialog:
    """The import dialog with a CSV file's preview and its column roles."""
    source = data_dir / "glossary.csv"
    source.write_text(
        "Term,Definition,Tags,Chapter\n"
        + "".join(
            f"Term number {i},A definition long enough to be cut in the preview {i},tag{i},"
            f"Chapter {i}\n"
            for i in range(12)
        ),
        encoding="utf-8",
    )
    dialog = ImportDialog([data_dir / "decks"], parent)
    dialog.set_source(source)
    return dialog


def about_box(parent: QWidget, data_dir: Path) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About metaflash", "", parent=parent)
    box.setText(about_html(data_dir, (paths.bundled_decks_dir(), data_dir / "decks")))
    return box


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1])
    shots = Path(argv[2]) if len(argv) > 2 and argv[2] else None
    theme_name = argv[3] if len(argv) > 3 else "light"
    (data_dir / "decks").mkdir(parents=True, exist_ok=True)
    (data_dir / "decks" / "broken.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    app = QApplication(["metaflash-probe"])
    theme = ThemeController(app, ThemeName(theme_name))
    theme.apply()
    clock = SystemClock()
    collection = Collection.open(data_dir, clock.now())
    window = build_main_window(data_dir, collection, clock, theme=theme)
    fit_window(window, first=True)
    window.show()
    probe = Probe(window, shots)
    try:
        visit(probe, data_dir)
    finally:
        window.close()
        collection.close(clock.now())
    screen = app.primaryScreen()
    geometry = screen.availableGeometry()
    print(
        json.dumps(
            {
                "screen": [geometry.width(), geometry.height()],
                "scale": screen.devicePixelRatio(),
                "places": probe.report,
                "unframed": probe.unframed,
            }
        )
    )
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
