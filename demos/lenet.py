"""LeNet: a small kernel of weights, shared across the whole image, reads handwritten digits.

LeCun and colleagues (1989) gave each unit of a layer the same few weights,
slid over the image: a convolution. Here conv → pool → conv → pool → dense
(`nn.Conv2d`, `nn.MaxPool2d`) learns scikit-learn's 8×8 digits, the same
split as the `digits` demo, trained through `autograd.compile`: the loss of
one example is traced once as a scalar graph and replayed over each batch.
The training images are used as they are and shifted by one pixel each way.
Writes the learned kernels, their feature maps for one digit, the confusion
matrix, and how the gradient of one shared weight is gathered from every
position it was used at.

python -m demos.lenet [--quick]
"""

from . import _compiled as compiled
from ._common import Stopwatch, parse_args, plot_curves, say, write_results
from .digits import load, plot_confusion

C1, C2 = 16, 32  # kernels in the first and the second convolution
SIDE = 8
SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def make_model(seed, c1=C1, c2=C2):
    import nn

    class LeNet(nn.Module):
        """1×8×8 → conv 3×3 (c1) → relu → max 2×2 → conv 3×3 (c2) → relu → max 2×2 → 10 scores."""

        def __init__(self):
            from nn.init import make_rng

            rng = make_rng(seed)
            self.conv1 = nn.Conv2d(1, c1, 3, padding=1, seed=rng)
            self.conv2 = nn.Conv2d(c1, c2, 3, padding=1, seed=rng)
            self.dense = nn.Layer(c2 * (SIDE // 4) ** 2, 10, nonlin=False, fused=True, seed=rng)
            self.pool = nn.MaxPool2d(2)

        def maps(self, pixels):
            """Every stage's output for one image: conv1 and conv2 after relu, and the scores."""
            from autograd import scope
            from nn.conv import flatten

            image = [[list(pixels[r * SIDE : (r + 1) * SIDE]) for r in range(SIDE)]]
            with scope("conv1"):
                first = _relu(self.conv1(image))
            with scope("conv2"):
                second = _relu(self.conv2(self.pool(first)))
            with scope("dense"):
                scores = self.dense(flatten(self.pool(second)))
            return first, second, scores

        def __call__(self, pixels):
            return self.maps(pixels)[2]

    return LeNet()


def _relu(maps):
    return [[[v.relu() for v in row] for row in plane] for plane in maps]


def shifted(pixels, dx, dy):
    """The image moved dx columns right and dy rows down, zeros coming in."""
    out = [0.0] * (SIDE * SIDE)
    for r in range(SIDE):
        for c in range(SIDE):
            r0, c0 = r - dy, c - dx
            if 0 <= r0 < SIDE and 0 <= c0 < SIDE:
                out[r * SIDE + c] = pixels[r0 * SIDE + c0]
    return out


def augmented(examples):
    """Each (pixels, digit) as it is and shifted one pixel left, right, up and down."""
    return examples + [(shifted(x, dx, dy), y) for dx, dy in SHIFTS for x, y in examples]


def main(argv=None):
    args = parse_args("lenet", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    from autograd import topological_order
    from nn.losses import cross_entropy

    from . import _lenet_plots as plots

    train_set, test_set = load(args.seed, args.quick)
    c1, c2 = (4, 8) if args.quick else (C1, C2)
    epochs, batch_size, lr = (3, 64, 0.02) if args.quick else (20, 256, 0.02)
    model = make_model(args.seed, c1, c2)
    examples = augmented(train_set)
    say(
        f"lenet: {len(train_set)} training images ({len(examples)} with shifts), "
        f"{len(test_set)} test; conv {c1} → pool → conv {c2} → pool → dense 10, "
        f"{len(model.parameters())} parameters"
    )
    inputs, labels = [x for x, _ in examples], [y for _, y in examples]
    with Stopwatch() as clock:
        curve, batch_loss = compiled.fit(
            model, inputs, labels, 10, epochs=epochs, batch_size=batch_size, lr=lr,
            seed=args.seed, on_epoch=lambda e, loss: say(f"epoch {e + 1:2d}  loss {loss:.4f}"),
        )  # fmt: skip
    predict = compiled.Predictor(model, 10)
    images, truth = [x for x, _ in test_set], [y for _, y in test_set]
    guesses = predict(images)
    accuracy = sum(t == g for t, g in zip(truth, guesses)) / len(truth)
    train_guesses = predict([x for x, _ in train_set])
    train_accuracy = sum(g == y for g, (_, y) in zip(train_guesses, train_set)) / len(train_set)
    say(f"test accuracy {accuracy:.2%} (train {train_accuracy:.2%})")
    say(f"trained in {clock.seconds:.0f} s")

    plot_confusion(args.out / "confusion.png", truth, guesses, accuracy)
    plot_curves(
        args.out / "loss.png",
        {"softmax cross-entropy": curve},
        title="lenet: training loss per epoch",
        xlabel="epoch",
        log=True,
    )
    plots.kernels(args.out / "kernels.png", model)
    plots.feature_maps(args.out / "feature_maps.png", model, test_set[0][0])
    test_losses = predict.losses(images, truth)
    hardest = test_set[max(range(len(test_set)), key=test_losses.__getitem__)]
    flow = plots.shared_weight(args.out / "shared_weight.png", model, hardest, cross_entropy)
    say(
        f"conv1 weight {flow['weight']}: ∂L/∂w = {flow['grad']:.4g}, the sum of "
        f"{flow['positions']} positions' contributions, for the test digit it is least sure of"
    )
    say(f"wrote {args.out}/kernels.png, feature_maps.png, shared_weight.png, confusion.png")
    return write_results(
        args.out,
        {
            "train_images": len(train_set),
            "train_examples": len(examples),
            "test_images": len(test_set),
            "channels": [c1, c2],
            "parameters": len(model.parameters()),
            "epochs": epochs,
            "batch_size": batch_size,
            "test_accuracy": accuracy,
            "train_accuracy": train_accuracy,
            "test_errors": sum(t != g for t, g in zip(truth, guesses)),
            "first_loss": curve[0],
            "final_loss": curve[-1],
            "nodes_per_example": len(topological_order(batch_loss.graph)),
            "shared_weight": flow,
            **clock.times("train"),
        },
        run,
    )


if __name__ == "__main__":
    main()
