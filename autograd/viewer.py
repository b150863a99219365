"""One self-contained HTML page that steps through backward() on a graph.

The steps come from the engine: backward()'s own chain rule (`backward.chain_rule`)
run from zero grads on a table of its own, one step per node in backward()'s
order, with the edges it added and the grads they left. Nodes made by hand
with a `_backward` closure of their own are stepped by that closure. No
node's .grad is touched, so saving a page never disturbs the graph.
"""

import html
import json
import re
from importlib import resources
from itertools import groupby
from pathlib import Path

from .backward import chain_rule
from .draw import MAX_NODES, check_budget, draw_dot, fmt, node_names
from .labels import shown
from .ops import formula
from .value import topological_order

__all__ = ["backward_steps", "page", "save_html", "steps"]

_PLACEHOLDER = re.compile(r"__(TITLE|SVG|DATA)__")
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def save_html(root, path, *, max_nodes=MAX_NODES):
    """Write one HTML file (inline SVG, CSS and JS; no network) that replays backward()."""
    from .files import write_atomically

    return write_atomically(Path(path), page(root, max_nodes=max_nodes).encode("utf-8"))


def steps(root, *, max_nodes=MAX_NODES):
    """The page save_html writes, shown inline in Jupyter (◀ ▶, slider, keys); .save(path)."""
    from .notebook import InlinePage

    return InlinePage(page(root, max_nodes=max_nodes), title=_title(root))


def page(root, *, max_nodes=MAX_NODES, svg=None) -> str:
    """The step-through page as text: inline SVG, CSS, JS and the steps; no network.

    svg: DOT source -> SVG text; None uses autograd.render.svg (the browser
    playground passes the Graphviz it runs as wasm).
    """
    if svg is None:
        from .render import svg

    recorded, dot = _steps_and_dot(root, max_nodes)
    parts = {
        "TITLE": html.escape(_title(root)),
        "SVG": _inline(svg(dot.source)),
        "DATA": json.dumps(recorded, ensure_ascii=False).translate(_JSON_ESCAPES),
    }
    template = resources.files(__package__).joinpath("viewer_template.html")
    return _PLACEHOLDER.sub(lambda m: parts[m[1]], template.read_text(encoding="utf-8"))


def _title(root):
    return f"backward() of {shown(root.label) or 'a graph'}: step through the chain rule"


def backward_steps(root):
    """The steps of one backward() from zero grads, as the viewer shows them.

    A list of dicts: `node` (the graph id of the node processed), `op`,
    `edges` (ids of the edges whose contributions were added), `grads`
    ({node id: grad text} for the grads written), `changed` (ids whose grad
    changed) and `lines` (the chain-rule statement per edge). The first step
    is the seed ∂root/∂root = 1.
    """
    return _steps_and_dot(root, None)[0]


def _steps_and_dot(root, max_nodes):
    order = topological_order(root)
    if max_nodes is not None:
        check_budget(len(order), max_nodes)
    index = {node: i for i, node in enumerate(order)}
    name = node_names(order, index)
    top = _d(name(root))
    history = {node: ["0.000"] for node in order}
    history[root].append(fmt(1.0))
    steps = [
        {
            "node": f"v{index[root]}",
            "op": None,
            "edges": [],
            "grads": {f"v{index[root]}": fmt(1.0)},
            "changed": [f"v{index[root]}"],
            "lines": [f"∂{top}/∂{top} = 1: backward() starts from the output"],
        }
    ]
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    for node, edges in groupby(chain_rule(order, grads), key=lambda edge: edge.node):
        steps.append(_step(node, list(edges), grads[node], index, name, top, history))
    dot = None
    if max_nodes is not None:
        grad_text = {node: max(texts, key=len) for node, texts in history.items()}
        dot = draw_dot(root, flow=True, names=True, grad_text=grad_text, max_nodes=max_nodes)
    return steps, dot


def _step(node, edges, grad, index, name, top, history):
    """One node of backward(): the edges chain_rule gave it, as the page shows them."""
    j = index[node]
    grads, changed = {}, []
    for edge in edges:
        key = f"v{index[edge.parent]}"
        grads[key] = fmt(edge.total)
        if edge.contribution and key not in changed:
            changed.append(key)
    for parent in dict.fromkeys(edge.parent for edge in edges):
        history[parent].append(grads[f"v{index[parent]}"])
    lines, ids = [], []
    names = tuple(name(parent) for parent in node._prev)
    for edge in edges:
        i = edge.index
        if node._row is not None and i in node._row.constant_inputs:
            continue
        ids.append(f"e{j}_{i}")
        p, e = _d(names[i]), _d(name(node))
        if edge.local is None:
            lines.append(f"∂{top}/∂{p} += (by {e}'s own _backward) → {fmt(edge.total)}")
            continue
        rule = formula(node._row, i, names)
        lines.append(
            f"∂{top}/∂{p} += ∂{top}/∂{e} · ∂{e}/∂{p} = {fmt(grad)} × {fmt(edge.local)}"
            f" = {fmt(edge.contribution)}   (∂{e}/∂{p} = {rule})"
        )
    return {
        "node": f"v{j}",
        "op": f"o{j}",
        "edges": ids,
        "grads": grads,
        "changed": changed,
        "lines": lines,
    }


def _d(name):
    """A name as it reads after ∂: `∂a`, but `∂(a*b)` for an expression."""
    return name if name.replace("_", "a").replace("#", "a").isalnum() else f"({name})"


def _inline(svg_text):
    """The <svg> element alone: no XML prolog, doctype or comments."""
    svg_text = svg_text[svg_text.index("<svg") :]
    return re.sub(r"<!--.*?-->", "", svg_text, flags=re.S)
