"""Tracing is honest: control flow on a batch argument is a TraceError naming the line."""

import random

import pytest

import autograd
from autograd import TraceError, Value, apply
from autograd.ops import OPS

W = Value(0.5, label="w")


def compare(x):
    if x > 0:  # the line the error names
        return W * x
    return -W * x


def compare_derived(x):
    y = W * x
    return y if y <= 1 else W


def to_float(x):
    return W * float(x)


def to_bool(x):
    return W if (W * x) else x


def maximum(x, y):
    return max(x, y) * W


@pytest.mark.parametrize(
    "fn, line",
    [
        (compare, "if x > 0:"),
        (compare_derived, "return y if y <= 1 else W"),
        (to_float, "return W * float(x)"),
        (to_bool, "return W if (W * x) else x"),
        (maximum, "return max(x, y) * W"),
    ],
    ids=["comparison", "derived comparison", "float()", "bool()", "max()"],
)
def test_python_reading_a_batch_value_is_a_trace_error_naming_the_line(fn, line):
    columns = [[1.0, -2.0]] * fn.__code__.co_argcount
    with pytest.raises(TraceError, match="batch argument") as raised:
        autograd.compile(fn)(*columns)
    assert line in str(raised.value) and "test_trace.py, line" in str(raised.value)
    assert "x" in str(raised.value).split("argument(s)")[1]
    assert (W < 1.0) is True  # reading numbers works again once the trace is over


def test_reading_a_parameters_number_is_allowed():
    compiled = autograd.compile(lambda x: x * (W if W > 0 else -W) * float(W), reduce="sum")
    assert compiled([1.0, 2.0]).data == 0.75


def test_a_number_read_through_data_is_caught_by_a_second_trace():
    def shifted(x, y):
        top = max(x.data, y.data)  # invisible to the tracer
        return W * ((x - top).exp() + (y - top).exp())

    with pytest.raises(TraceError, match=r"the number in x − 2.0 is 2.0 for one example and 5.0"):
        autograd.compile(shifted)([1.0, 5.0], [2.0, 3.0])


def test_a_branch_on_data_that_changes_the_graph_is_caught():
    def branchy(x):
        return (W * x).relu() if x.data > 0 else (W * x).tanh()

    def longer(x):
        return W * x if x.data > 0 else W * x * 2.0

    with pytest.raises(TraceError, match=r"computes relu\(w·x\) for one example and tanh\(w·x\)"):
        autograd.compile(branchy)([1.0, -1.0])
    with pytest.raises(TraceError, match="3 nodes for one example, 5 for another"):
        autograd.compile(longer)([1.0, -1.0])


def test_random_numbers_drawn_inside_are_caught():
    rng = random.Random(0)
    with pytest.raises(TraceError, match="random"):
        autograd.compile(lambda x: W * x * rng.random())([1.0, 2.0])


def test_a_node_with_a_closure_of_its_own_is_refused():
    def hand_made(x):
        out = Value((W * x).data, _children=(W, x), _op="f")
        out._backward = lambda: None
        return out

    with pytest.raises(TraceError, match="_backward closure"):
        autograd.compile(hand_made)([1.0])


def test_fn_must_return_a_value_or_a_list_of_them():
    with pytest.raises(TypeError, match=r"must return a Value .* not float 2\.0"):
        autograd.compile(lambda x: 2.0)([1.0])
    with pytest.raises(TypeError, match="returns 2 Values; reduce='mean' needs one"):
        autograd.compile(lambda x: [x, x])([1.0])


def test_a_row_of_your_own_is_traced_like_any_other():
    import dataclasses

    row = dataclasses.replace(OPS["sin"], name="my_sin")
    compiled = autograd.compile(lambda x: apply(row, W * x), reduce="sum")
    assert compiled([0.0]).data == 0.0
    assert compiled.graph._row is row
