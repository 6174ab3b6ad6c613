"""The JSON Schemas in resources/schema/ stay in step with the loader and the format docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Diagram, DiagramContent, SequenceContent
from metaflash.core.diagrams.loader import parse_diagram
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir, resources_dir

SCHEMA_DIR = resources_dir() / "schema"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"
EXAMPLE = re.compile(r"<!-- example-file: (?P<name>\S+) -->\n```yaml\n(?P<text>.*?)```", re.DOTALL)
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$", re.MULTILINE)


def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_errors(text: str, kind: str) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(yaml.safe_load(text))]


def kind_of(text: str) -> str:
    data = yaml.safe_load(text)
    return "diagram" if isinstance(data, dict) and data.get("kind") == "diagram" else "deck"


def examples() -> dict[str, str]:
    found = {m.group("name"): m.group("text") for m in EXAMPLE.finditer(DOCS.read_text("utf-8"))}
    assert set(found) == {"stages.yaml", "cascade.diagram.yaml"}, sorted(found)
    return found


@pytest.mark.parametrize("kind", ["deck", "diagram"])
def test_schemas_are_valid_draft_2020_12(kind: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_diagram_schema_shares_the_citation_rules_of_the_deck_schema() -> None:
    deck = json.loads((SCHEMA_DIR / "deck.schema.json").read_text(encoding="utf-8"))
    diagram = json.loads((SCHEMA_DIR / "diagram.schema.json").read_text(encoding="utf-8"))
    for name in ("slug", "text", "sourceDocument", "citation", "source"):
        assert diagram["$defs"][name] == deck["$defs"][name], name


def test_the_docs_complete_example_loads_and_matches_the_schema(tmp_path: Path) -> None:
    for name, text in examples().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert schema_errors(text, kind_of(text)) == [], name
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "vessel.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    top = tmp_path / "elsewhere" / "top.yaml"
    top.parent.mkdir()
    top.write_text("format: 1\nid: metastasis\ntitle: Metastasis\ncards: []\n")
    library = load_library([tmp_path / "stages.yaml"], known_decks=load_library([top]).decks)
    assert [str(p) for p in library.problems] == []
    (deck,) = library.decks
    types = {card.type.value for card in deck.cards}
    assert types == {"basic", "reverse", "cloze", "sequence", "diagram"}
    assert all(card.stage is not None for card in deck.cards[:3])
    assert len(library.diagrams) == 1
    (where,) = [card for card in deck.cards if isinstance(card.content, DiagramContent)]
    assert where.content.answer_label == "Extravasation"  # the step's label, from the diagram
    (order,) = [card for card in deck.cards if isinstance(card.content, SequenceContent)]
    assert order.content.stages == (
        "local-invasion",
        "intravasation",
        "circulation",
        "extravasation",
        "colonisation",
    )


def bundled_files() -> list[Path]:
    folder = bundled_decks_dir()
    files = sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml"))
    if not files:
        pytest.fail(f"no bundled decks in {folder}: the decks/ folder is empty")
    return files


def test_every_bundled_file_matches_its_schema() -> None:
    files = bundled_files()
    kinds = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        kind = kind_of(text)
        kinds.add(kind)
        assert schema_errors(text, kind) == [], path
    assert kinds == {"deck", "diagram"}, "the bundled decks need at least a deck and a diagram"


def test_every_bundled_schema_line_points_at_the_right_schema() -> None:
    for path in bundled_files():
        text = path.read_text(encoding="utf-8")
        line = SCHEMA_LINE.search(text)
        assert line is not None, f"{path} has no '# yaml-language-server: $schema=' line"
        target = (path.parent / line.group("path")).resolve()
        assert target == (SCHEMA_DIR / f"{kind_of(text)}.schema.json").resolve(), path


HEAD = "format: 1\nid: deck\ntitle: T\n"
DIAGRAM_HEAD = "format: 1\nkind: diagram\nid: d\ntitle: T\n"
STEP = "{id: a, label: A, order: 1, position: {x: 1, y: 1}}"

# (text, kind): each is wrong for the loader and for the schema alike
# fmt: off
REJECTED_BY_BOTH = [
    pytest.param(HEAD + "cards: []\nextra: 1\n", "deck", id="unknown-deck-field"),
    pytest.param("format: 2\nid: deck\ntitle: T\ncards: []\n", "deck", id="newer-format"),
    pytest.param("format: 1\nid: Deck\ntitle: T\ncards: []\n", "deck", id="bad-slug"),
    pytest.param("format: 1\nid: deck\ncards: []\n", "deck", id="no-title"),
    pytest.param(HEAD + "cards: []\nlicence: a\nlicense: b\n", "deck", id="both-licences"),
    pytest.param(HEAD + "version: 1.0\ncards: []\n", "deck", id="unquoted-version"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q}\n", "deck", id="no-back"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: 12}\n", "deck", id="number-back"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: yes}\n", "deck", id="boolean-back"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: ' ', back: A}\n", "deck", id="blank-front"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, text: T}\n", "deck", id="field-of-another-type"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: flip, front: Q, back: A}\n", "deck", id="unknown-type"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: sequence, prompt: P, steps: [one]}\n", "deck", id="one-step"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: sequence, prompt: P, steps: [x, x]}\n", "deck", id="repeated-step"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: cloze, front: Q}\n", "deck", id="cloze-without-text"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: diagram, question: Where}\n", "deck", id="diagram-without-answer"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: diagram, answer: liver}\n", "deck", id="diagram-without-question"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: diagram, question: Where, answer: The Liver}\n", "deck", id="diagram-answer-not-an-id"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: diagram, question: Where, answer: liver, front: Q}\n", "deck", id="diagram-with-front"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, front: Where, back: A, answer: liver}\n", "deck", id="answer-on-basic"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, front: Where, back: A, stages: [a, b]}\n", "deck", id="stages-on-basic"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: sequence, prompt: P, steps: [x, y], stages: [null, null]}\n", "deck", id="stages-all-null"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: sequence, prompt: P, steps: [x, y], stages: [A B, c]}\n", "deck", id="stages-item-not-an-id"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, tags: [two words]}\n", "deck", id="tag-with-space"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, image: ../x.png}\n", "deck", id="image-outside"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, image: /x.png}\n", "deck", id="image-absolute"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, image: x.txt}\n", "deck", id="image-suffix"),
    pytest.param(HEAD + "sources: [{id: qa}]\ncards: []\n", "deck", id="source-without-title"),
    pytest.param(HEAD + "sources: [{id: qa, title: Q}]\ncards:\n  - {id: a, front: Q, back: A, source: {document: qa, page: 1}}\n", "deck", id="citation-field"),
    pytest.param(HEAD + "sources: [{id: qa, title: Q}]\ncards:\n  - {id: a, front: Q, back: A, source: []}\n", "deck", id="empty-citations"),
    pytest.param(DIAGRAM_HEAD + "steps: []\n", "diagram", id="no-steps"),
    pytest.param("format: 1\nid: d\ntitle: T\nsteps: [" + STEP + "]\n", "diagram", id="no-kind"),
    pytest.param(DIAGRAM_HEAD + "steps: [{id: a, label: A, order: 1}]\n", "diagram", id="no-position"),
    pytest.param(DIAGRAM_HEAD + "steps: [{id: a, label: A, order: 1, position: {x: 120, y: 1}}]\n", "diagram", id="x-outside"),
    pytest.param(DIAGRAM_HEAD + "steps: [{id: a, label: A, order: 1.5, position: {x: 1, y: 1}}]\n", "diagram", id="order-not-whole"),
    pytest.param(DIAGRAM_HEAD + "steps: [{id: a, label: A, order: 1, kind: vein, position: {x: 1, y: 1}}]\n", "diagram", id="step-kind"),
    pytest.param(DIAGRAM_HEAD + "steps: [" + STEP + "]\nlinks: [{from: a}]\n", "diagram", id="link-without-to"),
]
# fmt: on


@pytest.mark.parametrize(("text", "kind"), REJECTED_BY_BOTH)
def test_bad_input_is_rejected_by_the_loader_and_the_schema(text: str, kind: str) -> None:
    assert schema_errors(text, kind), "the schema accepts it"
    parse = parse_deck if kind == "deck" else parse_diagram
    result = parse(text, f"bad.{kind}.yaml")
    assert isinstance(result, tuple), "the loader accepts it"


# the loader also checks what a schema cannot see
# fmt: off
LOADER_ONLY = [
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A}\n  - {id: a, front: Q, back: A}\n", id="duplicate-card-id"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: cloze, text: 'no gap'}\n", id="cloze-without-gap"),
    pytest.param(HEAD + "cards:\n  - {id: a, front: Q, back: A, front: R}\n", id="duplicate-key"),
    pytest.param(HEAD + "diagram: d.diagram.yaml\ncards:\n  - {id: a, type: sequence, prompt: P, steps: [x, y, z], stages: [a, b]}\n", id="stages-not-one-per-step"),
    pytest.param(HEAD + "cards:\n  - {id: a, type: diagram, question: Where, answer: liver}\n", id="diagram-card-without-diagram"),
    pytest.param(HEAD + "sources: [{id: qa, title: Q}]\ncards:\n  - {id: a, front: Q, back: A, source: {document: q}}\n", id="undeclared-source"),
]
# fmt: on


@pytest.mark.parametrize("text", LOADER_ONLY)
def test_the_loader_catches_what_the_schema_cannot(text: str) -> None:
    assert isinstance(parse_deck(text, "bad.yaml"), tuple)


def test_the_schema_and_the_loader_accept_the_same_valid_deck() -> None:
    from tests.core.test_deck_loader import FULL

    assert schema_errors(FULL, "deck") == []
    assert not isinstance(parse_deck(FULL, "/d/deck.yaml"), tuple)
    from tests.core.test_deck_loader_diagram import VALID

    assert schema_errors(VALID, "diagram") == []
    assert isinstance(parse_diagram(VALID, "/d/x.diagram.yaml"), Diagram)
    from tests.core.test_diagram_cards import DECK

    assert schema_errors(DECK, "deck") == []
    assert not isinstance(parse_deck(DECK, "/d/deck.yaml"), tuple)
