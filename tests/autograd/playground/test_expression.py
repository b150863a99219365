"""Expression mode shows what the CLI's functions make: parse, backward, explain, draw_dot
and the viewer's page, never numbers of its own."""

import pytest

from autograd import explain, topological_order
from autograd.draw import draw_dot
from autograd.parse import ExpressionError, parse
from autograd.playground.expression import DEFAULT_VALUE, evaluate, names, values_for
from autograd.viewer import page


def fake_svg(source):
    return f'<svg width="300pt" height="100pt"><g id="fake">{len(source)}</g></svg>'


def cli_graph(text, values):
    root = parse(text, values)
    root.label = "f"
    root.backward()
    return root, {n.label: n for n in topological_order(root) if n.label and not n._prev}


def test_the_numbers_drawing_and_words_are_the_libraries():
    text, values = "x*y + sin(x)", {"x": 1.5, "y": -2.0}
    shown = evaluate(text, values, wrt="x", lang="zh", svg=fake_svg)
    root, leaves = cli_graph(text, values)
    assert shown["value"] == root.data and shown["root"] == "f"
    assert shown["grads"] == {"x": leaves["x"].grad, "y": leaves["y"].grad}
    assert shown["derivation"] == str(explain(root, leaves["x"], lang="zh"))
    assert shown["dot"] == draw_dot(root, names=True).source
    assert shown["steps"] == page(root, svg=fake_svg)
    assert shown["steps_height"] >= 320 and shown["too_large"] is None


def test_without_wrt_the_derivation_is_the_whole_backward_pass():
    shown = evaluate("tanh(w*x + b)", {"w": 0.5, "x": 2.0, "b": -1.0}, svg=fake_svg)
    root, _ = cli_graph("tanh(w*x + b)", {"w": 0.5, "x": 2.0, "b": -1.0})
    assert shown["derivation"] == str(explain(root))


def test_the_result_is_named_as_the_cli_names_it():
    assert evaluate("f*2", {"f": 3.0}, svg=fake_svg)["root"] == "g"


@pytest.mark.parametrize(
    "text, values, words",
    [
        ("__import__('os').system('x')", {}, "only abs, cos"),
        ("log(x)", {"x": 0.0}, "line 1, column 1: log"),
        ("x +", {"x": 1.0}, "not a valid expression"),
    ],
)
def test_bad_expressions_are_the_parsers_errors(text, values, words):
    with pytest.raises(ExpressionError, match=words):
        evaluate(text, values, svg=fake_svg)


def test_wrt_and_lang_are_checked():
    with pytest.raises(ExpressionError, match="'z' is not a name in the expression"):
        evaluate("x*y", {"x": 1.0, "y": 2.0}, wrt="z", svg=fake_svg)
    with pytest.raises(ExpressionError, match="lang must be one of en, zh"):
        evaluate("x", {"x": 1.0}, lang="fr", svg=fake_svg)


def test_a_graph_over_the_drawing_budget_still_gets_numbers_and_words():
    text = " + ".join(["sin(x)"] * 200)
    shown = evaluate(text, {"x": 0.5}, svg=fake_svg)
    assert shown["dot"] is None and shown["steps"] is None
    assert "max_nodes=300" in shown["too_large"]
    assert shown["grads"]["x"] == pytest.approx(200 * 0.8775825618903728)


def test_names_are_found_in_order_without_the_functions():
    assert names("tanh(w*x + b) + w") == ["w", "x", "b"]
    assert names("sin(sin)") == ["sin"]  # a name may be a function's name too
    assert names("x +") == [] and names("\0") == []


def test_values_keep_what_was_typed_and_start_new_names_at_the_default():
    assert values_for("a*b", {"a": 2.0, "old": 5.0}) == {"a": 2.0, "b": DEFAULT_VALUE}
