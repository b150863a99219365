"""Value, a scalar that remembers how it was made, and backward().

A Value records its parents (`_prev`) and the op that made it (`_row`, a row
of the table in ops.py); the row's local-derivative rule is the closure that
backward() applies. Nothing in a node points back at the node itself, so a
dropped graph is freed by reference counting at once, with no work left for
the cyclic garbage collector.
"""

import gc
import math
from functools import partial
from numbers import Real

from . import mode as _mode
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
        return NotImplemented if other is NotImplemented else _apply(DIV, self, other)

    def __pow__(self, other):
        if isinstance(other, Value):
            return _apply(POW_VAR, self, other)
        if isinstance(other, Real) and not isinstance(other, bool):
            return _apply(POW, self, Value(other))
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
        return NotImplemented if other is NotImplemented else _apply(DIV, other, self)

    def __rpow__(self, other):
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else _apply(POW_VAR, other, self)

    def __neg__(self):
        return _node(NEG, -self.data, (self,))

    def __abs__(self):
        return _apply(ABS, self)

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
        return _apply(EXP, self)

    def log(self):
        return _apply(LOG, self)

    def tanh(self):
        return _apply(TANH, self)

    def sigmoid(self):
        return _apply(SIGMOID, self)

    def relu(self):
        return _node(RELU, self.data if self.data > 0 else 0.0, (self,))

    def sin(self):
        return _apply(SIN, self)

    def cos(self):
        return _apply(COS, self)

    def sqrt(self):
        return _apply(SQRT, self)

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
        return partial(_push_grad, self)

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
        # backward() makes no reference cycles, so the cyclic collector would
        # only walk the whole graph for nothing: it is paused until we return.
        collecting = gc.isenabled()
        gc.disable()
        try:
            order = topological_order(self)
            for node in order:
                if node._prev or isinstance(node.grad, Value):
                    node.grad = 0.0
            if create_graph:
                seed = grad if isinstance(grad, Value) else Value(grad)
                self.grad = seed if self._prev else self.grad + seed
                _backward_values(order)
            else:
                self.grad = grad if self._prev else self.grad + grad
                _backward_floats(order)
        finally:
            if collecting:
                gc.enable()


def topological_order(root):
    """Every node root depends on, each after all of its parents.

    Iterative depth-first search with explicit stacks, so a graph a million
    nodes deep needs no recursion. backward() walks this list in reverse.
    """
    order = []
    seen = {root}
    path = [root]  # the nodes being visited, each a parent of the one before
    unvisited = [iter(root._prev)]  # for each of them, its parents still to visit
    while path:
        for parent in unvisited[-1]:
            if parent not in seen:
                seen.add(parent)
                if parent._prev:
                    path.append(parent)
                    unvisited.append(iter(parent._prev))
                    break
                order.append(parent)  # a leaf is finished as soon as it is seen
        else:
            unvisited.pop()
            order.append(path.pop())
    return order


def local_grads(node):
    """∂node/∂parent for each parent, as floats, from the node's op row."""
    return node._row.local_grads(*[p.data for p in node._prev], node.data)


def linear(ws, xs, b=0.0):
    """The fused neuron b + Σ wᵢ·xᵢ as one node (the `linear` op row)."""
    if len(ws) != len(xs):
        raise ValueError(f"linear: {len(ws)} weights for {len(xs)} inputs")
    given = (*ws, *xs, b)
    if set(map(type, given)) == _ONLY_VALUES:  # one check per call, not per input
        return _apply(LINEAR, *given)
    inputs = tuple(map(_as_value, given))  # numbers become constant leaves
    if NotImplemented in inputs:
        bad = given[inputs.index(NotImplemented)]
        raise TypeError(f"linear: inputs must be Values or numbers, not {type(bad).__name__}")
    return _apply(LINEAR, *inputs)


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
        raise _anomaly("forward", op, prev, data)
    return out


def _apply(op: Op, *inputs):
    """Run op's forward on the inputs' data; errors name the op and the values."""
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
    args = ", ".join(_describe(x) for x in inputs)
    where = f"; {op.name} is defined for {op.domain_text}" if op.domain_text else ""
    return type(error)(f"{op.name}({args}): {error}{where}")


def _describe(x):
    return f"{x.label}={x.data!r}" if x.label else repr(x.data)


# ---- backward passes ----


def _push_grad(node):
    """node.grad × local derivative, added to each parent's grad (floats)."""
    if node._prev:
        grad = node.grad
        for parent, local in zip(node._prev, local_grads(node)):
            parent.grad += grad * local


def _backward_floats(order):
    anomaly = _current_mode().anomaly
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        if node._custom_backward is not None:
            node._custom_backward()
            continue
        grad = node.grad
        rule = node._row.local_grads
        # Nearly every node is unary or binary: call the row's rule with plain
        # arguments, with no argument list or zip() built per node.
        if len(prev) == 2:
            x, y = prev
            dx, dy = locals_ = rule(x.data, y.data, node.data)
            x.grad += grad * dx
            y.grad += grad * dy
        elif len(prev) == 1:
            x = prev[0]
            (dx,) = locals_ = rule(x.data, node.data)
            x.grad += grad * dx
        else:
            locals_ = rule(*[p.data for p in prev], node.data)
            for parent, local in zip(prev, locals_):
                parent.grad += grad * local
        if anomaly:
            _check_backward(node, locals_)


def _backward_values(order):
    """The same chain rule on Values: the grads carry a graph of their own."""
    anomaly = _current_mode().anomaly
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        if node._custom_backward is not None:
            node._custom_backward()
            continue
        grad = node.grad
        constants = node._row.constant_inputs
        for i, (parent, local) in enumerate(zip(prev, node._row.local_grads(*prev, node))):
            if i in constants or _is_number(local, 0.0):
                continue
            if anomaly and not math.isfinite(local):
                raise _anomaly("backward", node._row, prev, float(grad) * float(local), local)
            contribution = grad if _is_number(local, 1.0) else grad * local
            fresh = _is_number(parent.grad, 0.0)
            parent.grad = contribution if fresh else parent.grad + contribution


def _is_number(x, number):
    # A plain float equal to number; a Value never is (== is identity on Values).
    return not isinstance(x, Value) and x == number


def _check_backward(node, locals_):
    for parent, local in zip(node._prev, locals_):
        if not math.isfinite(parent.grad):
            raise _anomaly("backward", node._row, node._prev, parent.grad, local)


def _anomaly(phase, op, inputs, result, local=None):
    from .check import label_chain  # the error path only: check.py imports this module

    args = ", ".join(_describe(x) for x in inputs)
    extra = f" (local derivative {float(local)!r})" if local is not None else ""
    return _mode.AnomalyError(
        f"{phase} of {op.name}({args}) gave {float(result)!r}{extra}; "
        f"chain: {label_chain(op, inputs)}"
    )
