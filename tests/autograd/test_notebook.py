"""An HTML page inline in a notebook: the whole page in one escaped <iframe srcdoc>, over a note."""

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from autograd.notebook import MAX_HEIGHT, MIN_HEIGHT, InlinePage, frame_height


class Tags(HTMLParser):
    """Every start tag of a fragment, with its attributes unescaped, and its text."""

    def __init__(self):
        super().__init__()
        self.tags, self.text = [], ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def parsed(fragment, text=False):
    parser = Tags()
    parser.feed(fragment)
    parser.close()
    return (parser.tags, parser.text) if text else parser.tags


PAGE = (
    '<!DOCTYPE html><html><head><title>a "quoted" & <b>bold</b> title</title></head>'
    '<body><svg width="200pt" height="100pt"></svg><script>if (1 < 2 && "x") {}</script>'
    "</body></html>"
)


def test_the_page_is_one_iframe_whose_srcdoc_is_the_page_exactly():
    tags, text = parsed(InlinePage(PAGE, title="steps")._repr_html_(), text=True)
    assert [tag for tag, _ in tags] == ["div", "p", "iframe"]  # nothing of the page leaks out
    assert tags[-1][1]["srcdoc"] == PAGE
    assert "<script" not in text and "bold" not in text  # the only text is the note


def test_a_viewer_that_drops_the_frame_shows_a_note_saying_what_to_do():
    tags, text = parsed(InlinePage(PAGE, title="backward() of L")._repr_html_(), text=True)
    assert text == "backward() of L (run this cell, or trust the notebook, to see it here)"
    frame_style = tags[-1][1]["style"]
    assert "position: absolute" in frame_style and "background: white" in frame_style


@given(st.text())
def test_any_page_survives_the_escaping(page):
    tags = parsed(InlinePage(page, title='a "title" <i>')._repr_html_())
    assert [tag for tag, _ in tags] == ["div", "p", "iframe"]
    assert tags[-1][1]["srcdoc"] == page
    assert tags[-1][1]["title"] == 'a "title" <i>'


def test_the_frame_is_tall_enough_for_a_tall_picture_and_stays_within_limits():
    wide = frame_height('<svg width="900pt" height="100pt">')
    tall = frame_height('<svg width="300pt" height="300pt">')
    assert MIN_HEIGHT <= wide < tall <= MAX_HEIGHT
    assert frame_height('<svg width="10pt" height="5000pt">') == MAX_HEIGHT
    assert frame_height("<p>no picture</p>") == MIN_HEIGHT
    assert InlinePage(PAGE, title="t", height=500)._repr_html_().count("height: 500px") == 1


def test_save_writes_the_page_and_repr_stays_one_line(tmp_path):
    shown = InlinePage(PAGE, title="backward() of L")
    assert shown.save(tmp_path / "p.html").read_text(encoding="utf-8") == PAGE
    assert "\n" not in repr(shown) and repr(shown).startswith("<backward() of L")
