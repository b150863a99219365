"""Errors in a replay, reported as the scalar engine reports them, with the example.

A backend replays the batch without looking at each number. When something
is off (an exception, or a nan or ±inf where the numpy table holds every
node's value), the examples concerned are rebuilt one at a time by the
engine itself, each step through `autograd.apply` and the backward through
`chain_rule`: the engine's own domain error or AnomalyError is raised, with
the node's name in `.source` and the example's index in the batch added.
Inside `detect_anomaly()` every example the numbers give reason to is
rebuilt so, with the backward too.
"""

import math

from .. import mode
from ..backward import chain_rule
from ..value import Value, apply, topological_order
from .columns import example
from .emit import Names

ERRORS = (ArithmeticError, ValueError)  # the engine's domain errors and AnomalyError


def run(backend, flat, widths, size, values, grads=True, per_example=False):
    """backend.run(...), with any error named by the engine (see the module's docstring)."""
    program = backend.program
    anomaly = mode.current().anomaly
    try:
        replayed = backend.run(flat, size, values, grads, per_example)
    except ERRORS as error:
        _raise_first(program, flat, widths, values, range(size), backward=False)
        raise error  # the engine found nothing wrong: the backend's own error stands
    suspects = _suspects(replayed, size, anomaly)
    if suspects:
        _raise_first(program, flat, widths, values, suspects, backward=anomaly and grads)
    return replayed.outputs, replayed.grads


def _suspects(replayed, size, anomaly):
    """Examples whose numbers include a nan or ±inf (all, where that cannot be told)."""
    if replayed.values is not None:  # numpy: every node's value per example
        import numpy as np

        finite = np.isfinite(replayed.values).all(axis=0)
        if anomaly and replayed.node_grads is not None:
            finite &= np.isfinite(replayed.node_grads).all(axis=0)
        suspects = np.flatnonzero(~finite).tolist()
        if anomaly and not suspects and not _all_finite(_flat(replayed.grads)):
            suspects = list(range(size))
        return suspects
    if anomaly or not _all_finite(replayed.outputs) or not _all_finite(_flat(replayed.grads)):
        return list(range(size))
    return []


def _flat(grads):
    """The numbers in grads: a list of them, a list of lists (per example), or None."""
    if grads is None or len(grads) == 0:
        return ()
    if hasattr(grads, "ravel"):
        return grads.ravel().tolist()
    return [g for row in grads for g in row] if isinstance(grads[0], list) else grads


def _all_finite(numbers):
    """Whether every number is finite (numbers: floats, or tuples of them per example)."""
    return all(
        all(map(math.isfinite, x)) if isinstance(x, tuple) else math.isfinite(x) for x in numbers
    )


def _raise_first(program, flat, widths, values, examples, backward):
    names = Names(program)
    for b in examples:
        try:
            _rebuild(program, names, example(flat, widths, b), values, backward)
        except ERRORS as error:
            raise type(error)(f"{error} (example {b} of the batch)") from None


def _rebuild(program, names, args, values, backward):
    """One example's graph, made by the engine; its backward run on a table of its own."""
    flat_args = []
    for arg in args:
        flat_args.extend(arg if isinstance(arg, list) else [arg])
    made = {leaf: Value(x, label=leaf.label) for leaf, x in zip(program.arguments, flat_args)}
    made.update({p: Value(x, label=p.label) for p, x in zip(program.parameters, values)})
    for step in program.steps:
        inputs = [x if type(x) is float else made[x] for x in step.inputs]
        try:
            made[step.node] = node = apply(step.row, *inputs)
        except ERRORS as error:
            raise _named(error, names.node[step.node]) from None
        node.label = step.node.label
    if backward:
        order = topological_order(made[program.root])
        grads = dict.fromkeys(order, 0.0)
        grads[order[-1]] = 1.0
        traced = {node: leaf for leaf, node in made.items()}
        for node in reversed(order):
            try:
                for _ in chain_rule([node], grads):
                    pass
            except ERRORS as error:
                raise _named(error, names.node[traced[node]]) from None


def _named(error, name):
    return type(error)(f"{error} (node {name} in .source)")
