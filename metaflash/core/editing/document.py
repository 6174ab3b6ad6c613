"""A deck file's text as the editor changes it: every edit returns a new, checked document.

A :class:`DeckDocument` is immutable. Changing a card edits only that card's lines,
round-trip (:mod:`metaflash.core.editing.yaml_roundtrip`); adding, deleting and moving cards splice
whole card blocks and leave the blank lines and comments between cards in place
(:mod:`metaflash.core.editing.positions`). Each result is read back: the card must hold what was
asked for, and a splice must hold the same data a plain round-trip edit would; otherwise a
safer way is taken (quoted values, or a round-trip edit of the whole file). Nothing is lost
silently: what cannot be written exactly raises :class:`DocumentError`.

The file's byte-order mark, line endings and final newline are kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from metaflash.core.decks.model import Problem
from metaflash.core.decks.yaml_source import SequenceNode, compose
from metaflash.core.editing.draft import (
    OWN_FIELDS,
    TYPE_ONLY_FIELDS,
    CardDraft,
    DeckMeta,
    apply_card,
    apply_meta,
    read_card,
    read_meta,
)
from metaflash.core.editing.positions import DeckLayout, layout_of
from metaflash.core.editing.yaml_roundtrip import Indentation, RoundTripError, dump, edit_text, load

_PyYamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOM: Final = "\ufeff"
_PLAIN_INDENT: Final = Indentation()


class DocumentError(Exception):
    """The text cannot be edited (or an edit cannot be written exactly); ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class DeckDocument:
    """The text of one deck file (``\\n`` line ends inside, the file's own when written)."""

    __slots__ = ("_cards", "_layout", "bom", "final_newline", "newline", "text")

    def __init__(
        self, text: str, *, bom: bool = False, newline: str = "\n", final_newline: bool = True
    ) -> None:
        if not text.endswith("\n"):
            text += "\n"
        self.text = text
        self.bom = bom
        self.newline = newline
        self.final_newline = final_newline
        self._layout: DeckLayout | None = None
        self._cards: tuple[CardDraft, ...] | None = None

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> DeckDocument:
        """The document in a file's bytes; :class:`DocumentError` when it is not UTF-8 YAML
        holding a mapping (such a file must be fixed in a text editor first)."""
        bom = data.startswith(b"\xef\xbb\xbf")
        composed = compose(data, name)
        if isinstance(composed, Problem):
            raise DocumentError(composed)
        if composed.root is None:
            raise DocumentError(composed.problems[0])
        text = composed.source.text
        newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
        final = text.endswith(("\n", "\r"))
        normal = text.replace("\r\n", "\n").replace("\r", "\n")
        document = cls(normal, bom=bom, newline=newline, final_newline=final)
        if document._compute_layout() is None:
            raise DocumentError(
                Problem(
                    name,
                    1,
                    1,
                    "the file does not hold a deck (a mapping of fields)",
                    "open it in a text editor: a deck starts with 'format: 1', 'id: ...'",
                )
            )
        return document

    def file_bytes(self) -> bytes:
        """The bytes to write: BOM, line endings and final newline as the file had them."""
        text = self.text if self.final_newline else self.text[:-1]
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ((_BOM if self.bom else "") + text).encode("utf-8")

    def _derived(self, text: str) -> DeckDocument:
        return DeckDocument(
            text, bom=self.bom, newline=self.newline, final_newline=self.final_newline
        )

    # --- reading ------------------------------------------------------------------------------

    def _compute_layout(self) -> DeckLayout | None:
        if self._layout is None:
            self._layout = layout_of(self.text)
        return self._layout

    @property
    def layout(self) -> DeckLayout:
        layout = self._compute_layout()
        if layout is None:
            raise DocumentError(Problem("<editor>", 1, 1, "the text is not a deck"))
        return layout

    def cards(self) -> tuple[CardDraft, ...]:
        if self._cards is None:
            layout = self.layout
            if layout.block_cards:
                self._cards = tuple(read_card(span.node) for span in layout.cards)
            else:
                self._cards = _cards_of_root(layout)
        return self._cards

    def card(self, index: int) -> CardDraft:
        return self.cards()[index]

    def card_ids(self) -> tuple[str, ...]:
        return tuple(card.id for card in self.cards())

    def meta(self) -> DeckMeta:
        root = self.layout.root
        return read_meta(root) if root is not None else DeckMeta()

    def locate(self, line: int) -> tuple[int | None, str | None]:
        """The card (index) and field a 1-based ``line`` belongs to; for the deck's header
        the card is ``None`` (and the field is a top-level key, ``licence`` for both
        spellings, or ``None``)."""
        layout = self.layout
        index = layout.card_at(line - 1) if layout.block_cards else None
        if index is not None:
            return index, layout.cards[index].field_at(line - 1)
        field = next((f.name for f in layout.header_fields if f.first <= line - 1 <= f.last), None)
        if field == "cards":
            return None, None
        return None, "licence" if field == "license" else field

    # --- changing cards -----------------------------------------------------------------------

    def with_card(self, index: int, draft: CardDraft) -> DeckDocument:
        """This document with card ``index`` changed to ``draft``."""
        before = self.card(index)
        if draft == before:
            return self
        expected = _expected(before, draft)
        column = self.layout.indentation.sequence
        for safe in (False, True):

            def apply(card: CommentedMap, safe: bool = safe) -> None:
                apply_card(card, before, draft, column=column, safe=safe)

            result = self._edit_card(index, apply)
            if result.card(index) == expected and len(result.cards()) == len(self.cards()):
                return result
        raise _failure(f"the card '{draft.id}' could not be written exactly")

    def with_card_inserted(self, index: int, draft: CardDraft) -> DeckDocument:
        """This document with a new card at ``index`` (``len(cards())`` appends)."""
        expected = _expected(CardDraft(), draft, new=True)
        for safe in (False, True):
            block = self._render(draft, safe)
            result = self._insert_block(index, block)
            if result.card(index) == expected and len(result.cards()) == len(self.cards()) + 1:
                return result
        raise _failure(f"the card '{draft.id}' could not be written exactly")

    def with_card_duplicated(self, index: int, new_id: str) -> DeckDocument:
        """A copy of card ``index``, formatted as it is, with the id ``new_id``, after it."""
        layout = self.layout
        if layout.block_cards:
            span = layout.cards[index]
            block = "".join(layout.lines[span.start : span.end])
            try:
                copied = edit_text(block, layout.indentation, lambda data: _set_id(data, 0, new_id))
            except RoundTripError:
                pass
            else:
                result = self._insert_block(index + 1, copied)
                if result.card(index + 1) == replace(self.card(index), id=new_id):
                    return result

        def duplicate(data: object) -> None:
            cards = _cards_list(data)
            cards.insert(index + 1, copy.deepcopy(cards[index]))
            _set_id(cards, index + 1, new_id)

        return self._edit_whole(duplicate)

    def without_card(self, index: int) -> DeckDocument:
        layout = self.layout
        count = len(self.cards())
        if layout.block_cards and count > 1:
            blocks, separators = _blocks(layout)
            _cut(blocks, separators, index)
            result = self._derived(_splice(layout, blocks, separators))
            if _cards_data(result.text) == _without(_cards_data(self.text), index):
                return result

        def delete(data: object) -> None:
            if count == 1 and isinstance(data, CommentedMap):
                empty = CommentedSeq()
                empty.fa.set_flow_style()
                data["cards"] = empty
            else:
                del _cards_list(data)[index]

        return self._edit_whole(delete)

    def with_card_moved(self, index: int, target: int) -> DeckDocument:
        """Card ``index`` moved to position ``target``, as if its lines were cut and pasted:
        blank lines and comments between cards (section headings) stay where they are."""
        if index == target:
            return self
        layout = self.layout
        expected = _moved(_cards_data(self.text), index, target)
        if layout.block_cards:
            blocks, separators = _blocks(layout)
            block = _cut(blocks, separators, index)
            _paste(blocks, separators, target, block)
            result = self._derived(_splice(layout, blocks, separators))
            if _cards_data(result.text) == expected:
                return result

        def move(data: object) -> None:
            cards = _cards_list(data)
            cards.insert(target, cards.pop(index))

        return self._edit_whole(move)

    # --- changing the header ------------------------------------------------------------------

    def with_meta(self, meta: DeckMeta) -> DeckDocument:
        """This document with the deck's header fields changed to ``meta`` (not its id)."""
        before = self.meta()
        wanted = replace(meta, id=before.id)
        if wanted == before:
            return self
        layout = self.layout
        for safe in (False, True):

            def apply(data: object, safe: bool = safe) -> None:
                if not isinstance(data, CommentedMap):
                    raise RoundTripError("the deck's header is not a mapping")
                apply_meta(data, before, wanted, safe=safe)

            result = None
            if layout.header_end:
                try:
                    header = "".join(layout.lines[: layout.header_end])
                    changed = edit_text(header, layout.indentation, apply)
                    result = self._derived(changed + "".join(layout.lines[layout.header_end :]))
                except RoundTripError:
                    result = None
            if result is None or result.meta() != wanted:
                result = self._edit_whole(apply)
            if result.meta() == wanted:
                return result
        raise _failure("the deck's details could not be written exactly")

    # --- the ways of editing ------------------------------------------------------------------

    def _edit_card(self, index: int, apply: Callable[[CommentedMap], None]) -> DeckDocument:
        layout = self.layout
        if layout.block_cards:
            span = layout.cards[index]
            block = "".join(layout.lines[span.start : span.end])
            try:
                changed = edit_text(
                    block, layout.indentation, lambda data: apply(_card_map(data, 0))
                )
            except RoundTripError:
                pass
            else:
                lines = layout.lines
                return self._derived(
                    "".join(lines[: span.start]) + changed + "".join(lines[span.end :])
                )
        return self._edit_whole(lambda data: apply(_card_map(_cards_list(data), index)))

    def _edit_whole(self, apply: Callable[[object], None]) -> DeckDocument:
        try:
            return self._derived(edit_text(self.text, self.layout.indentation, apply))
        except RoundTripError as error:
            raise _failure(str(error)) from error

    def _render(self, draft: CardDraft, safe: bool) -> str:
        """A new card's block, indented as this file indents its cards."""
        card = CommentedMap()
        indentation = self.layout.indentation
        apply_card(card, CardDraft(), draft, column=indentation.sequence, new=True, safe=safe)
        return dump(CommentedSeq([card]), indentation)

    def _insert_block(self, index: int, block: str) -> DeckDocument:
        layout = self.layout
        count = len(self.cards())
        new_card = load(block, layout.indentation)
        if layout.block_cards and count:
            blocks, separators = _blocks(layout)
            _paste(blocks, separators, index, block.splitlines(True))
            result = self._derived(_splice(layout, blocks, separators))
            expected = _cards_data(self.text)
            plain = _plain(new_card)
            expected.insert(index, plain[0] if isinstance(plain, list) and plain else None)
            if _cards_data(result.text) == expected:
                return result

        def insert(data: object) -> None:
            assert isinstance(new_card, CommentedSeq)
            cards = data.get("cards") if isinstance(data, CommentedMap) else None
            if isinstance(data, CommentedMap) and (
                not isinstance(cards, CommentedSeq) or not cards
            ):
                data["cards"] = CommentedSeq([new_card[0]])
            else:
                _cards_list(data).insert(index, new_card[0])

        return self._edit_whole(insert)


# --- helpers ------------------------------------------------------------------------------------


def _failure(message: str) -> DocumentError:
    return DocumentError(
        Problem("<editor>", 1, 1, message, "please report this; the file was not changed")
    )


def _expected(before: CardDraft, after: CardDraft, *, new: bool = False) -> CardDraft:
    """What card ``after`` reads back as once written over ``before``."""
    own = OWN_FIELDS[after.type.value]
    if before.type is not after.type or new:
        return after.only_own_fields()
    kept = {name: getattr(after if name in own else before, name) for name in TYPE_ONLY_FIELDS}
    return replace(after, **kept)


def _cards_of_root(layout: DeckLayout) -> tuple[CardDraft, ...]:
    root = layout.root
    found = root.entries.get("cards") if root is not None else None
    if found is None or type(found[1]) is not SequenceNode:
        return ()
    return tuple(read_card(item) for item in found[1].items)


def _card_map(data: object, index: int) -> CommentedMap:
    if (
        not isinstance(data, CommentedSeq)
        or index >= len(data)
        or not isinstance(data[index], CommentedMap)
    ):
        raise RoundTripError(f"card {index + 1} is not a mapping of fields")
    card: CommentedMap = data[index]
    return card


def _cards_list(data: object) -> CommentedSeq:
    cards = data.get("cards") if isinstance(data, CommentedMap) else None
    if not isinstance(cards, CommentedSeq):
        raise RoundTripError("the deck's 'cards' is not a list")
    return cards


def _set_id(data: object, index: int, new_id: str) -> None:
    _card_map(data, index)["id"] = new_id


def _plain(data: object) -> object:
    """Round-trip data as plain Python values (as the deck loader's YAML reads them)."""
    return yaml.load(dump(data, _PLAIN_INDENT), Loader=_PyYamlLoader)


def _cards_data(text: str) -> list[object]:
    data = yaml.load(text, Loader=_PyYamlLoader)
    cards = data.get("cards") if isinstance(data, dict) else None
    return list(cards) if isinstance(cards, list) else []


def _without(cards: list[object], index: int) -> list[object]:
    return cards[:index] + cards[index + 1 :]


def _moved(cards: list[object], index: int, target: int) -> list[object]:
    moved = list(cards)
    moved.insert(target, moved.pop(index))
    return moved


def _blocks(layout: DeckLayout) -> tuple[list[list[str]], list[list[str]]]:
    blocks = [list(layout.lines[span.start : span.end]) for span in layout.cards]
    return blocks, layout.separators()


def _splice(
    layout: DeckLayout, blocks: Sequence[list[str]], separators: Sequence[list[str]]
) -> str:
    first = layout.cards[0].start
    middle = [line for block, separator in zip(blocks, separators) for line in block + separator]
    return (
        "".join(layout.lines[:first]) + "".join(middle) + "".join(layout.lines[layout.cards_end :])
    )


def _has_comment(lines: Sequence[str]) -> bool:
    return any(line.strip() for line in lines)


def _usual_separator(separators: Sequence[list[str]]) -> list[str]:
    """The separator most cards have (blank lines only), one blank line when unknown."""
    between = [separator for separator in separators[:-1] if not _has_comment(separator)]
    if not between:
        return ["\n"]
    counts: dict[int, int] = {}
    for separator in between:
        counts[len(separator)] = counts.get(len(separator), 0) + 1
    blank = max(counts, key=lambda size: counts[size])
    return ["\n"] * blank


def _cut(blocks: list[list[str]], separators: list[list[str]], index: int) -> list[str]:
    """Take card ``index``'s block out; the separators around it become one, keeping every
    comment (a heading comment stays before the card that followed)."""
    block = blocks.pop(index)
    after = separators.pop(index)
    if index == 0:
        if _has_comment(after):
            blocks[0] = after + blocks[0]
        return block
    before = separators[index - 1]
    last = index == len(blocks)
    if not _has_comment(before):
        separators[index - 1] = after if last or _has_comment(after) else before
    elif _has_comment(after) or last:
        separators[index - 1] = before + after
    return block


def _paste(
    blocks: list[list[str]], separators: list[list[str]], index: int, block: list[str]
) -> None:
    """Put a card's block at ``index``: right after the card before it (before any heading
    comment of the card that was at ``index``), with the deck's usual separator."""
    usual = _usual_separator(separators)
    if index == 0:
        blocks.insert(0, block)
        separators.insert(0, usual)
        return
    following = separators[index - 1]
    separators[index - 1] = usual
    blocks.insert(index, block)
    separators.insert(index, following)
