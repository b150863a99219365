"""Optimizers: SGD (momentum, Nesterov), Adam and AdamW, step for step as torch.optim.

Each holds its parameters and per-parameter state as plain floats, reads
`.grad` and writes `.data`. `.lr` may be changed at any time (the schedules do).
"""

import math

from autograd import Value

from .schedules import CosineLR, LinearLR, StepLR

__all__ = ["SGD", "Adam", "AdamW", "CosineLR", "LinearLR", "Optimizer", "StepLR"]


class Optimizer:
    """Shared plumbing: the parameter list, lr and zero_grad()."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: no parameters to optimize")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is a {type(p).__name__}, not a Value"
                )
        _check_nonnegative(type(self).__name__, "lr", lr)
        self.lr = lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its .grad, which must be a number."""
        grads = [p.grad for p in self.params]
        if not _PLAIN.issuperset(map(type, grads)):  # one pass in C where all are floats
            for i, grad in enumerate(grads):
                if isinstance(grad, Value):  # left by backward(create_graph=True)
                    raise TypeError(
                        f"{type(self).__name__}: parameter {i} has a Value grad ({grad!r}), "
                        "left by backward(create_graph=True); step() needs numbers: call "
                        "zero_grad() and backward() without create_graph first"
                    )
        self._update(grads)

    def _update(self, grads) -> None:
        """Move each parameter by its gradient in grads (one number per parameter)."""
        raise NotImplementedError


class SGD(Optimizer):
    """p ← p − lr·d, where d is the gradient (plus weight decay), smoothed by momentum."""

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params, lr)
        _check_nonnegative("SGD", "momentum", momentum)
        _check_nonnegative("SGD", "weight_decay", weight_decay)
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weight_decay = weight_decay
        self.velocity = None  # per-parameter momentum buffers, made on the first step

    def _update(self, grads) -> None:
        lr, momentum = self.lr, self.momentum
        grads = _with_l2(self.params, grads, self.weight_decay)
        if momentum:
            if self.velocity is None:
                self.velocity = grads
            else:
                self.velocity = [momentum * v + g for v, g in zip(self.velocity, grads)]
            if self.nesterov:
                grads = [g + momentum * v for g, v in zip(grads, self.velocity)]
            else:
                grads = self.velocity
        for p, g in zip(self.params, grads):
            p.data -= lr * g


class Adam(Optimizer):
    """Adam with bias correction; weight_decay is added to the gradient (L2), as in torch."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        beta1, beta2 = betas
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{type(self).__name__}: {name} must be in [0, 1), got {beta!r}")
        _check_nonnegative(type(self).__name__, "eps", eps)
        _check_nonnegative(type(self).__name__, "weight_decay", weight_decay)
        self.betas = (beta1, beta2)
        self.eps = eps
        self.weight_decay = weight_decay
        self.steps = 0
        self.first = [0.0] * len(self.params)  # running mean of gradients
        self.second = [0.0] * len(self.params)  # running mean of squared gradients

    def _decayed(self, grads):
        """The gradients the moment estimates use (L2 decay folded in)."""
        return _with_l2(self.params, grads, self.weight_decay)

    def _update(self, grads) -> None:
        self.steps += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1.0 - beta1**self.steps)
        root_correction = math.sqrt(1.0 - beta2**self.steps)
        eps, sqrt = self.eps, math.sqrt
        new1, new2 = 1.0 - beta1, 1.0 - beta2  # the weights of this step's gradient
        first, second = [], []
        for p, g, m, v in zip(self.params, self._decayed(grads), self.first, self.second):
            m = m + (g - m) * new1
            v = v * beta2 + new2 * g * g
            p.data -= step_size * m / (sqrt(v) / root_correction + eps)
            first.append(m)
            second.append(v)
        self.first, self.second = first, second


class AdamW(Adam):
    """Adam with decoupled weight decay: p shrinks by lr·weight_decay·p before each step."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _decayed(self, grads):
        return grads

    def _update(self, grads) -> None:
        if self.weight_decay:
            shrink = 1.0 - self.lr * self.weight_decay
            for p in self.params:
                p.data *= shrink
        super()._update(grads)


_PLAIN = frozenset({float, int})  # grads that need no closer look


def _with_l2(params, grads, decay):
    """Each gradient plus decay × its parameter (L2 decay, as torch's weight_decay)."""
    return [g + decay * p.data for p, g in zip(params, grads)] if decay else grads


def _check_nonnegative(who, name, number):
    if isinstance(number, bool) or not isinstance(number, int | float) or not number >= 0:
        raise ValueError(f"{who}: {name} must be a number ≥ 0, got {number!r}")
