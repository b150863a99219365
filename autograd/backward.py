"""backward(): the chain rule, applied to a graph in reverse topological order.

For each node, from the root down, the row of the op that made it gives the
local derivatives ∂node/∂parent, and each parent's grad gains
node.grad × ∂node/∂parent. Interior grads are reset first and recomputed;
leaves accumulate, as in PyTorch. This module reads nodes only through their
fields (`data grad _x _y _row _custom_backward _number_grad`,
described in value.py) and `_prev`, so it imports no Value.

The hot path, the sort and the float pass, also meets a parent field holding
a plain float: a number operand, as in `y * 1.0001`, which value.py keeps in
the node until the graph is read. Its grad goes to the node's `_number_grad`,
and no object is made for it. Everything else reads `_prev`, which makes such
a number a leaf holding that grad.
"""

import gc
import math
from itertools import filterfalse

from . import mode as _mode
from .ops import is_value


def run_backward(root, grad=1.0, create_graph=False):
    """Fill .grad of every node root depends on with d(root)/d(node): Value.backward()."""
    # backward() makes no reference cycles, so the cyclic collector would
    # only walk the whole graph for nothing: it is paused until we return.
    collecting = gc.isenabled()
    gc.disable()
    try:
        order = depth_first(root)
        for node in order:
            # A grad that is a Value (from create_graph) is consumed, not added to.
            if node._x is not None or (type(node.grad) is not float and is_value(node.grad)):
                node.grad = 0.0
        if create_graph:
            seed = grad if is_value(grad) else type(root)(grad)
            root.grad = seed if root._x is not None else root.grad + seed
            _backward_values(order)
        else:
            root.grad = grad if root._x is not None else root.grad + grad
            _backward_floats(order)
    finally:
        if collecting:
            gc.enable()


def depth_first(root, prepare=None):
    """Every node root depends on, each after all of its parents.

    Iterative depth-first search with an explicit stack, so a graph a million
    nodes deep needs no recursion; backward() walks this list in reverse. A
    number kept in a field is no node and is skipped, unless prepare(node),
    called on each node keeping a number before its parents are visited,
    makes it one (value.topological_order, for the graph's readers, does).
    """
    order = []
    seen = {root}
    path = [root]  # the nodes being visited, each a parent of the one before
    if prepare is not None:
        prepare(root)
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
            parent = next(unseen, None)
            if parent is None:
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
            if prepare is not None and (type(parent._x) is float or type(parent._y) is float):
                prepare(parent)
            path.append(parent)
    return order


def local_grads(node):
    """∂node/∂parent for each parent, as floats, from the node's op row."""
    return node._row.local_grads(*[p.data for p in node._prev], node.data)


def describe(x):
    """A node as error messages show it: `a=2.0`, or `2.0` when unlabelled or a number."""
    if type(x) is float:
        return repr(x)
    return f"{x.label}={x.data!r}" if x.label else repr(x.data)


def push_grad(node):
    """node.grad × local derivative, added to each parent's grad (floats)."""
    if node._prev:
        grad = node.grad
        for parent, local in zip(node._prev, local_grads(node)):
            parent.grad += grad * local


def _backward_floats(order):
    anomaly = _mode.current().anomaly
    for node in reversed(order):
        x = node._x
        if x is None:
            continue  # a leaf
        if node._custom_backward is not None:
            node._custom_backward()
            continue
        grad = node.grad
        rule = node._row.local_grads
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
        elif node._row.accumulate is not None and not anomaly:
            node._row.accumulate(y, grad)  # y: all of its inputs
            continue
        else:
            locals_ = rule(*[p.data for p in y], node.data)
            for parent, local in zip(y, locals_):
                parent.grad += grad * local
        if anomaly:
            _check_backward(node, locals_)


def _backward_values(order):
    """The same chain rule on Values: the grads carry a graph of their own."""
    anomaly = _mode.current().anomaly
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
                raise anomaly_error("backward", node._row, prev, float(grad) * float(local), local)
            contribution = grad if _is_number(local, 1.0) else grad * local
            fresh = _is_number(parent.grad, 0.0)
            parent.grad = contribution if fresh else parent.grad + contribution


def _is_number(x, number):
    # A plain number equal to number; a Value never is (== is identity on Values).
    return not is_value(x) and x == number


def _check_backward(node, locals_):
    for parent, local in zip(node._prev, locals_):
        if not math.isfinite(parent.grad):
            raise anomaly_error("backward", node._row, node._prev, parent.grad, local)


def anomaly_error(phase, op, inputs, result, local=None):
    from .check import label_chain  # the error path only: check.py imports this module

    args = ", ".join(describe(x) for x in inputs)
    extra = f" (local derivative {float(local)!r})" if local is not None else ""
    return _mode.AnomalyError(
        f"{phase} of {op.name}({args}) gave {float(result)!r}{extra}; "
        f"chain: {label_chain(op, inputs)}"
    )
