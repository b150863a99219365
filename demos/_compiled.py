"""Training a classifier through autograd.compile, as the demos at scale do.

A model is written for one example with scalar Values; `loss_one(x, target)`
is its softmax cross-entropy against a one-hot target. compile traces it
once and replays it over each mini-batch as one node whose parents are the
model's parameters, so Adam steps them as usual. To classify, the model
with an argmax row on top is replayed with no graph.
"""

import functools
import random


def cross_entropy(scores, target):
    """−log softmax(scores)[true class] for a one-hot target: log Σ exp(zₖ − m) + m − Σ yₖ·zₖ.

    m = max(scores) is a node (nn.conv's max row), so the exponentials never
    overflow and no number is read that a traced branch would depend on.
    """
    from autograd import apply
    from nn.conv import max_row

    top = apply(max_row(len(scores)), *scores)
    spread = sum((z - top).exp() for z in scores).log() + top
    return spread - sum(y * z for y, z in zip(target, scores))


def one_hot(k, n):
    return [float(k == i) for i in range(n)]


def classifier_loss(model):
    """loss_one(x, target) = cross_entropy(model(x), target), for compile."""

    def loss_one(x, target):
        return cross_entropy(model(x), target)

    return loss_one


def fit(
    model, inputs, labels, n_classes, *, epochs, batch_size, lr, seed, on_epoch=None, encode=list
):
    """Adam with cosine decay on the compiled mean loss of each batch; the loss per epoch.

    encode(inputs of a batch) gives the column compile reads (rows of numbers,
    or a (B, k) array); on_epoch(epoch, loss), if given, runs after each epoch.
    """
    import autograd
    import nn

    batch_loss = autograd.compile(classifier_loss(model))
    optimizer = nn.Adam(model.parameters(), lr=lr)
    schedule = nn.CosineLR(optimizer, total_steps=epochs)
    rng = random.Random(seed)
    order = list(range(len(inputs)))
    curve = []
    for epoch in range(epochs):
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            targets = [one_hot(labels[i], n_classes) for i in batch]
            loss = batch_loss(encode([inputs[i] for i in batch]), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.data * len(batch)
        schedule.step()
        curve.append(total / len(inputs))
        if on_epoch is not None:
            on_epoch(epoch, curve[-1])
    return curve, batch_loss


class Predictor:
    """The class of each input: the index of its largest score, replayed over a batch.

    compile replays the model with the argmax row on top, a row of this
    module's own (its derivative is 0: the answer does not move when a
    score moves a little), so a whole test set is classified in one replay.
    """

    def __init__(self, model, n_classes, batch_size=4096, encode=list):
        import autograd

        self.n_classes = n_classes
        self.batch_size = batch_size
        self.encode = encode
        row = argmax_row(n_classes)
        self._guess = autograd.compile(lambda x: autograd.apply(row, *model(x)), reduce=None)
        self._losses = autograd.compile(classifier_loss(model), reduce=None)

    def losses(self, inputs, labels):
        """Each input's loss against its own label, with no graph."""
        targets = [one_hot(y, self.n_classes) for y in labels]
        return [float(v) for v in self._losses(self.encode(inputs), targets)]

    def __call__(self, inputs):
        guesses = []
        for start in range(0, len(inputs), self.batch_size):
            part = self.encode(inputs[start : start + self.batch_size])
            guesses += [int(k) for k in self._guess(part)]
        return guesses


@functools.cache
def argmax_row(n):
    """The row of argmax over n inputs: the index of the first largest, as a float."""
    from autograd import Op

    return Op(
        "argmax", "argmax", n, _argmax_forward, lambda *inputs_and_out: (0.0,) * n,
        "argmax({x}, {y}, …)", ("0",) * n, "\\arg\\max({x}, {y}, \\dots)", ("0",) * n,
    )  # fmt: skip


def _argmax_forward(*xs):
    from autograd.rules import where

    best, index = xs[0], 0.0
    for k, x in enumerate(xs[1:], 1):
        better = x > best
        index = where(better, float(k), index)
        best = where(better, x, best)
    return index
