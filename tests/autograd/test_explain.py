"""Derivations: golden text/Markdown/LaTeX, the seed's neuron, and numbers equal to backward()."""

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Derivation, Value, explain, linear, topological_order
from autograd.explain_notation import WHERE_LIMIT, number
from demos.lecture import build as build_lecture


def seed_neuron():
    """z = w·a_prev + b, a = σ(z), C0 = (a − y)², at z = 0: σ'(z) = 0.25, 2(a − y) = −2."""
    w, a_prev, b, y = (
        Value(v, label=n) for v, n in [(0.5, "w"), (2.0, "a_prev"), (-1.0, "b"), (1.5, "y")]
    )
    z = w * a_prev + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    C0 = (a - y) ** 2
    C0.label = "C0"
    return C0, w


def lecture():
    """micrograd's L = (a·b + c)·f with every node labelled (demos/lecture.py), and a."""
    L, (a, *_) = build_lecture()
    return L, a


def test_the_seed_neuron_gives_the_textbook_chain():
    C0, w = seed_neuron()
    lines = str(explain(C0, wrt=w)).splitlines()
    # 2.0 · 0.25 · (−2.0): a_prev, σ(0)·(1 − σ(0)) and 2·(0.5 − 1.5), worked by hand.
    chain = (
        "∂C0/∂w = ∂z/∂w · ∂a/∂z · ∂C0/∂a = a_prev · σ'(z) · 2·(a − y) = (2.0)(0.25)(-2.0) = -1.0"
    )
    assert lines[1] == "  " + chain
    assert lines[2] == "    with σ'(z) = σ(z)·(1 − σ(z))"
    C0.backward()
    assert w.grad == -1.0


def test_golden_text():
    L, a = lecture()
    assert str(explain(L, wrt=a)) == (
        "∂L/∂a by the chain rule, along 1 path from L to a:\n"
        "  ∂L/∂a = ∂e/∂a · ∂d/∂e · ∂L/∂d = b · 1 · f = (-3.0)(1)(-2.0) = 6.0\n"
        "where a = 2.0, b = -3.0, e = a·b = -6.0, c = 10.0, d = e + c = 4.0, f = -2.0, "
        "L = d·f = -8.0"
    )


def test_the_chain_can_run_from_the_root_as_backward_multiplies():
    L, a = lecture()
    line = str(explain(L, wrt=a, chain="from_root")).splitlines()[1]
    assert line == "  ∂L/∂a = ∂L/∂d · ∂d/∂e · ∂e/∂a = f · 1 · b = (-2.0)(1)(-3.0) = 6.0"
    with pytest.raises(ValueError, match="chain must be one of"):
        explain(L, wrt=a, chain="sideways")


def test_golden_markdown():
    L, a = lecture()
    assert explain(L, wrt=a).markdown() == (
        "`∂L/∂a` by the chain rule, along 1 path from `L` to `a`:\n"
        "- `∂L/∂a = ∂e/∂a · ∂d/∂e · ∂L/∂d = b · 1 · f = (-3.0)(1)(-2.0) = 6.0`\n"
        "\n"
        "where `a = 2.0, b = -3.0, e = a·b = -6.0, c = 10.0, d = e + c = 4.0, f = -2.0, "
        "L = d·f = -8.0`"
    )


def test_golden_latex():
    L, a = lecture()
    assert explain(L, wrt=a).latex() == (
        "\\begin{array}{l}\n"
        "\\frac{\\partial L}{\\partial a}\\text{ by the chain rule, along }\\text{1 path}"
        "\\text{ from }L\\text{ to }a\\text{:} \\\\\n"
        "\\quad \\frac{\\partial L}{\\partial a} = \\frac{\\partial e}{\\partial a} \\cdot "
        "\\frac{\\partial d}{\\partial e} \\cdot \\frac{\\partial L}{\\partial d} "
        "= b \\cdot 1 \\cdot f = (-3.0)(1)(-2.0) = 6.0 \\\\\n"
        "\\text{where }a = 2.0, b = -3.0, e = a \\cdot b = -6.0, c = 10.0, d = e + c = 4.0, "
        "f = -2.0, L = d \\cdot f = -8.0\n"
        "\\end{array}"
    )


def test_golden_backward_pass_with_a_node_used_twice():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    assert str(explain(y)) == (
        "The backward pass of y, one step per node in the order backward() runs:\n"
        "  ∂y/∂y = 1.0 to start\n"
        "  step 1: y = x·x = 9.0, ∂y/∂y = 1.0\n"
        "    ∂y/∂x += ∂y/∂y · x = (1.0)(3.0) = 3.0, now 3.0\n"
        "    ∂y/∂x += ∂y/∂y · x = (1.0)(3.0) = 3.0, now 6.0\n"
        "Gradients: ∂y/∂x = 6.0"
    )
    assert str(explain(y, wrt=x)).splitlines()[1:4] == [
        "  path 1: ∂y/∂x = x = 3.0",
        "  path 2: ∂y/∂x = x = 3.0",
        "∂y/∂x = sum over the paths = 3.0 + 3.0 = 6.0",
    ]


def test_chinese_is_the_same_derivation_in_chinese():
    C0, w = seed_neuron()
    english, chinese = str(explain(C0, wrt=w)), str(explain(C0, wrt=w, lang="zh"))
    assert chinese.startswith("偏导数 ∂C0/∂w，由链式法则，沿从 C0 到 w 的 1 条路径：")
    assert "by the chain rule" not in chinese
    formulas = lambda text: re.findall(r"∂\w+/∂\w+|-?\d+\.\d+", text)
    assert formulas(chinese) == formulas(english)
    backward = str(explain(C0, lang="zh"))
    assert "反向传播" in backward and "梯度（偏导数）：∂C0/∂w = -1.0" in backward


def test_tanh_reads_with_the_inputs_label():
    n = Value(0.5, label="n")
    out = n.tanh()
    out.label = "o"
    text = str(explain(out, wrt=n))
    assert "∂o/∂n = tanh'(n) = " in text
    assert "with tanh'(n) = 1 − tanh(n)²" in text


def test_unlabelled_nodes_are_named_by_their_expression_or_a_counter():
    a, y = Value(1.0, label="a"), Value(3.0, label="y")
    text = str(explain((a - y) ** 2, wrt=a))
    assert "∂(a − y)/∂a · ∂((a − y)^2)/∂(a − y) = 1 · 2·(a − y) = (1)(-4.0) = -4.0" in text
    long = a
    for _ in range(6):
        long = long * a + y
    text = str(explain(long, wrt=y))
    assert re.search(r"where .*v1 = .*a.* = [-\d.]+", text)  # the counter is defined
    theta = Value(3.0)  # an unlabelled leaf asked about is θ, not its number
    assert str(explain(theta * -2.0, wrt=theta)).splitlines()[1:] == [
        "  ∂(θ·(-2))/∂θ = (-2) = -2.0",
        "where θ = 3.0",
    ]


def test_latex_labels():
    a_prev, w1 = Value(2.0, label="a_prev"), Value(3.0, label="w1")
    latex = explain(a_prev * w1, wrt=w1).latex()
    assert "a_{\\mathrm{prev}}" in latex and "w_{1}" in latex


def test_jupyter_shows_markdown_and_latex():
    L, a = lecture()
    derivation = explain(L, wrt=a)
    assert isinstance(derivation, Derivation)
    assert derivation._repr_markdown_() == derivation.markdown()
    assert derivation._repr_latex_() == f"$$\n{derivation.latex()}\n$$"


def test_a_fused_neuron_gives_its_partner_input():
    w, x, b = Value(0.5, label="w"), Value(4.0, label="x"), Value(1.0, label="b")
    z = linear([w], [x], b)
    z.label = "z"
    assert "∂z/∂w = x = 4.0" in str(explain(z, wrt=w))


def test_no_path_and_the_root_itself():
    x, other = Value(1.0, label="x"), Value(2.0, label="u")
    y = x.exp()
    y.label = "y"
    assert explain(y, wrt=other).total == 0.0
    assert "y does not depend on u: ∂y/∂u = 0" in str(explain(y, wrt=other))
    assert explain(y, wrt=y).total == 1.0


def test_explain_leaves_grads_alone():
    L, a = lecture()
    explain(L, wrt=a)
    explain(L)
    assert all(n.grad == 0.0 for n in topological_order(L))


def test_bad_arguments_and_hand_made_nodes_are_clear_errors():
    L, a = lecture()
    with pytest.raises(ValueError, match="lang"):
        explain(L, wrt=a, lang="fr")
    with pytest.raises(ValueError, match="max_paths"):
        explain(L, wrt=a, max_paths=0)
    with pytest.raises(TypeError, match="Values"):
        explain(L, wrt="a")
    hand = Value(5.0, (a, a), "+", label="h")
    with pytest.raises(ValueError, match="'h' was made by hand"):
        explain(hand)


def test_path_explosion_is_grouped_where_paths_merge():
    x = Value(0.9, label="x")
    h = x
    for i in range(30):  # each layer doubles the paths: 2**30 in all
        h = h.sin() + h.cos()
        h.label = f"h{i}"
    derivation = explain(h, wrt=x)
    text = str(derivation)
    assert derivation.path_count == 2**30
    assert "1073741824 paths from h29 to x, more than 16 to list" in text
    assert "through h28: 2 paths from h29 first merge there; from there, 536870912 paths" in text
    assert sum(g.into * g.onward for g in derivation.groups) == 2**30
    h.backward()
    assert derivation.total == x.grad
    assert math.isclose(sum(g.value for g in derivation.groups), x.grad, rel_tol=1e-9)


# ---- the numbers equal backward()'s on random graphs ----

UNARY = [Value.tanh, Value.sigmoid, Value.sin, Value.cos, lambda v: v**2, lambda v: -v]
BINARY = [lambda u, v: u + v, lambda u, v: u - v, lambda u, v: u * v]


@st.composite
def graphs(draw):
    """A random DAG over three labelled leaves, sharing subexpressions, some nodes labelled."""
    nodes = [Value(draw(st.floats(-2, 2)), label=n) for n in "xyz"]
    for i in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            node = draw(st.sampled_from(UNARY))(draw(st.sampled_from(nodes)))
        else:
            pick = st.sampled_from(nodes)
            node = draw(st.sampled_from(BINARY))(draw(pick), draw(pick))
        if draw(st.integers(0, 3)) == 0:
            node.label = f"n{i}"
        nodes.append(node)
    return nodes[-1], nodes[:3]


def count_paths(node, wrt):
    return 1 if node is wrt else sum(count_paths(p, wrt) for p in node._prev)


@settings(max_examples=60)
@given(graph=graphs(), limit=st.integers(1, 8))
def test_path_sums_equal_backward(graph, limit):
    root, leaves = graph
    derivations = [explain(root, wrt=leaf, max_paths=limit) for leaf in leaves]
    root.backward()
    for leaf, derivation in zip(leaves, derivations):
        assert derivation.total == leaf.grad
        assert derivation.path_count == count_paths(root, leaf)
        if derivation.groups:
            assert sum(g.into * g.onward for g in derivation.groups) == derivation.path_count
            parts = [g.value for g in derivation.groups]
        else:
            assert len(derivation.paths) == derivation.path_count
            parts = [p.value for p in derivation.paths]
            for path in derivation.paths:
                assert math.isclose(path.value, math.prod(f.value for f in path.factors))
        assert math.isclose(sum(parts), leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
        shown = f"= {number(leaf.grad)}" if derivation.path_count else "= 0"
        for text in (str(derivation), derivation.markdown(), derivation.latex()):
            assert any(line.rstrip(" `\\").endswith(shown) for line in text.splitlines())


@settings(max_examples=60)
@given(graph=graphs())
def test_backward_steps_equal_backward(graph):
    root, leaves = graph
    derivation = explain(root)
    root.backward()
    interior = [n for n in reversed(topological_order(root)) if n._prev]
    assert len(derivation.steps) == len(interior)
    for step, node in zip(derivation.steps, interior):
        assert (step.data, step.grad) == (node.data, node.grad)
    shown = dict((name.text, grad) for name, grad in derivation.leaves)
    assert shown == {leaf.label: leaf.grad for leaf in leaves if leaf.label in shown}
    assert set(shown) == {leaf.label for leaf in leaves if leaf in topological_order(root)}


def test_the_readme_example_prints_what_the_readme_says(capsys):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Derivations and the command line")[1]
    block = section.split("```python\n")[1].split("```")[0]
    exec(compile(block, "README.md", "exec"), {})  # the README's own example
    shown = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    assert capsys.readouterr().out.splitlines() == shown


def test_the_where_list_is_capped_and_says_so():
    x = Value(0.5, label="x")
    h = x
    for i in range(60):
        h = (h * x + h).tanh()
        h.label = f"h{i}"
    derivation = explain(h, wrt=x)  # 2**60 paths: grouped, with a long where list
    lines = str(derivation).splitlines()
    assert len(derivation.where) == WHERE_LIMIT and derivation.where_more
    assert lines[-1] == "  …" and lines[-WHERE_LIMIT - 2] == "where:"
    assert lines[-2] == f"  h59 = tanh(h58·x + h58) = {number(h.data)}"


def test_a_capped_where_list_is_the_same_for_the_same_graph():
    # Which names fit under the cap must not depend on where the nodes happen
    # to sit in memory: the ones nearest the root are listed.
    def build():
        x = Value(1.0, label="x")
        y = x
        for _ in range(100):
            y = y * 1.0001 + 0.0001
        return y, x

    derivations = [explain(*build()) for _ in range(3)]
    assert len({str(d) for d in derivations}) == 1
    root_definition = derivations[0].where[-1]
    assert root_definition[0].text == "v50" and derivations[0].where_more


def test_a_users_row_with_latex_braces_explains_in_every_format():
    from test_ops import softplus_row

    from autograd import apply

    x = Value(0.5, label="x")
    w = Value(2.0, label="w")
    y = apply(softplus_row(), x * w)
    y.label = "y"
    derivation = explain(y, wrt=x)
    assert "softplus(" in str(derivation) and "σ(" in str(derivation)
    latex = derivation.latex()
    assert "\\mathrm{softplus}(" in latex and "\\frac{1}{1 + e^{-" in latex
    assert latex.count("{") == latex.count("}")
    assert "softplus" in derivation.markdown()
    assert "softplus" in str(explain(y))  # the whole backward pass too
