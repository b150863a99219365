"""Value, a scalar that remembers how it was made.

A Value records its parents (`_prev`) and the op that made it (`_row`, a row
of the table in ops.py); the row's local-derivative rule is the closure that
backward() (backward.py) applies. Nothing in a node points back at the node
itself, so a dropped graph is freed by reference counting at once, with no
work left for the cyclic garbage collector.

The parents are kept in fields, not in a tuple of their own: the first in
`_x` and the second in `_y` (None where there is none); only an op with more
than two inputs (the fused neuron) keeps the tuple of them all, in `_y`.
`_prev` gives them back as a tuple. A tuple per node would double the objects
that CPython's cyclic collector walks while a graph is being built, and those
walks were half of a forward pass.

A number operand of an operator (the 1.0001 of `y * 1.0001`) stays a plain
float in its field, as PyTorch keeps a Python scalar in the node, and its grad
accumulates in the node's `_number_grad`: no object is made for it. Reading
the graph (`_prev`, topological_order) makes it a constant leaf holding that
grad, once, so drawings and derivations see a leaf like any other, with the
grads it would have had as one from the start.
"""

import math
from functools import partial
from numbers import Real

from . import mode as _mode
from .backward import (
    anomaly_error,
    depth_first,
    describe,
    local_grads,
    push_grad,
    run_backward,
)
from .ops import (
    ABS,
    ADD,
    COS,
    DIV,
    EXP,
    LINEAR,
    LOG,
    MUL,
    NEG,
    POW,
    POW_VAR,
    RELU,
    SIGMOID,
    SIN,
    SQRT,
    SUB,
    TANH,
    Op,
)

__all__ = ["Value", "apply", "linear", "local_grads", "topological_order"]

_RECORDING = _mode.RECORDING
_current_mode = _mode._MODE.get
_new = object.__new__


class Value:
    """A scalar node of a computation graph: data, grad and how it was made."""

    __slots__ = (
        "data",
        "grad",
        "label",
        "_x",
        "_y",
        "_op",
        "_row",
        "_custom_backward",
        "_scope",
        "_number_grad",
    )

    def __init__(self, data, _children=(), _op="", label=""):
        if type(data) is not float and not isinstance(data, Real):
            raise TypeError(f"Value data must be a real number, not {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._x, self._y = _fields(tuple(_children))
        self._op = _op
        self._row = None
        self._custom_backward = None
        self._scope = _current_mode().scope
        self._number_grad = 0.0

    @property
    def _prev(self):
        """The parents in order, as a tuple: () for a leaf. A number kept in a
        field is made its constant leaf here, on the first read."""
        _make_number_leaf(self)
        return _parents(self._x, self._y)

    # ---- the numeric protocol: each operator is one row of the op table ----

    def __add__(self, other):
        if type(other) is not Value:
            other = _number(other)
            if other is NotImplemented:
                return NotImplemented
            return _node(ADD, self.data + other, self, other)
        return _node(ADD, self.data + other.data, self, other)

    def __mul__(self, other):
        if type(other) is not Value:
            other = _number(other)
            if other is NotImplemented:
                return NotImplemented
            return _node(MUL, self.data * other, self, other)
        return _node(MUL, self.data * other.data, self, other)

    def __sub__(self, other):
        if type(other) is not Value:
            other = _number(other)
            if other is NotImplemented:
                return NotImplemented
            return _node(SUB, self.data - other, self, other)
        return _node(SUB, self.data - other.data, self, other)

    def __truediv__(self, other):
        other = other if type(other) is Value else _number(other)
        return NotImplemented if other is NotImplemented else _binary(DIV, self, other)

    def __pow__(self, other):
        if isinstance(other, Value):
            return apply(POW_VAR, self, other)
        if isinstance(other, Real) and not isinstance(other, bool):
            return _binary(POW, self, float(other))
        return NotImplemented

    def __radd__(self, other):
        other = _number(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(ADD, other + self.data, other, self)

    def __rmul__(self, other):
        other = _number(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(MUL, other * self.data, other, self)

    def __rsub__(self, other):
        other = _number(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(SUB, other - self.data, other, self)

    def __rtruediv__(self, other):
        other = _number(other)
        return NotImplemented if other is NotImplemented else _binary(DIV, other, self)

    def __rpow__(self, other):
        other = _number(other)
        return NotImplemented if other is NotImplemented else _binary(POW_VAR, other, self)

    def __neg__(self):
        return _node(NEG, -self.data, self)

    def __abs__(self):
        return apply(ABS, self)

    def __float__(self):
        return self.data

    # Ordering compares data (so max(), sorted() and `loss < 0.01` work);
    # == stays identity, because nodes are hashed by identity in graphs.
    def __lt__(self, other):
        return self.data < _as_number(other)

    def __le__(self, other):
        return self.data <= _as_number(other)

    def __gt__(self, other):
        return self.data > _as_number(other)

    def __ge__(self, other):
        return self.data >= _as_number(other)

    __hash__ = object.__hash__

    def exp(self):
        return apply(EXP, self)

    def log(self):
        return apply(LOG, self)

    def tanh(self):
        return apply(TANH, self)

    def sigmoid(self):
        return apply(SIGMOID, self)

    def relu(self):
        return _node(RELU, self.data if self.data > 0 else 0.0, self)

    def sin(self):
        return apply(SIN, self)

    def cos(self):
        return apply(COS, self)

    def sqrt(self):
        return apply(SQRT, self)

    def detach(self):
        """A new leaf with the same data and no history."""
        return Value(self.data, label=self.label)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    # ---- the chain rule ----

    @property
    def _backward(self):
        """Push self.grad into the parents once (the lecture calls this by hand)."""
        if self._custom_backward is not None:
            return self._custom_backward
        return partial(push_grad, self)

    @_backward.setter
    def _backward(self, closure):
        self._custom_backward = closure

    def backward(self, grad=1.0, *, create_graph=False):
        """Fill .grad of every node this one depends on with d(self)/d(node).

        Interior nodes are reset and recomputed on every call; leaves
        accumulate, as in PyTorch, so calling backward() twice doubles the
        leaf grads exactly. With create_graph=True the grads are Values with a
        graph of their own, to be differentiated again; a later backward()
        replaces such a grad on a leaf instead of adding to it, so
        `x.grad.backward()` leaves the second derivative in x.grad.
        """
        run_backward(self, grad, create_graph)


def topological_order(root):
    """Every node root depends on, each after all of its parents.

    The order backward() walks, depth first with parents in order, as the
    graph's readers (draw, explain, check, the viewer) see it: each number
    kept in a node (`y * 1.0001`) is made its constant leaf on the way.
    """
    return depth_first(root, _make_number_leaf)


def linear(ws, xs, b=0.0):
    """The fused neuron b + Σ wᵢ·xᵢ as one node (the `linear` op row)."""
    if len(ws) != len(xs):
        raise ValueError(f"linear: {len(ws)} weights for {len(xs)} inputs")
    return _apply(LINEAR, _as_values(LINEAR, (*ws, *xs, b)))


_ONLY_VALUES = {Value}


# ---- how nodes are made ----


def _node(op: Op, data, x, y=None):
    """A new node holding data, made by op from x and y (y: all inputs, if over two)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._custom_backward = None
    out._number_grad = 0.0
    mode = _current_mode()
    if mode is _RECORDING:
        out._x = x
        out._y = y
        out._op = op.symbol
        out._row = op
        out._scope = None
        return out
    out._scope = mode.scope
    if mode.grad_enabled:
        out._x, out._y, out._op, out._row = x, y, op.symbol, op
    else:
        out._x, out._y, out._op, out._row = None, None, "", None
    if mode.anomaly and not math.isfinite(data):
        raise anomaly_error("forward", op, _parents(x, y), data)
    return out


def _parents(x, y):
    """The parents that the fields _x and _y hold, in order, numbers included."""
    if type(y) is tuple:
        return y
    if x is None:
        return ()
    return (x,) if y is None else (x, y)


def _make_number_leaf(node):
    """Turn the number node keeps in _x or _y, if any, into its constant leaf."""
    if type(node._x) is float:
        node._x = _constant_leaf(node, node._x)
    elif type(node._y) is float:
        node._y = _constant_leaf(node, node._y)


def _constant_leaf(node, number):
    """A leaf for the number node keeps, with the grad it has gathered there."""
    leaf = Value(number)
    leaf.grad = node._number_grad
    leaf._scope = node._scope
    return leaf


def _fields(parents):
    """(_x, _y): the fields that hold a tuple of parents."""
    if not parents:
        return None, None
    if len(parents) == 1:
        return parents[0], None
    if len(parents) == 2:
        return parents
    return parents[0], parents


def apply(op: Op, *inputs):
    """A new node: op's forward run on the inputs' data, op's rule its derivative.

    Every operator goes through here; so can a row of your own, as in
    `apply(dataclasses.replace(OPS["sin"], name="my_sin"), x)`. A number
    input becomes a constant leaf; a domain error names the op and the values.
    """
    return _apply(op, _as_values(op, inputs))


def _apply(op, inputs):
    try:
        data = op.forward(*[x.data for x in inputs])
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(op, inputs, error) from None
    if len(inputs) > 2:
        return _node(op, float(data), inputs[0], inputs)
    return _node(op, float(data), *inputs)


def _binary(op, x, y):
    """op on x and y, one of which may be a number, kept in the node as a float."""
    try:
        data = op.forward(x if type(x) is float else x.data, y if type(y) is float else y.data)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(op, (x, y), error) from None
    return _node(op, float(data), x, y)


def _number(x):
    """x as the float a node keeps for a number operand, or NotImplemented."""
    if type(x) is float:
        return x
    if isinstance(x, Real):
        return float(x)
    return NotImplemented


def _as_values(op, given):
    """given as Values, numbers made constant leaves; a TypeError names the op."""
    if _ONLY_VALUES.issuperset(map(type, given)):  # one check per call, not per input
        return given
    inputs = tuple(map(_as_value, given))
    if NotImplemented in inputs:
        bad = given[inputs.index(NotImplemented)]
        raise TypeError(f"{op.name}: inputs must be Values or numbers, not {type(bad).__name__}")
    return inputs


def _as_value(x):
    """x as a Value (a number becomes a constant leaf), or NotImplemented."""
    if type(x) is Value:
        return x
    number = _number(x)
    return NotImplemented if number is NotImplemented else Value(number)


def _as_number(x):
    if isinstance(x, Value):
        return x.data
    if isinstance(x, Real):
        return x
    raise TypeError(f"cannot compare Value with {type(x).__name__}")


def _domain_error(op, inputs, error):
    args = ", ".join(describe(x) for x in inputs)
    where = f"; {op.name} is defined for {op.domain_text}" if op.domain_text else ""
    return type(error)(f"{op.name}({args}): {error}{where}")
