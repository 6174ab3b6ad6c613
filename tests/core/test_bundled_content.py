"""The bundled decks and their diagram, read as an educator would: the diagram's links follow
the documents, and every step of the figure is taught by a card."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from metaflash.core.decks.model import CardId, DiagramContent, SequenceContent, StepId, StepRole
from metaflash.core.diagrams.layout import layout_diagram
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir
from tests.core.seed_grams import document_hashes, runs, stored_hashes

LIBRARY = load_library([bundled_decks_dir()])
DIAGRAM = LIBRARY.diagrams[0]
LINKS = {(link.source, link.target) for link in DIAGRAM.links}


def test_the_bundled_library_loads_without_a_problem() -> None:
    assert LIBRARY.problems == ()


def test_the_lymph_route_reaches_the_sentinel_node_first() -> None:
    assert ("lymph-route", "sentinel-node") in LINKS
    assert ("sentinel-node", "lymph-nodes") in LINKS
    assert ("lymph-route", "lymph-nodes") not in LINKS  # the sentinel node is the first


def test_organs_are_reached_by_the_cells_not_from_a_secondary_tumour() -> None:
    organs = {step.id for step in DIAGRAM.steps if step.kind == "organ"} - {
        "sentinel-node",
        "lymph-nodes",
    }
    assert organs == {"lungs", "liver", "bone"}
    for source, target in LINKS:
        if target in organs:
            # neither document has metastases spreading on from a metastasis
            assert source in {"colonisation", "blood-route", "extravasation"}, (source, target)


def test_every_step_of_the_figure_is_taught() -> None:
    taught: set[StepId] = set()
    for deck in LIBRARY.decks:
        for card in deck.cards:
            if card.diagram_step is not None:
                taught.add(card.diagram_step)
            if isinstance(card.content, DiagramContent):
                taught.add(card.content.answer)
            if isinstance(card.content, SequenceContent):
                taught.update(stage for stage in card.content.stages if stage is not None)
    missing = {step.id for step in DIAGRAM.steps} - taught
    assert not missing, f"no card teaches {sorted(missing)}"


def test_the_documents_hedges_are_kept() -> None:
    """Where the Q&A says cells 'can be attacked' and clusters 'can help', no card or step
    says that they are or do."""
    texts = [step.summary for step in DIAGRAM.steps]
    for deck in LIBRARY.decks:
        for card in deck.cards:
            texts.append(str(card.content))
    joined = " ".join(" ".join(text.split()) for text in texts).lower()
    for overstated in ("immune cells attack", "which help them", "which helps them"):
        assert overstated not in joined, overstated


def test_no_card_asks_a_yes_or_no_question() -> None:
    openers = ("is ", "are ", "can ", "does ", "do ", "will ", "has ", "have ")
    for deck in LIBRARY.decks:
        for card in deck.cards:
            front = getattr(card.content, "front", "") or getattr(card.content, "question", "")
            assert not front.lower().startswith(openers), (deck.id, card.id, front)


def test_the_secondary_tumour_exists_before_it_needs_a_blood_supply() -> None:
    # the Q&A forms the secondary tumour at colonisation; the study note's new tumour then
    # needs a blood supply (angiogenesis) to continue to grow
    assert ("colonisation", "secondary-tumour") in LINKS
    assert ("secondary-tumour", "angiogenesis") in LINKS
    assert ("angiogenesis", "secondary-tumour") not in LINKS
    journey = [step.id for step in DIAGRAM.ordered_steps()]
    assert journey.index("colonisation") < journey.index("secondary-tumour")
    assert journey.index("secondary-tumour") < journey.index("angiogenesis")
    layout = layout_diagram(DIAGRAM, 1200, 700)
    assert layout.placed(StepId("secondary-tumour")).role is StepRole.TERMINAL
    assert layout.placed(StepId("angiogenesis")).role is StepRole.GROWTH


def sequence(card_id: str) -> tuple[StepId | None, ...]:
    for deck in LIBRARY.decks:
        card = deck.card(CardId(card_id))
        if card is not None:
            assert isinstance(card.content, SequenceContent)
            return card.content.stages
    raise AssertionError(f"no card {card_id}")


def test_one_mapping_of_the_two_accounts_in_the_figure_and_the_order_cards() -> None:
    qa, note = DIAGRAM.account("qa-stages"), DIAGRAM.account("study-note-steps")
    assert qa is not None and note is not None
    assert tuple(stage.step for stage in qa.stages) == sequence("five-stages-order")
    assert tuple(stage.step for stage in note.stages) == sequence("multistep-order")
    # shedding and angiogenesis: the study note's own steps, with no Q&A stage
    assert {s.step for s in note.stages} - {s.step for s in qa.stages} == {
        "detachment",
        "angiogenesis",
    }
    for account, document in ((qa, "qa"), (note, "explained")):
        for stage in account.stages:
            step = DIAGRAM.step(stage.step)
            assert step is not None
            assert any(ref.document == document for ref in step.sources), (account.id, step.id)


def test_every_step_says_which_account_it_comes_from() -> None:
    for step in DIAGRAM.steps:
        assert re.search(r"\((both accounts|study note|the Q&A)[^)]*\)", step.summary), step.id


def test_retired_cards_are_listed_in_their_deck_and_name_cards_that_stay() -> None:
    ids = {card.id for deck in LIBRARY.decks for card in deck.cards}
    for deck in LIBRARY.decks:
        assert deck.path is not None
        header = deck.path.read_text(encoding="utf-8").split("\nformat:")[0]
        if "Retired" not in header:
            continue
        text = " ".join(line.lstrip("# ") for line in header.splitlines())
        for into in re.findall(r"\(into ([a-z0-9-]+)", text):
            assert into in ids, f"{deck.path.name}: {into} is named as kept but is not a card"
        for gone in re.findall(r"([a-z0-9-]+) \(into ", text):
            assert gone not in ids, f"{deck.path.name}: {gone} is listed as retired"


SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
#: The Q&A's five stage names listed in order: a list of names, not a copied sentence.
STAGE_NAMES = {"local", "invasion", "intravasation", "survival", "in", "circulation"} | {
    "extravasation",
    "colonisation",
}


def texts_of_the_content() -> Iterable[tuple[str, str]]:
    for deck in LIBRARY.decks:
        yield f"deck {deck.id}", f"{deck.title} {deck.description}"
        for card in deck.cards:
            parts = [str(value) for value in dataclasses.asdict(card.content).values()]
            yield card.id, " ".join([*parts, card.notes])
    for step in DIAGRAM.steps:
        yield f"step {step.id}", f"{step.label} {step.summary}"
    for account in DIAGRAM.accounts:
        for stage in account.stages:
            yield f"{account.id} {stage.step}", stage.name


def test_no_card_copies_eight_words_of_a_document() -> None:
    hashes = stored_hashes()
    if SEEDS.is_dir():  # beside the checkout: the stored hashes are those of the documents
        assert document_hashes(SEEDS) == hashes
    copied = [
        f"{where}: '{run}'"
        for where, text in texts_of_the_content()
        for run, digest in runs(text)
        if digest in hashes and not set(run.split()) <= STAGE_NAMES
    ]
    assert not copied, "\n".join(copied)


def test_the_copy_check_finds_a_copy() -> None:
    hashes = stored_hashes()
    copied = "Cancer cells secrete digestive enzymes that help break down these barriers."
    assert any(digest in hashes for _, digest in runs(copied))
    assert not any(digest in hashes for _, digest in runs("Cells release enzymes to digest it."))
