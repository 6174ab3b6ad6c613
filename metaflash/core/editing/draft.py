"""What the deck editor's forms hold: a card or the deck's header as plain, typed values.

:class:`CardDraft` and :class:`DeckMeta` are read leniently from a deck file's composed
nodes (a field the file gets wrong reads as empty; the loader reports the mistake), and an
edit is written back as the difference between the draft before and after it: a field the
user did not touch is never rewritten, so its formatting and comments stay as they were.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Final, TypeVar

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from metaflash.core.decks.cloze import parse_cloze
from metaflash.core.decks.loader import DECK_ORDER, OPTIONAL_TYPE_FIELDS, TYPE_FIELDS
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    CardContent,
    CardId,
    CardType,
    ClozeContent,
    DiagramContent,
    ReverseContent,
    SequenceContent,
    SourceDocument,
    SourceRef,
    StepId,
)
from metaflash.core.decks.yaml_fields import plain_kind
from metaflash.core.decks.yaml_source import MappingNode, Node, ScalarNode, SequenceNode
from metaflash.core.editing.yaml_roundtrip import (
    flow_list,
    flow_map,
    remove_key,
    set_key,
    styled_text,
)

#: The order of a card's keys in docs/deck-format.md; new keys are placed by it.
CARD_ORDER: Final = (
    "id",
    "type",
    "front",
    "back",
    "text",
    "prompt",
    "steps",
    "stages",
    "question",
    "answer",
    "tags",
    "stage",
    "source",
    "notes",
    "image",
)
#: The fields each card type may have besides the common ones (required, then optional).
OWN_FIELDS: Final = {
    name: (*fields, *OPTIONAL_TYPE_FIELDS.get(name, ())) for name, fields in TYPE_FIELDS.items()
}
TYPE_ONLY_FIELDS: Final = frozenset(name for names in OWN_FIELDS.values() for name in names)
#: Text fields that are usually long: new values longer than a line are folded (``>-``).
_LONG_FIELDS: Final = frozenset(
    {"front", "back", "text", "prompt", "question", "notes", "description"}
)
_TEXT_FIELDS: Final = (
    "id",
    "front",
    "back",
    "text",
    "prompt",
    "question",
    "answer",
    "stage",
    "notes",
    "image",
)
_LIST_FIELDS: Final = ("steps", "stages")
_QUOTED: Final = (DoubleQuotedScalarString, SingleQuotedScalarString)


@dataclass(frozen=True, slots=True)
class CardDraft:
    """One card as the editor's form shows it. Fields of other card types are kept (and
    ignored) so that switching the type back and forth loses nothing until it is saved."""

    id: str = ""
    type: CardType = CardType.BASIC
    front: str = ""
    back: str = ""
    text: str = ""
    prompt: str = ""
    steps: tuple[str, ...] = ()
    #: a sequence's diagram step for each step ("" for none); empty when it names none
    stages: tuple[str, ...] = ()
    question: str = ""  # a diagram card's question
    answer: str = ""  # a diagram card's answer: a step id of the deck's diagram
    tags: tuple[str, ...] = ()
    stage: str = ""
    sources: tuple[SourceRef, ...] = ()
    notes: str = ""
    image: str = ""

    @property
    def label(self) -> str:
        """The text a card is recognised by: its front, cloze text, prompt or question."""
        match self.type:
            case CardType.CLOZE:
                return self.text
            case CardType.SEQUENCE:
                return self.prompt
            case CardType.DIAGRAM:
                return self.question
            case _:
                return self.front

    def for_type(self, card_type: CardType) -> CardDraft:
        """This card as ``card_type``: the content carried over where it fits, the fields
        of other types emptied (they are removed from the file)."""
        if card_type is self.type:
            return self.only_own_fields()
        label = self.label
        answer = self.back if self.type in (CardType.BASIC, CardType.REVERSE) else ""
        if self.type is CardType.SEQUENCE:
            answer = "\n".join(self.steps)
        moved = replace(self, type=card_type)
        match card_type:
            case CardType.BASIC | CardType.REVERSE:
                moved = replace(moved, front=self.front or label, back=self.back or answer)
            case CardType.CLOZE:
                moved = replace(moved, text=self.text or label)
            case CardType.SEQUENCE:
                steps = self.steps or tuple(
                    line.strip() for line in answer.splitlines() if line.strip()
                )
                moved = replace(moved, prompt=self.prompt or label, steps=steps)
            case CardType.DIAGRAM:
                moved = replace(
                    moved, question=self.question or label, answer=self.answer or self.stage
                )
        return moved.only_own_fields()

    def only_own_fields(self) -> CardDraft:
        own = OWN_FIELDS[self.type.value]
        return replace(
            self,
            front=self.front if "front" in own else "",
            back=self.back if "back" in own else "",
            text=self.text if "text" in own else "",
            prompt=self.prompt if "prompt" in own else "",
            steps=self.steps if "steps" in own else (),
            stages=self.stages if "stages" in own else (),
            question=self.question if "question" in own else "",
            answer=self.answer if "answer" in own else "",
        )


@dataclass(frozen=True, slots=True)
class DeckMeta:
    """A deck's header fields (``id`` is shown, never written: progress is stored under it)."""

    id: str = ""
    title: str = ""
    description: str = ""
    parent: str = ""
    authors: tuple[str, ...] = ()
    version: str = ""
    licence: str = ""
    diagram: str = ""
    sources: tuple[SourceDocument, ...] = ()


# --- reading from composed nodes ------------------------------------------------------------


def _text(node: Node | None) -> str:
    return node.value if type(node) is ScalarNode else ""


def _texts(node: Node | None) -> tuple[str, ...]:
    if type(node) is SequenceNode:
        return tuple(item.value for item in node.items if type(item) is ScalarNode)
    if type(node) is ScalarNode and node.value:
        return (node.value,)
    return ()


def _step_ids(node: Node | None) -> tuple[str, ...]:
    """A sequence's ``stages``: ``null`` items read as ""."""
    if type(node) is not SequenceNode:
        return ()
    return tuple(
        "" if type(item) is not ScalarNode or plain_kind(item) == "null" else item.value
        for item in node.items
    )


def _value(node: MappingNode, key: str) -> Node | None:
    found = node.entries.get(key)
    return None if found is None else found[1]


def _citations(node: Node | None) -> tuple[SourceRef, ...]:
    items: Sequence[Node] = node.items if type(node) is SequenceNode else ([node] if node else [])
    return tuple(
        SourceRef(_text(_value(item, "document")), _text(_value(item, "section")))
        for item in items
        if type(item) is MappingNode
    )


def read_card(node: Node) -> CardDraft:
    """The draft of a card item (an item that is not a mapping reads as an empty card)."""
    if type(node) is not MappingNode:
        return CardDraft()
    written_type = _text(_value(node, "type")) or CardType.BASIC.value
    card_type = CardType(written_type) if written_type in TYPE_FIELDS else CardType.BASIC
    values = {name: _text(_value(node, name)) for name in _TEXT_FIELDS}
    return CardDraft(
        type=card_type,
        steps=_texts(_value(node, "steps")),
        stages=_step_ids(_value(node, "stages")),
        tags=_texts(_value(node, "tags")),
        sources=_citations(_value(node, "source")),
        **values,
    )


def read_meta(root: MappingNode) -> DeckMeta:
    sources = _value(root, "sources")
    documents = tuple(
        SourceDocument(
            _text(_value(item, "id")),
            _text(_value(item, "title")),
            _text(_value(item, "file")),
            _text(_value(item, "url")),
            _texts(_value(item, "sections")),
        )
        for item in (sources.items if type(sources) is SequenceNode else ())
        if type(item) is MappingNode
    )
    return DeckMeta(
        id=_text(_value(root, "id")),
        title=_text(_value(root, "title")),
        description=_text(_value(root, "description")),
        parent=_text(_value(root, "parent")),
        authors=_texts(_value(root, "authors")),
        version=_text(_value(root, "version")),
        licence=_text(_value(root, "licence")) or _text(_value(root, "license")),
        diagram=_text(_value(root, "diagram")),
        sources=documents,
    )


# --- writing the difference back ------------------------------------------------------------


def _scalar_value(value: str, previous: object, name: str, column: int, safe: bool) -> object:
    if safe:
        return DoubleQuotedScalarString(value)
    return styled_text(value, previous, indent=column, fold_long=name in _LONG_FIELDS)


def apply_card(
    card: CommentedMap,
    before: CardDraft,
    after: CardDraft,
    *,
    column: int,
    new: bool = False,
    safe: bool = False,
) -> None:
    """Write into ``card`` what changed from ``before`` to ``after``. ``column`` is where
    the card's keys start; ``new`` writes every field of the type (a new card); ``safe``
    double-quotes every written text (used when a styled value did not read back)."""
    retyped = before.type is not after.type
    required = TYPE_FIELDS[after.type.value]
    own = OWN_FIELDS[after.type.value]
    if retyped:
        for name in TYPE_ONLY_FIELDS - set(own):
            remove_key(card, name)
    if retyped or new:
        set_key(card, "type", after.type.value, CARD_ORDER)
    for name in _TEXT_FIELDS:
        if name in TYPE_ONLY_FIELDS and name not in own:
            continue
        value: str = getattr(after, name)
        needed = name == "id" or name in required
        missing = needed and name not in card
        if value == getattr(before, name) and not missing and not new:
            continue
        if not value and not needed:
            remove_key(card, name)
        else:
            set_key(
                card, name, _scalar_value(value, card.get(name), name, column, safe), CARD_ORDER
            )
    if "steps" in own and (after.steps != before.steps or "steps" not in card or new):
        _write_steps(card, after.steps, column, safe)
    if "stages" in own and (after.stages != before.stages or (new and after.stages)):
        if any(after.stages):
            stages = CommentedSeq([stage or None for stage in after.stages])
            stages.fa.set_flow_style()
            set_key(card, "stages", stages, CARD_ORDER)
        else:
            remove_key(card, "stages")
    if after.tags != before.tags or (new and after.tags):
        if after.tags:
            set_key(card, "tags", _tags_value(after.tags, card.get("tags")), CARD_ORDER)
        else:
            remove_key(card, "tags")
    if after.sources != before.sources or (new and after.sources):
        if after.sources:
            set_key(card, "source", _citations_value(after.sources, card.get("source")), CARD_ORDER)
        else:
            remove_key(card, "source")


def _write_steps(card: CommentedMap, steps: tuple[str, ...], column: int, safe: bool) -> None:
    def make(step: str, previous: object = None) -> object:
        return _scalar_value(step, previous, "step", column + 2, safe)

    existing = card.get("steps")
    if isinstance(existing, CommentedSeq) and existing.fa.flow_style() and not safe:
        set_key(card, "steps", flow_list(steps), CARD_ORDER)
    elif isinstance(existing, CommentedSeq) and not existing.fa.flow_style():
        _sync_list(existing, [str(item) for item in existing], list(steps), make)
    else:
        set_key(card, "steps", CommentedSeq([make(step) for step in steps]), CARD_ORDER)


T = TypeVar("T")


def _sync_list(
    target: CommentedSeq, old: Sequence[T], new: Sequence[T], make: Callable[[T, object], object]
) -> None:
    """Change ``target`` (holding ``old``) to hold ``new`` with the fewest item changes."""
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1)
        for offset in range(common):
            target[i1 + offset] = make(new[j1 + offset], target[i1 + offset])
        for _ in range(i2 - i1 - common):
            del target[i1 + common]
        for offset in range(common, j2 - j1):
            target.insert(i1 + offset, make(new[j1 + offset], None))


def _tags_value(tags: tuple[str, ...], previous: object) -> CommentedSeq:
    if isinstance(previous, CommentedSeq) and not previous.fa.flow_style():
        return CommentedSeq(list(flow_list(tags)))
    return flow_list(tags)


def _citation(ref: SourceRef) -> CommentedMap:
    pairs: list[tuple[str, object]] = [("document", styled_text(ref.document))]
    if ref.section:
        pairs.append(("section", DoubleQuotedScalarString(ref.section)))
    return flow_map(pairs)


def _citations_value(refs: tuple[SourceRef, ...], previous: object) -> object:
    if len(refs) == 1 and not isinstance(previous, CommentedSeq):
        return _citation(refs[0])
    return CommentedSeq([_citation(ref) for ref in refs])


def apply_meta(
    root: CommentedMap, before: DeckMeta, after: DeckMeta, *, safe: bool = False
) -> None:
    """Write into a deck's top-level mapping what changed from ``before`` to ``after``."""
    licence_key = "license" if "license" in root and "licence" not in root else "licence"
    for name, key in (
        ("title", "title"),
        ("description", "description"),
        ("parent", "parent"),
        ("version", "version"),
        ("licence", licence_key),
        ("diagram", "diagram"),
    ):
        value: str = getattr(after, name)
        if value == getattr(before, name):
            continue
        if not value and name != "title":
            remove_key(root, key)
            continue
        previous = root.get(key)
        if name == "version" and not isinstance(previous, _QUOTED):
            previous = DoubleQuotedScalarString("")  # "1.0" unquoted would be a number
        set_key(root, key, _scalar_value(value, previous, name, 0, safe), DECK_ORDER)
    if after.authors != before.authors:
        if after.authors:
            set_key(root, "authors", flow_list(after.authors), DECK_ORDER)
        else:
            remove_key(root, "authors")
    if after.sources != before.sources:
        _write_sources(root, before.sources, after.sources, safe)


def _source_map(document: SourceDocument, safe: bool, previous: object = None) -> CommentedMap:
    mapping = previous if isinstance(previous, CommentedMap) else CommentedMap()
    for name in ("id", "title", "file", "url"):
        value: str = getattr(document, name)
        if value == mapping.get(name):
            continue
        if value or name in ("id", "title"):
            set_key(
                mapping,
                name,
                _scalar_value(value, mapping.get(name), name, 4, safe),
                ("id", "title", "file", "url"),
            )
        else:
            remove_key(mapping, name)
    if not document.sections:
        remove_key(mapping, "sections")
    elif tuple(mapping.get("sections") or ()) != document.sections:
        mapping["sections"] = CommentedSeq(list(document.sections))
    return mapping


def _write_sources(
    root: CommentedMap,
    before: tuple[SourceDocument, ...],
    after: tuple[SourceDocument, ...],
    safe: bool,
) -> None:
    if not after:
        remove_key(root, "sources")
        return
    existing = root.get("sources")
    if (
        isinstance(existing, CommentedSeq)
        and not existing.fa.flow_style()
        and len(existing) == len(before)
    ):
        _sync_list(
            existing, list(before), list(after), lambda doc, old: _source_map(doc, safe, old)
        )
        return
    set_key(root, "sources", CommentedSeq([_source_map(doc, safe) for doc in after]), DECK_ORDER)


def draft_card(
    draft: CardDraft, folder: Path, steps_by_id: Mapping[str, tuple[str, str]] | None = None
) -> Card | str:
    """The card a draft makes, for a preview; or why it cannot be shown yet. ``steps_by_id``
    gives the label and summary of the deck's diagram steps (a diagram card's answer)."""
    steps_by_id = steps_by_id or {}
    content: CardContent
    match draft.type:
        case CardType.BASIC | CardType.REVERSE:
            if not draft.front.strip() or not draft.back.strip():
                return "Write the front and the back to see the card."
            content = (BasicContent if draft.type is CardType.BASIC else ReverseContent)(
                draft.front, draft.back
            )
        case CardType.CLOZE:
            parsed = parse_cloze(draft.text)
            if isinstance(parsed, tuple):
                return f"{parsed[0].message[0].upper()}{parsed[0].message[1:]} ({parsed[0].hint})."
            content = ClozeContent(draft.text, parsed)
        case CardType.SEQUENCE:
            steps = tuple(step for step in draft.steps if step.strip())
            if not draft.prompt.strip() or len(steps) < 2:
                return "Write the prompt and at least two steps to see the card."
            stages = tuple(StepId(stage) if stage else None for stage in draft.stages)
            content = SequenceContent(
                draft.prompt, steps, stages if len(stages) == len(steps) else ()
            )
        case CardType.DIAGRAM:
            if not draft.question.strip() or not draft.answer:
                return "Write the question and choose the answer's step to see the card."
            label, summary = steps_by_id.get(draft.answer, (draft.answer, ""))
            content = DiagramContent(draft.question, StepId(draft.answer), label, summary)
    image = None
    if (
        draft.image
        and not PurePosixPath(draft.image).is_absolute()
        and (folder / draft.image).is_file()
    ):
        image = folder / draft.image
    return Card(
        CardId(draft.id or "new-card"),
        content,
        draft.tags,
        StepId(draft.stage) if draft.stage else None,
        draft.sources,
        draft.notes,
        image,
    )
