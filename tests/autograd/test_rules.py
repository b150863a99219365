"""The helpers rules are written with: one rule for floats, Values and arrays."""

import math

import pytest

from autograd import Value
from autograd.rules import array_module, data_of, exp, log, power, where


def test_where_picks_one_branch_of_a_bool_and_runs_only_that_one():
    def never():
        raise AssertionError("the branch not taken was computed")

    assert where(True, 1.0, never) == 1.0
    assert where(False, never, lambda: 2.0) == 2.0
    assert where(Value(1.0) > 0, "x", "y") == "x"


def test_where_picks_per_element_of_an_array_computing_both():
    np = pytest.importorskip("numpy")
    x = np.array([-1.0, 0.0, 2.0])
    with np.errstate(divide="ignore"):
        out = where(x > 0, lambda: 1.0 / x, 0.0)
    assert out.tolist() == [0.0, 0.0, 0.5]


def test_only_arrays_have_an_array_module():
    np = pytest.importorskip("numpy")
    assert array_module(1.0, 2, Value(3.0)) is None
    assert array_module(1.0, np.array([1.0])) is np


def test_data_of_reads_a_values_number_and_passes_others_through():
    np = pytest.importorskip("numpy")
    x = np.array([1.0])
    assert data_of(Value(2.5)) == 2.5 and data_of(3) == 3 and data_of(x) is x


@pytest.mark.parametrize(
    "helper, inputs, expected",
    [
        (log, ([0.0, -1.0, math.e],), [-math.inf, math.nan, 1.0]),
        (power, ([0.0, -8.0, 4.0], 0.5), [0.0, math.nan, 2.0]),
        (power, ([0.0], -1.0), [math.inf]),
        (exp, ([0.0, 1000.0],), [1.0, math.inf]),
    ],
)
def test_helpers_are_total_on_arrays_as_on_floats(helper, inputs, expected):
    np = pytest.importorskip("numpy")
    arrays = [np.array(x) if isinstance(x, list) else x for x in inputs]
    with np.errstate(all="ignore"):
        assert np.array_equal(helper(*arrays), np.array(expected), equal_nan=True)
    if helper is not exp:  # on a float, exp's overflow is math's OverflowError, as in forward
        floats = [helper(*[x[i] if isinstance(x, list) else x for x in inputs])
                  for i in range(len(expected))]  # fmt: skip
        assert np.array_equal(floats, expected, equal_nan=True)
