"""Markdown to HTML for Anki fields, and the simple HTML of Anki fields back to Markdown.

Both directions go through well-kept libraries: markdown-it-py renders Markdown (CommonMark,
plus tables and strikethrough), markdownify (on BeautifulSoup) turns HTML into Markdown.
Images are handed to a callback in both directions, so that exporters can pack them as
media and importers can point them at the deck's ``media/`` folder.

Importing is careful with what it keeps: scripts, styles, frames and forms disappear with
their content, links keep only ``http``, ``https`` and ``mailto`` targets, and any other tag
is reduced to its text. Underline, subscript and superscript stay as inline HTML because
Markdown has no syntax for them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from markdownify import MarkdownConverter

from metaflash.core.decks.markdown import render_inline

#: Maps an image's ``src`` to the one to write, or ``None`` to drop the image (its alt text stays).
ImageMapper = Callable[[str], str | None]

_DROPPED_WITH_CONTENT = (
    "script",
    "style",
    "head",
    "title",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "audio",
    "video",
    "canvas",
    "applet",
    "link",
    "meta",
    "base",
)
_SAFE_LINK = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)
_SINGLE_PARAGRAPH = ("paragraph_open", "inline", "paragraph_close")

#: Field text that converts to itself with runs of white space folded: letters, digits and
#: punctuation that neither HTML nor Markdown treats as markup.
_PLAIN_FIELD = re.compile(r"(?!\s*\d+[.)])(?:[^\W_]|[ ,.;:?'\"()/%])*")


def markdown_to_html(text: str, image_src: ImageMapper | None = None) -> str:
    """HTML for an Anki field, from the one card renderer (so a card reads in Anki as it does
    in metaflash). A lone paragraph is not wrapped in ``<p>``, as Anki writes it."""
    return render_inline(text, image_src=image_src)


# --- HTML to Markdown ---------------------------------------------------------------------

_ESCAPE_TAG_START = re.compile(r"(<)(?=[A-Za-z/!?])|(&)(?=#?[A-Za-z0-9]+;)")
_ESCAPE_BACKSLASH = re.compile(r"\\")
_ESCAPE_LINE_START = re.compile(r"(^|\n)([ \t]*)(\d+)([.)])|(^|\n)([ \t]*)([-+#>=\[|])")
_TABLE_RULE = re.compile(r"(^|\n)([ \t]*):(?=[ \t]*-)")
_URL_NEEDS_BRACKETS = re.compile(r"[\s()<>]")
_BREAK_BEFORE_BLANK = re.compile(r"(?<!\\)((?:\\\\)*)\\\n(?=[ \t]*(?:\n|$))")
_TRAILING_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _FieldConverter(MarkdownConverter):
    """markdownify with metaflash's rules for Anki field HTML."""

    def __init__(self, image_src: ImageMapper | None) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            newline_style="backslash",
            strong_em_symbol="*",
            sub_symbol="<sub>",
            sup_symbol="<sup>",
            escape_asterisks=False,  # escape() below does it, with the other characters
            escape_underscores=False,
            autolinks=True,
        )
        self._image_src = image_src

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        text = _ESCAPE_BACKSLASH.sub(r"\\\\", text)
        text = _ESCAPE_TAG_START.sub(lambda match: "\\" + match.group(0), text)
        text = text.replace("`", r"\`").replace("~", r"\~")  # ~~ is strikethrough anywhere
        text = text.replace("[", r"\[")  # "[]()" is a link anywhere in a line, empty or not
        text = text.replace("|", r"\|")  # an unescaped pipe can make a table
        text = _TABLE_RULE.sub(r"\1\2\\:", text)  # so can a line ":-" (a delimiter row)
        text = _ESCAPE_LINE_START.sub(_escape_block_marker, text)
        return text.replace("*", r"\*").replace("_", r"\_")

    def convert_u(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"<u>{text}</u>" if text.strip() else text

    convert_ins = convert_u

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = el.get("href")
        if not isinstance(href, str) or not _SAFE_LINK.match(href.strip()):
            return text
        target = href.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        if not text.strip():
            return ""
        if text == target and not el.get("title"):
            return f"<{target}>"
        title = el.get("title")
        title_part = f' "{title}"' if isinstance(title, str) and title and '"' not in title else ""
        return f"[{text}]({target}{title_part})"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = el.get("src")
        alt = el.get("alt")
        alt_text = alt if isinstance(alt, str) else ""
        alt_text = alt_text.replace("[", r"\[").replace("]", r"\]")
        if not isinstance(src, str) or not src.strip() or src.strip().lower().startswith("data:"):
            return alt_text
        mapped = self._image_src(src.strip()) if self._image_src else src.strip()
        if mapped is None:
            return alt_text
        if _URL_NEEDS_BRACKETS.search(mapped):
            mapped = f"<{mapped}>"
        return f"![{alt_text}]({mapped})"


def _escape_block_marker(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        return f"{match.group(1)}{match.group(2)}{match.group(3)}\\{match.group(4)}"
    return f"{match.group(5)}{match.group(6)}\\{match.group(7)}"


def parse_html(html: str) -> BeautifulSoup:
    """``html`` parsed; a field that looks like a file name ('.TXT') is text all the same."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "html.parser")


def html_to_markdown(html: str, image_src: ImageMapper | None = None) -> str:
    """Markdown for the HTML of an Anki field (or of an HTML CSV cell)."""
    if _PLAIN_FIELD.fullmatch(html):  # no markup and nothing Markdown would read as syntax
        return " ".join(html.split())
    soup = parse_html(html)
    for element in soup.find_all(_DROPPED_WITH_CONTENT):  # one walk of the tree for all names
        element.decompose()
    markdown: str = _FieldConverter(image_src).convert_soup(soup)
    markdown = _CONTROL.sub("", markdown.replace("\xa0", " "))
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    # a <br> that ends a paragraph: an odd run of backslashes before the line break
    previous = ""
    while previous != markdown:
        previous = markdown
        markdown = _BREAK_BEFORE_BLANK.sub("\\1\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    while _TRAILING_BREAK.search(markdown):
        markdown = markdown[:-1].rstrip()
    return markdown


def plain_text_to_markdown(text: str) -> str:
    """Markdown that shows ``text`` literally (for CSV files with ``#html:false``)."""
    from html import escape

    html = escape(text).replace("\r\n", "\n").replace("\n", "<br>")
    return html_to_markdown(html)


def image_sources(html: str) -> tuple[str, ...]:
    """The ``src`` of every ``<img>`` in ``html``, in order."""
    soup = parse_html(html)
    found: list[str] = []
    for element in soup.find_all("img"):
        src = element.get("src")
        if isinstance(src, str) and src.strip():
            found.append(src.strip())
    return tuple(found)
