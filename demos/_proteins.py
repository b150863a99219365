"""Proteins and their secondary structure: the committed data file, windows and scores.

demos/data/proteins.tsv holds 50 single-chain proteins (PDB id, sequence of
one-letter residue codes, one DSSP state per residue: H helix, E strand, C
coil), derived by demos/data/derive_proteins.py from the mdanalysistests
2.11.0 source distribution; see demos/data/README.md.
"""

import random
from pathlib import Path

DATA = Path(__file__).with_name("data") / "proteins.tsv"
AMINO = "ACDEFGHIKLMNPQRSTVWY"  # the 20 amino acids
SPACER = "_"  # beyond either end of the chain (and any residue not among the 20)
SYMBOLS = SPACER + AMINO  # 21 one-hot symbols per window position
STATES = "HEC"


def read_chains(path=DATA):
    """[(PDB id, sequence, states)], checked: equal lengths, known letters."""
    chains = []
    for number, line in enumerate(Path(path).read_text(encoding="ascii").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{path}:{number}: expected 3 tab-separated fields, got {len(fields)}")
        name, sequence, states = fields
        if len(sequence) != len(states) or set(states) - set(STATES):
            raise ValueError(f"{path}:{number}: {name}: states must be H/E/C, one per residue")
        chains.append((name, sequence, states))
    return chains


def windows(sequence, width):
    """Each residue's window of `width` symbols centred on it, spacer-padded at the ends."""
    pad = SPACER * (width // 2)
    padded = pad + "".join(c if c in AMINO else SPACER for c in sequence) + pad
    return [padded[i : i + width] for i in range(len(sequence))]


def examples(chains, width):
    """(window, state index) for every residue of chains."""
    return [
        (window, STATES.index(state))
        for _, sequence, states in chains
        for window, state in zip(windows(sequence, width), states)
    ]


def folds(chains, k, seed):
    """The chains dealt at random into k folds of whole proteins: [[chain index]]."""
    order = list(range(len(chains)))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def confusion(truth, guesses):
    """counts[true state][predicted state], as lists."""
    counts = [[0] * len(STATES) for _ in STATES]
    for t, g in zip(truth, guesses):
        counts[t][g] += 1
    return counts


def q3(counts):
    """The fraction of residues whose state is predicted right."""
    return sum(counts[s][s] for s in range(len(STATES))) / sum(map(sum, counts))


def correlation(counts, state):
    """Matthews' correlation for one state against the rest (Qian–Sejnowski's C_α, C_β, C_coil)."""
    total = sum(map(sum, counts))
    tp = counts[state][state]
    fn = sum(counts[state]) - tp
    fp = sum(row[state] for row in counts) - tp
    tn = total - tp - fn - fp
    denominator = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
    return (tp * tn - fp * fn) / denominator if denominator else 0.0
