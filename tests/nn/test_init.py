"""Initialisation: He for relu, Xavier for the rest, reproducible from a seed."""

import math
import random
import statistics

import pytest

from nn.init import initial_weights, make_rng, weight_bound


def test_relu_uses_he_bound_from_fan_in_only():
    assert weight_bound("relu", 6, 100) == pytest.approx(1.0)
    assert weight_bound("relu", 24) == pytest.approx(0.5)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear"])
def test_saturating_and_linear_use_xavier_bound(activation):
    assert weight_bound(activation, 2, 4) == pytest.approx(1.0)
    assert weight_bound(activation, 5, 1) == pytest.approx(1.0)


def test_weights_stay_in_range_with_the_variance_the_scheme_promises():
    rng = random.Random(0)
    weights = initial_weights(rng, "relu", 20_000)
    bound = math.sqrt(6 / 20_000)
    assert max(map(abs, weights)) <= bound
    # uniform on [−a, a] has variance a²/3 = 2/fan_in for He
    assert statistics.pvariance(weights) == pytest.approx(2 / 20_000, rel=0.05)


def test_the_same_seed_gives_the_same_weights():
    first = initial_weights(make_rng(7), "tanh", 10, 3)
    assert first == initial_weights(make_rng(7), "tanh", 10, 3)
    assert first != initial_weights(make_rng(8), "tanh", 10, 3)


def test_no_seed_follows_the_global_random_state():
    random.seed(3)
    first = initial_weights(make_rng(None), "relu", 5)
    random.seed(3)
    assert initial_weights(make_rng(None), "relu", 5) == first


def test_bad_activation_and_seed_are_named():
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'.*'relu'"):
        weight_bound("gelu", 3)
    with pytest.raises(TypeError, match=r"seed must be .* not str"):
        make_rng("0")
