"""The program as straight-line Python: one line per node, one += per edge.

`source(program)` is what `compiled.source` shows: a function of one
example's arguments and the parameters that returns the output and the
parameters' gradients, with the graph's labels as names. `replay_source`
wraps the same lines in a loop over a batch (the plain-Python backend), the
parameters' gradients summed over it. Every line calls the row's own rules
(`tanh(n)`, `tanh_grads(n, o)`), except a local derivative the rule gives as
a number or as one of its own inputs (see probe.py), written into the line.
"""

import keyword
import math
import re

from ..ops import OPS, expression
from .probe import CONSTANT, INPUT

HEADER = '''"""Straight-line code for {name}, written by autograd.compile: the traced graph's
nodes in backward()'s order, then backward()'s chain rule, one += per edge."""
'''


class Names:
    """A Python name for every node, gradient, local derivative and rule, all distinct."""

    def __init__(self, program):
        self._taken = set(keyword.kwlist) | {"OPS", "ROWS", "inf", "nan", "outputs", "columns"}
        self._taken |= {"parameters", "zip", "float", "len"}
        self.rows = {}  # row -> (forward name, local_grads name)
        for step in program.steps:
            if step.row not in self.rows:
                base = _identifier(step.row.name)
                self.rows[step.row] = (self._new(base), self._new(f"{base}_grads"))
        self.node = {}
        for i, leaf in enumerate(program.parameters):
            self.node[leaf] = self._new(_identifier(leaf.label) if leaf.label else f"p{i}")
        for leaf in program.arguments:
            self.node[leaf] = self._new(_identifier(leaf.label))
        unnamed = 0
        for step in program.steps:
            if step.node.label:
                self.node[step.node] = self._new(_identifier(step.node.label))
            else:
                self.node[step.node] = self._new(f"v{unnamed}")
                unnamed += 1
        self.grad = {n: self._new(f"grad_{self.node[n]}") for n in program.needs_grad}

    def operand(self, x):
        return _literal(x) if type(x) is float else self.node[x]

    def local(self, node, parent):
        return self._new(f"d{self.node[node]}_d{self.operand(parent)}")

    def _new(self, base):
        name, n = base, 1
        while name in self._taken:
            n += 1
            name = f"{base}_{n}"
        self._taken.add(name)
        return name


def source(program):
    """The per-example function: (arguments..., parameters...) -> (output, gradients)."""
    names = Names(program)
    name = names._new(_identifier(program.trace.name.replace("<lambda>", "f")))
    params = [names.node[p] for p in program.parameters]
    args = [names.node[a] for a in program.arguments]
    body = forward_lines(program, names)
    if program.root is None:  # several outputs: the forward only
        body.append(f"return ({', '.join(names.node[x] for x in program.outputs)},)")
    else:
        body += backward_lines(program, names, reset=program.needs_grad)
        grads = ", ".join(names.grad[p] for p in program.parameters)
        comma = "," if len(params) == 1 else ""
        body.append(f"return {names.node[program.root]}, ({grads}{comma})")
    lines = [HEADER.format(name=program.trace.name), *_bindings(names, body), "", ""]
    lines.append(f"def {name}({', '.join(args + params)}):")
    lines += ["    " + line for line in body]
    return "\n".join(lines) + "\n"


def replay_source(program, with_grads=True):
    """`replay(columns, parameters)`: the same lines in a loop over the batch."""
    names = Names(program)
    args = [names.node[a] for a in program.arguments]
    params = [names.node[p] for p in program.parameters]
    lines = [*_bindings(names, ["inf nan"]), "", "", "def replay(columns, parameters):"]
    if params:
        lines.append(f"    ({', '.join(params)},) = parameters")
    param_grads = [names.grad[p] for p in program.parameters] if with_grads else []
    lines += ["    " + line for line in _zeroed(param_grads)]
    lines += ["    outputs = []", f"    for ({', '.join(args)},) in zip(*columns):"]
    results = [names.node[x] for x in program.outputs]
    result = results[0] if program.root is not None else f"({', '.join(results)},)"
    body = [*forward_lines(program, names), f"outputs.append({result})"]
    if with_grads:
        parameters = set(program.parameters)
        interior = [n for n in program.needs_grad if n not in parameters]
        body += backward_lines(program, names, reset=interior)
    lines += ["        " + line for line in body]
    lines.append(f"    return outputs, [{', '.join(param_grads)}]")
    return "\n".join(lines) + "\n"


def forward_lines(program, names):
    lines = ["# forward, in backward()'s order: every node after its parents"]
    for step in program.steps:
        inputs = [names.operand(x) for x in step.inputs]
        call = f"{names.node[step.node]} = {names.rows[step.row][0]}({', '.join(inputs)})"
        lines.append(_commented(call, expression(step.row, tuple(inputs))))
    return lines


def backward_lines(program, names, reset):
    """chain_rule's edges: grads start at 0 (the root's at 1), each edge adds its part."""
    root = program.root
    lines = ["# backward, from the root down: grad(input) += grad(node) · ∂node/∂input"]
    if root in names.grad:
        lines.append(f"{names.grad[root]} = 1.0")
    lines += _zeroed([names.grad[n] for n in reset if n is not root])
    for part in program.backward:
        step, node = part.step, part.step.node
        inputs = [names.operand(x) for x in step.inputs]
        given = [*inputs, names.node[node]]
        locals_ = {}
        if part.calls_rule:
            targets = [
                names.local(node, x) if any(e.index == i for e in part.edges) else "_"
                for i, x in enumerate(step.inputs)
            ]
            call = f"({', '.join(targets)},) = {names.rows[step.row][1]}({', '.join(given)})"
            lines.append(call)
            locals_ = dict(enumerate(targets))
        grad = names.grad[node]
        for edge in part.edges:
            total = names.grad[edge.parent]
            kind, value = edge.kind
            if kind == CONSTANT and value == 1.0:
                lines.append(f"{total} += {grad}")
            elif kind == CONSTANT and value == -1.0:
                lines.append(f"{total} -= {grad}")
            else:
                local = (
                    _literal(value) if kind == CONSTANT
                    else given[value] if kind == INPUT
                    else locals_[edge.index]
                )  # fmt: skip
                lines.append(f"{total} += {grad} * {local}")
    return lines


def _bindings(names, body):
    """The imports and the rules' short names that the lines in body use."""
    numbers = re.search(r"\b(inf|nan)\b", "\n".join(body))
    lines = ["from math import inf, nan", ""] if numbers else []
    lines += ["from autograd.ops import OPS", ""]
    if any(OPS.get(row.name) is not row for row in names.rows):
        lines.append("# ROWS: the rows of your own, by these names (compiled.rows)")
    for row, (forward, local_grads) in names.rows.items():
        table = f'OPS["{row.name}"]' if OPS.get(row.name) is row else f'ROWS["{forward}"]'
        lines.append(f"{forward}, {local_grads} = {table}.forward, {table}.local_grads")
    return lines


def _zeroed(grads, per_line=8):
    return [" = ".join([*grads[i : i + per_line], "0.0"]) for i in range(0, len(grads), per_line)]


def _commented(line, comment, width=100):
    comment = comment if len(comment) <= 60 else comment[:59] + "…"
    return f"{line}  # {comment}" if len(line) + len(comment) + 4 <= width else line


def _identifier(label):
    if label.isidentifier() and not keyword.iskeyword(label):
        return label
    name = re.sub(r"\W", "_", label).strip("_") or "v"
    return f"v_{name}" if name[0].isdigit() else name


def _literal(x):
    if math.isfinite(x):
        return repr(x)
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
