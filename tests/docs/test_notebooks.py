"""The tutorial: each notebook runs top to bottom, shows what it teaches, and is committed built."""

import re
import shutil

import pytest

from docs.notebooks import TUTORIAL, differences, sources

SOURCES = {source.stem: source for source in sources()}
EXPECTED = {  # the tutorial the README promises: these notebooks, in this order
    "01_chain_rule",
    "01_chain_rule_zh",
    "02_seeing_the_graph",
    "03_neurons_to_network",
    "04_testing_gradients",
}


def outputs(nb, kind=None):
    """Every output of nb's code cells (of one output_type, if given)."""
    found = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    return [o for o in found if kind is None or o.output_type == kind]


def printed(nb):
    return "".join(o.text for o in outputs(nb, "stream") if o.name == "stdout")


def shown(nb, mime):
    """The data of every displayed output of one MIME type."""
    return [o.data[mime] for o in outputs(nb) if mime in o.get("data", {})]


def test_the_tutorial_is_all_there_each_notebook_beside_its_source():
    assert set(SOURCES) == EXPECTED
    notebooks = {path.stem for path in TUTORIAL.glob("*.ipynb")}
    assert notebooks == EXPECTED  # no notebook without a source


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_committed_notebook_is_its_source_run_once(name):
    assert differences(SOURCES[name]) == [], "run `make notebooks`"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_committed_outputs_say_what_the_notebook_shows_now(tutorial, name):
    import nbformat

    committed = nbformat.read(SOURCES[name].with_suffix(".ipynb"), as_version=4)
    now = tutorial(SOURCES[name])
    assert texts(committed) == texts(now), "run `make notebooks`"


def texts(nb):
    """Per code cell, the text of each output: what is printed, derived and described."""
    kinds = ("text/plain", "text/markdown", "text/latex")
    return [
        [
            (o.output_type, o.get("text"), *(o.get("data", {}).get(k) for k in kinds))
            for o in c.outputs
        ]
        for c in nb.cells
        if c.cell_type == "code"
    ]


def test_a_changed_source_or_an_unrun_notebook_is_caught(tmp_path):
    import nbformat

    source = tmp_path / "01_chain_rule.py"
    shutil.copy(SOURCES["01_chain_rule"], source)
    shutil.copy(SOURCES["01_chain_rule"].with_suffix(".ipynb"), tmp_path)
    assert differences(source) == []
    source.write_text(source.read_text(encoding="utf-8").replace("0.8", "0.9", 1), "utf-8")
    assert differences(source) == ["01_chain_rule.ipynb: cell 2 is not the source's"]

    shutil.copy(SOURCES["01_chain_rule"], source)
    nb = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    nb.cells[1].execution_count = None
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, source.with_suffix(".ipynb"))
    found = differences(source)
    assert any("cells, its source" in line for line in found)
    assert any("not run once from top to bottom" in line for line in found)
    source.with_suffix(".ipynb").unlink()
    assert differences(source) == ["01_chain_rule.ipynb is missing"]


@pytest.mark.parametrize("name", ["01_chain_rule", "01_chain_rule_zh"])
def test_the_chain_rule_on_one_neuron(tutorial, name):
    nb = tutorial(SOURCES[name])
    derivations = shown(nb, "text/markdown")
    assert len(derivations) == 4 and len(shown(nb, "text/latex")) == 4
    assert "-0.135436" in derivations[0]  # ∂C0/∂w, checked by hand in the notebook
    words = "链式法则" if name.endswith("zh") else "chain rule"
    assert all(words in d for d in derivations[:3])  # ∂C0/∂w, ∂C0/∂a_prev, ReLU's ∂C0/∂w
    assert "backward()" in derivations[3]  # the whole backward pass
    costs = [float(c) for c in re.findall(r"C0 = ([\d.]+) ", printed(nb))]
    assert len(costs) == 5 and costs == sorted(set(costs), reverse=True)  # it descends


def test_seeing_the_graph_draws_and_steps_inline(tutorial):
    nb = tutorial(SOURCES["02_seeing_the_graph"])
    pictures = shown(nb, "image/svg+xml")
    assert len(pictures) == 5
    assert "call backward()" in pictures[0] and "Σ 2 paths" in pictures[2]
    frames = shown(nb, "text/html")
    assert len(frames) == 2 and all(f.count("<iframe srcdoc=") == 1 for f in frames)
    assert "backward() of L" in frames[0] and "backward() of f" in frames[1]


def test_from_neurons_to_a_network_trains_three_ways(tutorial):
    nb = tutorial(SOURCES["03_neurons_to_network"])
    assert len(shown(nb, "image/png")) == 3  # the moons, the losses, the boundaries
    results = dict(re.findall(r"^(GD|SGD|Adam) .*accuracy (\d+)%$", printed(nb), re.M))
    assert set(results) == {"GD", "SGD", "Adam"}
    assert int(results["Adam"]) >= 95  # the notebook's closing remark relies on it


def test_testing_gradients_catches_the_bug_then_passes_the_fix(tutorial):
    text = printed(tutorial(SOURCES["04_testing_gradients"]))
    assert text.count("gradcheck: analytic and numeric derivatives disagree") == 3
    assert "Failing test case: test_softplus_matches_central_differences" in text
    assert "check_every_node: the local derivative of softplus(z" in text
    assert "(op softplus) is wrong" in text
    fixed = text.split("check_every_node: the local derivative", 1)[1]
    assert "test_softplus_matches_central_differences: passed" in fixed
    assert "test_graphs_with_softplus_match_central_differences: passed" in fixed
    assert "check_every_node: True" in fixed and "gradcheck at x = 1: True" in fixed
