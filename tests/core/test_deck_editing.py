"""The deck edit session: card ids, undo, checking the would-be text, saving and conflicts."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import CardType, Deck, DeckId
from metaflash.core.editing.edit_session import (
    ChangeKind,
    DeckEditSession,
    DocumentError,
    EditChange,
    SaveConflict,
    digest,
    new_card_id,
)
from metaflash.core.editing.new_files import (
    NewDeck,
    copy_image_into,
    create_deck_file,
    image_in_folder,
    new_deck_text,
    schema_reference,
    suggested_deck_id,
)
from metaflash.core.library.snapshot import check_deck_text, load_library
from metaflash.core.util.paths import bundled_decks_dir, resources_dir

SCHEMA = resources_dir() / "schema" / "deck.schema.json"


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    shutil.copytree(bundled_decks_dir() / "metastasis", folder)
    return folder


def others_in(folder: Path) -> tuple[Deck, ...]:
    return load_library([folder]).decks


def session_for(folder: Path, name: str = "stages.yaml") -> DeckEditSession:
    return DeckEditSession.open(folder / name, others=others_in(folder))


@pytest.mark.parametrize(
    ("question", "taken", "expected"),
    [
        ("What is **intravasation**?", (), "intravasation"),
        ("What is intravasation?", ("intravasation",), "intravasation-2"),
        ("What is intravasation?", ("intravasation", "intravasation-2"), "intravasation-3"),
        (
            "{{c1::Tumour cells}} enter the {{c2::bloodstream::a fluid}}",
            (),
            "tumour-cells-enter-bloodstream",
        ),
        (
            "Which organs do breast cancers spread to most often?",
            (),
            "organs-breast-cancers-spread",
        ),
        ("", (), "new-card"),
        ("What is it?", (), "what-is-it"),
        ("Métastase à distance", (), "metastase-distance"),
        (
            "Supercalifragilisticexpialidocious-antidisestablishmentarianism word",
            (),
            "supercalifragilisticexpialidocious",
        ),
    ],
)
def test_new_card_ids_are_readable_and_unique(
    question: str, taken: tuple[str, ...], expected: str
) -> None:
    assert new_card_id(question, taken) == expected


def test_a_new_cards_id_follows_its_question_until_it_is_saved(decks: Path) -> None:
    session = session_for(decks)
    index = session.add_card(len(session.document.cards()))
    card = session.document.card(index)
    assert card.id == "new-card" and session.is_provisional("new-card")
    written = session.update_card(
        index, replace(card, front="What is **intravasation**?", back="Entry")
    )
    assert written.id == "intravasation"
    written = session.update_card(index, replace(written, front="What is a primary tumour?"))
    assert written.id == "primary-tumour"
    session.save()
    assert not session.is_provisional("primary-tumour")
    assert "primary-tumour" in session.saved_ids()
    kept = session.update_card(index, replace(written, front="What is a secondary tumour?"))
    assert kept.id == "primary-tumour"
    deck = parse_deck((decks / "stages.yaml").read_bytes(), decks / "stages.yaml")
    assert isinstance(deck, Deck) and deck.cards[-1].id == "primary-tumour"


def test_an_id_typed_by_the_author_is_kept(decks: Path) -> None:
    session = session_for(decks)
    index = session.add_card(0, CardType.CLOZE)
    card = session.document.card(index)
    typed = session.update_card(index, replace(card, id="my-own-id"))
    assert typed.id == "my-own-id" and not session.is_provisional("my-own-id")
    again = session.update_card(index, replace(typed, text="The {{c1::matrix}} is broken down."))
    assert again.id == "my-own-id"


def test_undo_and_redo_restore_whole_documents_and_typing_in_one_card_is_one_step(
    decks: Path,
) -> None:
    session = session_for(decks)
    original = session.document.text
    seen: list[EditChange] = []
    session.changed.connect(seen.append)
    card = session.document.card(3)
    for back in ("A", "An", "Another"):
        session.update_card(3, replace(card, back=back))
    session.move_card(3, 2)
    assert session.dirty and session.can_undo
    assert session.undo()
    assert session.document.card(3).back == "Another"
    assert session.undo()
    assert session.document.text == original and not session.dirty
    assert not session.undo()
    assert session.redo() and session.redo()
    assert session.document.card(2).back == "Another"
    assert seen[0] == EditChange(ChangeKind.CARD, 3)
    assert seen[-1] == EditChange(ChangeKind.ALL)


def test_duplicate_delete_and_meta_edits(decks: Path) -> None:
    session = session_for(decks)
    count = len(session.document.cards())
    first = session.document.card(0)
    index = session.duplicate_card(0)
    copy = session.document.card(index)
    assert index == 1 and copy.id != first.id and replace(copy, id=first.id) == first
    session.delete_card(index)
    assert len(session.document.cards()) == count
    session.update_meta(replace(session.document.meta(), title="Stages, edited"))
    assert session.document.meta().title == "Stages, edited"
    assert session.move_card(0, 999) == count - 1


def test_the_check_reports_the_loaders_problems_and_the_cross_file_ones(decks: Path) -> None:
    session = session_for(decks)
    assert session.check().problems == ()
    card = session.document.card(3)
    session.update_card(3, replace(card, front=""))
    session.update_card(4, replace(session.document.card(4), stage="intravasatoin"))
    check = session.check()
    messages = [problem.message for problem in check.problems]
    # the file's own error, and (on the cards without errors) the ones across files
    assert check.deck is None and messages == ["'front' is empty", messages[1]], messages
    assert messages[1].startswith("the stage 'intravasatoin'")
    session.undo()
    session.undo()
    session.update_card(3, replace(card, stage="intravasatoin"))
    problems = session.check().problems
    assert [p.message for p in problems] == [
        "the stage 'intravasatoin' is not a step of the diagram 'metastatic-cascade'"
    ]
    assert problems[0].hint == "did you mean 'intravasation'?"
    assert session.document.locate(problems[0].line) == (3, "stage")
    # the same problem, from the same text on disk, as the library reports it
    session.save()
    on_disk = [p for p in load_library([decks]).problems if p.file.endswith("stages.yaml")]
    assert [(p.line, p.column, p.message, p.hint) for p in on_disk] == [
        (p.line, p.column, p.message, p.hint) for p in problems
    ]


def test_the_check_knows_the_other_decks(decks: Path) -> None:
    text = (decks / "sites.yaml").read_text(encoding="utf-8")
    alone = check_deck_text(text, decks / "sites.yaml")
    assert [p.message for p in alone.problems] == ["the parent deck 'metastasis' is not loaded"]
    together = check_deck_text(text, decks / "sites.yaml", others_in(decks))
    assert together.problems == () and together.diagram is not None
    copy = check_deck_text(text, decks / "copy.yaml", others_in(decks))
    lines = (decks / "sites.yaml").read_text(encoding="utf-8").splitlines()
    id_line = lines.index("format: 1") + 1  # a deck's place: the start of its document
    assert [p.message for p in copy.problems] == [
        f"the deck id 'metastasis-sites' is also used by {decks / 'sites.yaml'}:{id_line}:1"
    ]
    assert (
        check_deck_text(text, decks / "sites.yaml", (), known_ids=[DeckId("metastasis")]).problems
        == ()
    )


def test_saving_is_atomic_keeps_the_mode_and_tells_its_digest(decks: Path) -> None:
    path = decks / "stages.yaml"
    path.chmod(0o640)
    session = session_for(decks)
    saved: list[Path] = []
    session.saved.connect(saved.append)
    session.update_card(0, replace(session.document.card(0), prompt="The five stages"))
    session.save()
    assert saved == [path]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert session.disk_digest == digest(path.read_bytes())
    assert not session.dirty
    assert [p.name for p in decks.iterdir() if p.name.startswith(".")] == []


def test_a_file_changed_on_disk_is_never_overwritten_silently(decks: Path) -> None:
    path = decks / "stages.yaml"
    session = session_for(decks)
    session.update_card(0, replace(session.document.card(0), prompt="Mine"))
    theirs = path.read_text(encoding="utf-8").replace(
        "metastasis (the Q&A", "metastasis (their edit, the Q&A"
    )
    path.write_text(theirs, encoding="utf-8")
    conflict = session.disk_conflict()
    assert conflict is not None and conflict.disk_text == theirs
    with pytest.raises(SaveConflict):
        session.save()
    assert path.read_text(encoding="utf-8") == theirs
    session.save(overwrite=True)
    assert "prompt: Mine" in path.read_text(encoding="utf-8")
    assert session.disk_conflict() is None


def test_reload_takes_the_file_from_disk(decks: Path) -> None:
    path = decks / "stages.yaml"
    session = session_for(decks)
    session.update_card(0, replace(session.document.card(0), prompt="Mine"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: five-stages-order", "id: renamed-order"),
        encoding="utf-8",
    )
    session.reload()
    assert (
        session.document.card(0).id == "renamed-order"
        and not session.dirty
        and not session.can_undo
    )
    path.unlink()
    conflict = session.disk_conflict()
    assert conflict is not None and conflict.disk_text is None
    with pytest.raises(DocumentError):
        session.reload()


def test_a_file_that_is_not_yaml_cannot_be_opened(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\ncards: [\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        DeckEditSession.open(path)
    assert caught.value.problem.message.startswith("YAML syntax error")
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="does not hold a deck"):
        DeckEditSession.open(path)


def test_a_new_deck_file_is_valid_and_names_its_schema(tmp_path: Path, repo_root: Path) -> None:
    assert suggested_deck_id("Sites of spread: the liver", ()) == "sites-of-spread-the-liver"
    assert suggested_deck_id("Sites", ("sites",)) == "sites-2"
    assert suggested_deck_id("!!!", ()) == "my-deck"
    inside = repo_root / "decks" / "metastasis"
    assert schema_reference(inside, SCHEMA) == "../../resources/schema/deck.schema.json"
    assert schema_reference(tmp_path, SCHEMA) == SCHEMA.resolve().as_posix()
    deck = NewDeck("my-deck", "My deck: a test", parent="metastasis", description="What it covers.")
    path = tmp_path / "my-deck.yaml"
    text = new_deck_text(deck, schema_reference(tmp_path, SCHEMA), path)
    create_deck_file(path, text)
    with pytest.raises(FileExistsError):
        create_deck_file(path, "replaced")
    assert (
        path.read_text(encoding="utf-8").splitlines()[0]
        == f"# yaml-language-server: $schema={SCHEMA.resolve().as_posix()}"
    )
    loaded = parse_deck(path.read_bytes(), path)
    assert isinstance(loaded, Deck)
    assert (loaded.id, loaded.title, loaded.parent, loaded.cards) == (
        "my-deck",
        "My deck: a test",
        "metastasis",
        (),
    )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
    session = DeckEditSession.open(path, known_ids=[DeckId("metastasis")])
    index = session.add_card(0)
    session.update_card(
        index, replace(session.document.card(index), front="What is it about?", back="Spread.")
    )
    session.save()
    jsonschema.Draft202012Validator(schema).validate(
        yaml.safe_load(path.read_text(encoding="utf-8"))
    )
    assert session.check().problems == ()


def test_images_are_copied_into_the_decks_folder_without_replacing_others(tmp_path: Path) -> None:
    deck = tmp_path / "decks" / "mine.yaml"
    deck.parent.mkdir()
    outside = tmp_path / "Vessel Photo.PNG"
    outside.write_bytes(b"\x89PNG first")
    assert image_in_folder(deck, outside) is None
    assert copy_image_into(deck, outside) == "images/vessel-photo.png"
    assert copy_image_into(deck, outside) == "images/vessel-photo.png"  # the same file: reused
    other = tmp_path / "elsewhere" / "vessel photo.png"
    other.parent.mkdir()
    other.write_bytes(b"\x89PNG second")
    assert copy_image_into(deck, other) == "images/vessel-photo-2.png"
    assert (deck.parent / "images" / "vessel-photo.png").read_bytes() == b"\x89PNG first"
    assert (
        image_in_folder(deck, deck.parent / "images" / "vessel-photo-2.png")
        == "images/vessel-photo-2.png"
    )
    with pytest.raises(ValueError, match="not an image"):
        copy_image_into(deck, tmp_path / "notes.txt")
    if hasattr(os, "symlink"):
        link = deck.parent / "link.png"
        link.symlink_to(outside)
        assert image_in_folder(deck, link) is None


def test_the_editors_key_orders_name_exactly_the_loaders_keys() -> None:
    """One list of fields: the editor's orders must not drift from what the loader reads."""
    from metaflash.core.decks.loader import ALL_CARD_KEYS, DECK_KEYS
    from metaflash.core.editing.draft import CARD_ORDER, DECK_ORDER

    assert set(CARD_ORDER) == set(ALL_CARD_KEYS) and len(CARD_ORDER) == len(set(CARD_ORDER))
    assert set(DECK_ORDER) == set(DECK_KEYS) and len(DECK_ORDER) == len(set(DECK_ORDER))
