"""Value and backward(): micrograd's behaviour where it is right, fixed where it is not."""

import gc
import math
import sys

import pytest

from autograd import Value, linear, topological_order


def test_micrograd_readme_example():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_lecture_example_grads():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert (L.data, a.grad, b.grad, c.grad, f.grad, e.grad, d.grad) == (
        -8.0, 6.0, -4.0, -2.0, 4.0, -2.0, -2.0,
    )  # fmt: skip


def test_backward_twice_doubles_leaf_grads_exactly():
    x = Value(3.0)
    y = x * x * x
    y.backward()
    assert x.grad == 27.0
    y.backward()
    assert x.grad == 54.0  # micrograd gives 72: it accumulates interior grads too


def test_interior_grads_are_recomputed_not_accumulated():
    x = Value(2.0)
    h = x * x
    y = h * 3.0
    y.backward()
    y.backward()
    assert h.grad == 3.0
    assert x.grad == 24.0


def test_a_node_used_twice_gets_the_sum():
    a = Value(3.0)
    b = a * a
    b.backward()
    assert a.grad == 6.0
    a = Value(3.0)
    b = a + a
    c = b * a
    c.backward()  # c = 2a², dc/da = 4a
    assert a.grad == 12.0
    assert b._prev == (a, a)  # ordered, duplicates kept


def test_backward_seed_grad_scales_everything():
    x = Value(2.0)
    y = x.tanh()
    y.backward(3.0)
    assert math.isclose(x.grad, 3.0 * (1 - math.tanh(2.0) ** 2))


def test_million_op_chain_at_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 1000 * 10
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + x
    y.backward()
    assert x.grad == 1_000_001.0


def test_dropped_graphs_leave_no_cyclic_garbage():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        y = x
        for _ in range(1000):
            y = (y * x + 1.0).tanh() - x.exp() / 3.0
        y.backward()
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_reflected_operators_and_number_operands():
    x = Value(4.0)
    assert (2 + x).data == 6.0
    assert (2 - x).data == -2.0
    assert (2 * x).data == 8.0
    assert (2 / x).data == 0.5
    assert (2**x).data == 16.0
    assert (x**0.5).data == 2.0
    assert (-x).data == -4.0
    assert abs(Value(-3.0)).data == 3.0
    assert float(x) == 4.0


def test_value_exponent_gets_its_gradient():
    x, y = Value(2.0), Value(3.0)
    z = x**y
    z.backward()
    assert z.data == 8.0
    assert math.isclose(x.grad, 12.0)
    assert math.isclose(y.grad, 8.0 * math.log(2.0))


def test_sub_and_div_are_their_own_ops():
    a, b = Value(1.0), Value(2.0)
    assert (a - b)._op == "-"
    assert (a / b)._op == "/"
    assert (a - b)._prev == (a, b)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_prev_gives_back_the_children_in_order(n):
    # micrograd's constructor, with any number of children, duplicates kept.
    xs = [Value(float(i)) for i in range(n)]
    children = (*xs, xs[0]) if n else ()
    out = Value(1.0, children, "f")
    assert out._prev == children
    assert type(out._prev) is tuple


def test_lecture_style_manual_backward():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()  # the lecture pushes grads by hand, node by node
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_a_custom_backward_closure_is_used():
    x = Value(3.0)
    out = Value(x.data**2, (x,), "square")

    def _backward():
        x.grad += 2 * x.data * out.grad

    out._backward = _backward
    out.backward()
    assert x.grad == 6.0


def test_identity_hashing_and_ordering_on_data():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b}) == 2
    assert a < 2.0 and b <= a and Value(3.0) > b and max([a, Value(5.0)]).data == 5.0


def test_repr_is_micrographs():
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


def test_create_graph_gives_differentiable_grads():
    x = Value(0.5)
    y = x.tanh()
    y.backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value)
    assert math.isclose(first.data, 1 - math.tanh(0.5) ** 2)
    first.backward()
    t = math.tanh(0.5)
    assert math.isclose(x.grad, -2 * t * (1 - t * t))


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value(0.0).log(), ValueError, ["log", "0.0", "x > 0"]),
        (lambda: Value(-1.0).sqrt(), ValueError, ["sqrt", "-1.0"]),
        (lambda: Value(-8.0) ** 0.5, ValueError, ["pow", "-8.0", "0.5"]),
        (lambda: Value(1.0) / 0, ZeroDivisionError, ["div", "1.0", "0.0"]),
        (lambda: Value(0.0) ** -1, ValueError, ["pow", "0.0", "-1"]),
        (lambda: Value(1000.0).exp(), OverflowError, ["exp", "1000.0"]),
        (lambda: Value(-2.0) ** Value(0.5), ValueError, ["pow_var", "-2.0"]),
    ],
)
def test_domain_errors_name_the_op_and_the_value(make, error, words):
    with pytest.raises(error) as caught:
        make()
    for word in words:
        assert word in str(caught.value)


def test_domain_error_names_the_label():
    with pytest.raises(ValueError, match=r"log\(a=-2.0\)"):
        Value(-2.0, label="a").log()


@pytest.mark.parametrize(
    "make, type_name",
    [
        (lambda: Value("a"), "str"),
        (lambda: Value(None), "NoneType"),
        (lambda: Value(2.0) + "a", "str"),
        (lambda: [1] - Value(2.0), "list"),
        (lambda: Value(2.0) ** "a", "str"),
        (lambda: Value(2.0) < "a", "str"),
    ],
)
def test_non_numbers_are_type_errors_naming_the_type(make, type_name):
    with pytest.raises(TypeError, match=type_name):
        make()


def test_division_by_a_tiny_number_has_a_finite_or_infinite_grad_not_an_error():
    x, y = Value(1.0), Value(1e-200)
    z = x / y  # ∂z/∂y = −x/y² overflows: y² itself would underflow to 0
    z.backward()
    assert x.grad == 1e200
    assert y.grad == -math.inf


def test_a_row_of_your_own_applies_through_apply():
    import dataclasses

    from autograd import OPS, apply

    square = dataclasses.replace(
        OPS["sin"], name="square", symbol="²", forward=lambda x: x * x,
        local_grads=lambda x, out: (2 * x,), domain=None, domain_text="",
    )  # fmt: skip
    x = Value(3.0)
    y = apply(square, x)
    y.backward()
    assert (y.data, y._op, x.grad) == (9.0, "²", 6.0)
    with pytest.raises(ValueError, match=r"log\(-1.0\)"):
        apply(OPS["log"], Value(-1.0))


class Sub(Value):
    """A user's subclass: it must work wherever a Value does, as in PyTorch."""


@pytest.mark.parametrize(
    "make",
    [
        lambda: Sub(1.0) + Value(2.0),
        lambda: Value(2.0) + Sub(1.0),
        lambda: Value(2.0) * Sub(1.0) - Sub(0.5) / Value(4.0),
        lambda: Sub(1.0).tanh(),
        lambda: Value(2.0) ** Sub(1.0),
        lambda: linear([Sub(1.0)], [Value(2.0)], Sub(0.5)),
    ],
)
def test_a_subclass_of_value_is_a_value_everywhere(make):
    out = make()
    out.backward()
    assert all(isinstance(p, Value) for p in out._prev)
    assert all(not isinstance(p, float) for p in topological_order(out))


def test_a_bool_is_a_number_operand_in_every_operator():
    x = Value(2.0)
    assert [(x + True).data, (x * True).data, (x**True).data, (True / x).data] == [3, 2, 2, 0.5]


def test_a_tracer_watching_reads_sees_comparisons_float_and_bool():
    from autograd.mode import watching_reads

    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    seen = []
    with watching_reads(seen.append):
        assert x < y and float(x) == 1.0 and bool(y) and not x > 3
    assert [v.label for v in seen] == ["x", "y", "x", "y", "x"]
    assert bool(Value(0.0)) is True  # outside a trace, as any object
