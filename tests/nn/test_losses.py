"""Losses: values from their definitions, gradients vs central differences, stability."""

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order
from nn import losses

H = 1e-6


def central_differences(loss_of_floats, xs):
    """∂loss/∂xᵢ by (f(x + h) − f(x − h)) / 2h, on plain floats."""
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += H
        down[i] -= H
        grads.append((loss_of_floats(up) - loss_of_floats(down)) / (2 * H))
    return grads


def check_gradients(build, xs):
    """build(list of Values) -> loss Value; compare its backward() with central differences."""
    leaves = [Value(x) for x in xs]
    loss = build(leaves)
    loss.backward()
    numeric = central_differences(lambda fs: build([Value(f) for f in fs]).data, xs)
    for leaf, expected in zip(leaves, numeric):
        assert leaf.grad == pytest.approx(expected, rel=1e-5, abs=1e-6)
    return loss


finite = st.floats(-4, 4, allow_nan=False)


@settings(max_examples=30)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=5))
def test_mse_is_the_mean_squared_error_with_correct_gradients(pairs):
    preds, targets = [p for p, _ in pairs], [y for _, y in pairs]
    loss = check_gradients(lambda vs: losses.mse(vs, targets), preds)
    expected = sum((p - y) ** 2 for p, y in pairs) / len(pairs)
    assert loss.data == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_mse_averages_over_every_output_of_multi_output_predictions():
    preds = [[Value(1.0), Value(2.0)], [Value(0.0), Value(0.0)]]
    assert losses.mse(preds, [[0.0, 0.0], [1.0, 1.0]]).data == pytest.approx(7 / 4)


@settings(max_examples=30)
@given(
    st.lists(
        st.tuples(finite.filter(lambda s: abs(abs(s) - 1) > 1e-3), st.sampled_from([-1.0, 1.0])),
        min_size=1,
        max_size=5,
    )
)
def test_max_margin_is_the_mean_hinge_with_correct_gradients(pairs):
    scores, labels = [s for s, _ in pairs], [y for _, y in pairs]
    loss = check_gradients(lambda vs: losses.max_margin(vs, labels), scores)
    expected = sum(max(0.0, 1 - y * s) for s, y in pairs) / len(pairs)
    assert loss.data == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_l2_is_alpha_times_the_sum_of_squares():
    params = [0.5, -2.0, 3.0]
    loss = check_gradients(lambda vs: losses.l2(vs, 1e-3), params)
    assert loss.data == pytest.approx(1e-3 * (0.25 + 4 + 9))


@settings(max_examples=30)
@given(st.lists(st.tuples(finite, st.floats(0, 1)), min_size=1, max_size=5))
def test_binary_cross_entropy_matches_its_definition_and_central_differences(pairs):
    logits, targets = [z for z, _ in pairs], [y for _, y in pairs]
    loss = check_gradients(lambda vs: losses.binary_cross_entropy(vs, targets), logits)

    def bce(z, y):
        p = 1 / (1 + math.exp(-z))
        return -(y * math.log(p) + (1 - y) * math.log(1 - p))

    expected = sum(bce(z, y) for z, y in pairs) / len(pairs)
    assert loss.data == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_binary_cross_entropy_gradient_is_sigmoid_minus_target_even_at_zero():
    for z, y in [(0.0, 1.0), (0.0, 0.0), (0.0, 0.3), (2.0, 1.0), (-2.0, 0.0)]:
        logit = Value(z)
        losses.binary_cross_entropy([logit], [y]).backward()
        assert logit.grad == pytest.approx(1 / (1 + math.exp(-z)) - y, rel=1e-12)


@pytest.mark.parametrize(("z", "y", "loss"), [(1000.0, 1.0, 0.0), (-1000.0, 1.0, 1000.0)])
def test_binary_cross_entropy_is_exact_on_huge_logits(z, y, loss):
    logit = Value(z)
    out = losses.binary_cross_entropy([logit], [y])
    out.backward()
    assert out.data == pytest.approx(loss, abs=1e-12)
    assert logit.grad == pytest.approx(0.0 if z > 0 else -1.0, abs=1e-12)


@settings(max_examples=30)
@given(
    st.lists(
        st.lists(finite, min_size=3, max_size=3).flatmap(
            lambda row: st.tuples(st.just(row), st.integers(0, 2))
        ),
        min_size=1,
        max_size=4,
    )
)
def test_softmax_cross_entropy_matches_its_definition_and_central_differences(examples):
    flat = [z for row, _ in examples for z in row]
    targets = [t for _, t in examples]

    def build(vs):
        return losses.softmax_cross_entropy(
            [vs[3 * i : 3 * i + 3] for i in range(len(targets))], targets
        )

    loss = check_gradients(build, flat)
    expected = sum(math.log(sum(math.exp(z) for z in row)) - row[t] for row, t in examples) / len(
        examples
    )
    assert loss.data == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_softmax_cross_entropy_is_finite_for_logits_of_plus_minus_a_thousand():
    row = [Value(1000.0), Value(-1000.0), Value(0.0)]
    loss = losses.softmax_cross_entropy([row], [1])
    loss.backward()
    assert loss.data == pytest.approx(2000.0)
    assert [z.grad for z in row] == pytest.approx([1.0, -1.0, 0.0], abs=1e-12)


def test_a_batch_mean_costs_one_multiply_not_a_division_per_term():
    preds = [Value(float(i)) for i in range(10)]
    graph = topological_order(losses.mse(preds, [0.0] * 10))
    ops = [node._op for node in graph if node._prev]
    assert ops.count("*") == 10 + 1  # one square per term, one for the mean
    assert ops.count("/") == 0 and ops.count("+") == 9


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: losses.mse([Value(1.0)], [1.0, 2.0]), ValueError, "mse: 1 predictions for 2"),
        (lambda: losses.mse([], []), ValueError, "mse: the batch is empty"),
        (lambda: losses.mse(Value(1.0), [1.0]), TypeError, "must be a list"),
        (lambda: losses.max_margin([Value(1.0)], 1.0), TypeError, "targets must be a list"),
        (lambda: losses.binary_cross_entropy([Value(0.0)], [2.0]), ValueError, "not in"),
        (lambda: losses.softmax_cross_entropy([[Value(0.0)] * 2], [2]), IndexError, "class 2"),
        (lambda: losses.softmax_cross_entropy([[Value(0.0)] * 2], [0.5]), TypeError, "index"),
        (lambda: losses.l2([], 0.1), ValueError, "no parameters"),
    ],
)
def test_bad_batches_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_targets_and_class_indices_are_accepted():
    np = pytest.importorskip("numpy", reason="numpy arrays as targets")
    row = [Value(0.0), Value(1.0)]
    by_list = losses.softmax_cross_entropy([row], [1]).data
    assert losses.softmax_cross_entropy([row], np.array([1])).data == by_list
    assert losses.mse([Value(1.0)], np.array([0.5])).data == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("loss", "preds", "targets"),
    [
        (losses.mse, [0.5, -1.0], [1.0, 0.0]),
        (losses.max_margin, [0.5, -2.0], [1.0, -1.0]),
        (losses.binary_cross_entropy, [0.5, -2.0], [1.0, 0.0]),
        (losses.softmax_cross_entropy, [[1.0, 2.0, -1.0], [0.0, 3.0, 0.5]], [1, 0]),
    ],
)
def test_every_loss_takes_plain_float_predictions_as_it_takes_values(loss, preds, targets):
    def as_values(p):
        return [Value(q) for q in p] if isinstance(p, list) else Value(p)

    from_floats = loss(preds, targets)
    assert isinstance(from_floats, Value)
    assert from_floats.data == loss([as_values(p) for p in preds], targets).data


def test_a_prediction_that_is_not_a_number_is_named():
    with pytest.raises(TypeError, match="str"):
        losses.softmax_cross_entropy([["a", 1.0]], [0])


def test_the_losses_the_readme_calls_batch_means_are_and_l2_is_not_among_them():
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text("utf-8").split())
    bullet = readme[readme.index("**Losses**") : readme.index("are each the mean over a batch")]
    means = re.findall(r"`(\w+)`", bullet)  # `nn.losses` has a dot: not a name here
    assert means == ["mse", "max_margin", "binary_cross_entropy", "softmax_cross_entropy"]
    batches = {
        "mse": ([0.5, -1.0], [1.0, 0.0]),
        "max_margin": ([0.5, -2.0], [1.0, -1.0]),
        "binary_cross_entropy": ([0.5, -2.0], [1.0, 0.0]),
        "softmax_cross_entropy": ([[1.0, 2.0], [0.0, 3.0]], [1, 0]),
    }
    for name in means:
        preds, targets = batches[name]
        loss = getattr(losses, name)
        assert loss(preds * 3, targets * 3).data == pytest.approx(loss(preds, targets).data)
    params = [Value(1.0), Value(2.0)]
    assert losses.l2(params * 2, 1.0).data == 2 * losses.l2(params, 1.0).data  # a sum


# ---- one example at a time, for autograd.compile ----

ONE_EXAMPLE = [  # (batch loss, predictions, targets)
    (losses.mse, [0.5, -1.0, 2.0], [1.0, 0.0, 2.5]),
    (losses.mse, [[0.5, 1.0], [-1.0, 3.0]], [[1.0, 0.0], [0.0, 2.0]]),
    (losses.max_margin, [0.5, -2.0, 0.3], [1.0, -1.0, -1.0]),
    (losses.binary_cross_entropy, [0.5, -2.0, 0.0], [1.0, 0.0, 0.25]),
    (losses.softmax_cross_entropy, [[1.0, 2.0, 0.5], [0.0, 3.0, -1.0]], [2, 0]),
]


@pytest.mark.parametrize("loss, preds, targets", ONE_EXAMPLE, ids=lambda x: str(x)[:20])
def test_the_one_example_form_averages_to_the_batch_loss_with_its_gradients(loss, preds, targets):
    one = loss.one_example
    outputs = len(preds[0]) if isinstance(preds[0], list) else 1
    encoded = one.targets(targets, outputs)
    batch = [[Value(p) for p in row] if isinstance(row, list) else Value(row) for row in preds]
    each = [[Value(p) for p in row] if isinstance(row, list) else Value(row) for row in preds]
    expected = loss(batch, targets)
    expected.backward()
    terms = [one.loss(p, y) for p, y in zip(each, encoded)]
    mean = sum(terms[1:], terms[0]) * (1.0 / len(terms))
    mean.backward()
    assert mean.data == pytest.approx(expected.data, rel=1e-12)
    flat = lambda rows: [v for r in rows for v in (r if isinstance(r, list) else [r])]
    for a, b in zip(flat(each), flat(batch)):
        assert a.grad == pytest.approx(b.grad, rel=1e-12, abs=1e-15)


def test_the_one_example_forms_are_exact_for_logits_of_a_thousand():
    for z in (1000.0, -1000.0):
        logit = Value(z)
        loss = losses.logistic(logit, 1.0)
        loss.backward()
        assert loss.data == pytest.approx(max(-z, 0.0)) and logit.grad in (0.0, -1.0)
    logits = [Value(1000.0), Value(-1000.0)]
    loss = losses.cross_entropy(logits, [0.0, 1.0])
    loss.backward()
    assert loss.data == 2000.0 and [z.grad for z in logits] == [1.0, -1.0]


def test_the_one_example_forms_trace_without_a_branch():
    import autograd

    w = Value(0.7)
    for loss, encoded in [
        (losses.logistic, [1.0, 0.0]),
        (losses.hinge, [1.0, -1.0]),
        (losses.squared_error, [1.0, 0.0]),
    ]:
        compiled = autograd.compile(lambda x, y, loss=loss: loss(w * x, y))
        assert math.isfinite(compiled([3.0, -2.0], encoded).data)
    compiled = autograd.compile(lambda x, y: losses.cross_entropy([w * x, x], y))
    assert math.isfinite(compiled([3.0, -2.0], [[1.0, 0.0], [0.0, 1.0]]).data)


def test_one_example_targets_are_checked_as_the_batch_losses_check_them():
    with pytest.raises(IndexError, match="class 3 is out of range for 3 logits"):
        losses.softmax_cross_entropy.one_example.targets([0, 3], 3)
    with pytest.raises(ValueError, match=r"target 1.5 is not in \[0, 1\]"):
        losses.binary_cross_entropy.one_example.targets([1.5], 1)
    with pytest.raises(ValueError, match="2 logits for a target of 3"):
        losses.cross_entropy([Value(1.0), Value(2.0)], [0.0, 1.0, 0.0])
