"""A self-contained HTML page shown inside a notebook's output cell.

The page goes into an `<iframe srcdoc="…">` holding the whole page, escaped as
an attribute value. The frame is a document of its own, so the page's ids,
styles, scripts and key handlers never meet the notebook's or another page's:
several pages in one notebook step independently, keys move a page only while
it has the focus, and nothing needs a widget extension. The same HTML works in
JupyterLab, Notebook 7, VS Code, Colab and a notebook exported to HTML.
"""

import html
import re
from pathlib import Path

__all__ = ["InlinePage"]

FRAME_WIDTH = 900  # px: a typical output cell, used only to choose the frame's height
PAGE_CHROME = 240  # px: the page's title, controls, statement and hint around the picture
MIN_HEIGHT, MAX_HEIGHT = 320, 820  # px
PICTURE_SHARE = 0.72  # the viewer caps its picture at 72vh: 72% of the frame's height
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')


class InlinePage:
    """An HTML page that shows itself inline in Jupyter; `.save(path)` writes it to a file."""

    def __init__(self, page: str, *, title: str, height: int | None = None):
        self.page = page
        self.title = title
        self.height = frame_height(page) if height is None else int(height)

    def _repr_html_(self):
        # The note lies under the frame. A viewer that drops frames from a notebook it
        # does not trust (JupyterLab before File → Trust Notebook, many previews) shows
        # the note instead of an empty box.
        note = f"{self.title} (run this cell, or trust the notebook, to see it here)"
        return (
            f'<div style="position: relative; height: {self.height}px;">'
            f'<p style="margin: 0; padding: 1em; color: #666;">{html.escape(note)}</p>'
            f'<iframe srcdoc="{_attribute(self.page)}" title="{_attribute(self.title)}" '
            'style="position: absolute; top: 0; left: 0; width: 100%; height: 100%; '
            'border: 1px solid #ddd; background: white;"></iframe></div>'
        )

    def save(self, path) -> Path:
        """Write the page to path (atomically) and return the path."""
        from .files import write_atomically

        return write_atomically(Path(path), self.page.encode("utf-8"))

    def __repr__(self):
        return f"<{self.title}: an HTML page; shown inline in Jupyter, .save(path) writes it>"


def frame_height(page: str) -> int:
    """A frame height in px that fits the page's first SVG at FRAME_WIDTH, within limits.

    The picture is scaled to the frame's width, so its height follows its
    aspect ratio; the frame must also be tall enough that the page's 72vh cap
    on the picture does not shrink it.
    """
    size = _SVG_SIZE.search(page)
    if size is None:
        return MIN_HEIGHT
    width, height = float(size[1]), float(size[2])
    picture = (FRAME_WIDTH - 48) * height / width if width > 0 else 0.0
    wanted = max(PAGE_CHROME + picture, picture / PICTURE_SHARE)
    return round(min(MAX_HEIGHT, max(MIN_HEIGHT, wanted)))


def _attribute(text):
    """text as a double-quoted attribute value; a carriage return kept, not read as a newline."""
    return html.escape(text, quote=True).replace("\r", "&#13;")
