"""CSV/TSV files, with or without Anki's headers, import as YAML decks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.import_result import ImportFailure, ImportResult
from tests.core.interop_support import PNG, files_under, load_valid


def run(
    tmp_path: Path, name: str, data: str | bytes
) -> tuple[ImportResult, list[dict[str, object]]]:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = import_csv(path, out / "deck.yaml")
    assert isinstance(result, ImportResult), result
    load_valid(out)
    cards: list[dict[str, object]] = []
    for deck in result.decks:
        data_ = yaml.safe_load(deck.read_text(encoding="utf-8"))
        cards.extend(data_["cards"])
    return result, cards


def test_plain_csv_is_front_then_back(tmp_path: Path) -> None:
    result, cards = run(
        tmp_path, "cells.csv", 'What is a cell?,The unit of life\n"Comma, inside",Yes\n\n'
    )
    assert [(c["type"], c["front"], c["back"]) for c in cards] == [
        ("basic", "What is a cell?", "The unit of life"),
        ("basic", "Comma, inside", "Yes"),
    ]
    assert [c["id"] for c in cards] == ["what-is-a-cell", "comma-inside"]
    deck = yaml.safe_load(result.decks[0].read_text())
    assert (deck["id"], deck["title"]) == ("cells", "cells")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(
            "cards.tsv", "Front one\tBack, with comma\nFront two\tBack two\n", id="tsv-by-extension"
        ),
        pytest.param(
            "cards.txt", "Front one;Back, with comma\nFront two;Back two\n", id="semicolon-sniffed"
        ),
        pytest.param(
            "cards.csv",
            "#separator:Pipe\nFront one|Back, with comma\nFront two|Back two\n",
            id="separator-header",
        ),
        pytest.param(
            "cards.csv",
            "#separator:Tab\nFront one\tBack, with comma\nFront two\tBack two\n",
            id="tab-header",
        ),
    ],
)
def test_separators(name: str, text: str, tmp_path: Path) -> None:
    _, cards = run(tmp_path, name, text)
    assert [(c["front"], c["back"]) for c in cards] == [
        ("Front one", "Back, with comma"),
        ("Front two", "Back two"),
    ]


def test_anki_headers_columns_decks_tags_and_guids(tmp_path: Path) -> None:
    text = (
        "#separator:Semicolon\n#html:true\n#tags:imported\n#notetype column:1\n#deck column:2\n"
        "#guid column:3\n#tags column:6\n#columns:Notetype;Deck;GUID;Front;Back;Tags\n"
        'Basic;Bio;g-1;<b>Cell</b>;"Unit &amp; life";a b\n'
        "Basic (and reversed card);Bio::Genes;Ab{9;DNA;Deoxyribonucleic acid;\n"
        "Cloze;Bio::Genes;g-3;The {{c1::gene}} codes;<i>extra</i>;c\n"
    )
    result, cards = run(tmp_path, "anki.csv", text)
    assert [path.name for path in result.decks] == ["deck.yaml", "bio-genes.yaml"]
    by_id = {card["id"]: card for card in cards}
    assert by_id["g-1"] == {
        "id": "g-1",
        "type": "basic",
        "front": "**Cell**",
        "back": "Unit & life",
        "tags": ["imported", "a", "b"],
    }
    reverse = next(card for card_id, card in by_id.items() if card_id.startswith("ab-9-"))
    assert reverse["type"] == "reverse"
    assert by_id["g-3"]["type"] == "cloze" and by_id["g-3"]["notes"] == "*extra*"
    sub = yaml.safe_load((tmp_path / "out" / "bio-genes.yaml").read_text())
    assert (sub["id"], sub["title"], sub["parent"]) == ("bio-genes", "Genes", "bio")


def test_html_false_keeps_text_literally(tmp_path: Path) -> None:
    _, cards = run(tmp_path, "plain.csv", "#html:false\n<b>not bold</b> *star*,a_b\n")
    assert cards[0]["front"] == r"\<b>not bold\</b> \*star\*"
    assert cards[0]["back"] == r"a\_b"


def test_cloze_is_recognised_without_a_notetype(tmp_path: Path) -> None:
    _, cards = run(tmp_path, "cloze.csv", "The {{c1::nucleus}} holds DNA,Extra text\n")
    assert cards[0]["type"] == "cloze" and cards[0]["notes"] == "Extra text"


def test_images_beside_the_csv_are_copied_and_missing_ones_warned(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cell.png").write_bytes(PNG)
    result, cards = run(
        tmp_path, "img.csv", 'Which?,"<img src=""cell.png"">"\nAnd?,"<img src=""gone.png"">"\n'
    )
    assert cards[0]["back"] == "![](media/cell.png)"
    assert result.media == (tmp_path / "out" / "media" / "cell.png",)
    assert any("'gone.png' is missing" in warning.message for warning in result.warnings)
    assert files_under(tmp_path / "out") == ["deck.yaml", "media", "media/cell.png"]


def test_the_same_front_twice_gets_two_ids_and_reimport_keeps_them(tmp_path: Path) -> None:
    _, first = run(tmp_path, "dupes.csv", "Same,one\nSame,two\n")
    _, second = run(tmp_path, "dupes.csv", "Same,one\nSame,two\n")
    ids = [card["id"] for card in first]
    assert len(set(ids)) == 2 and ids == [card["id"] for card in second]


def test_unknown_headers_are_warnings(tmp_path: Path) -> None:
    result, cards = run(tmp_path, "h.csv", "#colour:blue\n# a comment\nq,a\n")
    assert len(cards) == 1
    assert [(w.line, w.message) for w in result.warnings] == [
        (1, "unknown header #colour: ignored")
    ]


def test_cancelling_a_csv_import_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    path = tmp_path / "c.csv"
    path.write_text("q,a\n")
    result = import_csv(path, tmp_path / "out" / "deck.yaml", cancelled=lambda: True)
    assert isinstance(result, ImportFailure) and result.cancelled
    assert files_under(tmp_path / "out") == []


def test_old_mac_line_endings_are_rows(tmp_path: Path) -> None:
    """A file whose lines end in a lone CR (old Mac exports) reads as one row per line."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"What spreads?,Cancer cells\rWhere to?,Distant organs\r")
    (tmp_path / "out").mkdir()
    result = import_csv(path, tmp_path / "out" / "deck.yaml")
    assert isinstance(result, ImportResult), result
    assert result.cards == 2
