"""Sums of products on arrays: a group of them as matrix products (see poly.py, plan.py).

A block holds k terms of each of n sums: c·a·b (a product) or c·a. Where a
is a parameter and the sums pair weight columns with input columns (a layer
of neurons, a convolution: plan.Grid), the block is one matrix product of
the weights and the inputs; otherwise its operands are gathered as (k, n,
examples) and contracted with einsum. The backward gives each factor
c·(upstream)·(the other factor), as mul's rule and add's do, the
parameters' summed over the batch.
"""

import numpy as np

from .plan import PARAMETER


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
        elif block.grid is not None:
            _grid_backward(block, table, params, upstream, grad, param_grads)
        else:
            a, b = _gather(block.a, table, params), _gather(block.b, table, params)
            if block.needs[0]:
                _add(block.a, _scaled(block, b * upstream[None]), grad, param_grads)
            if block.needs[1]:
                _add(block.b, _scaled(block, a * upstream[None]), grad, param_grads)


def _block_forward(block, table, params):
    if block.b is None:
        return _scaled(block, _gather(block.a, table, params)).sum(axis=0)
    if block.grid is not None:
        grid = block.grid
        weights, inputs = params[grid.weights], table[grid.inputs]  # (k, C), (k, P, examples)
        products = weights.T @ inputs.reshape(len(inputs), -1)  # (C, P·examples)
        return products.reshape(-1, table.shape[1])[grid.at]
    a, b = _gather(block.a, table, params), _gather(block.b, table, params)
    if block.coef is not None:
        a = a * block.coef[:, :, None]
    return np.einsum("knb,knb->nb", np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)),
                     np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)))  # fmt: skip


def _grid_backward(block, table, params, upstream, grad, param_grads):
    grid, examples = block.grid, table.shape[1]
    weights, inputs = params[grid.weights], table[grid.inputs]
    k, columns = grid.weights.shape
    by_pair = np.empty((columns * grid.inputs.shape[1], examples))
    by_pair[grid.at] = upstream
    by_pair = by_pair.reshape(columns, -1)  # (C, P·examples)
    if block.needs[0]:
        grid.weights_scatter.add(param_grads, (inputs.reshape(k, -1) @ by_pair.T).ravel())
    if block.needs[1]:
        grid.inputs_scatter.add(grad, (weights @ by_pair).reshape(-1, examples))


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
        source.scatter.add(param_grads, full.sum(axis=2).ravel())
    else:
        values = np.broadcast_to(contribution, (k, n, grad.shape[1])).reshape(k * n, -1)
        source.scatter.add(grad, values)
