"""to_torch(): the same function and the same gradients in torch.nn, float64."""

import pytest

from autograd import Value
from nn import MLP, losses
from nn.export import to_torch


@pytest.mark.torch
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("nouts", [[4, 1], [3, 5, 2]])
def test_outputs_and_gradients_match(activation, nouts):
    torch = pytest.importorskip("torch", reason="to_torch needs PyTorch")
    model = MLP(3, nouts, activation=activation, seed=4)
    for p in model.parameters()[::3]:  # non-zero biases too
        p.data += 0.1
    net = to_torch(model)
    xs = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]

    outs = [model(x) for x in xs]
    flat = [o for out in outs for o in (out if isinstance(out, list) else [out])]
    loss = losses.mse(flat, [0.3] * len(flat))
    loss.backward()

    torch_out = net(torch.tensor(xs, dtype=torch.float64))
    torch_loss = ((torch_out - 0.3) ** 2).mean()
    torch_loss.backward()

    assert torch_out.dtype == torch.float64
    assert [o.data for o in flat] == pytest.approx(torch_out.flatten().tolist(), rel=1e-12)
    assert loss.data == pytest.approx(torch_loss.item(), rel=1e-12)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(model.layers, linears):
        w_grads = [w.grad for n in layer.neurons for w in n.w]
        assert w_grads == pytest.approx(linear.weight.grad.flatten().tolist(), rel=1e-10, abs=1e-12)
        b_grads = [n.b.grad for n in layer.neurons]
        assert b_grads == pytest.approx(linear.bias.grad.tolist(), rel=1e-10, abs=1e-12)


@pytest.mark.torch
def test_the_layers_are_linear_and_activation_modules_in_order():
    torch = pytest.importorskip("torch", reason="to_torch needs PyTorch")
    net = to_torch(MLP(2, [3, 3, 1], activation="tanh", seed=0))
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert net[0].weight.shape == torch.Size([3, 2])


@pytest.mark.torch
def test_the_lecture_networks_tanh_output_is_exported():
    torch = pytest.importorskip("torch", reason="to_torch needs PyTorch")
    model = MLP.lecture(3, [4, 4, 1], seed=0)
    net = to_torch(model)
    assert type(net[-1]).__name__ == "Tanh"
    x = [2.0, 3.0, -1.0]
    out = net(torch.tensor(x, dtype=torch.float64)).item()
    assert out == pytest.approx(model(x).data, rel=1e-12)


def test_only_an_mlp_is_exported():
    pytest.importorskip("torch", reason="to_torch needs PyTorch")
    with pytest.raises(TypeError, match="needs an MLP, not Value"):
        to_torch(Value(1.0))
