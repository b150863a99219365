"""One chain rule: every reader of backward() reports its numbers, bit for bit.

backward()'s float pass, `chain_rule` (the definition), push_grad (the
lecture's `_backward()` by hand), the create_graph pass, explain's steps and
the viewer's steps must give the same grads in the same order on any graph;
autograd.compile's replay too (bit for bit in plain Python, to 1e-12 with numpy),
near one valid point and, over the ops defined everywhere, at points far apart.
"""

import gc
import math
import random
import threading
from itertools import groupby

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, explain, no_grad, topological_order
from autograd.backward import chain_rule, depth_first
from autograd.draw import fmt
from autograd.testing import SMOOTH_TOTAL, expressions
from autograd.viewer import backward_steps


@st.composite
def graphs(draw):
    """A random expression over every op, with number operands on either side."""
    f, xs = draw(expressions(max_nodes=25))
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    out = f(*leaves)
    a, b = draw(st.floats(-3, 3)), draw(st.floats(-3, 3))
    return (a - out * b + out / 3.0) * 0.5, leaves


def bits(numbers):
    return [float(x).hex() for x in numbers]


def fresh_chain_rule(root):
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    edges = list(chain_rule(order, grads))
    return order, grads, edges


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_the_float_pass_and_push_grad_give_what_chain_rule_defines(graph):
    root, _ = graph
    order, grads, edges = fresh_chain_rule(root)
    assert [e.node for e in edges] == [n for n in reversed(order) if n._prev for _ in n._prev]
    root.backward()
    assert bits(n.grad for n in order) == bits(grads[n] for n in order)
    for node in order:  # again, by hand, as the lecture steps it
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
    assert bits(n.grad for n in order) == bits(grads[n] for n in order)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_the_create_graph_pass_gives_the_same_numbers(graph):
    root, leaves = graph
    _, grads, _ = fresh_chain_rule(root)
    root.backward(create_graph=True)
    assert all(isinstance(x.grad, Value) for x in leaves)
    # Equal numbers; the sign of a zero may differ, as this pass skips adding exact zeros.
    assert [x.grad.data for x in leaves] == [grads[x] for x in leaves]


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_explain_steps_are_chain_rules_edges(graph):
    root, _ = graph
    _, grads, edges = fresh_chain_rule(root)
    shown = [e for e in edges if e.index not in e.node._row.constant_inputs]
    steps = explain(root).steps
    pushes = [push for step in steps for push in step.pushes]
    assert bits(p.contribution for p in pushes) == bits(e.contribution for e in shown)
    assert bits(p.accumulated for p in pushes) == bits(e.total for e in shown)
    assert bits(p.local_value for p in pushes) == bits(e.local for e in shown)
    nodes = [node for node, _ in groupby(edges, key=lambda e: e.node)]
    assert bits(s.grad for s in steps) == bits(grads[n] for n in nodes)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_the_viewers_steps_are_chain_rules_edges(graph):
    root, _ = graph
    order, _, edges = fresh_chain_rule(root)
    index = {node: i for i, node in enumerate(order)}
    steps = backward_steps(root)[1:]  # after the seed
    by_node = [list(group) for _, group in groupby(edges, key=lambda e: e.node)]
    assert [s["node"] for s in steps] == [f"v{index[g[0].node]}" for g in by_node]
    for step, group in zip(steps, by_node):
        last = {f"v{index[e.parent]}": fmt(e.total) for e in group}
        assert step["grads"] == last


def test_reading_the_order_never_runs_into_a_number():
    x = Value(2.0)
    out = (x * 3.0 + 1.0) ** 2.0
    assert all(type(n) is not float for n in depth_first(out))
    assert len(topological_order(out)) == len(depth_first(out)) + 3  # 3.0, 1.0, 2.0


# ---- nodes made by hand, as in the lecture ----


def test_a_node_made_by_hand_with_no_closure_passes_nothing():
    a = Value(2.0, label="a")
    o = Value(2.0, (a,), "op")  # micrograd's default _backward does nothing
    o.backward()
    assert (o.grad, a.grad) == (1.0, 0.0)
    o._backward()
    assert a.grad == 0.0


def test_the_lectures_hand_written_neuron_backpropagates():
    x1, w1, b = Value(2.0), Value(-3.0), Value(6.8813735870195432)
    n = x1 * w1 + b
    o = Value(math.tanh(n.data), (n,), "tanh")  # tanh written out by hand

    def _backward():
        n.grad += (1 - o.data**2) * o.grad

    o._backward = _backward
    o.backward()
    assert n.grad == pytest.approx(0.5)
    assert (x1.grad, w1.grad) == (pytest.approx(-1.5), pytest.approx(1.0))
    assert explain_steps_agree(o)


def explain_steps_agree(root):
    # The viewer steps a hand-made closure too, leaving every .grad as it was.
    before = [n.grad for n in topological_order(root)]
    steps = backward_steps(root)
    assert [n.grad for n in topological_order(root)] == before
    return len(steps) == 1 + sum(1 for n in topological_order(root) if n._prev)


# ---- create_graph, settled as PyTorch does ----


def test_create_graph_records_the_derivative_inside_no_grad():
    x = Value(3.0)
    y = x * x * x
    with no_grad():
        y.backward(create_graph=True)
    assert x.grad.data == 27.0
    x.grad.backward()
    assert x.grad == 18.0


@pytest.mark.parametrize("create_graph_first", [True, False])
def test_leaves_accumulate_whatever_the_order_of_passes(create_graph_first):
    x = Value(2.0)
    passes = [lambda: (x * x).backward(create_graph=True), lambda: (x * x * x).backward()]
    for run in passes if create_graph_first else passes[::-1]:
        run()
    assert float(x.grad) == 16.0  # 2x + 3x², as torch gives in either order


def test_after_create_graph_every_leaf_grad_is_a_value():
    x = Value(-1.0)
    x.relu().backward(create_graph=True)  # a local derivative of exactly 0
    assert isinstance(x.grad, Value) and x.grad.data == 0.0
    x.grad.backward()  # a grad with no path back to x: x.grad stays what it was
    assert float(x.grad) == 0.0


# ---- the seed, and the collector ----


@pytest.mark.parametrize("seed", ["a", None, True, [1.0]])
def test_a_seed_that_is_not_a_number_is_a_type_error_naming_it(seed):
    with pytest.raises(TypeError, match=r"backward: the seed grad must be a number"):
        (Value(2.0) * 3.0).backward(seed)


def test_backward_respects_the_applications_collector_setting_across_threads():
    gc.disable()  # the application's own choice
    try:
        threads = [threading.Thread(target=_many_backwards) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_passes_keep_the_collector_paused_until_the_last_ends():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()
    x = Value(1.0)
    slow = Value(1.0, (x,), "wait")
    slow._backward = lambda: (inside.set(), release.wait(10))
    long_pass = threading.Thread(target=slow.backward)
    long_pass.start()
    try:
        assert inside.wait(10)
        _many_backwards()  # a whole pass begins and ends inside the long one
        assert not gc.isenabled()
    finally:
        release.set()
        long_pass.join()
    assert gc.isenabled()


def _many_backwards():
    for _ in range(50):
        ((Value(0.5) * 2.0).tanh() + 1.0).backward()


# ---- autograd.compile replays the same chain rule ----


@st.composite
def batches(draw, size=50):
    """A random expression, some of its leaves parameters and the rest batch
    arguments, with `size` points near its valid one where the engine succeeds."""
    f, xs = draw(expressions(max_nodes=25))
    roles = [draw(st.booleans()) for _ in xs[:-1]] + [False]  # True: a parameter
    params = [Value(x, label=f"p{i}") for i, (x, role) in enumerate(zip(xs, roles)) if role]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    points = [[x for x, role in zip(xs, roles) if not role]]
    for _ in range(size - 1):
        point = [x * (1 + rng.uniform(-1e-3, 1e-3)) for x in points[0]]
        try:
            f(*_leaves(roles, params, [Value(x) for x in point]))
        except (ArithmeticError, ValueError):
            continue
        points.append(point)
    return f, roles, params, points


@st.composite
def spread_batches(draw, size=8):
    """As batches, over the ops defined everywhere, with points anywhere in [-3, 3]."""
    f, xs = draw(expressions(SMOOTH_TOTAL, max_nodes=25))
    roles = [draw(st.booleans()) for _ in xs[:-1]] + [False]  # True: a parameter
    params = [Value(x, label=f"p{i}") for i, (x, role) in enumerate(zip(xs, roles)) if role]
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    points = []
    for _ in range(size):
        point = [rng.uniform(-3.0, 3.0) for role in roles if not role]
        data, grads = _scalar_grads(f, roles, params, point)
        if all(abs(x) < 1e6 for x in (data, *grads)):  # products of products can overflow
            points.append(point)
    assume(points)
    return f, roles, params, points


def _leaves(roles, params, args):
    params, args = iter(params), iter(args)
    return [next(params) if role else next(args) for role in roles]


def _scalar_grads(f, roles, params, point):
    args = [Value(x, label=f"a{i}") for i, x in enumerate(point)]
    root = f(*_leaves(roles, params, args))
    _, grads, _ = fresh_chain_rule(root)
    return root.data, [grads.get(p, 0.0) for p in params]


def _compiled(f, roles, params, backend, reduce="mean"):
    fn = lambda *args: f(*_leaves(roles, params, args))
    fn.__name__ = "f"
    return autograd.compile(fn, backend=backend, reduce=reduce)


@settings(max_examples=60, deadline=None)
@given(batches())
def test_compiles_plain_python_replay_is_chain_rule_bit_for_bit(case):
    f, roles, params, points = case
    compiled = _compiled(f, roles, params, "python")
    outputs, grads = compiled.per_example(*[list(column) for column in zip(*points)])
    order = [params.index(p) for p in compiled.parameters]
    for point, output, example_grads in zip(points, outputs, grads):
        data, expected = _scalar_grads(f, roles, params, point)
        assert bits([output]) == bits([data])
        assert bits(example_grads) == bits(expected[i] for i in order)


@settings(max_examples=40, deadline=None)
@given(batches())
def test_compiles_numpy_replay_equals_chain_rule_per_example_and_over_the_batch(case):
    f, roles, params, points = case
    compiled = _compiled(f, roles, params, "numpy")
    columns = [list(column) for column in zip(*points)]
    outputs, grads = compiled.per_example(*columns)
    order = [params.index(p) for p in compiled.parameters]
    totals = [0.0] * len(order)
    for point, output, example_grads in zip(points, outputs, grads):
        data, expected = _scalar_grads(f, roles, params, point)
        expected = [expected[i] for i in order]
        totals = [t + e for t, e in zip(totals, expected)]
        scale = 1.0 + max(map(abs, [data, *expected]), default=0.0)
        assert math.isclose(output, data, rel_tol=1e-12, abs_tol=1e-12 * scale)
        for got, want in zip(example_grads, expected):
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12 * scale)
    batch = compiled(*columns)  # all examples at once: (n, B) arrays, not (n, 1)
    scale = 1.0 + max(map(abs, totals), default=0.0)
    assert math.isclose(batch.data, sum(outputs) / len(points), rel_tol=1e-12, abs_tol=1e-12)
    if order:
        for got, want in zip(batch._row.local_grads(*[p.data for p in batch._prev], 0.0), totals):
            assert math.isclose(got * len(points), want, rel_tol=1e-12, abs_tol=1e-12 * scale)


@pytest.mark.parametrize("backend", ["python", "numpy"])
@settings(max_examples=40, deadline=None)
@given(spread_batches())
def test_compiled_replays_equal_chain_rule_at_points_far_apart(backend, case):
    # The examples differ widely, so a replay that mixed them up shows; the
    # summed node's grads go through backward() into the parameters' fields.
    f, roles, params, points = case
    columns = [list(column) for column in zip(*points)]
    compiled = _compiled(f, roles, params, backend, reduce="sum")
    outputs, grads = compiled.per_example(*columns)
    order = [params.index(p) for p in compiled.parameters]
    totals, sizes = [0.0] * len(order), [0.0] * len(order)
    for point, output, example_grads in zip(points, outputs, grads):
        data, expected = _scalar_grads(f, roles, params, point)
        expected = [expected[i] for i in order]
        totals = [t + e for t, e in zip(totals, expected)]
        sizes = [s + abs(e) for s, e in zip(sizes, expected)]
        if backend == "python":
            assert bits([output, *example_grads]) == bits([data, *expected])
            continue
        scale = 1.0 + max(map(abs, [data, *expected]))
        assert math.isclose(output, data, rel_tol=1e-12, abs_tol=1e-12 * scale)
        for got, want in zip(example_grads, expected):
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12 * scale)
    for p in params:
        p.grad = 0.0
    compiled(*columns).backward()
    for p, total, size in zip(compiled.parameters, totals, sizes):
        assert math.isclose(p.grad, total, rel_tol=1e-12, abs_tol=1e-12 * (1.0 + size))
