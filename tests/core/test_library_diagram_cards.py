"""Diagram cards and sequence stages across files: checked against the deck's diagram, resolved
to the step's label, dropped when broken; then studied in a real collection."""

from __future__ import annotations

from pathlib import Path

from engine_testing import PARIS_DAY, Clock, open_with

from metaflash.core.collection.reconcile import reconcile
from metaflash.core.decks.model import CardType, DiagramContent, SequenceContent, StepId
from metaflash.core.diagrams.cues import diagram_cue
from metaflash.core.library.snapshot import Library, load_library
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.stats.statistics import step_mastery
from metaflash.core.study.scope import step_scope
from metaflash.core.study.session import ReviewSession

DIAGRAM = """\
format: 1
kind: diagram
id: cascade
title: Cascade
steps:
  - id: invasion
    label: Local invasion
    summary: Cells break through the *basement membrane*.
    order: 1
    position: {x: 10, y: 20}
  - id: intravasation
    label: Intravasation
    order: 2
    position: {x: 30, y: 20}
"""

DECK = """\
format: 1
id: stages
title: Stages
diagram: cascade.diagram.yaml
cards:
  - id: where-first
    type: diagram
    question: Where do cells first break through a barrier?
    answer: invasion
  - id: where-vessel
    type: diagram
    question: At which step do cells enter a vessel?
    answer: intravasation
  - id: order
    type: sequence
    prompt: The first two stages
    steps: [Local invasion, Intravasation]
    stages: [invasion, intravasation]
  - id: plain
    front: Q
    back: A
"""


def write(folder: Path, deck: str = DECK, diagram: str | None = DIAGRAM) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if diagram is not None:
        (folder / "cascade.diagram.yaml").write_text(diagram, encoding="utf-8")
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    return folder


def problems(library: Library) -> list[tuple[str, int, int, str, str]]:
    return [(Path(p.file).name, p.line, p.column, p.message, p.hint) for p in library.problems]


def test_answers_are_resolved_to_the_steps_label_and_summary(tmp_path: Path) -> None:
    library = load_library([write(tmp_path)])
    assert library.problems == ()
    (deck,) = library.decks
    first = deck.cards[0].content
    assert first == DiagramContent(
        "Where do cells first break through a barrier?",
        StepId("invasion"),
        "Local invasion",
        "Cells break through the *basement membrane*.",
    )
    (prompt,) = deck.cards[0].prompts(deck.id)
    assert (prompt.answer, prompt.answer_step, prompt.stage) == (
        "Local invasion",
        "invasion",
        "invasion",
    )
    assert deck.cards[1].content == DiagramContent(
        "At which step do cells enter a vessel?", StepId("intravasation"), "Intravasation", ""
    )
    order = deck.cards[2].content
    assert isinstance(order, SequenceContent) and order.stages == ("invasion", "intravasation")


def test_an_answer_that_is_no_step_is_reported_there_and_its_card_left_out(
    tmp_path: Path,
) -> None:
    text = DECK.replace("answer: intravasation", "answer: intravasaton")
    library = load_library([write(tmp_path, text)])
    assert problems(library) == [
        (
            "deck.yaml",
            13,
            13,
            "the answer 'intravasaton' is not a step of the diagram 'cascade'",
            "did you mean 'intravasation'?",
        )
    ]
    (deck,) = library.decks  # the rest of the deck loads
    assert [card.id for card in deck.cards] == ["where-first", "order", "plain"]


def test_an_answer_far_from_any_step_says_where_the_steps_are(tmp_path: Path) -> None:
    text = DECK.replace("answer: intravasation", "answer: spleen")
    (problem,) = load_library([write(tmp_path, text)]).problems
    assert problem.hint == "the steps of 'cascade' are listed in its file"


def test_a_sequence_stage_that_is_no_step_is_reported_at_its_item(tmp_path: Path) -> None:
    text = DECK.replace("stages: [invasion, intravasation]", "stages: [invasion, intravesation]")
    library = load_library([write(tmp_path, text)])
    assert problems(library) == [
        (
            "deck.yaml",
            18,
            24,
            "the stage 'intravesation' is not a step of the diagram 'cascade'",
            "did you mean 'intravasation'?",
        )
    ]
    order = library.decks[0].cards[2].content
    assert isinstance(order, SequenceContent) and order.stages == ()  # cleared, card kept


def test_a_missing_diagram_leaves_the_diagram_cards_out_and_says_so(tmp_path: Path) -> None:
    library = load_library([write(tmp_path, diagram=None)])
    assert problems(library) == [
        (
            "deck.yaml",
            4,
            10,
            "the diagram file 'cascade.diagram.yaml' does not exist",
            "check the file name; its 2 diagram cards are left out until then",
        )
    ]
    (deck,) = library.decks
    assert deck.diagram is None
    assert [card.id for card in deck.cards] == ["order", "plain"]
    order = deck.cards[0].content
    assert isinstance(order, SequenceContent) and order.stages == ()


def test_a_broken_diagram_leaves_its_one_diagram_card_out(tmp_path: Path) -> None:
    one_card = DECK.replace(
        "  - id: where-vessel\n    type: diagram\n"
        "    question: At which step do cells enter a vessel?\n    answer: intravasation\n",
        "",
    )
    broken = DIAGRAM.replace("    label: Intravasation\n", "")
    library = load_library([write(tmp_path, one_card, broken)])
    assert [(name, message, hint) for name, _, _, message, hint in problems(library)] == [
        ("cascade.diagram.yaml", "a step is missing the required field 'label'", ""),
        (
            "deck.yaml",
            "the diagram 'cascade.diagram.yaml' has 1 error",
            (
                f"fix {tmp_path / 'cascade.diagram.yaml'} first; "
                "its diagram card is left out until then"
            ),
        ),
    ]
    assert [card.id for card in library.decks[0].cards] == ["order", "plain"]


def test_diagram_cards_are_studied_and_counted_under_their_step(tmp_path: Path) -> None:
    """The engine needs no change: a diagram card is one prompt whose stage is its answer."""
    library = load_library([write(tmp_path / "decks")])
    decks = list(library.decks)
    clock = Clock()
    collection = open_with(tmp_path / "data", clock, *decks)
    stored = dict(collection.db.execute("SELECT card_id, stage FROM prompts WHERE variant = ''"))
    assert stored == {"where-first": "invasion", "where-vessel": "intravasation", "plain": None}

    scope = step_scope(decks, StepId("intravasation"))
    session = ReviewSession(collection, decks, scope, PARIS_DAY, clock.now)
    prompt = session.current
    assert prompt is not None
    assert (prompt.card_id, prompt.card_type) == ("where-vessel", CardType.DIAGRAM)
    cue = diagram_cue(prompt)
    assert (cue.asking, cue.pick, cue.answered) == (None, "intravasation", "intravasation")
    session.answer(Rating.GOOD, clock.advance(seconds=8), 8_000)

    mastery = step_mastery(collection, decks, clock.advance(hours=1))
    intravasation = mastery[StepId("intravasation")]
    assert (intravasation.studied, intravasation.total) == (1, 1)
    invasion = mastery[StepId("invasion")]
    assert (invasion.studied, invasion.total) == (0, 1)
    collection.close(clock.now)


def test_a_deck_whose_only_diagram_card_is_left_out_keeps_its_progress(tmp_path: Path) -> None:
    """A card left out while the diagram is broken is retired, and comes back with its
    history once the diagram loads again."""
    folder = write(tmp_path / "decks")
    clock = Clock()
    decks = list(load_library([folder]).decks)
    collection = open_with(tmp_path / "data", clock, *decks)
    scope = step_scope(decks, StepId("invasion"))
    session = ReviewSession(collection, decks, scope, PARIS_DAY, clock.now)
    assert session.current is not None and session.current.card_id == "where-first"
    session.answer(Rating.EASY, clock.advance(seconds=5), 5_000)

    (folder / "cascade.diagram.yaml").unlink()
    (without,) = load_library([folder]).decks
    assert reconcile(collection, without, clock.now).retired == 2  # both diagram cards
    (folder / "cascade.diagram.yaml").write_text(DIAGRAM, encoding="utf-8")
    (again,) = load_library([folder]).decks
    assert reconcile(collection, again, clock.now).restored == 2
    row = collection.db.execute(
        "SELECT phase FROM prompts WHERE card_id = 'where-first'"
    ).fetchone()
    assert row is not None and row[0] != 0  # still studied, not new again
    collection.close(clock.now)
