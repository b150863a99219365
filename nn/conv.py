"""Conv2d, MaxPool2d and AvgPool2d on nested lists [C][H][W] of Values, shaped as in torch.nn.

A convolution slides one small kernel of weights over the whole image: each
output position is a single fused `Σwx+b` node (the `linear` row) whose
weights are the same kernel Values, so one kernel weight is a parent of every
position it was used at and backward() sums the gradient of all of them into
it (drawn as `Σ n paths`). Positions that fall in the zero padding are left
out of the node: they add nothing to the sum and nothing to the gradient.

Max pooling is one `max` node per window (a row applied with
`autograd.apply`): its local derivative is 1 for the first largest input and
0 for the rest, so the gradient goes to the max input as in torch. Average
pooling is a fused node with the constant weight 1/(kh·kw), counting padded
positions in the divisor as torch's default (count_include_pad=True) does.
"""

import functools
from numbers import Real

from autograd import Op, Value, apply, linear
from autograd.rules import data_of, where

from .init import check_activation, initial_weights, make_rng
from .module import Module

__all__ = ["AvgPool2d", "Conv2d", "MaxPool2d", "flatten"]


class Conv2d(Module):
    """out_channels kernels of in_channels × kernel_size, slid with stride over zero padding.

    weight holds torch's (out, in, kh, kw) tensor as one flat list in the same
    order, so `weight.17` is torch's `weight.flatten()[17]`; bias has one Value
    per output channel. Weights are drawn uniformly as nn.Layer's are for the
    nonlinearity that follows (He for relu, Xavier otherwise; fan-in
    in·kh·kw, fan-out out·kh·kw), biases start at 0; seed makes them repeatable.
    """

    def __init__(
        self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
        nonlinearity="relu", seed=None,
    ):  # fmt: skip
        self.in_channels = _count(in_channels, "in_channels", "Conv2d")
        self.out_channels = _count(out_channels, "out_channels", "Conv2d")
        self.kernel_size = _pair(kernel_size, "kernel_size", "Conv2d")
        self.stride = _pair(stride, "stride", "Conv2d")
        self.padding = _pair(padding, "padding", "Conv2d", least=0)
        check_activation(nonlinearity)
        kh, kw = self.kernel_size
        size = self.in_channels * kh * kw
        rng = make_rng(seed)
        self.weight = [
            Value(w)
            for _ in range(self.out_channels)
            for w in initial_weights(rng, nonlinearity, size, self.out_channels * kh * kw)
        ]
        self.bias = [Value(0.0) for _ in range(self.out_channels)]
        self._taps = {}  # (H, W) -> each output position's (weight offsets, input indices)

    def kernel(self, out_channel):
        """The weights of one output channel, flat in (in, kh, kw) order."""
        size = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        return self.weight[out_channel * size : (out_channel + 1) * size]

    def __call__(self, x):
        flat, (height, width) = _read(x, self.in_channels, "Conv2d")
        taps = self._taps.get((height, width))
        if taps is None:
            if len(self._taps) > 16:
                self._taps.clear()
            taps = self._taps[height, width] = _conv_taps(self, height, width)
        rows, cols, positions = taps
        out = []
        for o in range(self.out_channels):
            kernel, b = self.kernel(o), self.bias[o]
            nodes = [
                linear([kernel[k] for k in offsets], [flat[t] for t in inputs], b)
                for offsets, inputs in positions
            ]
            out.append([nodes[r * cols : (r + 1) * cols] for r in range(rows)])
        return out

    def __repr__(self):
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding})"
        )


class _Pool2d(Module):
    """What max and average pooling share: the window, its stride and padding."""

    def __init__(self, kernel_size, stride=None, padding=0):
        who = type(self).__name__
        self.kernel_size = _pair(kernel_size, "kernel_size", who)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", who)
        self.padding = _pair(padding, "padding", who, least=0)
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size)):
            raise ValueError(
                f"{who}: padding {self.padding} must be at most half of "
                f"kernel_size {self.kernel_size}"
            )

    def __call__(self, x):
        who = type(self).__name__
        flat, (height, width) = _read(x, None, who)
        channels = len(flat) // (height * width)
        rows, cols, windows = _windows(self, height, width, who)
        pool = self._pooler()
        out = []
        for c in range(channels):
            base = c * height * width
            nodes = [pool([flat[base + t] for t in window]) for window in windows]
            out.append([nodes[r * cols : (r + 1) * cols] for r in range(rows)])
        return out

    def __repr__(self):
        return (
            f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride}, "
            f"padding={self.padding})"
        )


class MaxPool2d(_Pool2d):
    """The largest value of each window, per channel; stride defaults to kernel_size."""

    def _pooler(self):
        return lambda xs: apply(max_row(len(xs)), *xs)


class AvgPool2d(_Pool2d):
    """The mean of each window (padding counted as zeros), per channel."""

    def _pooler(self):
        kh, kw = self.kernel_size
        # Constant leaves made per call, so they are no parameters of anything.
        share, zero = Value(1.0 / (kh * kw), label=f"1/{kh * kw}"), Value(0.0)
        return lambda xs: linear([share] * len(xs), xs, zero)


def flatten(x):
    """[C][H][W] (or any nesting) as one flat list, in torch's row-major order."""
    if isinstance(x, list | tuple):
        return [v for item in x for v in flatten(item)]
    return [x]


@functools.cache
def max_row(n: int) -> Op:
    """The row of max over n inputs: ∂max/∂xᵢ = 1 for the first largest xᵢ, else 0."""
    names = {1: "{x}", 2: "{x}, {y}"}.get(n, "{x}, {y}, …")
    latex_names = names.replace("…", "\\dots")
    return Op(
        "max", "max", n, _max_forward, _max_grads,
        f"max({names})", ("1 if it is the largest, else 0",) * n,
        f"\\max({latex_names})", ("\\mathbb{1}[\\text{largest}]",) * n,
    )  # fmt: skip


def _max_forward(*xs):
    # Written with where() so that compile's numpy replay runs it on whole
    # arrays; a nan wins, as in torch (x != x only for nan).
    out = xs[0]
    for x in xs[1:]:
        out = where((x > out) | (x != x), x, out)
    return out


def _max_grads(*inputs_and_out):
    *inputs, out = (data_of(v) for v in inputs_and_out)
    grads, taken = [], False
    for x in inputs:  # torch's tie rule: the first largest in the window
        hit = x == out
        grads.append(where(taken, 0.0, where(hit, 1.0, 0.0)))
        taken = taken | hit
    return tuple(grads)


# ---- shapes ----


def _conv_taps(conv, height, width):
    """For each output position: the kernel offsets and flat input indices it reads."""
    kh, kw = conv.kernel_size
    rows, cols = _out_size(conv, height, width, "Conv2d")
    sh, sw = conv.stride
    ph, pw = conv.padding
    positions = []
    for i in range(rows):
        for j in range(cols):
            offsets, inputs = [], []
            for c in range(conv.in_channels):
                for u in range(kh):
                    r = i * sh - ph + u
                    if not 0 <= r < height:
                        continue
                    for v in range(kw):
                        s = j * sw - pw + v
                        if 0 <= s < width:
                            offsets.append((c * kh + u) * kw + v)
                            inputs.append((c * height + r) * width + s)
            positions.append((offsets, inputs))
    return rows, cols, positions


def _windows(pool, height, width, who):
    """For each output position of one channel: the indices of its window inside the image."""
    kh, kw = pool.kernel_size
    rows, cols = _out_size(pool, height, width, who)
    sh, sw = pool.stride
    ph, pw = pool.padding
    windows = []
    for i in range(rows):
        for j in range(cols):
            rs = [r for r in range(i * sh - ph, i * sh - ph + kh) if 0 <= r < height]
            ss = [s for s in range(j * sw - pw, j * sw - pw + kw) if 0 <= s < width]
            windows.append([r * width + s for r in rs for s in ss])
    return rows, cols, windows


def _out_size(layer, height, width, who):
    """Output rows and columns: ⌊(H + 2·padding − kernel) / stride⌋ + 1 each way."""
    (kh, kw), (sh, sw), (ph, pw) = layer.kernel_size, layer.stride, layer.padding
    if height + 2 * ph < kh or width + 2 * pw < kw:
        raise ValueError(
            f"{who}: kernel_size {layer.kernel_size} is larger than the padded input "
            f"{height + 2 * ph}×{width + 2 * pw}"
        )
    return (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1


def _read(x, channels, who):
    """x [C][H][W] as one flat list of Values (numbers wrapped once) and its (H, W)."""
    if not isinstance(x, list | tuple) or not x:
        raise ValueError(f"{who} expects a nonempty list [C][H][W], not {_brief(x)}")
    if channels is not None and len(x) != channels:
        raise ValueError(f"{who} expects {channels} input channel(s), got {len(x)}")
    shape = None
    flat = []
    for c, plane in enumerate(x):
        if not isinstance(plane, list | tuple) or not plane:
            raise ValueError(f"{who}: channel {c} is not a nonempty list of rows: {_brief(plane)}")
        if shape is None:
            shape = (len(plane), len(plane[0]) if isinstance(plane[0], list | tuple) else 0)
        if len(plane) != shape[0]:
            raise ValueError(f"{who}: channel {c} has {len(plane)} rows, channel 0 has {shape[0]}")
        for r, row in enumerate(plane):
            if not isinstance(row, list | tuple) or not row:
                raise ValueError(f"{who}: row {r} of channel {c} is not a nonempty list")
            if len(row) != shape[1]:
                raise ValueError(
                    f"{who}: row {r} of channel {c} has {len(row)} values, row 0 has {shape[1]}"
                )
            flat.extend(_value(v, who) for v in row)
    return flat, shape


def _value(v, who):
    if isinstance(v, Value):
        return v
    if isinstance(v, bool) or not isinstance(v, Real):
        raise TypeError(f"{who}: an input must be a Value or a number, not {type(v).__name__}")
    return Value(float(v))


def _brief(x):
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def _count(n, name, who):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{who}: {name} must be a positive whole number, not {n!r}")
    return n


def _pair(n, name, who, least=1):
    """An int or a pair of ints as (height, width), each at least `least`."""
    pair = (n, n) if isinstance(n, int) and not isinstance(n, bool) else n
    if (
        not isinstance(pair, tuple | list)
        or len(pair) != 2
        or not all(isinstance(k, int) and not isinstance(k, bool) and k >= least for k in pair)
    ):
        kind = "a positive" if least else "a non-negative"
        raise ValueError(f"{who}: {name} must be {kind} int or a pair of them, not {n!r}")
    return tuple(pair)
