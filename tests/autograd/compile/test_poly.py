"""Sums of products, read off the rows' rules: what the numpy backend multiplies as matrices."""

import dataclasses

import autograd
from autograd import OPS, Value, apply
from autograd.compile.poly import fold

W = [Value(0.5, label=f"w{i}") for i in range(3)]
B = Value(0.1, label="b")


def program_of(fn, *columns):
    compiled = autograd.compile(fn)
    compiled(*columns)
    (program, _), *_ = compiled._programs.values()
    return program


def test_an_expanded_neuron_folds_into_one_sum_of_products():
    def neuron(x0, x1, x2):
        return sum((w * x for w, x in zip(W, [x0, x1, x2])), B).tanh()

    program = program_of(neuron, [1.0], [2.0], [3.0])
    polys, folded = fold(program)
    (poly,) = polys.values()
    assert len(folded) == 5  # three products and two of the three adds
    assert [(c, a.label, b.label) for c, a, b in poly.products] == [
        (1.0, "w0", "x0"), (1.0, "w1", "x1"), (1.0, "w2", "x2"),
    ]  # fmt: skip
    assert [(c, x.label) for c, x in poly.linear] == [(1.0, "b")] and poly.constant == 0.0


def test_numbers_in_nodes_become_coefficients_and_the_constant():
    program = program_of(lambda x, y: 1.0 - (W[0] * x * 2.0 - y), [1.0], [2.0])
    (poly,) = fold(program)[0].values()
    assert [(c, a.label, b.label) for c, a, b in poly.products] == [(-2.0, "w0", "x")]
    assert [(c, x.label) for c, x in poly.linear] == [(1.0, "y")] and poly.constant == 1.0


def test_a_value_used_twice_is_kept_and_read_twice():
    def twice(x):
        h = W[0] * x
        return h * W[1] + h.relu()

    program = program_of(twice, [1.0])
    polys, _ = fold(program)
    h = program.steps[0].node
    assert [s.node for s in polys] == [h, program.root]  # h feeds two nodes: it stays
    assert [(a, b.label) for _, a, b in polys[program.steps[-1]].products] == [(h, "w1")]


def test_a_rows_constant_is_its_forward_at_zero():
    shifted = dataclasses.replace(OPS["mul"], name="shifted", forward=lambda x, y: x * y + 1.0)
    (poly,) = fold(program_of(lambda x: apply(shifted, W[0], x), [2.0]))[0].values()
    assert poly.constant == 1.0 and len(poly.products) == 1


def test_a_row_whose_forward_is_not_what_its_rule_says_is_run_as_a_row():
    # Its rule claims ∂/∂x = y and ∂/∂y = x, but its forward is 2·x·y: not folded.
    liar = dataclasses.replace(OPS["mul"], name="liar", forward=lambda x, y: 2.0 * x * y)
    polys, _ = fold(program_of(lambda x: apply(liar, W[0], x), [2.0]))
    assert not polys
