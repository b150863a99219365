"""The paths of a derivation in groups, for when there are too many to list one by one.

Two groupings, each a partition of the paths from root down to wrt:

- by merge (`merge_groups`): each path goes with the first node, from the
  root, that more than one path reaches. A group is (the paths into that node)
  × (the paths on from it to wrt).
- by use (`use_groups`): each path goes with its last edge, so with the node
  that takes wrt as an input there, one group per such node. A group is
  ∂node/∂wrt along those edges (the local derivative) × ∂root/∂node (the
  gradient arriving at the node). This is how backward() fills wrt.grad, one
  += per edge: a convolution's kernel weight gathers its gradient from every
  position it was used at.

The numbers are backward()'s own: every grad comes from `backward.chain_rule`
run on a table of its own, and a use's contribution is the product that
chain_rule adds to wrt's grad.
"""

from dataclasses import dataclass, field

from .backward import chain_rule
from .explain_notation import Math
from .value import local_grads, topological_order


@dataclass(frozen=True)
class Group:
    """The paths that first merge at one node: (paths into it) × (paths on from it)."""

    node: Math
    into: int  # paths from root that meet here first
    into_value: float  # their sum
    onward: int  # paths from here to wrt
    onward_value: float  # ∂node/∂wrt
    value: float


@dataclass(frozen=True)
class Use:
    """One node that takes wrt as an input: ∂node/∂wrt × ∂root/∂node."""

    node: Math
    edges: int  # how many of the node's inputs are wrt (2 for w·w)
    local: float  # ∂node/∂wrt along those edges: their local derivatives summed
    into: int  # paths from root down to the node
    arriving: float  # ∂root/∂node, the gradient backward() sends the node
    value: float  # what the node adds to wrt's grad: local × arriving
    consumer: object = field(compare=False, repr=False)  # the node itself

    @property
    def paths(self) -> int:
        """The paths from root to wrt whose last edge leaves this node."""
        return self.into * self.edges


def gradients(order, root):
    """∂root/∂node for every node of order (a topological order ending at root)."""
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    for _ in chain_rule(order, grads):
        pass
    return grads


def paths_reaching(order, root):
    """node -> number of paths from root down to node."""
    reaching = dict.fromkeys(order, 0)
    reaching[root] = 1
    for node in reversed(order):
        for parent in node._prev:
            reaching[parent] += reaching[node]
    return reaching


def use_groups(order, root, wrt, grads, names):
    """A Use for each node of order that takes wrt as an input, in order.

    grads holds ∂root/∂node for every node (`gradients`). A node that takes
    wrt twice (w·w) is one use, its local derivative the sum over its edges.
    """
    reaching = paths_reaching(order, root)
    uses = []
    for node in order:
        edges = [i for i, parent in enumerate(node._prev) if parent is wrt]
        if not edges:
            continue
        locals_ = local_grads(node)
        arriving = grads[node]
        value = 0.0
        for i in edges:  # backward()'s own products, each edge's added on its own
            value += arriving * locals_[i]
        local = sum(locals_[i] for i in edges)
        uses.append(Use(names[node], len(edges), local, reaching[node], arriving, value, node))
    return uses


def merge_groups(order, root, wrt, onward, names):
    """(nodes, Groups): paths grouped by the first node (from root) that more than one
    path reaches. onward maps each node to its number of paths down to wrt."""
    reaching = paths_reaching(order, root)
    into = {}  # merge node -> [count, sum] of the merge-free prefixes reaching it
    stack = [(root, 1.0)]
    while stack:  # nodes reached by one path form a tree, so each is visited once
        node, prefix = stack.pop()
        for parent, local in zip(node._prev, local_grads(node)):
            if not onward.get(parent):
                continue
            if reaching[parent] > 1:
                entry = into.setdefault(parent, [0, 0.0])
                entry[0] += 1
                entry[1] += prefix * local
            else:
                stack.append((parent, prefix * local))
    rank = {node: i for i, node in enumerate(reversed(order))}
    merges = sorted(into, key=rank.get)
    groups = []
    for merge in merges:
        tangent = gradients(topological_order(merge), merge)[wrt]  # ∂merge/∂wrt
        count, value = into[merge]
        groups.append(Group(names[merge], count, value, onward[merge], tangent, value * tangent))
    return merges, groups
