"""CSV import: a header row is found, each column's role is guessed and can be changed, in
the core and on the command line (``--preview``, ``--header``, ``--no-header``, ``--columns``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from metaflash.core.decks.model import BasicContent, CardId
from metaflash.core.interop.csv.columns import (
    ColumnRole,
    CsvMapping,
    guess_roles,
    looks_like_header,
    parse_roles,
)
from metaflash.core.interop.csv.importer import import_csv, preview_csv
from metaflash.core.interop.import_result import ImportFailure, ImportResult
from tests.core.interop_support import load_valid
from tests.core.test_anki_import_cli import run

F, B, T, I, X = (
    ColumnRole.FRONT,
    ColumnRole.BACK,
    ColumnRole.TAGS,
    ColumnRole.IGNORE,
    ColumnRole.EXTRA,
)

TABLE = (
    "Front,Back,Tags\n"
    "What is metastasis?,Spread to a distant site,basics overview\n"
    "What is a primary tumour?,The first tumour,basics\n"
)


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (("Front", "Back", "Tags"), True),
        (("question", "ANSWER"), True),
        (("Term", "Definition", "Chapter"), True),  # known names beside an unknown one
        (("What is metastasis?", "Spread"), False),  # a card
        (("Front", "front"), False),  # names are distinct
        (("Front", ""), False),
        (("<b>Front</b>", "Back"), False),
        (("{{c1::Front}}", "Back"), False),
        (("Front", "A back far longer than any column name would ever be, surely"), False),
        (("Alpha", "Beta"), False),  # no name metaflash knows: a card
    ],
)
def test_a_header_row_is_told_from_a_card(cells: tuple[str, ...], header: bool) -> None:
    assert looks_like_header(cells) is header


def test_roles_by_name_then_by_position() -> None:
    assert guess_roles(3, ("Back", "Front", "Tags")) == (B, F, T)
    assert guess_roles(3) == (F, B, X)
    assert guess_roles(3, ("Chapter", "Question", "Answer")) == (X, F, B)
    assert guess_roles(2, ("Front", "Front?")) == (F, B)
    assert parse_roles("front, back,-,TAGS") == (F, B, I, T)
    with pytest.raises(ValueError, match="unknown column role 'fornt'"):
        parse_roles("fornt,back")


def imported(tmp_path: Path, text: str, mapping: CsvMapping | None = None) -> dict[str, tuple]:
    source = tmp_path / "cards.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = import_csv(source, out / "cards.yaml", mapping=mapping, overwrite=True)
    assert isinstance(result, ImportResult), result
    deck = load_valid(out).decks[0]
    cards = {}
    for card in deck.cards:
        assert isinstance(card.content, BasicContent)
        cards[card.content.front] = (card.content.back, card.tags, card.notes)
    return cards


def test_a_header_row_names_the_columns_and_is_no_card(tmp_path: Path) -> None:
    cards = imported(tmp_path, TABLE)
    assert set(cards) == {"What is metastasis?", "What is a primary tumour?"}
    assert cards["What is metastasis?"][:2] == ("Spread to a distant site", ("basics", "overview"))


def test_the_user_changes_the_mapping(tmp_path: Path) -> None:
    swapped = imported(tmp_path, TABLE, CsvMapping(True, (B, F, I)))
    assert swapped["Spread to a distant site"] == ("What is metastasis?", (), "")
    as_card = imported(tmp_path, TABLE, CsvMapping(False, (F, B, X)))
    assert as_card["Front"][0] == "Back" and len(as_card) == 3
    assert "**Column 3:** basics overview" in as_card["What is metastasis?"][2]  # no names


def test_a_mapping_that_cannot_work_is_refused_with_its_reason(tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "out.yaml"
    for mapping, words in (
        (CsvMapping(True, (B, T, I)), "choose the column that holds the front"),
        (CsvMapping(True, (F, F, B)), "two columns are mapped to front"),
        (CsvMapping(True, (F, B)), "the rows have 3 columns but 2 column roles"),
    ):
        result = import_csv(source, out, mapping=mapping)
        assert isinstance(result, ImportFailure)
        assert words in str(result.problems[0]) and f"{source}:1:" in str(result.problems[0])
    assert not out.exists()
    source.write_text("Front,Back\n", encoding="utf-8")
    result = import_csv(source, out)
    assert isinstance(result, ImportFailure) and "only its header row" in str(result.problems[0])


def test_the_preview_shows_the_first_rows_and_the_guess(tmp_path: Path) -> None:
    source = tmp_path / "cards.tsv"
    source.write_text(TABLE.replace(",", "\t"), encoding="utf-8")
    preview = preview_csv(source, rows=2)
    assert not isinstance(preview, ImportFailure)
    assert preview.separator == "\t"
    assert preview.names == ("Front", "Back", "Tags")
    assert preview.mapping == CsvMapping(True, (F, B, T))
    assert preview.rows == (("Front", "Back", "Tags"), tuple(TABLE.split("\n")[1].split(",")))
    assert (preview.total_rows, preview.cards) == (3, 2)
    assert isinstance(preview_csv(tmp_path / "missing.csv"), ImportFailure)


def test_anki_headers_still_decide_when_present(tmp_path: Path) -> None:
    text = "#separator:comma\n#columns:Back,Front,Tags\n#tags column:3\nA back,A front,t1\n"
    cards = imported(tmp_path, text)
    assert cards == {"A front": ("A back", ("t1",), "")}


def test_the_command_line_has_the_same_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.csv"
    source.write_text(TABLE, encoding="utf-8")
    assert run(["import", str(source), "--preview"]) == 0
    shown = capsys.readouterr().out
    assert "the first row names the columns" in shown and "would import 2 cards" in shown
    assert "column 3 'Tags': Tags" in shown
    assert not list(tmp_path.glob("*.yaml"))
    out = tmp_path / "out.yaml"
    assert run(["import", str(source), "-o", str(out), "--no-header"]) == 0
    assert "imported 3 cards" in capsys.readouterr().out
    assert (
        run(["import", str(source), "-o", str(out), "--columns", "back,front,-", "--overwrite"])
        == 0
    )
    deck = load_valid(tmp_path).decks[0]
    card = deck.card(CardId("spread-to-a-distant-site"))
    assert card is not None and isinstance(card.content, BasicContent)
    assert card.content.back == "What is metastasis?" and card.tags == ()
    with pytest.raises(SystemExit):
        run(["import", str(source), "--columns", "front,bak"])
    assert "unknown column role 'bak'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["import", str(source)])
    assert "-o/--output" in capsys.readouterr().err
