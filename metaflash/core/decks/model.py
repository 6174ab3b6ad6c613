"""The typed deck model: decks, cards, diagrams, and the prompts a card is studied as.

These are plain frozen dataclasses: ``metaflash.core.decks.loader`` builds them from YAML,
the collection schedules their :class:`Prompt` values, and the views display them.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple, NewType

from metaflash.core.decks.cloze import ClozeText
from metaflash.core.decks.lazy_cards import LazyCards
from metaflash.core.util.fast_pickle import fast_pickling_in

DeckId = NewType("DeckId", str)
CardId = NewType("CardId", str)
StepId = NewType("StepId", str)

#: The deck format this program reads and writes. Newer files are refused ("upgrade metaflash").
FORMAT_VERSION = 1
#: Deck, card, step and source ids: lower-case words joined by single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class CardType(StrEnum):
    BASIC = "basic"
    REVERSE = "reverse"
    CLOZE = "cloze"
    SEQUENCE = "sequence"
    DIAGRAM = "diagram"


class StepKind(StrEnum):
    STEP = "step"  # a stage of the cascade
    ROUTE = "route"  # a way through the body (blood, lymph)
    ORGAN = "organ"  # a place where cells settle or pass (liver, bone, sentinel node)


class StepRole(StrEnum):
    """What a step is in the story of the journey; the figure draws and animates by role.

    The layout derives each step's role from its kind, its place in the journey and its
    links; a step's ``role`` in the file overrides that for the roles in
    :data:`AUTHORED_ROLES` (e.g. a growth step that comes after the new tumour)."""

    ORIGIN = "origin"  # the first step: where the cells come from (the primary tumour)
    INVASION = "invasion"  # crossing the home tissue before reaching a vessel
    ENTRY = "entry"  # getting into a vessel
    TRANSIT = "transit"  # inside a vessel
    ROUTE = "route"  # a vessel itself (kind ``route``)
    EXIT = "exit"  # leaving a vessel
    SETTLE = "settle"  # settling in the new tissue
    GROWTH = "growth"  # the settled colony recruits new vessels
    TERMINAL = "terminal"  # the end of the journey: a new tumour
    ORGAN = "organ"  # a place the cells reach (kind ``organ``)
    STEP = "step"  # any other stage


#: The roles a diagram file may give a step; the others follow from its kind and links
#: (a vessel's entry and exit shape the vessels drawn around them).
AUTHORED_ROLES: tuple[StepRole, ...] = (
    StepRole.ORIGIN,
    StepRole.INVASION,
    StepRole.SETTLE,
    StepRole.GROWTH,
    StepRole.TERMINAL,
    StepRole.STEP,
)


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is written: 1-based line and column in ``file``."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Location("<unknown>", 1, 1)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document a deck or diagram derives from, declared once under ``sources``."""

    id: str
    title: str
    file: str = ""
    url: str = ""
    sections: tuple[str, ...] = ()  # the passages citations may name (empty: any)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A card's or step's citation: which declared document, which section of it."""

    document: str
    section: str


# --- card contents, one class per card type ---------------------------------------------


@dataclass(frozen=True, slots=True)
class BasicContent:
    front: str
    back: str


@dataclass(frozen=True, slots=True)
class ReverseContent:
    """Asked in both directions: front to back, and back to front."""

    front: str
    back: str


@dataclass(frozen=True, slots=True)
class ClozeContent:
    text: str
    cloze: ClozeText


@dataclass(frozen=True, slots=True)
class SequenceContent:
    """An ordered list of steps, asked as 'what comes after' and 'put in order'.

    ``stages`` is empty, or parallel to ``steps``: the diagram step each step is (or
    ``None``), so that a review can show on the diagram what comes next."""

    prompt: str
    steps: tuple[str, ...]
    stages: tuple[StepId | None, ...] = ()


@dataclass(frozen=True, slots=True)
class DiagramContent:
    """A question answered by picking a step on the deck's diagram.

    ``answer`` is the step's id, as written. ``answer_label`` and ``answer_summary`` are the
    step's label and summary, filled in by :func:`metaflash.core.library.snapshot.load_library` once
    the deck's diagram has loaded (empty when the deck was parsed alone)."""

    question: str
    answer: StepId
    answer_label: str = ""
    answer_summary: str = ""


CardContent = BasicContent | ReverseContent | ClozeContent | SequenceContent | DiagramContent


class PromptKey(NamedTuple):
    """What the collection schedules: one card of a deck, in one variant."""

    deck_id: DeckId
    card_id: CardId
    variant: str


@dataclass(frozen=True, slots=True)
class Prompt:
    """One thing to answer. Question and answer are Markdown.

    Variants: ``""`` (basic and diagram), ``"forward"``/``"backward"`` (reverse), ``"c1"``,
    ``"c2"``... (cloze), ``"next-2"``... (sequence: what comes after step 2) and ``"order"``
    (sequence: put the steps in order; ``shown_steps`` is the scrambled order to show).

    Diagram prompts are answered by picking ``answer_step`` on the deck's diagram; their
    ``answer`` is the step's label (its id when the diagram is unknown). Sequence prompts
    carry the card's ``step_stages`` (parallel to ``steps``, possibly empty).
    :func:`metaflash.core.diagrams.cues.diagram_cue` says what a review shows on the diagram.
    """

    deck_id: DeckId
    card_id: CardId
    variant: str
    card_type: CardType
    question: str
    answer: str
    stage: StepId | None
    tags: tuple[str, ...]
    notes: str = ""
    image: Path | None = None
    steps: tuple[str, ...] = ()
    shown_steps: tuple[str, ...] = ()
    answer_step: StepId | None = None
    step_stages: tuple[StepId | None, ...] = ()

    @property
    def key(self) -> PromptKey:
        return PromptKey(self.deck_id, self.card_id, self.variant)


@dataclass(frozen=True, slots=True)
class Card:
    id: CardId
    content: CardContent
    tags: tuple[str, ...] = ()
    stage: StepId | None = None
    sources: tuple[SourceRef, ...] = ()
    notes: str = ""
    image: Path | None = None  # absolute, inside the deck's folder
    location: Location = NOWHERE

    @property
    def type(self) -> CardType:
        match self.content:
            case BasicContent():
                return CardType.BASIC
            case ReverseContent():
                return CardType.REVERSE
            case ClozeContent():
                return CardType.CLOZE
            case SequenceContent():
                return CardType.SEQUENCE
            case DiagramContent():
                return CardType.DIAGRAM

    @property
    def diagram_step(self) -> StepId | None:
        """The diagram step the card is about: its ``stage``, else a diagram card's answer.

        Its prompts' ``stage``: where the card counts (mastery, studying one step)."""
        if self.stage is None and isinstance(self.content, DiagramContent):
            return self.content.answer
        return self.stage

    def variants(self) -> tuple[str, ...]:
        """The names of this card's prompts, in :meth:`prompts`' order, without making them
        (a test keeps the two in step)."""
        match self.content:
            case BasicContent() | DiagramContent():
                return ("",)
            case ReverseContent():
                return ("forward", "backward")
            case ClozeContent(_, cloze):
                return tuple(f"c{n}" for n in cloze.numbers)
            case SequenceContent(_, steps, _):
                return (*(f"next-{i}" for i in range(1, len(steps))), "order")

    def prompts(self, deck_id: DeckId) -> tuple[Prompt, ...]:
        """The prompts this card is studied as, in a stable order."""

        def make(
            variant: str,
            question: str,
            answer: str,
            *,
            steps: tuple[str, ...] = (),
            shown_steps: tuple[str, ...] = (),
            step_stages: tuple[StepId | None, ...] = (),
            answer_step: StepId | None = None,
        ) -> Prompt:
            return Prompt(
                deck_id,
                self.id,
                variant,
                self.type,
                question,
                answer,
                self.diagram_step,
                self.tags,
                self.notes,
                self.image,
                steps=steps,
                shown_steps=shown_steps,
                answer_step=answer_step,
                step_stages=step_stages,
            )

        match self.content:
            case BasicContent(front, back):
                return (make("", front, back),)
            case ReverseContent(front, back):
                return (make("forward", front, back), make("backward", back, front))
            case ClozeContent(_, cloze):
                return tuple(
                    make(f"c{n}", cloze.render(n, reveal=False), cloze.render(n, reveal=True))
                    for n in cloze.numbers
                )
            case SequenceContent(title, steps, stages):
                numbered = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
                result = [
                    make(
                        f"next-{i}",
                        f"{title}\n\nWhat comes after **{steps[i - 1]}**?",
                        steps[i],
                        steps=steps,
                        step_stages=stages,
                    )
                    for i in range(1, len(steps))
                ]
                shown = scrambled(steps, self.id)
                listed = "\n".join(f"- {step}" for step in shown)
                result.append(
                    make(
                        "order",
                        f"{title}\n\nPut these in order:\n\n{listed}",
                        numbered,
                        steps=steps,
                        shown_steps=shown,
                        step_stages=stages,
                    )
                )
                return tuple(result)
            case DiagramContent(question, step, label):
                return (make("", question, label or step, answer_step=step),)


def scrambled(steps: tuple[str, ...], seed: str) -> tuple[str, ...]:
    """A deterministic order of ``steps`` that differs from the given one (when it can)."""
    if len(set(steps)) < 2:
        return steps

    def rank(item: tuple[int, str]) -> bytes:
        return hashlib.sha256(f"{seed}\0{item[0]}\0{item[1]}".encode()).digest()

    order = tuple(step for _, step in sorted(enumerate(steps), key=rank))
    if order == steps:  # rotate by one: still deterministic, never the answer
        order = order[1:] + order[:1]
    return order


@dataclass(frozen=True, slots=True)
class Deck:
    id: DeckId
    title: str
    cards: tuple[Card, ...]
    format: int = FORMAT_VERSION
    description: str = ""
    authors: tuple[str, ...] = ()
    version: str = ""
    licence: str = ""
    sources: tuple[SourceDocument, ...] = ()
    parent: DeckId | None = None
    diagram: Path | None = None  # absolute path of the diagram file this deck uses
    path: Path | None = None
    location: Location = NOWHERE
    _by_id: dict[CardId, Card] = field(default_factory=dict, init=False, repr=False, compare=False)
    # the prompts, made once (a deck never changes; an edit makes a new Deck)
    _prompts: list[tuple[Prompt, ...]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    _prompt_total: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    # a deck read back from the library cache: its cards, not yet decoded (see lazy_cards)
    _lazy: list[LazyCards[Card]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_id.update((card.id, card) for card in self.cards)

    def __getattr__(self, name: str) -> object:
        # reached only for an unset slot: ``cards`` of a deck whose cards are still encoded
        if name != "cards":
            raise AttributeError(name)
        lazy = self._lazy
        if not lazy or not lazy[0].pending:
            raise AttributeError(name)
        cards = lazy[0].every_card()
        object.__setattr__(self, "cards", cards)
        self._by_id.update((card.id, card) for card in cards)
        return cards

    def _pending(self) -> LazyCards[Card] | None:
        """The cards still encoded, when the deck was read lazily and not all decoded."""
        return self._lazy[0] if self._lazy and self._lazy[0].pending else None

    def card(self, card_id: CardId) -> Card | None:
        found = self._by_id.get(card_id)
        lazy = self._pending() if found is None else None
        if lazy is not None:
            for card in lazy.chunk_with(card_id):
                self._by_id.setdefault(card.id, card)
            found = self._by_id.get(card_id)
        return found

    def has_card(self, card_id: CardId) -> bool:
        """Whether the deck holds a card with this id (a lazily read deck decodes nothing)."""
        if card_id in self._by_id:
            return True
        lazy = self._pending()
        return lazy.has(card_id) if lazy is not None else False

    def card_sequence(self) -> Sequence[Card]:
        """``cards``, or a view that decodes them a chunk at a time as they are read."""
        lazy = self._pending()
        return self.cards if lazy is None else lazy.view()

    def decode_some(self, chunks: int = 32) -> bool:
        """Decode a little more of a lazily read deck's cards (see :mod:`lazy_cards`); True
        once they are all decoded (always, for any other deck)."""
        lazy = self._pending()
        if lazy is None:
            return True
        if lazy.decode_some(chunks):
            _ = self.cards  # every chunk is decoded: gathering them is quick
            return True
        return False

    def card_ids(self) -> Iterable[CardId]:
        """The cards' ids (in deck order, or sorted when the deck was read lazily)."""
        lazy = self._pending()
        if lazy is None:
            return (card.id for card in self.cards)
        return (CardId(card_id) for card_id in lazy.ids())

    def encoded_cards(self) -> tuple[tuple[str, ...], array[int], list[bytes]] | None:
        """The cards as the library cache stored them, until they are all decoded."""
        lazy = self._pending()
        return None if lazy is None else lazy.encoded()

    @property
    def card_count(self) -> int:
        """``len(self.cards)``, without decoding a lazily read deck's cards."""
        return self._lazy[0].count if self._lazy else len(self.cards)  # kept once decoded

    def prompt_count(self) -> int:
        """How many prompts :meth:`prompts` has, without making them (counted once)."""
        if self._prompts:
            return len(self._prompts[0])
        if self._lazy:
            return self._lazy[0].prompt_count
        if not self._prompt_total:
            self._prompt_total.append(sum(len(card.variants()) for card in self.cards))
        return self._prompt_total[0]

    def prompts(self) -> tuple[Prompt, ...]:
        """Every prompt of every card, in deck order (the order new cards are introduced)."""
        if not self._prompts:
            self._prompts.append(
                tuple(prompt for card in self.cards for prompt in card.prompts(self.id))
            )
        return self._prompts[0]


# --- the pathway diagram --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """A position hint in figure units: x and y from 0 (left, top) to 100 (right, bottom)."""

    x: float
    y: float


@dataclass(frozen=True, slots=True)
class DiagramStep:
    id: StepId
    label: str
    summary: str
    order: int
    kind: StepKind
    position: Point
    sources: tuple[SourceRef, ...] = ()
    location: Location = NOWHERE
    role: StepRole | None = None  # set in the file; else derived by the layout


@dataclass(frozen=True, slots=True)
class DiagramLink:
    """A directed connection between two steps; ``kind`` names the route (e.g. blood, lymph)."""

    source: StepId
    target: StepId
    kind: str = "next"
    label: str = ""
    location: Location = NOWHERE


@dataclass(frozen=True, slots=True)
class AccountStage:
    """One stage of an account: the step that draws it, and the account's name for it."""

    step: StepId
    name: str


@dataclass(frozen=True, slots=True)
class DiagramAccount:
    """One source's own telling of the pathway: its stages in its order, each mapped onto a
    step of the figure (e.g. the Q&A's five stages against the study note's steps)."""

    id: str
    title: str
    stages: tuple[AccountStage, ...]
    sources: tuple[SourceRef, ...] = ()
    location: Location = NOWHERE

    @property
    def title_in_sentence(self) -> str:
        """The title to use inside a sentence: "not one of the Q&A's five stages"."""
        first, space, rest = self.title.partition(" ")
        return first.lower() + space + rest if first in ("The", "A", "An") else self.title

    def place_of(self, step_id: StepId) -> tuple[int, AccountStage] | None:
        """The 1-based number of the step's stage in this account, and the stage."""
        for number, stage in enumerate(self.stages, start=1):
            if stage.step == step_id:
                return number, stage
        return None


@dataclass(frozen=True, slots=True)
class Diagram:
    id: str
    title: str
    steps: tuple[DiagramStep, ...]
    links: tuple[DiagramLink, ...] = ()
    format: int = FORMAT_VERSION
    description: str = ""
    sources: tuple[SourceDocument, ...] = ()
    path: Path | None = None
    location: Location = NOWHERE
    accounts: tuple[DiagramAccount, ...] = ()
    _by_id: dict[StepId, DiagramStep] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_id.update((step.id, step) for step in self.steps)

    def step(self, step_id: StepId) -> DiagramStep | None:
        return self._by_id.get(step_id)

    def ordered_steps(self) -> tuple[DiagramStep, ...]:
        return tuple(sorted(self.steps, key=lambda step: (step.order, step.id)))

    def account(self, account_id: str) -> DiagramAccount | None:
        return next((a for a in self.accounts if a.id == account_id), None)


# --- problems found while loading -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a file, said the way a compiler says it."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


fast_pickling_in(sys.modules[__name__])  # the parsed-files cache unpickles decks at start
