"""The table of primitive ops: one row per op, read by everything else.

A row says, once, everything about an op: its name and drawn symbol, its
arity, the forward function on floats, its local partial derivatives, a human
formula for each of those partials, and its domain. `Value`'s operators,
`backward`, derivations, drawings and the hypothesis strategies all read it.

Local-derivative rules receive the inputs and the output, and use only
arithmetic and the helpers of rules.py, so one rule serves the fast float
path (`backward()`), the Value path (`backward(create_graph=True)`), which
builds the graph of the derivative for higher-order gradients, and
autograd.compile's replay on arrays over a batch. A row's
domain is where its forward is defined, and the forward enforces it (math's
error class, naming the op and the value); inside it the rules are total, so
backward() never raises where the forward succeeded.
"""

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .rules import (  # noqa: F401  (Node, is_value, number, and the helpers, read from here too)
    Node,
    cos,
    data_of,
    exp,
    is_value,
    log,
    math_forward,
    number,
    power,
    sin,
    where,
)

Inputs = tuple[float, ...]


@dataclass(frozen=True)
class Op:
    """One primitive op: a row of the table."""

    name: str  # "mul": the row's key
    symbol: str  # "*": how the op node is drawn (Value._op)
    arity: int  # number of inputs; 0 means any number (the fused neuron)
    forward: Callable[..., float]  # floats in, float out; math's errors outside the domain
    local_grads: Callable[..., tuple]  # (*inputs, out) -> (∂out/∂input for each input)
    expr: str  # how the output is written: "{x}·{y}" ({x}, {y} are the inputs; see fill())
    grad_text: tuple[str, ...]  # ∂out/∂input per input, in words: ("{y}", "{x}")
    expr_latex: str
    grad_latex: tuple[str, ...]
    # Where forward is defined: forward raises math's error outside it, and
    # local_grads is total inside it (±inf at a pole, nan off the reals).
    domain: Callable[..., bool] | None = None  # inputs -> defined?  None: everywhere
    domain_text: str = ""  # the same, for people: "x > 0"
    kinks: tuple[float, ...] = ()  # first-input points with no derivative (relu at 0)
    bound: float = 1e6  # |inputs| that test strategies draw within
    constant_inputs: tuple[int, ...] = field(default=())  # inputs that never get grad
    # (inputs, grad): input.grad += grad·∂out/∂input for each input, on floats.
    # An optional faster path for backward() than calling local_grads, for a
    # row with many inputs; it must add the same numbers in the same order.
    accumulate: Callable[..., None] | None = None

    def __repr__(self):
        return f"Op({self.name!r})"


def _sigmoid(x):
    # Two forms, so exp never overflows: sigmoid(-1000) is 0.0, not an error.
    z = exp(-abs(x))  # e^−x for x ≥ 0, e^x below: at most 1
    return where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _relu(x):
    return where(x <= 0, 0.0, x)  # nan passes through, as in PyTorch


def _relu_grads(x, out):
    return (where(x <= 0, 0.0, 1.0),)


def _abs_grads(x, out):
    return (where(x > 0, 1.0, where(x < 0, -1.0, 0.0)),)


def _sqrt_grad(x, out):
    return (where(data_of(out) == 0, math.inf, lambda: 0.5 / out),)


def _pow_grads(x, k, out):
    # k·x^(k−1); 0 where k = 0 (as PyTorch), +inf at 0 for 0 < k < 1.
    return where(data_of(k) == 0, 0.0, lambda: k * power(x, k - 1)), 0.0


def _pow_var_grads(x, y, out):
    # As PyTorch: ∂/∂x is 0 where y = 0, ∂/∂y is 0 where x = 0 and y ≥ 0
    # (0 ** y is 0 or 1 there), and x^y·ln x is nan for x < 0.
    dx = where(data_of(y) == 0, 0.0, lambda: y * power(x, y - 1))
    at_zero = (data_of(x) == 0) & (data_of(y) >= 0)
    dy = where(at_zero, 0.0, lambda: out * log(x))
    return dx, dy


def _pow_domain(x, k):
    # Where math.pow is defined (it raises elsewhere): a negative base needs
    # a whole exponent, and 0 a non-negative one.
    return x > 0 or (x == 0 and k >= 0) or (x < 0 and float(k).is_integer())


def _linear_forward(*inputs):
    # b + w0·x0 + w1·x1 + …, summed in the order of the expanded neuron.
    n = len(inputs) // 2
    return sum(map(operator.mul, inputs[:n], inputs[n : 2 * n]), inputs[-1])


def _linear_grads(*inputs_and_out):
    inputs = inputs_and_out[:-1]
    n = len(inputs) // 2
    return (*inputs[n : 2 * n], *inputs[:n], 1.0)


def _linear_accumulate(inputs, grad):
    # ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1, as _linear_grads, without its tuple.
    n = len(inputs) // 2
    ws, xs = inputs[:n], inputs[n : 2 * n]
    for w, x in zip(ws, xs):
        w.grad += grad * x.data
    for w, x in zip(ws, xs):
        x.grad += grad * w.data
    inputs[-1].grad += grad


ADD = Op(
    "add", "+", 2, lambda x, y: x + y, lambda x, y, out: (1.0, 1.0),
    "{x} + {y}", ("1", "1"), "{x} + {y}", ("1", "1"),
)  # fmt: skip
SUB = Op(
    "sub", "-", 2, lambda x, y: x - y, lambda x, y, out: (1.0, -1.0),
    "{x} − {y}", ("1", "−1"), "{x} - {y}", ("1", "-1"),
)  # fmt: skip
MUL = Op(
    "mul", "*", 2, lambda x, y: x * y, lambda x, y, out: (y, x),
    "{x}·{y}", ("{y}", "{x}"), "{x} \\cdot {y}", ("{y}", "{x}"),
)  # fmt: skip
DIV = Op(
    "div", "/", 2, lambda x, y: x / y, lambda x, y, out: (1.0 / y, -out / y),
    "{x} ÷ {y}", ("1/{y}", "−{x}/{y}²"),
    "\\frac{{x}}{{y}}", ("\\frac{1}{{y}}", "-\\frac{{x}}{{y}^2}"),
    domain=lambda x, y: y != 0, domain_text="y ≠ 0",
)  # fmt: skip
NEG = Op(
    "neg", "neg", 1, lambda x: -x, lambda x, out: (-1.0,),
    "−{x}", ("−1",), "-{x}", ("-1",),
)  # fmt: skip
POW = Op(
    "pow", "**", 2, math_forward("pow", 2), _pow_grads,
    "{x}^{y}", ("{y}·{x}^({y}−1)", "0 (constant exponent)"),
    "{x}^{{y}}", ("{y} \\cdot {x}^{{y} - 1}", "0"),
    domain=_pow_domain, domain_text="x > 0, or x = 0 and k ≥ 0, or x < 0 and k a whole number",
    bound=10.0, constant_inputs=(1,),
)  # fmt: skip
POW_VAR = Op(
    "pow_var", "**", 2, math_forward("pow", 2), _pow_var_grads,
    "{x}^{y}", ("{y}·{x}^({y}−1)", "{x}^{y}·ln {x}"),
    "{x}^{{y}}", ("{y} \\cdot {x}^{{y} - 1}", "{x}^{{y}} \\ln {x}"),
    domain=_pow_domain, domain_text="x > 0, or x = 0 and y ≥ 0, or x < 0 and y a whole number",
    bound=5.0,
)  # fmt: skip
EXP = Op(
    "exp", "exp", 1, math_forward("exp"), lambda x, out: (out,),
    "exp({x})", ("exp({x})",), "e^{{x}}", ("e^{{x}}",), bound=20.0,
)  # fmt: skip
LOG = Op(
    "log", "log", 1, math_forward("log"), lambda x, out: (1.0 / x,),
    "ln {x}", ("1/{x}",), "\\ln {x}", ("\\frac{1}{{x}}",),
    domain=lambda x: x > 0, domain_text="x > 0",
)  # fmt: skip
TANH = Op(
    "tanh", "tanh", 1, math_forward("tanh"), lambda x, out: (1.0 - out * out,),
    "tanh({x})", ("1 − tanh({x})²",), "\\tanh({x})", ("1 - \\tanh^2({x})",), bound=20.0,
)  # fmt: skip
SIGMOID = Op(
    "sigmoid", "σ", 1, _sigmoid, lambda x, out: (out * (1.0 - out),),
    "σ({x})", ("σ({x})·(1 − σ({x}))",),
    "\\sigma({x})", ("\\sigma({x})\\,(1 - \\sigma({x}))",), bound=20.0,
)  # fmt: skip
RELU = Op(
    "relu", "ReLU", 1, _relu, _relu_grads,
    "relu({x})", ("1 if {x} > 0 else 0",),
    "\\mathrm{relu}({x})", ("\\mathbb{1}[{x} > 0]",), kinks=(0.0,),
)  # fmt: skip
SIN = Op(
    "sin", "sin", 1, math_forward("sin"), lambda x, out: (cos(x),),
    "sin({x})", ("cos({x})",), "\\sin {x}", ("\\cos {x}",), bound=100.0,
)  # fmt: skip
COS = Op(
    "cos", "cos", 1, math_forward("cos"), lambda x, out: (-sin(x),),
    "cos({x})", ("−sin({x})",), "\\cos {x}", ("-\\sin {x}",), bound=100.0,
)  # fmt: skip
SQRT = Op(
    "sqrt", "√", 1, math_forward("sqrt"), _sqrt_grad,
    "√{x}", ("1/(2·√{x})",), "\\sqrt{{x}}", ("\\frac{1}{2\\sqrt{{x}}}",),
    domain=lambda x: x >= 0, domain_text="x ≥ 0",
)  # fmt: skip
ABS = Op(
    "abs", "abs", 1, abs, _abs_grads,
    "|{x}|", ("sign({x})",), "|{x}|", ("\\operatorname{sign}({x})",), kinks=(0.0,),
)  # fmt: skip
LINEAR = Op(
    "linear", "Σwx+b", 0, _linear_forward, _linear_grads,
    "Σ wᵢ·xᵢ + b", ("xᵢ", "wᵢ", "1"), "\\sum_i w_i x_i + b", ("x_i", "w_i", "1"),
    accumulate=_linear_accumulate,
)  # fmt: skip

ROWS = (
    ADD, SUB, MUL, DIV, NEG, POW, POW_VAR, EXP, LOG,
    TANH, SIGMOID, RELU, SIN, COS, SQRT, ABS, LINEAR,
)  # fmt: skip
OPS: dict[str, Op] = {op.name: op for op in ROWS}


def in_domain(op: Op, inputs: Inputs) -> bool:
    """Whether op is defined at these inputs."""
    return op.domain is None or bool(op.domain(*inputs))


def linear_roles(n_inputs: int, i: int) -> tuple[str, int]:
    """Input i of the fused neuron is ("w", j), ("x", j) or ("b", 0)."""
    n = (n_inputs - 1) // 2
    if i == n_inputs - 1:
        return "b", 0
    return ("w", i) if i < n else ("x", i - n)


def formula(op: Op, i: int, names: tuple[str, ...], *, latex: bool = False) -> str:
    """∂out/∂input_i written with the inputs' names, e.g. `1 − tanh(n)²`."""
    if op.arity == 0:
        role, j = linear_roles(len(names), i)
        n = (len(names) - 1) // 2
        partner = {"w": n + j, "x": j}.get(role)
        return "1" if partner is None else names[partner]
    return fill((op.grad_latex if latex else op.grad_text)[i], *names[:2])


def expression(op: Op, names: tuple[str, ...], *, latex: bool = False) -> str:
    """The output written with the inputs' names, e.g. `a·b` or `tanh(n)`."""
    if op.arity == 0:
        n = (len(names) - 1) // 2
        terms = [f"{names[j]}·{names[n + j]}" for j in range(n)] + [names[-1]]
        return " + ".join(terms) if not latex else " + ".join(terms).replace("·", " \\cdot ")
    return fill(op.expr_latex if latex else op.expr, *names[:2])


def fill(template: str, x: str, y: str = "") -> str:
    """template with {x} and {y} replaced by x and y; everything else as written.

    Braces are LaTeX's own (`\\frac{1}{{x}}` is 1 over x): no doubling, as
    str.format would need, so a row's LaTeX is written as LaTeX is.
    """
    return _PLACEHOLDER.sub(lambda slot: x if slot[1] == "x" else y, template)


_PLACEHOLDER = re.compile(r"\{([xy])\}")
