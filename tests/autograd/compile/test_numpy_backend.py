"""The numpy backend: groups of same-shaped nodes as one array op; rows that take floats only."""

import dataclasses
import math

import pytest

import autograd
from autograd import OPS, Value, apply, linear, topological_order
from autograd.compile.numpy_backend import NumpyBackend
from autograd.compile.plan import PolyGroup, RuleGroup
from nn import MLP

pytest.importorskip("numpy")


def floats_only_sin():
    """A row whose rules take floats only: math.sin of an array is a TypeError."""
    return dataclasses.replace(
        OPS["sin"],
        name="float_sin",
        forward=lambda x: math.sin(x),
        local_grads=lambda x, out: (math.cos(x),),
    )


def backend_of(compiled):
    (_, replay), *_ = compiled._programs.values()
    return replay


def test_a_row_that_takes_floats_only_is_replayed_element_by_element():
    row = floats_only_sin()
    w = Value(0.7)
    compiled = autograd.compile(lambda x: apply(row, w * x) * apply(row, x), reduce="sum")
    xs = [0.1, 1.0, 2.5, -3.0]
    loss = compiled(xs)
    loss.backward()
    expected = sum(math.sin(0.7 * x) * math.sin(x) for x in xs)
    expected_grad = sum(x * math.cos(0.7 * x) * math.sin(x) for x in xs)
    assert math.isclose(loss.data, expected, rel_tol=1e-12)
    assert math.isclose(w.grad, expected_grad, rel_tol=1e-12)
    forward, _ = backend_of(compiled)._rules[row]
    assert forward is not row.forward  # wrapped: per element


def test_a_row_that_takes_arrays_runs_on_arrays():
    row = dataclasses.replace(OPS["sin"], name="my_sin")
    compiled = autograd.compile(lambda x: apply(row, x * Value(0.3)))
    compiled([1.0, 2.0])
    assert backend_of(compiled)._rules[row][0] is row.forward


def plan_of(fused):
    model = MLP(2, [16, 16, 1], seed=0, fused=fused)
    compiled = autograd.compile(lambda x1, x2, y: (1 - y * model([x1, x2])).relu())
    compiled([0.5], [0.25], [1.0])
    return backend_of(compiled).plan


def test_a_layer_of_neurons_is_one_matrix_product_expanded_or_fused():
    expanded, fused = plan_of(False), plan_of(True)
    assert len(expanded.program.steps) > 600 and len(fused.program.steps) < 100
    for plan in (expanded, fused):  # per layer: Σwx+b and relu; then 1 − y·s and relu
        kinds = [g.row.name if isinstance(g, RuleGroup) else len(g.blocks) for g in plan.groups]
        assert kinds == [2, "relu", 2, "relu", 2, 1, "relu"]
        layers = [g for g in plan.groups if isinstance(g, PolyGroup)][:3]
        assert [g.blocks[0].a.index.shape for g in layers] == [(2, 16), (16, 16), (16, 1)]
        assert all(g.blocks[0].grid is not None for g in layers)


def test_shared_weights_gather_every_contribution():
    # One kernel over three positions: each weight is an input of every node.
    kernel, b = [Value(0.5), Value(-1.0)], Value(0.1)

    def conv(x0, x1, x2, x3):
        xs = [x0, x1, x2, x3]
        outs = [linear(kernel, xs[i : i + 2], b).tanh() for i in range(3)]
        return outs[0] * outs[1] + outs[2]

    columns = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6], [0.7, 0.8]]
    compiled = autograd.compile(conv, reduce="sum")
    numpy_loss = compiled(*columns)
    (grid,) = [b.grid for g in backend_of(compiled).plan.groups if isinstance(g, PolyGroup)
               for b in g.blocks if b.grid is not None]  # fmt: skip
    assert grid.weights.shape == (2, 1) and grid.inputs.shape == (2, 3)  # one kernel, 3 places
    numpy_loss.backward()
    got = [p.grad for p in [*kernel, b]]
    for p in [*kernel, b]:
        p.grad = 0.0
    scalar = sum(conv(*[Value(c[i]) for c in columns]) for i in range(2))
    scalar.backward()
    assert all(math.isclose(g, p.grad, rel_tol=1e-12) for g, p in zip(got, [*kernel, b]))


def test_a_parameter_summed_with_itself_gets_both_terms_over_the_batch():
    p = Value(-1.448)
    loss = autograd.compile(lambda a, b: p + p + a * b, reduce="sum", backend="numpy")
    loss([-2.305, -2.3, 1.0], [2.368, 2.36, 0.5]).backward()
    assert p.grad == 6.0  # 2 per example, 3 examples


def test_a_convolution_is_one_matrix_product_with_the_scalar_engines_gradients():
    from nn import AvgPool2d, Conv2d
    from nn.conv import flatten

    conv, pool = Conv2d(2, 3, 3, seed=0), AvgPool2d(2)  # 4×4 images: 2×2 places

    def loss_one(pixels):
        image = [[pixels[c * 16 + r * 4 : c * 16 + r * 4 + 4] for r in range(4)] for c in range(2)]
        out = flatten(pool([[[v.tanh() for v in row] for row in ch] for ch in conv(image)]))
        return sum(v * v for v in out)

    rows = [[0.1 * ((i * 7 + j * 3) % 11) - 0.5 for j in range(32)] for i in range(3)]
    compiled = autograd.compile(loss_one, reduce="sum")
    loss = compiled(rows)
    loss.backward()
    got = [p.grad for p in conv.parameters()]
    conv.zero_grad()
    scalar = sum(loss_one([Value(v) for v in row]) for row in rows)
    scalar.backward()
    assert math.isclose(loss.data, scalar.data, rel_tol=1e-12)
    assert all(math.isclose(g, p.grad, rel_tol=1e-10, abs_tol=1e-12)
               for g, p in zip(got, conv.parameters()))  # fmt: skip
    grids = [b.grid for g in backend_of(compiled).plan.groups if isinstance(g, PolyGroup)
             for b in g.blocks if b.grid is not None]  # fmt: skip
    assert [(grid.weights.shape, grid.inputs.shape) for grid in grids] == [((18, 3), (18, 4))]


def test_the_table_holds_every_nodes_value_per_example():
    w = Value(2.0)
    compiled = autograd.compile(lambda x: (w * x).relu())
    compiled([1.0, -1.0, 3.0])
    backend = backend_of(compiled)
    assert isinstance(backend, NumpyBackend)
    replayed = backend.run([[1.0, -1.0, 3.0]], 3, [2.0])
    assert replayed.values.shape == (3, 3)  # the argument, w·x, relu
    assert replayed.outputs.tolist() == [2.0, 0.0, 6.0]


def peak_bytes(call):
    import tracemalloc

    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_replay_makes_no_python_object_per_example():
    # Doubling the batch adds arrays of floats (8 bytes a number), not one
    # Python object per node and example (a float alone is 24 bytes), as
    # building the scalar graph of every example does.
    model = MLP(2, [16, 16, 1], seed=0)

    def loss_one(x1, x2, y):
        return (1 - y * model([x1, x2])).relu()

    def columns(batch):
        return [[0.01 * i for i in range(batch)], [0.5] * batch, [1.0] * batch]

    def per_example(step, batch):
        small, large = peak_bytes(step(*columns(batch))), peak_bytes(step(*columns(2 * batch)))
        return (large - small) / batch

    compiled = autograd.compile(loss_one)
    compiled(*columns(8))  # traced here, so neither measurement includes the trace
    nodes = len(topological_order(compiled.graph))

    def replayed(*cols):
        return lambda: compiled(*cols).backward()

    def interpreted(*cols):
        return lambda: (sum(map(loss_one, *cols)) / len(cols[0])).backward()

    assert per_example(replayed, 2000) < 24 * nodes < per_example(interpreted, 20)
