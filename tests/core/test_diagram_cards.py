"""Diagram cards and sequence stages: parsed from YAML, studied as prompts, cued on the diagram."""

from __future__ import annotations

from pathlib import Path

from metaflash.core.decks.loader import parse_deck, read_deck
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    CardType,
    Deck,
    DeckId,
    DiagramContent,
    SequenceContent,
    StepId,
)
from metaflash.core.decks.writer import deck_to_yaml
from metaflash.core.diagrams.cues import DiagramCue, diagram_cue, names_step

DECK = """\
format: 1
id: cascade-deck
title: The cascade
diagram: cascade.diagram.yaml
cards:
  - id: where-cells-leave
    type: diagram
    question: Where do cells cross the vessel wall to *leave* the circulation?
    answer: extravasation
    tags: [where]
  - id: where-with-stage
    type: diagram
    question: Which route carries cells to the sentinel node?
    answer: lymph-route
    stage: sentinel-node
  - id: stages-order
    type: sequence
    prompt: The stages
    steps: [Local invasion, Intravasation, Into the vessel wall, Extravasation]
    stages: [local-invasion, intravasation, null, extravasation]
  - id: plain-order
    type: sequence
    prompt: Plain
    steps: [one, two]
    stage: colonisation
"""


def load(text: str = DECK) -> Deck:
    deck = parse_deck(text, "/decks/deck.yaml")
    assert isinstance(deck, Deck), "\n".join(str(problem) for problem in deck)
    return deck


def test_a_diagram_card_loads_with_its_question_and_answer_step() -> None:
    card = load().cards[0]
    assert card.type is CardType.DIAGRAM
    assert card.content == DiagramContent(
        "Where do cells cross the vessel wall to *leave* the circulation?",
        StepId("extravasation"),
    )
    assert card.stage is None  # as written; its prompt is about the answer step
    assert card.tags == ("where",)


def test_a_diagram_card_is_one_prompt_answered_by_its_step() -> None:
    (prompt,) = load().cards[0].prompts(DeckId("cascade-deck"))
    assert (prompt.variant, prompt.card_type) == ("", CardType.DIAGRAM)
    assert prompt.question.startswith("Where do cells cross")
    assert prompt.answer_step == "extravasation"
    assert prompt.stage == "extravasation"  # counted under its step (mastery, study by step)
    # parsed alone, the label is unknown: the answer falls back to the step id
    assert prompt.answer == "extravasation"


def test_the_answer_is_the_step_label_once_resolved() -> None:
    content = DiagramContent("Where?", StepId("circulation-survival"), "Survival in circulation")
    card = Card(CardId("c"), content)
    (prompt,) = card.prompts(DeckId("d"))
    assert prompt.answer == "Survival in circulation"
    assert prompt.answer_step == "circulation-survival"


def test_an_explicit_stage_wins_over_the_answer_step() -> None:
    (prompt,) = load().cards[1].prompts(DeckId("cascade-deck"))
    assert prompt.stage == "sentinel-node"
    assert prompt.answer_step == "lymph-route"


def test_sequence_stages_are_parallel_to_the_steps_and_reach_every_prompt() -> None:
    card = load().cards[2]
    assert isinstance(card.content, SequenceContent)
    assert card.content.stages == ("local-invasion", "intravasation", None, "extravasation")
    prompts = card.prompts(DeckId("cascade-deck"))
    assert [p.variant for p in prompts] == ["next-1", "next-2", "next-3", "order"]
    assert all(p.step_stages == card.content.stages for p in prompts)
    assert all(p.answer_step is None and p.stage is None for p in prompts)


def test_references_record_where_answers_and_stages_are_written() -> None:
    reading = read_deck(DECK, "/decks/deck.yaml", name="deck.yaml")
    assert not reading.problems
    refs = reading.references
    answer = refs.answers[CardId("where-cells-leave")]
    assert (answer.file, answer.line, answer.column) == ("deck.yaml", 9, 13)
    assert [(loc.line, loc.column) for loc in refs.sequence_stages[CardId("stages-order")]] == [
        (20, 14),
        (20, 30),
        (20, 45),
        (20, 51),
    ]
    assert CardId("plain-order") not in refs.sequence_stages


# --- what the review shows on the diagram ---------------------------------------------------


def test_a_diagram_prompt_highlights_nothing_while_asking_and_asks_for_a_pick() -> None:
    (prompt,) = load().cards[1].prompts(DeckId("cascade-deck"))
    assert diagram_cue(prompt) == DiagramCue(
        asking=None, pick=StepId("lymph-route"), answered=StepId("lymph-route")
    )


def test_a_sequence_prompt_shows_where_it_is_and_then_what_comes_next() -> None:
    deck = load()
    next_1, next_2, next_3, order = deck.cards[2].prompts(deck.id)
    assert diagram_cue(next_1) == DiagramCue(
        StepId("local-invasion"), None, StepId("intravasation")
    )
    # step 3 has no stage (null): nothing to show for it, the card has no stage either
    assert diagram_cue(next_2) == DiagramCue(StepId("intravasation"), None, None)
    assert diagram_cue(next_3) == DiagramCue(None, None, StepId("extravasation"))
    assert diagram_cue(order) == DiagramCue(None, None, None)


def test_other_prompts_show_their_stage_with_the_answer_and_while_asking_only_if_named() -> None:
    deck = load()
    for prompt in deck.cards[3].prompts(deck.id):  # "one, two": the question names no step
        assert diagram_cue(prompt) == DiagramCue(None, None, StepId("colonisation"))
    named = Card(
        CardId("n"),
        BasicContent("What happens during **colonisation**?", "Cells grow."),
        stage=StepId("colonisation"),
    )
    assert diagram_cue(named.prompts(deck.id)[0]) == DiagramCue(
        StepId("colonisation"), None, StepId("colonisation")
    )
    basic = Card(CardId("b"), BasicContent("Q", "A"))
    assert diagram_cue(basic.prompts(deck.id)[0]) == DiagramCue(None, None, None)


def test_a_step_is_named_by_its_label_or_its_id_as_whole_words() -> None:
    step = StepId("secondary-tumour")
    assert names_step("Where does a *secondary tumour* form?", step)
    assert names_step("Secondary-tumour: where?", step)
    assert not names_step("A tumour that arises far away from the primary tumour.", step)
    assert not names_step("What is a secondary tumours' niche?", step)  # not the same words
    assert not names_step("Metastasis is the process in which a […] tumour arises", step)


# --- writing them back ------------------------------------------------------------------------


def test_the_deck_writer_writes_diagram_cards_and_stages_that_load_again(tmp_path: Path) -> None:
    deck = load()
    text = deck_to_yaml(deck, tmp_path / "deck.yaml")
    assert "    answer: extravasation\n" in text
    assert "    stages:\n      - local-invasion\n      - intravasation\n      - null\n" in text
    again = parse_deck(text, tmp_path / "deck.yaml")
    assert isinstance(again, Deck), again
    assert [card.content for card in again.cards] == [card.content for card in deck.cards]
    assert [card.stage for card in again.cards] == [card.stage for card in deck.cards]
