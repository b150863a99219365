"""Check the engine's gradients against central differences.

`gradcheck` compares every input's gradient with a numerical one,
`gradgradcheck` does the same one order up, and `check_every_node` tests each
node's local derivative on its own, so a wrong op row is found where it sits.
A failure raises GradcheckError, whose message is a table naming the worst
input; a point where a perturbation crosses a kink (relu or abs at 0) is
reported as a kink rather than as a wrong gradient.

Central differences, (f(x + h) − f(x − h)) / 2h, are exact for quadratics and
err by h²·f‴/6 in general, against h·f″/2 for a one-sided difference; the step
h = eps·max(1, |x|) grows with |x| so that x ± h still differs from x. Where f
curves so sharply that h²·f‴/6 alone exceeds the tolerance, a right derivative
would fail; so a difference that disagrees is taken again at h/2 and the two
combined, (4·D(h/2) − D(h)) / 3 (Richardson's extrapolation), which cancels the
h² term. The table shows that value. A wrong derivative still disagrees.
"""

import math
from dataclasses import dataclass

from .mode import AnomalyError, detect_anomaly, no_grad
from .ops import number
from .value import Value, topological_order
from .written import written, written_op

__all__ = [
    "AnomalyError",
    "GradcheckError",
    "check_every_node",
    "detect_anomaly",
    "gradcheck",
    "gradgradcheck",
    "numerical_grad",
]


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message is a table."""

    def __init__(self, message, rows=(), worst=None, kinks=(), node=None):
        super().__init__(message)
        self.rows = list(rows)  # one Comparison per input (or input pair)
        self.worst = worst  # name of the input with the largest error
        self.kinks = list(kinks)  # descriptions of kinks the perturbation crossed
        self.node = node  # check_every_node: the node whose local derivative is wrong


@dataclass(frozen=True)
class Comparison:
    """One row of a check's table: a derivative, analytic and numeric."""

    name: str
    analytic: float
    numeric: float
    close: bool

    @property
    def abs_err(self):
        return abs(self.analytic - self.numeric)

    @property
    def rel_err(self):
        if self.numeric:
            return self.abs_err / abs(self.numeric)
        return math.inf if self.abs_err else 0.0


def numerical_grad(f, xs, *, eps=1e-6):
    """∂f/∂xᵢ for each input by central differences (f gets Values, under no_grad)."""
    point = _floats(xs)
    return [_central(lambda p: _evaluate(f, p), point, i, eps) for i in range(len(point))]


def gradcheck(f, xs, *, eps=1e-6, atol=1e-6, rtol=1e-4, raise_exception=True):
    """Whether f's gradients at xs match central differences; raise a table if not."""
    point, names = _floats(xs), _names(xs)
    analytic = _analytic_grad(f, point, names)
    numeric = numerical_grad(f, point, eps=eps)
    for i, (a, m) in enumerate(zip(analytic, numeric)):
        if not _close(a, m, atol, rtol):
            numeric[i] = _extrapolated(lambda p: _evaluate(f, p), point, i, eps, m)
    rows = [_compare(n, a, m, atol, rtol) for n, a, m in zip(names, analytic, numeric)]
    moved = list(range(len(rows)))
    return _verdict("gradcheck", f, point, names, rows, moved, eps, atol, rtol, raise_exception)


def gradgradcheck(f, xs, *, eps=1e-6, atol=1e-6, rtol=1e-4, raise_exception=True):
    """Whether f's second derivatives (create_graph path) match differences of its grads."""
    from .functional import hessian

    point, names = _floats(xs), _names(xs)
    analytic = hessian(f)(*point)
    grad = lambda p: _analytic_grad(f, p, names)
    columns = [_central(grad, point, j, eps) for j in range(len(point))]  # ∂(grad f)/∂xⱼ
    for j, column in enumerate(columns):
        if not all(_close(analytic[i][j], m, atol, rtol) for i, m in enumerate(column)):
            columns[j] = _extrapolated(grad, point, j, eps, column)
    rows = [
        _compare(f"∂²/∂{name_i}∂{name_j}", analytic[i][j], columns[j][i], atol, rtol)
        for j, name_j in enumerate(names)
        for i, name_i in enumerate(names)
    ]
    moved = [j for j in range(len(names)) for _ in names]
    return _verdict("gradgradcheck", f, point, names, rows, moved, eps, atol, rtol, raise_exception)


def check_every_node(root, *, eps=1e-6, atol=1e-6, rtol=1e-4, raise_exception=True):
    """Test each node's local derivatives against its op's forward, leaves first.

    Raise at the first node whose row's rule disagrees with central differences
    of the row's forward function (the error's .node is that node). Nodes made
    by hand without an op row, and inputs sitting at a kink, are skipped.
    """
    for node in topological_order(root):
        row = node._row
        if not node._prev or row is None or node._custom_backward is not None:
            continue
        inputs = [x.data for x in node._prev]
        analytic = row.local_grads(*inputs, node.data)
        names = tuple(written(x) for x in node._prev)
        comparisons = []
        for i, name in enumerate(names):
            if i in row.constant_inputs or (i == 0 and _near_kink(row, inputs[0], eps)):
                continue
            try:
                numeric = _central(lambda p, op=row: op.forward(*p), inputs, i, eps)
            except (ArithmeticError, ValueError):
                continue  # the step leaves the op's domain: nothing to compare
            comparisons.append(_compare(name, float(analytic[i]), numeric, atol, rtol))
        if all(c.close for c in comparisons):
            continue
        where = f"{node.label} = " if node.label else ""
        worst = max((c for c in comparisons if not c.close), key=lambda c: c.abs_err)
        message = (
            f"check_every_node: the local derivative of {where}{written_op(row, node._prev)} "
            f"(op {row.name}) is wrong for input {worst.name}\n{_table(comparisons, worst)}"
        )
        if raise_exception:
            raise GradcheckError(message, comparisons, worst.name, node=node)
        return False
    return True


# ---- helpers ----


def _floats(xs):
    point = [number(x) for x in xs]
    if None in point:
        bad = xs[point.index(None)]
        raise TypeError(f"the point must hold numbers or Values, not {type(bad).__name__}")
    return point


def _names(xs):
    return [x.label if isinstance(x, Value) and x.label else f"x{i}" for i, x in enumerate(xs)]


def _evaluate(f, point):
    with no_grad():
        return float(_output(f, f(*[Value(x) for x in point])))


def _analytic_grad(f, point, names):
    leaves = [Value(x, label=name) for x, name in zip(point, names)]
    _output(f, f(*leaves)).backward()
    return [float(leaf.grad) for leaf in leaves]


def _output(f, out):
    if isinstance(out, Value):
        return out
    name = getattr(f, "__name__", "f")
    raise TypeError(f"{name} must return a Value, not {type(out).__name__} {out!r}")


def _step(x, eps):
    return eps * max(1.0, abs(x))


def _central(g, point, i, eps):
    """(g(x + h·eᵢ) − g(x − h·eᵢ)) / 2h; g returns a number or a list of numbers."""
    h = _step(point[i], eps)
    up, down = list(point), list(point)
    up[i] += h
    down[i] -= h
    try:
        above, below = g(up), g(down)
    except (ArithmeticError, ValueError) as error:
        raise type(error)(
            f"central difference at input {i} = {point[i]!r} ± {h:.3g} left the domain: {error}"
        ) from None
    if isinstance(above, list):
        return [(a - b) / (2 * h) for a, b in zip(above, below)]
    return (above - below) / (2 * h)


def _extrapolated(g, point, i, eps, coarse):
    """Richardson's (4·D(h/2) − D(h)) / 3 from coarse = D(h): no h² error term."""
    fine = _central(g, point, i, eps / 2)
    if isinstance(fine, list):
        return [(4 * b - a) / 3 for a, b in zip(coarse, fine)]
    return (4 * fine - coarse) / 3


def _close(analytic, numeric, atol, rtol):
    return abs(analytic - numeric) <= atol + rtol * abs(numeric)


def _compare(name, analytic, numeric, atol, rtol):
    return Comparison(name, analytic, numeric, _close(analytic, numeric, atol, rtol))


def _verdict(check, f, point, names, rows, moved, eps, atol, rtol, raise_exception):
    """True, or a table; moved[k] is the input whose step made rows[k]'s numeric value."""
    bad = [k for k, row in enumerate(rows) if not row.close]
    if not bad:
        return True
    kinks = {i: _kinks_crossed(f, point, i, eps) for i in sorted({moved[k] for k in bad})}
    wrong = [rows[k] for k in bad if not kinks[moved[k]]]
    worst = max(wrong or [rows[k] for k in bad], key=lambda row: row.abs_err)
    if wrong:
        headline = f"{check}: analytic and numeric derivatives disagree; worst: {worst.name}"
    else:
        headline = (
            f"{check}: the point sits at a kink, where the derivative is undefined and "
            "differences mean nothing; choose a point away from it:"
        )
    notes = [f"{names[i]} = {point[i]!r}: {kink}" for i, found in kinks.items() for kink in found]
    kinked = {rows[k].name for k in bad if kinks[moved[k]]}
    settings = f"(eps={eps}, atol={atol}, rtol={rtol})"
    lines = [headline, *(f"  {note}" for note in notes), _table(rows, worst, kinked), settings]
    message = "\n".join(lines)
    if raise_exception:
        raise GradcheckError(message, rows, worst.name, notes if not wrong else ())
    return False


def _table(rows, worst, kinked=()):
    width = max(len("input"), *(len(row.name) for row in rows))
    header = f"{'analytic':>14} {'numeric':>14} {'abs err':>9} {'rel err':>9}"
    lines = [f"{'input':<{width}}    {header}"]
    for row in rows:
        mark = "<-" if row is worst else "  " if row.close else "⋀ " if row.name in kinked else "✗ "
        lines.append(
            f"{row.name:<{width}} {mark} {row.analytic:>14.8g} {row.numeric:>14.8g} "
            f"{row.abs_err:>9.2e} {row.rel_err:>9.2e}"
        )
    return "\n".join(lines)


def _kinks_crossed(f, point, i, eps):
    """Kinks (relu, abs at 0) that moving input i by ±h moves across or away from."""
    h = _step(point[i], eps)
    graphs = []
    for shift in (-h, 0.0, h):
        moved = list(point)
        moved[i] += shift
        try:
            graphs.append(topological_order(_output(f, f(*[Value(x) for x in moved]))))
        except (ArithmeticError, ValueError, AttributeError):
            return []
    if len({len(nodes) for nodes in graphs}) != 1:
        return []  # the graph changed shape: nodes cannot be matched up
    crossed = []
    for nodes in zip(*graphs):
        row = nodes[1]._row
        for kink in row.kinks if row is not None else ():
            inputs = [node._prev[0].data for node in nodes]
            sides = {_sign(x - kink) for x in inputs}
            if len(set(inputs)) > 1 and (len(sides) > 1 or 0 in sides):
                at = nodes[1]._prev[0].data
                crossed.append(
                    f"{written_op(row, nodes[1]._prev)} has a kink at {kink!r} (input {at!r})"
                )
    return crossed


def _near_kink(row, x, eps):
    return any(abs(x - kink) <= _step(x, eps) for kink in row.kinks)


def _sign(x):
    return (x > 0) - (x < 0)
