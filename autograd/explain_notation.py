"""How a derivation writes nodes, numbers and local derivatives, in text and LaTeX.

Every symbolic form comes from the op table's templates; this module only
chooses the names that fill them and the brackets around those names.
A labelled node is written with its label, an unlabelled leaf with its number
(it reads as a constant, like the 2 of `(a − y)**2`), and an unlabelled
interior node with its own expression, `(a − y)`, while that stays short;
a longer one gets a counter name, v1, v2, …, defined in a `where` line.
"""

import math
import re
from collections import deque
from dataclasses import dataclass

from .ops import fill, linear_roles

ATOM = 9  # precedence of a name that never needs brackets
INLINE_WIDTH = 30  # an unlabelled node's expression longer than this gets a counter name
WHERE_LIMIT = 24  # named nodes listed with their values under a derivation
_PRECEDENCE = {
    "add": 1, "sub": 1, "linear": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4, "pow_var": 4,
}  # fmt: skip
_RIGHT_STRICT = {"sub", "div", "pow", "pow_var"}  # a − (b − c): equal precedence needs brackets
_LATEX_SPECIAL = {c: "\\" + c for c in "#$%&_{}"} | {
    "\\": "\\backslash ",
    "~": "\\sim ",
    "^": "\\hat{}",
}


@dataclass(frozen=True)
class Math:
    """One piece of mathematics, written for the terminal and for LaTeX."""

    text: str
    latex: str
    precedence: int = ATOM


UNNAMED_LEAF = Math("θ", "\\theta")  # an unlabelled leaf asked about as wrt


def number(x: float) -> str:
    """A value as a derivation shows it: 6.0, -0.25, 0.235004, 1e-07."""
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e16:
        return f"{x:.1f}"
    return f"{x:.6g}"


def constant(x: float) -> Math:
    """An unlabelled leaf, written as the number it is: 2, 0.5, -3."""
    text = str(int(x)) if math.isfinite(x) and x.is_integer() and abs(x) < 1e16 else f"{x:.6g}"
    latex = text.replace("inf", "\\infty")
    return Math(text, latex, 3 if text.startswith("-") else ATOM)


def label(text) -> Math:
    """A user's label: `w1` is w_{1} and `a_prev` is a_{\\mathrm{prev}} in LaTeX."""
    text = str(text)
    if match := re.fullmatch(r"([A-Za-z])(\d+)", text):
        latex = f"{match[1]}_{{{match[2]}}}"
    elif match := re.fullmatch(r"([A-Za-z])_([A-Za-z0-9]+)", text):
        latex = f"{match[1]}_{{\\mathrm{{{match[2]}}}}}"
    elif re.fullmatch(r"[A-Za-z]", text):
        latex = text
    else:
        latex = "\\mathrm{" + "".join(_LATEX_SPECIAL.get(c, c) for c in text) + "}"
    return Math(text, latex)


class Names(dict):
    """node -> Math name, for every node of the graph and for wrt (see the module's doc)."""

    def __init__(self, order, wrt=None):
        super().__init__()
        self.definitions = {}
        self.counted = set()
        if wrt is not None and not wrt.label and (not wrt._prev or wrt not in order):
            self[wrt] = UNNAMED_LEAF  # ∂L/∂θ, not ∂L/∂0.974172
        elif wrt is not None and wrt.label:
            self[wrt] = label(wrt.label)  # also when wrt is off the graph
        for node in order:  # parents first, so their names are ready
            if node._prev:
                self.definitions[node] = expression(node._row, self.inputs(node))
            if node in self:
                continue
            if node.label:
                self[node] = label(node.label)
            elif not node._prev:
                self[node] = constant(node.data)
            elif len(self.definitions[node].text) <= INLINE_WIDTH:
                self[node] = self.definitions[node]
            else:
                self.counted.add(node)
                self[node] = counter(len(self.counted))

    def inputs(self, node):
        return [self[p] for p in node._prev]

    def definition(self, node):
        return self.definitions.get(node)

    def where(self, order, mentioned):
        """(name, [definition,] value) for the named nodes a derivation mentions.

        A definition mentions its inputs, and so does an inline name such as
        (a − y); those are followed, nearest first, up to WHERE_LIMIT entries.
        """
        # Nearest the root first, in the graph's order, not in a set's order.
        queue = deque(n for n in reversed(order) if n in mentioned)
        seen, named = set(mentioned), []
        while queue and len(named) < WHERE_LIMIT:
            node = queue.popleft()
            if node.label or node in self.counted or self[node] is UNNAMED_LEAF:
                named.append(node)
            for parent in node._prev:
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        chosen = set(named)
        entries = [
            (self[n], *((self.definitions[n],) if n._prev else ()), n.data)
            for n in order
            if n in chosen
        ]
        return entries, bool(queue)  # and whether more were left out


def counter(i: int) -> Math:
    return Math(f"v{i}", f"v_{{{i}}}")


def precedence(op) -> int:
    return _PRECEDENCE.get(op.name, ATOM)


def bracket(m: Math) -> Math:
    """m in brackets, unless it is a single name or number."""
    if m.precedence >= ATOM:
        return m
    return Math(f"({m.text})", f"\\left({m.latex}\\right)")


def expression(op, names: list[Math]) -> Math:
    """A node's output written with its inputs' names: `w·a_prev + b`, `(a − y)^2`."""
    mine = precedence(op)
    if op.arity == 0:  # the fused neuron: w0·x0 + w1·x1 + b
        n = (len(names) - 1) // 2
        fill = [bracket(m) if m.precedence < 2 or _signed(m) else m for m in names]
        terms = [(fill[j], fill[n + j]) for j in range(n)]
        text = " + ".join([f"{w.text}·{x.text}" for w, x in terms] + [names[-1].text])
        latex = " + ".join([f"{w.latex} \\cdot {x.latex}" for w, x in terms] + [names[-1].latex])
        return Math(text, latex, mine)

    def wrap(m, slot):
        strict = (slot == "y" and op.name in _RIGHT_STRICT) or (slot == "x" and mine in (3, 4))
        if slot == "y" and _signed(m):  # a + (−b), a·(−3)
            return True
        return m.precedence < mine or (strict and m.precedence == mine and mine < ATOM)

    return Math(_fill(op.expr, names, wrap), _fill(op.expr_latex, names, wrap, latex=True), mine)


def local_derivative(node, i: int, names: list[Math]) -> tuple[Math, Math]:
    """∂node/∂(input i) as (short, full): short writes σ'(z) where full has σ(z)·(1 − σ(z))."""
    op = node._row
    if op.name == "pow" and i == 0:
        full = _power_rule(node._prev[1].data, names[0])
        return full, full
    if op.arity == 0:
        role, j = linear_roles(len(names), i)
        partner = {"w": (len(names) - 1) // 2 + j, "x": j}.get(role)  # b's partner is 1
        full = Math("1", "1") if partner is None else bracket(names[partner])
        return full, full
    wrap = lambda m, slot: m.precedence < ATOM
    text = _fill(op.grad_text[i], names, wrap)
    latex = _fill(op.grad_latex[i], names, wrap, latex=True)
    full = Math(text, latex, _precedence_of_formula(text))
    return _primed(op, names) or full, full


def product(factors: list[Math]) -> Math:
    """The factors multiplied, dropping 1s and bracketing sums: `x · (1 − tanh(n)²)`."""
    kept = [f for f in factors if f.text != "1"]
    if not kept:
        return Math("1", "1")
    if len(kept) == 1:
        return kept[0]
    kept = [bracket(f) if f.precedence < 2 else f for f in kept]
    return Math(" · ".join(f.text for f in kept), " \\cdot ".join(f.latex for f in kept), 2)


def partial(top: Math, bottom: Math) -> Math:
    """∂top/∂bottom."""
    t, b = bracket(top), bracket(bottom)
    return Math(
        f"∂{t.text}/∂{b.text}", f"\\frac{{\\partial {t.latex}}}{{\\partial {b.latex}}}", ATOM
    )


def is_literal(m: Math) -> bool:
    """Whether a formula is a plain number, like the 1 of ∂(a + b)/∂a."""
    return re.fullmatch(r"[−-]?\d+", m.text) is not None


def _signed(m: Math) -> bool:
    return m.text[:1] in ("-", "−") and m.precedence < ATOM


def _power_rule(k: float, x: Math) -> Math:
    # The exponent is a number, so k − 1 is worked out: 2·(a − y), not 2·(a − y)^(2−1).
    if k in (0.0, 1.0):
        text = str(int(k))
        return Math(text, text)
    base = bracket(x)
    kk, k1 = constant(k), constant(k - 1)
    sign = 1 if k < 0 else 2  # -1·x^(-2) needs brackets inside a product
    if k == 2.0:
        return Math(f"{kk.text}·{base.text}", f"{kk.latex} {base.latex}", sign)
    power = k1.text if k1.precedence == ATOM else f"({k1.text})"
    return Math(f"{kk.text}·{base.text}^{power}", f"{kk.latex} {base.latex}^{{{k1.latex}}}", sign)


def _primed(op, names):
    # σ'(z) for a function whose derivative is written with the function itself.
    match = re.fullmatch(r"(\S+)\(\{x\}\)", op.expr)
    text_rule = op.grad_text[0]
    if op.arity != 1 or not match or f"{match[1]}(" not in text_rule or text_rule == op.expr:
        return None  # exp'(x) = exp(x) would say nothing
    latex_match = re.fullmatch(r"(\\?\w+)\(\{x\}\)", op.expr_latex)
    text = f"{match[1]}'({names[0].text})"
    latex = f"{latex_match[1]}'({names[0].latex})" if latex_match else None
    full_latex = _fill(op.grad_latex[0], names, lambda m, s: m.precedence < ATOM, latex=True)
    return Math(text, latex or full_latex)


def _precedence_of_formula(text: str) -> int:
    depth = 0
    for i, c in enumerate(text):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and ((i == 0 and c in "−-") or text[i : i + 3] in (" + ", " − ", " - ")):
            return 1
        if depth == 0 and text[i : i + 4] == " if ":
            return 0
    return ATOM if re.fullmatch(r"[\w.]+", text) else 2


def _fill(template: str, names: list[Math], wrap, *, latex: bool = False) -> str:
    """The template with each {x}/{y} replaced, bracketed where wrap() says so."""
    values = {}
    for slot, name in zip("xy", names):
        placeholder = "{" + slot + "}"
        enclosed = any(
            f"{a}{placeholder}{b}" in template for a, b in (("(", ")"), ("|", "|"), ("{", "}"))
        )
        chosen = bracket(name) if not enclosed and wrap(name, slot) else name
        values[slot] = chosen.latex if latex else chosen.text
    return fill(template, values["x"], values.get("y", ""))
