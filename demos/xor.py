"""XOR: the problem one layer cannot solve, and the 2-2-1 net that can.

Minsky and Papert (1969) showed that a single layer of weights draws one
straight line, and no straight line puts (0,0), (1,1) on one side and (0,1),
(1,0) on the other. Two tanh hidden units bend the boundary; backpropagation
(Rumelhart, Hinton and Williams, 1986) finds their weights. Both nets are
trained here on the four points with binary cross-entropy and Adam; the
picture shows both decision boundaries.

python -m demos.xor [--quick]
"""

from ._common import (
    Stopwatch,
    parse_args,
    plot_decision_boundary,
    pyplot,
    save_figure,
    say,
    train_full_batch,
    write_results,
)

POINTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
LABELS = [0, 1, 1, 0]


def train(model, steps, lr=0.3):
    """Full-batch Adam on the four points; returns the loss per step."""
    from nn import optim

    optimizer = optim.Adam(model.parameters(), lr=lr)
    return train_full_batch(model, optimizer, POINTS, LABELS, steps)


def accuracy(model):
    from autograd import no_grad

    with no_grad():
        right = [(model(x).data > 0) == bool(y) for x, y in zip(POINTS, LABELS)]
    return sum(right) / len(right)


def score_function(model):
    from autograd import no_grad

    def score(x):
        with no_grad():
            return model(x).data

    return score


def seeds_solved(seeds, steps):
    """How many of these seeds' 2-2-1 nets reach 100% (the rest stall in a local minimum)."""
    import nn

    solved = 0
    for seed in seeds:
        model = nn.MLP(2, [2, 1], activation="tanh", seed=seed)
        train(model, steps)
        solved += accuracy(model) == 1.0
    return solved


def main(argv=None):
    args = parse_args("xor", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    import nn

    steps = 150 if args.quick else 400
    with Stopwatch() as clock:
        single = nn.MLP(2, [1], seed=args.seed)
        single_loss = train(single, steps)
        two_layer = nn.MLP(2, [2, 1], activation="tanh", seed=args.seed)
        two_layer_loss = train(two_layer, steps)
    results = {
        "steps": steps,
        "single_layer_accuracy": accuracy(single),
        "single_layer_loss": single_loss[-1],
        "two_layer_accuracy": accuracy(two_layer),
        "two_layer_first_loss": two_layer_loss[0],
        "two_layer_loss": two_layer_loss[-1],
        **clock.times("train"),
    }
    say(f"one layer (2-1):  accuracy {results['single_layer_accuracy']:.0%}")
    say(f"two layers (2-2-1): accuracy {results['two_layer_accuracy']:.0%}")

    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, model, name, key, loss in [
        (axes[0], single, "one layer (2-1)", "single_layer_accuracy", single_loss[-1]),
        (axes[1], two_layer, "2-2-1, tanh", "two_layer_accuracy", two_layer_loss[-1]),
    ]:
        title = f"{name}\n{results[key]:.0%} right, loss {loss:.3g}"
        plot_decision_boundary(ax, score_function(model), POINTS, LABELS, title=title)
    axes[2].plot(single_loss, label="one layer")
    axes[2].plot(two_layer_loss, label="2-2-1")
    axes[2].set(title="binary cross-entropy", xlabel="step", yscale="log")
    axes[2].legend()
    save_figure(fig, args.out / "xor.png")

    if not args.quick:
        seeds = range(20)
        results["seeds_solved"] = f"{seeds_solved(seeds, steps)}/{len(seeds)}"
        say(f"2-2-1 nets reaching 100% over seeds 0-19: {results['seeds_solved']}")
    say(f"wrote {args.out}/xor.png")
    return write_results(args.out, results, run)


if __name__ == "__main__":
    main()
