"""Conv2d and pooling: torch's numbers and gradients, central differences, shared weights."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, draw_dot, gradcheck, no_grad
from nn import AvgPool2d, Conv2d, MaxPool2d
from nn.conv import flatten, max_row


def image(channels, height, width, seed, values=None):
    rng = random.Random(seed)
    draw = values or (lambda: rng.uniform(-2, 2))
    return [[[Value(draw()) for _ in range(width)] for _ in range(height)] for _ in range(channels)]


def weighted_sum(out, seed):
    """Σ cᵢ·outᵢ with fixed random cᵢ: a loss whose grads reach every output differently."""
    rng = random.Random(seed)
    return sum(v * rng.uniform(-1, 1) for v in flatten(out))


def data(x):
    return [[[v.data for v in row] for row in plane] for plane in x]


def grads(x):
    return [[[v.grad for v in row] for row in plane] for plane in x]


def assert_same(ours, tensor):
    """Nested lists [C][H][W] of floats equal a torch tensor: its shape, and values to 1e-12."""
    assert [len(ours), len(ours[0]), len(ours[0][0])] == list(tensor.shape)
    assert flatten(ours) == pytest.approx(tensor.flatten().tolist(), rel=1e-12, abs=1e-12)


# ---- against torch (float64) ----

shapes = st.tuples(
    st.integers(1, 3),  # in_channels
    st.integers(1, 3),  # out_channels
    st.tuples(st.integers(1, 3), st.integers(1, 3)),  # kernel_size
    st.tuples(st.integers(1, 2), st.integers(1, 2)),  # stride
    st.tuples(st.integers(0, 2), st.integers(0, 2)),  # padding
    st.tuples(st.integers(3, 6), st.integers(3, 6)),  # height, width
)


@pytest.mark.torch
@settings(max_examples=25)
@given(shape=shapes, seed=st.integers(0, 10**6))
def test_conv2d_matches_torch_outputs_and_grads(shape, seed):
    torch = pytest.importorskip("torch", reason="the oracle tests need PyTorch")
    cin, cout, kernel, stride, padding, (height, width) = shape
    conv = Conv2d(cin, cout, kernel, stride=stride, padding=padding, seed=seed)
    for b in conv.bias:
        b.data = random.Random(seed).uniform(-1, 1)  # biases start at 0: move them
    x = image(cin, height, width, seed)
    out = conv(x)
    weighted_sum(out, seed).backward()

    weight = torch.tensor([w.data for w in conv.weight], dtype=torch.float64)
    weight = weight.reshape(cout, cin, *kernel).requires_grad_()
    bias = torch.tensor([b.data for b in conv.bias], dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(data(x), dtype=torch.float64, requires_grad=True)
    tout = torch.nn.functional.conv2d(tx[None], weight, bias, stride=stride, padding=padding)[0]
    coefficients = random.Random(seed)
    tloss = sum(v * coefficients.uniform(-1, 1) for v in tout.flatten())
    tloss.backward()

    assert_same(data(out), tout)
    assert [w.grad for w in conv.weight] == pytest.approx(
        weight.grad.flatten().tolist(), rel=1e-12, abs=1e-12
    )
    assert [b.grad for b in conv.bias] == pytest.approx(bias.grad.tolist(), rel=1e-12, abs=1e-12)
    assert_same(grads(x), tx.grad)


pool_shapes = st.tuples(
    st.integers(1, 2),  # channels
    st.tuples(st.integers(1, 3), st.integers(1, 3)),  # kernel_size
    st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))),  # stride
    st.booleans(),  # padding: half the kernel, or none
    st.tuples(st.integers(3, 6), st.integers(3, 6)),
)


@pytest.mark.torch
@settings(max_examples=25)
@given(shape=pool_shapes, seed=st.integers(0, 10**6), ties=st.booleans())
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_matches_torch_outputs_and_grads(kind, shape, seed, ties):
    torch = pytest.importorskip("torch", reason="the oracle tests need PyTorch")
    channels, kernel, stride, padded, (height, width) = shape
    padding = tuple(k // 2 for k in kernel) if padded else 0
    rng = random.Random(seed)
    # Small whole numbers make ties, where torch sends the gradient to the first largest.
    x = image(channels, height, width, seed, (lambda: float(rng.randint(0, 2))) if ties else None)
    pool = (MaxPool2d if kind == "max" else AvgPool2d)(kernel, stride, padding)
    out = pool(x)
    weighted_sum(out, seed).backward()

    tx = torch.tensor(data(x), dtype=torch.float64, requires_grad=True)
    function = getattr(torch.nn.functional, f"{kind}_pool2d")
    tout = function(tx[None], kernel, stride, padding)[0]
    coefficients = random.Random(seed)
    sum(v * coefficients.uniform(-1, 1) for v in tout.flatten()).backward()

    assert_same(data(out), tout)
    assert_same(grads(x), tx.grad)


# ---- central differences (always) ----


def test_conv2d_grads_match_central_differences():
    conv = Conv2d(2, 2, (2, 3), stride=(1, 2), padding=1, seed=4)
    n_weights = len(conv.weight)
    pixels = [v.data for v in flatten(image(2, 4, 5, 1))]
    point = [w.data for w in conv.weight] + [0.3, -0.2] + pixels

    def loss(*values):
        conv.weight = list(values[:n_weights])
        conv.bias = list(values[n_weights : n_weights + 2])
        pixels = iter(values[n_weights + 2 :])
        x = [[[next(pixels) for _ in range(5)] for _ in range(4)] for _ in range(2)]
        return weighted_sum(conv(x), 7).tanh()

    assert gradcheck(loss, point, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("pool", [MaxPool2d(2), MaxPool2d(3, 2, 1), AvgPool2d(2, 1, 1)])
def test_pooling_grads_match_central_differences(pool):
    point = [v.data for v in flatten(image(2, 5, 4, 3))]  # distinct values: no ties

    def loss(*values):
        pixels = iter(values)
        x = [[[next(pixels) for _ in range(4)] for _ in range(5)] for _ in range(2)]
        return weighted_sum(pool(x), 2).tanh()

    assert gradcheck(loss, point, atol=1e-7, rtol=1e-6)


def test_gradcheck_fires_on_a_max_row_that_sends_gradient_to_the_wrong_input():
    import dataclasses

    from autograd import GradcheckError, apply

    row = max_row(3)
    last = lambda *inputs_and_out: (0.0, 0.0, 1.0)  # always the last input: wrong
    wrong = dataclasses.replace(row, local_grads=last)
    gradcheck(lambda a, b, c: apply(row, a, b, c) * 2, [3.0, 1.0, 2.0])
    with pytest.raises(GradcheckError):
        gradcheck(lambda a, b, c: apply(wrong, a, b, c) * 2, [3.0, 1.0, 2.0])


# ---- the shared kernel ----


def test_one_kernel_weight_gathers_gradient_from_every_position_it_was_used_at():
    conv = Conv2d(1, 1, 2, seed=0)
    x = image(1, 3, 4, 5)
    out = conv(x)  # 2×3 positions, every one reads weight.0 at its top-left pixel
    weighted_sum(out, 1).backward()
    w0 = conv.weight[0]
    by_hand = sum(
        node.grad * x[0][i][j].data for i, row in enumerate(out[0]) for j, node in enumerate(row)
    )
    assert w0.grad == pytest.approx(by_hand, rel=1e-12)
    assert sum(w0 in node._prev for node in flatten(out)) == 6
    assert conv.bias[0].grad == pytest.approx(sum(node.grad for node in flatten(out)), rel=1e-12)


def test_draw_dot_marks_the_shared_weight_with_one_path_per_position():
    conv = Conv2d(1, 1, 2, seed=0)
    conv.weight[0].label = "w₀"
    out = conv(image(1, 3, 3, 2))  # 2×2 positions
    weighted_sum(out, 3).backward()
    source = draw_dot(weighted_sum(out, 3)).source
    weight_line = next(line for line in source.splitlines() if "w₀" in line)
    assert "Σ 4 paths" in weight_line


def test_each_output_position_is_one_fused_node_and_padding_adds_no_inputs():
    conv = Conv2d(2, 1, 3, padding=1, seed=0)
    out = conv(image(2, 4, 4, 0))
    corner, middle = out[0][0][0], out[0][1][1]
    assert corner._op == middle._op == "Σwx+b"
    assert len(corner._prev) == 2 * (2 * 2 * 2) + 1  # 2×2 of the 3×3 window is inside, per channel
    assert len(middle._prev) == 2 * (2 * 3 * 3) + 1
    assert middle._prev[:18] == tuple(conv.weight)  # the kernel's own Values, shared


def test_max_pool_sends_the_gradient_to_the_max_input_only():
    x = [[[Value(1.0), Value(4.0)], [Value(4.0), Value(-2.0)]]]
    out = MaxPool2d(2)(x)
    (out[0][0][0] * 3).backward()
    assert out[0][0][0].data == 4.0 and out[0][0][0]._op == "max"
    assert grads(x) == [[[0.0, 3.0], [0.0, 0.0]]]  # a tie: the first largest, as torch


def test_avg_pool_counts_padding_in_the_divisor_and_has_no_parameters():
    x = [[[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]]]
    pool = AvgPool2d(2, stride=1, padding=1)
    out = pool(x)
    assert data(out) == [[[0.25, 0.75, 0.5], [1.0, 2.5, 1.5], [0.75, 1.75, 1.0]]]
    assert pool.parameters() == [] and MaxPool2d(2).parameters() == []


# ---- the module ----


def test_parameters_names_and_state_dict_round_trip():
    conv = Conv2d(3, 4, (2, 3), seed=1)
    names = [name for name, _ in conv.named_parameters()]
    assert len(conv.parameters()) == 4 * 3 * 2 * 3 + 4
    assert names[0] == "weight.0" and names[-1] == "bias.3" and "weight.71" in names
    other = Conv2d(3, 4, (2, 3), seed=2)
    assert other.state_dict() != conv.state_dict()
    other.load_state_dict(conv.state_dict())
    x = image(3, 4, 4, 0)
    with no_grad():
        assert data(other(x)) == data(conv(x))
    assert len(conv.kernel(3)) == 18 and conv.kernel(3)[0] is conv.weight[54]


def test_a_seed_fixes_the_weights_and_they_are_scaled_to_the_fan_in():
    a, b = Conv2d(2, 8, 3, seed=5), Conv2d(2, 8, 3, seed=5)
    assert a.state_dict() == b.state_dict()
    assert Conv2d(2, 8, 3, seed=6).state_dict() != a.state_dict()
    bound = (6 / (2 * 3 * 3)) ** 0.5  # He uniform for relu, fan-in 18
    assert all(abs(w.data) <= bound for w in a.weight)
    assert max(abs(w.data) for w in a.weight) > bound / 2
    assert all(b.data == 0.0 for b in a.bias)
    tanh = Conv2d(2, 8, 3, nonlinearity="tanh", seed=5)
    assert max(abs(w.data) for w in tanh.weight) <= (6 / (18 + 72)) ** 0.5


def test_flatten_keeps_torchs_row_major_order():
    x = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    assert flatten(x) == [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conv2d(0, 1, 3), "in_channels must be a positive whole number, not 0"),
        (lambda: Conv2d(1, 1, (3, 0)), "kernel_size must be a positive int"),
        (lambda: Conv2d(1, 1, 3, padding=-1), "padding must be a non-negative int"),
        (lambda: Conv2d(1, 1, 3, nonlinearity="swish"), "unknown activation 'swish'"),
        (lambda: MaxPool2d(2, padding=2), "padding (2, 2) must be at most half"),
        (lambda: AvgPool2d(True), "kernel_size must be a positive int or a pair of them, not True"),
    ],
)
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


@pytest.mark.parametrize(
    ("layer", "x", "error", "message"),
    [
        (Conv2d(2, 1, 2), [[[1.0, 2.0], [3.0, 4.0]]], ValueError, "expects 2 input channel"),
        (Conv2d(1, 1, 3), [[[1.0, 2.0], [3.0, 4.0]]], ValueError, "larger than the padded input"),
        (MaxPool2d(2), [[[1.0, 2.0], [3.0]]], ValueError, "row 1 of channel 0 has 1 values"),
        (MaxPool2d(1), [[[1.0]], [[1.0], [2.0]]], ValueError, "channel 1 has 2 rows, channel 0"),
        (MaxPool2d(2), [1.0, 2.0], ValueError, "channel 0 is not a nonempty list of rows"),
        (AvgPool2d(1), [], ValueError, "nonempty list"),
        (Conv2d(1, 1, 1), [[["a"]]], TypeError, "not str"),
    ],
)
def test_bad_inputs_are_named(layer, x, error, message):
    with pytest.raises(error, match=message):
        layer(x)


def test_a_max_node_is_written_out_in_derivations():
    from autograd import explain

    a, b, c = Value(1.0, label="a"), Value(5.0, label="b"), Value(2.0, label="c")
    pooled = MaxPool2d((1, 3))([[[a, b, c]]])[0][0][0]
    loss = pooled * 3
    loss.label = "L"
    text, latex = str(explain(loss, wrt=b)), explain(loss, wrt=b).latex()
    assert "max(a, b, …)" in text and "= 3" in text
    assert "\\max(a, b, \\dots)" in latex and "\\mathbb{1}[\\text{largest}]" in latex


def test_the_max_rules_run_on_whole_arrays_as_on_floats():
    np = pytest.importorskip("numpy", reason="the array form is for compile's numpy replay")
    rng = np.random.default_rng(0)
    columns = [rng.integers(0, 3, 50).astype(float) for _ in range(4)]  # ties on purpose
    row = max_row(4)
    out = row.forward(*columns)
    grads = row.local_grads(*columns, out)
    for b in range(50):
        xs = [float(c[b]) for c in columns]
        assert out[b] == row.forward(*xs) == max(xs)
        assert [float(g[b]) for g in grads] == list(row.local_grads(*xs, max(xs)))
        assert [float(g[b]) for g in grads].index(1.0) == xs.index(max(xs))
    assert math.isnan(row.forward(1.0, math.nan, 0.5, 2.0))  # nan wins, as in torch


@pytest.mark.parametrize("backend", ["numpy", "python"])
def test_a_compiled_conv_net_gives_the_scalar_engines_loss_and_grads(backend):
    if backend == "numpy":
        pytest.importorskip("numpy", reason="the numpy backend needs numpy")
    from autograd import compile

    conv, pool, avg = Conv2d(1, 2, 2, padding=1, seed=0), MaxPool2d(2), AvgPool2d(2, 1)

    def loss_one(pixels, y):
        x = [[pixels[0:3], pixels[3:6], pixels[6:9]]]
        return (weighted_sum(avg(pool(conv(x))), 1) - y) ** 2

    rng = random.Random(5)
    images = [[float(rng.randint(0, 3)) for _ in range(9)] for _ in range(12)]  # ties too
    ys = [rng.uniform(-1, 1) for _ in images]
    compiled = compile(loss_one, reduce="sum", backend=backend)(images, ys)
    compiled.backward()
    got = [p.grad for p in conv.parameters()]
    conv.zero_grad()
    scalar = sum(loss_one([Value(v) for v in x], y) for x, y in zip(images, ys))
    scalar.backward()
    assert compiled.data == pytest.approx(scalar.data, rel=1e-12)
    assert got == pytest.approx([p.grad for p in conv.parameters()], rel=1e-12, abs=1e-15)
    assert any(got)
