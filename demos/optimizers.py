"""Gradient descent, momentum and Adam on the same task from the same start.

Plain gradient descent steps against the gradient; momentum (Polyak 1964,
used with backprop by Rumelhart, Hinton and Williams 1986) adds a fraction of
the previous step; Adam (Kingma and Ba 2014) scales each parameter's step by
running estimates of its gradient's mean and size. Each trains the same
MLP(2, [16, 16, 1]) with fused neurons, from the same seed's weights, on 100
two-moons points, full batch, with binary cross-entropy.

python -m demos.optimizers [--quick]
"""

from ._common import Stopwatch, parse_args, plot_curves, say, train_full_batch, write_results

OPTIMIZERS = {
    "gradient descent (lr 0.1)": ("SGD", {"lr": 0.1}),
    "momentum 0.9 (lr 0.1)": ("SGD", {"lr": 0.1, "momentum": 0.9}),
    "Adam (lr 0.01)": ("Adam", {"lr": 0.01}),
}


def train_with(name, points, labels, steps, seed):
    """Loss per step of one optimizer, from the seed's initial weights."""
    import nn
    from nn import optim

    kind, options = OPTIMIZERS[name]
    model = nn.MLP(2, [16, 16, 1], seed=seed, fused=True)
    optimizer = getattr(optim, kind)(model.parameters(), **options)
    return train_full_batch(model, optimizer, points, labels, steps)


def main(argv=None):
    args = parse_args("optimizers", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    from sklearn.datasets import make_moons

    count, steps = (40, 15) if args.quick else (100, 150)
    points, labels = make_moons(n_samples=count, noise=0.1, random_state=args.seed)
    points, labels = points.tolist(), labels.tolist()
    curves, results = {}, {"points": count, "steps": steps}
    for name in OPTIMIZERS:
        with Stopwatch() as clock:
            curves[name] = train_with(name, points, labels, steps, args.seed)
        first, last = curves[name][0], curves[name][-1]
        say(f"{name:28s} loss {first:.4f} → {last:.4f}  ({clock.seconds:.1f} s)")
        results[name] = {"first_loss": curves[name][0], "final_loss": curves[name][-1]}
        results[name].update(clock.times("train"))
    plot_curves(
        args.out / "optimizers.png",
        curves,
        title=f"two moons ({count} points), same net and start",
        ylabel="binary cross-entropy",
        log=True,
    )
    say(f"wrote {args.out}/optimizers.png")
    return write_results(args.out, results, run)


if __name__ == "__main__":
    main()
