"""What a card says, as Markdown for rich views and as one line of plain text for lists."""

from __future__ import annotations

import re
from collections.abc import Callable

from metaflash.core.decks.cloze import ClozeText
from metaflash.core.decks.markdown import plain_text
from metaflash.core.decks.model import (
    BasicContent,
    Card,
    ClozeContent,
    DiagramContent,
    ReverseContent,
    SequenceContent,
)

_SPACES = re.compile(r"\s+")


def markdown_to_plain(markdown: str) -> str:
    """The text a reader sees in ``markdown``, on one line (emphasis, lists, links dropped)."""
    return plain_text(markdown)


def cloze_with_blanks(cloze: ClozeText) -> str:
    """The cloze text with every deletion hidden as ``[…]`` (or ``[hint]``)."""
    return _replace_gaps(cloze, lambda answer, hint: f"[{hint or '…'}]")


def cloze_with_answers(cloze: ClozeText) -> str:
    """The cloze text with every deletion shown in bold."""
    return _replace_gaps(cloze, lambda answer, hint: f"**{answer.strip()}**")


def _replace_gaps(cloze: ClozeText, show: Callable[[str, str], str]) -> str:
    parts: list[str] = []
    position = 0
    for gap in cloze.gaps:
        parts.append(cloze.text[position : gap.start])
        parts.append(show(gap.answer, gap.hint))
        position = gap.end
    parts.append(cloze.text[position:])
    return "".join(parts)


def question_markdown(card: Card) -> str:
    """The card's question side: the front, the cloze text with blanks, or the sequence prompt."""
    match card.content:
        case BasicContent(front, _) | ReverseContent(front, _):
            return front
        case ClozeContent(_, cloze):
            return cloze_with_blanks(cloze)
        case SequenceContent(prompt, _):
            return prompt
        case DiagramContent(question, _):
            return question


def answer_markdown(card: Card) -> str:
    """The card's answer side: the back, the completed cloze text, or the numbered steps."""
    match card.content:
        case BasicContent(_, back) | ReverseContent(_, back):
            return back
        case ClozeContent(_, cloze):
            return cloze_with_answers(cloze)
        case SequenceContent(_, steps):
            return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))
        case DiagramContent(_, step, label, summary):
            answer = f"**{label or step}** (the step `{step}` on the diagram)"
            return f"{answer}\n\n{summary}" if summary else answer


def question_plain(card: Card) -> str:
    return markdown_to_plain(question_markdown(card))


def card_markdown(card: Card) -> str:
    """The whole card as one Markdown document, for the card preview."""
    reverse = isinstance(card.content, ReverseContent)
    sections = [
        ("Front" if reverse else "Question", question_markdown(card)),
        ("Back" if reverse else "Answer", answer_markdown(card)),
    ]
    if card.notes.strip():
        sections.append(("Notes", card.notes))
    body = "\n\n".join(f"##### {title}\n\n{text.strip()}" for title, text in sections)
    if reverse:
        body += "\n\n*Studied both ways: front to back and back to front.*"
    return body
