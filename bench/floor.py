"""The floor: the least one Python object per node can cost.

A `__slots__` node driven through `__mul__`/`__add__`, its local derivatives
computed in the forward pass, and a tape of nodes in creation order that
backward walks in reverse. No op table, no modes, no checks, one graph at a
time: the point is what the interpreter charges, not a usable engine.
"""

_tape = []


class Node:
    __slots__ = ("data", "grad", "_prev", "_locals")

    def __init__(self, data, prev=(), locals_=()):
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self._locals = locals_
        if prev:
            _tape.append(self)

    def __add__(self, other):
        if type(other) is not Node:
            other = Node(float(other))
        return Node(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        if type(other) is not Node:
            other = Node(float(other))
        return Node(self.data * other.data, (self, other), (other.data, self.data))

    __radd__ = __add__
    __rmul__ = __mul__

    def __neg__(self):
        return Node(-self.data, (self,), (-1.0,))

    def relu(self):
        positive = self.data > 0
        return Node(self.data if positive else 0.0, (self,), (1.0 if positive else 0.0,))


def linear(ws, xs, b):
    """The fused neuron b + Σ wᵢ·xᵢ as one node."""
    data = b.data
    for w, x in zip(ws, xs):
        data += w.data * x.data
    locals_ = (*[x.data for x in xs], *[w.data for w in ws], 1.0)
    return Node(data, (*ws, *xs, b), locals_)


def backward(root):
    root.grad = 1.0
    for node in reversed(_tape):
        grad = node.grad
        for parent, local in zip(node._prev, node._locals):
            parent.grad += grad * local
    _tape.clear()
