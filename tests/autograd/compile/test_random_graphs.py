"""autograd.compile on random graphs: every op, shared nodes, numbers kept in nodes.

Each drawn expression is split into parameters (its first leaves, Values the
function reads from outside) and data (the rest, one column each). A batch is
replayed by each backend and compared example by example with the scalar
engine: the outputs, each example's gradients, and the reduced node's value and
parameter grads. With every op, the examples lie near the drawn point (inside
every domain); with the ops defined everywhere, anywhere in [-3, 3].
"""

import math
import random

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.testing import SMOOTH_TOTAL, expressions

BACKENDS = ["numpy", "python"]
SHIFT = 1e-6  # how far an example's data moves from the drawn point: well inside its margins
LIMIT = 1e6  # examples whose output or grads grow past this are not compared
REL = 1e-9  # the backends may sum in another order than the scalar engine


@st.composite
def cases(draw, anywhere=False):
    """(f, parameters, columns): f(*data) builds the expression on parameters and data."""
    ops = SMOOTH_TOTAL if anywhere else None
    expression, point = draw(expressions(ops, max_leaves=4, max_nodes=20))
    n_params = draw(st.integers(0, len(point) - 1))
    size = draw(st.integers(1, 8 if anywhere else 5))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    params = [Value(x, label=f"p{i}") for i, x in enumerate(point[:n_params])]
    if anywhere:
        examples = [[rng.uniform(-3.0, 3.0) for _ in point[n_params:]] for _ in range(size)]
    else:
        examples = [
            [x + rng.uniform(-SHIFT, SHIFT) * max(1.0, abs(x)) for x in point[n_params:]]
            for _ in range(size)
        ]
    columns = [list(column) for column in zip(*examples)]
    return (lambda *data: expression(*params, *data)), params, columns


def scalar(f, params, columns):
    """Each example's output and its parameter grads, by the scalar engine."""
    outputs, grads = [], []
    for example in zip(*columns):
        for p in params:
            p.grad = 0.0
        try:
            out = f(*[Value(x) for x in example])
        except (ValueError, ArithmeticError):
            reject()  # an example moved outside a domain (the drawn point is inside)
        out.backward()
        if not all(abs(x) < LIMIT for x in (out.data, *[p.grad for p in params])):
            reject()  # products of products, far from the drawn point, overflow
        outputs.append(out.data)
        grads.append([p.grad for p in params])
    for p in params:
        p.grad = 0.0
    return outputs, grads


def close(got, want, scale):
    return math.isclose(got, want, rel_tol=REL, abs_tol=REL * scale)


@pytest.mark.parametrize("backend", BACKENDS)
@given(case=st.one_of(cases(), cases(anywhere=True)))
def test_each_example_is_what_the_scalar_engine_gives(backend, case):
    f, params, columns = case
    want_outputs, want_grads = scalar(f, params, columns)
    compiled = autograd.compile(f, backend=backend)
    outputs, grads = compiled.per_example(*columns)
    order = [compiled.parameters.index(p) for p in params]
    grads = [[row[k] for k in order] for row in grads]
    scale = max(1.0, *map(abs, want_outputs))
    assert len(outputs) == len(want_outputs)
    for got, want in zip(outputs, want_outputs):
        assert close(float(got), want, scale)
    for got_row, want_row in zip(grads, want_grads):
        for got, want in zip(got_row, want_row):
            assert close(float(got), want, max(1.0, abs(want)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("reduce", ["sum", "mean"])
@given(case=st.one_of(cases(), cases(anywhere=True)))
def test_the_reduced_node_carries_the_sum_or_mean(backend, reduce, case):
    f, params, columns = case
    want_outputs, want_grads = scalar(f, params, columns)
    size = len(want_outputs)
    per = 1.0 if reduce == "sum" else 1.0 / size
    loss = autograd.compile(f, reduce=reduce, backend=backend)(*columns)
    assert isinstance(loss, Value)
    assert close(loss.data, math.fsum(want_outputs) * per, sum(map(abs, want_outputs)) + 1.0)
    loss.backward()
    for i, p in enumerate(params):
        column = [row[i] for row in want_grads]
        assert close(p.grad, math.fsum(column) * per, sum(map(abs, column)) + 1.0), p.label
