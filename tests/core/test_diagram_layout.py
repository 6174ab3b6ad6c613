"""The pure geometry of the pathway diagram: placement, roles, vessels, labels, the journey."""

from __future__ import annotations

import itertools
import math

import pytest
from diagram_samples import cascade, small_cascade, wound_healing

from metaflash.core.decks.model import StepId
from metaflash.core.diagrams.decoration import (
    endothelial_cells,
    epithelial_cells,
    fibres,
    tumour_mass,
)
from metaflash.core.diagrams.geometry import XY, Box, Cubic, smooth_connection
from metaflash.core.diagrams.journey import (
    HOLD_MS,
    circulation_cast,
    circulation_leg,
    journey_legs,
    plan_timeline,
    sprout_paths,
)
from metaflash.core.diagrams.layout import (
    LabelSide,
    StepRole,
    VesselStyle,
    journey_order,
    layout_diagram,
    metrics_for,
    place_hint,
    place_link_labels,
)

W, H = 1280.0, 800.0


def role_of(layout, step_id: str) -> StepRole:
    return layout.placed(StepId(step_id)).role


# --- geometry --------------------------------------------------------------------------


def test_cubic_ends_split_and_trim() -> None:
    curve = Cubic(XY(0, 0), XY(50, 0), XY(50, 100), XY(100, 100))
    assert curve.point(0) == XY(0, 0) and curve.point(1) == XY(100, 100)
    head, tail = curve.split(0.3)
    assert head.end == tail.start
    assert head.end.distance_to(curve.point(0.3)) < 1e-9
    trimmed = curve.trimmed(10, 20)
    assert trimmed.start.distance_to(curve.start) == pytest.approx(10, abs=2.5)
    assert trimmed.end.distance_to(curve.end) == pytest.approx(20, abs=2.5)


def test_even_points_are_evenly_spaced() -> None:
    curve = Cubic(XY(0, 0), XY(10, 0), XY(90, 200), XY(100, 0))
    points = curve.even_points(12)
    gaps = [a.distance_to(b) for a, b in itertools.pairwise(points)]
    assert points[0] == curve.start and points[-1].distance_to(curve.end) < 1e-6
    assert max(gaps) - min(gaps) < 0.05 * max(gaps)
    assert sum(gaps) == pytest.approx(curve.length(), rel=0.02)


def test_crossings_of_a_line() -> None:
    curve = smooth_connection(XY(0, 0), XY(100, 100))
    (t,) = curve.crossings_of_y(50)
    assert curve.point(t).y == pytest.approx(50, abs=1.5)
    assert curve.crossings_of_y(150) == ()


def test_box_moves_inside() -> None:
    outer = Box(0, 0, 100, 100)
    assert Box(90, -5, 20, 10).moved_inside(outer) == Box(80, 0, 20, 10)
    assert Box(10, 10, 5, 5).overlap(Box(12, 12, 5, 5)) == pytest.approx(9)


# --- placement and roles ----------------------------------------------------------------


def test_journey_order_is_order_then_id() -> None:
    diagram = cascade()
    order = journey_order(diagram)
    assert order[0] == "primary-tumour" and order[-1] == "bone"
    assert [diagram.step(s).order for s in order] == sorted(step.order for step in diagram.steps)


def test_hints_map_into_the_margins() -> None:
    metrics = metrics_for(W, H)
    assert place_hint(0, 0, W, H, metrics) == XY(metrics.margin_x, metrics.margin_y)
    far = place_hint(100, 100, W, H, metrics)
    assert far.x == pytest.approx(W - metrics.margin_x) and far.y == pytest.approx(
        H - metrics.margin_y
    )
    assert place_hint(150, -20, W, H, metrics) == XY(far.x, metrics.margin_y)


def test_roles_of_the_metastatic_cascade() -> None:
    layout = layout_diagram(cascade(), W, H)
    expected = {
        "primary-tumour": StepRole.ORIGIN,
        "detachment": StepRole.INVASION,
        "local-invasion": StepRole.INVASION,
        "intravasation": StepRole.ENTRY,
        "blood-route": StepRole.ROUTE,
        "lymph-route": StepRole.ROUTE,
        "circulation-survival": StepRole.TRANSIT,
        "extravasation": StepRole.EXIT,
        "colonisation": StepRole.SETTLE,
        "angiogenesis": StepRole.GROWTH,
        "secondary-tumour": StepRole.TERMINAL,
        "sentinel-node": StepRole.ORGAN,
        "liver": StepRole.ORGAN,
        "bone": StepRole.ORGAN,
    }
    assert {sid: role_of(layout, sid) for sid in expected} == expected


def test_vessels_come_from_route_steps() -> None:
    layout = layout_diagram(cascade(), W, H)
    by_route = {band.route: band for band in layout.bands}
    blood, lymph = by_route[StepId("blood-route")], by_route[StepId("lymph-route")]
    assert blood.style is VesselStyle.BLOOD and lymph.style is VesselStyle.LYMPH
    assert blood.box.left == 0 and blood.box.right == W  # a vessel right across the figure
    assert 0 < lymph.box.left < lymph.box.right < W  # a blind-ended lymphatic
    assert blood.lumen.contains(layout.placed(StepId("circulation-survival")).centre)
    assert blood.lumen.contains(layout.placed(StepId("blood-route")).centre)
    assert layout.band_of(StepId("circulation-survival")) == blood
    for wall_step in ("intravasation", "extravasation"):
        y = layout.placed(StepId(wall_step)).centre.y
        assert blood.box.top <= y <= blood.box.top + blood.wall  # on the wall it crosses


def test_home_tissue_has_a_membrane_between_tumour_and_vessel() -> None:
    layout = layout_diagram(cascade(), W, H)
    tissue = layout.tissue
    origin = layout.placed(StepId("primary-tumour")).centre
    entry = layout.placed(StepId("intravasation")).centre
    assert tissue.membrane_y is not None and tissue.epithelium_top is not None
    assert origin.y < tissue.membrane_y < entry.y
    assert tissue.epithelium_top < tissue.membrane_y
    assert tissue.destination is not None
    assert tissue.destination.contains(layout.placed(StepId("colonisation")).centre)
    assert tissue.origin.contains(origin)


def test_any_small_pathway_lays_out_without_vessels() -> None:
    layout = layout_diagram(wound_healing(), 900, 560)
    assert [p.role for p in layout.steps] == [
        StepRole.ORIGIN,
        StepRole.STEP,
        StepRole.STEP,
        StepRole.TERMINAL,
    ]
    assert layout.bands == ()
    assert layout.tissue.membrane_y is None and layout.tissue.destination is None
    assert len(layout.links) == 3


@pytest.mark.parametrize("size", [(1280, 800), (760, 470), (1920, 1080)])
def test_labels_stay_in_the_scene_and_off_each_other(size: tuple[int, int]) -> None:
    w, h = size
    diagram = cascade()
    sizes = {step.id: (len(step.label) * 8.0 + 12, 36.0) for step in diagram.steps}
    layout = layout_diagram(diagram, w, h, sizes)
    scene = Box(0, 0, w, h)
    boxes = [p.label_box for p in layout.steps]
    for box in boxes:
        assert box.moved_inside(scene) == box
    overlapping = sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlap(b) > 0)
    assert overlapping <= 1
    for placed in layout.steps:  # a label never hides its own ring
        ring = Box.around(placed.centre, 2 * placed.radius, 2 * placed.radius)
        assert placed.label_box.overlap(ring) < 0.05 * ring.width * ring.height


def test_labels_sit_beside_their_ring() -> None:
    layout = layout_diagram(cascade(), W, H)
    for placed in layout.steps:
        distance = placed.label_box.centre.distance_to(placed.centre)
        assert distance < placed.radius + placed.label_box.width + placed.label_box.height
        assert placed.label_side in LabelSide


def test_link_labels_avoid_steps_and_each_other() -> None:
    layout = layout_diagram(cascade(), W, H)
    wanted = {
        i: (len(p.link.label) * 6.5, 18.0) for i, p in enumerate(layout.links) if p.link.label
    }
    placed = place_link_labels(layout, wanted)
    assert placed  # the named routes to organs find a place
    boxes = list(placed.values())
    for box in boxes:
        for step in layout.steps:
            assert box.overlap(step.label_box) == 0
    assert all(a.overlap(b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_a_vein_to_an_organ_branches_off_its_vessel() -> None:
    layout = layout_diagram(small_cascade(), W, H)
    (vein,) = [p for p in layout.links if p.link.target == "liver"]
    band = layout.band_of(StepId("vessel"))
    assert vein.branch and band is not None
    assert vein.path.start.y == pytest.approx(band.box.bottom - band.wall)
    assert vein.path.start.x == pytest.approx(layout.placed(StepId("liver")).centre.x)


# --- the journey ------------------------------------------------------------------------


def test_legs_follow_the_pathway_and_branch_where_it_branches() -> None:
    diagram = cascade()
    layout = layout_diagram(diagram, W, H)
    legs = {leg.target: leg for leg in journey_legs(diagram, layout)}
    assert legs[StepId("primary-tumour")].path is None  # the first cell just appears
    assert (
        legs[StepId("detachment")].continuous
        and legs[StepId("detachment")].source == "primary-tumour"
    )
    # survival is reached along the main pathway from intravasation, not from the lymph route
    survival = legs[StepId("circulation-survival")]
    assert survival.source == "intravasation" and not survival.continuous
    assert legs[StepId("sentinel-node")].source == "lymph-route"
    assert legs[StepId("lymph-nodes")].source == "sentinel-node"  # the first node, then the rest
    assert legs[StepId("bone")].source == "colonisation"  # reached where cells settle
    for leg in legs.values():
        if leg.path is not None:
            assert leg.path.end == layout.placed(leg.target).centre


def test_a_cell_squeezes_through_the_membrane_and_the_vessel_wall() -> None:
    diagram = cascade()
    layout = layout_diagram(diagram, W, H)
    legs = {leg.target: leg for leg in journey_legs(diagram, layout)}
    membrane = layout.tissue.membrane_y
    assert membrane is not None
    crossing = legs[StepId("local-invasion")]
    assert crossing.squeezes
    assert crossing.path.point(crossing.squeezes[0]).y == pytest.approx(membrane, abs=2)
    assert legs[StepId("colonisation")].squeezes  # out through the wall into the organ


def test_timeline_steps_and_speed() -> None:
    diagram = cascade()
    layout = layout_diagram(diagram, W, H)
    legs = journey_legs(diagram, layout)
    normal = plan_timeline(legs, layout)
    fast = plan_timeline(legs, layout, speed=2.0)
    assert len(normal.legs) == len(diagram.steps)
    assert normal.legs[0].hold == HOLD_MS
    assert fast.total == pytest.approx(normal.total / 2, rel=0.01)
    for index, leg in enumerate(normal.legs):
        assert normal.step_at(leg.arrival) == index
        assert normal.leg_at(leg.start) == index
        assert leg.end == (
            normal.legs[index + 1].start if index + 1 < len(normal.legs) else normal.total
        )
    middle = normal.legs[5].arrival + normal.legs[5].hold // 2
    assert fast.step_at(normal.equivalent_time(middle, fast)) == 5
    survival = next(leg for leg in legs if leg.target == "circulation-survival")
    assert normal.legs[survival.index].travel >= 3000  # long enough to watch the immune attack


def test_circulation_happens_inside_the_vessel() -> None:
    diagram = cascade()
    layout = layout_diagram(diagram, W, H)
    legs = journey_legs(diagram, layout)
    leg = circulation_leg(legs)
    assert leg is not None and leg.target == "circulation-survival"
    band = layout.band_of(leg.target)
    assert band is not None
    cast = circulation_cast(band, leg, layout.metrics.cell, seed=1)
    lumen = band.lumen.inflated(1)
    assert len(cast.companions) == len(cast.attackers) == 3
    for mover in cast.companions + cast.attackers + cast.red_cells:
        assert lumen.contains(mover.start) and lumen.contains(mover.end)
    for companion, attacker in zip(cast.companions, cast.attackers):
        assert attacker.end.distance_to(companion.end) < layout.metrics.cell * 2.5  # they meet
    for start, end in zip(cast.platelets, cast.cloak):
        assert end.length() == pytest.approx(layout.metrics.cell * 1.18)  # hugging the survivor
        assert start.length() > end.length()
    assert circulation_cast(band, leg, layout.metrics.cell, seed=1) == cast  # seeded


def test_new_vessels_grow_from_the_vessel_to_the_growing_colony() -> None:
    layout = layout_diagram(cascade(), W, H)
    sprouts = sprout_paths(layout)
    growth = layout.placed(StepId("angiogenesis"))
    blood = layout.band_of(StepId("blood-route"))
    assert len(sprouts) == 3 and blood is not None
    for sprout in sprouts:
        assert blood.box.top <= sprout.start.y <= blood.box.top + blood.wall
        assert sprout.end.distance_to(growth.centre) < growth.radius
    assert sprout_paths(layout_diagram(wound_healing(), 900, 560)) == ()


# --- decoration -------------------------------------------------------------------------


def test_decoration_is_seeded_and_stays_in_its_area() -> None:
    area = Box(0, 0, 400, 200)
    strands = fibres(area, 20, seed=3)
    assert strands == fibres(area, 20, seed=3) and strands != fibres(area, 20, seed=4)
    assert all(area.contains(point) for strand in strands for point in strand)
    avoided = Box(0, 0, 200, 200)
    assert not any(
        avoided.contains(strand[0]) for strand in fibres(area, 20, seed=3, avoid=(avoided,))
    )
    cells = epithelial_cells(area, 150, 200, 20, gaps=(Box(100, 150, 60, 50),))
    assert cells and all(cell.top == 150 and cell.bottom == 200 for cell in cells)
    assert not any(cell.overlap(Box(100, 150, 60, 50)) for cell in cells)
    mass = tumour_mass(XY(50, 50), 30, 12, seed=1)
    assert len(mass) == 12 and all(blob.centre.distance_to(XY(50, 50)) < 30 for blob in mass)


def test_endothelium_lines_both_walls() -> None:
    layout = layout_diagram(cascade(), W, H)
    band = layout.bands[0]
    cells = endothelial_cells(band, layout.metrics.unit)
    tops = [cell for cell in cells if cell.top == band.box.top]
    bottoms = [cell for cell in cells if cell.bottom == pytest.approx(band.box.bottom)]
    assert tops and bottoms and len(tops) + len(bottoms) == len(cells)
    assert math.isclose(sum(cell.width for cell in tops), band.box.width)
