"""Local derivatives found by calling a row's rule on symbols."""

import pytest

from autograd import OPS
from autograd.compile.probe import CONSTANT, INPUT, RULE, local_kinds


@pytest.mark.parametrize(
    "name, inputs, kinds",
    [
        ("add", [None, None], [(CONSTANT, 1.0), (CONSTANT, 1.0)]),
        ("sub", [None, None], [(CONSTANT, 1.0), (CONSTANT, -1.0)]),
        ("mul", [None, None], [(INPUT, 1), (INPUT, 0)]),
        ("mul", [None, 1.0001], [(CONSTANT, 1.0001), (INPUT, 0)]),
        ("exp", [None], [(INPUT, 1)]),  # the output itself
        ("relu", [None], [(RULE, None)]),  # it reads x to choose
        ("tanh", [None], [(RULE, None)]),  # 1 − out², computed
        ("pow", [None, 2.0], [(RULE, None), (RULE, None)]),  # the rule reads x: all run
        ("linear", [None] * 5, [(INPUT, 2), (INPUT, 3), (INPUT, 0), (INPUT, 1), (CONSTANT, 1.0)]),
    ],
)
def test_each_local_derivative_is_known_as_the_rule_gives_it(name, inputs, kinds):
    assert local_kinds(OPS[name], inputs) == kinds
