"""Handwritten digits: the LeNet story, on scikit-learn's 8×8 digits.

LeCun and colleagues (1989) trained a net by backpropagation to read the ZIP
codes on US mail. scikit-learn ships 1797 small (8×8, 16 grey levels)
handwritten digits in its wheel; an MLP(64, [64, 10]) with fused neurons
learns them with softmax cross-entropy and Adam in mini-batches, and is
scored on a held-out quarter of the images. Writes the confusion matrix, the
misclassified test digits and the loss curve. With --compile, fit traces the
network and the loss for one image once and replays them over each batch
(autograd.compile): the same training, many times faster.

python -m demos.digits [--quick] [--compile]
"""

from ._common import Stopwatch, parse_args, plot_curves, pyplot, save_figure, say, write_results


def load(seed, quick):
    """(train, test): lists of (64 pixels in [0, 1], digit), a stratified 75/25 split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels, targets = (digits.data / 16.0).tolist(), digits.target.tolist()
    train_x, test_x, train_y, test_y = train_test_split(
        pixels, targets, test_size=0.25, stratify=targets, random_state=seed
    )
    if quick:
        train_x, train_y, test_x, test_y = train_x[:200], train_y[:200], test_x[:100], test_y[:100]
    return list(zip(train_x, train_y)), list(zip(test_x, test_y))


def predict(model, images, compiled=False):
    """The most likely digit for each image, with no graph recorded (or replayed, compiled)."""
    import autograd

    if compiled:
        scores = autograd.compile(model, reduce=None)(list(images)).tolist()
    else:
        with autograd.no_grad():
            scores = [[s.data for s in model(x)] for x in images]
    return [max(range(10), key=row.__getitem__) for row in scores]


def plot_confusion(path, truth, guesses, accuracy):
    import numpy as np

    counts = np.zeros((10, 10), dtype=int)
    for t, g in zip(truth, guesses):
        counts[t, g] += 1
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.imshow(counts, cmap="Blues")
    for t in range(10):
        for g in range(10):
            if counts[t, g]:
                colour = "white" if counts[t, g] > counts.max() / 2 else "black"
                ax.text(g, t, counts[t, g], ha="center", va="center", color=colour, fontsize=8)
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true digit")
    ax.set_title(f"test confusion matrix ({accuracy:.1%} correct)")
    return save_figure(fig, path)


def plot_mistakes(path, mistakes, limit=24):
    """The misclassified test digits, each titled true → predicted."""
    import numpy as np

    plt = pyplot()
    shown = mistakes[:limit]
    columns = 8
    rows = max(1, -(-len(shown) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.3), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (pixels, truth, guess) in zip(axes.flat, shown):
        ax.imshow(np.reshape(pixels, (8, 8)), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{truth}→{guess}", fontsize=9, color="#c0392b")
    fig.suptitle(f"misclassified test digits ({len(mistakes)}), true → predicted")
    return save_figure(fig, path)


def main(argv=None):
    flags = {"--compile": "trace one image's graph once and replay it per batch (autograd.compile)"}
    args = parse_args("digits", __doc__.split("\n\n")[0], argv, seed=0, flags=flags)
    run = Stopwatch.started()
    import nn
    from nn import losses, optim

    train, test = load(args.seed, args.quick)
    epochs = 3 if args.quick else 15
    model = nn.MLP(64, [64, 10], seed=args.seed, fused=True)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    schedule = nn.CosineLR(optimizer, total_steps=epochs)
    say(f"digits: {len(train)} training and {len(test)} test images, MLP(64, [64, 10])")

    def on_epoch(epoch, history):
        schedule.step()
        say(f"epoch {epoch + 1:2d}  loss {history.loss[-1]:.4f}")

    with Stopwatch() as clock:
        history = nn.train.fit(
            model,
            train,
            losses.softmax_cross_entropy,
            optimizer,
            epochs=epochs,
            batch_size=32,
            seed=args.seed,
            progress=False,
            callback=on_epoch,
            compile=args.compile,
        )
    images, truth = zip(*test)
    guesses = predict(model, images, args.compile)
    accuracy = sum(t == g for t, g in zip(truth, guesses)) / len(truth)
    train_accuracy = sum(
        t == g
        for t, g in zip([y for _, y in train], predict(model, [x for x, _ in train], args.compile))
    ) / len(train)
    say(f"test accuracy {accuracy:.2%} (train {train_accuracy:.2%}) in {clock.seconds:.1f} s")

    plot_confusion(args.out / "confusion.png", truth, guesses, accuracy)
    mistakes = [(x, t, g) for x, t, g in zip(images, truth, guesses) if t != g]
    plot_mistakes(args.out / "mistakes.png", mistakes)
    plot_curves(
        args.out / "loss.png",
        {"softmax cross-entropy": history.loss},
        title="digits: training loss per epoch",
        xlabel="epoch",
        log=True,
    )
    say(f"wrote {args.out}/confusion.png, mistakes.png, loss.png")
    return write_results(
        args.out,
        {
            "compiled": args.compile,
            "train_images": len(train),
            "test_images": len(test),
            "epochs": epochs,
            "test_accuracy": accuracy,
            "train_accuracy": train_accuracy,
            "first_loss": history.loss[0],
            "final_loss": history.loss[-1],
            **clock.times("train"),
        },
        run,
    )


if __name__ == "__main__":
    main()
