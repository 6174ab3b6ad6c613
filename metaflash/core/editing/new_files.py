"""Files the deck editor creates: new deck files, and images copied into a deck's folder."""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from metaflash.core.decks.loader import IMAGE_SUFFIXES
from metaflash.core.decks.model import Deck, DeckId
from metaflash.core.decks.writer import deck_to_yaml
from metaflash.core.editing.edit_session import slug_words, unique_slug
from metaflash.core.util.atomic_file import write_text_atomically

#: Where copied images go, inside the deck's folder.
IMAGES_FOLDER: Final = "images"
SCHEMA_COMMENT: Final = "# yaml-language-server: $schema="


@dataclass(frozen=True, slots=True)
class NewDeck:
    """What the New Deck dialog asks for."""

    id: str
    title: str
    parent: str = ""
    description: str = ""
    diagram: str = ""  # relative to the deck's folder


def suggested_deck_id(title: str, taken: Collection[str]) -> str:
    """A deck id from the title's words (``Sites of spread`` → ``sites-of-spread``)."""
    base = "-".join(slug_words(title))[:48].strip("-")
    return unique_slug(base or "my-deck", taken)


def schema_reference(folder: Path, schema: Path) -> str:
    """How a deck in ``folder`` names the JSON Schema: the copy in a ``schemas/`` folder of
    the deck folder or one above it (``metaflash init`` puts one there), relative; else
    relative when both are in the same project (as the bundled decks are), else the
    absolute path of the installed copy."""
    for above in (folder.resolve(), *folder.resolve().parents):
        copy = above / "schemas" / schema.name
        if copy.is_file():
            return Path(os.path.relpath(copy, folder.resolve())).as_posix()
    project = schema.resolve().parent.parent.parent
    try:
        folder.resolve().relative_to(project)
    except ValueError:
        return schema.resolve().as_posix()
    return Path(os.path.relpath(schema.resolve(), folder.resolve())).as_posix()


def new_deck_text(deck: NewDeck, schema: str, path: Path) -> str:
    """The text of a new, valid deck file with no cards yet, to be written at ``path``."""
    model = Deck(
        id=DeckId(deck.id),
        title=deck.title,
        cards=(),
        description=deck.description,
        parent=DeckId(deck.parent) if deck.parent else None,
        diagram=path.parent / deck.diagram if deck.diagram else None,
    )
    return deck_to_yaml(model, path, comments=(f"{SCHEMA_COMMENT.removeprefix('# ')}{schema}",))


def create_deck_file(path: Path, text: str) -> None:
    """Write a new deck file; ``FileExistsError`` if ``path`` exists (nothing is replaced)."""
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    write_text_atomically(path, text)
    os.chmod(path, 0o644)


def image_in_folder(deck_path: Path, image: Path) -> str | None:
    """``image`` as the deck refers to it (relative, with ``/``) when it is inside the deck's
    folder, symbolic links resolved; else ``None``."""
    folder = deck_path.parent.resolve()
    try:
        relative = image.resolve().relative_to(folder)
    except ValueError:
        return None
    return relative.as_posix()


def copy_image_into(deck_path: Path, image: Path) -> str:
    """Copy ``image`` into the deck's ``images/`` folder (a different file of the same name
    is never replaced: the copy gets ``-2``...) and return the path the card uses."""
    suffix = image.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        kinds = ", ".join(sorted(IMAGE_SUFFIXES))
        raise ValueError(f"'{image.name}' is not an image file metaflash shows (use {kinds})")
    target_folder = deck_path.parent / IMAGES_FOLDER
    target_folder.mkdir(exist_ok=True)
    stem = "-".join(slug_words(image.stem)) or "image"
    taken: set[str] = set()
    while True:
        name = unique_slug(stem, taken)
        target = target_folder / f"{name}{suffix}"
        if not target.exists():
            shutil.copyfile(image, target)
            break
        if filecmp.cmp(image, target, shallow=False):
            break
        taken.add(name)
    return f"{IMAGES_FOLDER}/{target.name}"
