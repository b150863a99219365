"""Sums of products on arrays: a group of them as matrix products (see poly.py, plan.py).

A block holds k terms of each of n sums: c·a·b (a product) or c·a. Where
every sum reads the same k rows of the table for b, and a is a parameter
(a layer of neurons), the block is a matrix product W @ X; otherwise its
operands are gathered as (k, n, examples) and contracted with einsum. The
backward gives each factor c·(upstream)·(the other factor), as mul's rule
and add's do, the parameters' summed over the batch.
"""

import numpy as np

from .plan import NODE, PARAMETER


def forward(group, table, params):
    out = np.zeros((group.out.stop - group.out.start, table.shape[1]))
    for block in group.blocks:
        out += _block_forward(block, table, params)
    return out + group.constant


def backward(group, table, params, grad, param_grads):
    upstream = grad[group.out]
    for block in group.blocks:
        if block.b is None:
            if block.needs[0]:
                _add(block.a, _scaled(block, upstream[None]), grad, param_grads)
        elif _matrix(block):
            weights = _weights(block, params)
            rows = table[block.b.shared]
            if block.needs[0]:
                _add_params(block.a, rows @ upstream.T, param_grads)
            if block.needs[1]:
                grad[block.b.shared] += weights @ upstream
        else:
            a, b = _gather(block.a, table, params), _gather(block.b, table, params)
            if block.needs[0]:
                _add(block.a, _scaled(block, b * upstream[None]), grad, param_grads)
            if block.needs[1]:
                _add(block.b, _scaled(block, a * upstream[None]), grad, param_grads)


def _block_forward(block, table, params):
    if block.b is None:
        return _scaled(block, _gather(block.a, table, params)).sum(axis=0)
    if _matrix(block):
        return _weights(block, params).T @ table[block.b.shared]
    a, b = _gather(block.a, table, params), _gather(block.b, table, params)
    if block.coef is not None:
        a = a * block.coef[:, :, None]
    return np.einsum("knb,knb->nb", np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)),
                     np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)))  # fmt: skip


def _matrix(block):
    """W @ X: the parameter factors as a matrix, the other factor the same k rows for all."""
    return block.a.kind == PARAMETER and block.b.kind == NODE and block.b.shared is not None


def _weights(block, params):
    weights = params[block.a.index]  # (k, n)
    return weights if block.coef is None else weights * block.coef


def _gather(source, table, params):
    """(k, n, examples) for rows of the table, (k, n, 1) for parameters."""
    if source.kind == PARAMETER:
        return params[source.index][:, :, None]
    return table[source.index]


def _scaled(block, x):
    return x if block.coef is None else x * block.coef[:, :, None]


def _add(source, contribution, grad, param_grads):
    """Add contribution (k, n, examples or 1) into the gradients of source's rows."""
    k, n = source.index.shape
    if source.kind == PARAMETER:  # each of the k terms gets it (p + p: both), summed over the batch
        full = np.broadcast_to(contribution, (k, n, contribution.shape[2]))
        _add_params(source, full.sum(axis=2), param_grads)
    else:
        values = np.broadcast_to(contribution, (k, n, grad.shape[1])).reshape(k * n, -1)
        if source.unique:
            grad[source.index.ravel()] += values
        else:
            np.add.at(grad, source.index.ravel(), values)


def _add_params(source, values, param_grads):
    index = source.index.ravel()
    values = values.ravel()
    if source.unique:
        param_grads[index] += values
    else:
        param_grads += np.bincount(index, weights=values, minlength=len(param_grads))
