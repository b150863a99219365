"""Tracing: run a scalar function on stand-in leaves, and keep its graph.

The stand-ins are ordinary Values holding the first example's numbers, so
the traced graph can be drawn and explained like any other. While fn runs,
every time Python reads a node's number (a comparison, `float()`, `bool()`)
the tracer is told; if that node depends on a batch argument, the branch
fn takes would be baked into every example, so it raises TraceError naming
the line instead, as JAX does. A number read through `.data` is not seen as
it is read, so fn runs a second time, on the second example, and the two
graphs must agree.
"""

import inspect
import linecache
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import mode
from ..backward import depth_first
from ..value import Value, topological_order
from ..written import written_op

_ENGINE = str(Path(__file__).resolve().parent.parent) + os.sep  # autograd/'s frames: not the user's


class TraceError(TypeError):
    """A compiled function's control flow depends on a batch argument's value."""


@dataclass
class Trace:
    """fn's graph for one example: its output, its leaves and their roles."""

    name: str  # fn's name
    root: object  # fn's output for the traced example: a Value, or a list of them
    order: list  # topological_order(root) (of each output): every node after its parents
    arguments: list  # the stand-in leaves, flattened in argument order
    parameters: list  # the leaves fn read that are not arguments: read afresh per call
    constants: set  # the leaves made inside fn: their numbers are baked in


def trace(fn, example, again, widths, indices=(0, 1)):
    """fn's graph on one example, checked against its graph on another.

    example, again: one float per argument, or a list of floats for an
    argument given as rows (its width in widths, else None). The two graphs
    must be the same but for the arguments' numbers: a difference means fn
    read a number Python did not show the tracer (`.data`) or drew a random
    one, and TraceError says where. A leaf made inside fn (a new object in
    each trace, with the same number) is a constant; the leaves both traces
    share are the parameters.
    """
    name = getattr(fn, "__name__", type(fn).__name__)
    first = _run(fn, name, example, widths, indices[0])
    second = _run(fn, name, again, widths, indices[1])
    constants = _compare(name, first, second)
    root, order, arguments = first
    stand_ins = set(arguments)
    parameters = [
        n for n in order
        if not n._prev and not n._number_leaf and n not in stand_ins and n not in constants
    ]  # fmt: skip
    return Trace(name, root, order, arguments, parameters, constants)


def _run(fn, name, example, widths, index):
    """(root, topological order, stand-in leaves) of fn on one example."""
    names = argument_names(fn, len(widths))
    args, arguments = [], []
    for arg_name, value, width in zip(names, example, widths):
        if width is None:
            leaf = Value(value, label=arg_name)
            args.append(leaf)
            arguments.append(leaf)
        else:
            row = [Value(x, label=f"{arg_name}[{i}]") for i, x in enumerate(value)]
            args.append(row)
            arguments.extend(row)
    _check_call(fn, name, args)
    try:
        with mode.watching_reads(_Watch(arguments, name)):
            out = fn(*args)
    except (ArithmeticError, ValueError) as error:  # the engine's, on one example
        raise type(error)(f"{error} (example {index} of the batch, tracing {name})") from None
    outputs = list(out) if isinstance(out, list | tuple) else [out]
    if not outputs or not all(isinstance(x, Value) for x in outputs):
        raise TypeError(
            f"compile({name}): {name} must return a Value for one example (or, with "
            f"reduce=None, a list of Values), not {type(out).__name__} {out!r}"
        )
    order = list(dict.fromkeys(n for x in outputs for n in topological_order(x)))
    for node in order:
        if node._prev and (node._row is None or node._custom_backward is not None):
            raise TraceError(
                f"compile({name}): the node {node!r} was made with a _backward closure of its "
                "own; a compiled function replays op rows only (use autograd.apply with a row)"
            )
    return (out if isinstance(out, Value) else outputs), order, arguments


def _compare(name, first, second):
    """The leaves made inside fn (constants), once the two traces agree; else TraceError."""
    (_, one, args_one), (_, two, args_two) = first, second
    if len(one) != len(two):
        _differs(name, f"it has {len(one)} nodes for one example, {len(two)} for another")
    at_one = {n: i for i, n in enumerate(one)}
    at_two = {n: i for i, n in enumerate(two)}
    argument = {**{a: i for i, a in enumerate(args_one)}, **{a: i for i, a in enumerate(args_two)}}
    constants = set()
    for a, b in zip(one, two):
        if a._prev or b._prev:
            wiring = [at_one[p] for p in a._prev], [at_two[p] for p in b._prev]
            if a._row is not b._row or wiring[0] != wiring[1]:
                _differs(name, f"it computes {_written(a)} for one example and {_written(b)}")
        elif a in argument or b in argument:
            if argument.get(a) != argument.get(b):
                _differs(name, "an argument is used in one place for one example, not another")
        elif a is not b:
            if a.data != b.data and not (a.data != a.data and b.data != b.data):
                what = "a leaf it makes"
                if a._number_leaf:
                    what = f"the number in {_written(a._owner)}"
                _differs(name, f"{what} is {a.data!r} for one example and {b.data!r} for another")
            if not a._number_leaf:
                constants.add(a)
    return constants


def _differs(name, what):
    raise TraceError(
        f"compile({name}): {name} builds a different graph for different examples: {what}. "
        "It reads a number of a value made from a batch argument where the tracer cannot see "
        "it (.data), or draws random numbers; a trace would bake one example's into all."
    )


def _written(node):
    return written_op(node._row, node._prev)


def argument_names(fn, count):
    """Names for fn's first count arguments, from its signature: x1, x2, y, or arg0, …"""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = []
    for i in range(count):
        if i < len(params) and params[i].kind in (params[i].POSITIONAL_ONLY,
                                                  params[i].POSITIONAL_OR_KEYWORD):  # fmt: skip
            names.append(params[i].name)
        else:
            star = next((p.name for p in params if p.kind == p.VAR_POSITIONAL), "arg")
            names.append(f"{star}{i}")
    return names


def _check_call(fn, name, args):
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*args)
    except TypeError as error:
        raise TypeError(
            f"compile({name}): called with {len(args)} column(s), but {name}{signature} "
            f"cannot take them: {error}"
        ) from None


class _Watch:
    """Refuses reads of a number that depends on a batch argument."""

    def __init__(self, arguments, name):
        self.arguments = set(arguments)
        self.name = name

    def __call__(self, node):
        reached = [n for n in depth_first(node) if n in self.arguments]
        if reached:
            raise TraceError(self._message(node, reached))

    def _message(self, node, reached):
        labels = ", ".join(n.label for n in reached[:4]) + (", …" if len(reached) > 4 else "")
        where = _user_line()
        return (
            f"compile({self.name}): {where}Python reads the number of a value that depends on "
            f"the batch argument(s) {labels} (a comparison, float() or bool()). A trace records "
            "one example's branch and would replay it for every example: write the choice with "
            "ops (relu, abs, ...) or compute it outside the compiled function."
        )


def _user_line():
    """`file, line n: code` of the innermost frame outside autograd/, or ""."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_ENGINE):
        frame = frame.f_back
    if frame is None:
        return ""
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    code = linecache.getline(filename, lineno).strip()
    shown = f" `{code}`" if code else ""
    return f"at {Path(filename).name}, line {lineno}{shown}: "
