"""Module: parameter discovery by attribute, names, zero_grad and strict state dicts."""

import math

import pytest

from autograd import Value
from nn import MLP, Module


class Affine(Module):
    """A user-defined module: a scalar parameter, a list of them and a child."""

    def __init__(self):
        self.scale = Value(2.0)
        self.shifts = [Value(0.5), Value(-0.5)]
        self.inner = MLP(1, [1], seed=0)
        self.note = "not a parameter"
        self._cache = [Value(9.0)]  # private: not a parameter


def test_named_parameters_walk_values_lists_and_children_in_order():
    names = [name for name, _ in Affine().named_parameters()]
    assert names == [
        "scale",
        "shifts.0",
        "shifts.1",
        "inner.layers.0.neurons.0.w.0",
        "inner.layers.0.neurons.0.b",
    ]


def test_parameters_are_the_named_values_themselves():
    module = Affine()
    assert module.parameters() == [p for _, p in module.named_parameters()]
    assert module.parameters()[0] is module.scale


def test_zero_grad_clears_every_parameter():
    module = Affine()
    for p in module.parameters():
        p.grad = 3.0
    module.zero_grad()
    assert [p.grad for p in module.parameters()] == [0.0] * 5


def test_state_dict_round_trips_through_load_state_dict():
    source, target = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    assert source.state_dict() != target.state_dict()
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()


def test_load_state_dict_keeps_the_parameter_objects():
    model = MLP(2, [1], seed=0)
    before = model.parameters()
    model.load_state_dict({name: 1.5 for name in model.state_dict()})
    assert model.parameters() == before
    assert all(p.data == 1.5 for p in before)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda s: s.pop("layers.0.neurons.1.b"), ValueError, "missing 1 parameter.*neurons.1.b"),
        (lambda s: s.update({"layers.9.w": 1.0}), ValueError, "unexpected 1 key.*layers.9.w"),
        (lambda s: s.update({"layers.0.neurons.0.w.0": "1"}), TypeError, "w.0: expected a number"),
        (lambda s: s.update({"layers.0.neurons.0.b": math.nan}), ValueError, "b: nan is not"),
        (lambda s: s.update({"layers.1.neurons.0.b": math.inf}), ValueError, "b: inf is not"),
    ],
)
def test_load_state_dict_refuses_bad_state_and_changes_nothing(change, error, message):
    model = MLP(2, [2, 1], seed=0)
    before = model.state_dict()
    state = {name: 0.25 for name in before}
    change(state)
    with pytest.raises(error, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_needs_a_mapping():
    with pytest.raises(TypeError, match="mapping"):
        MLP(1, [1]).load_state_dict([1.0, 2.0])


class Tied(Module):
    """One Value held under two names, and one child module held twice (weight tying)."""

    def __init__(self):
        self.encoder = MLP(1, [1], seed=0)
        self.decoder = self.encoder
        self.scale = Value(2.0)
        self.shared = [self.scale, Value(1.0)]


def test_a_value_held_under_two_names_is_listed_once_under_its_first_name():
    module = Tied()
    named = module.named_parameters()
    assert [name for name, _ in named] == [
        "encoder.layers.0.neurons.0.w.0",
        "encoder.layers.0.neurons.0.b",
        "scale",
        "shared.1",
    ]
    assert len({id(p) for p in module.parameters()}) == len(module.parameters()) == 4


def test_an_optimizer_steps_a_shared_value_once():
    from nn import SGD

    module = Tied()
    optimizer = SGD(module.parameters(), lr=0.1)
    loss = module.scale * module.shared[0]  # d/dscale of scale² = 2·scale = 4
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert module.scale.data == pytest.approx(2.0 - 0.1 * 4.0)


def test_state_dict_lists_every_name_of_a_shared_value_as_torch_does():
    module = Tied()
    state = module.state_dict()
    assert state["scale"] == state["shared.0"] == 2.0
    assert "decoder.layers.0.neurons.0.b" in state
    state = dict.fromkeys(state, 0.5)
    module.load_state_dict(state)
    assert module.scale.data == 0.5
    with_duplicates = [name for name, _ in module.named_parameters(remove_duplicate=False)]
    assert len(with_duplicates) == 7 and len(set(with_duplicates)) == 7
