"""accuracy(): sign agreement for single scores, argmax for lists of scores."""

import pytest

from autograd import Value
from nn.metrics import accuracy


def test_single_scores_count_sign_agreement_for_plus_minus_and_zero_one_labels():
    scores = [Value(0.3), Value(-2.0), Value(1.0), -0.5]
    assert accuracy(scores, [1.0, -1.0, -1.0, -1.0]) == 0.75
    assert accuracy(scores, [1, 0, 0, 1]) == 0.5


def test_lists_of_scores_count_argmax_hits():
    rows = [[0.1, 0.9, 0.0], [Value(3.0), Value(1.0), Value(2.0)]]
    assert accuracy(rows, [1, 2]) == 0.5


def test_mismatched_and_empty_batches_are_named():
    with pytest.raises(ValueError, match="2 predictions for 1"):
        accuracy([1.0, 2.0], [1])
    with pytest.raises(ValueError, match="empty"):
        accuracy([], [])


def test_numpy_rows_and_labels_work_like_lists():
    np = pytest.importorskip("numpy", reason="numpy arrays as predictions")
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5
