"""Expression mode: one expression and its values, as the command line shows them.

The expression goes through the CLI's whitelist parser, backward() runs once, and
the page gets what `python -m autograd explain | draw | html` would make of it: the
derivation (explain), the graph with its gradient flow (draw_dot's DOT source) and
the step-through page (viewer.page). Nothing here computes a derivative itself.
"""

import ast
import warnings

from ..draw import GraphTooLargeError, draw_dot
from ..explain import explain
from ..notebook import frame_height
from ..parse import ExpressionError, parse, result_name
from ..value import topological_order
from ..viewer import page

DEFAULT_VALUE = 1.0  # a name typed into the expression starts with this value
LANGUAGES = ("en", "zh")


def names(text: str) -> list[str]:
    """The variable names in an expression, in order of first appearance ([] if unreadable).

    Only to lay out the value fields: parse() does the checking.
    """
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" and the like: parse() says
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called]
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in found))


def values_for(text: str, values: dict) -> dict:
    """values kept for the names still in the expression, new names at DEFAULT_VALUE."""
    return {name: values.get(name, DEFAULT_VALUE) for name in names(text)}


def evaluate(text: str, values: dict, *, wrt=None, lang="en", svg=None) -> dict:
    """Everything the page shows for one expression: numbers, drawings and words.

    wrt: the name to derive with respect to (None: the whole backward pass).
    svg: DOT -> SVG text for the step-through page (None: autograd.render.svg).
    Raises ExpressionError for what the user typed, as the CLI does.
    """
    if lang not in LANGUAGES:
        raise ExpressionError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    root = parse(text, values)
    if root._prev:  # name the result as the CLI does: ∂f/∂w, not ∂(…)/∂w
        root.label = result_name(values)
    leaves = {n.label: n for n in topological_order(root) if n.label and not n._prev}
    if wrt is not None and wrt not in leaves:
        known = ", ".join(leaves) or "none"
        raise ExpressionError(f"{wrt!r} is not a name in the expression (names: {known})")
    root.backward()
    shown = {
        "root": root.label,
        "value": root.data,
        "values": dict(values),
        "grads": {name: float(leaves[name].grad) for name in values if name in leaves},
        "derivation": str(explain(root, leaves.get(wrt), lang=lang)),
        "dot": None,
        "steps": None,
        "too_large": None,
    }
    try:
        shown["dot"] = draw_dot(root, names=True).source
        shown["steps"] = page(root, svg=svg)
        shown["steps_height"] = frame_height(shown["steps"])
    except GraphTooLargeError as error:  # the numbers and the derivation still stand
        shown["too_large"] = str(error)
    return shown
