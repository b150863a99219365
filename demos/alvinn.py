"""ALVINN: steering a car from a picture of the road.

Pomerleau's ALVINN (1989-1992) drove a van from a 30×32 camera image through
a few hidden units to 30 output units, a Gaussian "bump" whose position is
the steering direction. Here the roads are generated (12×16 grey pictures
of a curving road with random lighting and noise: see _roads.py), the net is
an MLP(192, [8, 30]) with fused neurons trained on the bump by mean squared
error and Adam, and it is scored on roads it never saw. Writes predicted
against true steering, and a few test roads with both directions drawn in.

python -m demos.alvinn [--quick]
"""

from ._common import Stopwatch, parse_args, plot_curves, pyplot, save_figure, say, write_results
from ._roads import HEIGHT, WIDTH, bump, read_bump, roads

HIDDEN, UNITS = 8, 30
TRAIN_SEED, TEST_SEED = 1, 2  # different seeds: the test roads are unseen


def examples(count, seed):
    """(pixels, bump target) pairs and the true steering of each."""
    pairs = roads(count, seed)
    data = [(image.ravel().tolist(), bump(steer, UNITS).tolist()) for image, steer in pairs]
    return data, [steer for _, steer in pairs], [image for image, _ in pairs]


def steer(model, pixels):
    """The steering the net reads from each picture."""
    from autograd import no_grad

    with no_grad():
        return [read_bump([v.data for v in model(x)]) for x in pixels]


def plot_predictions(path, truth, guesses, error):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([-1, 1], [-1, 1], color="0.6", linewidth=1)
    ax.scatter(truth, guesses, s=8, alpha=0.6)
    ax.set(xlabel="true steering", ylabel="predicted steering", xlim=(-1.1, 1.1), ylim=(-1.1, 1.1))
    ax.set_title(f"unseen roads: mean |error| {error:.3f}")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    return save_figure(fig, path)


def plot_roads(path, images, truth, guesses, count=8):
    """Test pictures with the true (green) and predicted (orange) directions."""
    plt = pyplot()
    fig, axes = plt.subplots(1, count, figsize=(count * 1.6, 1.8))
    for ax, image, t, g in zip(axes, images, truth, guesses):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        for value, colour in [(t, "#2ecc71"), (g, "#e67e22")]:
            x = (value + 1) / 2 * (WIDTH - 1)
            ax.plot([(WIDTH - 1) / 2, x], [HEIGHT - 0.5, HEIGHT / 2], color=colour, linewidth=2)
        ax.set_title(f"{t:+.2f} / {g:+.2f}", fontsize=8)
        ax.axis("off")
    fig.suptitle("unseen roads: true (green) and predicted (orange) steering", fontsize=9)
    return save_figure(fig, path)


def main(argv=None):
    args = parse_args("alvinn", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    import nn
    from nn import losses, optim

    n_train, n_test, epochs = (150, 60, 4) if args.quick else (1200, 400, 15)
    train, _, _ = examples(n_train, TRAIN_SEED + 1000 * args.seed)
    test, test_truth, test_images = examples(n_test, TEST_SEED + 1000 * args.seed)
    model = nn.MLP(HEIGHT * WIDTH, [HIDDEN, UNITS], activation="tanh", seed=args.seed, fused=True)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    say(f"alvinn: {n_train} training roads, {n_test} unseen, {HEIGHT}×{WIDTH} pixels")
    say(f"MLP({HEIGHT * WIDTH}, [{HIDDEN}, {UNITS}]), {len(model.parameters())} parameters")

    def on_epoch(epoch, history):
        say(f"epoch {epoch + 1:2d}  loss {history.loss[-1]:.5f}")

    with Stopwatch() as clock:
        history = nn.train.fit(
            model,
            train,
            losses.mse,
            optimizer,
            epochs=epochs,
            batch_size=16,
            seed=args.seed,
            progress=False,
            callback=on_epoch,
        )
    guesses = steer(model, [x for x, _ in test])
    errors = [abs(g - t) for g, t in zip(guesses, test_truth)]
    error = sum(errors) / len(errors)
    mean_steer = sum(test_truth) / len(test_truth)
    baseline = sum(abs(t - mean_steer) for t in test_truth) / len(test_truth)
    say(f"unseen roads: mean |error| {error:.3f} in {clock.seconds:.0f} s")
    say(f"(always steering {mean_steer:+.2f}, the test mean: {baseline:.3f})")

    plot_predictions(args.out / "predicted_vs_true.png", test_truth, guesses, error)
    plot_roads(args.out / "roads.png", test_images, test_truth, guesses)
    plot_curves(
        args.out / "loss.png",
        {"mean squared error": history.loss},
        title="alvinn: training loss per epoch",
        xlabel="epoch",
        log=True,
    )
    say(f"wrote {args.out}/predicted_vs_true.png, roads.png, loss.png")
    return write_results(
        args.out,
        {
            "train_roads": n_train,
            "test_roads": n_test,
            "epochs": epochs,
            "test_mean_abs_error": error,
            "baseline_mean_abs_error": baseline,
            "within_0.1": sum(e < 0.1 for e in errors) / len(errors),
            "first_loss": history.loss[0],
            "final_loss": history.loss[-1],
            **clock.times("train"),
        },
        run,
    )


if __name__ == "__main__":
    main()
