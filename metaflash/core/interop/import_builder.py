"""Incoming notes turned into metaflash decks: Markdown text, card ids, sub-decks, media names.

Sub-decks: each Anki deck becomes its own YAML deck file, nested with ``parent`` the way
Anki nests ``Parent::Child``. The file named with ``-o`` holds the top deck: the package's
single top-level Anki deck, or (when the notes sit in several top-level decks, or the file
has no decks, as a CSV file without a deck column) a deck named after the output file that
the top-level decks hang under. Sub-deck files go beside it as ``<deck-id>.yaml``.

Deck ids are slugs of the full Anki deck name (``Biology::Cells`` → ``biology-cells``), or
the original deck id for notes that metaflash exported. Images become Markdown images
pointing into the ``media/`` folder beside the deck files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from metaflash.core.decks.cloze import parse_cloze
from metaflash.core.decks.loader import IMAGE_SUFFIXES
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardContent,
    CardId,
    CardType,
    ClozeContent,
    Deck,
    DeckId,
    Problem,
    ReverseContent,
    SequenceContent,
)
from metaflash.core.interop.html_markdown import (
    html_to_markdown,
    parse_html,
    plain_text_to_markdown,
)
from metaflash.core.interop.import_result import (
    CancelCheck,
    ImportCancelled,
    ImportProgress,
    ProgressCallback,
    no_progress,
)
from metaflash.core.interop.incoming_notes import (
    IncomingNote,
    card_id_for_guid,
    short_hash,
    slugify,
    split_ident,
)

MEDIA_FOLDER = "media"
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_PLAIN_NAME = re.compile(r"^[^/\\\x00-\x1f]+$")


@dataclass(frozen=True, slots=True)
class PlannedDeck:
    deck: Deck
    path: Path


@dataclass(frozen=True, slots=True)
class ImportPlan:
    decks: tuple[PlannedDeck, ...]  # the top deck first
    media: tuple[str, ...]  # media file names the cards use, to copy into media/
    cards: int
    warnings: tuple[Problem, ...]
    #: the name each media file gets in media/ where it differs from its own (a different
    #: file of that name is there already, and is kept)
    renamed: Mapping[str, str] = field(default_factory=dict)
    #: media files already in media/ with the same content: nothing to copy
    present: frozenset[str] = frozenset()

    def media_target(self, name: str) -> str:
        return self.renamed.get(name, name)

    @property
    def to_copy(self) -> tuple[str, ...]:
        return tuple(name for name in self.media if name not in self.present)


#: Says whether the media file ``name`` of the import has the same bytes as ``existing``.
SameMedia = Callable[[str, Path], bool]


def _numbered(name: str, number: int) -> str:
    path = PurePosixPath(name)
    return f"{path.stem} ({number}){path.suffix}"


#: How many notes are converted between progress reports and cancel checks.
_PROGRESS_EVERY = 100


def _warning(note: IncomingNote, message: str, hint: str = "") -> Problem:
    return Problem(note.file, note.line, 1, f"{note.label}: {message}", hint, "warning")


class _CardMaker:
    def __init__(
        self, folder: Path, media_exists: Callable[[str], bool], same_media: SameMedia | None
    ) -> None:
        self.folder = folder
        self.media_exists = media_exists
        self.same_media = same_media
        self.media: dict[str, None] = {}
        self.renamed: dict[str, str] = {}
        self.present: set[str] = set()
        self._taken: set[str] = set()
        self.warnings: list[Problem] = []
        self._missing: set[str] = set()
        self.diagram_notes: list[IncomingNote] = []

    def _image(self, note: IncomingNote, src: str) -> str | None:
        if _REMOTE.match(src):
            return src
        if not _PLAIN_NAME.match(src) or src in (".", ".."):
            self.warnings.append(
                _warning(note, f"image {src!r} is not a media file name; left out")
            )
            return None
        if not self.media_exists(src):
            if src not in self._missing:
                self._missing.add(src)
                self.warnings.append(
                    _warning(
                        note,
                        f"media file {src!r} is missing from the import; the card "
                        f"points at {MEDIA_FOLDER}/{src}",
                        f"copy {src} into the media folder",
                    )
                )
        else:
            if src not in self.media:
                self._place(note, src)
            self.media[src] = None
            return f"{MEDIA_FOLDER}/{self.renamed.get(src, src)}"
        return f"{MEDIA_FOLDER}/{src}"

    def _place(self, note: IncomingNote, src: str) -> None:
        """Choose the name ``src`` gets in media/: never over a different existing file."""
        media_folder = self.folder / MEDIA_FOLDER
        candidate, number = src, 1
        while True:
            existing = media_folder / candidate
            if candidate not in self._taken and not (existing.exists() or existing.is_symlink()):
                break
            if (
                candidate not in self._taken
                and self.same_media is not None
                and existing.is_file()
                and not existing.is_symlink()
                and self.same_media(src, existing)
            ):
                self.present.add(src)
                break
            number += 1
            candidate = _numbered(src, number)
        self._taken.add(candidate)
        if candidate != src:
            self.renamed[src] = candidate
            self.warnings.append(
                _warning(
                    note,
                    f"{MEDIA_FOLDER}/{src} already exists with other content and is kept; "
                    f"the imported file is {MEDIA_FOLDER}/{candidate}",
                )
            )

    def markdown(self, note: IncomingNote, text: str) -> str:
        if not note.is_html:
            return plain_text_to_markdown(text)
        return html_to_markdown(text, lambda src: self._image(note, src))

    def card_image(self, note: IncomingNote) -> Path | None:
        if not note.image:
            return None
        soup = parse_html(note.image)
        element = soup.find("img")
        src = element.get("src") if element is not None else None
        if not isinstance(src, str) or not src.strip():
            return None
        relative = self._image(note, src.strip())
        if relative is None or _REMOTE.match(relative) or not self.media_exists(src.strip()):
            return None
        if Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            self.warnings.append(
                _warning(note, f"{src.strip()!r} is not an image file metaflash shows; left out")
            )
            return None
        return self.folder / relative

    def content(self, note: IncomingNote) -> CardContent | None:
        first = self.markdown(note, note.first)
        match note.card_type:
            case CardType.BASIC | CardType.REVERSE | CardType.DIAGRAM:
                second = self.markdown(note, note.second)
                if not first.strip() or not second.strip():
                    side = "front" if not first.strip() else "back"
                    self.warnings.append(_warning(note, f"skipped: the {side} is empty"))
                    return None
                if note.card_type is CardType.REVERSE:
                    return ReverseContent(first, second)
                if note.card_type is CardType.DIAGRAM:  # no diagram comes with the file
                    self.diagram_notes.append(note)
                return BasicContent(first, second)
            case CardType.CLOZE:
                parsed = parse_cloze(first)
                if isinstance(parsed, tuple):
                    self.warnings.append(
                        _warning(note, f"skipped: {parsed[0].message}", parsed[0].hint)
                    )
                    return None
                return ClozeContent(first, parsed)
            case CardType.SEQUENCE:
                steps = tuple(
                    step for step in (self.markdown(note, s) for s in note.steps) if step.strip()
                )
                if len(steps) < 2 or not first.strip():
                    self.warnings.append(
                        _warning(note, "skipped: a sequence needs a prompt and two steps")
                    )
                    return None
                return SequenceContent(first, steps)
        return None

    def notes_text(self, note: IncomingNote) -> str:
        parts = [self.markdown(note, note.notes)] if note.notes.strip() else []
        for name, value in note.extras:
            text = self.markdown(note, value)
            if text:
                parts.append(f"**{name}:** {text}")
        if note.source.strip():
            source = self.markdown(note, note.source)
            if source:
                parts.append(f"Source: {source}")
        return "\n\n".join(part for part in parts if part.strip())


def _unique(wanted: str, used: set[str], salt: str) -> str:
    candidate = wanted
    counter = 1
    while candidate in used:
        candidate = f"{wanted}-{short_hash(f'{salt}#{counter}')}"
        counter += 1
    used.add(candidate)
    return candidate


def plan_import(
    notes: Sequence[IncomingNote],
    out: Path,
    *,
    top_title: str,
    media_exists: Callable[[str], bool],
    cancelled: CancelCheck,
    progress: ProgressCallback = no_progress,
    same_media: SameMedia | None = None,
) -> ImportPlan:
    """Decks for ``notes``; the top deck is written to ``out``, sub-decks beside it.

    Converting is the slow part of an import: progress is reported, and ``cancelled`` checked,
    every :data:`_PROGRESS_EVERY` notes."""
    folder = out.parent
    maker = _CardMaker(folder, media_exists, same_media)
    paths: set[tuple[str, ...]] = set()
    for note in notes:
        for length in range(1, len(note.deck) + 1):
            paths.add(note.deck[:length])
    tops = {path[0] for path in paths}
    synthetic_top = len(tops) != 1 or any(not note.deck for note in notes)
    top_path: tuple[str, ...] = () if synthetic_top else (next(iter(tops)),)

    def key(path: tuple[str, ...]) -> tuple[str, ...]:
        return () if (not synthetic_top and path == top_path) else path

    by_deck: dict[tuple[str, ...], list[IncomingNote]] = {}
    for note in notes:
        by_deck.setdefault(key(note.deck), []).append(note)
    deck_paths = sorted({key(path) for path in paths} | {()})

    used_deck_ids: set[str] = set()
    deck_ids: dict[tuple[str, ...], DeckId] = {}
    for path in deck_paths:
        members = by_deck.get(path, [])
        owners = {
            ident[0] if ident else None for ident in (split_ident(note.ident) for note in members)
        }
        original = next(iter(owners)) if len(owners) == 1 else None
        if original is not None:
            wanted = original
        elif path:
            wanted = slugify("-".join(path)) or f"deck-{short_hash('::'.join(path))}"
        else:
            wanted = slugify(top_path[0] if top_path else top_title) or "imported"
        deck_ids[path] = DeckId(_unique(wanted, used_deck_ids, "::".join(path)))

    decks: list[PlannedDeck] = []
    used_files: set[Path] = {out}
    total = 0
    converted = 0
    for path in deck_paths:
        if cancelled():
            raise ImportCancelled()
        cards: list[Card] = []
        used_ids: set[str] = set()
        for note in by_deck.get(path, []):
            converted += 1
            if converted % _PROGRESS_EVERY == 0:
                if cancelled():
                    raise ImportCancelled()
                progress(ImportProgress("converting cards", converted, len(notes)))
            content = maker.content(note)
            if content is None:
                continue
            ident = split_ident(note.ident)
            if ident is not None:
                wanted = ident[1]
            elif note.guid:
                wanted = card_id_for_guid(note.guid)
            else:
                wanted = slugify(maker.markdown(note, note.first))[:40].strip("-") or "card"
            card_id = CardId(_unique(wanted, used_ids, note.guid or note.first))
            cards.append(
                Card(
                    id=card_id,
                    content=content,
                    tags=tuple(dict.fromkeys(note.tags)),
                    notes=maker.notes_text(note),
                    image=maker.card_image(note),
                )
            )
        total += len(cards)
        if path:
            file = folder / f"{deck_ids[path]}.yaml"
            if file in used_files:
                file = folder / f"{deck_ids[path]}-{short_hash('::'.join(path))}.yaml"
            used_files.add(file)
            parent_path = path[:-1] if len(path) > 1 else ()
            title = path[-1].strip() or deck_ids[path]
            parent: DeckId | None = deck_ids[key(parent_path)]
        else:
            file = out
            title = top_path[0] if top_path else top_title
            parent = None
        deck = Deck(id=deck_ids[path], title=title, cards=tuple(cards), parent=parent, path=file)
        decks.append(PlannedDeck(deck, file))
    decks.sort(key=lambda planned: planned.path != out)
    if maker.diagram_notes:
        first = maker.diagram_notes[0]
        count = len(maker.diagram_notes)
        maker.warnings.append(
            Problem(
                first.file,
                first.line,
                1,
                f"{count} diagram card{'s' if count != 1 else ''} imported as "
                f"{'a basic card' if count == 1 else 'basic cards'} (question → step label): "
                "the file carries no diagram to answer on",
                "to study them on a diagram again, give the deck 'diagram: FILE.diagram.yaml' "
                "and each card 'type: diagram', 'question' and 'answer: STEP-ID'",
                "warning",
            )
        )
    return ImportPlan(
        tuple(decks),
        tuple(maker.media),
        total,
        tuple(maker.warnings),
        dict(maker.renamed),
        frozenset(maker.present),
    )


def with_path(planned: PlannedDeck, path: Path) -> PlannedDeck:
    return PlannedDeck(replace(planned.deck, path=path), path)
