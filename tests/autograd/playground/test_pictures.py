"""Network mode's pictures: the net on floats over a grid, the very numbers model(x) holds."""

import pytest

from autograd.playground import pictures
from nn import MLP


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("layers", [(), (3,), (4, 2)])
def test_the_pictures_hold_the_numbers_model_x_computes(act, layers):
    model = MLP(2, [*layers, 1], activation=act, seed=1, fused=True)
    extent = [-1.0, 2.0, -0.5, 2.5]
    maps = pictures.maps(model, extent, resolution=4)
    corner = (-1.0 + 3 / 8, 2.5 - 3 / 8)  # the centre of the top-left cell
    assert maps["output"][0] == model(corner).data
    assert maps["output"][15] == model((2.0 - 3 / 8, -0.5 + 3 / 8)).data  # bottom right
    assert [len(layer) for layer in maps["hidden"]] == list(layers)
    assert all(len(cells) == 16 for layer in maps["hidden"] for cells in layer)
    first = model.layers[0].neurons[0]
    assert maps["weights"][0][0] == [w.data for w in first.w] + [first.b.data]
    if layers:
        expanded = MLP(2, [*layers, 1], activation=act, seed=1)  # the same weights, unfused
        hidden = expanded.layers[0].neurons[1](corner)
        assert maps["hidden"][0][1][0] == pytest.approx(hidden.data, rel=1e-15)


def test_activations_are_each_layers_outputs():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    (hidden, (logit,)) = pictures.activations(pictures.weights_of(model), (0.3, -0.7))
    assert hidden == [n((0.3, -0.7)).data for n in model.layers[0].neurons]
    assert logit == model((0.3, -0.7)).data


def test_the_extent_is_a_square_around_the_points_with_a_margin():
    x0, x1, y0, y1 = pictures.extent_of([[0.0, 0.0], [2.0, 1.0]])
    assert x1 - x0 == pytest.approx(y1 - y0) == pytest.approx(2.0 * (1 + 2 * pictures.MARGIN))
    assert [(x0 + x1) / 2, (y0 + y1) / 2] == pytest.approx([1.0, 0.5])
    assert pictures.extent_of([[1.0, 1.0]])[1] > 1.0  # one point still has a box
