"""Losses: plain functions from a batch of predictions and targets to a Value.

Predictions may be Values or plain numbers (a number becomes a constant
leaf). Each builds as few nodes as it can: terms are summed without a
leading 0, and the mean is one multiply by 1/n.

Each batch loss also has a form for one example, with no branch on a
number, which `autograd.compile` can trace (`fit(..., compile=True)` uses
it): `squared_error`, `hinge`, `logistic` and `cross_entropy`, attached to
their batch loss as `.one_example`. The mean of the one-example loss over a
batch is the batch loss.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, reduce
from numbers import Integral
from operator import add

from autograd import OPS, Op, Value, apply
from autograd.rules import exp, log, where


def mse(preds, targets) -> Value:
    """Mean of (p − y)² over the batch (and over the outputs of multi-output predictions)."""
    pairs = _flat_pairs(_check_batch("mse", preds, targets))
    # d·d rather than d**2: the same number and gradient, one node fewer per term.
    return _mean([d * d for d in (_as_value(p) - y for p, y in pairs)])


def max_margin(scores, labels) -> Value:
    """Mean hinge loss relu(1 − y·s) for labels y = ±1 (micrograd's SVM demo)."""
    pairs = _check_batch("max_margin", scores, labels)
    return _mean([(1.0 - _as_value(s) * y).relu() for s, y in pairs])


def l2(parameters, alpha) -> Value:
    """alpha · Σ p², the L2 penalty to add to a loss."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters given")
    return reduce(add, [p * p for p in params]) * alpha


def binary_cross_entropy(logits, targets) -> Value:
    """Mean of −[y·log σ(z) + (1 − y)·log(1 − σ(z))] for logits z and targets y in [0, 1].

    Written as softplus(z) − y·z, with softplus taking the form whose exp
    cannot overflow on each side of 0, so logits of ±1000 are exact.
    """
    pairs = _check_batch("binary_cross_entropy", logits, targets)
    for _, y in pairs:
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"binary_cross_entropy: target {y!r} is not in [0, 1]")
    return _mean([_bce_term(z, y) for z, y in pairs])


def softmax_cross_entropy(logits, targets) -> Value:
    """Mean of −log softmax(logits)[target] over the batch.

    logits is one list of Values per example, targets one class index per
    example. The largest logit is subtracted first (log-sum-exp), so every
    exp is at most 1 and logits of ±1000 give a finite loss and gradient.
    """
    pairs = _check_batch("softmax_cross_entropy", logits, targets)
    terms = []
    for row, target in pairs:
        row = list(row) if _is_sequence(row) else [row]
        if isinstance(target, bool) or not isinstance(target, Integral):
            raise TypeError(f"softmax_cross_entropy: target {target!r} is not a class index")
        if not 0 <= target < len(row):
            raise IndexError(
                f"softmax_cross_entropy: class {target} is out of range for {len(row)} logits"
            )
        row = [_as_value(z) for z in row]
        top = max(z.data for z in row)
        shifted = [z - top for z in row]
        total = reduce(add, [z.exp() for z in shifted])
        terms.append(total.log() - shifted[target])
    return _mean(terms)


def _bce_term(z, y):
    if y == 0:
        return _softplus(z)
    return _softplus(z) - (z if y == 1 else z * y)


def _softplus(z):
    """log(1 + eˣ), choosing the side whose exp stays ≤ 1."""
    z = _as_value(z)
    if z.data > 0:
        return z + (1.0 + (-z).exp()).log()
    return (1.0 + z.exp()).log()


def _mean(terms):
    total = reduce(add, terms)
    return total * (1.0 / len(terms)) if len(terms) > 1 else total


def _as_value(z):
    """A prediction as a Value: a plain number becomes a constant leaf."""
    return z if isinstance(z, Value) else Value(z)


def _check_batch(name, preds, targets):
    if not _is_sequence(preds):
        raise TypeError(f"{name}: predictions must be a list (a batch), not {type(preds).__name__}")
    if not _is_sequence(targets):
        raise TypeError(f"{name}: targets must be a list (a batch), not {type(targets).__name__}")
    if len(preds) != len(targets):
        raise ValueError(f"{name}: {len(preds)} predictions for {len(targets)} targets")
    if len(preds) == 0:
        raise ValueError(f"{name}: the batch is empty")
    return list(zip(preds, targets))


def _is_sequence(x):
    """A list, tuple or array (a batch or a row); not a Value, string or mapping."""
    return hasattr(x, "__len__") and not isinstance(x, Value | str | bytes | dict)


def _flat_pairs(pairs):
    """Multi-output predictions (lists) paired element by element with their targets."""
    flat = []
    for p, y in pairs:
        if _is_sequence(p):
            ys = list(y) if _is_sequence(y) else [y]
            if len(ys) != len(p):
                raise ValueError(f"mse: a prediction has {len(p)} outputs, its target {len(ys)}")
            flat.extend(zip(p, ys))
        else:
            flat.append((p, y))
    return flat


# ---- one example at a time, as autograd.compile traces it ----


@dataclass(frozen=True)
class OneExample:
    """A batch loss written for one example: loss(prediction, target) -> Value,
    with the target as targets(batch_targets, n_outputs) encodes it."""

    loss: Callable
    targets: Callable


def squared_error(pred, target) -> Value:
    """(p − y)², averaged over the outputs of a multi-output prediction (mse for one example)."""
    pairs = _flat_pairs([(pred, target)])
    return _mean([d * d for d in (_as_value(p) - y for p, y in pairs)])


def hinge(score, label) -> Value:
    """relu(1 − y·s) for a label y = ±1 (max_margin for one example)."""
    return (1.0 - _as_value(score) * label).relu()


def logistic(logit, target) -> Value:
    """softplus(z) − y·z for a target y in [0, 1] (binary_cross_entropy for one example)."""
    return apply(SOFTPLUS, logit) - _as_value(logit) * target


def cross_entropy(logits, one_hot) -> Value:
    """log Σ exp(z) − Σ yᵢ·zᵢ for a one-hot target row (softmax_cross_entropy for one example).

    The log-sum-exp is one node (its rule subtracts the largest logit first),
    so logits of ±1000 give a finite loss and gradient.
    """
    logits = [_as_value(z) for z in logits] if _is_sequence(logits) else [_as_value(logits)]
    one_hot = list(one_hot) if _is_sequence(one_hot) else [one_hot]
    if len(one_hot) != len(logits):
        raise ValueError(f"cross_entropy: {len(logits)} logits for a target of {len(one_hot)}")
    picked = reduce(add, [z * y for z, y in zip(logits, one_hot)])
    return apply(_logsumexp_row(len(logits)), *logits) - picked


def _softplus_forward(x):
    # log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|): no exp can overflow.
    return where(x > 0, x, 0.0) + log(1.0 + exp(-abs(x)))


SOFTPLUS = Op(
    "softplus", "softplus", 1, _softplus_forward,
    lambda x, out: (OPS["sigmoid"].forward(x),),
    "softplus({x})", ("σ({x})",), "\\operatorname{softplus}({x})", ("\\sigma({x})",),
    bound=20.0,
)  # fmt: skip


@cache
def _logsumexp_row(n):
    """log Σ exp(xᵢ) over n inputs as one node; ∂/∂xᵢ = softmax(x)ᵢ = exp(xᵢ − out)."""

    def forward(*xs):
        top = reduce(lambda a, b: where(a > b, a, b), xs)
        return top + log(reduce(add, [exp(x - top) for x in xs]))

    names = [f"z{i}" for i in range(n)]
    return Op(
        "logsumexp", "logΣexp", n, forward,
        lambda *xs_and_out: tuple(exp(x - xs_and_out[-1]) for x in xs_and_out[:-1]),
        "log Σ exp(" + ", ".join(names) + ")", tuple(f"softmax_{i}" for i in range(n)),
        "\\log \\sum_i e^{z_i}", tuple(f"\\mathrm{{softmax}}_{{{i}}}" for i in range(n)),
    )  # fmt: skip


def _plain(name):
    def targets(ys, n_outputs):
        return [[float(v) for v in y] if _is_sequence(y) else float(y) for y in ys]

    targets.__qualname__ = f"{name}_targets"
    return targets


def _unit_interval(ys, n_outputs):
    for y in ys:
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"binary_cross_entropy: target {y!r} is not in [0, 1]")
    return [float(y) for y in ys]


def _one_hot(ys, n_outputs):
    rows = []
    for y in ys:
        if isinstance(y, bool) or not isinstance(y, Integral):
            raise TypeError(f"softmax_cross_entropy: target {y!r} is not a class index")
        if not 0 <= y < n_outputs:
            raise IndexError(
                f"softmax_cross_entropy: class {y} is out of range for {n_outputs} logits"
            )
        rows.append([1.0 if k == y else 0.0 for k in range(n_outputs)])
    return rows


mse.one_example = OneExample(squared_error, _plain("mse"))
max_margin.one_example = OneExample(hinge, _plain("max_margin"))
binary_cross_entropy.one_example = OneExample(logistic, _unit_interval)
softmax_cross_entropy.one_example = OneExample(cross_entropy, _one_hot)
