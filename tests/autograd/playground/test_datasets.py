"""Network mode's data: seeded generators of two balanced classes, and strict CSV reading."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.playground.datasets import COUNT, MAX_ROWS, DataError, make, read_csv

GENERATED = ["moons", "circles", "xor", "spiral"]


@pytest.mark.parametrize("name", GENERATED)
def test_each_data_set_is_two_balanced_classes_of_finite_points(name):
    points, labels = make(name, seed=3)
    assert len(points) == len(labels) == COUNT
    assert all(len(p) == 2 and all(math.isfinite(c) for c in p) for p in points)
    assert set(labels) == {0, 1} and abs(labels.count(1) - labels.count(0)) <= COUNT // 5
    assert make(name, seed=3) == (points, labels)  # seeded


@pytest.mark.parametrize("name", ["moons", "xor"])
def test_another_seed_gives_other_points(name):
    assert make(name, seed=0)[0] != make(name, seed=1)[0]


def test_the_classes_have_the_shapes_their_names_say():
    (outer, inner), _ = _by_class(*make("circles", seed=0))
    assert min(math.hypot(*p) for p in outer) > max(math.hypot(*p) for p in inner)
    points, labels = make("xor", seed=0)
    assert all((x * y > 0) == bool(label) for (x, y), label in zip(points, labels))
    (upper, lower), _ = _by_class(*make("moons", seed=0))
    assert sum(y for _, y in upper) / len(upper) > sum(y for _, y in lower) / len(lower)


def _by_class(points, labels):
    return ([p for p, c in zip(points, labels) if c == k] for k in (0, 1)), None


def test_an_unknown_data_set_is_named():
    with pytest.raises(ValueError, match="unknown data set 'swirl'"):
        make("swirl")


def test_csv_with_a_header_and_labels_minus_one_and_one():
    points, labels = read_csv("x1,x2,label\n0.5, -1, 1\n2e-1,3,-1\n\n")
    assert points == [[0.5, -1.0], [0.2, 3.0]] and labels == [1, 0]
    assert read_csv("1,2,0\n3,4,1") == ([[1.0, 2.0], [3.0, 4.0]], [0, 1])


@pytest.mark.parametrize(
    "text, words",
    [
        ("1,2,0\n3,4", "row 2: 2 fields"),
        ("1,2,0\nnan,4,1", "row 2: 'nan' is not a finite number"),
        ("1,2,0\n3,4,<img src=x onerror=alert(1)>", "row 2: the label '<img src=x onerror="),
        ("1,2,0\n3,4,2", "the label '2' is not 0 or 1"),
        ("1,2,0\n3,4,0", "two classes"),
        ("1,2,0\n3,4,-1\n5,6,1", "found -1, 0, 1"),
        ("x1,x2,label\n", "two classes"),
    ],
)
def test_a_bad_csv_is_a_data_error_naming_the_row(text, words):
    with pytest.raises(DataError) as error:
        read_csv(text)
    assert words in str(error.value)


def test_a_csv_too_long_to_train_on_is_refused():
    rows = "\n".join(f"{i},{i},{i % 2}" for i in range(MAX_ROWS + 1))
    with pytest.raises(DataError, match=f"at most {MAX_ROWS}"):
        read_csv(rows)


@given(st.text(max_size=200))
def test_any_text_is_data_or_a_data_error(text):
    try:
        points, labels = read_csv(text)
    except DataError:
        return
    assert set(labels) == {0, 1} and len(points) == len(labels)
