"""The protein data file, windows over a chain, folds of whole chains and the scores."""

import gzip
import io
import tarfile

import pytest

from demos import _proteins as proteins


def test_the_committed_file_holds_the_fifty_chains_of_the_source():
    chains = proteins.read_chains()
    states = "".join(c[2] for c in chains)
    assert len(chains) == 50 and len({c[0] for c in chains}) == 50
    assert len(states) == 6860
    assert (states.count("H"), states.count("E"), states.count("C")) == (2468, 1680, 2712)
    assert all(set(c[1]) <= set(proteins.AMINO) for c in chains)
    assert chains[0][:1] == ("1ahsA",) and chains[0][1].startswith("TGPYAGAVEV")


def test_a_bad_line_is_named(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# header\nx1\tACD\tHHX\n", encoding="ascii")
    with pytest.raises(ValueError, match=r"bad.tsv:2: x1: states must be H/E/C"):
        proteins.read_chains(bad)
    bad.write_text("x1\tACD\n", encoding="ascii")
    with pytest.raises(ValueError, match="expected 3 tab-separated fields, got 2"):
        proteins.read_chains(bad)


def test_windows_are_centred_and_padded_with_the_spacer():
    assert proteins.windows("ACDEF", 5) == ["__ACD", "_ACDE", "ACDEF", "CDEF_", "DEF__"]
    assert proteins.windows("AXC", 3) == ["_A_", "A_C", "_C_"]  # unknown residue: a spacer
    assert proteins.examples([("p", "AC", "HC")], 1) == [("A", 0), ("C", 2)]


def test_folds_deal_whole_chains_once_each():
    chains = proteins.read_chains()
    folds = proteins.folds(chains, 5, seed=3)
    assert sorted(i for fold in folds for i in fold) == list(range(50))
    assert [len(f) for f in folds] == [10] * 5
    assert proteins.folds(chains, 5, seed=3) == folds != proteins.folds(chains, 5, seed=4)


def test_scores_from_the_confusion_table():
    truth, guesses = [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]
    counts = proteins.confusion(truth, guesses)
    assert counts == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert proteins.q3(counts) == pytest.approx(4 / 6)
    # helix against the rest: tp 1, fn 1, fp 1, tn 3
    assert proteins.correlation(counts, 0) == pytest.approx((3 - 1) / (2 * 2 * 4 * 4) ** 0.5)
    assert proteins.correlation(proteins.confusion([0, 0], [0, 0]), 1) == 0.0
    perfect = proteins.confusion([0, 1, 2], [0, 1, 2])
    assert [proteins.correlation(perfect, s) for s in range(3)] == [1.0, 1.0, 1.0]


PDB = """\
ATOM      1  N   THR A 126      45.850  10.934  17.530  1.00100.00           N
ATOM      2  CA  THR A 126      47.257  10.677  17.777  1.00100.00           C
ATOM      3  CA ATYR A 127      47.257  10.677  17.777  0.50100.00           C
ATOM      4  CA BTYR A 127      47.257  10.677  17.777  0.50100.00           C
ATOM      5  CB  TYR A 127      47.760   9.458  16.951  1.00100.00           C
ATOM      6  CA  UNK A 128      47.257  10.677  17.777  1.00100.00           C
END
"""


def make_sdist(path, folder, files):
    """A gzipped tarball holding files (name → bytes) under folder."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(folder + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_derive_reads_sequences_from_ca_records_and_states_from_dssp(tmp_path, monkeypatch):
    from demos.data import derive_proteins as derive

    assert derive.sequence(PDB) == "TYX"  # one letter per CA, an alternate location once
    sdist = tmp_path / "mdanalysistests-2.11.0.tar.gz"
    folder = "mdanalysistests-2.11.0/MDAnalysisTests/data/dssp/"
    files = {
        "1abcA.pdb.gz": gzip.compress(PDB.encode()),
        "1abcA.pdb.dssp": b"H-E 1abcA.pdb\n",
        "1abcA_failing.pdb.gz": gzip.compress(b""),  # not ?????.pdb.gz: left out
    }
    make_sdist(sdist, folder, files)
    assert derive.derive(sdist) == [("1abcA", "TYX", "HCE")]
    monkeypatch.setattr(derive, "OUT", tmp_path / "proteins.tsv")
    derive.main([str(sdist)])
    written = proteins.read_chains(tmp_path / "proteins.tsv")
    assert written == [("1abcA", "TYX", "HCE")]
    assert "sha256" in (tmp_path / "proteins.tsv").read_text().splitlines()[0]


def test_derive_refuses_a_sequence_and_states_of_different_lengths(tmp_path):
    from demos.data import derive_proteins as derive

    sdist = tmp_path / "s.tar.gz"
    folder = "x/MDAnalysisTests/data/dssp/"
    files = {"1abcA.pdb.gz": gzip.compress(PDB.encode()), "1abcA.pdb.dssp": b"HH"}
    make_sdist(sdist, folder, files)
    with pytest.raises(SystemExit, match=r"1abcA\.pdb\.gz: 3 CA records, 2 DSSP states"):
        derive.derive(sdist)
