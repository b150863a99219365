"""Hypothesis strategies for property tests of gradients, read from the op table.

    from hypothesis import given
    from autograd.testing import assert_grads_close, expressions

    @given(expressions())
    def test_backward_agrees_with_differences(case):
        f, xs = case
        assert_grads_close(f, xs)

`values(op)` draws inputs inside an op's domain, clear of its kinks and domain
edges; `expressions()` draws random expression DAGs (shared subexpressions
included) with a valid input point; `functions()` draws smooth one-argument
functions defined everywhere, to wrap around code of your own.
"""

import math
import operator
import random

import hypothesis
from hypothesis import strategies as st

from .check import GradcheckError, gradcheck, gradgradcheck
from .ops import OPS, Op, expression, in_domain
from .value import Value, apply, linear

__all__ = ["Expression", "assert_grads_close", "expressions", "functions", "values"]

LEAF_BOUND = 3.0  # expression leaves are drawn from [-3, 3]
VALUE_LIMIT = 1e3  # no node of a drawn expression is larger than this,
SLOPE_LIMIT = 1e3  # nor moves faster than this times its inputs (a bound on |∂node/∂leaf|)
EXPONENTS = (-2.0, -1.0, 0.5, 1.5, 2.0, 3.0)  # constant exponents expressions use
SMOOTH_TOTAL = ("add", "sub", "mul", "neg", "tanh", "sigmoid", "sin", "cos", "linear")


def values(op=None, *, bound=None, margin=1e-3):
    """Inputs for op, read from its row: inside its domain, clear of kinks and edges.

    op=None gives one float in [-bound, bound] (bound 10 by default); an op (a
    row or its name) gives a tuple with one float per input, each within the
    row's bound (the fused neuron: 2n + 1 inputs).
    """
    if op is None:
        limit = 10.0 if bound is None else bound
        return st.floats(-limit, limit, allow_nan=False)
    row = _row(op)
    limit = row.bound if bound is None else min(bound, row.bound)
    arity = st.just(row.arity) if row.arity else st.integers(1, 3).map(lambda n: 2 * n + 1)

    def inputs(n):
        floats = st.floats(-limit, limit, allow_nan=False)
        constant = st.one_of(st.integers(-3, 4).map(float), st.floats(-3.0, 3.0))
        parts = [constant if i in row.constant_inputs else floats for i in range(n)]
        return st.tuples(*parts)

    return arity.flatmap(inputs).filter(lambda xs: _clear(row, xs, margin))


class Expression:
    """A random expression DAG: call it with Values (or floats) to build the graph."""

    def __init__(self, n_inputs, steps, point=None):
        self.n_inputs = n_inputs
        self.steps = steps  # (op row, input node indices, constant exponent or None)
        self.point = point  # a valid input point, as floats
        self.ops = {op.name for op, _, _ in steps}

    def __call__(self, *xs):
        if len(xs) != self.n_inputs:
            raise TypeError(f"this expression takes {self.n_inputs} inputs, not {len(xs)}")
        nodes = [x if isinstance(x, Value) else Value(x) for x in xs]
        used = set()
        for op, args, constant in self.steps:
            nodes.append(_call(op, [nodes[i] for i in args], constant))
            used.update(args)
        dangling = [node for i, node in enumerate(nodes) if i not in used]
        out = dangling[0]
        for node in dangling[1:]:  # every node reaches the output
            out = out + node
        return out

    def __repr__(self):
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for op, args, constant in self.steps:
            inputs = [names[i] for i in args] + ([repr(constant)] if constant is not None else [])
            names.append(f"v{len(names) - self.n_inputs}")
            lines.append(f"{names[-1]} = {expression(op, tuple(inputs))}")
        point = f" at {self.point}" if self.point is not None else ""
        return f"Expression({self.n_inputs} inputs{point}: " + "; ".join(lines) + ")"


@st.composite
def expressions(draw, ops=None, *, max_leaves=4, max_nodes=30, share=True, margin=0.05):
    """(f, xs): a random expression DAG over ops and a point where it is valid.

    Every op's inputs along the graph lie inside its domain, at least margin
    (relative) away from its kinks and domain edges, and no node exceeds 1e3.
    share=True lets a node feed several later nodes; share=False draws trees.
    The structure comes from a drawn seed, so large graphs stay fast to draw.
    """
    rows = [_row(op) for op in (ops or OPS.values())]
    n_leaves = draw(st.integers(1, max_leaves))
    n_nodes = draw(st.integers(1, max_nodes))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    point = [round(rng.uniform(-LEAF_BOUND, LEAF_BOUND), 3) for _ in range(n_leaves)]
    f = _build(rng, rows, point, n_nodes, share, margin)
    return f, list(point)


@st.composite
def functions(draw, *, max_nodes=8):
    """Smooth one-argument functions defined on every float (no domain, no kinks).

    Wrap them around code of your own: `lambda x: g(my_op(x))` tests the chain
    rule through my_op wherever it sits in a graph.
    """
    n_nodes = draw(st.integers(1, max_nodes))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    return _build(rng, [OPS[name] for name in SMOOTH_TOTAL], None, n_nodes, True, 0.0)


def assert_grads_close(f, xs, *, eps=1e-6, atol=1e-6, rtol=1e-4, order=1):
    """Assert f's gradients at xs match central differences (order=2: and its Hessian).

    Raises GradcheckError (an AssertionError) with a table on a mismatch.
    Inside a hypothesis test, a point sitting at a kink is rejected, like
    assume(False), instead of failing.
    """
    checks = [gradcheck] + ([gradgradcheck] if order >= 2 else [])
    for check in checks:
        try:
            check(f, xs, eps=eps, atol=atol, rtol=rtol)
        except GradcheckError as error:
            if error.kinks and hypothesis.currently_in_test_context():
                hypothesis.reject()
            raise


# ---- building expressions ----


def _row(op):
    if isinstance(op, Op):
        return op
    if op in OPS:
        return OPS[op]
    raise ValueError(f"unknown op {op!r}; the table has: {', '.join(OPS)}")


_OPERATORS = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "neg": operator.neg,
    "pow_var": operator.pow,
    "abs": abs,
    "linear": lambda *v: linear(v[: len(v) // 2], v[len(v) // 2 : -1], v[-1]),
}


def _call(op, inputs, constant):
    """Apply op through Value's public operators (a row without one: directly)."""
    if OPS.get(op.name) is not op:  # a row of your own, or a variant of one
        return apply(op, *inputs, *([Value(constant)] if constant is not None else []))
    if constant is not None:
        return inputs[0] ** constant
    if op.name in _OPERATORS:
        return _OPERATORS[op.name](*inputs)
    if op.arity == 1 and hasattr(Value, op.name):
        return getattr(inputs[0], op.name)()
    return apply(op, *inputs)


def _build(rng, rows, point, n_nodes, share, margin):
    """Steps applying random ops to earlier nodes; with a point, only valid ones."""
    n_inputs = len(point) if point is not None else 1
    data = list(point) if point is not None else None
    slopes = [1.0] * n_inputs  # bounds on |∂node/∂leaf|, summed over paths
    free = list(range(n_inputs))  # nodes no step has used yet (for trees)
    steps = []
    for _ in range(n_nodes):
        op = rng.choice(rows)
        for _attempt in range(4):  # a few tries at inputs the op accepts
            step = _draw_step(rng, op, n_inputs + len(steps), free, share)
            if step is None:
                break
            out = _forward(step, data, slopes, margin)
            if out is not None:
                steps.append(step)
                if data is not None:
                    data.append(out[0])
                    slopes.append(out[1])
                free = [i for i in free if i not in step[1]] + [n_inputs + len(steps) - 1]
                break
    return Expression(n_inputs, steps, point)


def _draw_step(rng, op, n_nodes, free, share):
    arity = op.arity or 2 * rng.randint(1, 2) + 1
    n_args = arity - len(op.constant_inputs)
    if share:  # any earlier node, recent ones likelier, so graphs grow deep as well as wide
        args = [n_nodes - 1 - min(int(rng.expovariate(0.3)), n_nodes - 1) for _ in range(n_args)]
    elif len(free) >= n_args:
        args = rng.sample(free, n_args)
    else:
        return None
    constant = rng.choice(EXPONENTS) if op.constant_inputs else None
    return op, tuple(args), constant


def _forward(step, data, slopes, margin):
    """(output, slope bound) on floats, or None where invalid, too large or too steep.

    Bounding the slope keeps central differences meaningful: a leaf's step of
    1e-6 moves no node by more than 1e-3, far less than the domain margin.
    """
    op, args, constant = step
    if data is None:
        return 0.0, 0.0
    xs = tuple(data[i] for i in args) + ((constant,) if constant is not None else ())
    if not _clear(op, xs, margin):
        return None
    out = op.forward(*xs)
    locals_ = op.local_grads(*xs, out)
    slope = sum(abs(local) * slopes[i] for local, i in zip(locals_, args))
    return (out, slope) if abs(out) <= VALUE_LIMIT and slope <= SLOPE_LIMIT else None


def _clear(op, xs, margin):
    """Inside op's domain, and still so (with no sign change) within ±margin of xs."""
    if not _valid(op, xs):
        return False
    for i, x in enumerate(xs):
        if i in op.constant_inputs:
            continue
        room = margin * max(1.0, abs(x))
        if i == 0 and any(abs(x - kink) <= room for kink in op.kinks):
            return False
        if op.domain is not None:
            if abs(x) <= room:  # 0 is where domains end and poles sit
                return False
            for shift in (-room, room):
                if not _valid(op, (*xs[:i], x + shift, *xs[i + 1 :])):
                    return False
    return True


def _valid(op, xs):
    if not in_domain(op, xs):
        return False
    try:
        return math.isfinite(op.forward(*xs))
    except (ArithmeticError, ValueError):
        return False
