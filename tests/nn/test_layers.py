"""Neuron, Layer, MLP: micrograd's shapes and names, fused vs expanded, scopes, seeds."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, no_grad, scope, topological_order
from nn import MLP, SGD, Layer, Neuron, losses


def test_micrograd_parameter_count_and_names():
    model = MLP(3, [4, 4, 1])
    names = [name for name, _ in model.named_parameters()]
    assert len(model.parameters()) == 41  # (3+1)·4 + (4+1)·4 + (4+1)·1
    assert names[:4] == [f"layers.0.neurons.0.w.{i}" for i in range(3)] + ["layers.0.neurons.0.b"]
    assert "layers.1.neurons.3.w.1" in names
    assert names[-1] == "layers.2.neurons.0.b"


def test_one_output_layer_returns_a_value_and_the_next_layer_accepts_it():
    model = MLP(2, [16, 1, 1], seed=0)  # micrograd fails here: a Value is not a list
    out = model([0.5, -1.5])
    assert isinstance(out, Value)
    assert isinstance(model.layers[1]([0.1] * 16), Value)
    assert len(model.layers[0]([0.1, 0.2])) == 16


def test_hidden_layers_use_the_activation_and_the_last_is_linear():
    model = MLP(2, [3, 3, 2], activation="tanh", seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "linear"]
    assert all(-1 <= out.data <= 1 for out in model.layers[0]([50.0, -50.0]))
    assert any(abs(out.data) > 1 for out in model.layers[2]([50.0, -50.0, 50.0]))


@pytest.mark.parametrize(
    ("activation", "op", "function"),
    [
        ("relu", "ReLU", lambda z: max(z, 0.0)),
        ("tanh", "tanh", math.tanh),
        ("sigmoid", "σ", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", "+", lambda z: z),
    ],
)
def test_neuron_computes_activation_of_b_plus_weighted_sum(activation, op, function):
    neuron = Neuron(3, activation=activation, seed=1)
    neuron.b.data = 0.25
    x = [1.0, -2.0, 0.5]
    expected = function(0.25 + sum(w.data * xi for w, xi in zip(neuron.w, x)))
    out = neuron(x)
    assert out.data == pytest.approx(expected, rel=1e-12)
    assert out._op == op


def test_nonlin_false_makes_a_linear_neuron_as_in_micrograd():
    neuron = Neuron(2, nonlin=False, activation="tanh", seed=0)
    assert neuron.activation == "linear"
    assert neuron([100.0, 100.0]).data == pytest.approx(100 * (neuron.w[0].data + neuron.w[1].data))


def test_seed_gives_the_same_model_and_different_seeds_differ():
    assert MLP(2, [4, 1], seed=5).state_dict() == MLP(2, [4, 1], seed=5).state_dict()
    assert MLP(2, [4, 1], seed=5).state_dict() != MLP(2, [4, 1], seed=6).state_dict()
    fused = MLP(2, [4, 1], seed=5, fused=True)
    assert fused.state_dict() == MLP(2, [4, 1], seed=5).state_dict()


def test_weights_are_scaled_to_fan_in_and_biases_start_at_zero():
    model = MLP(400, [50, 1], seed=0)
    first = [w.data for n in model.layers[0].neurons for w in n.w]
    assert max(map(abs, first)) <= math.sqrt(6 / 400)
    assert max(map(abs, first)) > 0.9 * math.sqrt(6 / 400)
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


def test_fused_neuron_is_one_node_and_expanded_shows_each_product():
    x = [1.0, 2.0, 3.0]
    fused = MLP(3, [1], seed=0, fused=True)(x)
    expanded = MLP(3, [1], seed=0)(x)
    assert fused._op == "Σwx+b" and len(fused._prev) == 7
    ops = [node._op for node in topological_order(expanded) if node._prev]
    assert sorted(ops) == ["*"] * 3 + ["+"] * 3


@settings(max_examples=40)
@given(
    nin=st.integers(1, 4),
    nouts=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
    seed=st.integers(0, 2**16),
    data=st.data(),
)
def test_fused_and_expanded_give_the_same_outputs_and_gradients(nin, nouts, activation, seed, data):
    x = data.draw(st.lists(st.floats(-3, 3), min_size=nin, max_size=nin))
    results = []
    for fused in (False, True):
        model = MLP(nin, nouts, activation=activation, seed=seed, fused=fused)
        inputs = [Value(xi) for xi in x]
        out = model(inputs)
        total = out if isinstance(out, Value) else sum(out[1:], out[0])
        total.backward()
        grads = [p.grad for p in model.parameters()] + [xi.grad for xi in inputs]
        results.append((total.data, grads))
    (expanded_out, expanded_grads), (fused_out, fused_grads) = results
    assert fused_out == expanded_out
    for e, f in zip(expanded_grads, fused_grads):
        assert math.isclose(e, f, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("fused", [False, True])
def test_nodes_made_in_a_call_carry_their_module_path(fused):
    model = MLP(2, [3, 2], seed=0, fused=fused)
    outs = model([1.0, -1.0])
    made = [node for node in topological_order(outs[1]) if node._prev]
    assert made and all(node._scope[:1] in {("layers.0",), ("layers.1",)} for node in made)
    assert outs[1]._scope == ("layers.1", "neurons.1")
    assert {node._scope for node in made if node._scope[0] == "layers.0"} == {
        ("layers.0", f"neurons.{j}") for j in range(3)
    }


@pytest.mark.parametrize("fused", [False, True])
def test_module_scopes_nest_inside_an_enclosing_scope(fused):
    model = MLP(1, [1], seed=0, fused=fused)
    with scope("encoder"):
        out = model([2.0])
    assert out._scope == ("encoder", "layers.0", "neurons.0")
    assert model([2.0])._scope == ("layers.0", "neurons.0")


def test_parameters_carry_the_scope_of_their_neuron():
    model = MLP(2, [2, 1], seed=0)
    assert model.layers[0].neurons[1].w[0]._scope == ("layers.0", "neurons.1")
    assert model.layers[1].neurons[0].b._scope == ("layers.1", "neurons.0")


@pytest.mark.parametrize("fused", [False, True])
def test_no_grad_calls_compute_the_same_numbers_without_a_graph(fused):
    model = MLP(2, [4, 1], seed=3, fused=fused)
    with no_grad():
        out = model([0.3, 0.7])
    assert out._prev == ()
    assert out.data == model([0.3, 0.7]).data


def test_inputs_may_be_numbers_or_values_and_a_single_input_may_be_bare():
    model = MLP(1, [2, 1], seed=0)
    assert model([0.5]).data == model(0.5).data == model([Value(0.5)]).data


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: MLP(2, [3, 1])([1.0, 2.0, 3.0]), "Layer expects 2 input"),
        (lambda: Neuron(3)([1.0]), "Neuron expects 3 input"),
        (lambda: MLP(2, [3, 1])(["a", 1.0]), "real number, not str"),
        (lambda: MLP(2, []), "at least one layer"),
        (lambda: MLP(2, [3], activation="gelu"), "unknown activation 'gelu'"),
        (lambda: Neuron(0), "positive whole number of inputs"),
        (lambda: Layer(2, 0), "positive whole number of outputs"),
    ],
)
def test_bad_shapes_and_arguments_are_named(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


@pytest.mark.parametrize(("activation", "steps"), [("tanh", 100), ("relu", 300)])
@pytest.mark.parametrize("seed", range(4))
def test_lecture_training_drives_the_loss_below_one_hundredth(seed, activation, steps):
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(3, [4, 4, 1], activation=activation, seed=seed)
    optimizer = SGD(model.parameters(), lr=0.05)
    for _ in range(steps):
        loss = losses.mse([model(x) for x in xs], ys)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.data < 0.01
    assert all(abs(model(x).data - y) < 0.2 for x, y in zip(xs, ys))


def test_reprs_name_the_shape():
    assert repr(MLP(3, [4, 1], fused=True)) == "MLP(3, [4, 1], activation='relu', fused=True)"
    assert repr(Layer(3, 4, activation="tanh")) == "Layer(3, 4, activation='tanh')"
    assert repr(Neuron(2, nonlin=False)) == "Neuron(2, activation='linear')"


def test_switching_fused_keeps_the_function_and_changes_the_graph():
    model = MLP(2, [3, 1], seed=0, fused=True)
    fused_out = model([0.5, 1.0])
    model.fused = False
    expanded_out = model([0.5, 1.0])
    assert expanded_out.data == fused_out.data
    assert len(topological_order(expanded_out)) > len(topological_order(fused_out))
    assert model.architecture()["fused"] is False
    assert all(not n.fused for layer in model.layers for n in layer.neurons)


def test_neuron_and_layer_take_their_options_in_the_same_positional_order():
    # (…, activation, nonlin, seed, fused) in both, as MLP takes (…, activation, seed, fused).
    neuron = Neuron(2, "tanh", True, 7, True)
    layer = Layer(2, 1, "tanh", True, 7, True)
    assert (neuron.activation, neuron.fused) == (layer.activation, layer.fused) == ("tanh", True)
    assert neuron.state_dict() == layer.neurons[0].state_dict()
    assert Neuron(2, "sigmoid", False).activation == Layer(2, 1, "sigmoid", False).activation
    assert Layer(2, 1, "sigmoid", False).activation == "linear"


def test_micrograds_positional_nonlin_still_makes_a_linear_neuron():
    assert Neuron(2, False).activation == "linear"
    assert Neuron(2, True).activation == "relu"
    assert Layer(2, 3, False).activation == "linear"


LECTURE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
LECTURE_YS = [1.0, -1.0, -1.0, 1.0]


@pytest.mark.parametrize("seed", range(20))
def test_the_lecture_loop_on_the_lecture_network_neither_sticks_nor_diverges(seed):
    # The cells of the micrograd lecture's last part, as written there.
    n = MLP.lecture(3, [4, 4, 1], seed=seed)
    for _ in range(20):
        ypred = [n(x) for x in LECTURE_XS]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(LECTURE_YS, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
    assert loss.data < 0.025  # from 3 to 11 at the start; a dead or saturated net stays near 4
    assert all(abs(n(x).data - y) < 0.15 for x, y in zip(LECTURE_XS, LECTURE_YS))


def test_the_lecture_network_is_tanh_everywhere_with_weights_and_biases_in_minus_one_one():
    model = MLP.lecture(3, [4, 4, 1], seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "tanh"]
    assert model.architecture()["output_activation"] == "tanh"
    assert model([50.0, 50.0, 50.0]).data < 1.0  # the output is squashed too
    values = [p.data for p in model.parameters()]
    assert len(values) == 41 and all(-1.0 < v < 1.0 for v in values)
    assert all(n.b.data != 0.0 for layer in model.layers for n in layer.neurons)
    assert repr(model) == (
        "MLP(3, [4, 4, 1], activation='tanh', output_activation='tanh', fused=False)"
    )


def test_uniform_init_ignores_the_fan_in_and_the_default_still_scales_to_it():
    wide = MLP(400, [50, 1], init="uniform", seed=0)
    first = [w.data for n in wide.layers[0].neurons for w in n.w]
    assert max(map(abs, first)) > 0.99 and max(map(abs, first)) < 1.0
    default = MLP(3, [4, 4, 1], seed=0)
    assert [layer.activation for layer in default.layers] == ["relu", "relu", "linear"]
    assert all(n.b.data == 0.0 for layer in default.layers for n in layer.neurons)


def test_output_activation_and_init_are_options_of_every_module():
    model = MLP(2, [3, 1], activation="relu", output_activation="sigmoid", init="uniform", seed=1)
    assert [layer.activation for layer in model.layers] == ["relu", "sigmoid"]
    assert Layer(2, 3, "tanh", init="uniform", seed=0).neurons[2].b.data != 0.0
    assert Neuron(2, init="uniform", seed=0).b.data != 0.0
    with pytest.raises(ValueError, match="unknown init 'lecture'; choose one of 'scaled'"):
        MLP(2, [1], init="lecture")
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        MLP(2, [1], output_activation="softmax")
