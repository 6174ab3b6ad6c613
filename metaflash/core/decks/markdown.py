"""Card text is Markdown, and this is the one renderer that turns it into HTML: for the
review screen, the editor's preview, the deck overview, the diagram's step panel, the plain
text of lists, and the fields of an Anki export. A card therefore reads the same everywhere.

CommonMark with tables and strikethrough (markdown-it-py). Raw HTML in card text is shown as
text, never interpreted, in the window and in Anki alike; the exceptions are the bare inline
tags Markdown has no syntax for, ``<u>``, ``<sub>`` and ``<sup>`` (no attributes), which an
Anki import keeps (CO<sub>2</sub>). The one piece of HTML the model itself produces, the ``<span class="cloze">`` around the active cloze gap, is carried through
as a pair of private characters and put back afterwards, so Markdown inside a gap still
works.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Maps an image's ``src`` as written to the one to use (``None``: keep it).
ImageSource = Callable[[str], str | None]

_RENDERER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_GAP = re.compile(r'<span class="cloze">(.*?)</span>', re.DOTALL)
_OPEN, _CLOSE = "\ue000", "\ue001"
_SINGLE_PARAGRAPH = ("paragraph_open", "inline", "paragraph_close")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|td|th|blockquote|pre)>|<br\s*/?>|<hr\s*/?>")
_SPACES = re.compile(r"\s+")
#: The inline tags kept from card text (not when escaped with a backslash), each carried
#: through the renderer as one private character.
_KEPT_TAGS = ("<u>", "</u>", "<sub>", "</sub>", "<sup>", "</sup>")
_KEPT_TAG = re.compile(r"(?<!\\)((?:\\\\)*)(</?(?:u|sub|sup)>)")
_TAG_MARK = {tag: chr(0xE010 + index) for index, tag in enumerate(_KEPT_TAGS)}
#: Card text may hold the marker characters itself: each such character (and the escape
#: character) is written as the escape character and a letter while the text is rendered.
_ESCAPE = "\ue0ff"
_RESERVED = (_ESCAPE, _OPEN, _CLOSE, *_TAG_MARK.values())
_ENCODED = {char: _ESCAPE + "abcdefghij"[index] for index, char in enumerate(_RESERVED)}
_RESERVED_CHAR = re.compile("[" + "".join(_RESERVED) + "]")
_ENCODED_CHAR = re.compile(_ESCAPE + "([a-j])")


def render_markdown(text: str, *, image_src: ImageSource | None = None) -> str:
    """Card Markdown as HTML (block elements: paragraphs, lists, tables...)."""
    return _render(text, image_src, inline=False)


def render_inline(text: str, *, image_src: ImageSource | None = None) -> str:
    """Card Markdown as HTML, without the ``<p>`` around text that is one paragraph (a step
    in a list, a one-line answer, an Anki field as Anki writes it)."""
    return _render(text, image_src, inline=True)


#: Text with none of these reads the same rendered or not: plain words need no Markdown
#: parser (most questions; a 20,000-card deck's table shows them all when filtered).
_MARKUP = re.compile(
    r"[\\`*_\[\]<>&~|!{}#=]"  # emphasis, code, links, html, entities, tables, headings...
    r"|^[ \t]*(?:[-+>]|\d+[.)])(?:[ \t]|$)"  # list items and block quotes
    r"|^[ \t]*-{2,}[ \t]*$"  # rules and setext headings
    r"|^(?: {4}|\t)",  # indented code
    re.MULTILINE,
)


def plain_text(text: str) -> str:
    """What a reader sees of ``text``, on one line: emphasis, links and list marks dropped."""
    if _MARKUP.search(text) is None:
        return _SPACES.sub(" ", text).strip()
    rendered = _BLOCK_END.sub(" ", render_markdown(text))
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", rendered))).strip()


def _render(text: str, image_src: ImageSource | None, *, inline: bool) -> str:
    text = _RESERVED_CHAR.sub(lambda m: _ENCODED[m.group(0)], text)
    marked = _GAP.sub(lambda m: f"{_OPEN}{m.group(1)}{_CLOSE}", text)
    marked = _KEPT_TAG.sub(lambda m: m.group(1) + _TAG_MARK[m.group(2)], marked)
    env: dict[str, Any] = {}
    tokens = _RENDERER.parse(marked, env)
    if image_src is not None:
        _map_images(tokens, image_src)
    if inline and tuple(token.type for token in tokens) == _SINGLE_PARAGRAPH:
        tokens = tokens[1].children or []
    rendered: str = _RENDERER.renderer.render(tokens, _RENDERER.options, env)
    for tag, mark in _TAG_MARK.items():
        rendered = rendered.replace(mark, tag)
    rendered = rendered.replace(_OPEN, '<span class="cloze">').replace(_CLOSE, "</span>")
    return _ENCODED_CHAR.sub(lambda m: _RESERVED["abcdefghij".index(m.group(1))], rendered).strip()


def _map_images(tokens: list[Token], image_src: ImageSource) -> None:
    for token in tokens:
        if token.children:
            _map_images(token.children, image_src)
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            mapped = image_src(src)
            if mapped is not None:
                token.attrSet("src", mapped)
