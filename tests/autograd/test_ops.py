"""Every row of the op table, checked against central differences and sympy."""

import math

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sympy_ops import SYMPY

from autograd import OPS, AnomalyError, Value, apply, detect_anomaly
from autograd.ops import expression, formula, in_domain
from autograd.testing import values

X, Y = sympy.symbols("x y", real=True)

FIXED_ARITY = [op for op in OPS.values() if op.arity > 0]


def test_every_row_has_a_sympy_oracle():
    assert set(SYMPY) == set(OPS)


@st.composite
def points(draw, op):
    """Inputs inside op's domain, away from kinks and from the domain's edge."""
    xs = tuple(
        draw(st.floats(-op.bound, op.bound, allow_nan=False, allow_infinity=False))
        for _ in range(op.arity)
    )
    if op.name == "pow":  # the constant exponent: small, sometimes whole
        xs = (xs[0], draw(st.one_of(st.integers(-3, 4).map(float), st.floats(-3, 3))))
    assume(in_domain(op, xs))
    assume(all(abs(xs[0] - kink) > 1e-3 for kink in op.kinks))
    assume(_clear_of_edges(op, xs))
    return xs


def _clear_of_edges(op, xs):
    # Near a pole or a domain edge a finite difference means nothing.
    if op.name in ("log", "sqrt", "pow", "pow_var"):
        return xs[0] > 1e-2 or (op.name == "pow" and float(xs[1]).is_integer() and xs[1] > 0)
    if op.name == "div":
        return abs(xs[1]) > 1e-2
    return True


def central_difference(f, xs, i, h):
    up = list(xs)
    down = list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.name)
@given(data=st.data())
def test_local_grads_match_central_differences(op, data):
    xs = data.draw(points(op))
    out = op.forward(*xs)
    assume(abs(out) < 1e12)
    analytic = op.local_grads(*xs, out)
    assert len(analytic) == op.arity
    for i in range(op.arity):
        if i in op.constant_inputs:
            assert analytic[i] == 0.0
            continue
        h = 1e-6 * max(1.0, abs(xs[i]))
        try:
            numeric = central_difference(op.forward, xs, i, h)
        except (ValueError, ZeroDivisionError):
            assume(False)  # the step left the domain
        assert math.isclose(analytic[i], numeric, rel_tol=1e-4, abs_tol=1e-5), (i, xs)


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.name)
@given(data=st.data())
def test_local_grads_match_sympy(op, data):
    xs = data.draw(points(op))
    symbols = (X, Y)[: op.arity]
    if op.name == "pow":  # a constant exponent is a number, not a symbol
        symbols = (X, sympy.Float(xs[1]) if not float(xs[1]).is_integer() else int(xs[1]))
    expr = SYMPY[op.name](*symbols)
    analytic = op.local_grads(*xs, op.forward(*xs))
    at = {X: xs[0], Y: xs[1] if op.arity > 1 else 0}
    for i, symbol in enumerate(symbols):
        is_symbol = isinstance(symbol, sympy.Symbol)
        expected = float(sympy.diff(expr, symbol).subs(at)) if is_symbol else 0.0
        assert math.isclose(analytic[i], expected, rel_tol=1e-9, abs_tol=1e-9), (i, xs)


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.name)
def test_each_row_has_a_formula_per_input(op):
    names = ("a", "b")[: op.arity]
    assert len(op.grad_text) == len(op.grad_latex) == op.arity
    assert "a" in expression(op, names) and "a" in expression(op, names, latex=True)
    for i in range(op.arity):
        assert formula(op, i, names)  # every partial can be written down


@given(st.lists(st.floats(-10, 10), min_size=3, max_size=9).filter(lambda v: len(v) % 2))
def test_fused_neuron_row_matches_central_differences(inputs):
    op = OPS["linear"]
    out = op.forward(*inputs)
    analytic = op.local_grads(*inputs, out)
    for i in range(len(inputs)):
        numeric = central_difference(op.forward, inputs, i, 1e-6)
        assert math.isclose(analytic[i], numeric, rel_tol=1e-6, abs_tol=1e-6)


def test_formulas_use_the_inputs_names():
    assert formula(OPS["mul"], 0, ("a", "b")) == "b"
    assert formula(OPS["tanh"], 0, ("n",)) == "1 − tanh(n)²"
    assert expression(OPS["div"], ("a", "b")) == "a ÷ b"
    assert formula(OPS["linear"], 0, ("w0", "w1", "x0", "x1", "b")) == "x0"
    assert formula(OPS["linear"], 3, ("w0", "w1", "x0", "x1", "b")) == "w1"
    assert formula(OPS["linear"], 4, ("w0", "w1", "x0", "x1", "b")) == "1"


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: Value(-1000.0).sigmoid(), 0.0),
        (lambda: Value(1000.0).sigmoid(), 1.0),
        (lambda: Value(1000.0).tanh(), 1.0),
        (lambda: Value(-1000.0).tanh(), -1.0),
    ],
)
def test_saturating_ops_are_stable_at_extremes(make, expected):
    out = make()
    out.backward()
    assert out.data == expected
    assert out._prev[0].grad == 0.0


def softplus_row():
    """A user's row whose LaTeX has braces of its own, written as LaTeX is written."""
    import dataclasses

    return dataclasses.replace(
        OPS["sin"], name="softplus", symbol="softplus",
        forward=lambda x: math.log1p(math.exp(x)),
        local_grads=lambda x, out: (1.0 / (1.0 + math.exp(-x)),),
        expr="softplus({x})", grad_text=("σ({x})",),
        expr_latex="\\mathrm{softplus}({x})", grad_latex=("\\frac{1}{1 + e^{-{x}}}",),
    )  # fmt: skip


def test_a_template_is_used_as_written_but_for_its_placeholders():
    row = softplus_row()
    assert expression(row, ("n",), latex=True) == "\\mathrm{softplus}(n)"
    assert formula(row, 0, ("n",), latex=True) == "\\frac{1}{1 + e^{-n}}"
    assert expression(row, ("n",)) == "softplus(n)"


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.name)
def test_every_rows_latex_fills_to_balanced_braces(op):
    names = ("a", "b")[: op.arity]
    for latex in [expression(op, names, latex=True)] + [
        formula(op, i, names, latex=True) for i in range(op.arity)
    ]:
        depth = 0
        for c in latex:
            depth += {"{": 1, "}": -1}.get(c, 0)
            assert depth >= 0, latex
        assert depth == 0 and "{{" not in latex and "{x}" not in latex, latex


def test_the_built_in_latex_reads_as_written():
    assert expression(OPS["div"], ("a", "b"), latex=True) == "\\frac{a}{b}"
    assert formula(OPS["div"], 1, ("a", "b"), latex=True) == "-\\frac{a}{b^2}"
    assert formula(OPS["sqrt"], 0, ("a",), latex=True) == "\\frac{1}{2\\sqrt{a}}"
    assert expression(OPS["pow"], ("a", "3"), latex=True) == "a^{3}"
    assert expression(OPS["relu"], ("a",), latex=True) == "\\mathrm{relu}(a)"


# Points where domains end, poles sit and results overflow: forward succeeding
# there must mean backward succeeds (IEEE numbers, never an exception).
EDGES = (0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0,
         3.0, -3.0, 1e300, -1e300, 709.5, 710.0)  # fmt: skip


def _forward_or_none(op, xs):
    try:
        return op.forward(*xs)
    except (ArithmeticError, ValueError) as error:
        domain_error = not isinstance(error, OverflowError)
        assert not (domain_error and in_domain(op, xs)), f"{op.name}{xs}: {error}, in its domain"
        return None


def _through_values(op, xs, create_graph):
    leaves = [Value(x) for x in xs]
    # pow's exponent is a number kept in the node
    out = leaves[0] ** xs[1] if op.name == "pow" else apply(op, *leaves)
    out.backward(create_graph=create_graph)
    return [float(leaf.grad) for leaf in leaves]


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.name)
@settings(max_examples=150)
@given(data=st.data())
def test_where_the_forward_succeeds_backward_does_too(op, data):
    edge_or_any = st.sampled_from(EDGES) | st.floats(allow_nan=False, allow_infinity=False)
    xs = tuple(data.draw(edge_or_any) for _ in range(op.arity))
    if not in_domain(op, xs):
        with pytest.raises((ValueError, ZeroDivisionError)):
            op.forward(*xs)  # a row keeps the domain it states
    out = _forward_or_none(op, xs)
    if out is None:
        return
    assert in_domain(op, xs)
    assert len(op.local_grads(*xs, out)) == op.arity
    assert _through_values(op, xs, create_graph=False) == pytest.approx(
        _through_values(op, xs, create_graph=True), nan_ok=True
    )


@pytest.mark.parametrize(
    "make, grads",
    [  # as torch.autograd gives them in float64
        (lambda x, y: x**y, {(-2.0, 2.0): (-4.0, math.nan), (0.0, 0.0): (0.0, 0.0)}),
        (lambda x, y: x**-1 + 0 * y, {(1e-300, 1.0): (-math.inf, 0.0)}),
        (lambda x, y: x**0.5 + 0 * y, {(0.0, 1.0): (math.inf, 0.0)}),
        (lambda x, y: x**y, {(0.0, 0.5): (math.inf, 0.0), (0.0, 2.0): (0.0, 0.0)}),
    ],
)
def test_pow_grads_follow_ieee_arithmetic_as_pytorch_does(make, grads):
    for (a, b), expected in grads.items():
        x, y = Value(a), Value(b)
        make(x, y).backward()
        assert (x.grad, y.grad) == pytest.approx(expected, nan_ok=True)


def test_relu_lets_nan_through_so_anomaly_detection_sees_it():
    assert math.isnan(Value(math.nan).relu().data)
    with detect_anomaly(), pytest.raises(AnomalyError, match="relu"):
        Value(math.nan).relu()


def test_exp_is_defined_up_to_where_it_overflows_and_says_so():
    assert Value(709.5).exp().data == math.exp(709.5)
    with pytest.raises(OverflowError, match=r"exp\(710\.0\) overflowed"):
        Value(710.0).exp()
    with pytest.raises(OverflowError) as caught:
        Value(9.0) ** Value(9.0**9)
    assert "overflowed" in str(caught.value) and "defined for" not in str(caught.value)


# ---- the same rules on arrays (autograd.compile's numpy replay) ----


@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
@settings(max_examples=50, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_rules_give_on_arrays_what_they_give_on_floats(op, data):
    np = pytest.importorskip("numpy")
    rows = [data.draw(values(op, margin=1e-3)) for _ in range(3)]
    if op.arity == 0:
        rows = [rows[0]] + [tuple(data.draw(values(op)) for _ in rows[0]) for _ in range(3)]
        rows = [tuple(x[0] for x in row) if isinstance(row[0], tuple) else row for row in rows]
    columns = [np.array(column) for column in zip(*rows)]
    if op.name == "pow":  # the exponent is a number kept in the node: one for all
        k = rows[0][1]
        rows = [(x, k) for x, _ in rows if in_domain(op, (x, k))]
        columns = [np.array([x for x, _ in rows]), float(k)]
    with np.errstate(all="ignore"):
        outs = op.forward(*columns)
        locals_ = op.local_grads(*columns, outs)
    for i, xs in enumerate(rows):
        assert math.isclose(outs[i], op.forward(*xs), rel_tol=1e-12, abs_tol=1e-300)
        # numpy's tanh may round out one place apart from math's: the same out for both
        for on_arrays, on_floats in zip(locals_, op.local_grads(*xs, float(outs[i]))):
            on_arrays = np.broadcast_to(on_arrays, (len(rows),))[i]
            assert math.isclose(on_arrays, on_floats, rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize(
    "name, inputs, expected",
    [
        ("log", ([0.0, -1.0],), [-math.inf, math.nan]),
        ("sqrt", ([-1.0],), [math.nan]),
        ("div", ([1.0, 0.0], [0.0, 0.0]), [math.inf, math.nan]),
        ("pow", ([0.0, -8.0], -0.5), [math.inf, math.nan]),
        ("exp", ([1000.0],), [math.inf]),
    ],
)
def test_arrays_outside_the_domain_give_ieee_values_not_errors(name, inputs, expected):
    np = pytest.importorskip("numpy")
    arrays = [np.array(x) if isinstance(x, list) else x for x in inputs]
    with np.errstate(all="ignore"):
        out = OPS[name].forward(*arrays)
        OPS[name].local_grads(*arrays, out)  # total: no error either
    assert np.array_equal(out, np.array(expected), equal_nan=True)
