"""Decks turned into Anki notes: HTML fields, tags, GUIDs, deck names and media files.

One plan feeds both exports, the ``.apkg`` package and the CSV file. Each card is one note.

- Deck names follow ``parent`` references among the exported decks: ``Parent::Child``. A
  deck whose parent is not exported keeps its own title alone.
- Markdown becomes HTML (markdown-it-py); images (the card's ``image`` and Markdown images
  that point at files inside the deck's folder) become media files with flat names.
- Tags: Anki tags cannot contain spaces, so runs of whitespace become ``_``
  (``"stage 2"`` → ``stage_2``).
- Diagram cards: Anki has no diagram to pick a step on, so they become basic notes whose
  back is the step's label (in bold) and summary (:func:`diagram_answer_markdown`).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from markdown_it import MarkdownIt

from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardType,
    ClozeContent,
    Deck,
    DeckId,
    DiagramContent,
    Problem,
    ReverseContent,
    SequenceContent,
)
from metaflash.core.interop.anki.notetypes import deck_anki_id, note_guid
from metaflash.core.interop.html_markdown import ImageMapper, markdown_to_html

_UNSAFE_MEDIA_CHARS = re.compile(r"[\\/:*?\"<>|\[\]\x00-\x1f]")
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class AnkiDeckPlan:
    deck_id: DeckId
    name: str  # "Parent::Child"
    anki_id: int
    description: str


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One card as an Anki note. HTML fields; ``first``/``second`` depend on the type:
    basic and reverse: front, back; cloze: text, ""; sequence: prompt, steps list.

    ``card_type`` is the kind of note (it picks the note type); ``metaflash_type`` is the
    card's own type when that differs (a diagram card is a basic note)."""

    deck_name: str
    card_type: CardType
    guid: str
    first: str
    second: str
    notes: str
    source: str
    image: str
    ident: str  # "deck-id/card-id"
    tags: tuple[str, ...]
    anki_cards: int  # how many Anki cards the note makes
    metaflash_type: CardType | None = None

    @property
    def card_kind(self) -> CardType:
        """The metaflash card type the note was made from."""
        return self.metaflash_type or self.card_type


@dataclass(frozen=True, slots=True)
class MediaFile:
    name: str  # the flat name inside the package
    path: Path


@dataclass(frozen=True, slots=True)
class ExportPlan:
    decks: tuple[AnkiDeckPlan, ...]  # parents before their sub-decks
    notes: tuple[AnkiNote, ...]
    media: tuple[MediaFile, ...]
    warnings: tuple[Problem, ...]


def anki_tag(tag: str) -> str:
    """An Anki tag for a metaflash tag: whitespace runs become ``_``."""
    return re.sub(r"\s+", "_", tag.strip())


def anki_deck_names(decks: Sequence[Deck]) -> dict[DeckId, str]:
    """``Parent::Child`` names, following ``parent`` among ``decks``."""
    by_id = {deck.id: deck for deck in decks}
    names: dict[DeckId, str] = {}
    for deck in decks:
        parts: list[str] = []
        seen: set[DeckId] = set()
        current: Deck | None = deck
        while current is not None and current.id not in seen:
            seen.add(current.id)
            parts.append(current.title.replace("::", ":").strip() or current.id)
            current = by_id.get(current.parent) if current.parent else None
        names[deck.id] = "::".join(reversed(parts))
    return names


def diagram_answer_markdown(content: DiagramContent) -> str:
    """The back of a diagram card's note: the step's label in bold, then its summary."""
    label = f"**{content.answer_label or content.answer}**"
    return f"{label}\n\n{content.answer_summary}" if content.answer_summary else label


def sequence_steps_html(steps_html: Sequence[str]) -> str:
    """The ``Steps`` field: a numbered list, each step after the first a cloze deletion."""
    items = [
        f"<li>{step}</li>" if number == 0 else f"<li>{{{{c{number}::{step}}}}}</li>"
        for number, step in enumerate(steps_html)
    ]
    return '<ol class="mf-steps">' + "".join(items) + "</ol>"


class _MediaCollector:
    """Finds the image files of the cards and gives each a flat, unique, stable name."""

    def __init__(self) -> None:
        self.paths: dict[Path, str] = {}
        self.warnings: list[Problem] = []

    def local_image(self, src: str, deck: Deck, card: Card) -> Path | None:
        """The file a Markdown image points at, if it is a local file inside the deck's folder."""
        if not src or _REMOTE.match(src) or src.startswith("//") or deck.path is None:
            return None
        folder = deck.path.parent.resolve()
        return self._checked(folder, (folder / unquote(src)).resolve(), src, card)

    def card_image(self, image: Path, deck: Deck, card: Card) -> Path | None:
        folder = deck.path.parent.resolve() if deck.path is not None else image.resolve().parent
        return self._checked(folder, image.resolve(), str(image), card)

    def _checked(self, folder: Path, candidate: Path, src: str, card: Card) -> Path | None:
        where = card.location
        if not candidate.is_relative_to(folder):
            self.warnings.append(
                _warning(
                    card,
                    f"image {src!r} is outside the deck's folder; left out",
                    "keep images in the deck's folder",
                )
            )
            return None
        if not candidate.is_file():
            self.warnings.append(
                Problem(
                    where.file,
                    where.line,
                    where.column,
                    f"image {src!r} not found; left out",
                    "check the path, relative to the deck file",
                    "warning",
                )
            )
            return None
        return candidate

    def assign_names(self, paths: Sequence[Path]) -> dict[Path, str]:
        by_name: dict[str, list[Path]] = {}
        for path in dict.fromkeys(paths):
            by_name.setdefault(_safe_media_name(path.name), []).append(path)
        names: dict[Path, str] = {}
        for name, group in by_name.items():
            if len(group) == 1:
                names[group[0]] = name
                continue
            stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
            for path in group:
                digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:8]
                names[path] = f"{stem}-{digest}{suffix}"
        return names


def _safe_media_name(name: str) -> str:
    cleaned = _UNSAFE_MEDIA_CHARS.sub("_", name).strip(" .")
    return cleaned or "image"


def _warning(card: Card, message: str, hint: str) -> Problem:
    where = card.location
    return Problem(where.file, where.line, where.column, message, hint, "warning")


def _markdown_images(text: str, parser: MarkdownIt) -> list[str]:
    found: list[str] = []
    stack = list(parser.parse(text))
    while stack:
        token = stack.pop(0)
        if token.children:
            stack[:0] = token.children
        if token.type == "image":
            found.append(str(token.attrGet("src") or ""))
    return found


def _card_texts(card: Card) -> list[str]:
    match card.content:
        case BasicContent(front, back) | ReverseContent(front, back):
            texts = [front, back]
        case ClozeContent(text, _):
            texts = [text]
        case SequenceContent(prompt, steps):
            texts = [prompt, *steps]
        case DiagramContent(question):
            texts = [question]  # the step's summary belongs to the diagram's folder
    return [*texts, card.notes]


def _source_html(card: Card, deck: Deck) -> str:
    documents = {document.id: document for document in deck.sources}
    parts: list[str] = []
    for ref in card.sources:
        document = documents.get(ref.document)
        title = document.title if document else ref.document
        text = html.escape(title)
        if document is not None and document.url:
            text = f'<a href="{html.escape(document.url, quote=True)}">{text}</a>'
        if ref.section:
            text += f", {html.escape(ref.section)}"
        parts.append(text)
    return "; ".join(parts)


def build_plan(decks: Sequence[Deck]) -> ExportPlan:
    """Every card of ``decks`` as one Anki note, with its deck name and media."""
    names = anki_deck_names(decks)
    collector = _MediaCollector()
    parser = MarkdownIt("commonmark")
    wanted: list[Path] = []
    for deck in decks:
        for card in deck.cards:
            if card.image is not None:
                image = collector.card_image(card.image, deck, card)
                if image is not None:
                    wanted.append(image)
            for text in _card_texts(card):
                for src in _markdown_images(text, parser):
                    found = collector.local_image(src, deck, card)
                    if found is not None:
                        wanted.append(found)
    media_names = collector.assign_names(wanted)

    notes: list[AnkiNote] = []
    for deck in decks:
        folder = deck.path.parent.resolve() if deck.path is not None else None

        def image_src(src: str, folder: Path | None = folder) -> str | None:
            if folder is None or not src or _REMOTE.match(src):
                return None
            return media_names.get((folder / unquote(src)).resolve())

        for card in deck.cards:
            notes.append(_note(card, deck, names[deck.id], image_src, media_names))
    order = sorted(decks, key=lambda deck: names[deck.id].split("::"))
    plans = tuple(
        AnkiDeckPlan(
            deck.id, names[deck.id], deck_anki_id(deck.id), markdown_to_html(deck.description)
        )
        for deck in order
    )
    media = tuple(
        MediaFile(name, path) for path, name in sorted(media_names.items(), key=lambda i: i[1])
    )
    return ExportPlan(plans, tuple(notes), media, tuple(collector.warnings))


def _note(
    card: Card, deck: Deck, deck_name: str, image_src: ImageMapper, media_names: dict[Path, str]
) -> AnkiNote:
    def md(text: str) -> str:
        return markdown_to_html(text, image_src)

    second = ""
    note_type = card.type
    match card.content:
        case BasicContent(front, back) | ReverseContent(front, back):
            first, second = md(front), md(back)
        case ClozeContent(text, _):
            first = md(text)
        case SequenceContent(prompt, steps):
            first = md(prompt)
            second = sequence_steps_html([md(step) for step in steps])
        case DiagramContent(question) as content:
            note_type = CardType.BASIC
            first = md(question)
            second = markdown_to_html(diagram_answer_markdown(content))
    image = ""
    if card.image is not None:
        name = media_names.get(Path(card.image).resolve())
        if name is not None:
            image = f'<img src="{html.escape(name, quote=True)}">'
    return AnkiNote(
        deck_name=deck_name,
        card_type=note_type,
        guid=note_guid(deck.id, card.id),
        first=first,
        second=second,
        notes=md(card.notes) if card.notes else "",
        source=_source_html(card, deck),
        image=image,
        ident=f"{deck.id}/{card.id}",
        tags=tuple(dict.fromkeys(tag for tag in (anki_tag(t) for t in card.tags) if tag)),
        anki_cards=_anki_card_count(card),
        metaflash_type=card.type if note_type is not card.type else None,
    )


def _anki_card_count(card: Card) -> int:
    match card.content:
        case BasicContent() | DiagramContent():
            return 1
        case ReverseContent():
            return 2
        case ClozeContent(_, cloze):
            return len(cloze.numbers)
        case SequenceContent(_, steps):
            return len(steps) - 1
