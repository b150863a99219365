"""Training a classifier through autograd.compile, as the demos at scale do.

A model is written for one example with scalar Values; `loss_one(x, target)`
is its softmax cross-entropy against a one-hot target. compile traces it
once and replays it over each mini-batch as one node whose parents are the
model's parameters, so Adam steps them as usual. To classify, the same
function is replayed with no graph against each possible answer: the answer
with the smallest loss is the class with the largest score.
"""

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


def fit(model, inputs, labels, n_classes, *, epochs, batch_size, lr, seed, on_epoch=None):
    """Adam with cosine decay on the compiled mean loss of each batch; the loss per epoch.

    on_epoch(epoch, loss), if given, runs after each epoch.
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
            loss = batch_loss([inputs[i] for i in batch], targets)
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
    """The class of each input by replaying the compiled loss against every answer."""

    def __init__(self, model, n_classes, batch_size=4096):
        import autograd

        self.n_classes = n_classes
        self.batch_size = batch_size
        self._losses = autograd.compile(classifier_loss(model), reduce=None)

    def losses(self, inputs, labels):
        """Each input's loss against its own label, with no graph."""
        targets = [one_hot(y, self.n_classes) for y in labels]
        return [float(v) for v in self._losses(inputs, targets)]

    def __call__(self, inputs):
        import numpy as np

        guesses = []
        for start in range(0, len(inputs), self.batch_size):
            part = inputs[start : start + self.batch_size]
            per_answer = [
                np.asarray(self._losses(part, [one_hot(k, self.n_classes)] * len(part)))
                for k in range(self.n_classes)
            ]
            guesses += np.argmin(np.stack(per_answer), axis=0).tolist()
        return guesses
