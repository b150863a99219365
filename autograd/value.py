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
the graph (`_prev`, topological_order) shows it as a `NumberLeaf`, a constant
leaf that reads and writes through to those two fields, so drawings and
derivations see a leaf like any other while the graph itself is unchanged.
"""

import math
import weakref
from functools import partial

from . import mode as _mode
from .backward import anomaly_error, depth_first, local_grads, push_grad, run_backward
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
    Node,
    Op,
    is_value,
    number,
)
from .written import describe

__all__ = ["NumberLeaf", "Value", "apply", "linear", "local_grads", "topological_order"]

_RECORDING = _mode.RECORDING
_current_mode = _mode._MODE.get
_new = object.__new__


class Value(Node):
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

    _number_leaf = False  # True for a NumberLeaf

    def __init__(self, data, _children=(), _op="", label=""):
        if type(data) is not float and (is_value(data) or number(data) is None):
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
        """The parents in order, as a tuple: () for a leaf; a number operand
        kept in a field shows as its NumberLeaf."""
        x, y = self._x, self._y
        if type(x) is float:
            x = NumberLeaf.of(self, "_x")
        elif type(y) is float:
            y = NumberLeaf.of(self, "_y")
        return _parents(x, y)

    # ---- the numeric protocol: each operator is one row of the op table ----

    def __add__(self, other):
        if type(other) is not Value:
            other = _operand(other)
            if type(other) is float:
                return _node(ADD, self.data + other, self, other)
            if other is None:
                return NotImplemented
        return _node(ADD, self.data + other.data, self, other)

    def __mul__(self, other):
        if type(other) is not Value:
            other = _operand(other)
            if type(other) is float:
                return _node(MUL, self.data * other, self, other)
            if other is None:
                return NotImplemented
        return _node(MUL, self.data * other.data, self, other)

    def __sub__(self, other):
        if type(other) is not Value:
            other = _operand(other)
            if type(other) is float:
                return _node(SUB, self.data - other, self, other)
            if other is None:
                return NotImplemented
        return _node(SUB, self.data - other.data, self, other)

    def __truediv__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else _binary(DIV, self, other)

    def __pow__(self, other):
        other = _operand(other)
        if other is None:
            return NotImplemented
        return _binary(POW, self, other) if type(other) is float else _apply(POW_VAR, (self, other))

    def __radd__(self, other):
        other = number(other)
        if other is None:
            return NotImplemented
        return _node(ADD, other + self.data, other, self)

    def __rmul__(self, other):
        other = number(other)
        if other is None:
            return NotImplemented
        return _node(MUL, other * self.data, other, self)

    def __rsub__(self, other):
        other = number(other)
        if other is None:
            return NotImplemented
        return _node(SUB, other - self.data, other, self)

    def __rtruediv__(self, other):
        other = number(other)
        return NotImplemented if other is None else _binary(DIV, other, self)

    def __rpow__(self, other):
        other = number(other)
        return NotImplemented if other is None else _binary(POW_VAR, other, self)

    def __neg__(self):
        return _node(NEG, -self.data, self)

    def __abs__(self):
        return apply(ABS, self)

    def __float__(self):
        return _read(self)

    def __bool__(self):
        _read(self)
        return True  # a Value is always true, as any object; only a tracer objects

    # Ordering compares data (so max(), sorted() and `loss < 0.01` work);
    # == stays identity, because nodes are hashed by identity in graphs.
    def __lt__(self, other):
        return _read(self) < _compared(other)

    def __le__(self, other):
        return _read(self) <= _compared(other)

    def __gt__(self, other):
        return _read(self) > _compared(other)

    def __ge__(self, other):
        return _read(self) >= _compared(other)

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
        return _node(RELU, 0.0 if self.data <= 0 else self.data, self)  # nan stays nan

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
        """Push self.grad into the parents once (the lecture calls this by hand).

        A node made by hand with no op row and no closure of its own passes
        nothing, as micrograd's default `_backward` does."""
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
        leaf grads exactly. With create_graph=True every leaf's grad is a
        Value with a graph of its own, to be differentiated again (interior
        nodes keep the number), recorded whatever the ambient mode. Leaves
        accumulate on that path too, except that differentiating a leaf's own
        grad consumes it: `x.grad.backward()` leaves the second derivative in
        x.grad. A graph-carrying grad refers back to its leaf, a reference
        cycle: `zero_grad()` or `x.grad = 0.0` breaks it, and `grad()` and
        `hessian()` never leave one.
        """
        run_backward(self, grad, create_graph)


def topological_order(root):
    """Every node root depends on, each after all of its parents.

    The order backward() walks, depth first with parents in order, as the
    graph's readers (draw, explain, check, the viewer) see it: each number
    kept in a node (`y * 1.0001`) shows as its NumberLeaf, right before the
    node that keeps it.
    """
    order = []
    for node in depth_first(root):
        if type(node._x) is float:
            order.append(NumberLeaf.of(node, "_x"))
        elif type(node._y) is float:
            order.append(NumberLeaf.of(node, "_y"))
        order.append(node)
    return order


class NumberLeaf(Value):
    """A number operand kept in its node (`y * 1.0001`), seen as a constant leaf.

    It holds no number of its own: data and grad read and write through to
    the node's field and its `_number_grad`. `NumberLeaf.of(node, field)`
    gives the one leaf for an operand while anyone holds it (a weak table,
    not the node, remembers it), so readers that keep nodes in sets or name
    them by id() see one leaf, and the graph itself never changes.
    """

    __slots__ = ("_owner", "_field", "__weakref__")
    _number_leaf = True

    @classmethod
    def of(cls, owner, field):
        key = (id(owner), field)  # a leaf holds its owner, so the id stays its own
        leaf = _NUMBER_LEAVES.get(key)
        if leaf is None:
            leaf = _NUMBER_LEAVES[key] = cls(owner, field)
        return leaf

    def __init__(self, owner, field):
        self._owner, self._field = owner, field
        self.label = ""
        self._x = self._y = self._row = self._custom_backward = None
        self._op = ""

    data = property(
        lambda self: getattr(self._owner, self._field),
        lambda self, data: setattr(self._owner, self._field, float(data)),
    )
    grad = property(
        lambda self: self._owner._number_grad,
        lambda self, grad: setattr(self._owner, "_number_grad", grad),
    )
    _scope = property(lambda self: self._owner._scope)


_NUMBER_LEAVES = weakref.WeakValueDictionary()  # (id(owner), field) -> its NumberLeaf


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
    A row's domain is checked here too, for a forward that does not raise.
    """
    return _apply(op, _as_values(op, inputs))


def _apply(op, inputs):
    datas = [x.data for x in inputs]
    try:
        data = op.forward(*datas)
        if op.domain is not None and not op.domain(*datas):
            raise ValueError("outside the domain")
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


def _operand(x):
    """x as an operator's operand: a Value, or the float a node keeps; None for anything else."""
    if type(x) is float or isinstance(x, Node):
        return x
    return number(x)


def _as_values(op, given):
    """given as Values, numbers made constant leaves; a TypeError names the op."""
    if _ONLY_VALUES.issuperset(map(type, given)):  # one check per call, not per input
        return given
    inputs = []
    for x in given:
        x = _operand(x)
        if x is None:
            bad = type(given[len(inputs)]).__name__
            raise TypeError(f"{op.name}: inputs must be Values or numbers, not {bad}")
        inputs.append(x if is_value(x) else Value(x))
    return tuple(inputs)


def _read(node):
    """node's number as Python reads it (float(), bool(), a comparison), shown
    first to a tracer watching reads (autograd.compile refuses control flow
    that depends on a batch argument)."""
    watch = _current_mode().on_read
    if watch is not None:
        watch(node)
    return node.data


def _compared(other):
    x = _read(other) if is_value(other) else number(other)
    if x is None:
        raise TypeError(f"cannot compare Value with {type(other).__name__}")
    return x


def _domain_error(op, inputs, error):
    args = ", ".join(describe(x) for x in inputs)
    if isinstance(error, OverflowError):
        return OverflowError(
            f"{op.name}({args}) overflowed: math range error, the result is beyond ±{_BIGGEST:.4g}"
        )
    where = f"; {op.name} is defined for {op.domain_text}" if op.domain_text else ""
    return type(error)(f"{op.name}({args}): {error}{where}")


_BIGGEST = 1.7976931348623157e308  # the largest float
