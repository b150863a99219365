"""A replay's errors are the engine's own, naming the op, the node and the example."""

import math

import pytest

import autograd
from autograd import AnomalyError, Value, detect_anomaly

BACKENDS = ["numpy", "python"]
W = Value(0.5, label="w")


def logged(x):
    return (W * x).log()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_domain_error_names_the_op_and_the_example(backend):
    compiled = autograd.compile(logged, backend=backend)
    assert math.isclose(compiled([2.0, 4.0]).data, (0.0 + math.log(2.0)) / 2)
    with pytest.raises(ValueError, match=r"log\(-0.5\): math domain error.*example 2 of the batch"):
        compiled([1.0, 2.0, -1.0, 3.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_domain_error_hidden_by_a_later_op_is_still_an_error(backend):
    # relu(log 0) = relu(−inf) = 0: the scalar engine raises at the log, so must a replay.
    compiled = autograd.compile(lambda x: (W * x).log().relu() + W, backend=backend)
    with pytest.raises(ValueError, match=r"log\(0.0\).*\(example 2 of the batch\)$"):
        compiled([1.0, 2.0, 0.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_anomaly_in_the_forward_names_op_node_and_example(backend):
    compiled = autograd.compile(lambda x: (W * x * 1e300).tanh(), backend=backend)
    big = [1.0, 1e10, 2.0]
    assert compiled(big).data == pytest.approx(1.0)  # inf in between, as the engine allows
    with detect_anomaly(), pytest.raises(AnomalyError) as raised:
        compiled(big)
    message = str(raised.value)
    assert message.startswith("forward of mul(") and "gave inf" in message
    assert "(node v1 in .source) (example 1 of the batch)" in message


@pytest.mark.parametrize("backend", BACKENDS)
def test_anomaly_in_the_backward_names_op_node_and_example(backend):
    compiled = autograd.compile(lambda x: (x - W).sqrt(), backend=backend)
    loss = compiled([4.0, 0.5, 1.0])  # √0: the forward is fine, its slope infinite
    loss.backward()
    assert W.grad == -math.inf  # as the scalar engine gives it
    W.grad = 0.0
    with detect_anomaly(), pytest.raises(AnomalyError) as raised:
        compiled([4.0, 0.5, 1.0])
    message = str(raised.value)
    assert message.startswith("backward of sqrt(") and "example 1 of the batch" in message


def test_an_engine_error_while_tracing_names_the_example():
    with pytest.raises(ValueError, match=r"log\(0.0\).*example 1 of the batch, tracing logged"):
        autograd.compile(logged)([1.0, 0.0])


def test_the_reported_node_is_the_one_named_in_the_source():
    def f(x):
        big = W * x * 1e300
        big.label = "big"
        return big.tanh()

    compiled = autograd.compile(f)
    compiled([1.0])
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"node big in .source"):
        compiled([1.0, 1e10])
    assert "big = mul(" in compiled.source
