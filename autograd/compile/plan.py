"""The program laid out for arrays: steps grouped so one array op does many nodes.

Every example's values sit in one table, a row per argument and per step
(columns: the examples); the parameters sit in a vector. Sums of products
(poly.py) are folded first, so an expanded neuron is one step like a fused
one. A step's level is one more than its inputs' deepest: steps of one
level never read each other, so those alike (the same row and kinds of
input; or sums of products of the same shape) form a group, and one call
of the row's rule on stacked rows, or one matrix product, does them all: a
whole layer of neurons at once. A group's outputs take consecutive rows.

The backward keeps chain_rule's arithmetic per edge over the same groups,
from the last level down; only the order in which one value's gradient
contributions (and a sum's terms) are added may differ from chain_rule's,
by rounding (~1e-15 relative).
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .poly import fold
from .probe import CONSTANT, INPUT, RULE
from .scatter import Scatter

NODE, PARAMETER, NUMBER = "node", "parameter", "number"


@dataclass
class Source:
    """Where one input position of a group comes from: rows of the table or
    of the parameter vector (an index array, or a slice), or numbers."""

    kind: str  # NODE, PARAMETER or NUMBER
    index: object  # an int array ((n,), or (k, n) in a block), a slice, or NUMBER's (n, 1)
    shared: int | None = None  # the one row every step of a rule group reads, if so
    scatter: Scatter | None = None  # adds gradients into the rows index names


@dataclass
class RuleGroup:
    """Steps of one row, computed by calling the row's rules on stacked rows."""

    row: object
    out: slice
    inputs: list  # a Source per input position
    steps: list
    grads: dict  # input position -> Local, for the positions whose gradient is kept
    calls_rule: bool


@dataclass
class Local:
    kind: str  # CONSTANT, INPUT or RULE (see probe.py)
    value: object  # the constant (one, or an (n, 1) array), or the input's index


@dataclass
class Grid:
    """n sums Σₖ w[k, c]·x[k, p], one for each pair of a weight column c and an
    input column p: a layer (one input column) or a convolution (a column per
    position, each read by every kernel), computed as one matrix product."""

    weights: np.ndarray  # (k, C) parameter rows
    inputs: np.ndarray  # (k, P) table rows
    at: np.ndarray  # (n,) sum i is c·P + p of the (C·P) products
    weights_scatter: Scatter
    inputs_scatter: Scatter


@dataclass
class Block:
    """k terms of each of a group's n sums: coef · a · b, or coef · a (b None)."""

    a: Source  # index (k, n)
    b: Source | None
    coef: object  # None (all 1), or a (k, n) array
    needs: tuple  # (a's gradient wanted, b's gradient wanted)
    grid: Grid | None = None  # a parameter times a table row, as one matrix product


@dataclass
class PolyGroup:
    """n sums of products of the same shape: out = constant + Σ over blocks."""

    out: slice
    blocks: list
    constant: object  # 0.0, or an (n, 1) array


class Plan:
    def __init__(self, program):
        self.program = program
        self.arguments = len(program.arguments)
        polys, folded = fold(program)
        row_of = {arg: i for i, arg in enumerate(program.arguments)}
        param_of = {p: i for i, p in enumerate(program.parameters)}
        leads = set(program.needs_grad)
        backward = {part.step: part for part in program.backward}
        level, grouped, normal = {}, defaultdict(list), {}
        for step in program.steps:
            if step in folded:
                continue
            poly = polys.get(step)
            operands = _operands(poly) if poly else step.inputs
            level[step.node] = 1 + max((level.get(x, 0) for x in operands
                                        if type(x) is not float), default=0)  # fmt: skip
            if poly is not None:
                normal[step] = _normal(poly, param_of)
                key = ("poly", tuple(sorted((str(k), len(t)) for k, t in normal[step][0].items())))
            else:
                part = backward.get(step)
                kept = tuple(edge.index for edge in part.edges) if part else ()
                key = ("rule", step.row, tuple(_kind(x, param_of) for x in step.inputs), kept)
            grouped[level[step.node], key].append(step)
        self.groups, start = [], self.arguments
        for (_, key), steps in sorted(grouped.items(), key=lambda item: item[0][0]):
            for i, step in enumerate(steps):
                row_of[step.node] = start + i
            out = slice(start, start + len(steps))
            start += len(steps)
            if key[0] == "poly":
                forms = [normal[s] for s in steps]
                self.groups.append(_poly_group(out, forms, row_of, param_of, leads))
            else:
                self.groups.append(_rule_group(out, steps, backward, row_of, param_of))
        self.rows = start
        self.outputs = [
            (PARAMETER, param_of[x]) if x in param_of else (NODE, row_of[x])
            for x in program.outputs
        ]


def _kind(x, param_of):
    if type(x) is float:
        return NUMBER
    return PARAMETER if x in param_of else NODE


def _operands(poly):
    return [x for _, a, b in poly.products for x in (a, b)] + [x for _, x in poly.linear]


def _normal(poly, param_of):
    """The terms in blocks by kind, a parameter factor first: {(kind a, kind b): [(c, a, b)]}."""
    blocks = {}
    for c, a, b in poly.products:
        if b in param_of and a not in param_of:
            a, b = b, a
        blocks.setdefault((_kind(a, param_of), _kind(b, param_of)), []).append((c, a, b))
    for c, x in poly.linear:
        blocks.setdefault((_kind(x, param_of), None), []).append((c, x, None))
    return blocks, poly.constant


def _poly_group(out, forms, row_of, param_of, leads):
    blocks = []
    for kinds in sorted(forms[0][0], key=str):
        terms = [form[0][kinds] for form in forms]  # [n][k] (c, a, b)
        columns = list(zip(*terms))  # [k][n]
        coef = np.array([[t[0] for t in column] for column in columns])
        a = _source(kinds[0], [[t[1] for t in c] for c in columns], row_of, param_of, True)
        b = None
        if kinds[1] is not None:
            b = _source(kinds[1], [[t[2] for t in c] for c in columns], row_of, param_of, True)
        needs = tuple(
            any(t[j] in leads for column in columns for t in column) if kind else False
            for j, kind in ((1, kinds[0]), (2, kinds[1]))
        )
        coef = None if (coef == 1.0).all() else coef
        grid = None
        if kinds == (PARAMETER, NODE) and coef is None:
            grid = _grid(a.index, b.index)
        blocks.append(Block(a, b, coef, needs, grid))
    constants = np.array([[form[1]] for form in forms])
    return PolyGroup(out, blocks, 0.0 if not constants.any() else constants)


def _rule_group(out, steps, backward, row_of, param_of):
    inputs = []
    for i, x in enumerate(steps[0].inputs):
        column = [s.inputs[i] for s in steps]
        if type(x) is float:
            inputs.append(Source(NUMBER, np.array(column)[:, None]))
        else:
            inputs.append(_source(_kind(x, param_of), [column], row_of, param_of))
    parts = [backward[s] for s in steps] if steps[0] in backward else []
    grads = {}
    for edge in parts[0].edges if parts else ():
        grads[edge.index] = _local([p for p in parts], edge.index, inputs)
    calls_rule = any(local.kind == RULE for local in grads.values())
    return RuleGroup(steps[0].row, out, inputs, steps, grads, calls_rule)


def _source(kind, operands, row_of, param_of, block=False):
    """operands: [k][n] nodes; the index is (k, n) for a block, (n,) for a rule group (k 1)."""
    lookup = param_of if kind == PARAMETER else row_of
    index = np.array([[lookup[x] for x in row] for row in operands])
    if block:
        return Source(kind, index, None, Scatter(index))
    index = index[0]
    shared = int(index[0]) if (index == index[0]).all() else None
    scatter = Scatter(index)
    if isinstance(scatter.rows, slice):
        index = scatter.rows  # consecutive rows: read as a view
    return Source(kind, index, shared, scatter)


def _grid(weights, inputs):
    """The Grid of a block whose sums pair weight columns with input columns, or None."""
    weight_columns, c_of = np.unique(weights.T, axis=0, return_inverse=True)
    input_columns, p_of = np.unique(inputs.T, axis=0, return_inverse=True)
    at = c_of.ravel() * len(input_columns) + p_of.ravel()
    if len(weight_columns) * len(input_columns) != len(at) or len(np.unique(at)) != len(at):
        return None
    weights, inputs = weight_columns.T, input_columns.T
    return Grid(weights, inputs, at, Scatter(weights), Scatter(inputs))


def _local(parts, i, inputs):
    kinds = [next(e.kind for e in part.edges if e.index == i) for part in parts]
    kind = kinds[0][0]
    if kind == CONSTANT and all(k[0] == CONSTANT for k in kinds):
        values = [k[1] for k in kinds]
        if len(set(values)) == 1:
            return Local(CONSTANT, values[0])
        return Local(CONSTANT, np.array(values)[:, None])
    if kind == INPUT and all(k == kinds[0] for k in kinds):
        return Local(INPUT, kinds[0][1])
    return Local(RULE, None)
