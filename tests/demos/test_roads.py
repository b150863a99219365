"""Synthetic roads for ALVINN: pictures, steering and the Gaussian-bump code."""

import pytest

np = pytest.importorskip("numpy", reason="the roads are drawn with numpy ([demos] extra)")

from demos import _roads as roads  # noqa: E402


def test_images_and_steering_are_in_range():
    pairs = roads.roads(200, seed=0)
    for image, steering in pairs:
        assert image.shape == (roads.HEIGHT, roads.WIDTH)
        assert image.min() >= 0.0 and image.max() <= 1.0
        assert -1.0 <= steering <= 1.0
    steer = [s for _, s in pairs]
    assert min(steer) < -0.5 and max(steer) > 0.5  # both ways, strongly


def test_the_road_is_where_the_steering_points():
    # Half-way up, the bright (road) pixels lie on the side the steering points to.
    rng = np.random.default_rng(3)
    columns = np.linspace(-1, 1, roads.WIDTH)
    agree = total = 0
    for _ in range(300):
        image, steering = roads.road(rng)
        row = image[roads.HEIGHT // 2 - 1 : roads.HEIGHT // 2 + 1].mean(axis=0)
        road = columns[row > (row.max() + row.min()) / 2].mean()
        if abs(steering) > 0.3:
            total += 1
            agree += np.sign(road) == np.sign(steering)
    assert total > 50 and agree >= 0.95 * total  # pixel noise may hide a road now and then


def test_seeds_give_unseen_roads():
    a, b = roads.roads(5, seed=1), roads.roads(5, seed=2)
    again = roads.roads(5, seed=1)
    assert all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, again))
    assert not any(np.allclose(x, y) for (x, _), (y, _) in zip(a, b))


@pytest.mark.parametrize("steering", [-1.0, -0.37, 0.0, 0.52, 1.0])
def test_bump_reads_back(steering):
    code = roads.bump(steering)
    assert code.shape == (30,) and code.max() <= 1.0
    assert roads.read_bump(code) == pytest.approx(steering, abs=0.005)
    noisy = code + np.random.default_rng(0).normal(0, 0.05, size=30)
    assert roads.read_bump(noisy) == pytest.approx(steering, abs=0.05)
