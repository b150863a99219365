"""Each row of the op table written in sympy: the independent oracle for its derivatives."""

import sympy

SYMPY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "neg": lambda x: -x,
    "pow": lambda x, k: x**k,
    "pow_var": lambda x, y: x**y,
    "exp": sympy.exp,
    "log": sympy.log,
    "tanh": sympy.tanh,
    "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)),
    "relu": lambda x: sympy.Max(0, x),
    "sin": sympy.sin,
    "cos": sympy.cos,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "linear": lambda *v: sum(w * x for w, x in zip(v[: len(v) // 2], v[len(v) // 2 : -1])) + v[-1],
}
