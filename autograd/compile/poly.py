"""Sums of products: where the numpy backend does a layer's neurons as one matrix product.

A node whose row's rule gives, for each input that is a node, a constant
(add's 1, sub's −1, the 1.0001 of `y * 1.0001`) or the other factor of a
pair (mul's y for x and x for y, the fused neuron's wᵢ and xᵢ) computes
`C + Σ c·a·b + Σ c·x`: its derivatives say so (probe.py), its forward at
the traced example confirms it, and C is its forward with every node input
at 0. Such a node that feeds one other one, through a constant, is folded
into it: an expanded neuron `b + w0·x0 + w1·x1 + …`, a chain of adds and
muls, becomes one `Poly`, as the fused neuron is one. The numpy backend
then computes a whole layer of them with one matrix product.

What changes is only the order in which the terms are summed; the plain
Python replay and `.source` keep chain_rule's order.
"""

import math
from dataclasses import dataclass, field

from .probe import CONSTANT, INPUT


@dataclass
class Poly:
    """C + Σ c·a·b + Σ c·x over operands (nodes; numbers are in C and the c's)."""

    products: list = field(default_factory=list)  # (c, a, b)
    linear: list = field(default_factory=list)  # (c, x)
    constant: float = 0.0


def fold(program):
    """{step: Poly} for the steps kept as polynomials (the others run their row),
    and the set of steps folded into another one (computed no more)."""
    uses = {}
    for step in program.steps:
        for x in step.inputs:
            if type(x) is not float:
                uses[x] = uses.get(x, 0) + 1
    for x in program.outputs:
        uses[x] = uses.get(x, 0) + 1
    polys, folded = {}, set()
    step_of = {step.node: step for step in program.steps}
    for step in program.steps:
        form = _form(step, program.local_kinds(step))
        if form is None:
            continue
        linear = []
        for c, x in form.linear:
            inner = polys.get(step_of.get(x))
            if inner is not None and uses[x] == 1:
                form.products += [(c * ci, a, b) for ci, a, b in inner.products]
                linear += [(c * ci, y) for ci, y in inner.linear]
                form.constant += c * inner.constant
                folded.add(step_of[x])
            else:
                linear.append((c, x))
        form.linear = linear
        polys[step] = form
    return {s: p for s, p in polys.items() if s not in folded}, folded


def _form(step, kinds):
    """step's Poly (kinds: how each input's local derivative is known), or None
    where its rule is not a sum of products."""
    inputs = step.inputs
    form = Poly()
    for i, (kind, value) in enumerate(kinds):
        if type(inputs[i]) is float:
            continue
        if kind == CONSTANT:
            form.linear.append((value, inputs[i]))
        elif kind == INPUT and value < len(inputs) and type(inputs[value]) is not float:
            if kinds[value] != (INPUT, i):
                return None
            if i < value:
                form.products.append((1.0, inputs[i], inputs[value]))
        else:
            return None
    zeros = [x if type(x) is float else 0.0 for x in inputs]
    try:
        form.constant = float(step.row.forward(*zeros))
    except (ArithmeticError, ValueError):
        return None
    return form if _agrees(step, form) else None


def _agrees(step, form):
    """Whether the Poly gives the row's forward at the traced example."""
    data = {x: x.data for x in step.inputs if type(x) is not float}
    terms = [c * data[a] * data[b] for c, a, b in form.products]
    terms += [c * data[x] for c, x in form.linear]
    total = math.fsum([form.constant, *terms])
    scale = math.fsum(abs(t) for t in terms) + abs(form.constant)
    out = step.node.data
    return math.isfinite(total) and abs(total - out) <= 1e-9 * scale + 1e-300
