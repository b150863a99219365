"""Text as it is shown: every character visible, nothing read as markup.

A label, scope name or op symbol is shown exactly as typed, except that
characters with no glyph of their own (controls such as tab and NUL, bidi
overrides, line separators, unassigned code points) appear as the escapes
Python writes for them: `\\t`, `\\x00`, `\\u202e`. The result is printable, so
showing it again changes nothing.
"""

import unicodedata

__all__ = ["shown"]

# control, format, surrogate, unassigned, line and paragraph separator
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
_JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiners shape scripts and emoji


def shown(text: str) -> str:
    """text with each invisible or control character as its escape: 'a\\tb' for 'a<TAB>b'."""
    if text.isprintable():  # the common case: nothing to escape
        return text
    return "".join(_escape(c) if _invisible(c) else c for c in text)


def _invisible(c):
    return unicodedata.category(c) in _ESCAPED_CATEGORIES and c not in _JOINERS


def _escape(c):
    return c.encode("unicode_escape").decode("ascii")
