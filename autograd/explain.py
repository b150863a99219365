"""Chain-rule derivations, as a learner writes them by hand.

`explain(root, wrt=x)` writes ∂root/∂x as a sum over every path from root
down to x, each path a product of local derivatives: its symbolic form from
the op table, its numbers, and its value. `explain(root)` writes the whole
backward pass instead, one step per node in the order backward() runs.

Factors run from x up to the root, `∂z/∂w · ∂a/∂z · ∂C0/∂a`, as the
textbook chain for one neuron is written; `chain="from_root"` writes them in
the order backward() multiplies them, `∂L/∂d · ∂d/∂e · ∂e/∂a`. The steps are the labelled nodes
when any node between root and x is labelled (unlabelled ones in between fold
into one factor); otherwise every op is a step.

Too many paths to list are written in groups (explain_groups.py): by the
node where they first merge, or, with `group_by="use"`, by the node that
uses x, each use's local derivative times the gradient arriving there.

The numbers are the engine's: local derivatives come from `local_grads`, and
the totals from backward()'s own chain rule (`backward.chain_rule`) run on a
table of its own, so they equal the grads backward() leaves, bit for bit, and
node.grad is never touched here.
"""

from dataclasses import dataclass
from itertools import groupby

from . import explain_notation as notation
from . import explain_text
from .backward import chain_rule
from .explain_groups import Group, Use, gradients, merge_groups, use_groups
from .explain_notation import Math
from .value import Value, local_grads, topological_order

__all__ = ["Derivation", "Factor", "Group", "Path", "Push", "Step", "Use", "explain"]

MAX_PATHS = 16
CHAINS = ("from_wrt", "from_root")
GROUPINGS = ("merge", "use")


@dataclass(frozen=True)
class Factor:
    """One factor of a path, ∂top/∂bottom, through unnamed nodes in between."""

    top: Math
    bottom: Math
    short: Math  # σ'(z)
    full: Math  # σ(z)·(1 − σ(z))
    value: float


@dataclass(frozen=True)
class Path:
    factors: tuple[Factor, ...]  # from wrt upwards: ∂z/∂w, ∂a/∂z, ∂C0/∂a
    value: float


@dataclass(frozen=True)
class Push:
    """One += of backward(): parent.grad += node.grad · ∂node/∂parent."""

    parent: Math
    local: Math
    local_value: float
    contribution: float
    accumulated: float


@dataclass(frozen=True)
class Step:
    node: Math
    definition: Math  # the node's expression
    data: float
    grad: float
    pushes: tuple[Push, ...]


class Derivation:
    """A derivation: str() for the terminal, .markdown(), .latex(), and Jupyter display."""

    def __init__(self, *, lang, root, wrt, total, path_count=0, paths=(), groups=(),
                 group_by="merge", steps=(), where=(), where_more=False, leaves=(),
                 limit=MAX_PATHS):  # fmt: skip
        self.lang = lang
        self.root = root  # Math: the root's name
        self.wrt = wrt  # Math, or None for the whole backward pass
        self.total = total  # ∂root/∂wrt, or None
        self.path_count = path_count
        self.paths = tuple(paths)  # every path, when they are not grouped
        self.groups = tuple(groups)  # Groups (where paths first merge) or Uses (of wrt)
        self.group_by = group_by  # "merge" or "use": how groups are made
        self.steps = tuple(steps)  # the backward pass, when wrt is None
        self.where = tuple(where)  # (name, [definition,] value) of the named nodes mentioned
        self.where_more = where_more  # whether more named nodes were left out of `where`
        self.leaves = tuple(leaves)  # (name, grad) at the end of the backward pass
        self.limit = limit

    def __str__(self):
        return explain_text.render(self, "text")

    def markdown(self) -> str:
        return explain_text.render(self, "markdown")

    def latex(self) -> str:
        return explain_text.render(self, "latex")

    def _repr_markdown_(self):
        return self.markdown()

    def _repr_latex_(self):
        return f"$$\n{self.latex()}\n$$"

    def __repr__(self):
        target = f"∂{self.root.text}/∂{self.wrt.text}" if self.wrt else self.root.text
        return f"<Derivation {target}: {len(self.paths) or len(self.groups) or len(self.steps)}>"


def explain(
    root, wrt=None, *, lang="en", max_paths=MAX_PATHS, chain="from_wrt", group_by="merge"
) -> Derivation:
    """The chain-rule derivation of ∂root/∂wrt, or of the whole backward pass.

    `group_by="merge"` lists every path while there are at most `max_paths`,
    and past that groups them by the node where they first merge (`Group`s).
    `group_by="use"` always groups them by use: one `Use` per node that takes
    wrt as an input (a convolution's output positions, for a kernel weight),
    in the order `topological_order(root)` lists the nodes (each after its
    inputs), its local derivative ∂node/∂wrt times the gradient ∂root/∂node
    arriving there; the uses add up to ∂root/∂wrt, and `max_paths` caps how
    many are written out. With no use (root does not depend on wrt, or is wrt)
    the paths are written as with "merge".

    `lang` is "en" or "zh". `chain` is "from_wrt" (∂z/∂w · ∂a/∂z · ∂C0/∂a)
    or "from_root" (∂C0/∂a · ∂a/∂z · ∂z/∂w).
    """
    if not isinstance(root, Value) or not (wrt is None or isinstance(wrt, Value)):
        raise TypeError("explain() takes Values: explain(root, wrt=None)")
    if lang not in explain_text.LANGUAGES:
        raise ValueError(f"lang must be one of {sorted(explain_text.LANGUAGES)}, not {lang!r}")
    if chain not in CHAINS:
        raise ValueError(f"chain must be one of {list(CHAINS)}, not {chain!r}")
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {list(GROUPINGS)}, not {group_by!r}")
    if group_by == "use" and wrt is None:
        raise ValueError("group_by='use' groups the paths to one node: give it as wrt")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"max_paths must be a whole number ≥ 1, not {max_paths!r}")
    order = topological_order(root)
    _check_nodes(order)
    names = notation.Names(order, wrt)
    common = dict(lang=lang, root=names[root], limit=max_paths, group_by=group_by)
    steps, grads = _backward(order, root, names if wrt is None else None)
    if wrt is None:
        leaves = [(names[n], grads[n]) for n in order if not n._prev and n.label]
        return Derivation(wrt=None, total=None, steps=steps, leaves=leaves, **common)
    total = grads.get(wrt, 0.0)
    onward = _paths_onward(order, wrt)
    count = onward.get(root, 0)
    if group_by == "use" and count and wrt is not root:
        groups = use_groups(order, root, wrt, grads, names)
        shown = {use.consumer for use in groups[:max_paths]}
        where, more = names.where(order, {root, wrt, *shown})
        return Derivation(wrt=names[wrt], total=total, path_count=count, groups=groups,
                          where=where, where_more=more, **common)  # fmt: skip
    if count > max_paths:
        merges, groups = merge_groups(order, root, wrt, onward, names)
        where, more = names.where(order, {root, wrt, *merges})
        return Derivation(wrt=names[wrt], total=total, path_count=count, groups=groups,
                          where=where, where_more=more, **common)  # fmt: skip
    paths = _paths(root, wrt, onward, names, order)
    if chain == "from_root":
        paths = [Path(path.factors[::-1], path.value) for path in paths]
    on_paths = [n for n in order if onward.get(n)] if count else []
    mentioned = set(on_paths).union(*(n._prev for n in on_paths))
    where, more = names.where(order, mentioned)
    return Derivation(wrt=names[wrt], total=total, path_count=count, paths=paths,
                      where=where, where_more=more, **common)  # fmt: skip


def _check_nodes(order):
    for node in order:
        if node._prev and (node._row is None or node._custom_backward is not None):
            what = node.label or node._op or "a node"
            raise ValueError(
                f"explain: {what!r} was made by hand (no op-table row or a custom _backward); "
                "a derivation needs the op table's formulas"
            )


def _backward(order, root, names=None):
    """The grads backward() leaves on a fresh graph, by its own chain rule; with
    names, also each step written down."""
    if names is None:
        return [], gradients(order, root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    steps = []
    for node, edges in groupby(chain_rule(order, grads), key=lambda edge: edge.node):
        pushes = []
        for edge in edges:
            if edge.index not in node._row.constant_inputs:
                full = notation.local_derivative(node, edge.index, names.inputs(node))[1]
                pushes.append(
                    Push(names[edge.parent], full, edge.local, edge.contribution, edge.total)
                )
        steps.append(
            Step(names[node], names.definition(node), node.data, grads[node], tuple(pushes))
        )
    return steps, grads


def _paths_onward(order, wrt):
    """node -> number of paths from node down to wrt (0 for nodes off every path)."""
    onward = {wrt: 1}
    for node in order:
        if node is not wrt and node._prev:
            count = sum(onward.get(p, 0) for p in node._prev)
            if count:
                onward[node] = count
    return onward


def _paths(root, wrt, onward, names, order):
    """Every path from root down to wrt, each split into factors at the steps."""
    interior = [n for n in order if onward.get(n) and n is not root and n is not wrt]
    labelled = any(n.label for n in interior)
    stops = {root, wrt} | ({n for n in interior if n.label} if labelled else set(interior))
    paths = []
    stack = [(root, None)]  # edges so far as a linked list, (edge, rest), shared by branches
    while stack:
        node, edges = stack.pop()
        if node is wrt:
            paths.append(_path(_upwards(edges), stops, names))
            continue
        for i in reversed(range(len(node._prev))):
            if onward.get(node._prev[i]):
                stack.append((node._prev[i], ((node, i), edges)))
    return paths


def _upwards(edges):
    """The linked list of edges, from wrt up to root."""
    while edges is not None:
        edge, edges = edges
        yield edge


def _path(edges, stops, names):
    factors, run, value = [], [], 1.0
    for node, i in edges:  # from wrt upwards
        run.append((node, i, local_grads(node)[i]))
        if node in stops:
            bottom = names[run[0][0]._prev[run[0][1]]]
            forms = [notation.local_derivative(n, j, names.inputs(n)) for n, j, _ in run]
            local = 1.0
            for *_, x in run:
                local *= x
            short = notation.product([s for s, _ in forms])
            full = notation.product([f for _, f in forms])
            factors.append(Factor(names[node], bottom, short, full, local))
            value *= local
            run = []
    return Path(tuple(factors), value)
