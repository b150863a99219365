"""Network mode: an nn.MLP learning a 2-D data set, one full-batch step at a time.

A step is the library's: the loss of one point, nn.losses.logistic (binary
cross-entropy on the net's logit), is compiled once by autograd.compile (its
plain-Python backend, which needs nothing the page does not ship) and replayed
over the data as one node whose parents are the weights; backward() and an nn
optimizer do the rest, as nn.fit(compile=...) does. What the page asks about a
weight or a neuron is answered on the scalar graph of the same loss: explain()
for a weight, draw_dot() for a neuron's gradient flow; MLP.save()/MLP.load()
write and read the model file.
"""

import math
import os
import tempfile

from nn import MLP, SGD, Adam, ModelFileError, losses, metrics

from ..compile import compile
from ..draw import draw_dot
from ..explain import explain
from ..value import Value
from . import pictures
from .hashstate import MAX_LAYERS, MAX_WIDTH

OPTIMIZERS = {
    "gd": lambda params, lr: SGD(params, lr),
    "momentum": lambda params, lr: SGD(params, lr, momentum=0.9),
    "adam": lambda params, lr: Adam(params, lr),
}


class Session:
    """One model, its optimizer and its data; what the page's controls act on."""

    def __init__(self, points, labels, *, layers, act, opt, lr, seed):
        model = MLP(2, [*layers, 1], activation=act, seed=seed, fused=True)
        self.points, self.labels = points, labels
        self.columns = (points, [float(y) for y in labels])
        self.extent = pictures.extent_of(points)
        self.use(model, opt, lr)

    def use(self, model, opt, lr):
        """Train model from here on (a fresh optimizer, an empty loss curve)."""
        _check_shape(model)
        model.fused = True
        self.model = model
        self.opt = opt
        self.optimizer = OPTIMIZERS[opt](model.parameters(), lr)
        self.steps = 0
        self.losses = []
        for name, p in model.named_parameters():
            p.label = _short_name(name)

        def loss_of_one_point(x, y):
            return losses.logistic(model(x), y)

        self.batch_loss = compile(loss_of_one_point, backend="python")  # the mean over points

    def set_lr(self, lr):
        self.optimizer.lr = lr

    def step(self, count=1) -> dict:
        """count full-batch steps of gradient descent; the loss before each is kept."""
        for _ in range(count):
            loss = self.batch_loss(*self.columns)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            self.losses.append(loss.data)
        self.steps += count
        return {"steps": self.steps, "loss": self.losses[-1], "accuracy": self.accuracy()}

    def accuracy(self) -> float:
        """The share of points on the right side of the boundary, with the current weights."""
        weights = pictures.weights_of(self.model)
        scores = [pictures.activations(weights, x)[-1][0] for x in self.points]
        return metrics.accuracy(scores, self.labels)

    def score(self, x) -> float:
        """The model's logit at x (what model(x).data is), from floats."""
        return pictures.activations(pictures.weights_of(self.model), x)[-1][0]

    def maps(self, resolution=30) -> dict:
        """The logit and every hidden neuron's output on a resolution² grid over the data."""
        return pictures.maps(self.model, self.extent, resolution)

    def weight(self, layer, neuron, index, lang="en") -> dict:
        """A weight (index < nin) or the bias (index == nin): value, grad, and the derivation
        of the loss with respect to it."""
        unit = self._neuron(layer, neuron)
        if not 0 <= index <= unit.nin:
            raise IndexError(f"neuron {neuron} of layer {layer} has no input {index}")
        param = unit.b if index == unit.nin else unit.w[index]
        loss = self._loss()
        derivation = explain(loss, param, lang=lang)
        return {
            "name": param.label,
            "value": param.data,
            "grad": param.grad,
            "derivation": str(derivation),
        }

    def neuron_flow(self, layer, neuron) -> dict:
        """DOT of one neuron, op by op, with the gradient flow of the least-sure point's loss."""
        self._neuron(layer, neuron)
        scores = [self.score(x) for x in self.points]
        worst = min(range(len(scores)), key=lambda i: abs(scores[i]))
        point, label = self.points[worst], self.labels[worst]
        out = _neuron_in_loss(self.model, layer, neuron, point, label)
        dot = draw_dot(out, names=True, clusters=False).source
        self.model.zero_grad()
        probability = 1.0 / (1.0 + math.exp(-scores[worst]))
        return {
            "dot": dot,
            "point": point,
            "label": label,
            "probability": probability,
            "name": out.label,
        }

    def export(self) -> str:
        """The model as an nn model file (what MLP.save writes)."""
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.json")
            self.model.save(path)
            with open(path, encoding="utf-8") as file:
                return file.read()

    def load(self, text: str, lr) -> dict:
        """Train a model read from an nn model file (MLP.load checks it); its architecture."""
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.json")
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            try:
                model = MLP.load(path)
            except ModelFileError as error:  # its message starts with the temporary path
                raise ModelFileError(str(error).removeprefix(f"{path}: ")) from None
        self.use(model, self.opt, lr)
        return {"layers": model.nouts[:-1], "act": model.activation}

    def _loss(self):
        """The loss at the current weights as a scalar graph, backward() done: the mean of
        nn.losses.logistic over the points, each parameter's grad fresh."""
        terms = [losses.logistic(self.model(x), y) for x, y in zip(self.points, self.labels)]
        loss = sum(terms[1:], terms[0]) * (1.0 / len(terms))
        loss.label = "L"
        self.model.zero_grad()
        loss.backward()
        return loss

    def _neuron(self, layer, neuron):
        if not 0 <= layer < len(self.model.layers):
            raise IndexError(f"the net has no layer {layer}")
        units = self.model.layers[layer].neurons
        if not 0 <= neuron < len(units):
            raise IndexError(f"layer {layer} has no neuron {neuron}")
        return units[neuron]


def _neuron_in_loss(model, layer, neuron, point, label):
    """The neuron as its own expanded nodes inside the loss at one point, backward() done.

    Earlier layers run on floats, so the drawing is this neuron alone: its inputs
    (labelled leaves), its weights, its `*` and `+` nodes and its activation. The
    layer's other neurons read plain numbers; the layers above run as usual.
    """
    inputs = pictures.activations(pictures.weights_of(model), point)[layer - 1] if layer else point
    prefix = "x" if layer == 0 else f"h{layer}_"
    leaves = [Value(a, label=f"{prefix}{i + 1}") for i, a in enumerate(inputs)]
    unit = model.layers[layer].neurons[neuron]
    unit.fused = False
    try:
        out = unit(leaves)
    finally:
        unit.fused = True
    out.label = f"h{layer + 1}_{neuron + 1}" if layer < len(model.layers) - 1 else "logit"
    outs = [out if j == neuron else n(inputs) for j, n in enumerate(model.layers[layer].neurons)]
    for later in model.layers[layer + 1 :]:
        outs = later(outs)
        outs = outs if isinstance(outs, list) else [outs]
    model.zero_grad()
    losses.logistic(outs[0], label).backward()
    return out


def _short_name(name):
    """layers.0.neurons.2.w.1 -> w1_3_2 (layer, neuron, input from 1); biases b1_3."""
    parts = name.split(".")
    layer, neuron = int(parts[1]) + 1, int(parts[3]) + 1
    return f"b{layer}_{neuron}" if parts[4] == "b" else f"w{layer}_{neuron}_{int(parts[5]) + 1}"


def _check_shape(model):
    if model.nin != 2 or model.nouts[-1] != 1:
        raise ValueError(
            f"the playground trains nets with 2 inputs and 1 output; this model has "
            f"{model.nin} inputs and {model.nouts[-1]} outputs"
        )
    hidden = model.nouts[:-1]
    if len(hidden) > MAX_LAYERS or any(width > MAX_WIDTH for width in hidden):
        raise ValueError(
            f"the playground shows at most {MAX_LAYERS} hidden layers of at most "
            f"{MAX_WIDTH} neurons; this model has {hidden}"
        )
