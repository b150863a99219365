"""Training a classifier through autograd.compile, as the demos at scale do.

A model is written for one example with scalar Values; `loss_one(x, target)`
is its softmax cross-entropy against a one-hot target (nn.losses.cross_entropy). compile traces it
once and replays it over each mini-batch as one node whose parents are the
model's parameters, so Adam steps them as usual. To classify, the model
itself is replayed with no graph, every score of every input at once.
"""

import random


def one_hot(k, n):
    return [float(k == i) for i in range(n)]


def classifier_loss(model):
    """loss_one(x, target) = nn.losses.cross_entropy(model(x), target), for compile."""
    from nn.losses import cross_entropy

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
    """The class of each input (the index of its largest score), the model replayed over a batch."""

    def __init__(self, model, n_classes, batch_size=4096, encode=list):
        import autograd

        self.n_classes = n_classes
        self.batch_size = batch_size
        self.encode = encode
        self._scores = autograd.compile(model, reduce=None)
        self._losses = autograd.compile(classifier_loss(model), reduce=None)

    def losses(self, inputs, labels):
        """Each input's loss against its own label, with no graph."""
        targets = [one_hot(y, self.n_classes) for y in labels]
        return [float(v) for v in self._losses(self.encode(inputs), targets)]

    def __call__(self, inputs):
        import numpy as np

        guesses = []
        for start in range(0, len(inputs), self.batch_size):
            scores = self._scores(self.encode(inputs[start : start + self.batch_size]))
            guesses += np.argmax(np.asarray(scores), axis=1).tolist()
        return guesses
