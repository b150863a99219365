"""Synthetic road images for ALVINN: a curving road seen from the driver's seat.

The road's centre line, in image coordinates from -1 (left) to 1 (right), is
x(d) = offset + heading·d + curvature·d² at distance d ∈ [0, 1] ahead (bottom
row d = 0, top row d = 1); it narrows with distance, as in perspective. The
right steering is towards the road's centre half-way up the picture,
x(½), scaled to [-1, 1]. Each image has its own lighting: overall
brightness, road-to-verge contrast, a shading gradient across the picture and
pixel noise.
"""

import numpy as np

HEIGHT, WIDTH = 12, 16
LOOKAHEAD = 0.5
OFFSET, HEADING, CURVATURE = 0.35, 0.5, 0.9
STEER_RANGE = OFFSET + HEADING * LOOKAHEAD + CURVATURE * LOOKAHEAD**2


def road(rng, height=HEIGHT, width=WIDTH):
    """One (image, steering) pair: image is height×width in [0, 1], steering in [-1, 1]."""
    offset = rng.uniform(-OFFSET, OFFSET)
    heading = rng.uniform(-HEADING, HEADING)
    curvature = rng.uniform(-CURVATURE, CURVATURE)
    d = np.linspace(1.0, 0.0, height)[:, None]  # top row is far away
    centre = offset + heading * d + curvature * d**2
    half_width = 0.45 * (1.0 - 0.6 * d)
    x = np.linspace(-1.0, 1.0, width)[None, :]
    # A soft edge (a pixel wide) so a road edge falling inside a pixel greys it.
    on_road = 1.0 / (1.0 + np.exp((np.abs(x - centre) - half_width) * width * 2.0))
    brightness = rng.uniform(0.2, 0.6)
    contrast = rng.uniform(0.25, 0.5)
    shading = rng.uniform(-0.08, 0.08) * x + rng.uniform(-0.1, 0.1) * d
    noise = rng.normal(0.0, rng.uniform(0.02, 0.08), size=(height, width))
    image = np.clip(brightness + contrast * on_road + shading + noise, 0.0, 1.0)
    steering = (offset + heading * LOOKAHEAD + curvature * LOOKAHEAD**2) / STEER_RANGE
    return image, float(steering)


def roads(count, seed, height=HEIGHT, width=WIDTH):
    """count (image, steering) pairs from one seed: different seeds, unseen roads."""
    rng = np.random.default_rng(seed)
    return [road(rng, height, width) for _ in range(count)]


def bump(steering, units=30, width=0.1):
    """ALVINN's output code: a Gaussian bump over `units` cells centred on the steering."""
    cells = np.linspace(-1.0, 1.0, units)
    return np.exp(-((cells - steering) ** 2) / (2 * width**2))


def read_bump(outputs, width=0.1):
    """Steering from a bump: the centre of the ideal bump closest to the outputs."""
    outputs = np.asarray(outputs, dtype=float)
    candidates = np.linspace(-1.0, 1.0, 401)
    cells = np.linspace(-1.0, 1.0, len(outputs))
    templates = np.exp(-((cells[None, :] - candidates[:, None]) ** 2) / (2 * width**2))
    return float(candidates[np.argmin(((templates - outputs) ** 2).sum(axis=1))])
