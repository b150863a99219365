"""autograd.compile: a traced scalar function replayed over a batch, as one node."""

import math
import random

import pytest

import autograd
from autograd import Value, check_every_node, draw_dot, explain
from nn import MLP

BACKENDS = ["numpy", "python"]


def moons(n=20, seed=0):
    rng = random.Random(seed)
    points = [(rng.uniform(-1.5, 2.5), rng.uniform(-1, 1.5)) for _ in range(n)]
    labels = [1.0 if y > 0.3 * x else -1.0 for x, y in points]
    return [p[0] for p in points], [p[1] for p in points], labels


def hinge(model):
    def loss_one(x1, x2, y):
        return (1 - y * model([x1, x2])).relu()

    return loss_one


def scalar_mean(loss_one, model, columns, reduce="mean"):
    """The loss built example by example with the scalar engine, and its grads."""
    model.zero_grad()
    terms = [loss_one(*[Value(x) for x in example]) for example in zip(*columns)]
    total = sum(terms[1:], terms[0])
    loss = total * (1.0 / len(terms)) if reduce == "mean" else total
    loss.backward()
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    return loss.data, grads


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fused", [False, True], ids=["expanded", "fused"])
@pytest.mark.parametrize("reduce", ["mean", "sum"])
def test_loss_and_grads_equal_the_scalar_engines(backend, fused, reduce):
    model = MLP(2, [8, 8, 1], seed=1, fused=fused)
    columns = moons()
    expected, expected_grads = scalar_mean(hinge(model), model, columns, reduce)
    loss = autograd.compile(hinge(model), reduce=reduce, backend=backend)(*columns)
    assert isinstance(loss, Value) and close(loss.data, expected)
    loss.backward()
    grads = [p.grad for p in model.parameters()]
    assert any(grads) and all(close(g, e) for g, e in zip(grads, expected_grads))


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_node_composes_with_the_rest_of_the_graph(backend):
    model = MLP(2, [4, 1], seed=2)
    columns = moons(10)
    batch_loss = autograd.compile(hinge(model), backend=backend)
    l2 = sum(p * p for p in model.parameters()) * 1e-2
    (batch_loss(*columns) * 2.0 + l2).backward()
    grads = [p.grad for p in model.parameters()]
    _, data_grads = scalar_mean(hinge(model), model, columns)
    for p, g, d in zip(model.parameters(), grads, data_grads):
        assert close(g, 2.0 * d + 2e-2 * p.data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reduce_none_gives_each_examples_output_and_no_graph(backend):
    model = MLP(2, [4, 1], seed=3)
    columns = moons(7)
    outputs = autograd.compile(hinge(model), reduce=None, backend=backend)(*columns)
    assert not isinstance(outputs, Value) and len(outputs) == 7
    for out, example in zip(outputs, zip(*columns)):
        assert close(float(out), hinge(model)(*example).data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reduce_none_gives_every_output_of_a_function_with_several(backend):
    model = MLP(3, [4, 3], seed=3)
    rows = [[0.1, 0.2, 0.3], [1.0, -2.0, 3.0]]
    outputs = autograd.compile(model, reduce=None, backend=backend)(rows)
    expected = [[v.data for v in model(row)] for row in rows]
    got = [float(v) for row in outputs for v in row]
    assert got == pytest.approx([v for row in expected for v in row], rel=1e-12)
    assert len(outputs) == 2 and len(outputs[0]) == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_parameters_are_read_afresh_at_every_call(backend):
    w = Value(2.0, label="w")
    scaled = autograd.compile(lambda x: w * x, reduce="sum", backend=backend)
    assert scaled([1.0, 2.0]).data == 6.0
    w.data = -1.0
    assert scaled([1.0, 2.0]).data == -3.0
    assert len(scaled._programs) == 1  # no new trace


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_example_gives_each_examples_gradients(backend):
    model = MLP(2, [3, 1], seed=4)
    columns = moons(5)
    compiled = autograd.compile(hinge(model), backend=backend)
    outputs, grads = compiled.per_example(*columns)
    for b, example in enumerate(zip(*columns)):
        model.zero_grad()
        out = hinge(model)(*[Value(x) for x in example])
        out.backward()
        expected = {p: p.grad for p in model.parameters()}
        assert sorted(map(id, compiled.parameters)) == sorted(map(id, model.parameters()))
        assert close(outputs[b], out.data)
        assert all(close(g, expected[p]) for g, p in zip(grads[b], compiled.parameters))


def test_leaves_made_inside_the_function_are_constants_not_parameters():
    w = Value(3.0, label="w")
    compiled = autograd.compile(lambda x: w * x + Value(0.5) * x)
    loss = compiled([1.0, 3.0])
    assert compiled.parameters == [w] and loss._prev == (w,)
    assert loss.data == 7.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_argument_may_be_a_column_of_rows(backend):
    import numpy as np

    model = MLP(3, [2, 1], seed=5)
    rows = [[0.1, 0.2, 0.3], [-1.0, 0.5, 2.0]]
    fn = lambda x, y: (model(x) - y) * (model(x) - y)
    compiled = autograd.compile(fn, reduce="sum", backend=backend)
    from_lists = compiled(rows, [1.0, 0.0]).data
    from_array = compiled(np.array(rows), np.array([1.0, 0.0])).data
    expected = sum(fn([Value(v) for v in r], y).data for r, y in zip(rows, [1.0, 0.0]))
    assert close(from_lists, expected) and close(from_array, expected)


@pytest.mark.parametrize(
    "columns, error, words",
    [
        (([1.0, 2.0], [1.0]), ValueError, "column 1 has 1 values, but column 0 has 2"),
        ((1.0, [1.0]), TypeError, "argument 0 must be a column"),
        ((["a"], [1.0]), TypeError, "column 0, example 0 is 'a'"),
        (([], []), ValueError, "empty"),
        (([[1.0, 2.0], [1.0]], [1.0, 2.0]), ValueError, "rows of different lengths"),
        ((), TypeError, "no columns"),
    ],
)
def test_bad_columns_are_clear_errors(columns, error, words):
    w = Value(1.0)
    with pytest.raises(error, match=words):
        autograd.compile(lambda x, y: w * y)(*columns)


def test_a_different_number_of_columns_is_a_clear_error_or_a_new_trace():
    w = Value(2.0)
    two = autograd.compile(lambda x, y: w * x + y)
    with pytest.raises(TypeError, match=r"called with 3 column\(s\), but <lambda>"):
        two([1.0], [2.0], [3.0])
    many = autograd.compile(lambda *xs: w * sum(xs[1:], xs[0]), reduce="sum")
    assert many([1.0], [2.0]).data == 6.0
    assert many([1.0], [2.0], [3.0]).data == 12.0
    assert len(many._programs) == 2


def test_graph_and_source_need_a_call_first():
    compiled = autograd.compile(lambda x: x * Value(1.0))
    with pytest.raises(RuntimeError, match="not traced yet"):
        compiled.graph  # noqa: B018


def test_graph_is_the_first_examples_graph():
    w = Value(0.5, label="w")
    compiled = autograd.compile(lambda x: (w * x).tanh())
    compiled([2.0, 3.0])
    assert compiled.graph.data == math.tanh(1.0)
    assert "w" in draw_dot(compiled.graph).source


@pytest.mark.parametrize("backend", BACKENDS)
def test_draw_explain_and_check_read_the_node(backend):
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    loss = autograd.compile(lambda x: (w * x + b).tanh(), backend=backend)([1.0, 2.0, 3.0])
    loss.backward()
    assert check_every_node(loss)
    text = str(explain(loss, wrt=w))
    assert "mean of ∂<lambda>/∂w" in text
    assert "mean <lambda> ×3" in draw_dot(loss).source


def test_create_graph_through_the_node_is_refused():
    w = Value(0.5)
    loss = autograd.compile(lambda x: w * w * x)([1.0, 2.0])
    with pytest.raises(NotImplementedError, match="create_graph"):
        loss.backward(create_graph=True)


@pytest.mark.parametrize(
    "kwargs, words",
    [({"reduce": "max"}, "reduce must be"), ({"backend": "jax"}, "backend must be")],
)
def test_bad_options_are_clear_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        autograd.compile(lambda x: x, **kwargs)


def test_numpy_is_the_default_backend_where_installed():
    pytest.importorskip("numpy")
    assert autograd.compile(lambda x: x).backend == "numpy"


def test_without_numpy_the_plain_python_backend_is_the_default(monkeypatch):
    # As in Pyodide with no numpy loaded: importing it fails, compile still works.
    import sys

    monkeypatch.setitem(sys.modules, "numpy", None)
    model = MLP(2, [3, 1], seed=6)
    columns = moons(6)
    compiled = autograd.compile(hinge(model))
    assert compiled.backend == "python"
    expected, expected_grads = scalar_mean(hinge(model), model, columns)
    loss = compiled(*columns)
    loss.backward()
    assert close(loss.data, expected)
    assert all(close(p.grad, e) for p, e in zip(model.parameters(), expected_grads))
    outputs = autograd.compile(hinge(model), reduce=None)(*columns)
    assert isinstance(outputs, list) and len(outputs) == 6


def test_the_numpy_backend_asked_for_without_numpy_says_so(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(ImportError, match=r"needs numpy 2\.0 or later"):
        autograd.compile(lambda x: x, backend="numpy")
