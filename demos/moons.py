"""Two moons: micrograd's headline demo, reproduced and timed.

An MLP(2, [16, 16, 1]) with fused neurons learns 100 points of scikit-learn's
make_moons(noise=0.1): max-margin loss plus L2 1e-4, full-batch SGD with the
learning rate falling as 1 − 0.9·k/100 over 100 steps, micrograd's recipe.
Writes the decision boundary, the loss curve and the gradient flow through
one hidden neuron for one point.

python -m demos.moons [--quick] [--expanded] [--micrograd]
"""

from ._common import (
    Stopwatch,
    parse_args,
    plot_curves,
    plot_decision_boundary,
    pyplot,
    save_figure,
    say,
    write_results,
)

ALPHA = 1e-4  # L2 strength


def moons(count, seed):
    """count two-moons points and labels ±1 (scikit-learn's generator, no download)."""
    from sklearn.datasets import make_moons

    points, labels = make_moons(n_samples=count, noise=0.1, random_state=seed)
    return points.tolist(), [1 if label else -1 for label in labels]


def train(model, points, labels, steps, log=say):
    """micrograd's loop: full batch, max-margin + L2, SGD lr 1 − 0.9·k/steps."""
    from nn import losses, optim

    optimizer = optim.SGD(model.parameters(), lr=1.0)
    history = {"loss": [], "accuracy": []}
    for k in range(steps):
        optimizer.lr = 1.0 - 0.9 * k / steps
        scores = [model(x) for x in points]
        loss = losses.max_margin(scores, labels) + losses.l2(model.parameters(), ALPHA)
        accuracy = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history["loss"].append(loss.data)
        history["accuracy"].append(accuracy)
        if k % 10 == 0 or k == steps - 1:
            log(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.0%}")
    return history


def micrograd_clock(points, labels, steps, seed):
    """Time and final accuracy of the same recipe in micrograd's engine (its notebook's loop)."""
    import random

    from micrograd.engine import Value
    from micrograd.nn import MLP

    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    with Stopwatch() as clock:
        for k in range(steps):
            scores = [model(list(map(Value, x))) for x in points]
            losses = [(1 + -y * s).relu() for y, s in zip(labels, scores)]
            total = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(
                p * p for p in model.parameters()
            )
            model.zero_grad()
            total.backward()
            for p in model.parameters():
                p.data -= (1.0 - 0.9 * k / steps) * p.grad
    accuracy = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)
    return clock, accuracy


def score_function(model):
    """x -> the model's score as a float, with no graph recorded."""
    from autograd import no_grad

    def score(x):
        with no_grad():
            return model(x).data

    return score


def one_neuron_graph(model, point, label, neuron=0):
    """The first hidden layer's neuron, written out op by op, inside the full loss.

    The neuron is rebuilt from its own parameters as relu(w₀·x₀ + w₁·x₁ + b),
    the rest of the net runs on top, and backward() of this point's loss fills
    every grad; the returned node is the neuron's output, the root to draw.
    """
    from autograd import Value
    from nn import losses

    first, *rest = model.layers
    unit = first.neurons[neuron]
    (w0, w1), b = unit.w, unit.b
    w0.label, w1.label, b.label = "w₀", "w₁", "b"
    x0, x1 = Value(point[0], label="x₀"), Value(point[1], label="x₁")
    w0x0, w1x1 = w0 * x0, w1 * x1
    w0x0.label, w1x1.label = "w₀x₀", "w₁x₁"
    total = w0x0 + w1x1
    total.label = "w₀x₀+w₁x₁"
    z = total + b
    z.label = "z"
    out = z.relu()
    out.label = "a"
    # The other neurons read plain numbers, so x₀ and x₁ show this neuron's grads only.
    hidden = [out if j == neuron else n(point) for j, n in enumerate(first.neurons)]
    for layer in rest:
        hidden = layer(hidden)
    score = hidden if not isinstance(hidden, list) else hidden[0]
    model.zero_grad()
    losses.max_margin([score], [label]).backward()
    return out


def draw_neuron(model, points, labels, path):
    """Gradient flow through one first-layer neuron, for the point the net is least sure of.

    The neuron drawn is the one whose sum z gets the largest gradient there.
    """
    from autograd import draw

    score = score_function(model)
    margins = [y * score(x) for x, y in zip(points, labels)]
    worst = min(range(len(points)), key=margins.__getitem__)
    point, label = points[worst], labels[worst]

    def z_grad(j):
        return abs(one_neuron_graph(model, point, label, j)._prev[0].grad)

    busiest = max(range(len(model.layers[0].neurons)), key=z_grad)
    draw.render(one_neuron_graph(model, point, label, busiest), path)
    model.zero_grad()
    return path


def main(argv=None):
    flags = {
        "--expanded": "expanded neurons (a * and a + node per input) instead of fused ones",
        "--micrograd": "also time micrograd's engine on the same recipe (if installed)",
    }
    args = parse_args("moons", __doc__.split("\n\n")[0], argv, seed=1337, flags=flags)
    run = Stopwatch.started()
    import nn

    count, steps = (40, 20) if args.quick else (100, 100)
    points, labels = moons(count, args.seed)
    model = nn.MLP(2, [16, 16, 1], seed=args.seed, fused=not args.expanded)
    say(f"two moons: {count} points, MLP(2, [16, 16, 1]), {len(model.parameters())} parameters")
    with Stopwatch() as clock:
        history = train(model, points, labels, steps)
    say(f"trained in {clock.seconds:.2f} s: accuracy {history['accuracy'][-1]:.0%}")

    results = {}
    if args.micrograd:
        micrograd, results["micrograd_accuracy"] = micrograd_clock(points, labels, steps, args.seed)
        results.update(micrograd.times("micrograd_train"))
        ratio = micrograd.cpu_seconds / clock.cpu_seconds
        say(f"micrograd, same recipe: {micrograd.seconds:.2f} s ({ratio:.1f}× the CPU time)")

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 5))
    title = f"MLP(2,[16,16,1]) after {steps} steps: {history['accuracy'][-1]:.0%} accuracy"
    plot_decision_boundary(
        ax, score_function(model), points, labels, title=title, resolution=30 if args.quick else 80
    )
    save_figure(fig, args.out / "decision_boundary.png")
    plot_curves(
        args.out / "loss.png",
        {"max-margin + L2": history["loss"]},
        title="two moons: training loss",
        log=True,
    )
    draw_neuron(model, points, labels, args.out / "neuron_gradient_flow.svg")
    say(f"wrote {args.out}/decision_boundary.png, loss.png, neuron_gradient_flow.svg")
    return write_results(
        args.out,
        {
            **results,
            "points": count,
            "steps": steps,
            "parameters": len(model.parameters()),
            "fused": model.fused,
            "final_loss": history["loss"][-1],
            "first_loss": history["loss"][0],
            "train_accuracy": history["accuracy"][-1],
            **clock.times("train"),
        },
        run,
    )


if __name__ == "__main__":
    main()
