"""Editing one deck file: the edit session behind the deck editor, without any Qt.

A :class:`DeckEditSession` holds the document being edited (:mod:`metaflash.core.editing.document`),
its undo history, the ids of cards made since the last save, and what the file on disk
held when it was loaded or last saved. Views subscribe to :attr:`DeckEditSession.changed`
and :attr:`DeckEditSession.saved`.

**Card ids.** A new card gets a readable id made from the first words of its question,
made unique with ``-2``, ``-3``... Until the card is first saved, its id follows the
question as the author types it (unless the author types an id). Once saved, the id is
what students' progress is stored under: it never changes by itself, and the editor
changes it only when the author asks to and confirms a warning.

**Saving** is atomic (a temporary file beside the deck, fsync, rename; the file's
permissions are kept). Before writing, the file on disk is compared with what was loaded:
if someone else changed it, :meth:`DeckEditSession.save` refuses with :class:`SaveConflict`
unless told to overwrite, and the caller lets the author choose.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Final

from metaflash.core.decks.model import CardType, Deck, DeckId, DiagramStep, Problem
from metaflash.core.editing.document import DeckDocument, DocumentError
from metaflash.core.editing.draft import CardDraft, DeckMeta
from metaflash.core.library.file_reading import read_bytes
from metaflash.core.library.snapshot import (
    TextCheck,
    check_deck_text,
    load_diagram_file,
)
from metaflash.core.util.atomic_file import replace_atomically, temporary_sibling
from metaflash.core.util.observers import Signal

__all__ = [
    "CardDraft",
    "ChangeKind",
    "DeckEditSession",
    "DeckMeta",
    "DocumentError",
    "EditChange",
    "SaveConflict",
    "digest",
    "new_card_id",
]

_STOP_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "can",
        "could",
        "may",
        "might",
        "should",
        "would",
        "will",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "and",
        "or",
        "from",
        "into",
        "onto",
        "than",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "as",
        "name",
        "give",
    ]
)
_CLOZE_GAP: Final = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)
_WORD: Final = re.compile(r"[a-z0-9]+")
MAX_ID_WORDS: Final = 4
MAX_ID_LENGTH: Final = 40
_UNDO_LIMIT: Final = 200


def slug_words(text: str) -> list[str]:
    """The lower-case ASCII words of ``text`` (Markdown and cloze marks dropped)."""
    text = _CLOZE_GAP.sub(r"\1", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(ascii_text.lower())


def unique_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def new_card_id(question: str, taken: Collection[str]) -> str:
    """A readable id for a new card: the first words of its question that say something
    (``What is intravasation?`` → ``intravasation``), unique among ``taken``."""
    words = slug_words(question)
    content = [word for word in words if word not in _STOP_WORDS] or words
    base = ""
    for word in content[:MAX_ID_WORDS]:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        base = candidate
    if not base and content:
        base = content[0][:MAX_ID_LENGTH]
    return unique_slug(base or "new-card", taken)


def digest(data: bytes) -> str:
    """The content hash the editor compares files by (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


class ChangeKind(StrEnum):
    CARD = "card"  # one card's fields changed (``index``)
    CARDS = "cards"  # cards were added, removed or moved
    META = "meta"  # the deck's header changed
    ALL = "all"  # a new document: undo, redo, reload


@dataclass(frozen=True, slots=True)
class EditChange:
    kind: ChangeKind
    index: int | None = None


class SaveConflict(Exception):
    """The file changed on disk since it was loaded: ``disk_text`` is what it holds now
    (``None`` when it was deleted)."""

    def __init__(self, path: Path, disk_text: str | None) -> None:
        what = "was deleted" if disk_text is None else "changed on disk"
        super().__init__(f"{path} {what} since it was opened")
        self.path = path
        self.disk_text = disk_text


@dataclass(frozen=True, slots=True)
class _State:
    document: DeckDocument
    provisional: frozenset[str]


class DeckEditSession:
    """One deck file being edited."""

    def __init__(
        self,
        path: Path,
        data: bytes,
        *,
        others: Sequence[Deck] = (),
        known_ids: Collection[DeckId] = (),
    ) -> None:
        self.path = path
        document = DeckDocument.from_bytes(data, str(path))
        self._state = _State(document, frozenset())
        self._saved = document
        self._disk_digest: str | None = digest(data)
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self._coalesce: object = None
        self._others = tuple(others)
        self._known_ids = frozenset(known_ids)
        self._check: tuple[str, TextCheck] | None = None
        self.changed: Signal[EditChange] = Signal()
        self.saved: Signal[Path] = Signal()

    @classmethod
    def open(
        cls, path: Path, *, others: Sequence[Deck] = (), known_ids: Collection[DeckId] = ()
    ) -> DeckEditSession:
        """The session for the deck file at ``path``; :class:`DocumentError` if it cannot
        be read or is not YAML that the editor can change."""
        data = read_bytes(path, str(path))
        if isinstance(data, Problem):
            raise DocumentError(data)
        return cls(path, data, others=others, known_ids=known_ids)

    # --- state ----------------------------------------------------------------------------

    @property
    def document(self) -> DeckDocument:
        return self._state.document

    @property
    def dirty(self) -> bool:
        return self._state.document.text != self._saved.text

    @property
    def disk_digest(self) -> str | None:
        """The hash of the file as this session last read or wrote it: a file watcher that
        sees this hash on disk is seeing the editor's own save."""
        return self._disk_digest

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def saved_ids(self) -> frozenset[str]:
        """The card ids in the file as saved: progress may be stored under them."""
        return frozenset(self._saved.card_ids())

    def is_provisional(self, card_id: str) -> bool:
        """Whether the card's id still follows its question (a new card, never saved)."""
        return card_id in self._state.provisional

    def set_library(self, others: Sequence[Deck], known_ids: Collection[DeckId] = ()) -> None:
        """The other loaded decks, for the parent and duplicate-id checks."""
        self._others = tuple(others)
        self._known_ids = frozenset(known_ids)
        self._check = None

    def check(self) -> TextCheck:
        """Every problem the current text would have once saved (cached per text)."""
        text = self.document.text
        if self._check is None or self._check[0] != text:
            self._check = (text, check_deck_text(text, self.path, self._others, self._known_ids))
        return self._check[1]

    def diagram_steps(self) -> tuple[DiagramStep, ...]:
        """The steps of the diagram the deck names, in journey order (for the stage lists):
        the checked one, or read from its file when the deck has errors of its own."""
        meta = self.document.meta()
        if not meta.diagram:
            return ()
        diagram = self.check().diagram
        if diagram is None:
            found = load_diagram_file(self.path.parent / meta.diagram)
            diagram = None if isinstance(found, tuple) else found
        return diagram.ordered_steps() if diagram is not None else ()

    # --- edits ----------------------------------------------------------------------------

    def _commit(self, state: _State, change: EditChange, coalesce: object = None) -> None:
        if state == self._state:
            return
        if coalesce is None or coalesce != self._coalesce or not self._undo:
            self._undo.append(self._state)
            del self._undo[:-_UNDO_LIMIT]
        self._redo.clear()
        self._coalesce = coalesce
        self._state = state
        self.changed.emit(change)

    def update_card(self, index: int, draft: CardDraft) -> CardDraft:
        """Change card ``index`` to ``draft``; returns the draft as written (a new card's
        id follows its question)."""
        document = self.document
        before = document.card(index)
        provisional = self._state.provisional
        if before.id in provisional:
            provisional = provisional - {before.id}
            if draft.id == before.id:
                taken = set(document.card_ids()) - {before.id}
                draft = replace(draft, id=new_card_id(draft.label, taken))
                provisional = provisional | {draft.id}
        changed = document.with_card(index, draft)
        self._commit(
            _State(changed, provisional), EditChange(ChangeKind.CARD, index), ("card", index)
        )
        return changed.card(index)

    def add_card(self, index: int, card_type: CardType = CardType.BASIC, question: str = "") -> int:
        """A new, empty card of ``card_type`` at ``index``; returns its index."""
        document = self.document
        card_id = new_card_id(question, document.card_ids())
        draft = _new_draft(card_id, card_type, question)
        changed = document.with_card_inserted(index, draft)
        self._commit(
            _State(changed, self._state.provisional | {card_id}),
            EditChange(ChangeKind.CARDS, index),
        )
        return index

    def duplicate_card(self, index: int) -> int:
        """A copy of card ``index`` right after it, with a new id; returns its index."""
        document = self.document
        original = document.card(index)
        card_id = new_card_id(original.label or original.id, document.card_ids())
        changed = document.with_card_duplicated(index, card_id)
        self._commit(
            _State(changed, self._state.provisional | {card_id}),
            EditChange(ChangeKind.CARDS, index + 1),
        )
        return index + 1

    def delete_card(self, index: int) -> None:
        removed = self.document.card(index).id
        changed = self.document.without_card(index)
        self._commit(
            _State(changed, self._state.provisional - {removed}),
            EditChange(ChangeKind.CARDS, index),
        )

    def move_card(self, index: int, target: int) -> int:
        """Move card ``index`` to ``target`` (clamped to the deck); returns where it is."""
        target = max(0, min(target, len(self.document.cards()) - 1))
        changed = self.document.with_card_moved(index, target)
        self._commit(_State(changed, self._state.provisional), EditChange(ChangeKind.CARDS, target))
        return target

    def update_meta(self, meta: DeckMeta) -> None:
        changed = self.document.with_meta(meta)
        self._commit(_State(changed, self._state.provisional), EditChange(ChangeKind.META), "meta")

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self._state)
        self._state = self._undo.pop()
        self._coalesce = None
        self.changed.emit(EditChange(ChangeKind.ALL))
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self._state)
        self._state = self._redo.pop()
        self._coalesce = None
        self.changed.emit(EditChange(ChangeKind.ALL))
        return True

    # --- the file on disk -----------------------------------------------------------------

    def disk_conflict(self) -> SaveConflict | None:
        """How the file on disk differs from what this session loaded or saved, if it does."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return SaveConflict(self.path, None) if self._disk_digest is not None else None
        if digest(data) == self._disk_digest:
            return None
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return SaveConflict(self.path, text.replace("\r\n", "\n"))

    def save(self, *, overwrite: bool = False) -> None:
        """Write the document to its file atomically. Raises :class:`SaveConflict` when the
        file changed on disk (unless ``overwrite``), ``OSError`` when it cannot be written."""
        if not overwrite:
            conflict = self.disk_conflict()
            if conflict is not None:
                raise conflict
        data = self.document.file_bytes()
        _write_keeping_mode(self.path, data)
        self._disk_digest = digest(data)
        self._saved = self.document
        self._state = _State(self.document, frozenset())
        self._coalesce = None
        self.saved.emit(self.path)

    def reload(self) -> None:
        """Load the file from disk again, dropping unsaved edits and the undo history."""
        data = read_bytes(self.path, str(self.path))
        if isinstance(data, Problem):
            raise DocumentError(data)
        document = DeckDocument.from_bytes(data, str(self.path))
        self._state = _State(document, frozenset())
        self._saved = document
        self._disk_digest = digest(data)
        self._undo.clear()
        self._redo.clear()
        self._coalesce = None
        self.changed.emit(EditChange(ChangeKind.ALL))


def _new_draft(card_id: str, card_type: CardType, question: str) -> CardDraft:
    match card_type:
        case CardType.CLOZE:
            return CardDraft(id=card_id, type=card_type, text=question)
        case CardType.SEQUENCE:
            return CardDraft(id=card_id, type=card_type, prompt=question)
        case CardType.DIAGRAM:
            return CardDraft(id=card_id, type=card_type, question=question)
        case _:
            return CardDraft(id=card_id, type=card_type, front=question)


def _write_keeping_mode(path: Path, data: bytes) -> None:
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    with temporary_sibling(path) as temp:
        with open(temp, "wb") as stream:
            stream.write(data)
        os.chmod(temp, mode if mode is not None else 0o644)
        replace_atomically(temp, path)
