"""Diagram files (``kind: diagram``) to :class:`~metaflash.core.decks.model.Diagram` values.

Like :func:`metaflash.core.decks.loader.parse_deck`, :func:`parse_diagram` is pure and collects
every problem: unknown or missing fields, bad ids, duplicate steps, links to steps that do not
exist, positions outside the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Final

from metaflash.core.decks.citations import Declared, read_citations, read_sources
from metaflash.core.decks.model import (
    AUTHORED_ROLES,
    AccountStage,
    Diagram,
    DiagramAccount,
    DiagramLink,
    DiagramStep,
    Point,
    Problem,
    StepId,
    StepKind,
    StepRole,
)
from metaflash.core.decks.yaml_fields import (
    Entries,
    FieldReader,
    TooMuchExpansion,
    declared_kind,
    suggest,
)
from metaflash.core.decks.yaml_source import Document, Node, compose

DIAGRAM_KEYS: Final = frozenset(
    {"format", "kind", "id", "title", "description", "sources", "steps", "links", "accounts"}
)
DIAGRAM_REQUIRED: Final = ("kind", "id", "title", "steps")
STEP_KEYS: Final = frozenset(
    {"id", "label", "summary", "order", "kind", "position", "source", "role"}
)
ACCOUNT_KEYS: Final = frozenset({"id", "title", "source", "stages"})
STAGE_KEYS: Final = frozenset({"step", "name"})
STEP_ROLES: Final = tuple(role.value for role in AUTHORED_ROLES)
STEP_REQUIRED: Final = ("id", "label", "order", "position")
LINK_KEYS: Final = frozenset({"from", "to", "kind", "label"})
POSITION_KEYS: Final = frozenset({"x", "y"})
STEP_KINDS: Final = tuple(kind.value for kind in StepKind)


@dataclass(frozen=True, slots=True)
class DiagramReading:
    """The outcome of reading one diagram file: ``diagram`` is ``None`` when it has errors."""

    diagram: Diagram | None
    problems: tuple[Problem, ...]


def parse_diagram(text: str | bytes, path: str | PathLike[str]) -> Diagram | tuple[Problem, ...]:
    """The diagram in ``text`` (read from ``path``), or every problem found in it."""
    reading = read_diagram(text, path)
    return reading.diagram if reading.diagram is not None else reading.problems


def read_diagram(
    text: str | bytes, path: str | PathLike[str], *, name: str | None = None
) -> DiagramReading:
    document = compose(text, name if name is not None else str(path))
    if isinstance(document, Problem):
        return DiagramReading(None, (document,))
    return diagram_from_document(document, Path(path))


def diagram_from_document(document: Document, path: Path) -> DiagramReading:
    if document.root is None:
        return DiagramReading(None, document.problems)
    reader = FieldReader(document)
    try:
        diagram = _DiagramBuilder(reader, path).build(document.root)
    except TooMuchExpansion as stop:
        reader.error(
            stop.node,
            "aliases (*name) repeat so much of this file that it would take too long to check",
            "write the repeated values out, or use far fewer aliases",
        )
        diagram = None
    problems = reader.sorted_problems()
    return DiagramReading(None if problems else diagram, problems)


class _DiagramBuilder:
    def __init__(self, reader: FieldReader, path: Path) -> None:
        self.reader = reader
        self.path = path
        self.step_ids: set[str] = set()  # every well-formed step id, even of a broken step

    def build(self, root: Node) -> Diagram | None:
        reader = self.reader
        entries = reader.fields(
            root,
            "the diagram",
            DIAGRAM_KEYS,
            DIAGRAM_REQUIRED,
            example="'format: 1' and 'kind: diagram' lines",
        )
        if entries is None:
            return None
        kind = declared_kind(reader, entries)
        if kind == "deck":
            reader.discard_field_problems()
            what = "a deck" if "cards" in entries else "not a diagram"
            reader.error(
                entries["kind"][1] if "kind" in entries else root,
                f"this file is {what}: diagram files declare 'kind: diagram'",
                "add 'kind: diagram' after 'format: 1'"
                if "cards" not in entries
                else "open it as a deck",
            )
            return None
        if not reader.format_version(entries, root):
            problem = reader.problems[-1]
            reader.discard_field_problems()
            reader.problems.append(problem)
            return None

        diagram_id = reader.slug(entries["id"][1], "id") if "id" in entries else None
        title = reader.text(entries["title"][1], "title") if "title" in entries else None
        description = ""
        if "description" in entries:
            description = reader.text(entries["description"][1], "description", empty_ok=True) or ""
        sources, declared = (
            read_sources(reader, entries["sources"][1]) if "sources" in entries else ((), {})
        )
        steps = self._steps(entries["steps"][1], declared) if "steps" in entries else ()
        links = self._links(entries["links"][1]) if "links" in entries else ()
        accounts = (
            self._accounts(entries["accounts"][1], declared, steps) if "accounts" in entries else ()
        )
        if reader.problems or diagram_id is None or title is None:
            return None
        return Diagram(
            diagram_id,
            title,
            steps,
            links,
            description=description,
            sources=sources,
            path=self.path,
            location=reader.location(root),
            accounts=accounts,
        )

    def _steps(self, node: Node, sources: Declared) -> tuple[DiagramStep, ...]:
        reader = self.reader
        items = reader.items(node, "steps", example="- {id: local-invasion, label: ...}")
        if items is None:
            return ()
        if not items:
            reader.error(node, "a diagram needs at least one step", "list its steps under 'steps:'")
            return ()
        steps: list[DiagramStep] = []
        first_line: dict[str, int] = {}
        for item in items:
            entries = reader.fields(item, "a step", STEP_KEYS, STEP_REQUIRED)
            if entries is None:
                continue
            step_id = None
            if "id" in entries:
                id_node = entries["id"][1]
                step_id = reader.slug(id_node, "id")
                if step_id is not None and step_id in first_line:
                    reader.error(
                        id_node,
                        f"duplicate step id '{step_id}' (first used at line {first_line[step_id]})",
                        "every step needs its own id: cards name steps by id",
                    )
                    step_id = None
                elif step_id is not None:
                    first_line[step_id] = id_node.line + 1
                    self.step_ids.add(step_id)
            step = self._step(entries, step_id, sources, item)
            if step is not None:
                steps.append(step)
        return tuple(steps)

    def _step(
        self, entries: Entries, step_id: str | None, sources: Declared, node: Node
    ) -> DiagramStep | None:
        reader = self.reader
        label = reader.text(entries["label"][1], "label") if "label" in entries else None
        summary = ""
        if "summary" in entries:
            summary = reader.text(entries["summary"][1], "summary", empty_ok=True) or ""
        order = reader.integer(entries["order"][1], "order") if "order" in entries else None
        kind: StepKind | None = StepKind.STEP
        if "kind" in entries:
            kind = self._step_kind(entries["kind"][1])
        position = self._position(entries["position"][1]) if "position" in entries else None
        refs = read_citations(reader, entries["source"][1], sources) if "source" in entries else ()
        role = self._role(entries["role"][1], kind) if "role" in entries else None
        if step_id is None or label is None or order is None or kind is None or position is None:
            return None
        return DiagramStep(
            StepId(step_id),
            label,
            summary,
            order,
            kind,
            position,
            refs,
            reader.location(node),
            role,
        )

    def _role(self, node: Node, kind: StepKind | None) -> StepRole | None:
        reader = self.reader
        value = reader.text(node, "role")
        if value is None:
            return None
        if value not in STEP_ROLES:
            hint = suggest(value, STEP_ROLES) or f"use one of: {', '.join(STEP_ROLES)}"
            if value in (StepRole.ROUTE, StepRole.ORGAN):
                hint = f"a {value} is a step of 'kind: {value}'"
            reader.error(node, f"'{value}' is not a role a step can be given", hint)
            return None
        if kind in (StepKind.ROUTE, StepKind.ORGAN):
            reader.error(
                node,
                f"a step of kind '{kind}' cannot be given a role",
                "remove 'role', or make the step 'kind: step'",
            )
            return None
        return StepRole(value)

    def _step_kind(self, node: Node) -> StepKind | None:
        value = self.reader.text(node, "kind")
        if value is None:
            return None
        if value not in STEP_KINDS:
            hint = suggest(value, STEP_KINDS) or f"use one of: {', '.join(STEP_KINDS)}"
            self.reader.error(node, f"unknown step kind '{value}'", hint)
            return None
        return StepKind(value)

    def _position(self, node: Node) -> Point | None:
        reader = self.reader
        entries = reader.fields(
            node, "'position'", POSITION_KEYS, ("x", "y"), example="position: {x: 20, y: 50}"
        )
        if entries is None or "x" not in entries or "y" not in entries:
            return None
        values: list[float] = []
        for axis in ("x", "y"):
            axis_node = entries[axis][1]
            value = reader.number(axis_node, axis)
            if value is None:
                continue
            if not 0 <= value <= 100:
                reader.error(
                    axis_node,
                    f"'{axis}' is outside the figure: {value:g}",
                    "positions run from 0 (left, top) to 100 (right, bottom)",
                )
                continue
            values.append(value)
        return Point(values[0], values[1]) if len(values) == 2 else None

    def _accounts(
        self, node: Node, sources: Declared, steps: tuple[DiagramStep, ...]
    ) -> tuple[DiagramAccount, ...]:
        """How each source tells the pathway: its stages, in its order, on the figure's steps."""
        reader = self.reader
        example = "- {id: qa, title: The Q&A's stages, stages: [...]}"
        items = reader.items(node, "accounts", example=example)
        if items is None:
            return ()
        labels = {step.id: step.label for step in steps}
        accounts: list[DiagramAccount] = []
        first_line: dict[str, int] = {}
        for item in items:
            entries = reader.fields(item, "an account", ACCOUNT_KEYS, ("id", "title", "stages"))
            if entries is None:
                continue
            account_id = reader.slug(entries["id"][1], "id") if "id" in entries else None
            if account_id is not None and account_id in first_line:
                reader.error(
                    entries["id"][1],
                    f"duplicate account id '{account_id}' (first used at line "
                    f"{first_line[account_id]})",
                    "give each account its own id",
                )
                account_id = None
            elif account_id is not None:
                first_line[account_id] = entries["id"][1].line + 1
            title = reader.text(entries["title"][1], "title") if "title" in entries else None
            refs = (
                read_citations(reader, entries["source"][1], sources) if "source" in entries else ()
            )
            stages = self._stages(entries["stages"][1], labels) if "stages" in entries else None
            if account_id is not None and title is not None and stages is not None:
                accounts.append(
                    DiagramAccount(account_id, title, stages, refs, reader.location(item))
                )
        return tuple(accounts)

    def _stages(self, node: Node, labels: dict[StepId, str]) -> tuple[AccountStage, ...] | None:
        reader = self.reader
        items = reader.items(node, "stages", example="- {step: local-invasion, name: ...}")
        if items is None:
            return None
        if not items:
            reader.error(node, "an account needs at least one stage", "list them under 'stages:'")
            return None
        stages: list[AccountStage] = []
        seen: dict[str, int] = {}
        for item in items:
            entries = reader.fields(item, "a stage", STAGE_KEYS, ("step",))
            if entries is None or "step" not in entries:
                continue
            step_node = entries["step"][1]
            step = reader.slug(step_node, "step")
            name = reader.text(entries["name"][1], "name") if "name" in entries else ""
            if step is None or name is None:
                continue
            if step not in self.step_ids:
                hint = suggest(step, self.step_ids) or "name one of the steps under 'steps:'"
                reader.error(step_node, f"the stage's 'step' names no step: '{step}'", hint)
                continue
            if step in seen:
                reader.error(
                    step_node,
                    f"the step '{step}' is already a stage of this account (line {seen[step]})",
                    "map each step once; give the stage a name that covers both",
                )
                continue
            seen[step] = step_node.line + 1
            stages.append(AccountStage(StepId(step), name or labels.get(StepId(step), step)))
        return tuple(stages) if len(stages) == len(items) else None

    def _links(self, node: Node) -> tuple[DiagramLink, ...]:
        reader = self.reader
        items = reader.items(node, "links", example="- {from: intravasation, to: circulation}")
        if items is None:
            return ()
        known = self.step_ids
        links: list[DiagramLink] = []
        first_line: dict[tuple[str, str, str], int] = {}
        for item in items:
            entries = reader.fields(item, "a link", LINK_KEYS, ("from", "to"))
            if entries is None or "from" not in entries or "to" not in entries:
                continue
            ends: list[StepId] = []
            for end in ("from", "to"):
                end_node = entries[end][1]
                value = reader.slug(end_node, end)
                if value is None:
                    continue
                if value not in known:
                    hint = suggest(value, known) or "link two of the steps listed under 'steps:'"
                    reader.error(end_node, f"the link's '{end}' names no step: '{value}'", hint)
                    continue
                ends.append(StepId(value))
            kind = reader.slug(entries["kind"][1], "kind") if "kind" in entries else "next"
            label = ""
            if "label" in entries:
                label = reader.text(entries["label"][1], "label", empty_ok=True) or ""
            if len(ends) != 2 or kind is None:
                continue
            if ends[0] == ends[1]:
                reader.error(item, f"the link joins the step '{ends[0]}' to itself")
                continue
            key = (ends[0], ends[1], kind)
            if key in first_line:
                reader.error(
                    item,
                    f"duplicate link from '{ends[0]}' to '{ends[1]}' (first at line "
                    f"{first_line[key]})",
                    "remove one of them",
                )
                continue
            first_line[key] = item.line + 1
            links.append(DiagramLink(ends[0], ends[1], kind, label, reader.location(item)))
        return tuple(links)
