"""to_torch(): the same network as a torch.nn.Sequential (float64), for when you outgrow scalars."""

from .layers import MLP


def to_torch(model: MLP):
    """A torch.nn.Sequential of Linear layers and activations with model's weights copied in.

    The torch model maps a tensor of shape (..., nin) to (..., nout); where
    the MLP returns a single Value, torch returns a last dimension of size 1.
    """
    import torch

    if not isinstance(model, MLP):
        raise TypeError(f"to_torch needs an MLP, not {type(model).__name__}")
    activations = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    modules = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64)
            )
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation in activations:
            modules.append(activations[layer.activation]())
    return torch.nn.Sequential(*modules)
