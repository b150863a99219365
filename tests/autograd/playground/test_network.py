"""Network mode: nn.fit trains the net, the pictures are model(x)'s numbers, and a clicked
weight or neuron is answered by backward(), explain() and draw_dot()."""

import pytest

from autograd import Value
from autograd.draw import fmt
from autograd.playground import datasets
from autograd.playground.network import Session
from nn import MLP, ModelFileError, losses


def session(layers=(4, 4), act="tanh", opt="adam", lr=0.1, data="moons", seed=0):
    points, labels = datasets.make(data, seed)
    return Session(points, labels, layers=list(layers), act=act, opt=opt, lr=lr, seed=seed)


def test_a_compiled_step_has_the_scalar_graphs_loss_and_grads():
    s = session((3, 2), act="relu")
    compiled = s.batch_loss(*s.columns)
    s.model.zero_grad()
    compiled.backward()
    grads = [p.grad for p in s.model.parameters()]
    scalar = s._loss()
    assert compiled.data == pytest.approx(scalar.data, rel=1e-12)
    assert grads == pytest.approx([p.grad for p in s.model.parameters()], rel=1e-9, abs=1e-15)


def test_a_small_net_learns_the_moons():
    s = session((4, 4), lr=0.1)
    for _ in range(100):
        shown = s.step()
        if shown["accuracy"] >= 0.95:
            break
    assert shown["accuracy"] >= 0.95 and shown["steps"] <= 100
    assert len(s.losses) == shown["steps"] and s.losses[-1] < s.losses[0]


@pytest.mark.parametrize("opt", ["gd", "momentum", "adam"])
def test_each_optimizer_lowers_the_loss(opt):
    s = session((4,), opt=opt, lr=0.1)
    s.step(5)
    assert s.losses[-1] < s.losses[0]


def test_a_weight_shows_its_value_grad_and_the_derivation_of_the_loss():
    s = session((3,))
    s.step(2)
    shown = s.weight(0, 1, 0)
    w = s.model.layers[0].neurons[1].w[0]
    twin = MLP(2, [3, 1], activation="tanh", seed=0)
    twin.load_state_dict(s.model.state_dict())
    loss = losses.binary_cross_entropy([twin(p) for p in s.points], s.labels)
    loss.backward()
    assert shown["name"] == "w1_2_1" and shown["value"] == w.data
    assert shown["grad"] == pytest.approx(twin.layers[0].neurons[1].w[0].grad, rel=1e-9)
    assert shown["derivation"].startswith("∂L/∂w1_2_1 by the chain rule")
    bias = s.weight(1, 0, 3, lang="zh")
    assert bias["name"] == "b2_1" and "链式法则" in bias["derivation"]


@pytest.mark.parametrize("where", [(2, 0, 0), (0, 3, 0), (0, 0, 3), (-1, 0, 0)])
def test_a_weight_that_is_not_there_is_an_index_error(where):
    with pytest.raises(IndexError):
        session((3,)).weight(*where)


def test_a_neuron_shows_its_gradient_flow_at_the_least_sure_point():
    s = session((3, 2))
    s.step(3)
    shown = s.neuron_flow(1, 1)
    scores = [abs(s.score(p)) for p in s.points]
    worst = scores.index(min(scores))
    assert shown["point"] == s.points[worst] and shown["label"] == s.labels[worst]
    assert shown["name"] == "h2_2" and "h1_3" in shown["dot"]  # inputs: the layer below
    assert "cluster" not in shown["dot"]  # the neuron alone, not boxed in its layer
    # The drawn grads are those of this point's loss alone.
    twin = MLP(2, [3, 2, 1], activation="tanh", seed=0)
    twin.load_state_dict(s.model.state_dict())
    losses.logistic(twin(s.points[worst]), s.labels[worst]).backward()
    for w in twin.layers[1].neurons[1].w:
        assert f"grad {fmt(w.grad)}" in shown["dot"]
    assert all(p.grad == 0 for p in s.model.parameters())  # nothing left behind
    assert s.model.fused  # trained fused again after drawing expanded


def test_export_writes_a_file_mlp_load_reads_with_the_same_weights(tmp_path):
    s = session((4, 3), act="relu")
    s.step(2)
    path = tmp_path / "model.json"
    path.write_text(s.export(), encoding="utf-8")
    assert MLP.load(path).state_dict() == s.model.state_dict()


def test_load_trains_the_model_in_a_file():
    s, other = session((4,)), session((2, 2), act="sigmoid", seed=5)
    other.step(1)
    assert s.load(other.export(), lr=0.05) == {"layers": [2, 2], "act": "sigmoid"}
    assert s.model.state_dict() == other.model.state_dict()
    assert s.steps == 0 and s.optimizer.lr == 0.05 and s.model.fused


@pytest.mark.parametrize(
    "model, words",
    [
        (MLP(3, [2, 1]), "2 inputs and 1 output; this model has 3 inputs"),
        (MLP(2, [2, 2]), "and 2 outputs"),
        (MLP(2, [2] * 5 + [1]), "at most 4 hidden layers"),
        (MLP(2, [17, 1]), "of at most 16 neurons"),
    ],
)
def test_load_refuses_a_model_the_page_cannot_show(model, words, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    s = session((4,))
    with pytest.raises(ValueError, match=words):
        s.load(path.read_text(encoding="utf-8"), lr=0.1)
    assert s.model.nouts == [4, 1]  # the old model stays


def test_load_refuses_a_corrupt_file():
    with pytest.raises(ModelFileError, match=r"^architecture.activation '<script>alert"):
        session().load(
            '{"format": "chainrule.mlp", "version": 1, "architecture": {"nin": 2, "nouts": [1],'
            ' "activation": "<script>alert(1)</script>", "fused": true},'
            ' "weights": [{"w": [[0, 0]], "b": [0]}]}',
            lr=0.1,
        )


def test_parameters_are_named_for_the_derivations():
    s = session((2,))
    assert [p.label for p in s.model.parameters()] == [
        "w1_1_1",
        "w1_1_2",
        "b1_1",
        "w1_2_1",
        "w1_2_2",
        "b1_2",
        "w2_1_1",
        "w2_1_2",
        "b2_1",
    ]
    assert isinstance(s.model.parameters()[0], Value)
