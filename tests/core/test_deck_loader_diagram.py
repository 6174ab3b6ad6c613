"""parse_diagram: diagram files become typed steps and links, or located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.core.decks.model import Diagram, Point, Problem, SourceRef, StepKind
from metaflash.core.diagrams.loader import parse_diagram

HEAD = "format: 1\nkind: diagram\nid: cascade\ntitle: Cascade\n"
TWO_STEPS = (
    "steps:\n"
    "  - {id: invasion, label: Invasion, order: 1, position: {x: 10, y: 20}}\n"
    "  - {id: intravasation, label: Intravasation, order: 2, position: {x: 30, y: 20}}\n"
)


def problems_of(text: str) -> tuple[Problem, ...]:
    result = parse_diagram(text, "cascade.diagram.yaml")
    assert isinstance(result, tuple), "expected problems, got a diagram"
    return result


VALID = (
    HEAD
    + """\
description: From the primary site onwards.
sources:
  - {id: qa, title: Questions}
steps:
  - id: invasion
    label: Local invasion
    summary: Cells invade nearby tissue.
    order: 1
    kind: step
    position: {x: 10, y: 40.5}
    source: {document: qa, section: Stages}
  - id: blood
    label: Blood
    order: 2
    kind: route
    position: {x: 0, y: 100}
  - id: liver
    label: Liver
    order: 3
    kind: organ
    position: {x: 90, y: 60}
links:
  - {from: invasion, to: blood}
  - {from: blood, to: liver, kind: blood, label: portal vein}
"""
)


def test_a_valid_diagram_loads_into_typed_values() -> None:
    diagram = parse_diagram(VALID, "/d/cascade.diagram.yaml")
    assert isinstance(diagram, Diagram), diagram
    assert diagram.id == "cascade" and diagram.title == "Cascade"
    assert diagram.description == "From the primary site onwards."
    assert diagram.path == Path("/d/cascade.diagram.yaml")
    invasion, blood, liver = diagram.steps
    assert invasion.position == Point(10.0, 40.5)
    assert invasion.summary == "Cells invade nearby tissue."
    assert invasion.sources == (SourceRef("qa", "Stages"),)
    assert (invasion.kind, blood.kind, liver.kind) == (
        StepKind.STEP,
        StepKind.ROUTE,
        StepKind.ORGAN,
    )
    assert blood.summary == "" and blood.position == Point(0.0, 100.0)
    assert (invasion.location.line, invasion.location.column) == (9, 5)
    first, second = diagram.links
    assert (first.source, first.target, first.kind, first.label) == (
        "invasion",
        "blood",
        "next",
        "",
    )
    assert (second.kind, second.label) == ("blood", "portal vein")
    assert diagram.step(liver.id) is liver
    assert [step.id for step in diagram.ordered_steps()] == ["invasion", "blood", "liver"]


# (yaml text, expected line, expected column or None, expected message fragment)
# fmt: off
MALFORMED = [
    pytest.param("format: 1\nid: c\ntitle: T\nsteps: []\n", 1, 1, "diagram files declare 'kind: diagram'", id="no-kind"),
    pytest.param("format: 1\nid: c\ntitle: T\ncards: []\n", 1, 1, "this file is a deck", id="a-deck"),
    pytest.param("format: 9\nkind: diagram\nid: c\n", 1, 9, "upgrade metaflash", id="newer-format"),
    pytest.param(HEAD + "steps: []\n", 5, 8, "at least one step", id="no-steps"),
    pytest.param(HEAD, 1, 1, "missing the required field 'steps'", id="steps-missing"),
    pytest.param(HEAD + TWO_STEPS + "extra: 1\n", 8, 1, "unknown field 'extra' in the diagram", id="unknown-key"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1}\n", 6, 5, "missing the required field 'position'", id="step-no-position"),
    pytest.param(HEAD + "steps:\n  - {id: a, lable: A, order: 1, position: {x: 1, y: 1}}\n", 6, 13, "did you mean 'label'", id="step-typo"),
    pytest.param(HEAD + "steps:\n  - {id: A B, label: A, order: 1, position: {x: 1, y: 1}}\n", 6, 10, "not a valid id", id="step-slug"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: first, position: {x: 1, y: 1}}\n", 6, 30, "'order' must be a whole number", id="order-text"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, kind: organn, position: {x: 1, y: 1}}\n", 6, 39, "did you mean 'organ'", id="kind-typo"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: 101, y: 1}}\n", 6, 47, "outside the figure: 101", id="x-too-big"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: 1, y: -5}}\n", 6, 53, "outside the figure: -5", id="y-negative"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: left, y: 1}}\n", 6, 47, "'x' must be a number", id="x-text"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: 1}}\n", 6, 43, "missing the required field 'y'", id="no-y"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: [1, 2]}\n", 6, 43, "must be a mapping", id="position-list"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: 1, y: 1}}\n  - {id: a, label: B, order: 2, position: {x: 1, y: 1}}\n", 7, 10, "duplicate step id 'a' (first used at line 6)", id="duplicate-step"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: invasion, to: intravasaton}\n", 9, 26, "did you mean 'intravasation'", id="link-to-typo"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: nowhere, to: invasion}\n", 9, 12, "the link's 'from' names no step: 'nowhere'", id="link-from-missing"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: invasion, to: invasion}\n", 9, 5, "joins the step 'invasion' to itself", id="self-link"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: invasion, to: intravasation}\n  - {from: invasion, to: intravasation}\n", 10, 5, "duplicate link", id="duplicate-link"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: invasion}\n", 9, 5, "missing the required field 'to'", id="link-no-to"),
    pytest.param(HEAD + TWO_STEPS + "links:\n  - {from: invasion, to: intravasation, kind: Blood Route}\n", 9, 47, "not a valid id", id="link-kind-slug"),
    pytest.param(HEAD + "steps:\n  - {id: a, label: A, order: 1, position: {x: 1, y: 1}, source: {document: qa}}\n", 6, 76, "this file has no 'sources'", id="step-cites-undeclared"),
]
# fmt: on


@pytest.mark.parametrize(("text", "line", "column", "fragment"), MALFORMED)
def test_malformed_diagram_is_reported_where_it_is(
    text: str, line: int, column: int | None, fragment: str
) -> None:
    problems = problems_of(text)
    matching = [p for p in problems if fragment in f"{p.message} ({p.hint})"]
    assert matching, "\n".join(str(p) for p in problems)
    assert matching[0].line == line, str(matching[0])
    if column is not None:
        assert matching[0].column == column, str(matching[0])


# --- roles and accounts ----------------------------------------------------------------

ACCOUNTS = (
    HEAD
    + TWO_STEPS
    + """\
accounts:
  - id: short
    title: The short account
    stages:
      - {step: intravasation, name: Getting into a vessel}
      - {step: invasion}
"""
)


def test_accounts_keep_their_own_order_and_names() -> None:
    diagram = parse_diagram(ACCOUNTS, "cascade.diagram.yaml")
    assert isinstance(diagram, Diagram)
    (account,) = diagram.accounts
    assert diagram.account("short") is account
    assert [(s.step, s.name) for s in account.stages] == [
        ("intravasation", "Getting into a vessel"),
        ("invasion", "Invasion"),  # the step's label when the account gives no name
    ]
    assert account.place_of("invasion") == (2, account.stages[1])
    assert account.place_of("elsewhere") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("{step: invasion}", "{step: invasoin}"), "names no step: 'invasoin' (did you mean"),
        (("{step: invasion}", "{step: intravasation}"), "is already a stage of this account"),
        (("stages:\n", "stages: []\n"), "an account needs at least one stage"),
        (("id: short", "id: Short One"), "'id' is not a valid id"),
    ],
)
def test_bad_accounts_are_located_errors(change: tuple[str, str], expected: str) -> None:
    old, new = change
    text = ACCOUNTS.replace(old, new, 1)
    if new == "stages: []\n":
        text = text.split("stages: []\n")[0] + "stages: []\n"
    messages = [str(problem) for problem in problems_of(text)]
    assert any(expected in message for message in messages), messages
    assert all(message.startswith("cascade.diagram.yaml:") for message in messages)


def test_a_step_can_be_given_a_role_but_not_a_route_or_an_organ() -> None:
    text = HEAD + TWO_STEPS.replace("order: 2,", "order: 2, role: terminal,")
    diagram = parse_diagram(text, "cascade.diagram.yaml")
    assert isinstance(diagram, Diagram)
    assert diagram.steps[1].role == "terminal" and diagram.steps[0].role is None
    (problem,) = problems_of(HEAD + TWO_STEPS.replace("order: 2,", "order: 2, role: termnal,"))
    assert "'termnal' is not a role" in str(problem) and "did you mean 'terminal'" in str(problem)
    (problem,) = problems_of(HEAD + TWO_STEPS.replace("order: 2,", "order: 2, role: route,"))
    assert "kind: route" in str(problem)
    (problem,) = problems_of(
        HEAD + TWO_STEPS.replace("order: 2,", "order: 2, kind: organ, role: settle,")
    )
    assert "a step of kind 'organ' cannot be given a role" in str(problem)
