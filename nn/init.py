"""Weight initialisation: uniform, scaled to the fan-in (or the lecture's), seeded.

init="scaled" (the default): a neuron with `fan_in` inputs starts with
weights drawn uniformly from [−bound, bound] and a bias of 0:

- relu: He (Kaiming) uniform, bound = √(6 / fan_in), so Var(w) = 2 / fan_in and
  the signal keeps its size through layers that zero half their inputs;
- tanh, sigmoid, linear: Xavier (Glorot) uniform,
  bound = √(6 / (fan_in + fan_out)), so Var(w) = 2 / (fan_in + fan_out).

`fan_out` is the number of neurons in the layer (1 for a lone Neuron).

init="uniform": weights and bias all drawn uniformly from (−1, 1), whatever
the size, as the micrograd lecture's Neuron does.
"""

import math
import random

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
INITS = ("scaled", "uniform")


def check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        choices = ", ".join(repr(a) for a in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; choose one of {choices}")
    return activation


def check_init(init: str) -> str:
    if init not in INITS:
        choices = ", ".join(repr(i) for i in INITS)
        raise ValueError(f"unknown init {init!r}; choose one of {choices}")
    return init


def weight_bound(activation: str, fan_in: int, fan_out: int = 1) -> float:
    """Half-width of the uniform range the weights are drawn from."""
    check_activation(activation)
    if activation == "relu":
        return math.sqrt(6.0 / fan_in)
    return math.sqrt(6.0 / (fan_in + fan_out))


def make_rng(seed) -> random.Random:
    """A generator from a seed: None draws from the global `random` state."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random(random.getrandbits(64))
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, None or random.Random, not {type(seed).__name__}")
    return random.Random(seed)


def initial_weights(rng: random.Random, activation: str, fan_in: int, fan_out: int = 1):
    """fan_in weights drawn from the activation's uniform range."""
    bound = weight_bound(activation, fan_in, fan_out)
    return [rng.uniform(-bound, bound) for _ in range(fan_in)]


def initial_parameters(rng: random.Random, init: str, activation: str, fan_in: int, fan_out=1):
    """(weights, bias) of a neuron: scaled weights and a zero bias, or all of them in (−1, 1)."""
    if check_init(init) == "uniform":
        weights = [rng.uniform(-1.0, 1.0) for _ in range(fan_in)]
        return weights, rng.uniform(-1.0, 1.0)
    return initial_weights(rng, activation, fan_in, fan_out), 0.0
