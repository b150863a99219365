"""grad, value_and_grad, hessian, no_grad and detach, against sympy and PyTorch."""

import asyncio
import functools
import math
import threading

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy_ops import SYMPY

from autograd import OPS, Value, detach, grad, hessian, no_grad, value_and_grad
from autograd.testing import Expression, values

X, Y, W, B = sympy.symbols("x y w b", real=True)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-7, abs_tol=1e-9)


def test_every_row_has_a_sympy_oracle():
    assert set(SYMPY) == set(OPS)


def _as_function(op, xs):
    """The op as a function of its non-constant inputs, and the sympy twin."""
    if op.constant_inputs:  # pow: the exponent stays a number
        k = xs[1]
        f = Expression(1, [(op, (0,), k)])
        exponent = int(k) if float(k).is_integer() else sympy.Float(k)
        return f, [xs[0]], [X], SYMPY[op.name](X, exponent)
    symbols = sympy.symbols(f"s0:{len(xs)}", real=True)
    f = Expression(len(xs), [(op, tuple(range(len(xs))), None)])
    return f, list(xs), list(symbols), SYMPY[op.name](*symbols)


@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
@settings(max_examples=15)
@given(data=st.data())
def test_second_and_third_derivatives_of_every_row_match_sympy(op, data):
    xs = data.draw(values(op, bound=min(op.bound, 50.0)))
    f, point, symbols, expr = _as_function(op, xs)
    at = dict(zip(symbols, point))
    matrix = hessian(f)(*point)
    for i, si in enumerate(symbols):
        for j, sj in enumerate(symbols):
            assert close(matrix[i][j], sympy.diff(expr, si, sj).subs(at).evalf()), (i, j)
        third = grad(grad(grad(f, i), i), i)(*point)
        assert close(third, sympy.diff(expr, si, 3).subs(at).evalf()), i


MULTIVARIABLE = [
    (lambda x, y: x * y * x.sin(), X * Y * sympy.sin(X), (X, Y)),
    (lambda x, y: (x * y).exp() / (1 + y**2), sympy.exp(X * Y) / (1 + Y**2), (X, Y)),
    (  # the seed's neuron loss in w and b, at x = 1.5 and target y = 0.25
        lambda w, b: ((w * 1.5 + b).sigmoid() - 0.25) ** 2,
        (1 / (1 + sympy.exp(-(W * 1.5 + B))) - 0.25) ** 2,
        (W, B),
    ),
]


@pytest.mark.parametrize("f, expr, symbols", MULTIVARIABLE, ids=["xysinx", "expxy", "neuron"])
@settings(max_examples=20)
@given(st.floats(-2, 2), st.floats(-2, 2))
def test_hessians_match_sympy(f, expr, symbols, a, b):
    matrix = hessian(f)(a, b)
    for i, si in enumerate(symbols):
        for j, sj in enumerate(symbols):
            assert close(matrix[i][j], _second(expr, symbols, si, sj)(a, b))


@functools.cache
def _second(expr, symbols, si, sj):
    return sympy.lambdify(symbols, sympy.diff(expr, si, sj), "math")


def test_hessians_match_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle here")
    twins = [
        lambda x, y: x * y * torch.sin(x),
        lambda x, y: torch.exp(x * y) / (1 + y**2),
        lambda w, b: (torch.sigmoid(w * 1.5 + b) - 0.25) ** 2,
    ]
    for (f, _, _), twin in zip(MULTIVARIABLE, twins):
        for a, b in [(0.3, -1.2), (1.7, 0.4), (-0.9, 0.8)]:
            point = (torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64))
            expected = torch.autograd.functional.hessian(twin, point)
            matrix = hessian(f)(a, b)
            for i in range(2):
                for j in range(2):
                    assert close(matrix[i][j], expected[i][j].item())


def test_derivatives_of_tanh_compose():
    dtanh = grad(lambda x: x.tanh())
    d2tanh = grad(dtanh)
    t = math.tanh(0.5)
    assert close(dtanh(0.5), 1 - t * t)
    assert close(d2tanh(0.5), -2 * t * (1 - t * t))
    assert close(grad(d2tanh)(0.5), -2 * (1 - t * t) * (1 - 3 * t * t))


def test_grad_of_grad_through_a_shared_subexpression():
    def f(x):
        h = x * x  # used three times below
        return h * h + h.sin()

    expr = X**4 + sympy.sin(X**2)
    for x in (-1.3, 0.2, 0.9):
        assert close(grad(f)(x), sympy.diff(expr, X).subs(X, x))
        assert close(grad(grad(f))(x), sympy.diff(expr, X, 2).subs(X, x))


def test_a_derivative_that_is_constant_differentiates_to_zero():
    assert grad(grad(lambda x: 3 * x))(2.0).data == 0.0
    assert grad(grad(lambda x, y: x * y), 0)(2.0, 5.0).data == 0.0  # ∂²(xy)/∂x²
    assert grad(grad(lambda x, y: x * y), 1)(2.0, 5.0).data == 1.0  # ∂²(xy)/∂y∂x
    assert grad(lambda x, y: x * 2)(1.0, 7.0).data == 2.0
    assert grad(lambda x, y: y * 2)(1.0, Value(7.0)).data == 0.0  # f does not use x


def test_value_and_grad_and_argnums():
    out, (dx, dy) = value_and_grad(lambda x, y: x * y * y, argnums=(0, 1))(3.0, 2.0)
    assert (out.data, dx.data, dy.data) == (12.0, 4.0, 12.0)
    assert grad(lambda x, y: x * y * y, argnums=-1)(3.0, 2.0).data == 12.0


def test_the_same_value_twice_gets_one_partial_per_argument():
    v = Value(2.0)
    dx, dy = grad(lambda x, y: x * y * y, argnums=(0, 1))(v, v)
    assert (dx.data, dy.data) == (4.0, 8.0)  # the partials, not the total 12
    a = Value(3.0)
    b = a * 2
    assert grad(lambda a, b: a * b, argnums=0)(a, b).data == 6.0  # not through b


def test_grad_leaves_the_callers_grads_alone():
    x, y = Value(2.0), Value(3.0)
    x.grad, y.grad = 5.0, -1.0
    assert grad(lambda a: a * y)(x).data == 3.0
    assert (x.grad, y.grad) == (5.0, -1.0)


def test_grad_works_inside_no_grad():
    with no_grad():
        assert grad(lambda x: x * x)(3.0).data == 6.0


@pytest.mark.parametrize(
    "f, words",
    [
        (lambda x: 3.0, ["must return a Value", "float", "3.0"]),
        (lambda x: [x, x], ["list of 2 items", "scalar"]),
        (lambda x: (x,), ["tuple of 1 items"]),
        (lambda x: "x", ["str"]),
    ],
)
def test_grad_of_a_non_value_says_what_it_got(f, words):
    with pytest.raises(TypeError) as caught:
        grad(f)(1.0)
    for word in words:
        assert word in str(caught.value)


def test_argnums_out_of_range_says_so():
    with pytest.raises(ValueError, match=r"argnums 2 is out of range for 2 argument"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
    with pytest.raises(ValueError, match="argnums 5"):
        value_and_grad(lambda x: x, argnums=(0, 5))(1.0)


def test_grad_rejects_arguments_that_are_not_numbers():
    with pytest.raises(TypeError, match="argument 0 must be a number or a Value, not str"):
        grad(lambda x: x)("a")


def test_no_grad_records_no_parents():
    x = Value(2.0)
    with no_grad():
        y = (x * x + 1).tanh().exp()
    assert y._prev == () and y._row is None
    assert math.isclose(y.data, math.exp(math.tanh(5.0)))
    assert (x * x)._prev == (x, x)  # recording again outside


def test_no_grad_is_per_thread_and_per_task():
    inside, recorded = threading.Event(), []

    def quiet():
        with no_grad():
            inside.set()
            done.wait()

    done = threading.Event()
    thread = threading.Thread(target=quiet)
    thread.start()
    inside.wait()
    recorded.append((Value(1.0) * 2)._prev != ())  # this thread still records
    done.set()
    thread.join()

    async def task(quiet_task, gate):
        if quiet_task:
            with no_grad():
                await gate.wait()
                return (Value(1.0) * 2)._prev
        gate.set()
        return (Value(1.0) * 2)._prev

    async def both():
        gate = asyncio.Event()
        return await asyncio.gather(task(True, gate), task(False, gate))

    quiet_prev, loud_prev = asyncio.run(both())
    assert recorded == [True]
    assert quiet_prev == () and len(loud_prev) == 2


def test_detach_makes_a_leaf_with_the_same_data():
    x = Value(3.0, label="x")
    y = x * x
    z = detach(y)
    assert (z.data, z._prev, z.label) == (9.0, (), "")
    (z * x).backward()
    assert x.grad == 9.0  # no gradient flows through the detached copy
    assert detach(2.5) == 2.5


def test_hessian_argnums_picks_arguments_as_jax_does():
    f = lambda x, y: x * y * x.sin()
    full = hessian(f)(1.0, 2.0)  # all arguments, as torch.autograd.functional.hessian
    assert len(full) == 2 and all(len(row) == 2 for row in full)
    # JAX's default, argnums=0: the one number ∂²f/∂x² = y·(2cos x − x sin x).
    assert hessian(f, argnums=0)(1.0, 2.0) == full[0][0]
    assert close(full[0][0], 2.0 * (2 * math.cos(1.0) - math.sin(1.0)))
    assert hessian(f, argnums=1)(1.0, 2.0) == full[1][1] == 0.0
    swapped = [[full[1][1], full[1][0]], [full[0][1], full[0][0]]]
    assert hessian(f, argnums=(1, 0))(1.0, 2.0) == swapped
    assert hessian(f, argnums=(0,))(1.0, 2.0) == [[full[0][0]]]
    with pytest.raises(ValueError, match="argnums 2 is out of range for 2 argument"):
        hessian(f, argnums=2)(1.0, 2.0)
