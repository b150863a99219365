"""A safe expression parser: text like `tanh(w*x + b)` into a graph of Values.

The text is parsed with Python's `ast` and walked through a whitelist: numbers,
variable names, `+ - * / **`, unary minus and plus, and calls of the op
table's one-input functions (`tanh`, `exp`, `log`, `sigmoid`, `relu`, `sin`,
`cos`, `sqrt`, `abs`). Nothing is ever evaluated as Python. Everything that
goes wrong, from a syntax error to `log(0)`, is an `ExpressionError` giving
the line and column.
"""

import ast
import math
import unicodedata
import warnings
from itertools import chain, count

from .ops import OPS
from .value import Value

MAX_LENGTH = 10_000  # characters of expression text
MAX_NODES = 2_000  # names, numbers and operations: a clear error, not a huge graph

RESULT_NAMES = ("f", "g", "h")  # the result's name in a derivation: the first no input has
FUNCTIONS = {
    name: (abs if name == "abs" else getattr(Value, name))
    for name, op in OPS.items()
    if op.arity == 1 and name != "neg"
}
_BINARY = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
}
_MATH_ERRORS = (ArithmeticError, ValueError)


class ExpressionError(ValueError):
    """The expression cannot be read or computed; says where (line, column from 1) when
    the problem has a place in the text."""

    def __init__(self, message, line=None, column=None):
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)
        self.line = line
        self.column = column


def result_name(names) -> str:
    """What a derivation calls an expression's result: f, g or h, else f1, f2, …; never a name
    the expression uses (∂f/∂w, not ∂(…)/∂w)."""
    return next(
        name for name in chain(RESULT_NAMES, (f"f{i}" for i in count(1))) if name not in names
    )


def parse(text: str, values: dict[str, float]) -> Value:
    """The Value of `text` with each name bound to a leaf Value labelled with it.

    Every name in `values` must appear in the text and every name in the text
    must be in `values`. Names are compared as Python reads them, NFKC-normalised:
    `ℌ` in the text and in `values` is the name H.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long; at most {MAX_LENGTH}"
        )
    values = _normalised(values)
    tree = _syntax_tree(text)
    nodes = list(ast.walk(tree))
    size = sum(isinstance(node, ast.expr) for node in nodes)
    if size > MAX_NODES:
        raise ExpressionError(f"the expression has {size} terms and operators; at most {MAX_NODES}")
    for node in nodes:
        _check_allowed(node, text)
    functions = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
    used = {n.id for n in nodes if isinstance(n, ast.Name) and id(n) not in functions}
    missing = sorted(used - set(values))
    if missing:
        first = next(n for n in nodes if isinstance(n, ast.Name) and n.id == missing[0])
        raise ExpressionError(f"no value given for {', '.join(missing)}", *_where(first, text))
    extra = sorted(set(values) - used)
    if extra:
        raise ExpressionError(f"values given for names not in the expression: {', '.join(extra)}")
    leaves = {name: Value(_number(name, x), label=name) for name, x in values.items()}
    return _build(tree.body, leaves, text)


def _normalised(values):
    """values with each name NFKC-normalised, as Python normalises the names in the text."""
    named, typed = {}, {}
    for name, x in values.items():
        if not isinstance(name, str):
            raise ExpressionError(f"a name must be text, not {type(name).__name__}: {name!r}")
        key = unicodedata.normalize("NFKC", name)
        if key in named:
            both = f"{typed[key]!r} and {name!r}"
            raise ExpressionError(f"values given twice for {key}: Python reads {both} as {key}")
        named[key], typed[key] = x, name
    return named


def _syntax_tree(text):
    try:
        with warnings.catch_warnings():  # "7if x" warns before it fails: one error, no warning
            warnings.simplefilter("error", SyntaxWarning)
            return ast.parse(text, mode="eval")
    except SyntaxError as error:
        line, column = error.lineno or 1, error.offset or 1
        raise ExpressionError(f"not a valid expression ({error.msg})", line, column) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # null bytes, or nesting deeper than Python's own parser allows
        reason = "it is nested too deeply" if not isinstance(error, ValueError) else error
        raise ExpressionError(f"cannot read the expression: {reason}") from None


def _check_allowed(node, text):
    reason = _refusal(node)
    if reason:
        raise ExpressionError(f"{reason} is not allowed", *_where(node, text))


def _refusal(node):
    """Why this syntax-tree node is off the whitelist, or None."""
    if isinstance(node, ast.Expression | ast.Load | ast.operator | ast.unaryop | ast.Name):
        return None
    if isinstance(node, ast.BinOp):
        ok = type(node.op) in _BINARY or isinstance(node.op, ast.Pow)
        return None if ok else f"the operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        ok = isinstance(node.op, ast.USub | ast.UAdd)
        return None if ok else f"the operator {type(node.op).__name__}"
    if isinstance(node, ast.Constant):
        return None if type(node.value) in (int, float) else f"the constant {node.value!r:.40}"
    if not isinstance(node, ast.Call):
        kinds = {ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "lambda"}
        return kinds.get(type(node), f"{type(node).__name__} syntax")
    known = ", ".join(sorted(FUNCTIONS))
    if not isinstance(node.func, ast.Name):
        return f"this call (only {known} can be called)"
    if node.func.id not in FUNCTIONS:
        return f"the function {node.func.id!r} (known: {known})"
    if _allowed_call(node):
        return None
    return f"{node.func.id}() with anything but one plain argument"


def _allowed_call(node):
    return (
        isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
        and not isinstance(node.args[0], ast.Starred)
    )


def _where(node, text):
    """(line, column) of an ast node, the column counted in characters from 1."""
    line = getattr(node, "lineno", 1)
    offset = getattr(node, "col_offset", 0)
    source = text.splitlines()[line - 1] if text.splitlines() else ""
    column = len(source.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1
    return line, column


def _number(name, x):
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise ExpressionError(f"{name}={x!r} is not a finite number")
    return float(x)


def _build(root, leaves, text):
    """Values for the tree, children first, with an explicit stack (no recursion)."""
    done = {}
    stack = [root]
    while stack:
        node = stack[-1]
        children = [c for c in _operands(node) if id(c) not in done]
        if children:
            stack.extend(children)
            continue
        stack.pop()
        if id(node) not in done:
            done[id(node)] = _value(node, [done[id(c)] for c in _operands(node)], leaves, text)
    return _as_value(done[id(root)])


def _operands(node):
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return node.args
    return []


def _value(node, operands, leaves, text):
    try:
        out = _compute(node, operands, leaves)
    except _MATH_ERRORS as error:
        raise ExpressionError(str(error), *_where(node, text)) from None
    if not math.isfinite(float(out)):
        raise ExpressionError(f"the result overflows to {float(out)}", *_where(node, text))
    return out


def _compute(node, operands, leaves):
    if isinstance(node, ast.Constant):
        return _constant(node.value)  # a plain float until an op needs a Value
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        (x,) = operands
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_as_value(operands[0]))
    x, y = operands
    if isinstance(node.op, ast.Pow):  # x ** 2 keeps 2 a constant exponent (the pow row)
        return _as_value(x) ** (y if isinstance(y, float) else _as_value(y))
    return _BINARY[type(node.op)](_as_value(x), y if isinstance(y, float) else _as_value(y))


def _constant(x):
    number = float(x)  # OverflowError for an int beyond floats
    if not math.isfinite(number):
        raise OverflowError(f"the number {x!r} is too large")
    return number


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)
