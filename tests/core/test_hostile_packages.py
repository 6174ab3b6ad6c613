"""Hostile or broken packages and CSV files: a clear error, and nothing written anywhere.

Each case builds its file in a scratch folder; the import targets an empty ``out`` folder.
After a failed import ``out`` must still be empty and nothing new may appear beside it.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from metaflash.core.interop.anki.export import ExportResult, export_apkg
from metaflash.core.interop.anki.importer import import_anki_package
from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.import_result import ImportFailure, ImportLimits, ImportResult
from tests.core.interop_support import NOW, files_under, sample_decks, zip_with


@dataclass(frozen=True)
class Base:
    collection: bytes  # a valid collection.anki2 (made by the exporter)
    image: bytes


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    folder = tmp_path_factory.mktemp("base")
    result = export_apkg(sample_decks(folder / "decks"), folder / "base.apkg", now=NOW)
    assert isinstance(result, ExportResult)
    with zipfile.ZipFile(folder / "base.apkg") as archive:
        assert json.loads(archive.read("media")) == {"0": "vessel.png"}
        return Base(archive.read("collection.anki2"), archive.read("0"))


def package(base: Base, **changes: bytes | None) -> dict[str, bytes]:
    members: dict[str, bytes] = {
        "collection.anki2": base.collection,
        "media": json.dumps({"0": "vessel.png"}).encode(),
        "0": base.image,
    }
    for name, data in changes.items():
        name = {"media_map": "media"}.get(name, name)
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    return members


def sqlite_bytes(folder: Path, script: str) -> bytes:
    path = folder / "made.sqlite"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.close()
    return path.read_bytes()


def altered_collection(folder: Path, base: Base, statement: str) -> bytes:
    path = folder / "altered.anki2"
    path.write_bytes(base.collection)
    connection = sqlite3.connect(path)
    connection.executescript(statement)
    connection.commit()
    connection.close()
    return path.read_bytes()


def lying_zip(path: Path, name: str, real: bytes, declared: int) -> Path:
    """A zip whose headers declare ``declared`` bytes for a member that holds ``real``."""
    zip_with(path, {name: real})
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    path.write_bytes(bytes(data))
    return path


Maker = Callable[[Path, Base], Path]


def members(**changes: bytes | None) -> Maker:
    return lambda folder, base: zip_with(folder / "p.apkg", package(base, **changes))


def raw(data: bytes, name: str = "p.apkg") -> Maker:
    def make(folder: Path, base: Base) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def with_extra(name: str) -> Maker:
    def make(folder: Path, base: Base) -> Path:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names
            content = package(base)
            with zipfile.ZipFile(folder / "p.apkg", "w") as archive:
                for member, data in content.items():
                    archive.writestr(member, data)
                archive.writestr(name, b"owned")
        return folder / "p.apkg"

    return make


def altered(statement: str) -> Maker:
    return lambda folder, base: zip_with(
        folder / "p.apkg",
        package(base, **{"collection.anki2": altered_collection(folder, base, statement)}),
    )


def foreign_sqlite(script: str) -> Maker:
    return lambda folder, base: zip_with(
        folder / "p.apkg", package(base, **{"collection.anki2": sqlite_bytes(folder, script)})
    )


def bomb(size: int) -> Maker:
    return lambda folder, base: zip_with(
        folder / "p.apkg", package(base, **{"collection.anki2": b"\0" * size})
    )


SMALL = ImportLimits(
    max_total_bytes=8 << 20, max_member_bytes=4 << 20, ratio_floor=64 << 10, max_ratio=50
)

PACKAGE_CASES = [
    pytest.param(raw(b"this is not a zip file at all"), "not a zip archive", id="not-a-zip"),
    pytest.param(raw(b""), "not a zip archive", id="empty-file"),
    pytest.param(
        with_extra("../evil.txt"),
        "unsafe path '../evil.txt' in the archive (a '..' component)",
        id="zip-slip-dotdot",
    ),
    pytest.param(with_extra("/tmp/evil.txt"), "(an absolute path)", id="zip-slip-absolute"),
    pytest.param(with_extra("C:/evil.txt"), "(an absolute path)", id="zip-slip-drive"),
    pytest.param(with_extra("..\\evil.txt"), "(a backslash)", id="zip-slip-backslash"),
    pytest.param(
        with_extra("collection.anki2"), "holds 'collection.anki2' twice", id="duplicate-member"
    ),
    pytest.param(
        members(media_map=json.dumps({"0": "../../evil.png"}).encode()),
        "unsafe media file name '../../evil.png'",
        id="media-name-climbs-out",
    ),
    pytest.param(
        members(media_map=json.dumps({"0": "/etc/evil.png"}).encode()),
        "unsafe media file name '/etc/evil.png'",
        id="media-name-absolute",
    ),
    pytest.param(
        members(media_map=json.dumps({"0": ".."}).encode()),
        "unsafe media file name '..'",
        id="media-name-dotdot",
    ),
    pytest.param(
        members(media_map=json.dumps({"0": "a\\b.png"}).encode()),
        "unsafe media file name",
        id="media-name-backslash",
    ),
    pytest.param(
        members(media_map=b"{not json"),
        "media list of the package is damaged",
        id="media-map-not-json",
    ),
    pytest.param(
        members(media_map=b"[1, 2]"),
        "media list of the package is damaged",
        id="media-map-not-object",
    ),
    pytest.param(
        members(**{"collection.anki2": None}),
        "no collection in the package",
        id="missing-collection",
    ),
    pytest.param(
        members(**{"collection.anki2": b"SQLite format 3\0" + b"\x07" * 5000}),
        "damaged or not an Anki collection",
        id="corrupt-collection",
    ),
    pytest.param(
        members(**{"collection.anki2": b"just some text, not a database" * 50}),
        "damaged or not an Anki collection",
        id="collection-not-sqlite",
    ),
    pytest.param(
        foreign_sqlite("CREATE TABLE songs (title TEXT);"), "no 'col' table", id="sqlite-not-anki"
    ),
    pytest.param(
        foreign_sqlite(
            "CREATE TABLE col (ver, models, decks); CREATE TABLE cards (nid, did, ord);"
            "CREATE VIEW notes AS SELECT 1 AS id;"
        ),
        "no 'notes' table",
        id="notes-is-a-view",
    ),
    pytest.param(
        altered("UPDATE col SET models = '{broken'"),
        "note types are not valid JSON",
        id="models-not-json",
    ),
    pytest.param(
        altered("UPDATE col SET models = '[]'"),
        "note types are not a JSON object",
        id="models-not-object",
    ),
    pytest.param(
        members(**{"collection.anki21b": b"(\xb5/\xfd zstd"}),
        "newer compressed format",
        id="only-new-format",
    ),
    pytest.param(
        bomb(6 << 20), "expands to 6291456 bytes (at most 4194304)", id="declared-too-big"
    ),
    pytest.param(bomb(1 << 20), "times (a zip bomb?)", id="compression-ratio"),
    pytest.param(
        lambda folder, base: lying_zip(
            folder / "p.apkg", "collection.anki2", b"\0" * (3 << 20), 1000
        ),
        "'collection.anki2' is damaged",
        id="header-lies-about-size",
    ),
]


@pytest.mark.parametrize(("make", "expected"), PACKAGE_CASES)
def test_hostile_package(make: Maker, expected: str, base: Base, tmp_path: Path) -> None:
    scratch, out = tmp_path / "scratch", tmp_path / "out"
    scratch.mkdir()
    out.mkdir()
    path = make(scratch, base)
    before = files_under(tmp_path)
    result = import_anki_package(path, out / "deck.yaml", limits=SMALL)
    assert isinstance(result, ImportFailure), result
    problem = result.problems[0]
    assert expected in problem.message, problem
    assert problem.file == str(path) and problem.severity == "error" and problem.hint
    assert files_under(out) == []
    assert files_under(tmp_path) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_many_members_are_refused(base: Base, tmp_path: Path) -> None:
    path = zip_with(tmp_path / "p.apkg", {**package(base), **{f"x{i}": b"" for i in range(10)}})
    result = import_anki_package(path, tmp_path / "deck.yaml", limits=ImportLimits(max_members=5))
    assert (
        isinstance(result, ImportFailure) and "13 members (at most 5)" in result.problems[0].message
    )


def test_missing_media_is_a_warning_naming_the_file(base: Base, tmp_path: Path) -> None:
    path = zip_with(tmp_path / "p.apkg", package(base, **{"0": None}))
    (tmp_path / "out").mkdir()
    result = import_anki_package(path, tmp_path / "out" / "deck.yaml")
    assert isinstance(result, ImportResult), result
    assert result.media == ()
    messages = [warning.message for warning in result.warnings]
    assert any("media file 'vessel.png' is missing" in message for message in messages), messages
    assert "media" not in files_under(tmp_path / "out")


CSV_CASES = [
    pytest.param(b"", "the file has no rows", 1, id="empty"),
    pytest.param(b"#separator:Comma\n#html:false\n", "the file has no rows", 3, id="headers-only"),
    pytest.param(
        b"front,back\nq1,a1,extra\n",
        "row has 3 columns, the first row has 2",
        2,
        id="ragged-longer",
    ),
    pytest.param(
        b"a,b,c\nq1,a1\n", "row has 2 columns, the first row has 3", 2, id="ragged-shorter"
    ),
    pytest.param(b"q1,a1\nq2,caf\xe9\n", "the file is not UTF-8 (byte 0xe9)", 2, id="latin-1"),
    pytest.param(b"\xff\xfeq\x00", "not UTF-8", 1, id="utf-16"),
    pytest.param(b"#separator:Banana\nq,a\n", "unknown separator 'Banana'", 1, id="bad-separator"),
    pytest.param(
        b"#tags column:9\nq,a\n",
        "#tags column:9 but rows have 2 columns",
        1,
        id="column-out-of-range",
    ),
    pytest.param(
        b"#guid column:zero\nq,a\n",
        "#guid column must be a column number",
        1,
        id="column-not-number",
    ),
    pytest.param(b'q1,"never closed\n', "malformed CSV", 1, id="unclosed-quote"),
    pytest.param(
        b"only one column\nand another\n", "rows need at least two columns", 1, id="one-column"
    ),
]


@pytest.mark.parametrize(("data", "expected", "line"), CSV_CASES)
def test_bad_csv(data: bytes, expected: str, line: int, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    path = tmp_path / "cards.csv"
    path.write_bytes(data)
    result = import_csv(path, tmp_path / "out" / "deck.yaml")
    assert isinstance(result, ImportFailure), result
    problem = result.problems[0]
    assert expected in problem.message, problem
    assert (problem.file, problem.line) == (str(path), line)
    assert problem.hint
    assert files_under(tmp_path / "out") == []


def test_a_csv_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("q,a\n" * 1000)
    result = import_csv(path, tmp_path / "deck.yaml", limits=ImportLimits(max_csv_bytes=1000))
    assert isinstance(result, ImportFailure) and "at most 1,000" in result.problems[0].message


def test_a_folder_or_a_missing_file_is_an_error(tmp_path: Path) -> None:
    folder_result = import_csv(tmp_path, tmp_path / "deck.yaml")
    assert (
        isinstance(folder_result, ImportFailure)
        and "is a folder" in folder_result.problems[0].message
    )
    missing = import_anki_package(tmp_path / "nope.apkg", tmp_path / "deck.yaml")
    assert isinstance(missing, ImportFailure) and missing.problems[0].message == "file not found"


def test_members_that_together_expand_too_far_are_refused(base: Base, tmp_path: Path) -> None:
    """300 members of 4 MiB of zeros: each under the per-member ratio, 1.2 GB together."""
    zeros = b"\0" * (4 << 20)
    members = {**package(base), **{str(i): zeros for i in range(1, 301)}}
    media = {str(i): f"zeros-{i}.png" for i in range(1, 301)}
    members["media"] = json.dumps({"0": "vessel.png", **media}).encode()
    path = tmp_path / "aggregate.apkg"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert path.stat().st_size < 2_000_000  # about 1.3 MB
    (tmp_path / "out").mkdir()
    before = files_under(tmp_path)
    result = import_anki_package(path, tmp_path / "out" / "deck.yaml")
    assert isinstance(result, ImportFailure), result
    assert "nothing was written" in result.problems[0].hint
    assert files_under(tmp_path) == before


def test_media_over_the_total_limit_is_refused_before_writing(base: Base, tmp_path: Path) -> None:
    path = zip_with(tmp_path / "p.apkg", package(base))
    (tmp_path / "out").mkdir()
    result = import_anki_package(
        path, tmp_path / "out" / "deck.yaml", limits=ImportLimits(max_media_bytes=10)
    )
    assert isinstance(result, ImportFailure)
    assert "media files add up to" in result.problems[0].message
    assert files_under(tmp_path / "out") == []


HUGE_CSV = r"""
import re, sys
from pathlib import Path
from metaflash.core.interop.csv.importer import import_csv
from metaflash.core.interop.import_result import ImportFailure
result = import_csv(Path(sys.argv[1]), Path(sys.argv[2]))
assert isinstance(result, ImportFailure), result
print(result.problems[0].message)
print(result.problems[0].line)
# the peak resident memory of this process alone (VmHWM starts anew at exec)
status = open("/proc/self/status", encoding="ascii").read()
print(int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) // 1024)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_huge_csv_is_refused_early_in_bounded_memory(tmp_path: Path) -> None:
    """A 230 MB CSV: refused as soon as its rows hold more than a deck may, not read whole."""
    path = tmp_path / "huge.csv"
    row = (
        "What does step %d of the cascade do, in a few words?,"
        + "It does a great deal. " * 20
        + "\n"
    )
    with open(path, "w", encoding="utf-8") as stream:
        written = 0
        number = 0
        while written < 230_000_000:
            text = row % number
            stream.write(text)
            written += len(text)
            number += 1
    (tmp_path / "out").mkdir()
    process = subprocess.run(
        [sys.executable, "-c", HUGE_CSV, str(path), str(tmp_path / "out" / "deck.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    message, line, peak_mib = process.stdout.splitlines()
    assert "more than a deck file may hold" in message
    assert 1 < int(line) < number // 4  # stopped early, at the row that crossed the limit
    assert int(peak_mib) < 300
    assert files_under(tmp_path / "out") == []


def test_an_existing_different_media_file_is_kept_and_the_import_renamed(
    base: Base, tmp_path: Path
) -> None:
    path = zip_with(tmp_path / "p.apkg", package(base))
    out = tmp_path / "out"
    (out / "media").mkdir(parents=True)
    mine = b"my own picture, not the package's"
    (out / "media" / "vessel.png").write_bytes(mine)
    result = import_anki_package(path, out / "deck.yaml")
    assert isinstance(result, ImportResult), result
    assert (out / "media" / "vessel.png").read_bytes() == mine
    assert (out / "media" / "vessel (2).png").read_bytes() == base.image
    assert any("already exists with other content" in w.message for w in result.warnings)
    assert "media/vessel (2).png" in "".join(p.read_text() for p in out.glob("*.yaml"))
    # the same package again: the same bytes are found under the new name, nothing is added
    again = import_anki_package(path, out / "deck.yaml")
    assert isinstance(again, ImportResult)
    assert sorted(p.name for p in (out / "media").iterdir()) == ["vessel (2).png", "vessel.png"]


def test_a_media_folder_linking_out_of_the_deck_folder_is_refused(
    base: Base, tmp_path: Path
) -> None:
    path = zip_with(tmp_path / "p.apkg", package(base))
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "media").symlink_to(outside, target_is_directory=True)
    result = import_anki_package(path, out / "deck.yaml")
    assert isinstance(result, ImportFailure)
    assert "outside the deck folder" in result.problems[0].message
    assert list(outside.iterdir()) == [] and not (out / "deck.yaml").exists()


def test_the_staging_folder_of_a_killed_import_is_removed(base: Base, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    abandoned = out / ".metaflash-import-abc123"
    (abandoned / "media").mkdir(parents=True)
    (abandoned / "owner").write_text(f"{socket.gethostname()} {killed.stdout.strip()}")
    (abandoned / "deck-0.yaml").write_text("half a deck")
    result = import_anki_package(zip_with(tmp_path / "p.apkg", package(base)), out / "deck.yaml")
    assert isinstance(result, ImportResult)
    assert not abandoned.exists()
    assert not any(p.name.startswith(".metaflash-import-") for p in out.iterdir())
