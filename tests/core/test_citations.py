"""Citations that resolve: a source may declare its passages (``sections``), and then every
citation of it must name one of them, in decks and diagrams alike."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Problem, SourceDocument
from metaflash.core.decks.writer import deck_to_yaml
from metaflash.core.diagrams.loader import parse_diagram
from metaflash.core.editing.edit_session import DeckEditSession
from metaflash.core.library.snapshot import load_library
from metaflash.core.util.paths import bundled_decks_dir, resources_dir

SOURCES = """sources:
  - id: qa
    title: Questions
    sections:
      - Introduction
      - Stages of Metastasis
  - id: note
    title: A note without declared passages
"""


def deck(card_source: str, sources: str = SOURCES) -> str:
    return (
        "format: 1\nid: deck\ntitle: A deck\n"
        + sources
        + "cards:\n  - id: one\n    front: Q\n    back: A\n"
        + f"    source: {card_source}\n"
    )


def problems(text: str) -> list[str]:
    result = parse_deck(text, "deck.yaml")
    assert isinstance(result, tuple), "expected problems"
    return [str(problem) for problem in result]


def test_a_declared_section_is_accepted_and_kept() -> None:
    result = parse_deck(deck('{document: qa, section: "Stages of Metastasis"}'), "deck.yaml")
    assert isinstance(result, Deck)
    assert result.sources[0].sections == ("Introduction", "Stages of Metastasis")
    assert result.sources[1].sections == ()
    assert result.cards[0].sources[0].section == "Stages of Metastasis"


def test_a_misspelt_section_points_at_it_and_suggests_the_passage() -> None:
    (message,) = problems(deck('{document: qa, section: "Stages of metastsis"}'))
    # the citation is the file's last line, 16; its section's value starts at column 37
    assert message.startswith("deck.yaml:16:37: error: 'Stages of metastsis' is not one of")
    assert "did you mean 'Stages of Metastasis'?" in message


def test_an_unrelated_section_lists_the_declared_ones() -> None:
    (message,) = problems(deck('{document: qa, section: "Chapter 9"}'))
    assert "Introduction; Stages of Metastasis" in message


def test_a_source_without_sections_accepts_any_section_and_none() -> None:
    assert isinstance(parse_deck(deck('{document: note, section: "Page 4"}'), "d.yaml"), Deck)
    assert isinstance(parse_deck(deck("{document: qa}"), "d.yaml"), Deck)


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ("[A, A]", "the section 'A' is listed twice (first at line 7)"),
        ("[]", "'sections' is an empty list"),
        ("Introduction", "'sections' must be a list"),
    ],
)
def test_bad_section_lists_are_errors(sections: str, expected: str) -> None:
    text = deck("{document: qa}", f"sources:\n  - id: qa\n    title: Q\n    sections: {sections}\n")
    (message,) = problems(text)
    assert expected in message, message


def test_a_diagram_steps_citations_are_checked_the_same_way() -> None:
    text = (
        "format: 1\nkind: diagram\nid: d\ntitle: D\n"
        + SOURCES
        + "steps:\n  - id: a\n    label: A\n    order: 1\n    position: {x: 1, y: 1}\n"
        + '    source: {document: qa, section: "Introductoin"}\n'
    )
    result = parse_diagram(text, "d.diagram.yaml")
    assert isinstance(result, tuple)
    (problem,) = result
    assert isinstance(problem, Problem) and (problem.line, problem.column) == (18, 37)
    assert "did you mean 'Introduction'?" in str(problem)


def test_the_schema_agrees_on_sections() -> None:
    schema = yaml.safe_load((resources_dir() / "schema" / "deck.schema.json").read_text())
    check = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load(deck('{document: qa, section: "Introduction"}'))
    assert list(check.iter_errors(good)) == []
    for bad in ("[A, A]", "[]"):
        text = deck("{document: qa}", f"sources:\n  - id: qa\n    title: Q\n    sections: {bad}\n")
        assert list(check.iter_errors(yaml.safe_load(text))), bad


def test_written_decks_keep_their_sections() -> None:
    original = parse_deck(deck('{document: qa, section: "Introduction"}'), "deck.yaml")
    assert isinstance(original, Deck)
    again = parse_deck(deck_to_yaml(original), "deck.yaml")
    assert isinstance(again, Deck) and again.sources == original.sources


def test_editing_a_deck_keeps_its_sections_and_writes_new_ones(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    session = DeckEditSession.open(folder / "sites.yaml", others=load_library([folder]).decks)
    meta = session.document.meta()
    declared = meta.sources[0].sections
    assert "Sites of spread" in declared
    session.update_meta(replace(meta, title="Sites, edited"))
    assert session.document.meta().sources == meta.sources
    added = SourceDocument("extra", "Extra", sections=("One", "Two"))
    session.update_meta(replace(session.document.meta(), sources=(*meta.sources, added)))
    reloaded = parse_deck(session.document.file_bytes(), folder / "sites.yaml")
    assert isinstance(reloaded, Deck)
    assert reloaded.sources[0].sections == declared
    assert reloaded.sources[-1].sections == ("One", "Two")


def test_every_bundled_citation_names_a_declared_passage() -> None:
    library = load_library([bundled_decks_dir()])
    assert library.problems == ()
    for item in (*library.decks, *library.diagrams):
        for source in item.sources:
            assert source.sections, f"{item.id}: {source.id} declares no passages"
