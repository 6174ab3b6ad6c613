"""A prompt as the review screen (and the editor's preview) shows it.

Card text goes through the one renderer of :mod:`metaflash.core.decks.markdown` (raw HTML
shown as text, cloze gaps kept); this module lays the parts out (question, answer, notes,
source, steps, image). Colours come from :func:`card_stylesheet` (the theme), set as the
document's default stylesheet.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImageReader

from metaflash.core.decks.markdown import render_inline, render_markdown
from metaflash.core.decks.model import CardType, Prompt
from metaflash.ui.common.theme import ThemeColors

#: The widest an image is shown, in device-independent pixels.
MAX_IMAGE_WIDTH = 560


#: How much larger the card's text is than the window's.
CARD_FONT_SCALE = 1.3


#: Card Markdown to HTML: the one renderer (kept under this name for the views).
markdown_html = render_markdown


def card_stylesheet(colors: ThemeColors) -> str:
    """The card's CSS (the subset QTextDocument supports), from the theme's colours."""
    return f"""
body {{ color: {colors.text}; }}
a {{ color: {colors.link}; }}
.cloze {{ color: {colors.cloze_text}; background-color: {colors.cloze_background};
    font-weight: 600; }}
.step-current {{ color: {colors.cloze_text}; background-color: {colors.cloze_background};
    font-weight: 600; }}
.answer-step {{ font-size: x-large; font-weight: 600; }}
.label {{ color: {colors.muted_text}; font-size: small; font-weight: 600; }}
.notes {{ color: {colors.text}; }}
.source {{ color: {colors.muted_text}; font-size: small; }}
.muted {{ color: {colors.muted_text}; }}
.verdict {{ color: {colors.muted_text}; font-style: italic; }}
hr {{ color: {colors.border}; background-color: {colors.border}; }}
"""


@dataclass(frozen=True, slots=True)
class CardContext:
    """What the review screen shows around a prompt: its deck and where it comes from."""

    deck_title: str = ""
    source: str = ""  # e.g. "How does the metastatic process work?, “Stages”"
    summary: str = ""  # a diagram card's answer: what happens at that step
    verdict: str = ""  # a diagram card: what the student picked


def image_html(path: Path) -> str:
    """An ``<img>`` for a card's image (a file URL), no wider than :data:`MAX_IMAGE_WIDTH`."""
    size = QImageReader(str(path)).size()
    url = html.escape(QUrl.fromLocalFile(str(path)).toString(), quote=True)
    alt = html.escape(path.name, quote=True)
    if size.isValid() and size.width() > 0:
        width = min(size.width(), MAX_IMAGE_WIDTH)
        height = round(size.height() * width / size.width())
        return (
            f'<p align="center"><img src="{url}" alt="{alt}" width="{width}" height="{height}"></p>'
        )
    return f'<p align="center"><img src="{url}" alt="{alt}"></p>'


def _sequence_index(prompt: Prompt) -> int | None:
    """For a ``next-K`` prompt, K (1-based: the step asked about)."""
    if prompt.variant.startswith("next-"):
        try:
            return int(prompt.variant.removeprefix("next-"))
        except ValueError:
            return None
    return None


def _steps_html(steps: tuple[str, ...], highlight: set[int]) -> str:
    items = []
    for number, step in enumerate(steps, 1):
        text = _inline(step)
        if number in highlight:
            text = f'<span class="step-current">{text}</span>'
        items.append(f"<li>{text}</li>")
    return "<ol>" + "".join(items) + "</ol>"


_inline = render_inline


def question_html(prompt: Prompt) -> str:
    body = f'<div class="question">{markdown_html(prompt.question)}</div>'
    if prompt.image is not None:
        body += image_html(prompt.image)
    return body


def answer_html(prompt: Prompt) -> str:
    """The answer part shown under (or, for a cloze, instead of) the question."""
    index = _sequence_index(prompt)
    if prompt.card_type is CardType.SEQUENCE and index is not None and prompt.steps:
        answer = f'<p class="answer-step">{_inline(prompt.answer)}</p>'
        return (
            answer
            + '<p class="label">The whole sequence</p>'
            + _steps_html(prompt.steps, {index, index + 1})
        )
    if prompt.card_type is CardType.SEQUENCE and prompt.steps:
        return '<p class="label">In order</p>' + _steps_html(prompt.steps, set())
    return f'<div class="answer">{markdown_html(prompt.answer)}</div>'


def card_html(prompt: Prompt, *, revealed: bool, context: CardContext = CardContext()) -> str:
    """The whole card: the question, and once revealed the answer, notes and source."""
    if not revealed:
        return question_html(prompt)
    if prompt.card_type is CardType.CLOZE:
        parts = [answer_html(prompt)]
        if prompt.image is not None:
            parts.append(image_html(prompt.image))
    elif prompt.card_type is CardType.DIAGRAM:
        parts = [question_html(prompt), "<hr>"]
        if context.verdict:
            parts.append(f'<p class="verdict">{html.escape(context.verdict)}</p>')
        parts.append(f'<p class="answer-step">{_inline(prompt.answer)}</p>')
        if context.summary:
            parts.append(f'<div class="answer">{markdown_html(context.summary)}</div>')
    else:
        parts = [question_html(prompt), "<hr>", answer_html(prompt)]
    if prompt.notes.strip():
        parts.append(
            f'<p class="label">Notes</p><div class="notes">{markdown_html(prompt.notes)}</div>'
        )
    if context.source:
        parts.append(f'<p class="source">Source: {html.escape(context.source)}</p>')
    return "".join(parts)
