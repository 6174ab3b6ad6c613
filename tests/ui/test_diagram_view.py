"""The diagram screen: the figure drawn from the diagram file, steps opened by mouse and
keyboard, mastery shown in colour and words, picking a step as an answer."""

from __future__ import annotations

import pytest
from diagram_samples import REPO_ROOT, cascade, wound_healing
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Prompt, StepId
from metaflash.core.stats.mastery import StepMastery
from metaflash.ui.common.theme import ThemeName, build_palette, colors_for
from metaflash.ui.diagram import CompactDiagramView, DiagramView, prompts_by_step
from metaflash.ui.diagram.actors import ColonyItem
from metaflash.ui.diagram.backdrop import OrganItem, TissueItem, VesselItem
from metaflash.ui.diagram.colours import DiagramColours
from metaflash.ui.diagram.markers import PickMark
from metaflash.ui.diagram.shapes import OrganShape

DECK_DIR = REPO_ROOT / "decks" / "metastasis"


def bundled_prompts() -> tuple[Prompt, ...]:
    prompts: list[Prompt] = []
    for path in sorted(DECK_DIR.glob("*.yaml")):
        if path.name.endswith(".diagram.yaml"):
            continue
        deck = parse_deck(path.read_text(encoding="utf-8"), path)
        assert isinstance(deck, Deck), deck
        prompts.extend(deck.prompts())
    return tuple(prompts)


MASTERY = {
    StepId("intravasation"): StepMastery(StepId("intravasation"), total=9, studied=7, recall=0.82),
    StepId("primary-tumour"): StepMastery(
        StepId("primary-tumour"), total=4, studied=4, recall=0.95
    ),
    StepId("local-invasion"): StepMastery(StepId("local-invasion"), total=5, studied=2, recall=0.4),
    StepId("extravasation"): StepMastery(StepId("extravasation"), total=6, studied=0, recall=None),
}


@pytest.fixture
def view(qtbot: QtBot) -> DiagramView:
    widget = DiagramView(cascade(), MASTERY, prompts_by_step(bundled_prompts()))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_step(qtbot: QtBot, view: DiagramView, step_id: str) -> None:
    point = view.canvas.view_point_of(StepId(step_id)).toPoint()
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_figure_is_drawn_from_the_diagram_file(view: DiagramView, qtbot: QtBot) -> None:
    scene = view.canvas.diagram_scene
    diagram = view.diagram
    assert set(scene.markers) == {step.id for step in diagram.steps}
    vessels = {item.caption for item in scene.items() if isinstance(item, VesselItem)}
    assert vessels == {"blood vessel", "lymphatic vessel"}
    (tissue,) = [item for item in scene.items() if isinstance(item, TissueItem)]
    assert {
        "epithelium",
        "basement membrane",
        "extracellular matrix",
        "tissue of a distant organ",
    } <= set(tissue.captions)
    organs = {item.shape_kind for item in scene.items() if isinstance(item, OrganItem)}
    assert {OrganShape.LIVER, OrganShape.BONE, OrganShape.NODE, OrganShape.LUNG} <= organs
    labels = {link.text for link in scene.link_labels}
    assert "portal vein (from GI tract, spleen, pancreas)" in labels
    # the scene fills the view at 1:1 (once laid out for the size the caption leaves it)
    qtbot.waitUntil(lambda: view.canvas.transform().m11() == pytest.approx(1.0))
    assert not view.canvas.grab().isNull()


def test_clicking_a_step_opens_its_panel(view: DiagramView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.stepActivated) as activated:
        click_step(qtbot, view, "intravasation")
    assert activated.args == ["intravasation"]
    panel = view.panel
    step = view.diagram.step(StepId("intravasation"))
    assert panel.isVisible() and panel.title.text() == "Intravasation"
    assert panel.summary.text() == step.summary
    assert (
        "How does the metastatic process work in cancer? — Stages of Metastasis"
        in panel.sources.text()
    )
    questions = [panel.cards.item(i).text() for i in range(panel.cards.count())]
    expected = [p for p in bundled_prompts() if p.stage == "intravasation"]
    assert len(questions) == len(expected) > 0
    assert panel.cards_heading.text() == f"CARDS ({len(expected)})"
    assert "7/9 cards, 82% recall" in panel.mastery.text() and "Learning" in panel.mastery.text()
    with qtbot.waitSignal(view.studyStepRequested) as study:
        qtbot.mouseClick(panel.study_button, Qt.MouseButton.LeftButton)
    assert study.args == ["intravasation"]
    qtbot.keyClick(view.canvas, Qt.Key.Key_Escape)
    assert not panel.isVisible()


def test_a_step_without_cards_cannot_be_studied(view: DiagramView) -> None:
    view.open_step(StepId("blood-route"))
    assert view.panel.study_button.isEnabled() == bool(
        prompts_by_step(bundled_prompts())(StepId("blood-route"))
    )
    view.set_cards_for_step(lambda step_id: ())
    assert not view.panel.study_button.isEnabled()
    assert view.panel.study_button.text() == "No cards for this step yet"


def test_keyboard_walks_the_steps_in_journey_order(view: DiagramView, qtbot: QtBot) -> None:
    canvas = view.canvas
    journey = canvas.journey
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert canvas.focused_step() == journey[0] == "primary-tumour"
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.focused_step() == "intravasation"
    assert canvas.markers()[StepId("intravasation")].focused  # the focus ring
    assert not canvas.markers()[StepId("local-invasion")].focused
    assert (
        canvas.accessibleName() == f"Intravasation, step 4 of {len(journey)}, 7/9 cards, 82% recall"
    )
    assert "Press Enter" in canvas.accessibleDescription()
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.focused_step() == "local-invasion"
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert canvas.focused_step() == journey[-1]
    with qtbot.waitSignal(view.stepActivated) as activated:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert activated.args == [journey[-1]] and view.panel.title.text() == "Bone"


def test_tab_goes_through_the_steps_and_then_out(view: DiagramView, qtbot: QtBot) -> None:
    canvas = view.canvas
    canvas.focus_step(StepId("primary-tumour"))
    assert canvas.focusNextPrevChild(True)
    assert canvas.focused_step() == "detachment"
    canvas.focus_step(canvas.journey[-1])
    canvas.focusNextPrevChild(True)  # past the last step, the focus leaves the figure
    assert canvas.focused_step() is None
    assert canvas.accessibleName() == "Pathway diagram: The metastatic cascade"


def test_mastery_is_shown_in_colour_and_words(view: DiagramView) -> None:
    canvas = view.canvas
    colours = DiagramColours.from_palette(canvas.palette())
    label = canvas.labels()[StepId("intravasation")]
    marker = canvas.markers()[StepId("intravasation")]
    assert label.lines == ("Intravasation", "7/9 cards, 82% recall")
    assert marker.ring_colour() == colours.learning
    assert canvas.markers()[StepId("primary-tumour")].ring_colour() == colours.mastered
    assert canvas.labels()[StepId("local-invasion")].lines[1] == "2/5 cards, 40% recall"
    assert canvas.markers()[StepId("local-invasion")].ring_colour() == colours.weak
    assert canvas.labels()[StepId("extravasation")].lines[1] == "0/6 cards, not studied yet"
    assert canvas.labels()[StepId("bone")].lines[1] == "no cards"
    better = StepMastery(StepId("intravasation"), total=9, studied=9, recall=0.93)
    view.update_step_mastery(better)
    assert label.lines[1] == "9/9 cards, 93% recall"
    assert marker.ring_colour() == colours.mastered
    assert "mastered" in marker.toolTip() or "9/9 cards" in marker.toolTip()


def test_picking_the_right_step(view: DiagramView, qtbot: QtBot) -> None:
    view.pick_mode(StepId("extravasation"))
    canvas = view.canvas
    assert all(label.lines == () for label in canvas.labels().values())  # names hidden
    with qtbot.waitSignal(view.stepPicked) as picked:
        click_step(qtbot, view, "extravasation")
    assert picked.args == ["extravasation", True]
    assert canvas.markers()[StepId("extravasation")].mark is PickMark.RIGHT
    assert canvas.labels()[StepId("extravasation")].lines[-1] == "✓ Correct"
    assert not view.panel.isVisible()  # a pick is an answer, not a visit
    assert canvas.pick_result() == ("extravasation", True)


def test_picking_the_wrong_step_by_keyboard(view: DiagramView, qtbot: QtBot) -> None:
    view.pick_mode(StepId("extravasation"))
    canvas = view.canvas
    canvas.focus_step(StepId("intravasation"))
    assert canvas.accessibleName().startswith("Step 4, step 4 of")  # the name would give it away
    with qtbot.waitSignal(view.stepPicked) as picked:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert picked.args == ["intravasation", False]
    assert canvas.markers()[StepId("intravasation")].mark is PickMark.WRONG
    assert canvas.markers()[StepId("extravasation")].mark is PickMark.ANSWER
    assert canvas.labels()[StepId("intravasation")].lines[-1] == "✗ Your answer"
    assert canvas.labels()[StepId("extravasation")].lines[-1] == "✓ The answer"
    assert "the answer is Extravasation" in canvas.accessibleDescription()
    with qtbot.assertNotEmitted(view.stepPicked):
        click_step(qtbot, view, "extravasation")  # one pick per question
    view.cancel_pick()
    assert all(marker.mark is PickMark.NONE for marker in canvas.markers().values())


def test_pick_mode_refuses_an_unknown_step(view: DiagramView) -> None:
    with pytest.raises(ValueError, match="no step 'spleen'"):
        view.pick_mode(StepId("spleen"))


def test_compact_view_names_only_the_highlighted_step(qtbot: QtBot) -> None:
    compact = CompactDiagramView(cascade(), MASTERY)
    qtbot.addWidget(compact)
    compact.resize(480, 300)
    compact.show()
    qtbot.waitExposed(compact)
    assert all(not label.isVisible() for label in compact.labels().values())
    assert compact.player.group is None  # the review screen's figure does not animate
    colonies = [item for item in compact.diagram_scene.items() if isinstance(item, ColonyItem)]
    assert len(colonies) > 3 and all(colony.growth == 1.0 for colony in colonies)  # the story told
    assert not compact.diagram_scene.tissue.show_captions
    compact.highlight_step(StepId("intravasation"))
    assert compact.labels()[StepId("intravasation")].lines == ("Intravasation",)
    assert compact.markers()[StepId("intravasation")].highlighted
    assert compact.highlighted_step() == "intravasation"
    compact.highlight_step(None)
    assert not any(marker.highlighted for marker in compact.markers().values())
    compact.pick_mode(StepId("liver"))
    with qtbot.waitSignal(compact.stepPicked) as picked:
        point = compact.view_point_of(StepId("liver")).toPoint()
        qtbot.mouseClick(compact.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert picked.args == ["liver", True]
    assert compact.labels()[StepId("liver")].lines == ("Liver", "✓ Correct")


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(640, 420)])
def test_the_whole_figure_fits_any_size(qtbot: QtBot, size: QSize) -> None:
    view = DiagramView(cascade(), MASTERY)
    qtbot.addWidget(view)
    view.resize(size)
    view.show()
    qtbot.waitExposed(view)
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.layout_size() == canvas._layout_size)
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    scene = canvas.sceneRect()
    assert visible.contains(scene.adjusted(2, 2, -2, -2))
    for step_id in canvas.journey:  # every ring is on screen
        assert canvas.viewport().rect().contains(canvas.view_point_of(step_id).toPoint())


def test_resizing_lays_the_figure_out_again(view: DiagramView, qtbot: QtBot) -> None:
    canvas = view.canvas
    before = canvas.view_point_of(StepId("secondary-tumour"))
    view.resize(1600, 900)
    qtbot.waitUntil(
        lambda: (
            canvas.layout_size().width() == canvas.viewport().width()
            and canvas._layout_size == canvas.layout_size()
        )
    )
    after = canvas.view_point_of(StepId("secondary-tumour"))
    assert after.x() > before.x() + 200  # the figure widened, the labels kept their size
    assert canvas.transform().m11() == pytest.approx(1.0)


def test_dark_theme_recolours_the_figure(view: DiagramView, qtbot: QtBot) -> None:
    canvas = view.canvas
    light = DiagramColours.from_palette(canvas.palette())
    QApplication.instance().setPalette(build_palette(colors_for(ThemeName.DARK)))
    qtbot.waitUntil(lambda: DiagramColours.from_palette(canvas.palette()).dark)
    dark = DiagramColours.from_palette(canvas.palette())
    assert dark.stroma.lightnessF() < 0.35 < light.stroma.lightnessF()
    assert dark.text.lightnessF() > 0.7
    qtbot.waitUntil(
        lambda: (
            canvas.diagram_scene.tissue is not None and canvas.diagram_scene.tissue._colours.dark
        )
    )


def test_another_small_diagram_renders_with_the_same_code(qtbot: QtBot) -> None:
    view = DiagramView(wound_healing())
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    scene = view.canvas.diagram_scene
    assert list(scene.markers) == ["injury", "clotting", "repair", "remodelling"]
    assert scene.vessels == [] and scene.organs == {}
    assert view.canvas.labels()[StepId("repair")].lines == ("Repair", "no cards")
    view.open_step(StepId("clotting"))
    assert view.panel.summary.text() == "A clot closes the wound."
    assert view.panel.sources.text() == "No source given"


def test_prompts_by_step_groups_prompts_by_stage() -> None:
    prompts = bundled_prompts()
    cards = prompts_by_step(prompts)
    staged = [p for p in prompts if p.stage == "colonisation"]
    assert list(cards(StepId("colonisation"))) == staged and staged
    assert cards(StepId("nowhere")) == ()


def test_a_click_anywhere_on_a_steps_number_badge_selects_it(
    qtbot: QtBot, view: DiagramView
) -> None:
    canvas = view.canvas
    for step_id, marker in canvas._scene.markers.items():
        centre = marker.mapToScene(marker._badge_centre)
        for dx, dy in ((0, 0), (3, 3), (-3, -3)):  # inner and outer halves of the badge
            point = canvas.mapFromScene(centre) + QPoint(dx, dy)
            found = canvas.step_at(QPointF(point))
            assert found == step_id, (step_id, dx, dy, found)


def test_the_pixmap_cache_holds_a_large_figure(qtbot: QtBot) -> None:
    # every cached item's device bitmap fits in Qt's pixmap cache, else they are redrawn at
    # every frame (bench/diagram.py measures what that costs)
    from PySide6.QtGui import QPixmapCache
    from PySide6.QtWidgets import QGraphicsItem

    widget = DiagramView(cascade())
    qtbot.addWidget(widget)
    widget.resize(2560, 1600)
    widget.show()
    qtbot.waitExposed(widget)
    canvas = widget.canvas
    canvas.relayout()
    ratio = canvas.devicePixelRatioF()
    needed = sum(
        rect.width() * rect.height() * ratio * ratio * 4
        for item in canvas.diagram_scene.items()
        if item.cacheMode() is not QGraphicsItem.CacheMode.NoCache and item.isVisible()
        for rect in [canvas.transform().mapRect(item.sceneBoundingRect())]
    )
    assert needed > 10 * 1024 * 1024  # more than Qt's default cache holds
    assert QPixmapCache.cacheLimit() * 1024 >= needed
