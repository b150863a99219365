"""Number operands: kept in the node as floats, shown as constant leaves when read.

What users rely on: a graph shows the same leaves and the same grads whether
it is read before backward() or after, however often backward() ran; stepping
backward by hand counts each number once; errors name the number.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    OPS,
    AnomalyError,
    Value,
    apply,
    detect_anomaly,
    draw_dot,
    explain,
    scope,
    topological_order,
)
from autograd.backward import depth_first
from autograd.value import NumberLeaf
from autograd.viewer import backward_steps

# Each builds a node from a Value and a number, the number on either side.
_WITH_A_NUMBER = [
    lambda v, c: v + c,
    lambda v, c: c + v,
    lambda v, c: v - c,
    lambda v, c: c - v,
    lambda v, c: v * c,
    lambda v, c: c * v,
    lambda v, c: v / c,
    lambda v, c: c / (1.5 + v * v),
    lambda v, c: (v * v + 0.5) ** c,
    lambda v, c: abs(c) ** v.tanh(),
]


def _build(steps):
    x = Value(0.7, label="x")
    nodes = [x]
    for k, i, c in steps:
        nodes.append(_WITH_A_NUMBER[k](nodes[i % len(nodes)].tanh(), c))
    return x, sum(nodes[1:], nodes[0])


_STEPS = st.lists(
    st.tuples(
        st.integers(0, len(_WITH_A_NUMBER) - 1),
        st.integers(0, 10**6),
        st.floats(0.25, 4.0) | st.floats(-4.0, -0.25),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60)
@given(_STEPS)
def test_a_graph_read_before_or_after_backward_shows_the_same_grads(steps):
    _, read_first = _build(steps)
    _, read_after = _build(steps)
    topological_order(read_first)  # every number a leaf before backward() runs
    read_first.backward()
    read_after.backward()
    first, after = topological_order(read_first), topological_order(read_after)
    assert [n.data for n in first] == [n.data for n in after]
    assert [n.grad for n in first] == [n.grad for n in after]  # bit for bit


@pytest.mark.parametrize("make", _WITH_A_NUMBER)
def test_a_number_operand_stays_a_float_and_reads_as_one_leaf(make):
    v = Value(0.3)
    out = make(v, 2.0)
    assert 2.0 in (out._x, out._y)  # kept as the float itself
    leaf = next(p for p in out._prev if p is not v and not p._prev)
    assert leaf.data == 2.0
    assert isinstance(leaf, NumberLeaf)
    assert leaf in out._prev and out._prev[out._prev.index(leaf)] is leaf  # one leaf per read
    assert 2.0 in (out._x, out._y)  # reading changed nothing


def test_reading_a_graph_changes_none_of_it():
    x = Value(0.5, label="x")
    out = ((x * 3.0).tanh() - 1.0) / 2.0 + 0.25**x
    out.backward()
    fields = lambda: [(n, n._x, n._y, n.grad, n._number_grad) for n in depth_first(out)]
    before = fields()
    topological_order(out)
    draw_dot(out)
    explain(out, wrt=x)
    backward_steps(out)
    assert fields() == before


def test_stepping_backward_by_hand_gives_each_number_its_grad_once():
    x = Value(2.0)
    n = x * 3.0
    out = n + 1.0
    out.grad = 1.0
    out._backward()
    n._backward()
    assert x.grad == 3.0
    three, one = n._prev[1], out._prev[1]
    assert (three.data, three.grad) == (3.0, 2.0)
    assert (one.data, one.grad) == (1.0, 1.0)


def test_a_number_read_after_backward_has_the_grad_backward_gave_it():
    x = Value(-1.5)
    out = (x * 4.0).tanh()
    out.backward()
    four = out._prev[0]._prev[1]
    assert four.grad == pytest.approx((1 - math.tanh(-6.0) ** 2) * -1.5)
    assert x.grad == pytest.approx((1 - math.tanh(-6.0) ** 2) * 4.0)


@pytest.mark.parametrize("read_first", [True, False], ids=["read first", "read after"])
def test_a_number_accumulates_like_any_leaf_read_or_not(read_first):
    x = Value(2.0)
    out = 5.0 * x
    if read_first:
        out._prev  # noqa: B018 (a read must change nothing)
    out.backward()
    out.backward()
    five = out._prev[0]
    assert five.grad == 4.0  # twice x.data, as x.grad is twice 5
    assert x.grad == 10.0


def test_a_numbers_leaf_belongs_to_the_scope_of_its_node():
    x = Value(1.0)
    with scope("layer"):
        out = x * 2.0
    assert out._prev[1]._scope == out._scope
    assert out._scope is not None


def test_second_derivatives_through_number_operands():
    x = Value(0.5)
    y = 3.0 * x**3 - 2.0 / x
    y.backward(create_graph=True)
    (dy,) = [x.grad]
    assert float(dy) == pytest.approx(9 * 0.5**2 + 2 / 0.5**2)
    x.grad = 0.0
    dy.backward()
    assert x.grad == pytest.approx(18 * 0.5 - 4 / 0.5**3)


def test_anomaly_detection_fires_on_a_numbers_grad():
    out = Value(1e308) * 2.0  # the number's grad is seed × 1e308
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"backward of mul\(1e\+308, 2\.0\)"):
        out.backward(10.0)


def test_the_anomaly_error_names_a_number_operand():
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward of mul\(1e\+300, 1e\+300\)"):
        Value(1e300) * 1e300


def test_a_domain_error_names_a_number_operand():
    with pytest.raises(ZeroDivisionError, match=r"div\(1\.0, 0\.0\)"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match=r"pow\(-8\.0, 0\.5\)"):
        Value(-8.0) ** 0.5


def test_apply_makes_a_number_input_a_leaf_and_names_the_op_for_anything_else():
    x = Value(3.0)
    out = apply(OPS["mul"], x, 2)
    assert out.data == 6.0
    assert [type(p) for p in out._prev] == [Value, Value]
    assert out._prev[1].data == 2.0
    with pytest.raises(TypeError, match="mul: inputs must be Values or numbers, not str"):
        apply(OPS["mul"], x, "a")
