"""The protein demo's pictures: confusion table, Q3 by window, learning curves, one chain."""

from ._common import pyplot, save_figure
from ._proteins import STATES

NAMES = {"H": "helix", "E": "strand", "C": "coil"}
COLOURS = {"H": "#c0392b", "E": "#1f4fb4", "C": "#d0d0d0"}


def confusion(path, counts, q3, k):
    """True state by predicted state: counts, and each row's share."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    shares = [[n / max(1, sum(row)) for n in row] for row in counts]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for t, row in enumerate(counts):
        for g, n in enumerate(row):
            colour = "white" if shares[t][g] > 0.5 else "black"
            ax.text(g, t, f"{n}\n{shares[t][g]:.0%}", ha="center", va="center", color=colour)
    labels = [f"{NAMES[s]} ({s})" for s in STATES]
    ax.set(xticks=range(3), yticks=range(3), xticklabels=labels, yticklabels=labels)
    ax.set(xlabel="predicted", ylabel="true (DSSP)")
    ax.set_title(f"held-out residues, {k} folds: Q3 {q3:.1%}", fontsize=10)
    return save_figure(fig, path)


def by_window(path, q3s, baseline, published, k):
    """Cross-validated Q3 against the window's width."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    widths = sorted(q3s)
    ax.plot(widths, [100 * q3s[w] for w in widths], "o-", color="#1f4fb4", label="this net")
    ax.axhline(100 * baseline, color="#777777", linestyle=":", label="majority state")
    published_label = "Qian–Sejnowski, 106 proteins"
    ax.axhline(100 * published, color="#c0392b", linestyle="--", label=published_label)
    ax.set(xlabel="window width (residues)", ylabel="Q3 (%)", xticks=widths)
    ax.set_title(f"accuracy against window width ({k}-fold cross-validation)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def learning_curves(path, losses):
    """Training loss per epoch, one line per fold."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for k, curve in enumerate(losses):
        ax.plot(range(1, len(curve) + 1), curve, marker="o", label=f"fold {k + 1}")
    ax.set(xlabel="epoch", ylabel="softmax cross-entropy", title="training loss per fold")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def prediction(path, chain, predicted):
    """One held-out chain: its sequence, the DSSP states and the net's, as coloured strips."""
    from matplotlib.patches import Patch

    name, sequence, states = chain
    plt = pyplot()
    width = 60
    rows = -(-len(sequence) // width)
    fig, axes = plt.subplots(rows, 1, figsize=(12, 0.9 * rows + 0.6), squeeze=False)
    for r, ax in enumerate(axes[:, 0]):
        part = slice(r * width, (r + 1) * width)
        for y, strip in ((1, states[part]), (0, predicted[part])):
            for i, s in enumerate(strip):
                ax.add_patch(plt.Rectangle((i, y), 1, 0.9, color=COLOURS[s]))
        for i, c in enumerate(sequence[part]):
            ax.text(i + 0.5, 2.1, c, ha="center", va="bottom", fontsize=7, family="monospace")
        ax.set(xlim=(0, width), ylim=(0, 3), xticks=[], yticks=[0.45, 1.45])
        ax.set_yticklabels(["net", "DSSP"], fontsize=8)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    right = sum(a == b for a, b in zip(states, predicted)) / len(states)
    legend = [Patch(color=COLOURS[s], label=NAMES[s]) for s in STATES]
    fig.legend(handles=legend, loc="upper right", ncol=3, fontsize=8)
    fig.suptitle(f"{name} held out: {right:.0%} of its residues right", x=0.1, ha="left")
    return save_figure(fig, path)
