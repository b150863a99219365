"""Training through compile: the one-example loss, the trainer and the predictor."""

import random

import pytest

pytest.importorskip("numpy", reason="the demos need the [demos] extra")

import nn
from autograd import no_grad
from demos import _compiled as compiled
from nn import losses


def test_fit_lowers_the_loss_and_the_predictor_picks_the_largest_score():
    rng = random.Random(0)
    inputs = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(60)]
    labels = [max(range(3), key=x.__getitem__) for x in inputs]  # the largest input's index
    model = nn.MLP(3, [8, 3], "tanh", seed=0, fused=True)
    curve, batch_loss = compiled.fit(
        model, inputs, labels, 3, epochs=15, batch_size=20, lr=0.05, seed=0
    )
    assert curve[-1] < curve[0] / 2
    assert batch_loss.graph is not None
    guesses = compiled.Predictor(model, 3, batch_size=25)(inputs)  # three batches
    with no_grad():
        scores = [[s.data for s in model(x)] for x in inputs]
    assert guesses == [max(range(3), key=row.__getitem__) for row in scores]
    assert sum(g == y for g, y in zip(guesses, labels)) > 45
    per_example = compiled.Predictor(model, 3).losses(inputs[:4], labels[:4])
    with no_grad():
        direct = [losses.cross_entropy(model(x), compiled.one_hot(y, 3)).data
                  for x, y in zip(inputs[:4], labels[:4])]  # fmt: skip
    assert per_example == pytest.approx(direct, rel=1e-12)
