"""The lenet demo's pictures: kernels, feature maps, and one shared weight's gradient."""

from ._common import pyplot, save_figure


def kernels(path, model):
    """The first convolution's kernels, one 3×3 picture each (blue +, red −)."""
    conv = model.conv1
    count = conv.out_channels
    kh, kw = conv.kernel_size
    plt = pyplot()
    columns = min(8, count)
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.25), squeeze=False)
    largest = max(abs(w.data) for w in conv.weight)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < count:
            grid = [[w.data for w in conv.kernel(k)[r * kw : (r + 1) * kw]] for r in range(kh)]
            ax.imshow(grid, cmap="RdBu", vmin=-largest, vmax=largest)
            ax.set_title(f"{k}", fontsize=8)
    fig.suptitle(f"conv1's {count} learned 3×3 kernels (blue +, red −)", fontsize=10)
    return save_figure(fig, path)


def feature_maps(path, model, pixels):
    """One digit, and what each kernel of conv1 and conv2 sees in it (after relu)."""
    from autograd import no_grad

    with no_grad():
        first, second, scores = model.maps(pixels)
    guess = max(range(10), key=lambda k: scores[k].data)
    panels = [("input", [pixels[r * 8 : (r + 1) * 8] for r in range(8)], "gray_r")]
    panels += [(f"conv1 {k}", _numbers(m), "viridis") for k, m in enumerate(first)]
    panels += [(f"conv2 {k}", _numbers(m), "viridis") for k, m in enumerate(second)]
    columns = 8
    plt = pyplot()
    rows = 1 + -(-len(first) // columns) + -(-len(second) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.05, rows * 1.15), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    slots = [0, *range(columns, columns + len(first))]
    start = columns * (1 + -(-len(first) // columns))
    slots += list(range(start, start + len(second)))
    for slot, (title, grid, cmap) in zip(slots, panels):
        ax = axes.flat[slot]
        ax.imshow(grid, cmap=cmap)
        ax.set_title(title, fontsize=7)
    fig.suptitle(f"feature maps for one test digit (the net says {guess})", fontsize=10)
    return save_figure(fig, path)


def shared_weight(path, model, example, loss_fn):
    """Where conv1's centre weight of its busiest kernel gets its gradient from.

    The scalar graph of one example: each position the kernel visited is one
    Σwx+b node with w among its parents, one use of w as
    `explain(loss, wrt=w, group_by="use")` lists them, adding (the node's
    grad) × (the pixel w read there) to w.grad. Draws the three 8×8 grids and
    returns the figures: the weight, its grad, the positions and the sum of
    their contributions.
    """
    from autograd import explain

    pixels, digit = example
    first, _, scores = model.maps(pixels)
    target = [float(digit == k) for k in range(10)]
    loss = loss_fn(scores, target)
    model.zero_grad()
    loss.backward()
    conv = model.conv1
    centre = (conv.kernel_size[0] // 2) * conv.kernel_size[1] + conv.kernel_size[1] // 2
    k = max(range(conv.out_channels), key=lambda k: abs(conv.kernel(k)[centre].grad))
    w = conv.kernel(k)[centre]
    uses = explain(loss, wrt=w, group_by="use").groups
    position_of = {  # each position's Σwx+b node: relu's input
        (out._prev[0] if out._prev else out): (r, c)
        for r, row in enumerate(first[k])
        for c, out in enumerate(row)
    }
    rows, cols = len(first[k]), len(first[k][0])
    upstream, read, contribution = ([[0.0] * cols for _ in range(rows)] for _ in range(3))
    for use in uses:
        r, c = position_of[use.consumer]
        upstream[r][c], read[r][c], contribution[r][c] = use.arriving, use.local, use.value
    _draw_flow(path, upstream, read, contribution, w.grad, len(uses), k)
    return {
        "digit": digit,
        "weight": f"conv1.weight.{k * len(conv.kernel(k)) + centre}",
        "kernel": k,
        "grad": w.grad,
        "positions": len(uses),
        "sum_of_contributions": sum(use.value for use in uses),
    }


def _draw_flow(path, upstream, read, contribution, grad, positions, k):
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.9))
    grids = (
        (read, "the pixel w reads at each position\n(∂z/∂w = x)", "gray_r"),
        (upstream, "∂L/∂z at each position\n(the grad of that Σwx+b node)", "RdBu"),
        (contribution, "contribution ∂L/∂z · x\n(what each position adds to w.grad)", "RdBu"),
    )
    for ax, (grid, title, cmap) in zip(axes, grids):
        largest = max(abs(v) for row in grid for v in row) or 1.0
        low = 0.0 if cmap == "gray_r" else -largest
        ax.imshow(grid, cmap=cmap, vmin=low, vmax=largest)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(
        f"one weight shared by {positions} positions (conv1 kernel {k}, centre): "
        f"∂L/∂w = Σ {positions} paths = {grad:.4g}",
        fontsize=10,
    )
    return save_figure(fig, path)


def _numbers(plane):
    return [[v.data for v in row] for row in plane]
