"""Derivatives as functions, named as in JAX: grad, value_and_grad, hessian.

`grad(f)` is a new Python function that returns ∂f/∂x as a Value carrying a
graph of its own, so it can be differentiated again: `grad(grad(f))`. The
grads are computed on the `create_graph=True` path of backward() and read off
without touching the `.grad` of the caller's Values.
"""

from numbers import Real

from .backward import chain_rule
from .mode import enable_grad, no_grad
from .value import Value, topological_order

__all__ = ["detach", "grad", "hessian", "no_grad", "value_and_grad"]


def grad(f, argnums=0):
    """The function computing ∂f/∂(argument argnums) as a Value (a tuple for several)."""
    value_and_grad_f = value_and_grad(f, argnums)

    def grad_f(*args):
        return value_and_grad_f(*args)[1]

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return grad_f


def value_and_grad(f, argnums=0):
    """The function returning (f(*args), ∂f/∂args[argnums]) in one pass."""
    several = not isinstance(argnums, int)
    positions = tuple(argnums) if several else (argnums,)
    name = getattr(f, "__name__", "f")

    def value_and_grad_f(*args):
        args = list(args)
        for i in positions:
            if not isinstance(i, int) or not -len(args) <= i < len(args):
                raise ValueError(
                    f"grad of {name}: argnums {i!r} is out of range for "
                    f"{len(args)} argument(s) (valid: 0 to {len(args) - 1})"
                )
        with enable_grad():
            inputs = []
            for i in positions:
                # A fresh node per argument: a partial counts no path through another
                # argument, even when one is computed from (or is) the other.
                x = args[i]
                if isinstance(x, Value):
                    args[i] = x + 0.0
                    args[i].label = x.label
                else:
                    args[i] = _as_input(x, name, i)
                inputs.append(args[i])
            out = _check_output(f(*args), name)
            grads = _grads(out, inputs, create_graph=True)
        return out, tuple(grads) if several else grads[0]

    return value_and_grad_f


def hessian(f, argnums=None):
    """The function returning ∂²f/∂xᵢ∂xⱼ as floats.

    argnums=None (the default): the matrix over all arguments, as
    torch.autograd.functional.hessian gives it. An int or a tuple picks
    arguments as in JAX, whose own default is argnums=0: an int gives the
    one number ∂²f/∂x², a tuple the matrix over those arguments.
    """
    name = getattr(f, "__name__", "f")

    def hessian_f(*args):
        inputs = [_as_input(x, name, i) for i, x in enumerate(args)]
        inputs = [Value(x.data, label=x.label) for x in inputs]  # fresh leaves
        positions = _positions(argnums, len(inputs), name)
        chosen = [inputs[i] for i in positions]
        with enable_grad():
            first = _grads(_check_output(f(*inputs), name), chosen, create_graph=True)
            matrix = [[float(g) for g in _grads(row, chosen)] for row in first]
        return matrix[0][0] if isinstance(argnums, int) else matrix

    return hessian_f


def _positions(argnums, count, name):
    """The argument positions argnums picks (None: all), each checked to be in range."""
    if argnums is None:
        return list(range(count))
    positions = [argnums] if isinstance(argnums, int) else list(argnums)
    for i in positions:
        if isinstance(i, bool) or not isinstance(i, int) or not -count <= i < count:
            raise ValueError(
                f"hessian of {name}: argnums {i!r} is out of range for "
                f"{count} argument(s) (valid: 0 to {count - 1})"
            )
    return positions


def detach(x):
    """x's data as a new leaf with no history (numbers pass through unchanged)."""
    return x.detach() if isinstance(x, Value) else x


def _grads(out, inputs, *, create_graph=False):
    """∂out/∂input for each input, by backward()'s chain rule run on a table of
    its own: no node's .grad is touched, and no graph-carrying grad is left
    on a node, so nothing here makes a reference cycle."""
    order = topological_order(out)
    grads = dict.fromkeys(order, 0.0)
    grads[out] = Value(1.0) if create_graph else 1.0
    for _ in chain_rule(order, grads, create_graph=create_graph):
        pass
    results = [grads.get(x, 0.0) for x in inputs]
    if create_graph:  # a Value always, so the result can be differentiated again
        return [g if isinstance(g, Value) else Value(g) for g in results]
    return results


def _as_input(x, name, i):
    if isinstance(x, Value):
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return Value(x)
    raise TypeError(
        f"grad of {name}: argument {i} must be a number or a Value, not {type(x).__name__}"
    )


def _check_output(out, name):
    if isinstance(out, Value):
        return out
    if isinstance(out, list | tuple | dict | set):
        raise TypeError(
            f"grad of {name}: f returned a {type(out).__name__} of {len(out)} items; "
            "grad needs one scalar Value (differentiate one item, or their sum)"
        )
    raise TypeError(
        f"grad of {name}: f must return a Value, but returned {type(out).__name__} {out!r}"
        " (a result computed from plain numbers has no graph to differentiate)"
    )
