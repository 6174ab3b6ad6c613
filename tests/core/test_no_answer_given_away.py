"""The review's question side never gives the answer away: walked over every prompt of the
bundled decks, the diagram highlights a step while asking only when the question names it."""

from __future__ import annotations

from metaflash.core.decks.markdown import plain_text
from metaflash.core.decks.model import CardType, StepId
from metaflash.core.diagrams.cues import diagram_cue
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir


def test_no_bundled_prompt_shows_a_step_its_question_does_not_name() -> None:
    library = load_library([bundled_decks_dir()])
    assert not [p for p in library.problems if p.severity == "error"]
    asked = hidden = 0
    for deck in library.decks:
        diagram = library.diagram_of(deck)
        if diagram is None:
            continue
        for prompt in deck.prompts():
            cue = diagram_cue(prompt, diagram)
            question = plain_text(prompt.question).casefold()
            if prompt.card_type is CardType.DIAGRAM:
                assert cue.asking is None  # the student picks the step: nothing is shown
                continue
            if cue.answered is not None and cue.asking is None:
                hidden += 1
            if cue.asking is None:
                continue
            asked += 1
            step = diagram.step(cue.asking)
            assert step is not None
            named = step.label.casefold() in question or (cue.asking.replace("-", " ") in question)
            assert named, (deck.id, prompt.card_id, prompt.variant, step.label, prompt.question)
    assert asked > 10 and hidden > 10  # both kinds occur in the bundled decks


def test_the_cards_the_issue_names_ask_without_their_step() -> None:
    library = load_library([bundled_decks_dir()])
    secondary = StepId("secondary-tumour")
    found = [
        (deck, prompt)
        for deck in library.decks
        for prompt in deck.prompts()
        if prompt.stage == secondary and "secondary" not in prompt.question.casefold()
    ]
    assert found
    for deck, prompt in found:
        cue = diagram_cue(prompt, library.diagram_of(deck))
        assert cue.asking is None and cue.answered == secondary
