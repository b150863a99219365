"""explain(group_by="use"): a shared weight's gradient, one use at a time, equal to backward()'s."""

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from autograd import Value, explain, numerical_grad, topological_order
from autograd.explain_notation import number
from autograd.testing import expressions
from nn import Conv2d
from nn.conv import flatten

PIXELS = [[0.1 * (4 * r + c) for c in range(4)] for r in range(4)]  # one 4×4 channel


def conv_loss(w0=None, *, padding=0, kernel=2):
    """L = Σ tanh(z)·c over the positions z of one kernel on PIXELS; w0 replaces weight.0."""
    conv = Conv2d(1, 1, kernel, padding=padding, seed=0)
    if w0 is not None:
        conv.weight[0] = w0
    conv.weight[0].label = "w"
    positions = flatten(conv([PIXELS]))
    for k, z in enumerate(positions):
        z.label = f"z{k}"
    loss = sum(z.tanh() * (0.5 + 0.25 * k) for k, z in enumerate(positions))
    loss.label = "L"
    return loss, conv, positions


def test_a_kernel_weights_uses_are_its_positions_and_sum_to_its_grad():
    loss, conv, positions = conv_loss()
    w = conv.weight[0]
    derivation = explain(loss, wrt=w, group_by="use")
    uses = derivation.groups
    assert [use.node.text for use in uses] == [f"z{k}" for k in range(9)]
    assert [use.consumer for use in uses] == positions
    # ∂z/∂w is the pixel the top-left weight reads at each of the 3×3 positions.
    assert [use.local for use in uses] == [PIXELS[i][j] for i in range(3) for j in range(3)]
    assert all(use.value == use.local * use.arriving for use in uses)
    assert sum(use.paths for use in uses) == derivation.path_count == 9
    loss.backward()
    assert [use.arriving for use in uses] == [z.grad for z in positions]
    assert derivation.total == w.grad
    assert math.isclose(sum(use.value for use in uses), w.grad, rel_tol=1e-12)
    (numeric,) = numerical_grad(lambda v: conv_loss(v)[0], [w.data])
    assert math.isclose(derivation.total, numeric, rel_tol=1e-6)


def test_with_padding_each_weight_has_one_use_per_position_it_reaches():
    loss, conv, _ = conv_loss(padding=1, kernel=3)  # 4×4 positions
    counts = [len(explain(loss, wrt=w, group_by="use").groups) for w in conv.weight]
    assert counts == [9, 12, 9, 12, 16, 12, 9, 12, 9]  # corners, edges, the centre
    loss.backward()
    for w in conv.weight:
        uses = explain(loss, wrt=w, group_by="use").groups
        assert math.isclose(sum(use.value for use in uses), w.grad, rel_tol=1e-12)


def test_a_node_using_wrt_twice_is_one_use_with_the_summed_local_derivative():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    L = y.sin() + x
    L.label = "L"
    derivation = explain(L, wrt=x, group_by="use")
    (square, add) = derivation.groups
    assert (square.node.text, square.edges, square.local, square.paths) == ("y", 2, 6.0, 2)
    assert square.arriving == math.cos(9.0)
    assert (add.node.text, add.edges, add.local, add.arriving) == ("L", 1, 1.0, 1.0)
    assert derivation.path_count == 3
    lines = str(derivation).splitlines()
    assert lines[0] == (
        "∂L/∂x by the chain rule: x is used by 2 nodes; each use's local derivative "
        "times the gradient arriving there:"
    )
    cos9, value = number(math.cos(9.0)), number(square.value)
    assert lines[1] == f"  y: ∂y/∂x · ∂L/∂y = (6.0)({cos9}) = {value}"
    assert lines[2] == "  L: ∂L/∂x · ∂L/∂L = (1.0)(1.0) = 1.0"
    L.backward()
    assert lines[3] == f"∂L/∂x = sum over the uses = {value} + 1.0 = {number(x.grad)}"
    assert math.isclose(square.value + add.value, x.grad, rel_tol=1e-12)


def test_a_weight_no_node_uses_has_no_uses_and_a_zero_derivative():
    loss, _, _ = conv_loss()
    unused = Value(2.0, label="u")
    derivation = explain(loss, wrt=unused, group_by="use")
    assert (derivation.groups, derivation.total, derivation.path_count) == ((), 0.0, 0)
    assert str(derivation) == "L does not depend on u: ∂L/∂u = 0"
    assert str(explain(loss, wrt=unused, group_by="use", lang="zh")) == "L 不依赖于 u：∂L/∂u = 0"


def test_the_root_itself_has_no_use_and_is_its_own_path():
    loss, _, _ = conv_loss()
    derivation = explain(loss, wrt=loss, group_by="use")
    assert (derivation.groups, derivation.total) == ((), 1.0)
    assert "∂L/∂L = 1.0" in str(derivation)


def test_past_max_paths_the_rest_of_the_uses_is_one_line_and_where_names_the_shown():
    loss, conv, _ = conv_loss()
    derivation = explain(loss, wrt=conv.weight[0], group_by="use", max_paths=4)
    uses = derivation.groups
    lines = str(derivation).splitlines()
    assert [line.split(":")[0] for line in lines[1:5]] == ["  z0", "  z1", "  z2", "  z3"]
    rest = sum(use.value for use in uses[4:])
    assert lines[5] == f"  5 more uses (5 paths): {number(rest)}"
    terms = [number(u.value) if u.value >= 0 else f"({number(u.value)})" for u in uses[:4]]
    shown = " + ".join(terms)
    assert lines[6].startswith(f"∂L/∂w = sum over the uses = {shown}")
    named = {entry[0].text for entry in derivation.where}
    assert {"w", "z0", "z1", "z2", "z3", "L"} <= named


def test_chinese_says_the_same_uses_in_chinese():
    loss, conv, _ = conv_loss()
    w = conv.weight[0]
    english = str(explain(loss, wrt=w, group_by="use"))
    chinese = str(explain(loss, wrt=w, group_by="use", lang="zh"))
    assert chinese.startswith(
        "偏导数 ∂L/∂w，由链式法则：w 被 9 个节点直接使用；每处使用的局部导数乘以到达该处的梯度："
    )
    assert "∂L/∂w = 各处使用之和 = " in chinese and "by the chain rule" not in chinese
    formulas = lambda text: re.findall(r"∂\w+/∂\w+|-?\d+\.\d+", text)
    assert formulas(chinese) == formulas(english)
    capped = str(explain(loss, wrt=w, group_by="use", lang="zh", max_paths=7))
    assert "  其余 2 处使用（2 条路径）：" in capped


def test_markdown_and_latex_carry_the_same_numbers():
    loss, conv, _ = conv_loss()
    derivation = explain(loss, wrt=conv.weight[0], group_by="use")
    markdown, latex = derivation.markdown(), derivation.latex()
    first = derivation.groups[1]
    line = f"(0.1)({number(first.arriving)}) = {number(first.value)}"
    assert f"- `z1`: `∂z1/∂w · ∂L/∂z1 = {line}`" in markdown.splitlines()
    assert (
        "\\quad z_{1}\\text{: }\\frac{\\partial z_{1}}{\\partial w} \\cdot "
        f"\\frac{{\\partial L}}{{\\partial z_{{1}}}} = {line} \\\\"
    ) in latex.splitlines()
    total = f"= {number(derivation.total)}"
    assert any(row.rstrip(" `\\").endswith(total) for row in markdown.splitlines())
    assert any(row.rstrip(" `\\").endswith(total) for row in latex.splitlines())
    assert latex.count("{") == latex.count("}")


def test_the_order_is_the_topological_order_and_the_same_every_time():
    built = [conv_loss() for _ in range(3)]
    texts = {str(explain(loss, wrt=conv.weight[0], group_by="use")) for loss, conv, _ in built}
    assert len(texts) == 1
    loss, conv, _ = built[0]
    w = conv.weight[1]
    uses = explain(loss, wrt=w, group_by="use").groups
    assert [use.consumer for use in uses] == [n for n in topological_order(loss) if w in n._prev]


def test_group_by_is_checked_and_merge_stays_the_default():
    loss, conv, _ = conv_loss()
    w = conv.weight[0]
    bad = r"group_by must be one of \['merge', 'use'\], not 'pixel'"
    with pytest.raises(ValueError, match=bad):
        explain(loss, wrt=w, group_by="pixel")
    with pytest.raises(ValueError, match="group_by='use' groups the paths to one node"):
        explain(loss, group_by="use")
    default = explain(loss, wrt=w)
    assert default.group_by == "merge" and default.groups == () and len(default.paths) == 9
    assert str(default) == str(explain(loss, wrt=w, group_by="merge"))


@settings(max_examples=60)
@given(case=expressions(max_leaves=3, max_nodes=20))
def test_uses_add_up_to_backwards_grad_on_random_graphs(case):
    f, point = case
    leaves = [Value(x) for x in point]
    root = f(*leaves)
    derivations = [explain(root, wrt=leaf, group_by="use") for leaf in leaves]
    root.backward()
    for leaf, derivation in zip(leaves, derivations):
        uses = derivation.groups
        assert derivation.total == leaf.grad
        if leaf is root:  # the expression is its input: no node uses it
            assert uses == () and derivation.total == 1.0
            continue
        assert sum(use.paths for use in uses) == derivation.path_count
        assert [use.arriving for use in uses] == [use.consumer.grad for use in uses]
        assert math.isclose(sum(u.value for u in uses), leaf.grad, rel_tol=1e-9, abs_tol=1e-12)


def test_the_readme_lenet_example_prints_what_the_readme_says(capsys):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("**LeNet.**")[1]
    block = section.split("```python\n")[1].split("```")[0]
    assert 'group_by="use"' in block
    exec(compile(block, "README.md", "exec"), {})  # the README's own example
    shown = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].endswith("w is used by 9 nodes; each use's local derivative times the "
                               "gradient arriving there:")  # fmt: skip
    assert printed == shown
