"""The lenet demo's pieces: shifted images and the model's shapes."""

import pytest

from demos import lenet


def test_shifted_moves_the_image_and_lets_zeros_in():
    pixels = [float(i) for i in range(64)]
    right = lenet.shifted(pixels, 1, 0)
    down = lenet.shifted(pixels, 0, 1)
    assert right[0] == 0.0 and right[1] == 0.0 + pixels[0] and right[8 + 5] == pixels[8 + 4]
    assert down[:8] == [0.0] * 8 and down[8:16] == pixels[:8]
    assert lenet.shifted(pixels, 0, 0) == pixels
    examples = [(pixels, 3)]
    assert [y for _, y in lenet.augmented(examples)] == [3] * 5


def test_the_model_gives_ten_scores_and_its_maps_have_lenets_shapes():
    model = lenet.make_model(0, 2, 3)
    first, second, scores = model.maps([0.5] * 64)
    assert (len(first), len(first[0]), len(first[0][0])) == (2, 8, 8)
    assert (len(second), len(second[0]), len(second[0][0])) == (3, 4, 4)
    assert len(scores) == 10
    assert len(model.parameters()) == (2 * 9 + 2) + (3 * 18 + 3) + (12 * 10 + 10)
    assert model([0.5] * 64)[4].data == pytest.approx(scores[4].data)
