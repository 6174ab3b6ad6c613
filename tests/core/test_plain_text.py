"""plain_text skips the Markdown parser for text with no markup: the result is the same."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.decks import markdown
from metaflash.core.decks.markdown import plain_text, render_markdown


def parsed(text: str) -> str:
    rendered = markdown._BLOCK_END.sub(" ", render_markdown(text))
    return markdown._SPACES.sub(" ", html.unescape(markdown._TAG.sub("", rendered))).strip()


ALPHABET = "ab Z9 0\n\t-+.)(:;,?'\"%/é1234567890" + "*_[]<>&~|!{}#=`\\"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_quick_path_reads_as_the_parser_does(text: str) -> None:
    assert plain_text(text) == parsed(text)


def test_the_quick_path_is_taken_for_plain_words_only() -> None:
    assert markdown._MARKUP.search("Which vital organ does the Q&A name?")  # &: an entity
    assert markdown._MARKUP.search("- a list item") and markdown._MARKUP.search("1. first")
    assert markdown._MARKUP.search("Title\n---") and markdown._MARKUP.search("    code")
    assert markdown._MARKUP.search("What is *this*?")
    assert not markdown._MARKUP.search("Where do cancer cells go (and why) next?")
    assert plain_text("  Where   do cells\n go? ") == "Where do cells go?"
