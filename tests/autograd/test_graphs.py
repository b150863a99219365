"""Random expression DAGs (every op, shared subexpressions, up to 300 nodes):
backward() agrees with central differences and with torch.autograd in float64."""

import math

import pytest
from hypothesis import given, settings

from autograd import OPS, Value, hessian, topological_order
from autograd.testing import assert_grads_close, expressions

BIG = expressions(max_leaves=4, max_nodes=300)


@settings(max_examples=60)
@given(BIG)
def test_every_leaf_grad_matches_central_differences(case):
    f, xs = case
    # Rounding in f(x ± h) over hundreds of nodes of size up to 1e3 reaches
    # ~1e-5; a wrong derivative anywhere is off by far more.
    assert_grads_close(f, xs, atol=1e-4, rtol=1e-4)


@settings(max_examples=30)
@given(expressions(max_leaves=3, max_nodes=15))
def test_second_derivatives_of_small_graphs_match_differences(case):
    f, xs = case
    assert_grads_close(f, xs, atol=1e-5, rtol=1e-4, order=2)


def test_drawn_graphs_are_big_and_shared():
    # Guard for the test above: the strategy really gives large DAGs with reuse.
    @settings(max_examples=30, database=None)
    @given(BIG)
    def collect(case):
        f, xs = case
        nodes = topological_order(f(*xs))
        sizes.append(len(nodes))
        reuse.append(sum(len(n._prev) for n in nodes) - len(nodes) + 1 > 0)

    sizes, reuse = [], []
    collect()
    assert max(sizes) > 200 and any(reuse)


# ---- the same graphs in PyTorch ----


def _torch_twins(torch):
    """Each op row written with torch, float64: the oracle for whole graphs."""

    def linear(*v):
        n = len(v) // 2
        return sum((w * x for w, x in zip(v[:n], v[n : 2 * n])), v[-1])

    return {
        "add": torch.add,
        "sub": torch.sub,
        "mul": torch.mul,
        "div": torch.div,
        "neg": torch.neg,
        "pow": torch.pow,
        "pow_var": torch.pow,
        "exp": torch.exp,
        "log": torch.log,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "relu": torch.relu,
        "sin": torch.sin,
        "cos": torch.cos,
        "sqrt": torch.sqrt,
        "abs": torch.abs,
        "linear": linear,
    }


def _run_in_torch(torch, f, leaves):
    """f's steps applied to torch tensors, with its dangling nodes summed as f does."""
    twins = _torch_twins(torch)
    nodes, used = list(leaves), set()
    for op, args, constant in f.steps:
        inputs = [nodes[i] for i in args] + ([constant] if constant is not None else [])
        nodes.append(twins[op.name](*inputs))
        used.update(args)
    dangling = [node for i, node in enumerate(nodes) if i not in used]
    out = dangling[0]
    for node in dangling[1:]:
        out = out + node
    return out


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle for whole graphs")


def test_every_row_has_a_torch_twin(torch):
    assert set(_torch_twins(torch)) == set(OPS)


@settings(max_examples=60)
@given(case=BIG)
def test_leaf_grads_match_torch(torch, case):
    f, xs = case
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    expected = _run_in_torch(torch, f, tensors)
    expected.backward()
    assert math.isclose(out.data, expected.item(), rel_tol=1e-9, abs_tol=1e-9)
    for leaf, tensor in zip(leaves, tensors):
        want = tensor.grad.item() if tensor.grad is not None else 0.0
        assert math.isclose(leaf.grad, want, rel_tol=1e-7, abs_tol=1e-9), f


@settings(max_examples=20)
@given(case=expressions(max_leaves=3, max_nodes=20))
def test_hessians_of_graphs_match_torch(torch, case):
    f, xs = case
    point = tuple(torch.tensor(x, dtype=torch.float64) for x in xs)
    expected = torch.autograd.functional.hessian(lambda *t: _run_in_torch(torch, f, t), point)
    matrix = hessian(f)(*xs)
    for i in range(len(xs)):
        for j in range(len(xs)):
            want = expected[i][j].item()
            assert math.isclose(matrix[i][j], want, rel_tol=1e-7, abs_tol=1e-9), f
