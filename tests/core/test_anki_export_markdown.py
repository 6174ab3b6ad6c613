"""Markdown to HTML for Anki fields, and Anki's field HTML back to Markdown."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from metaflash.core.interop.html_markdown import (
    html_to_markdown,
    image_sources,
    markdown_to_html,
    parse_html,
    plain_text_to_markdown,
)

TO_HTML = [
    pytest.param("plain words", "plain words", id="lone-paragraph-unwrapped"),
    pytest.param("**b** *i* ~~s~~", "<strong>b</strong> <em>i</em> <s>s</s>", id="inline"),
    pytest.param("one\n\ntwo", "<p>one</p>\n<p>two</p>", id="paragraphs"),
    pytest.param("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", id="list"),
    pytest.param("5 < 6 & 7", "5 &lt; 6 &amp; 7", id="escaped"),
    pytest.param("{{c1::**x**::hint}}", "{{c1::<strong>x</strong>::hint}}", id="cloze-kept"),
]


@pytest.mark.parametrize(("markdown", "html"), TO_HTML)
def test_markdown_to_html(markdown: str, html: str) -> None:
    assert markdown_to_html(markdown) == html


def test_images_are_mapped_for_the_package() -> None:
    html = markdown_to_html(
        "![v](<images/a b.png>) ![w](https://x.org/w.png)",
        lambda src: None if src.startswith("http") else "a.png",
    )
    assert html == '<img src="a.png" alt="v" /> <img src="https://x.org/w.png" alt="w" />'


TO_MARKDOWN = [
    pytest.param(
        "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u>",
        "**b** **s** *i* *e* <u>u</u>",
        id="bold-italic-underline",
    ),
    pytest.param("one<br>two", "one\\\ntwo", id="br"),
    pytest.param("<div>one</div><div>two</div>", "one\n\ntwo", id="divs"),
    pytest.param("<p>one</p><p>two</p>", "one\n\ntwo", id="paragraphs"),
    pytest.param("<ul><li>a</li><li>b</li></ul>", "- a\n- b", id="list"),
    pytest.param("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b", id="ordered-list"),
    pytest.param(
        '<a href="https://example.org/x">link</a>', "[link](https://example.org/x)", id="link"
    ),
    pytest.param('<a href="javascript:alert(1)">bad</a>', "bad", id="javascript-link-dropped"),
    pytest.param("a&nbsp;b &amp; c &lt;d&gt;", r"a b & c \<d>", id="entities"),
    pytest.param("x<script>alert(1)</script><style>p{}</style>y", "xy", id="script-and-style-gone"),
    pytest.param(
        '<span style="color:red">red</span> <font color=blue>f</font>',
        "red f",
        id="other-tags-stripped",
    ),
    pytest.param("<iframe src=x>inside</iframe>ok", "ok", id="iframe-gone"),
    pytest.param("1. not a list", r"1\. not a list", id="list-marker-escaped"),
    pytest.param("a*b_c`d", r"a\*b\_c\`d", id="markdown-characters-escaped"),
    pytest.param('<img src="x.png">', "![](media/x.png)", id="image"),
    pytest.param(
        '<img src="a b.png" alt="A [1]">', r"![A \[1\]](<media/a b.png>)", id="image-awkward-name"
    ),
    pytest.param(
        '<img src="data:image/png;base64,AAAA" alt="inline">', "inline", id="data-uri-dropped"
    ),
    pytest.param("{{c1::the <b>answer</b>::hint}}", "{{c1::the **answer**::hint}}", id="cloze"),
    pytest.param("H<sub>2</sub>O x<sup>2</sup>", "H<sub>2</sub>O x<sup>2</sup>", id="sub-sup"),
]


@pytest.mark.parametrize(("html", "markdown"), TO_MARKDOWN)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html, lambda src: f"media/{src}") == markdown


def test_plain_text_is_shown_literally() -> None:
    assert (
        markdown_to_html(plain_text_to_markdown("<b>x</b> *y*\nnext"))
        == "&lt;b&gt;x&lt;/b&gt; *y*<br />\nnext"
    )


def test_image_sources() -> None:
    assert image_sources('<img src="a.png"> text <IMG SRC="b.jpg"><img>') == ("a.png", "b.jpg")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
    | st.text(alphabet="*_`<>&#-+.1) \n[]()!\\{}:c=~|", max_size=30)
)
@example("0~~0~~")  # strikethrough needs no line start
@example("0[]()")  # nor does a link, even an empty one
@example("|\n:-")  # a table's delimiter row
@example(".TXT")  # text that looks like a file name to BeautifulSoup
@example("CO<sub>2</sub>")  # the text of a tag the renderer keeps stays text
@example("\ue010 \ue000 \ue0ff")  # the renderer's private marker characters, as text
def test_any_text_survives_html_to_markdown_and_back(text: str) -> None:
    """Text that Anki shows (HTML-escaped, line breaks as <br>) is the text metaflash shows."""
    field = escape(text).replace("\n", "<br>")
    rendered = markdown_to_html(html_to_markdown(field))
    assert words(rendered) == words(escape(text))


def words(html: str) -> list[str]:
    return parse_html(html).get_text().replace("\xa0", " ").split()
