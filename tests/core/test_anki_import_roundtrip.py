"""Round trips: decks exported to .apkg or CSV and imported again give the same cards.

What needs a diagram cannot travel through Anki or CSV, which carry none (as a card's
``stage``, which the import never sets): a diagram card comes back as a basic card whose back
is the step's label and summary, and a sequence comes back without its ``stages``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from metaflash.core.decks.cloze import parse_cloze
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardContent,
    CardId,
    ClozeContent,
    Deck,
    DiagramContent,
    ReverseContent,
    SequenceContent,
    StepId,
)
from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.anki.notes import diagram_answer_markdown
from metaflash.core.interop.csv.export import CsvExportResult, export_csv
from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.html_markdown import markdown_to_html
from metaflash.core.interop.import_result import ImportResult
from tests.core.interop_support import NOW, cloze, load_valid, sample_decks

RICH = (
    "A paragraph with **bold**, *italic*, `code`, <u>underline</u> and a [link](https://example.org/a_b).\n\n"
    "- first item\n- second *item*\n\n1. one\n2. two\n\nLast line with H<sub>2</sub>O & 5 < 6."
)


def decks(folder: Path) -> tuple[Deck, ...]:
    parent, child = sample_decks(folder)
    extra = (
        Card(CardId("rich-markdown"), BasicContent(RICH, "Answer with a line\\\nbreak")),
        Card(
            CardId("rich-cloze"), cloze("**Bold** {{c1::answer *here*}} and {{c2::more::a hint}}")
        ),
        Card(
            CardId("where-cells-leave"),
            DiagramContent(
                "Where do cells *leave* the vessel?",
                StepId("extravasation"),
                "Extravasation",
                "Cells cling to the endothelial cells and leave the blood.",
            ),
        ),
        Card(
            CardId("staged-order"),
            SequenceContent(
                "Two stages",
                ("Intravasation", "Extravasation"),
                (StepId("intravasation"), StepId("extravasation")),
            ),
        ),
    )
    from dataclasses import replace

    return parent, replace(child, cards=child.cards + extra)


def same_markdown(left: str, right: str) -> bool:
    return markdown_to_html(left) == markdown_to_html(right)


def after_round_trip(content: CardContent) -> CardContent:
    """What a card's content honestly comes back as from Anki or CSV."""
    match content:
        case DiagramContent(question):
            return BasicContent(question, diagram_answer_markdown(content))
        case SequenceContent(prompt, steps, stages) if stages:
            return SequenceContent(prompt, steps)
    return content


def card_summary(card: Card) -> tuple[str, ...]:
    content = after_round_trip(card.content)
    kind = Card(card.id, content).type.value
    match content:
        case BasicContent(front, back) | ReverseContent(front, back):
            return (kind, front, back)
        case ClozeContent(text, _):
            return (kind, text)
        case SequenceContent(prompt, steps):
            return (kind, prompt, *steps)
    raise AssertionError(f"no summary for {card.content!r}")


def yaml_summary(card: dict[str, object]) -> tuple[str, ...]:
    kind = str(card["type"])
    if kind in ("basic", "reverse"):
        return (kind, str(card["front"]), str(card["back"]))
    if kind == "cloze":
        return (kind, str(card["text"]))
    steps = card["steps"]
    assert isinstance(steps, list)
    return (kind, str(card["prompt"]), *map(str, steps))


def imported_cards(result: ImportResult) -> dict[tuple[str, str], dict[str, object]]:
    cards: dict[tuple[str, str], dict[str, object]] = {}
    for path in result.decks:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for card in data["cards"]:
            cards[(data["id"], card["id"])] = card
    return cards


@pytest.mark.parametrize("fmt", ["apkg", "csv"])
def test_export_then_import_gives_the_same_cards(fmt: str, tmp_path: Path) -> None:
    originals = decks(tmp_path / "decks")
    (tmp_path / "back").mkdir()
    if fmt == "apkg":
        assert isinstance(export_apkg(originals, tmp_path / "x.apkg", now=NOW), ExportResult)
        result = import_anki_package(tmp_path / "x.apkg", tmp_path / "back" / "deck.yaml")
    else:
        assert isinstance(export_csv(originals, tmp_path / "x.csv"), CsvExportResult)
        result = import_csv(tmp_path / "x.csv", tmp_path / "back" / "deck.yaml")
    assert isinstance(result, ImportResult), result
    if fmt == "apkg":
        assert result.warnings == ()  # the diagram card is a metaflash Basic note there
    else:  # CSV files cannot carry images; the Type column says which card was a diagram card
        assert [w.message for w in result.warnings if "diagram" in w.message] == [
            (
                "1 diagram card imported as a basic card (question → step label): "
                "the file carries no diagram to answer on"
            )
        ]
    load_valid(tmp_path / "back")
    cards = imported_cards(result)
    expected = {(deck.id, card.id): card for deck in originals for card in deck.cards}
    assert set(cards) == set(expected)  # deck ids and card ids survive
    for key, original in expected.items():
        back = cards[key]
        want, got = card_summary(original), yaml_summary(back)
        assert want[0] == got[0], key
        assert len(want) == len(got), key
        for left, right in zip(want[1:], got[1:]):
            assert same_markdown(left, right.replace("media/", "images/")), (key, left, right)
        assert back.get("tags", []) == [tag.replace(" ", "_") for tag in original.tags], key
        notes = str(back.get("notes", ""))
        if original.notes:
            assert same_markdown(original.notes, notes.split("\n\nSource: ")[0]), key
        if original.sources:
            assert (
                "Source: How does the metastatic process work in cancer?, Stages of Metastasis"
                in notes
            )
        if original.type.value == "cloze":
            parsed = parse_cloze(str(back["text"]))
            assert not isinstance(parsed, tuple)
    parent = yaml.safe_load((tmp_path / "back" / "deck.yaml").read_text())
    child = yaml.safe_load((tmp_path / "back" / "metastasis-stages.yaml").read_text())
    assert (parent["id"], child["parent"]) == ("metastasis", "metastasis")
    if fmt == "apkg":
        assert cards[("metastasis-stages", "invasion-cloze")]["image"] == "media/vessel.png"
        assert (tmp_path / "back" / "media" / "vessel.png").is_file()


@pytest.mark.parametrize("fmt", ["apkg", "csv"])
def test_the_bundled_decks_come_back_exactly(fmt: str, repo_root: Path, tmp_path: Path) -> None:
    """The shipped decks, exported and imported again, load with the same ids, text and tags."""
    from metaflash.core.interop.export_source import decks_to_export

    originals, problems = decks_to_export(repo_root / "decks")
    assert problems == () and len(originals) >= 2
    (tmp_path / "back").mkdir()
    if fmt == "apkg":
        assert isinstance(export_apkg(originals, tmp_path / "x.apkg", now=NOW), ExportResult)
        result = import_anki_package(tmp_path / "x.apkg", tmp_path / "back" / "top.yaml")
    else:
        assert isinstance(export_csv(originals, tmp_path / "x.csv"), CsvExportResult)
        result = import_csv(tmp_path / "x.csv", tmp_path / "back" / "top.yaml")
    assert isinstance(result, ImportResult), result
    library = load_valid(tmp_path / "back")
    back = {deck.id: deck for deck in library.decks}
    assert set(back) == {deck.id for deck in originals}
    for deck in originals:
        assert back[deck.id].parent == deck.parent
        assert [card.id for card in back[deck.id].cards] == [card.id for card in deck.cards]
        for card in deck.cards:
            again = back[deck.id].card(card.id)
            assert again is not None
            expected = after_round_trip(card.content)
            assert (again.content, again.tags) == (expected, card.tags), (deck.id, card.id)
