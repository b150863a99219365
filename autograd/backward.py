"""The chain rule: backward()'s order and its arithmetic, defined once.

The order is `depth_first(root)`: every node after all of its parents, so
walking it in reverse visits each node only once its grad is complete. The
arithmetic is `chain_rule(order, grads)`: for each node from the root down
and each of its inputs, in order,

    contribution = grad(node) × ∂node/∂input      (the op row's local_grads)
    grad(input) += contribution

yielding one `Edge` per +=. Everything that shows or reuses backward() reads
it from here: explain, the viewer, `push_grad` (micrograd's `_backward()`),
draw, and compile's code generator; the create_graph pass is chain_rule run
on the nodes' own fields with Values for numbers. The float pass,
`_backward_floats`, is the same loop written for speed: nearly every node is
unary or binary, so it calls the rule with plain arguments, and it keeps
number operands (the 1.0001 of `y * 1.0001`, a plain float in the node's
field; see value.py) out of the object graph. A test holds it to chain_rule
bit for bit on random graphs.

This module reads nodes only through their fields (`data grad _x _y _row
_custom_backward _number_grad`, described in value.py) and `_prev`, so it
imports no Value.
"""

import math
import operator
from itertools import filterfalse
from typing import NamedTuple

from . import mode as _mode
from .collector import collector_paused
from .ops import is_value, number
from .written import describe, label_chain


class Edge(NamedTuple):
    """One += of backward(): grad(parent) += grad(node) × ∂node/∂parent."""

    node: object  # the node whose grad is passed down
    index: int  # which of node's inputs parent is
    parent: object
    local: object  # ∂node/∂parent: a float, a Value (create_graph), None for a hand-made closure
    contribution: object  # grad(node) × local
    total: object  # grad(parent) after this edge


def run_backward(root, grad=1.0, create_graph=False):
    """Fill .grad of every node root depends on with d(root)/d(node): Value.backward()."""
    seed = number(grad)
    if seed is None or type(grad) is bool:
        raise TypeError(f"backward: the seed grad must be a number or a Value, not {grad!r}")
    with collector_paused():
        order = depth_first(root)
        for node in order:
            if node._x is not None:
                node.grad = 0.0  # interior grads are recomputed; leaves accumulate
            elif node.grad is root:
                node.grad = 0.0  # x.grad.backward(): the grad differentiated is consumed
        if create_graph:
            with _mode.enable_grad():  # the derivative's graph is recorded in any mode
                root.grad = _plus(root.grad, grad if is_value(grad) else type(root)(seed))
                for _ in chain_rule(order, _FIELDS, create_graph=True):
                    pass
            for node in order:  # leaves keep Values; interior nodes, numbers (no cycles)
                node.grad = number(node.grad) if node._x is not None else _as_node(node)
                if type(node._x) is float or type(node._y) is float:
                    node._number_grad = number(node._number_grad)
        else:
            root.grad = root.grad + seed
            _backward_floats(order)


def depth_first(root):
    """Every node root depends on, each after all of its parents.

    Iterative depth-first search with an explicit stack, so a graph a million
    nodes deep needs no recursion; backward() walks this list in reverse. A
    number kept in a node's field is no node and is skipped
    (value.topological_order shows the graph's readers each as a leaf).
    """
    order = []
    seen = {root}
    path = [root]  # the nodes being visited, each a parent of the one before
    many = {}  # for each node on the path with over two parents: those still to visit
    while path:
        node = path[-1]
        # The node's first parent not yet seen. Coming back to a node, its
        # (at most two) parents are checked again; a node with more (all of
        # them in _y) resumes an iterator over them where it was.
        y = node._y
        if type(y) is tuple:
            unseen = many.get(node)
            if unseen is None:
                if seen.issuperset(y):  # most fused neurons: one check, no iterator
                    order.append(path.pop())
                    continue
                unseen = many[node] = filterfalse(seen.__contains__, y)
            # Leaf parents are finished right here; the first other one is visited next.
            for parent in unseen:
                seen.add(parent)
                if parent._x is not None:
                    path.append(parent)
                    break
                order.append(parent)
            else:
                del many[node]
                order.append(path.pop())  # all its parents are in order
            continue
        else:
            parent = node._x
            if parent is None or parent in seen or type(parent) is float:
                parent = y
                if parent is None or parent in seen or type(parent) is float:
                    order.append(path.pop())  # all its parents are in order
                    continue
        seen.add(parent)
        if parent._x is None:
            order.append(parent)  # a leaf is finished as soon as it is seen
        else:
            path.append(parent)
    return order


def chain_rule(order, grads=None, *, create_graph=False):
    """backward()'s arithmetic on order (from depth_first), one Edge per +=.

    grads maps each node to its grad so far and is updated as the edges are
    yielded; by default every grad starts at 0 and the root's (order[-1]) at
    1, as on a fresh graph. With create_graph=True the local derivatives are
    Values, so the grads carry a graph of their own (no edge is yielded for a
    constant input or a local derivative that is exactly 0).
    """
    if grads is None:
        grads = dict.fromkeys(order, 0.0)
        grads[order[-1]] = 1.0
    times, plus = (_times, _plus) if create_graph else (operator.mul, operator.add)
    anomaly = _mode.current().anomaly
    for node in reversed(order):
        if node._x is None:
            continue  # a leaf
        grad = grads[node]
        if node._custom_backward is not None or node._row is None:
            yield from _hand_made(node, grad, grads)
            continue
        for index, parent, local in _locals(node, create_graph):
            if anomaly and not math.isfinite(number(local) * number(grad)):
                result = number(local) * number(grad)
                raise anomaly_error("backward", node._row, node._prev, result, local)
            contribution = times(grad, local)
            total = grads[parent] = plus(grads[parent], contribution)
            yield Edge(node, index, parent, local, contribution, total)


def local_grads(node):
    """∂node/∂parent for each parent, as floats, from the node's op row."""
    return node._row.local_grads(*[p.data for p in node._prev], node.data)


def push_grad(node):
    """node.grad × local derivative, added to each parent's grad: one node of
    chain_rule, on the nodes' own fields (the lecture's `node._backward()`)."""
    for _ in chain_rule([node], _FIELDS):
        pass


def anomaly_error(phase, op, inputs, result, local=None):
    args = ", ".join(describe(x) for x in inputs)
    extra = f" (local derivative {number(local)!r})" if local is not None else ""
    return _mode.AnomalyError(
        f"{phase} of {op.name}({args}) gave {number(result)!r}{extra}; "
        f"chain: {label_chain(op, inputs)}"
    )


# ---- the float pass: chain_rule for speed ----


def _backward_floats(order):
    anomaly = _mode.current().anomaly
    for node in reversed(order):
        x = node._x
        if x is None:
            continue  # a leaf
        if node._custom_backward is not None:
            node._custom_backward()  # a closure of the node's own
            continue
        row = node._row
        if row is None:
            continue  # made by hand with no closure: micrograd's default passes nothing
        grad = node.grad
        rule = row.local_grads
        y = node._y
        # Nearly every node is unary or binary: call the row's rule with plain
        # arguments, with no argument list or zip() built per node.
        if y is None:
            (dx,) = locals_ = rule(x.data, node.data)
            x.grad += grad * dx
        elif type(y) is not tuple:
            # One of the two may be a number kept in the node, not a node.
            if type(y) is float:
                dx, dy = locals_ = rule(x.data, y, node.data)
                x.grad += grad * dx
                node._number_grad += grad * dy
            elif type(x) is float:
                dx, dy = locals_ = rule(x, y.data, node.data)
                node._number_grad += grad * dx
                y.grad += grad * dy
            else:
                dx, dy = locals_ = rule(x.data, y.data, node.data)
                x.grad += grad * dx
                y.grad += grad * dy
        elif row.accumulate is not None and not anomaly:
            row.accumulate(y, grad)  # y: all of its inputs
            continue
        else:
            locals_ = rule(*[p.data for p in y], node.data)
            for parent, local in zip(y, locals_):
                parent.grad += grad * local
        if anomaly:
            _check_backward(node, locals_)


def _check_backward(node, locals_):
    for parent, local in zip(node._prev, locals_):
        if not math.isfinite(parent.grad):
            raise anomaly_error("backward", node._row, node._prev, parent.grad, local)


# ---- the pieces of chain_rule ----


class _Fields:
    """The nodes' own .grad fields, as the mapping chain_rule updates."""

    __slots__ = ()

    def __getitem__(self, node):
        return node.grad

    def __setitem__(self, node, grad):
        node.grad = grad


_FIELDS = _Fields()


def _locals(node, create_graph):
    """(index, parent, ∂node/∂parent) for node's inputs, from its op row."""
    prev = node._prev
    if not create_graph:
        locals_ = node._row.local_grads(*[p.data for p in prev], node.data)
        return [(i, parent, local) for i, (parent, local) in enumerate(zip(prev, locals_))]
    # Number operands enter the rule as the floats they are, so the
    # derivative's graph never refers to them (or, through them, to node).
    inputs = [p.data if p._number_leaf else p for p in prev]
    constants = node._row.constant_inputs
    return [
        (i, parent, local)
        for i, (parent, local) in enumerate(zip(prev, node._row.local_grads(*inputs, node)))
        if i not in constants and not _is_number(local, 0.0)
    ]


def _hand_made(node, grad, grads):
    """The edges of a node with a closure of its own (or none): run it on the
    fields, with grads' values lent to them, and read what it added."""
    parents = list(dict.fromkeys(node._prev))
    lent = [node, *parents]
    kept = [n.grad for n in lent]
    try:
        for n in lent:
            n.grad = grads[n]
        before = [p.grad for p in parents]
        if node._custom_backward is not None:
            node._custom_backward()
        after = {p: p.grad for p in parents}
        added = {p: p.grad - old for p, old in zip(parents, before)}
    finally:
        if grads is not _FIELDS:
            for n, old in zip(lent, kept):
                n.grad = old
    for index, parent in enumerate(node._prev):
        if parent in after:
            grads[parent] = total = after.pop(parent)
            yield Edge(node, index, parent, None, added[parent], total)


def _times(grad, local):
    return grad if _is_number(local, 1.0) else grad * local


def _plus(total, contribution):
    return contribution if _is_number(total, 0.0) else total + contribution


def _is_number(x, value):
    # A plain number equal to value; a Value never is (== is identity on Values).
    return not is_value(x) and x == value


def _as_node(node):
    grad = node.grad
    return grad if is_value(grad) else type(node)(grad)
