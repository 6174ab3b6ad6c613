"""Plain field text skips the HTML parser, and must convert exactly as the parser would."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metaflash.core.interop import html_markdown

FIELD_TEXT = st.text(
    alphabet=st.sampled_from(list("ab Zé19 ,.;:?'\"()/%_*#-+<&>\n\t")), max_size=16
)


@settings(max_examples=400, deadline=None)
@given(FIELD_TEXT)
def test_the_plain_text_shortcut_agrees_with_the_full_conversion(
    text: str,
) -> None:
    fast = html_markdown.html_to_markdown(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_markdown, "_PLAIN_FIELD", re.compile(r"(?!)"))  # never matches
        slow = html_markdown.html_to_markdown(text)
    assert fast == slow


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("What is intravasation?", True),
        ("1. first", False),  # an ordered-list marker: Markdown would read it
        ("snake_case", False),
        ("<b>bold</b>", False),
        ("a &amp; b", False),
    ],
)
def test_which_fields_take_the_shortcut(text: str, plain: bool) -> None:
    assert bool(html_markdown._PLAIN_FIELD.fullmatch(text)) is plain
