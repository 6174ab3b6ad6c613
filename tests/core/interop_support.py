"""Shared helpers for the Anki/CSV import and export tests: decks built in code, and Anki's
own library (the ``anki`` package) to make and to import packages, as Anki itself would."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from metaflash.core.decks.cloze import parse_cloze
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardId,
    ClozeContent,
    Deck,
    DeckId,
    ReverseContent,
    SequenceContent,
    SourceDocument,
    SourceRef,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24  # enough of a PNG for media handling

NOW = 1_700_000_000.0


def cloze(text: str) -> ClozeContent:
    parsed = parse_cloze(text)
    assert not isinstance(parsed, tuple), parsed
    return ClozeContent(text, parsed)


def sample_decks(folder: Path) -> tuple[Deck, Deck]:
    """A parent deck and a sub-deck with every card type, tags, notes, a source and an image."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "vessel.png").write_bytes(PNG)
    parent = Deck(
        id=DeckId("metastasis"),
        title="Metastasis",
        cards=(
            Card(
                CardId("intravasation-definition"),
                BasicContent(
                    "What is **intravasation**?", "Cancer cells crossing *into* a vessel."
                ),
                tags=("definition", "stage 2"),
            ),
        ),
        description="The cascade.",
        path=folder / "metastasis.yaml",
    )
    child = Deck(
        id=DeckId("metastasis-stages"),
        title="The stages",
        parent=DeckId("metastasis"),
        sources=(SourceDocument("qa", "How does the metastatic process work in cancer?"),),
        cards=(
            Card(
                CardId("emt"),
                ReverseContent("EMT", "Epithelial-mesenchymal transition"),
                notes="Cells lose their *adhesion*.",
                sources=(SourceRef("qa", "Stages of Metastasis"),),
            ),
            Card(
                CardId("invasion-cloze"),
                cloze("Cells {{c1::invade}} nearby tissue, then {{c2::intravasate::verb}}."),
                tags=("stage-1",),
                image=folder / "images" / "vessel.png",
            ),
            Card(
                CardId("five-stages"),
                SequenceContent(
                    "The five stages",
                    (
                        "Local invasion",
                        "Intravasation",
                        "Survival in circulation",
                        "Extravasation",
                        "Colonisation",
                    ),
                ),
            ),
            Card(
                CardId("vessel-picture"),
                BasicContent("Which vessel?\n\n![a vessel](images/vessel.png)", "A capillary"),
            ),
        ),
        path=folder / "stages.yaml",
    )
    return parent, child


@dataclass
class AnkiNoteView:
    notetype: str
    guid: str
    fields: dict[str, str]
    tags: list[str]
    decks: list[str]
    questions: list[str]


@contextmanager
def anki_collection(folder: Path) -> Iterator[object]:
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    collection = Collection(str(folder / "collection.anki2"))
    try:
        yield collection
    finally:
        collection.close()


def anki_import(collection: object, package: Path) -> object:
    """Import ``package`` the way Anki's File > Import does (update notes when newer)."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    assert isinstance(collection, Collection)
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    return collection.import_anki_package(request).log


def anki_notes(collection: object) -> list[AnkiNoteView]:
    from anki.collection import Collection

    assert isinstance(collection, Collection)
    views = []
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        cards = note.cards()
        views.append(
            AnkiNoteView(
                notetype=note.note_type()["name"],
                guid=note.guid,
                fields=dict(note.items()),
                tags=list(note.tags),
                decks=[collection.decks.name(card.did) for card in cards],
                questions=[card.question() for card in cards],
            )
        )
    return sorted(views, key=lambda view: view.fields.get("ID", view.guid))


def make_anki_package(folder: Path, *, legacy: bool = True) -> Path:
    """A package made by Anki's own library: basic, reversed, optional reversed and cloze notes,
    tags, an image, a sub-deck and a note type metaflash does not know."""
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    folder.mkdir(parents=True, exist_ok=True)
    collection = Collection(str(folder / "source.anki2"))
    try:
        models = collection.models
        top = collection.decks.id("Biology")
        sub = collection.decks.id("Biology::Cells")
        assert top is not None and sub is not None
        image = collection.media.write_data("cell.png", PNG)

        def add(notetype: str, deck: int, tags: list[str], **fields: str) -> None:
            note = collection.new_note(models.by_name(notetype))
            for name, value in fields.items():
                note[name.replace("_", " ")] = value
            note.tags = tags
            collection.add_note(note, deck)

        add(
            "Basic",
            top,
            ["cells", "anatomy::micro"],
            Front="What is a <b>cell</b>?",
            Back=f'The unit of life&nbsp;&amp; more<br><img src="{image}">',
        )
        add("Basic (and reversed card)", sub, ["vocab"], Front="Mitosis", Back="Cell division")
        add(
            "Basic (optional reversed card)",
            sub,
            [],
            Front="Nucleus",
            Back="Holds DNA",
            Add_Reverse="y",
        )
        add(
            "Cloze",
            sub,
            ["cloze"],
            Text="The {{c1::nucleus}} holds {{c2::DNA::molecule}}",
            Back_Extra="<i>Eukaryotes</i> only",
        )
        custom = models.copy(models.by_name("Basic"), add=False)
        custom["name"] = "Vocabulary"
        models.add_field(custom, models.new_field("Example"))
        models.add(custom)
        note = collection.new_note(models.by_name("Vocabulary"))
        note["Front"], note["Back"], note["Example"] = (
            "Apoptosis",
            "Programmed cell death",
            "In development",
        )
        collection.add_note(note, top)
        out = folder / ("biology.apkg" if legacy else "biology-new.apkg")
        collection.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy
            ),
            limit=DeckIdLimit(top),
        )
        return out
    finally:
        collection.close()


def zip_with(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def load_valid(folder: Path) -> Library:
    """The decks in ``folder`` through the real loader, which must find no problem."""
    from metaflash.core.library.snapshot import load_library

    library = load_library([folder])
    assert library.problems == (), [str(problem) for problem in library.problems]
    return library


if TYPE_CHECKING:
    from metaflash.core.library.snapshot import Library
