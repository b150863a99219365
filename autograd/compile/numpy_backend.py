"""The numpy backend: the program's groups (plan.py) run on float64 arrays over the batch.

A step's row is called once per group, on stacked rows of the value table
(one column per example), so a layer of neurons costs a few array ops, not a
Python object per node and example. Rules are the op table's own, which
work on arrays (see ops.py); a row of your own whose rules do not is run
element by element (plan time finds out, by calling it on two copies of the
traced example and comparing with its float result).
"""

import numpy as np

from . import numpy_poly
from .plan import NODE, NUMBER, PARAMETER, Plan, PolyGroup
from .probe import CONSTANT, INPUT
from .python_backend import Replayed


class NumpyBackend:
    name = "numpy"

    def __init__(self, program):
        self.program = program
        self.plan = Plan(program)
        self._rules = {}  # row -> (forward, local_grads) that take arrays

    def run(self, flat, size, parameters, grads=True, per_example=False):
        """(outputs, gradients summed over the batch) for flat columns of size examples;
        per_example: a list of gradients per example instead of their sum."""
        if per_example:
            return self._per_example(flat, size, parameters)
        plan = self.plan
        with np.errstate(all="ignore"):
            table = np.empty((plan.rows, size))
            if plan.arguments:
                table[: plan.arguments] = flat
            params = np.asarray(parameters, dtype=np.float64)
            for group in plan.groups:
                if isinstance(group, PolyGroup):
                    table[group.out] = numpy_poly.forward(group, table, params)
                else:
                    forward, _ = self._array_rules(group.row)
                    table[group.out] = forward(*self._inputs(group, table, params))
            outputs = self._outputs(table, params, size)
            if not grads:
                return Replayed(outputs, None, table)
            param_grads, grad = self._backward(table, params, size)
        return Replayed(outputs, param_grads, table, grad)

    def _per_example(self, flat, size, parameters):
        outputs, grads = [], []
        for b in range(size):
            replayed = self.run([column[b : b + 1] for column in flat], 1, parameters)
            outputs.append(float(replayed.outputs[0]))
            grads.append(replayed.grads.tolist())
        return Replayed(outputs, grads)

    def _outputs(self, table, params, size):
        """(B,) for one output, (B, k) for k of them."""
        rows = [
            np.full(size, params[index]) if kind == PARAMETER else table[index]
            for kind, index in self.plan.outputs
        ]
        return rows[0].copy() if self.program.root is not None else np.stack(rows, axis=1)

    def _inputs(self, group, table, params):
        return [_gather(source, table, params) for source in group.inputs]

    def _backward(self, table, params, size):
        plan = self.plan
        grad = np.zeros_like(table)
        param_grads = np.zeros(len(params))
        ((kind, index),) = plan.outputs
        if kind == PARAMETER:
            param_grads[index] += size
            return param_grads, grad
        grad[index] = 1.0
        for group in reversed(plan.groups):
            if isinstance(group, PolyGroup):
                numpy_poly.backward(group, table, params, grad, param_grads)
                continue
            if not group.grads:
                continue
            upstream = grad[group.out]
            inputs = self._inputs(group, table, params)
            out = table[group.out]
            locals_ = None
            if group.calls_rule:
                _, local_grads = self._array_rules(group.row)
                locals_ = local_grads(*inputs, out)
            for i, local in group.grads.items():
                contribution = _times(upstream, local, inputs, out, locals_, i)
                source = group.inputs[i]
                if source.kind == NODE:
                    _add(grad, source, contribution)
                else:
                    _add(param_grads, source, _batch_sum(contribution, size))
        return param_grads, grad

    def _array_rules(self, row):
        rules = self._rules.get(row)
        if rules is None:
            step = next(s for g in self.plan.groups if getattr(g, "row", None) is row
                        for s in g.steps)  # fmt: skip
            if _takes_arrays(row, step):
                rules = (row.forward, row.local_grads)
            else:  # a rule of floats only: run it per element
                rules = (_per_element(row.forward), _per_element(row.local_grads, many=True))
            rules = self._rules[row] = rules
        return rules


def _takes_arrays(row, step):
    """Whether row's rules give on arrays what they give on floats, at the traced example."""
    xs = [x if type(x) is float else x.data for x in step.inputs]
    twice = [np.array([x, x]) for x in xs]
    try:
        out = row.forward(*xs)
        locals_ = row.local_grads(*xs, out)
        with np.errstate(all="ignore"):
            out_twice = row.forward(*twice)
            locals_twice = row.local_grads(*twice, np.array([out, out]))
        pairs = [(out, out_twice), *zip(locals_, locals_twice)]
        return len(locals_twice) == len(locals_) and all(
            np.shape(b) in ((), (1,), (2,))
            and np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)
            for a, b in pairs
        )
    except Exception:
        return False


def _per_element(rule, many=False):
    """rule, which takes floats, run on every element of broadcast arrays."""

    def run(*arrays):
        arrays = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in arrays])
        shape = arrays[0].shape
        results = [rule(*xs) for xs in zip(*[a.ravel().tolist() for a in arrays])]
        if not many:
            return np.array(results, dtype=np.float64).reshape(shape)
        return tuple(np.array(c, dtype=np.float64).reshape(shape) for c in zip(*results))

    return run


def _gather(source, table, params):
    """(n, examples) rows of the table, (n, 1) parameters or numbers; (1, …) if all alike."""
    if source.kind == NUMBER:
        return source.index
    if source.shared is not None:
        return table[source.shared : source.shared + 1] if source.kind == NODE else (
            params[source.shared : source.shared + 1, None])  # fmt: skip
    if source.kind == NODE:
        return table[source.index]
    return params[source.index][:, None]


def _times(upstream, local, inputs, out, locals_, i):
    if local.kind == CONSTANT:
        value = local.value
        if isinstance(value, np.ndarray):
            return upstream * value
        return upstream if value == 1.0 else -upstream if value == -1.0 else upstream * value
    if local.kind == INPUT:
        factor = out if local.value == len(inputs) else inputs[local.value]
        return upstream * factor
    return upstream * locals_[i]


def _batch_sum(contribution, size):
    if np.ndim(contribution) == 2 and contribution.shape[1] == size:
        return contribution.sum(axis=1)
    return np.broadcast_to(contribution, (np.shape(contribution)[0], size)).sum(axis=1)


def _add(target, source, contribution):
    """Add one contribution per step (rows of contribution) into the rows source reads."""
    if source.shared is not None:
        target[source.shared] += contribution.sum(axis=0)
    else:
        source.scatter.add(target, contribution)
