"""Nodes written for people, in error messages and check tables.

A node is written by its label, else its number (a leaf), else the
expression that made it: `log(d) ← d = a − b`. This sits below the engine,
so backward()'s anomaly errors and check's tables share it.
"""

from .ops import expression


def describe(x):
    """A node as error messages show it: `a=2.0`, or `2.0` when unlabelled or a number."""
    if type(x) is float:
        return repr(x)
    return f"{x.label}={x.data!r}" if x.label else repr(x.data)


def label_chain(op, inputs, limit=4):
    """How the failing op's inputs were made, in labels: `log(d) ← d = a − b`."""
    steps = [written_op(op, inputs)]
    queue, seen = list(inputs), set()
    while queue and len(steps) < limit:
        x = queue.pop(0)
        if type(x) is float or id(x) in seen or x._row is None:
            continue  # a leaf, or a number operand
        seen.add(id(x))
        if x.label:
            steps.append(f"{x.label} = {written_op(x._row, x._prev)}")
        queue.extend(x._prev)
    return " ← ".join(steps)


def written_op(op, inputs, depth=2):
    """op applied to inputs, as people read it: `log(d)`, `a·(b + c)`."""
    # Inputs by label, leaves by number, unlabelled ops by expression (bracketed
    # unless the op already brackets its input, as tanh(…) does).
    bare = op.arity == 1 and "({x})" in op.expr
    return expression(op, tuple(written(x, depth, bare) for x in inputs))


def written(x, depth=2, bare=False):
    """A node as an op's input: its label, its number, or its expression."""
    if type(x) is float:  # a number operand, as the node keeps it
        return repr(x)
    if x.label:
        return x.label
    if x._row is None or depth == 0:
        return repr(x.data) if not x._prev else x._op or "…"
    text = written_op(x._row, x._prev, depth - 1)
    return text if bare else f"({text})"
