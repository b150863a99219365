"""The numpy backend: the program's groups (plan.py) run on float64 arrays over the batch.

A step's row is called once per group, on stacked rows of the value table
(one column per example), so a layer of neurons costs a few array ops, not a
Python object per node and example. Rules are the op table's own, which
work on arrays (see ops.py); a row of your own whose rules do not is run
element by element (plan time finds out, by calling it on two copies of the
traced example and comparing with its float result).
"""

import numpy as np

from .plan import NODE, PARAMETER, Plan
from .probe import CONSTANT, INPUT
from .python_backend import Replayed


class NumpyBackend:
    name = "numpy"

    def __init__(self, program):
        self.program = program
        self.plan = Plan(program)
        self._rules = {}  # row -> (forward, local_grads) that take arrays

    def run(self, flat, size, parameters, grads=True, per_example=False):
        """(outputs, gradients summed over the batch) for flat columns of size examples."""
        plan = self.plan
        with np.errstate(all="ignore"):
            table = np.empty((plan.rows, size))
            if plan.arguments:
                table[: plan.arguments] = flat
            params = np.asarray(parameters, dtype=np.float64)
            for group in plan.groups:
                forward, _ = self._array_rules(group.row)
                table[group.out] = forward(*self._inputs(group, table, params))
            outputs = self._root(table, params, size)
            if not grads:
                return Replayed(outputs, None, table)
            param_grads, grad = self._backward(table, params, size, per_example)
        if per_example:
            param_grads = param_grads.T
        return Replayed(outputs, param_grads, table, grad)

    def _root(self, table, params, size):
        kind, index = self.plan.root
        if kind == "parameter":
            return np.full(size, params[index])
        return table[index].copy()

    def _inputs(self, group, table, params):
        return [_gather(source, table, params) for source in group.inputs]

    def _backward(self, table, params, size, per_example):
        plan = self.plan
        grad = np.zeros_like(table)
        shape = (len(params), size) if per_example else (len(params),)
        param_grads = np.zeros(shape)
        kind, index = plan.root
        if kind == "parameter":
            param_grads[index] += 1.0 if per_example else size
            return param_grads, grad
        grad[index] = 1.0
        for group in reversed(plan.groups):
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
                elif per_example:
                    _add(param_grads, source, np.broadcast_to(contribution, upstream.shape))
                else:
                    _add(param_grads, source, _batch_sum(contribution, size))
        return param_grads, grad

    def _array_rules(self, row):
        rules = self._rules.get(row)
        if rules is None:
            step = next(s for g in self.plan.groups if g.row is row for s in g.steps)
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
    if source.kind == NODE:
        return table[source.index]
    if source.kind == PARAMETER:
        return params[source.index][:, None]
    return np.asarray(source.index, dtype=np.float64)[:, None]


def _times(upstream, local, inputs, out, locals_, i):
    if local.kind == CONSTANT:
        value = local.value
        if isinstance(value, list):
            return upstream * np.asarray(value)[:, None]
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
    if source.unique:
        target[source.index] += contribution
    else:
        np.add.at(target, source.index, contribution)
