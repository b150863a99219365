"""The demos' shared helpers: arguments, atomic files, timing."""

import json

import pytest

from demos import _common as common


def test_arguments_default_to_out_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = common.parse_args("moons", "demo", [])
    assert (args.quick, args.seed, str(args.out)) == (False, 0, "out/moons")
    assert (tmp_path / "out" / "moons").is_dir()
    args = common.parse_args("moons", "demo", ["--quick", "--seed", "7", "--out", "x"], seed=3)
    assert (args.quick, args.seed, str(args.out)) == (True, 7, "x")


def test_write_is_atomic(tmp_path):
    path = common.write_text(tmp_path / "a.txt", "new")
    assert path.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]

    def savefig_half(file, **options):
        file.write(b"half")
        raise RuntimeError("stopped half-way")

    figure = common.pyplot().figure()
    figure.savefig = savefig_half
    with pytest.raises(RuntimeError):
        common.save_figure(figure, path)
    assert path.read_text() == "new"  # the old file survives, no temporary is left
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_results_carry_the_run_times(tmp_path):
    run = common.Stopwatch.started()
    sum(range(100_000))
    results = common.write_results(tmp_path, {"accuracy": 1.0}, run)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved == results
    assert saved["accuracy"] == 1.0 and saved["run_seconds"] >= 0 and "run_cpu_seconds" in saved
