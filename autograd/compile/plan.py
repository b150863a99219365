"""The program laid out for arrays: steps grouped so one array op does many nodes.

Every example's values sit in one table, a row per argument and per node
(columns: the examples); the parameters sit in a vector. A step's level is
one more than its inputs' deepest: steps of one level never read each
other, so those with the same row and the same kinds of input (node,
parameter or number) form a group, and one call of the row's rule on
stacked rows does them all, a whole layer of neurons at once. A group's
outputs take consecutive rows, so later groups often read them as a slice.

The backward keeps chain_rule's arithmetic per edge, grad(input) +=
grad(node) × ∂node/∂input, over the same groups from the last level down;
the gradients of one value may be summed in another order than chain_rule's
(equal to ~1e-15 relative), which is all that differs from the
plain-Python replay.
"""

from collections import defaultdict
from dataclasses import dataclass

from .probe import CONSTANT, INPUT, RULE

NODE, PARAMETER, NUMBER = "node", "parameter", "number"


@dataclass
class Source:
    """Where one input position of a group comes from."""

    kind: str  # NODE (a table row), PARAMETER (the parameter vector) or NUMBER
    index: object  # rows (a slice or a list) or numbers (a list)
    unique: bool  # no row repeats: a gradient can be added with one indexed +=


@dataclass
class Local:
    """How a group's ∂node/∂input at one position is known (see probe.py)."""

    kind: str  # CONSTANT, INPUT or RULE
    value: object  # the constant (one for all, or a list per node), or the input index


@dataclass
class Group:
    row: object
    out: slice  # the table rows its outputs take
    inputs: list  # a Source per input position
    steps: list  # its program steps, in row order
    grads: dict  # input position -> Local, for the positions whose gradient is kept
    calls_rule: bool


class Plan:
    def __init__(self, program):
        self.program = program
        self.arguments = len(program.arguments)
        row_of = {arg: i for i, arg in enumerate(program.arguments)}
        param_of = {p: i for i, p in enumerate(program.parameters)}
        backward = {part.step: part for part in program.backward}
        level = {}
        grouped = defaultdict(list)
        for step in program.steps:
            level[step.node] = 1 + max((level.get(x, 0) for x in step.inputs if _is_node(x)),
                                       default=0)  # fmt: skip
            kinds = tuple(_kind(x, param_of) for x in step.inputs)
            part = backward.get(step)
            kept = tuple(edge.index for edge in part.edges) if part else ()
            grouped[level[step.node], step.row, kinds, kept].append(step)
        self.groups = []
        for (_, row, kinds, kept), steps in sorted(grouped.items(), key=lambda kv: kv[0][0]):
            start = self.arguments + sum(len(g.steps) for g in self.groups)
            for i, step in enumerate(steps):
                row_of[step.node] = start + i
            inputs = [_source(kind, [s.inputs[i] for s in steps], row_of, param_of)
                      for i, kind in enumerate(kinds)]  # fmt: skip
            grads = {i: _local([backward[s] for s in steps], i) for i in kept}
            calls_rule = any(local.kind == RULE for local in grads.values())
            self.groups.append(
                Group(row, slice(start, start + len(steps)), inputs, steps, grads, calls_rule)
            )
        self.rows = self.arguments + len(program.steps)
        root = program.root
        self.root = ("parameter", param_of[root]) if root in param_of else ("node", row_of[root])


def _is_node(x):
    return type(x) is not float


def _kind(x, param_of):
    if type(x) is float:
        return NUMBER
    return PARAMETER if x in param_of else NODE


def _source(kind, operands, row_of, param_of):
    if kind == NUMBER:
        return Source(NUMBER, operands, True)
    lookup = param_of if kind == PARAMETER else row_of
    index = [lookup[x] for x in operands]
    unique = len(set(index)) == len(index)
    if unique and index == list(range(index[0], index[0] + len(index))):
        return Source(kind, slice(index[0], index[0] + len(index)), True)
    return Source(kind, index, unique)


def _local(parts, i):
    kinds = [next(e.kind for e in part.edges if e.index == i) for part in parts]
    kind = kinds[0][0]
    if kind == CONSTANT and all(k[0] == CONSTANT for k in kinds):
        values = [k[1] for k in kinds]
        return Local(CONSTANT, values[0] if len(set(values)) == 1 else values)
    if kind == INPUT and all(k == kinds[0] for k in kinds):
        return Local(INPUT, kinds[0][1])
    return Local(RULE, None)
