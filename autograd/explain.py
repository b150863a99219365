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
from .explain_notation import Math
from .value import Value, local_grads, topological_order

MAX_PATHS = 16
CHAINS = ("from_wrt", "from_root")


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
class Group:
    """The paths that first merge at one node: (paths into it) × (paths on from it)."""

    node: Math
    into: int  # paths from root that meet here first
    into_value: float  # their sum
    onward: int  # paths from here to wrt
    onward_value: float  # ∂node/∂wrt
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
                 steps=(), where=(), where_more=False, leaves=(), limit=MAX_PATHS):  # fmt: skip
        self.lang = lang
        self.root = root  # Math: the root's name
        self.wrt = wrt  # Math, or None for the whole backward pass
        self.total = total  # ∂root/∂wrt, or None
        self.path_count = path_count
        self.paths = tuple(paths)  # every path, when there are at most `limit`
        self.groups = tuple(groups)  # otherwise the paths grouped where they first merge
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


def explain(root, wrt=None, *, lang="en", max_paths=MAX_PATHS, chain="from_wrt") -> Derivation:
    """The chain-rule derivation of ∂root/∂wrt, or of the whole backward pass.

    Past `max_paths` paths, the paths are grouped by the node where they first
    merge. `lang` is "en" or "zh". `chain` is "from_wrt" (∂z/∂w · ∂a/∂z · ∂C0/∂a)
    or "from_root" (∂C0/∂a · ∂a/∂z · ∂z/∂w).
    """
    if not isinstance(root, Value) or not (wrt is None or isinstance(wrt, Value)):
        raise TypeError("explain() takes Values: explain(root, wrt=None)")
    if lang not in explain_text.LANGUAGES:
        raise ValueError(f"lang must be one of {sorted(explain_text.LANGUAGES)}, not {lang!r}")
    if chain not in CHAINS:
        raise ValueError(f"chain must be one of {list(CHAINS)}, not {chain!r}")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise ValueError(f"max_paths must be a whole number ≥ 1, not {max_paths!r}")
    order = topological_order(root)
    _check_nodes(order)
    names = notation.Names(order, wrt)
    common = dict(lang=lang, root=names[root], limit=max_paths)
    steps, grads = _backward(order, root, names if wrt is None else None)
    if wrt is None:
        leaves = [(names[n], grads[n]) for n in order if not n._prev and n.label]
        return Derivation(wrt=None, total=None, steps=steps, leaves=leaves, **common)
    total = grads.get(wrt, 0.0)
    onward = _paths_onward(order, wrt)
    count = onward.get(root, 0)
    if count > max_paths:
        merges, groups = _groups(order, root, wrt, onward, names)
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
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    steps = []
    for node, edges in groupby(chain_rule(order, grads), key=lambda edge: edge.node):
        if names is None:
            for _ in edges:
                pass
            continue
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


def _groups(order, root, wrt, onward, names):
    """Paths grouped by the first node (from root) that more than one path reaches."""
    reaching = dict.fromkeys(order, 0)  # paths from root to each node
    reaching[root] = 1
    for node in reversed(order):
        for parent in node._prev:
            reaching[parent] += reaching[node]
    tangent = {}  # ∂merge/∂wrt, each by a backward() of its own from the merge node
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
    for merge in merges:
        tangent[merge] = _backward(topological_order(merge), merge)[1][wrt]
    groups = [
        Group(names[m], *into[m], onward[m], tangent[m], into[m][1] * tangent[m]) for m in merges
    ]
    return merges, groups
