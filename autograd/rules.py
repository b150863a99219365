"""What rules are written with: nodes, numbers and total helpers for floats, Values and arrays.

A row's rules (ops.py) use only arithmetic and these helpers, so one rule
serves the fast float path (`backward()`), the Value path
(`backward(create_graph=True)`, which builds the graph of the derivative for
higher-order gradients) and autograd.compile's numpy replay, which calls it
once on a whole batch of float64 arrays. This module, like ops.py, imports
only the standard library.
"""

import math
from numbers import Real

# What counts as a graph node, and the one way an operand becomes a float.


class Node:
    """The base of graph nodes: `is_value` is the one test of "is a Value"."""

    __slots__ = ()


def is_value(x):
    """Whether x is a graph node (a Value, or a subclass of it) rather than a number."""
    return isinstance(x, Node)


def number(x):
    """The float that operand x stands for (a Value's data, or a real number), else None."""
    if type(x) is float:
        return x
    if isinstance(x, Node):
        return x.data
    if isinstance(x, Real):
        return float(x)
    return None


# Helpers for rules. Each works on floats, on Values and on arrays alike, so
# a rule written with them serves the fast float path, the create_graph path
# (it is differentiable again on Values) and autograd.compile's numpy replay
# (one call for a whole batch). An array is anything with the Array API's
# `__array_namespace__()` (numpy ≥ 2 arrays): its operations come from that
# module, so this file imports only the standard library. They are total, as
# IEEE arithmetic and PyTorch are: where the forward succeeded, a derivative
# is a number, ±inf at a pole or nan off the reals, never an exception, and
# detect_anomaly() is what turns those into errors. (A Value-path result off
# the reals is a constant: nan has no slope.)


def array_module(*xs):
    """The array module (numpy) of the first array among xs; None for numbers and Values."""
    for x in xs:
        if type(x) is not float:
            namespace = getattr(type(x), "__array_namespace__", None)
            if namespace is not None:
                return namespace(x)
    return None


def data_of(x):
    """The number x stands for, as rules compare it: a Value's data; a number or array as is."""
    return x.data if isinstance(x, Node) else x


def where(condition, x, y):
    """x where condition holds, else y: one of them for a bool, elementwise for an array.

    A branch that must not be computed where it is not taken (it would divide
    by zero, or build nodes for nothing on the Value path) is given as a
    function of no arguments; an array computes both and picks per element.
    """
    if type(condition) is bool or array_module(condition) is None:
        taken = x if condition else y
        return taken() if callable(taken) else taken
    x, y = (x() if callable(x) else x), (y() if callable(y) else y)
    return array_module(condition).where(condition, x, y)


def exp(x):
    if type(x) is float:
        return math.exp(x)
    return x.exp() if is_value(x) else _elementwise("exp", x)


def log(x):
    """ln x; −inf at 0 and nan below, where math.log would raise."""
    if type(x) is not float and not is_value(x) and array_module(x) is not None:
        return array_module(x).log(x)  # IEEE already: −inf at 0, nan below
    if number(x) > 0:
        return x.log() if is_value(x) else math.log(x)
    return _constant(x, -math.inf if number(x) == 0 else math.nan)


def sin(x):
    if type(x) is float:
        return math.sin(x)
    return x.sin() if is_value(x) else _elementwise("sin", x)


def cos(x):
    if type(x) is float:
        return math.cos(x)
    return x.cos() if is_value(x) else _elementwise("cos", x)


def _elementwise(name, *xs):
    """math.name of numbers (with math's errors outside its domain); the
    array module's name of arrays (IEEE there: nan, ±inf, never an error)."""
    module = array_module(*xs)
    return getattr(math, name)(*xs) if module is None else getattr(module, name)(*xs)


def power(x, k):
    """x ** k; ±inf where it overflows or at a pole (0 ** −1), nan off the reals."""
    if type(x) is not float and not is_value(x) and array_module(x, k) is not None:
        return array_module(x, k).pow(x, k)  # IEEE already, as C's pow
    try:
        out = math.pow(number(x), number(k))
    except (OverflowError, ValueError):
        return _constant(x, _ieee_pow(number(x), number(k)))
    return x**k if is_value(x) or is_value(k) else out


def _ieee_pow(x, k):
    # math.pow raised: the IEEE 754 result, as C's pow and PyTorch give it.
    odd = k.is_integer() and k % 2 == 1
    if x == 0:  # a pole: k < 0
        return math.copysign(math.inf, x) if odd else math.inf
    if x < 0 and not k.is_integer():
        return math.nan
    big = (abs(x) > 1) == (k > 0)  # overflow (else underflow, which math.pow does not raise)
    return (-math.inf if x < 0 and odd else math.inf) if big else 0.0


def _constant(like, x):
    return type(like)(x) if is_value(like) else x


def math_forward(name, arity=1):
    """The forward of a row computed by math.name: floats or arrays in (see _elementwise)."""
    on_floats = getattr(math, name)
    if arity == 1:

        def forward(x):
            return on_floats(x) if type(x) is float else _elementwise(name, x)

    else:

        def forward(x, y):
            if type(x) is float and type(y) is float:
                return on_floats(x, y)
            return _elementwise(name, x, y)

    forward.__name__ = forward.__qualname__ = name
    return forward
