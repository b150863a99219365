"""How text is shown: exactly as typed, with invisible and control characters as escapes."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.labels import dot_record_field, dot_text, shown


@pytest.mark.parametrize(
    "text, expected",
    [
        ("w1", "w1"),
        ("a\tb", "a\\tb"),
        ("nul\x00", "nul\\x00"),
        ("line\nbreak\r", "line\\nbreak\\r"),
        ("\u202eevil", "\\u202eevil"),  # a bidi override would reverse what follows
        ("\u2028", "\\u2028"),
        ("\ud800", "\\ud800"),  # a lone surrogate cannot even be written as UTF-8
        ("&amp; &lt;b&gt; &#60;", "&amp; &lt;b&gt; &#60;"),  # entities stay as typed
        ("trailing\\", "trailing\\"),
        ("σ(z) ∂L/∂w  二", "σ(z) ∂L/∂w  二"),
        ("👩\u200d💻", "👩\u200d💻"),  # a joiner inside an emoji stays
    ],
)
def test_text_is_shown_as_typed_with_controls_escaped(text, expected):
    assert shown(text) == expected


@given(st.text())
def test_what_is_shown_has_no_invisible_character_and_showing_again_changes_nothing(text):
    seen = shown(text)
    hidden = {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}
    assert all(unicodedata.category(c) not in hidden or c in "\u200c\u200d" for c in seen)
    assert shown(seen) == seen
    seen.encode("utf-8")  # always writable: no lone surrogate is left
    if text.isprintable():
        assert seen == text


def test_dot_text_escapes_what_graphviz_would_read_as_escapes_entities_or_quotes():
    assert dot_text('say "hi"') == 'say \\"hi\\"'
    assert dot_text("a\\") == "a\\\\"  # a trailing backslash cannot swallow the closing quote
    assert dot_text("\\N &amp; \x00") == "\\\\N &amp;amp; \\\\x00"


def test_a_record_field_escapes_its_structure_and_keeps_leading_spaces():
    assert dot_record_field("{a|b} <c>") == "\\{a\\|b\\}\\ \\<c\\>"
    assert dot_record_field("  x ") == "\xa0\xa0x\\ "  # a record drops leading spaces
