"""Metrics for fit(): plain functions of predictions (floats or Values) and targets."""

from autograd.ops import number


def accuracy(preds, targets) -> float:
    """Fraction of correct predictions.

    A list of scores per example is correct when its largest score is at
    the target class index. A single score is correct when its sign matches
    the target's: score > 0 predicts the positive class, which is a target
    > 0 (labels ±1, or 0/1 with logits).
    """
    if len(preds) != len(targets):
        raise ValueError(f"accuracy: {len(preds)} predictions for {len(targets)} targets")
    if len(preds) == 0:
        raise ValueError("accuracy: the batch is empty")
    correct = 0
    for p, y in zip(preds, targets):
        if hasattr(p, "__len__"):
            scores = [number(s) for s in p]
            correct += scores.index(max(scores)) == y
        else:
            correct += (number(p) > 0) == (number(y) > 0)
    return correct / len(preds)
