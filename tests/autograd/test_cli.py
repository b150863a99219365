"""python -m autograd: explain's output, and every error path exiting 2 with no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import explain, topological_order
from autograd.__main__ import main
from autograd.parse import parse

ROOT = Path(__file__).parents[2]
NEURON = ["tanh(w*x + b)", "w=0.5", "x=2", "b=-0.25"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def expected_derivation(text, values, wrt=None, **options):
    root = parse(text, values)
    root.label = "f"
    leaf = next((n for n in topological_order(root) if n.label == wrt), None)
    return explain(root, leaf, **options)


@pytest.mark.parametrize(
    "flags, show",
    [
        ([], str),
        (["--format", "md"], lambda d: d.markdown()),
        (["--format", "latex"], lambda d: d.latex()),
        (["--lang", "zh"], str),
    ],
)
def test_explain_prints_the_derivation(capsys, flags, show):
    code, out, err = run(capsys, "explain", *NEURON, "--wrt", "w", *flags)
    lang = "zh" if "zh" in flags else "en"
    values = {"w": 0.5, "x": 2.0, "b": -0.25}
    assert (code, err) == (0, "")
    assert out == show(expected_derivation(NEURON[0], values, "w", lang=lang)) + "\n"
    assert "∂f/∂w" in out or "\\partial f" in out


def test_explain_without_wrt_is_the_whole_backward_pass(capsys):
    code, out, _ = run(capsys, "explain", "x*y + x", "x=3", "y=4")
    assert code == 0
    assert out.splitlines()[-1] == "Gradients: ∂f/∂x = 5.0, ∂f/∂y = 3.0"


@pytest.mark.parametrize(
    "argv, words",
    [
        (["explain", "x.real", "x=1"], "line 1, column 1: attribute access is not allowed"),
        (["explain", "x +", "x=1"], "not a valid expression"),
        (["explain", "x*y", "x=1"], "no value given for y"),
        (["explain", "x", "x=1", "y=2"], "not in the expression: y"),
        (["explain", "x", "x=abc"], "'abc' is not a number"),
        (["explain", "x", "x=nan"], "not a finite number"),
        (["explain", "x", "x=1e999"], "not a finite number"),
        (["explain", "x", "x"], "name=number"),
        (["explain", "x", "1x=2"], "name=number"),
        (["explain", "x", "x=1", "x=2"], "x is given twice"),
        (["explain", "log(x)", "x=0"], "log(x=0.0): math domain error"),
        (["explain", "x * 9**9**9**9", "x=1"], "math range error"),
        (["explain", "x", "x=1", "--wrt", "y"], "--wrt y: not a name in the expression"),
        (["draw", "x.real", "x=1", "-o", "g.svg"], "attribute access"),
        (["html", "x*y", "x=1", "-o", "steps.html"], "no value given for y"),
        (["draw", "x", "x=1", "-o", "no/such/folder/g.svg"], "does not exist"),
        (["html", "x", "x=1", "-o", "."], "is a directory"),
    ],
)
def test_every_bad_input_exits_2_with_a_message(capsys, monkeypatch, tmp_path, argv, words):
    monkeypatch.chdir(tmp_path)
    # Were draw or html imported before validation, the import would fail (exit 1).
    monkeypatch.setitem(sys.modules, "autograd.draw", None)
    monkeypatch.setitem(sys.modules, "autograd.viewer", None)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and words in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command, module", [("draw", "autograd.draw"), ("html", "autograd.viewer")]
)
def test_draw_and_html_import_their_module_only_after_validation(
    capsys, monkeypatch, tmp_path, command, module
):
    monkeypatch.setitem(sys.modules, module, None)  # any import of it now fails
    code, _, err = run(capsys, command, "x*2", "x=1", "-o", str(tmp_path / "out"))
    assert code == 1 and "needs a module" in err


@pytest.mark.parametrize(
    "argv",
    [["explain"], ["draw", "x", "x=1"], ["explain", "x", "x=1", "--format", "pdf"], ["frob", "x"]],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert 'python -m autograd explain "tanh(w*x + b)" w=0.5 x=2 b=-1 --wrt w' in out
    assert "never run as Python" in out


def test_the_module_runs_and_fails_without_a_traceback(tmp_path):
    marker = tmp_path / "ran"
    bad = subprocess.run(
        [sys.executable, "-m", "autograd", "explain", f"__import__('os').system('touch {marker}')"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "not allowed" in bad.stderr
    assert not marker.exists()
    good = subprocess.run(
        [sys.executable, "-m", "autograd", "explain", "x**2", "x=3", "--wrt", "x"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert good.returncode == 0
    assert "∂f/∂x = 2·x = 6.0" in good.stdout


def test_a_terminal_without_unicode_gets_escapes_not_a_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "autograd", "explain", "x**2", "x=3", "--wrt", "x"],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert "\\u2202f/\\u2202x = 2\\xb7x = 6.0" in run.stdout


def test_draw_writes_the_svg_of_the_gradient_flow(capsys, tmp_path):
    import xml.etree.ElementTree as ET

    path = tmp_path / "graph.svg"
    code, out, _ = run(capsys, "draw", *NEURON, "-o", str(path))
    assert code == 0 and str(path) in out
    text = " ".join(ET.parse(path).getroot().itertext())
    root = parse(NEURON[0], {"w": 0.5, "x": 2.0, "b": -0.25})
    root.backward()
    w = next(n for n in topological_order(root) if n.label == "w")
    assert "tanh" in text and f"grad {w.grad:.4g}" in text  # drawn after backward()


def test_html_writes_the_step_through_page(capsys, tmp_path):
    path = tmp_path / "steps.html"
    code, _, _ = run(capsys, "html", *NEURON, "-o", str(path))
    page = path.read_text(encoding="utf-8")
    assert code == 0 and page.lstrip().lower().startswith("<!doctype html")
    assert "tanh" in page and "<svg" in page


def test_explain_chain_flag_orders_the_factors(capsys):
    argv = ["a*b*c", "a=2", "b=-3", "c=-2"]
    code, out, _ = run(capsys, "explain", *argv, "--wrt", "a", "--chain", "from_root")
    values = {"a": 2.0, "b": -3.0, "c": -2.0}
    assert code == 0
    assert out == str(expected_derivation(argv[0], values, "a", chain="from_root")) + "\n"
    assert out != str(expected_derivation(argv[0], values, "a")) + "\n"
