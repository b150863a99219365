"""Guards on the engine's cost model, without timing anything.

How many nodes each op makes, that dropped graphs leave nothing for the cyclic
collector, that backward() leaves the collector as it found it, and that the
fast paths of backward() apply each row's rule to the right inputs.
"""

import gc
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    OPS,
    AnomalyError,
    Value,
    detect_anomaly,
    grad,
    hessian,
    linear,
    local_grads,
    no_grad,
    scope,
    topological_order,
)
from autograd.backward import depth_first
from autograd.value import NumberLeaf


def _nodes(root):
    return topological_order(root)


def _op_nodes(root):
    return [node for node in topological_order(root) if node._prev]


# ---- nodes per op ----


def test_the_fused_neuron_is_one_node_per_call():
    ws = [Value(0.1 * i) for i in range(16)]
    xs = [Value(0.2 * i) for i in range(16)]
    b = Value(0.5)
    out = linear(ws, xs, b)
    assert _op_nodes(out) == [out]
    assert len(_nodes(out)) == 16 + 16 + 1 + 1
    assert out._prev == (*ws, *xs, b)


def test_the_expanded_neuron_is_two_nodes_per_input():
    # The same neuron written with * and +: the count the fused row saves.
    ws = [Value(0.1 * i) for i in range(16)]
    xs = [Value(0.2 * i) for i in range(16)]
    out = sum((w * x for w, x in zip(ws, xs)), Value(0.5))
    assert len(_op_nodes(out)) == 2 * 16


def test_a_fused_layer_of_neurons_is_one_node_per_neuron():
    xs = [Value(float(i)) for i in range(3)]
    layer = [([Value(0.5) for _ in xs], Value(0.0)) for _ in range(4)]
    outs = [linear(ws, xs, b).relu() for ws, b in layer]
    total = sum(outs[1:], outs[0])
    assert len(_op_nodes(total)) == 4 + 4 + 3  # linear, relu per neuron; 3 adds


def test_a_times_b_plus_c_makes_two_op_nodes_and_no_constants():
    a, b, c = Value(2.0), Value(-3.0), Value(10.0)
    out = a * b + c
    assert len(_op_nodes(out)) == 2
    assert len(_nodes(out)) == 5


@pytest.mark.parametrize(
    ("make", "op_nodes", "nodes"),
    [
        (lambda x: x * 2.0, 1, 3),  # the number becomes one constant leaf
        (lambda x: 2.0 * x, 1, 3),
        (lambda x: 1 + x, 1, 3),
        (lambda x: 1 - x, 1, 3),
        (lambda x: 1 / x, 1, 3),
        (lambda x: -x, 1, 2),
        (lambda x: x**2, 1, 3),  # the exponent is a constant leaf
        (lambda x: x.tanh(), 1, 2),
        (lambda x: x.relu(), 1, 2),
        (lambda x: abs(x), 1, 2),
        (lambda x: x * x, 1, 2),  # a parent used twice is one node
        (lambda x: (x * 1.0001 + 0.0001) * 1.0001 + 0.0001, 4, 9),  # the bench's chain
    ],
)
def test_nodes_per_op(make, op_nodes, nodes):
    out = make(Value(0.5))
    assert len(_op_nodes(out)) == op_nodes
    assert len(_nodes(out)) == nodes


@pytest.mark.parametrize(
    ("make", "objects"),
    [(lambda x, y: x * y, 1), (lambda x, y: x + 1.0, 1), (lambda x, y: x.relu(), 1)],
    ids=["binary", "with a number operand", "unary"],
)
def test_an_op_node_is_one_object_for_the_cyclic_collector(make, objects):
    # Parents live in the node's fields, not in a tuple of their own, so a
    # node is one object for the cyclic collector to walk: during a forward
    # pass those walks cost more than the ops themselves.
    x, y = Value(0.5), Value(1.5)
    made = [make(x, y) for _ in range(10)]  # warm the interpreter's caches
    del made
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        nodes = [make(x, y) for _ in range(1000)]
        grown = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert len(set(nodes)) == 1000
    assert 1000 * objects <= grown <= 1000 * objects + 10


def test_no_grad_makes_leaves_only():
    x = Value(0.5)
    with no_grad():
        out = linear([x], [x], x) * x + 1.0
    assert out._prev == ()
    assert _nodes(out) == [out]


# ---- nothing for the cyclic collector ----


def _build_every_kind_of_node():
    x, y = Value(0.5, label="x"), Value(1.5, label="y")
    return x, _build_every_kind_of_node_from(x, y)


def _build_every_kind_of_node_from(x, y):
    with scope("layer"):
        h = linear([x, y], [y, x], x).tanh() * y - x / y + x**2 + y**x
    return (h.exp().log().sigmoid() + h.sin().cos() + abs(-h).sqrt() + h.relu()) / 3.0


def _garbage_after(work):
    gc.collect()
    gc.disable()
    try:
        work()
        return gc.collect()
    finally:
        gc.enable()


def test_build_backward_and_drop_leaves_no_cyclic_garbage():
    def work():
        _, out = _build_every_kind_of_node()
        out.backward()
        out.backward()

    assert _garbage_after(work) == 0


def test_a_graph_carrying_grad_is_a_cycle_until_the_grad_is_reset():
    # x.grad's graph refers back to x, as in PyTorch: resetting the grad frees it.
    def work(reset):
        x, out = _build_every_kind_of_node()
        out.backward(create_graph=True)
        x.grad.backward()
        if reset:
            for leaf in (n for n in topological_order(out) if not n._prev):
                leaf.grad = 0.0

    assert _garbage_after(lambda: work(reset=False)) > 0
    assert _garbage_after(lambda: work(reset=True)) == 0


def test_grad_and_hessian_leave_no_cyclic_garbage():
    def work():
        x, _ = _build_every_kind_of_node()
        f = lambda a, b: _build_every_kind_of_node_from(a, b)
        grad(grad(f))(0.5, 1.5)
        hessian(f)(0.5, 1.5)
        assert x.grad == 0.0

    assert _garbage_after(work) == 0


def test_the_garbage_check_fires_on_a_node_that_refers_to_itself():
    # micrograd's pattern: a _backward closure over its own node is a cycle.
    def work():
        x = Value(2.0)
        out = Value(x.data * 3.0, (x,), "*")

        def push():
            x.grad += 3.0 * out.grad

        out._backward = push
        out.backward()

    assert _garbage_after(work) > 0


@pytest.mark.parametrize("enabled", [True, False])
def test_backward_leaves_the_collector_as_it_found_it(enabled):
    x = Value(0.5)
    out = (x * x).tanh()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        out.backward()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError):
            broken = Value(1.0, (x,), "f")
            broken._backward = lambda: 1 / 0
            broken.backward()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


# ---- the fast paths apply each row's own rule ----


def _make(op, inputs):
    xs = [Value(v) for v in inputs]
    if op.name == "linear":
        n = (len(xs) - 1) // 2
        return linear(xs[:n], xs[n : 2 * n], xs[-1])
    if op.name == "pow":
        return xs[0] ** inputs[1]
    methods = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__",
               "pow_var": "__pow__", "neg": "__neg__", "abs": "__abs__"}  # fmt: skip
    return getattr(xs[0], methods.get(op.name, op.name))(*xs[1:])


@settings(max_examples=30)
@given(st.data())
@pytest.mark.parametrize("op", list(OPS.values()), ids=list(OPS))
def test_backward_pushes_seed_times_the_rows_local_grads(op, data):
    arity = op.arity or 2 * data.draw(st.integers(1, 4)) + 1
    value = st.floats(0.1, 3.0)
    inputs = data.draw(st.lists(value, min_size=arity, max_size=arity))
    if op.name == "pow":
        inputs[1] = data.draw(st.sampled_from([2.0, 3.0, 0.5, -1.0]))
    seed = data.draw(st.floats(-2.0, 2.0))
    out = _make(op, inputs)
    assert out._row is op
    out.backward(seed)
    expected = [seed * d for d in local_grads(out)]
    for i, x in enumerate(out._prev):
        if i in op.constant_inputs:
            continue
        assert math.isclose(x.grad, expected[i], rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=50)
@given(st.data())
@pytest.mark.parametrize("op", [op for op in OPS.values() if op.accumulate], ids=lambda op: op.name)
def test_a_rows_accumulate_adds_exactly_what_its_local_grads_give(op, data):
    # The fast float path must add the same numbers in the same order, so the
    # grads are bit-identical, also when one Value is several of the inputs.
    pool = [Value(data.draw(st.floats(-3.0, 3.0))) for _ in range(4)]
    n_inputs = op.arity or 2 * data.draw(st.integers(1, 6)) + 1
    inputs = tuple(data.draw(st.sampled_from(pool)) for _ in range(n_inputs))
    seed = data.draw(st.floats(-2.0, 2.0))
    out = op.forward(*[x.data for x in inputs])
    for x in pool:
        x.grad = 0.5
    op.accumulate(inputs, seed)
    fast = [x.grad for x in pool]
    for x in pool:
        x.grad = 0.5
    for x, local in zip(inputs, op.local_grads(*[x.data for x in inputs], out)):
        x.grad += seed * local
    assert fast == [x.grad for x in pool]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(0.0).sqrt(),  # unary: 1 / (2·√0)
        lambda: Value(1.0) * Value(1e308),  # binary: the seed times y overflows
        lambda: linear([Value(1e308)], [Value(1.0)], Value(0.0)),  # n-ary, times the seed
    ],
)
def test_anomaly_detection_fires_on_every_backward_path(make):
    out = make()
    with detect_anomaly(), pytest.raises(AnomalyError, match="backward of"):
        out.backward(10.0)


# ---- the order backward walks ----


def _recursive_order(root):
    # The textbook definition: parents first, in _prev order, then the node;
    # a number operand (its NumberLeaf) right before the node that keeps it.
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            numbers = [p for p in node._prev if isinstance(p, NumberLeaf)]
            for parent in node._prev:
                if not isinstance(parent, NumberLeaf):
                    visit(parent)
            order.extend(numbers)
            order.append(node)

    visit(root)
    return order


_KINDS = st.sampled_from(["unary", "binary", "many", "number first", "number second"])
_EDGES = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), _KINDS),
                  min_size=1, max_size=60)  # fmt: skip


def _graph(edges):
    # One, two and over two parents are kept differently, and a number operand
    # is kept as a float in either field: the order must not care.
    nodes = [Value(1.0), Value(2.0)]
    holding_numbers = []
    for i, j, kind in edges:
        x, y = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kind == "unary":
            nodes.append(x.tanh())
        elif kind == "binary":
            nodes.append(x * y)
        elif kind == "many":
            nodes.append(linear([x, nodes[-1]], [y, x], nodes[(i + j) % len(nodes)]))
        else:
            nodes.append(0.5 - x if kind == "number first" else x * 1.5)
            holding_numbers.append(nodes[-1])
    return sum(nodes[-3:], nodes[0]), holding_numbers


@settings(max_examples=100)
@given(_EDGES)
def test_topological_order_is_the_depth_first_postorder(edges):
    root, _ = _graph(edges)
    assert topological_order(root) == _recursive_order(root)


@settings(max_examples=100)
@given(_EDGES)
def test_backward_walks_the_readers_order_without_the_numbers(edges):
    root, holding_numbers = _graph(edges)
    walked = depth_first(root)  # the numbers stay floats in their nodes
    read = topological_order(root)  # shows each as a leaf, changing nothing
    kept = set(walked)
    assert [node for node in read if node in kept] == walked
    made = [node for node in read if node not in kept]
    assert len(made) == len(kept.intersection(holding_numbers))
    assert all(isinstance(node, NumberLeaf) and not node._prev for node in made)
    assert depth_first(root) == walked  # reading left the graph as it was
    assert all(float in {type(n._x), type(n._y)} for n in holding_numbers)


def test_the_fused_neuron_takes_numbers_as_constant_leaves_and_rejects_the_rest():
    w = Value(2.0)
    out = linear([w, 3.0], [4, Value(5.0)], 1)
    assert out.data == 2.0 * 4 + 3.0 * 5.0 + 1
    assert all(type(x) is Value for x in out._prev)
    with pytest.raises(TypeError, match=r"linear: .* not str"):
        linear([w], ["a"])
