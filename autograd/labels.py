"""Text as it is shown: every character visible, nothing read as markup.

A label, scope name or op symbol is shown exactly as typed, except that
characters with no glyph of their own (controls such as tab and NUL, bidi
overrides, line separators, unassigned code points) appear as the escapes
Python writes for them: `\\t`, `\\x00`, `\\u202e`. The result is printable, so
showing it again changes nothing.

In DOT, Graphviz reads more than the quotes: `\\N` or `\\l` in a label is an
escape, `&amp;` an entity, and in a record `{ } | < >` and spaces are
structure. `dot_text` and `dot_record_field` write text so that Graphviz
shows it as `shown` does, whatever it holds.
"""

import unicodedata

__all__ = ["dot_record_field", "dot_text", "shown"]

# control, format, surrogate, unassigned, line and paragraph separator
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
_JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiners shape scripts and emoji
_DOT_TEXT = {"\\": "\\\\", '"': '\\"', "&": "&amp;"}
_DOT_ESCAPES = str.maketrans(_DOT_TEXT)
_RECORD_ESCAPES = str.maketrans(_DOT_TEXT | {c: "\\" + c for c in "{}|<> "})


def shown(text: str) -> str:
    """text with each invisible or control character as its escape: 'a\\tb' for 'a<TAB>b'."""
    if text.isprintable():  # the common case: nothing to escape
        return text
    return "".join(_escape(c) if _invisible(c) else c for c in text)


def _invisible(c):
    return unicodedata.category(c) in _ESCAPED_CATEGORIES and c not in _JOINERS


def _escape(c):
    return c.encode("unicode_escape").decode("ascii")


def dot_text(text: str) -> str:
    """text inside a quoted DOT label (not an HTML one), shown as shown(text)."""
    return shown(text).translate(_DOT_ESCAPES)


def dot_record_field(text: str) -> str:
    """text as one field of a DOT record label, shown as shown(text)."""
    text = shown(text)
    body = text.lstrip(" ")
    # a record drops leading spaces, escaped or not; a no-break space looks the same
    return "\xa0" * (len(text) - len(body)) + body.translate(_RECORD_ESCAPES)
