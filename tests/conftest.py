import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Shared, noisy machines: no per-example deadlines; CI draws a few more examples.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def jupyter():
    """run(*cells) executes code cells in a real Jupyter kernel and returns their outputs.

    One kernel serves the whole session (a start costs a second or two), with
    Graphviz's `dot` off PATH as on a pip-only machine; each call is a new
    notebook run in it, and the first error fails the call.
    """
    pytest.importorskip("nbclient", reason="the test extra installs nbclient and ipykernel")
    import nbformat
    from jupyter_client.manager import KernelManager

    from docs.notebooks import KERNEL, execute, without_dot

    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env=without_dot(dict(os.environ)), cwd=str(ROOT))

    def run(*cells):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        return [cell.outputs for cell in execute(nb, cwd=ROOT, km=km).cells]

    yield run
    km.shutdown_kernel(now=True)


@pytest.fixture(scope="session")
def tutorial():
    """tutorial(source) -> the notebook source describes, run top to bottom in a fresh kernel.

    Each notebook runs once per session, with `dot` off PATH and a time limit per cell.
    """
    pytest.importorskip("nbclient", reason="the test extra installs nbclient and ipykernel")
    from docs.notebooks import execute, notebook

    done = {}

    def run(source):
        if source not in done:
            done[source] = execute(notebook(source), cwd=source.parent)
        return done[source]

    return run


@pytest.fixture
def hips_autograd():
    """make(folder): a stand-in for HIPS autograd's package (PyPI `autograd`) in folder.

    Its __init__.py and the module names only it has, as pip would leave them
    in a site folder; for simulating the clash of the two `autograd` packages.
    """

    def make(folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("from .differential_operators import grad\n")
        operators = "def grad(fun, argnum=0):\n    return fun\n"
        (folder / "differential_operators.py").write_text(operators)
        (folder / "tracer.py").write_text("")
        (folder / "wrap_util.py").write_text("")

    return make
