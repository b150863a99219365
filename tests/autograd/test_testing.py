"""The public hypothesis strategies: valid inputs, every op, shared subexpressions."""

import dataclasses
import math
from collections import Counter

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import OPS, GradcheckError, Value, detect_anomaly, topological_order
from autograd.ops import in_domain, sin
from autograd.testing import Expression, assert_grads_close, expressions, functions, values


@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
@settings(max_examples=60)
@given(data=st.data())
def test_values_stay_inside_the_domain_and_clear_of_kinks(op, data):
    xs = data.draw(values(op))
    assert len(xs) == op.arity or (op.arity == 0 and len(xs) % 2 == 1)
    assert in_domain(op, xs) and math.isfinite(op.forward(*xs))
    assert all(abs(x) <= op.bound for i, x in enumerate(xs) if i not in op.constant_inputs)
    assert all(abs(xs[0] - kink) > 1e-4 for kink in op.kinks)


@given(values(), values(bound=2.0), values("log", bound=3.0))
def test_values_take_a_bound_and_an_op_name(x, y, log_input):
    assert abs(x) <= 10.0 and abs(y) <= 2.0
    assert 0 < log_input[0] <= 3.0


def test_values_of_an_unknown_op_name_the_table():
    with pytest.raises(ValueError, match=r"unknown op 'nope'.*add, sub"):
        values("nope")


def _draw_many(strategy, n):
    """n examples of a strategy, drawn the way a @given test draws them."""
    seen = []

    @settings(max_examples=n, database=None)
    @given(strategy)
    def collect(example):
        seen.append(example)

    collect()
    return seen


def test_expressions_use_every_op_over_many_draws():
    used = Counter()
    for f, _ in _draw_many(expressions(max_nodes=30), 150):
        used.update(f.ops)
    assert set(used) == set(OPS)


def test_expressions_use_only_the_ops_asked_for():
    for f, xs in _draw_many(expressions(ops=["log", "sqrt", OPS["mul"]], max_nodes=10), 30):
        assert f.ops <= {"log", "sqrt", "mul"}
        assert math.isfinite(f(*xs).data)  # a valid point: no domain error on the way


def test_expressions_share_subexpressions():
    def most_uses(f, xs):
        uses = Counter(id(parent) for node in topological_order(f(*xs)) for parent in node._prev)
        return max(uses.values(), default=0)

    shared = [most_uses(*case) for case in _draw_many(expressions(max_nodes=20), 50)]
    assert sum(n > 1 for n in shared) > 25  # most graphs reuse a node
    trees = [most_uses(*case) for case in _draw_many(expressions(share=False), 50)]
    assert max(trees) == 1  # share=False: every node feeds one other node


@settings(max_examples=80)
@given(expressions(max_nodes=60))
def test_expression_points_are_valid_for_every_op_along_the_graph(case):
    f, xs = case
    with detect_anomaly():  # no NaN or inf anywhere, forward or backward
        out = f(*xs)
        out.backward()
    for node in topological_order(out):
        if node._row is not None:
            assert in_domain(node._row, tuple(p.data for p in node._prev))
            assert abs(node.data) <= 1e3 or node._row.name == "add"  # the final sum may exceed
    assert len(xs) == f.n_inputs and f.point == xs


def test_expressions_read_as_lines_of_ops():
    f = Expression(2, [(OPS["mul"], (0, 1), None), (OPS["pow"], (2,), 2.0)], point=[1.0, 2.0])
    assert repr(f) == "Expression(2 inputs at [1.0, 2.0]: v0 = x0·x1; v1 = v0^2.0)"
    assert f(3.0, 2.0).data == 36.0
    with pytest.raises(TypeError, match="takes 2 inputs, not 1"):
        f(1.0)


@settings(max_examples=40)
@given(functions(), st.floats(-1e6, 1e6))
def test_functions_are_defined_and_smooth_everywhere(g, x):
    out = g(Value(x))
    assert math.isfinite(out.data)
    assert g.ops <= {"add", "sub", "mul", "neg", "tanh", "sigmoid", "sin", "cos", "linear"}


@settings(max_examples=30)
@given(functions(), values(bound=3.0))
def test_functions_wrap_user_code(g, x):
    def softplus(v):  # a user's function, tested inside random graphs
        return (1 + v.exp()).log()

    assert_grads_close(lambda v: g(softplus(v)), [x])
    assert_grads_close(lambda v: softplus(v) * g(v), [x])


def test_assert_grads_close_fires_on_a_wrong_gradient():
    wrong = dataclasses.replace(OPS["sin"], local_grads=lambda x, out: (sin(x),))
    f = Expression(1, [(wrong, (0,), None)])
    assert_grads_close(Expression(1, [(OPS["sin"], (0,), None)]), [1.0])
    with pytest.raises(AssertionError, match="worst: x0"):
        assert_grads_close(f, [1.0])


def test_assert_grads_close_order_2_checks_second_derivatives():
    flat = dataclasses.replace(OPS["sin"], local_grads=lambda x, out: (math.cos(float(x)),))
    f = Expression(1, [(flat, (0,), None)])
    assert_grads_close(f, [0.5])
    with pytest.raises(GradcheckError, match="gradgradcheck"):
        assert_grads_close(f, [0.5], order=2)


def test_assert_grads_close_rejects_a_kink_inside_a_test():
    with pytest.raises(GradcheckError, match="kink"):
        assert_grads_close(lambda x: x.relu(), [0.0])  # outside @given: raised

    @settings(max_examples=5, database=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.floats(-1, 1))
    def at_the_kink(x):
        assert_grads_close(lambda v: (v - x).relu(), [x])  # relu(v − x) at v = x

    with pytest.raises(hypothesis.errors.Unsatisfiable):
        at_the_kink()  # every example was rejected, none failed
