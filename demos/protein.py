"""Protein secondary structure: Qian and Sejnowski's window network on real proteins.

Qian and Sejnowski (1988) slid a window of 13 residues along a protein chain,
each residue one-hot over 21 symbols (20 amino acids and a spacer past the
chain's ends), through 40 hidden units to three outputs: is the middle
residue in a helix (H), a strand (E) or a coil (C)? Trained on 106
proteins, it got 64.3% of the residues of 15 others right (Q3). Here the
same net learns from 50 real proteins (6,860 residues; the DSSP states
shipped with MDAnalysis's tests), scored by 5-fold cross-validation over
whole chains: no protein is ever both trained on and tested. Then the
window's width is varied, as they did.

python -m demos.protein [--quick]
"""

from . import _compiled as compiled
from . import _proteins as proteins
from ._common import Stopwatch, parse_args, say, write_results
from ._window import WindowNet

WIDTH, HIDDEN = 13, 40
FOLDS = 5
QIAN_SEJNOWSKI_Q3 = 0.643  # window 13, 40 hidden units, 106 proteins, 15 held out
SWEEP = (1, 5, 9, 13, 17, 21)  # window widths compared (they found 13 best)
LR, BATCH = 0.01, 128


def train(examples, width, epochs, seed):
    """A WindowNet trained through autograd.compile on (window, state) examples, and a
    function that classifies windows with it; the loss per epoch."""
    net = WindowNet(proteins.SYMBOLS, width, HIDDEN, len(proteins.STATES), seed)
    windows, states = [w for w, _ in examples], [y for _, y in examples]
    losses, _ = compiled.fit(
        net.model, windows, states, len(proteins.STATES), epochs=epochs, batch_size=BATCH,
        lr=LR, seed=seed, encode=net.encode,
    )  # fmt: skip
    return compiled.Predictor(net.model, len(proteins.STATES), encode=net.encode), losses


def cross_validate(chains, splits, width, epochs, seed, verbose=False):
    """Train on all folds but one and test on that one, for each fold; then pool the tests."""
    folds, predictions = [], {}
    for k, held_out in enumerate(splits):
        held = set(held_out)
        train_chains = [c for i, c in enumerate(chains) if i not in held]
        test_chains = [chains[i] for i in held_out]
        training = proteins.examples(train_chains, width)
        predict, losses = train(training, width, epochs, seed + k)
        windows = [w for _, sequence, _ in test_chains for w in proteins.windows(sequence, width)]
        guesses = predict(windows)
        truth = [proteins.STATES.index(s) for _, _, states in test_chains for s in states]
        start = 0
        for name, sequence, _ in test_chains:
            guessed = guesses[start : start + len(sequence)]
            predictions[name] = "".join(proteins.STATES[g] for g in guessed)
            start += len(sequence)
        counts = proteins.confusion(truth, guesses)
        seen = [sum(y == s for _, y in training) for s in range(3)]
        majority = max(range(3), key=seen.__getitem__)
        fold = {
            "test_chains": [c[0] for c in test_chains],
            "train_residues": len(training),
            "test_residues": len(truth),
            "q3": proteins.q3(counts),
            "baseline": sum(t == majority for t in truth) / len(truth),
            "majority_state": proteins.STATES[majority],
            "losses": losses,
        }
        folds.append(fold)
        if verbose:
            say(
                f"  fold {k + 1}: {len(test_chains)} chains, {len(truth)} residues: "
                f"Q3 {fold['q3']:.1%} (majority {fold['baseline']:.1%})"
            )
    tested = [chains[i] for held_out in splits for i in held_out]
    truth = [proteins.STATES.index(s) for _, _, states in tested for s in states]
    guesses = [proteins.STATES.index(s) for name, _, _ in tested for s in predictions[name]]
    counts = proteins.confusion(truth, guesses)
    return folds, counts, predictions


def main(argv=None):
    args = parse_args("protein", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    from . import _protein_plots as plots

    chains = proteins.read_chains()
    k = FOLDS
    if args.quick:
        chains, k = chains[:6], 2
    splits = proteins.folds(chains, k, args.seed)
    epochs, sweep_epochs = (2, 1) if args.quick else (6, 6)
    sweep = (1, 5) if args.quick else SWEEP
    residues = sum(len(c[1]) for c in chains)
    share = {s: sum(c[2].count(s) for c in chains) / residues for s in proteins.STATES}
    say(
        f"protein: {len(chains)} chains, {residues} residues; "
        + ", ".join(f"{s} {share[s]:.1%}" for s in proteins.STATES)
    )
    say(f"window {WIDTH}, {HIDDEN} hidden units, {k}-fold cross-validation over chains")

    with Stopwatch() as clock:
        folds, counts, predictions = cross_validate(
            chains, splits, WIDTH, epochs, args.seed, verbose=True
        )
    overall = proteins.q3(counts)
    baseline = max(share.values())  # always the most common state: coil
    fold_baseline = sum(f["baseline"] * f["test_residues"] for f in folds) / residues
    correlations = {s: proteins.correlation(counts, i) for i, s in enumerate(proteins.STATES)}
    say(
        f"Q3 {overall:.1%} over all {residues} residues; always coil {baseline:.1%} "
        f"(the training chains' majority, fold by fold: {fold_baseline:.1%}); "
        f"Qian–Sejnowski {QIAN_SEJNOWSKI_Q3:.1%} (106 proteins)"
    )
    say("correlations: " + ", ".join(f"C_{s} {c:.2f}" for s, c in correlations.items()))

    by_window = {}
    with Stopwatch() as sweep_clock:
        for width in sweep:
            _, sweep_counts, _ = cross_validate(chains, splits, width, sweep_epochs, args.seed)
            by_window[width] = proteins.q3(sweep_counts)
            say(f"  window {width:2d}: Q3 {by_window[width]:.1%}")

    plots.confusion(args.out / "confusion.png", counts, overall, k)
    plots.by_window(args.out / "q3_by_window.png", by_window, baseline, QIAN_SEJNOWSKI_Q3, k)
    plots.learning_curves(args.out / "learning_curves.png", [f["losses"] for f in folds])
    shown = max(chains, key=lambda c: (len(set(c[2])), -abs(len(c[1]) - 150)))
    plots.prediction(args.out / "prediction.png", shown, predictions[shown[0]])
    say(f"wrote {args.out}/confusion.png, q3_by_window.png, learning_curves.png, prediction.png")
    return write_results(
        args.out,
        {
            "chains": len(chains),
            "residues": residues,
            "state_shares": share,
            "window": WIDTH,
            "hidden": HIDDEN,
            "epochs": epochs,
            "folds": folds,
            "q3": overall,
            "majority_state_q3": baseline,
            "training_majority_q3": fold_baseline,
            "qian_sejnowski_q3": QIAN_SEJNOWSKI_Q3,
            "confusion": {
                t: dict(zip(proteins.STATES, row)) for t, row in zip(proteins.STATES, counts)
            },
            "correlations": correlations,
            "sweep_epochs": sweep_epochs,
            "q3_by_window": {str(w): q for w, q in by_window.items()},
            **clock.times("train"),
            **sweep_clock.times("sweep"),
        },
        run,
    )


if __name__ == "__main__":
    main()
