"""What network mode draws: the net evaluated on floats over a grid, with no graph.

Every neuron's output is computed by the op table's own float forward rules (the
fused neuron's `linear` row and the activation's row), so each number is the one
model(x).data holds, at a fraction of the cost of building Values.
"""

from ..ops import OPS

MARGIN = 0.15  # the pictures show the data's bounding box widened by this share


def weights_of(model):
    """Per layer, per neuron: (weights, bias, the activation's float rule)."""
    identity = lambda z: z
    return [
        [
            (
                [w.data for w in n.w],
                n.b.data,
                OPS[n.activation].forward if n.nonlin else identity,
            )
            for n in layer.neurons
        ]
        for layer in model.layers
    ]


def activations(weights, x):
    """Each layer's outputs at input x, for weights_of(model)."""
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


def maps(model, extent, resolution=30) -> dict:
    """The logit and every hidden neuron's output on a resolution² grid over extent."""
    x0, x1, y0, y1 = extent
    xs = [x0 + (x1 - x0) * (col + 0.5) / resolution for col in range(resolution)]
    ys = [y1 - (y1 - y0) * (row + 0.5) / resolution for row in range(resolution)]
    grid = [(x, y) for y in ys for x in xs]  # the top row first, as in an image
    weights = weights_of(model)
    layers = grid_outputs(weights, grid)
    return {
        "resolution": resolution,
        "extent": extent,
        "hidden": layers[:-1],
        "output": layers[-1][0],
        "weights": [[[*w, b] for w, b, _ in layer] for layer in weights],
    }


def extent_of(points):
    """[x0, x1, y0, y1] around the points, widened by MARGIN and made square."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6) * (0.5 + MARGIN)
    return [cx - half, cx + half, cy - half, cy + half]
