"""What a rule's local derivatives are, found by calling it on symbols.

Before code is written for a node, its row's local_grads is called once
with opaque symbols for the node's inputs and output. A derivative that
comes back as a plain number is a constant (add's 1, sub's −1, the 1.0001 of
`y * 1.0001`); one that comes back as an input or the output itself is that
value (mul's other factor, exp's output). Those are written straight into the
line: `grad_a += grad_n`, `grad_w += grad_n * x`. Anything else (a symbol
computed from the inputs, or a rule that reads a number to branch) is left
to the rule, called at run time.
"""

from ..ops import Node


class Opaque(Exception):
    """A rule asked for a number a symbol does not have: its result is not foldable."""


class Symbol(Node):
    """An input whose number is unknown: arithmetic on it gives another Symbol."""

    __slots__ = ()

    def __init__(self, *_):
        pass

    @property
    def data(self):
        raise Opaque

    def _new(self, *_):
        return Symbol()

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _new
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __neg__ = __abs__ = _new
    exp = log = sin = cos = tanh = sigmoid = relu = sqrt = _new

    def _refuse(self, *_):
        raise Opaque

    __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = _refuse
    __hash__ = object.__hash__


CONSTANT, INPUT, RULE = "constant", "input", "rule"


def local_kinds(row, inputs):
    """For each input, how its local derivative is known: (CONSTANT, number),
    (INPUT, i) — input i, or the output for i == len(inputs) — or (RULE, None).

    inputs: a float for each number operand (a constant of the program),
    None for each node; the output is always a node.
    """
    symbols = [Symbol() if x is None else x for x in inputs]
    out = Symbol()
    try:
        locals_ = tuple(row.local_grads(*symbols, out))
    except Exception:  # the rule needs numbers: it runs as written
        return [(RULE, None)] * len(inputs)
    if len(locals_) != len(inputs):
        return [(RULE, None)] * len(inputs)
    position = {id(s): i for i, s in enumerate([*symbols, out]) if isinstance(s, Symbol)}
    kinds = []
    for local in locals_:
        if type(local) in (float, int):
            kinds.append((CONSTANT, float(local)))
        elif isinstance(local, Symbol) and id(local) in position:
            kinds.append((INPUT, position[id(local)]))
        else:
            kinds.append((RULE, None))
    return kinds


def cached(kinds):
    """local_kinds, remembered per row and pattern of numbers in kinds (a dict)."""

    def local_kinds_of(step):
        numbers = tuple(x if type(x) is float else None for x in step.inputs)
        key = (step.row, numbers)
        found = kinds.get(key)
        if found is None:
            found = kinds[key] = local_kinds(step.row, list(numbers))
        return found

    return local_kinds_of
