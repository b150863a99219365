"""Value, a scalar that remembers how it was made.

A Value records its parents (`_prev`) and the op that made it (`_row`, a row
of the table in ops.py); the row's local-derivative rule is the closure that
backward() (backward.py) applies. Nothing in a node points back at the node itself, so a
dropped graph is freed by reference counting at once, with no work left for
the cyclic garbage collector.
"""

import math
from functools import partial
from numbers import Real

from . import mode as _mode
from .backward import (
    anomaly_error,
    describe,
    local_grads,
    push_grad,
    run_backward,
    topological_order,
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

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_row", "_custom_backward", "_scope")

    def __init__(self, data, _children=(), _op="", label=""):
        if type(data) is not float and not isinstance(data, Real):
            raise TypeError(f"Value data must be a real number, not {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._row = None
        self._custom_backward = None
        self._scope = _current_mode().scope

    # ---- the numeric protocol: each operator is one row of the op table ----

    def __add__(self, other):
        if type(other) is not Value:
            other = _as_value(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(ADD, self.data + other.data, (self, other))

    def __mul__(self, other):
        if type(other) is not Value:
            other = _as_value(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(MUL, self.data * other.data, (self, other))

    def __sub__(self, other):
        if type(other) is not Value:
            other = _as_value(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(SUB, self.data - other.data, (self, other))

    def __truediv__(self, other):
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else apply(DIV, self, other)

    def __pow__(self, other):
        if isinstance(other, Value):
            return apply(POW_VAR, self, other)
        if isinstance(other, Real) and not isinstance(other, bool):
            return apply(POW, self, Value(other))
        return NotImplemented

    def __radd__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(ADD, other.data + self.data, (other, self))

    def __rmul__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(MUL, other.data * self.data, (other, self))

    def __rsub__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(SUB, other.data - self.data, (other, self))

    def __rtruediv__(self, other):
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else apply(DIV, other, self)

    def __rpow__(self, other):
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else apply(POW_VAR, other, self)

    def __neg__(self):
        return _node(NEG, -self.data, (self,))

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
        return _node(RELU, self.data if self.data > 0 else 0.0, (self,))

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


def linear(ws, xs, b=0.0):
    """The fused neuron b + Σ wᵢ·xᵢ as one node (the `linear` op row)."""
    if len(ws) != len(xs):
        raise ValueError(f"linear: {len(ws)} weights for {len(xs)} inputs")
    given = (*ws, *xs, b)
    if set(map(type, given)) == _ONLY_VALUES:  # one check per call, not per input
        return apply(LINEAR, *given)
    inputs = tuple(map(_as_value, given))  # numbers become constant leaves
    if NotImplemented in inputs:
        bad = given[inputs.index(NotImplemented)]
        raise TypeError(f"linear: inputs must be Values or numbers, not {type(bad).__name__}")
    return apply(LINEAR, *inputs)


_ONLY_VALUES = {Value}


# ---- how nodes are made ----


def _node(op: Op, data, prev):
    """A new node holding data, made by op from prev."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._custom_backward = None
    mode = _current_mode()
    if mode is _RECORDING:
        out._prev = prev
        out._op = op.symbol
        out._row = op
        out._scope = None
        return out
    out._scope = mode.scope
    if mode.grad_enabled:
        out._prev, out._op, out._row = prev, op.symbol, op
    else:
        out._prev, out._op, out._row = (), "", None
    if mode.anomaly and not math.isfinite(data):
        raise anomaly_error("forward", op, prev, data)
    return out


def apply(op: Op, *inputs):
    """A new node: op's forward run on the inputs' data, op's rule its derivative.

    Every operator goes through here; so can a row of your own, as in
    `apply(dataclasses.replace(OPS["sin"], name="my_sin"), x)`. A domain error
    names the op and the values.
    """
    try:
        data = op.forward(*[x.data for x in inputs])
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(op, inputs, error) from None
    return _node(op, float(data), inputs)


def _as_value(x):
    if type(x) is Value:
        return x
    if type(x) is float or isinstance(x, Real):
        return Value(x)
    return NotImplemented


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
