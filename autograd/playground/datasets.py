"""Two-class data sets in the plane for network mode: generated (seeded) or read from CSV.

Each is (points, labels): points are [x1, x2] lists of floats, labels 0 or 1.
The generators follow scikit-learn's make_moons and make_circles and
TensorFlow Playground's xor and spiral, in plain Python (no numpy in the page).
"""

import csv
import io
import math
import random

COUNT = 100  # points per generated data set: full-batch steps stay quick in the page
MAX_ROWS = 1000
NOISE = {"moons": 0.1, "circles": 0.05, "xor": 0.0, "spiral": 0.05}


class DataError(ValueError):
    """A CSV file that is not x1,x2,label rows of numbers with two classes."""


def make(name: str, seed: int = 0, count: int = COUNT):
    """The named data set ("moons", "circles", "xor" or "spiral")."""
    makers = {"moons": moons, "circles": circles, "xor": xor, "spiral": spiral}
    if name not in makers:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(makers)}")
    return makers[name](count, random.Random(seed), NOISE[name])


def moons(count, rng, noise):
    """Two interleaving half circles: the upper one is class 0, the lower one class 1."""
    outer, inner = count - count // 2, count // 2
    points = [[math.cos(t), math.sin(t)] for t in _spaced(outer)]
    points += [[1 - math.cos(t), 0.5 - math.sin(t)] for t in _spaced(inner)]
    return _noisy(points, rng, noise), [0] * outer + [1] * inner


def circles(count, rng, noise, factor=0.5):
    """A ring of class 0 around a smaller ring of class 1."""
    outer, inner = count - count // 2, count // 2
    turn = 2 * math.pi
    points = [[math.cos(t), math.sin(t)] for t in _spaced(outer, turn, endpoint=False)]
    points += [
        [factor * math.cos(t), factor * math.sin(t)] for t in _spaced(inner, turn, endpoint=False)
    ]
    return _noisy(points, rng, noise), [0] * outer + [1] * inner


def xor(count, rng, noise):
    """Points in the square [-1, 1]², class 1 where x1·x2 > 0; kept off the axes."""
    points, labels = [], []
    for _ in range(count):
        x1, x2 = (_off_axis(rng) for _ in range(2))
        points.append([x1, x2])
        labels.append(int(x1 * x2 > 0))
    return _noisy(points, rng, noise), labels


def spiral(count, rng, noise):
    """Two arms winding out from the centre, one per class."""
    points, labels = [], []
    half = count // 2
    for label, phase in ((0, 0.0), (1, math.pi)):
        for i in range(half if label else count - half):
            r = i / half
            t = 1.75 * i / half * 2 * math.pi + phase
            points.append([r * math.sin(t), r * math.cos(t)])
            labels.append(label)
    return _noisy(points, rng, noise), labels


def read_csv(text: str):
    """(points, labels) from CSV text of x1,x2,label rows; a header line is optional.

    Labels are 0/1, or -1/1 (read as 0/1). A DataError names the line and the value.
    """
    if not isinstance(text, str):
        raise DataError(f"the CSV must be text, not {type(text).__name__}")
    try:
        rows = [
            row for row in csv.reader(io.StringIO(text, newline="")) if any(map(str.strip, row))
        ]
    except csv.Error as error:
        raise DataError(f"the CSV cannot be read: {error}") from None
    if rows and not _is_number(rows[0][0]):
        rows = rows[1:]  # a header such as x1,x2,label
    if len(rows) > MAX_ROWS:
        raise DataError(f"the CSV has {len(rows)} rows; the page trains on at most {MAX_ROWS}")
    points, labels = [], []
    for line, row in enumerate(rows, start=1):
        if len(row) != 3:
            raise DataError(f"row {line}: {len(row)} fields; each row is x1,x2,label")
        x1, x2 = (_coordinate(line, cell) for cell in row[:2])
        points.append([x1, x2])
        labels.append(_label(line, row[2]))
    if set(labels) not in ({0, 1}, {-1, 1}):
        found = ", ".join(str(x) for x in sorted(set(labels))) or "none"
        raise DataError(f"the CSV needs two classes, labelled 0 and 1 or -1 and 1 (found {found})")
    return points, [int(label > 0) for label in labels]


def _spaced(count, stop=math.pi, endpoint=True):
    """count angles evenly from 0 to stop (numpy's linspace)."""
    if count == 1:
        return [0.0]
    step = stop / (count - 1 if endpoint else count)
    return [i * step for i in range(count)]


def _noisy(points, rng, noise):
    if noise:
        points = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    return points


def _off_axis(rng, padding=0.1):
    x = rng.uniform(padding, 1.0)
    return x if rng.random() < 0.5 else -x


def _coordinate(line, cell):
    x = _number(cell)
    if x is None or not math.isfinite(x):
        raise DataError(f"row {line}: {_show(cell)} is not a finite number")
    return x


def _label(line, cell):
    x = _number(cell)
    if x not in (0, 1, -1):
        raise DataError(f"row {line}: the label {_show(cell)} is not 0 or 1 (or -1 or 1)")
    return int(x)


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _is_number(text):
    return _number(text) is not None


def _show(text):
    shown = repr(text.strip())
    return shown if len(shown) <= 40 else shown[:37] + "…'"
