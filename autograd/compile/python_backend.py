"""The plain-Python backend: the program's lines run once per example, on floats.

No dependency at all (it runs in Pyodide, in the browser). The lines are
emit.replay_source's: the per-example function of `compiled.source` inside a
loop over the batch, each parameter's gradient summed over it.
"""

import math
from typing import NamedTuple

from .emit import Names, replay_source


class Replayed(NamedTuple):
    """What a backend's run gives: per-example outputs, parameter gradients
    summed over the batch (None when not asked for), and, where the backend
    keeps them, every node's value and gradient per example."""

    outputs: object
    grads: object
    values: object = None
    node_grads: object = None


class PythonBackend:
    name = "python"

    def __init__(self, program):
        self.program = program
        self._replays = {}  # with_grads -> replay(columns, parameters)

    def run(self, flat, size, parameters, grads=True, per_example=False):
        """(outputs, gradients summed over the batch) for flat columns of size examples;
        per_example: a list of gradients per example instead of their sum."""
        replay = self._replays.get(grads)
        if replay is None:
            replay = self._replays[grads] = _compile(self.program, grads)
        if not per_example:
            return Replayed(*replay(flat, parameters))
        outputs, per = [], []
        for b in range(size):
            (out,), example_grads = replay([[column[b]] for column in flat], parameters)
            outputs.append(out)
            per.append(example_grads)
        return Replayed(outputs, per)


def _compile(program, with_grads):
    text = replay_source(program, with_grads)
    names = Names(program)
    namespace = {
        "inf": math.inf,
        "nan": math.nan,
        "ROWS": {f: row for row, (f, _) in names.rows.items()},
    }
    exec(compile(text, f"<autograd.compile {program.trace.name}>", "exec"), namespace)
    return namespace["replay"]
