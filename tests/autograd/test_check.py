"""The gradient checkers: they pass on right gradients and FIRE on wrong ones."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd.mode
from autograd import (
    OPS,
    AnomalyError,
    GradcheckError,
    Value,
    check_every_node,
    gradcheck,
    gradgradcheck,
    numerical_grad,
)
from autograd.check import detect_anomaly
from autograd.ops import sin
from autograd.testing import Expression, expressions, values

# d/dx sin = sin: a wrong row, as a learner might write it.
WRONG_SIN = dataclasses.replace(OPS["sin"], local_grads=lambda x, out: (sin(x),))
# Right first derivative on floats, but a constant on the create_graph path.
FLAT_SIN = dataclasses.replace(OPS["sin"], local_grads=lambda x, out: (math.cos(float(x)),))


def wrong_sin(x):
    return Expression(1, [(WRONG_SIN, (0,), None)])(x)


def flat_sin(x):
    return Expression(1, [(FLAT_SIN, (0,), None)])(x)


@given(st.floats(-3, 3))
def test_numerical_grad_is_central_differences(x):
    (slope,) = numerical_grad(lambda v: v * v * v, [x])
    assert math.isclose(slope, 3 * x * x, rel_tol=1e-6, abs_tol=1e-8)


def test_numerical_grad_says_when_a_step_leaves_the_domain():
    with pytest.raises(ValueError, match=r"input 0 = 0.0 .* left the domain: sqrt"):
        numerical_grad(lambda v: v.sqrt(), [0.0])


@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
@settings(max_examples=30)
@given(data=st.data())
def test_gradcheck_passes_every_row(op, data):
    xs = data.draw(values(op, bound=100.0))  # a step of 1e-6 in b is lost in 1e6·1e6
    if op.constant_inputs:
        f, point = Expression(1, [(op, (0,), xs[1])]), [xs[0]]
    else:
        f, point = Expression(len(xs), [(op, tuple(range(len(xs))), None)]), list(xs)
    assert gradcheck(f, point) is True


def test_gradcheck_names_the_input_with_the_wrong_gradient():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, b: b * 3 + wrong_sin(a) * b, [a, b])
    error = caught.value
    assert error.worst == "a"
    message = str(error)
    assert "worst: a" in message
    header = message.splitlines()[1].split()
    assert header == ["input", "analytic", "numeric", "abs", "err", "rel", "err"]
    row_a = next(row for row in error.rows if row.name == "a")
    assert math.isclose(row_a.analytic, 2 * math.sin(1.0))  # what the wrong row claims
    assert math.isclose(row_a.numeric, 2 * math.cos(1.0), rel_tol=1e-8)
    assert [row.name for row in error.rows if not row.close] == ["a"]
    assert gradcheck(lambda a, b: b * 3 + a.sin() * b, [a, b])  # the right row passes


def test_gradcheck_can_return_false_instead():
    assert gradcheck(wrong_sin, [1.0], raise_exception=False) is False


def test_a_coarse_eps_fails():
    assert gradcheck(lambda x: x.sin(), [1.0], eps=1e-6)
    with pytest.raises(GradcheckError, match=r"eps=1\.0"):
        gradcheck(lambda x: x.sin(), [1.0], eps=1.0)


# sin(ω·x)/ω curves so sharply that a central difference at h = 1e-6 is off by
# (ωh)²/6 ≈ 1.7e-3 of the slope, far over rtol = 1e-4.
OMEGA = 1e5


def _plain_central(g, x, h=1e-6):
    return (g(x + h) - g(x - h)) / (2 * h)


def test_a_sharply_curving_function_with_right_derivatives_passes():
    slope = math.cos(OMEGA * 0.3)
    plain = _plain_central(lambda x: math.sin(OMEGA * x) / OMEGA, 0.3)
    assert abs(plain - slope) > 1e-3 * abs(slope)  # the plain difference alone would fail
    assert gradcheck(lambda x: (x * OMEGA).sin() / OMEGA, [0.3])
    curvature = -math.sin(OMEGA * 0.3)
    plain = _plain_central(lambda x: math.cos(OMEGA * x) / OMEGA, 0.3)
    assert abs(plain - curvature) > 1e-3 * abs(curvature)
    assert gradgradcheck(lambda x: (x * OMEGA).sin() / OMEGA**2, [0.3])


def test_a_derivative_off_by_a_thousandth_fails_even_where_the_function_curves_sharply():
    nearly = dataclasses.replace(OPS["sin"], local_grads=lambda x, out: (1.001 * math.cos(x),))
    with pytest.raises(GradcheckError, match="disagree"):
        gradcheck(lambda x: Expression(1, [(nearly, (0,), None)])(x * OMEGA) / OMEGA, [0.3])


@pytest.mark.parametrize(
    "f, x, op",
    [
        (lambda x: x.relu() * 3, 0.0, "relu"),
        (lambda x: abs(x - 1e-9) + x, 0.0, "|"),
        (lambda x: (x * x - 4.0).relu(), 2.0, "relu"),
    ],
)
def test_a_point_at_a_kink_is_reported_as_a_kink(f, x, op):
    with pytest.raises(GradcheckError) as caught:
        gradcheck(f, [x])
    message = str(caught.value)
    assert "kink" in message and op in message
    assert "disagree" not in message
    assert caught.value.kinks


def test_a_wrong_gradient_next_to_a_kink_is_still_wrong():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x, y: x.relu() + wrong_sin(y), [0.0, 1.0])
    assert "disagree" in str(caught.value) and caught.value.worst == "x1"


def test_gradgradcheck_passes_right_second_derivatives():
    assert gradgradcheck(lambda x, y: (x * y).tanh() * x.exp() + y.log(), [0.3, 1.7])


def test_gradgradcheck_fires_where_only_second_derivatives_are_wrong():
    assert gradcheck(flat_sin, [0.7])  # first derivatives are right
    with pytest.raises(GradcheckError) as caught:
        gradgradcheck(lambda x: flat_sin(x) * 2, [0.7])
    (row,) = caught.value.rows
    assert row.analytic == 0.0 and math.isclose(row.numeric, -2 * math.sin(0.7), rel_tol=1e-6)


def test_check_every_node_points_at_the_wrong_node():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    n = x * y
    h = wrong_sin(n)
    h.label = "h"
    out = (h + x.sin()).tanh()
    with pytest.raises(GradcheckError) as caught:
        check_every_node(out)
    assert caught.value.node is h
    assert "h = sin" in str(caught.value) and "op sin" in str(caught.value)
    assert check_every_node(out, raise_exception=False) is False


def test_check_every_node_reports_the_first_wrong_node_from_the_leaves():
    x = Value(0.5, label="x")
    first = wrong_sin(x)
    second = wrong_sin(first * 3.0)
    with pytest.raises(GradcheckError) as caught:
        check_every_node(second + first)
    assert caught.value.node is first


def test_check_every_node_skips_nodes_made_by_hand():
    x = Value(0.5)
    out = Value(2 * x.data, (x,), "double")  # micrograd style, no op row
    out._backward = lambda: None  # wrong, but there is no forward to compare with
    assert check_every_node(out.tanh())


@settings(max_examples=40)
@given(expressions(max_nodes=60))
def test_check_every_node_passes_right_graphs(case):
    f, xs = case
    assert check_every_node(f(*xs))


def test_check_every_node_skips_a_kink():
    assert check_every_node(Value(0.0).relu() + abs(Value(0.0)))


def test_detect_anomaly_is_the_engines():
    assert detect_anomaly is autograd.mode.detect_anomaly


def test_detect_anomaly_names_the_op_in_forward():
    a = Value(math.inf, label="a")
    assert math.isnan((a * 0.0).data)  # without the guard: a silent NaN
    with detect_anomaly(), pytest.raises(AnomalyError) as caught:
        (a * 0.0).tanh()
    message = str(caught.value)
    assert message.startswith("forward of mul(a=inf, 0.0) gave nan")
    assert "chain: a·0.0" in message


def test_detect_anomaly_names_the_op_and_the_chain_in_backward():
    def build():
        a, b = Value(0.0, label="a"), Value(1.0, label="b")
        d = a * b
        d.label = "d"
        return d.sqrt() * 0.0

    build().backward()  # without the guard: NaN gradients, no error
    with detect_anomaly(), pytest.raises(AnomalyError) as caught:
        build().backward()
    message = str(caught.value)
    assert message.startswith("backward of sqrt(d=0.0) gave nan (local derivative inf)")
    assert "chain: √d ← d = a·b" in message


def test_detect_anomaly_watches_the_create_graph_path():
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"backward of sqrt\(x=0.0\)"):
        Value(0.0, label="x").sqrt().backward(create_graph=True)
