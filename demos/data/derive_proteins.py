"""Derive demos/data/proteins.tsv from the mdanalysistests 2.11.0 source distribution.

The sdist ships, under MDAnalysisTests/data/dssp/, fifty single-chain PDB
files (`?????.pdb.gz`) and, for each, its 3-state DSSP string (`.pdb.dssp`:
H helix, E strand, - coil). This script reads them straight from the
tarball, takes each chain's sequence from its CA records (one per residue;
the first alternate location), checks that it is as long as the DSSP
string, and writes one line per chain: PDB id, sequence, states.

    pip download --no-deps --no-binary :all: mdanalysistests==2.11.0
    python demos/data/derive_proteins.py mdanalysistests-2.11.0.tar.gz

The demo and the tests read only the committed proteins.tsv; nothing
downloads at run time.
"""

import gzip
import hashlib
import re
import sys
import tarfile
from pathlib import Path

FOLDER = "MDAnalysisTests/data/dssp/"
PDB = re.compile(r"^(\w{5})\.pdb\.gz$")  # 1ahsA.pdb.gz, as MDAnalysis's own test globs
OUT = Path(__file__).with_name("proteins.tsv")
CODES = {
    "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E",
    "GLY": "G", "HIS": "H", "ILE": "I", "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F",
    "PRO": "P", "SER": "S", "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
}  # fmt: skip
STATES = {"H": "H", "E": "E", "-": "C"}  # coil written C


def sequence(pdb_text):
    """One letter per residue with a CA atom (X for any residue not among the 20)."""
    letters, seen = [], set()
    for line in pdb_text.splitlines():
        if not line.startswith(("ATOM", "HETATM")) or line[12:16].strip() != "CA":
            continue
        residue = (line[21], line[22:27])  # chain, number with insertion code
        if residue in seen:  # an alternate location of a CA already read
            continue
        seen.add(residue)
        letters.append(CODES.get(line[17:20].strip(), "X"))
    return "".join(letters)


def derive(sdist):
    chains = []
    with tarfile.open(sdist) as tar:
        members = {Path(m.name).name: m for m in tar.getmembers() if FOLDER in m.name}
        for name in sorted(members):
            match = PDB.match(name)
            if not match:
                continue
            pdb = gzip.decompress(tar.extractfile(members[name]).read()).decode("ascii")
            dssp = tar.extractfile(members[name[: -len(".gz")] + ".dssp"]).read().decode("ascii")
            states = dssp.split()[0]
            letters = sequence(pdb)
            if len(letters) != len(states):
                raise SystemExit(f"{name}: {len(letters)} CA records, {len(states)} DSSP states")
            chains.append((match[1], letters, "".join(STATES[s] for s in states)))
    return chains


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit(__doc__)
    sdist = Path(argv[0])
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    chains = derive(sdist)
    header = [
        f"# derived by demos/data/derive_proteins.py from {sdist.name} (sha256 {digest})",
        f"# {FOLDER}: PDB chain, sequence from its CA records, DSSP 3-state (H, E, C = coil)",
        "# licence: LGPL-2.1-or-later, as MDAnalysisTests; see demos/data/README.md",
    ]
    lines = header + ["\t".join(chain) for chain in chains]
    OUT.write_text("\n".join(lines) + "\n", encoding="ascii")
    residues = sum(len(c[1]) for c in chains)
    counts = {s: sum(c[2].count(s) for c in chains) for s in "HEC"}
    print(f"wrote {OUT}: {len(chains)} chains, {residues} residues, {counts}")


if __name__ == "__main__":
    main()
