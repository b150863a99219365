"""Network mode: an nn.MLP learning a 2-D data set, one full-batch step at a time.

Training is nn.fit on the scalar engine (fused neurons, binary cross-entropy on
the logit). What the page asks about a weight or a neuron is answered by the
library itself: explain() for a weight, draw_dot() for a neuron's gradient flow,
MLP.save()/MLP.load() for the model file. The pictures of the decision boundary
and of each hidden neuron evaluate the net on a grid with the op table's own
float forward rules (the numbers model(x) computes, without building a graph).
"""

import math
import os
import tempfile

from nn import MLP, SGD, Adam, ModelFileError, fit, losses, metrics

from ..draw import draw_dot
from ..explain import explain
from ..ops import OPS
from ..value import Value
from .hashstate import MAX_LAYERS, MAX_WIDTH

OPTIMIZERS = {
    "gd": lambda params, lr: SGD(params, lr),
    "momentum": lambda params, lr: SGD(params, lr, momentum=0.9),
    "adam": lambda params, lr: Adam(params, lr),
}
MARGIN = 0.15  # the pictures show the data's bounding box widened by this share


class Session:
    """One model, its optimizer and its data; what the page's controls act on."""

    def __init__(self, points, labels, *, layers, act, opt, lr, seed):
        model = MLP(2, [*layers, 1], activation=act, seed=seed, fused=True)
        self.points, self.labels = points, labels
        self.extent = _extent(points)
        self.use(model, opt, lr)

    def use(self, model, opt, lr):
        """Train model from here on (a fresh optimizer, an empty loss curve)."""
        _check_shape(model)
        model.fused = True
        self.model = model
        self.opt = opt
        self.optimizer = OPTIMIZERS[opt](model.parameters(), lr)
        self.steps = 0
        self.losses, self.accuracies = [], []
        for name, p in model.named_parameters():
            p.label = _short_name(name)

    def set_lr(self, lr):
        self.optimizer.lr = lr

    def step(self, count=1) -> dict:
        """count full-batch steps of gradient descent; the loss and accuracy before each."""
        data = list(zip(self.points, self.labels))
        history = fit(
            self.model,
            data,
            losses.binary_cross_entropy,
            self.optimizer,
            epochs=count,
            shuffle=False,
            progress=False,
            metrics={"accuracy": metrics.accuracy},
        )
        self.steps += count
        self.losses += history.loss
        self.accuracies += history.metrics["accuracy"]
        return {"steps": self.steps, "loss": self.losses[-1], "accuracy": self.accuracy()}

    def accuracy(self) -> float:
        """The share of points on the right side of the boundary, with the current weights."""
        scores = [self.score(x) for x in self.points]
        return metrics.accuracy(scores, self.labels)

    def score(self, x) -> float:
        """The model's logit at x, from the op table's float rules (what model(x).data is)."""
        return activations(_weights(self.model), x)[-1][0]

    def maps(self, resolution=30) -> dict:
        """The logit and every hidden neuron's output on a resolution² grid over the data."""
        x0, x1, y0, y1 = self.extent
        xs = [x0 + (x1 - x0) * (col + 0.5) / resolution for col in range(resolution)]
        ys = [y1 - (y1 - y0) * (row + 0.5) / resolution for row in range(resolution)]
        grid = [(x, y) for y in ys for x in xs]  # the top row first, as in an image
        weights = _weights(self.model)
        layers = grid_outputs(weights, grid)
        return {
            "resolution": resolution,
            "extent": self.extent,
            "hidden": layers[:-1],
            "output": layers[-1][0],
            "weights": [[[*w, b] for w, b, _ in layer] for layer in weights],
        }

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
        """The loss at the current weights, backward() done: every parameter's grad is fresh."""
        scores = [self.model(x) for x in self.points]
        loss = losses.binary_cross_entropy(scores, self.labels)
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


def activations(weights, x):
    """Each layer's outputs at input x, for _weights(model): floats, no graph."""
    linear = OPS["linear"].forward
    outs = list(x)
    layers = []
    for rows in weights:
        outs = [act(linear(*w, *outs, b)) for w, b, act in rows]
        layers.append(outs)
    return layers


def grid_outputs(weights, points):
    """Per layer, per neuron: its output at each of points (what activations() gives)."""
    linear = OPS["linear"].forward
    inputs = points
    layers = []
    for rows in weights:
        outs = [[act(linear(*w, *x, b)) for x in inputs] for w, b, act in rows]
        layers.append(outs)
        inputs = list(zip(*outs))
    return layers


def _weights(model):
    """Per layer, per neuron: (weights, bias, activation's float rule)."""
    identity = lambda z: z
    return [
        [
            (
                [w.data for w in n.w],
                n.b.data,
                identity if not n.nonlin else OPS[n.activation].forward,
            )
            for n in layer.neurons
        ]
        for layer in model.layers
    ]


def _neuron_in_loss(model, layer, neuron, point, label):
    """The neuron as its own expanded nodes inside the loss at one point, backward() done.

    Earlier layers run on floats, so the drawing is this neuron alone: its inputs
    (labelled leaves), its weights, its `*` and `+` nodes and its activation. The
    layer's other neurons read plain numbers; the layers above run as usual.
    """
    inputs = activations(_weights(model), point)[layer - 1] if layer else list(point)
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
    loss = losses.binary_cross_entropy([outs[0]], [label])
    loss.backward()
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


def _extent(points):
    """(x0, x1, y0, y1) around the points, widened by MARGIN and made square."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6) * (0.5 + MARGIN)
    return [cx - half, cx + half, cy - half, cy + half]
