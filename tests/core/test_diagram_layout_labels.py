"""Step labels never cover each other or another step's ring: beside the ring, set away
with a leader line, shortened to the name, or (no room at all) hidden."""

from __future__ import annotations

import pytest

from metaflash.core.diagrams.geometry import Box
from metaflash.core.diagrams.layout import LabelFit, layout_diagram
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir

DIAGRAM = load_library([bundled_decks_dir()]).diagrams[0]


def sizes(full: bool) -> dict:  # type: ignore[type-arg]
    """About what the view measures: a name over a mastery line, or the name alone."""
    return {
        step.id: (max(len(step.label) * 7.5, 150 if full else 0) + 16, 34 if full else 19)
        for step in DIAGRAM.steps
    }


@pytest.mark.parametrize("size", [(1500, 800), (1200, 700), (900, 560), (600, 420), (370, 280)])
def test_labels_cover_no_label_and_no_other_ring(size: tuple[int, int]) -> None:
    layout = layout_diagram(DIAGRAM, *size, sizes(True), sizes(False))
    shown = [step for step in layout.steps if step.label_fit is not LabelFit.HIDDEN]
    for step in shown:
        box = step.label_box
        assert Box(0, 0, *size).inflated(1).overlap(box) == pytest.approx(box.width * box.height)
        for other in shown:
            if other is not step:
                assert box.overlap(other.label_box) == 0, (step.id, other.id)
        for other in layout.steps:
            ring = Box.around(other.centre, 2 * other.radius, 2 * other.radius)
            if other is not step:
                assert box.overlap(ring) == 0, (step.id, "covers ring", other.id)
        if step.leader is None:  # beside its ring: within reach of it
            near = min(
                abs(box.top - step.centre.y),
                abs(box.bottom - step.centre.y),
                abs(box.left - step.centre.x),
                abs(box.right - step.centre.x),
            )
            assert near <= step.radius * 1.8 + 12, step.id
        else:
            start, end = step.leader
            assert start.distance_to(step.centre) == pytest.approx(step.radius)
            assert box.inflated(0.5).contains(end)


def test_there_is_room_for_every_whole_label_on_a_desktop() -> None:
    layout = layout_diagram(DIAGRAM, 1200, 700, sizes(True), sizes(False))
    assert {step.label_fit for step in layout.steps} == {LabelFit.FULL}


def test_a_small_figure_shortens_and_hides_rather_than_overlaps() -> None:
    layout = layout_diagram(DIAGRAM, 370, 280, sizes(True), sizes(False))
    fits = [step.label_fit for step in layout.steps]
    assert LabelFit.SHORT in fits
    assert fits.count(LabelFit.HIDDEN) < len(fits) // 2
    assert layout.steps[0].label_fit is not LabelFit.HIDDEN  # earlier steps keep their places


@pytest.mark.parametrize("size", [(340, 210), (400, 250)])
def test_a_figure_that_names_one_step_at_a_time_finds_each_name_a_clear_place(
    size: tuple[int, int],
) -> None:
    # the review's small figure shows the name of the card's step only: each name may use
    # the room the others would take, but never covers another step's ring
    together = layout_diagram(DIAGRAM, *size, sizes(True), sizes(False))
    alone = layout_diagram(DIAGRAM, *size, sizes(True), sizes(False), labels_alone=True)
    hidden = [s.id for s in together.steps if s.label_fit is LabelFit.HIDDEN]
    assert hidden, "the figure is small enough that names placed together crowd out some"
    assert all(step.label_fit is not LabelFit.HIDDEN for step in alone.steps)
    for step in alone.steps:
        for other in alone.steps:
            ring = Box.around(other.centre, 2 * other.radius, 2 * other.radius)
            if other is not step:
                assert step.label_box.overlap(ring) == 0, (step.id, "covers ring", other.id)
