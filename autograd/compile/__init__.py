"""autograd.compile: trace a scalar function once, replay it over a whole batch.

    batch_loss = autograd.compile(loss_one)   # loss_one(x1, x2, y) -> a Value
    loss = batch_loss(X1, X2, Y)              # one column per argument
    loss.backward()                           # fills the parameters' .grad

The first call runs fn once, on Values holding the first example (trace.py),
and turns its graph into a program: backward()'s order and chain rule,
written down (program.py). A backend replays that program over every
example without making a Value: numpy runs it on float64 arrays over the
batch, the plain-Python backend runs its lines (`.source`, emit.py) once per
example. The result enters the ordinary graph as one node whose parents are
the parameters (node.py).
"""

from ..ops import OPS
from . import checked
from . import columns as _columns
from .emit import Names as _Names
from .emit import source as _source
from .node import REDUCTIONS, batch_node
from .program import Program
from .python_backend import PythonBackend
from .trace import TraceError, trace

__all__ = ["Compiled", "TraceError", "compile"]

BACKENDS = ("numpy", "python")


def compile(fn, *, reduce="mean", backend=None):
    """fn (one example's scalars in, a Value out) as a function of columns over a batch.

    reduce: "mean" or "sum" returns a Value, one node whose parents are the
    parameters fn reads (leaves that are not arguments, read afresh each
    call); None returns the per-example outputs, with no graph. backend:
    "numpy" (float64 arrays over the batch; the default where numpy is
    installed) or "python" (no dependency).
    """
    if not callable(fn):
        raise TypeError(f"compile: fn must be a function, not {type(fn).__name__}")
    if reduce is not None and reduce not in REDUCTIONS:
        raise ValueError(f"compile: reduce must be 'mean', 'sum' or None, not {reduce!r}")
    return Compiled(fn, reduce, _backend(backend))


class Compiled:
    """A traced function, replayed over batches; see compile()."""

    def __init__(self, fn, reduce, backend):
        self.fn = fn
        self.reduce = reduce
        self.backend = backend
        self.__name__ = getattr(fn, "__name__", type(fn).__name__)
        self._programs = {}  # the columns' shape (widths) -> (Program, backend)
        self._last = None

    def __call__(self, *columns):
        flat, widths, size = _columns.read(self.__name__, columns, self.backend == "numpy")
        program, replay = self._program(flat, widths)
        parameters = program.parameters
        if program.root is None and self.reduce is not None:
            raise TypeError(
                f"compile({self.__name__}): {self.__name__} returns {len(program.outputs)} "
                f"Values; reduce={self.reduce!r} needs one (reduce=None gives them all)"
            )
        if self.reduce is None:
            values = [p.data for p in parameters]
            return checked.run(replay, flat, widths, size, values, grads=False)[0]

        def run(values):
            outputs, grads = checked.run(replay, flat, widths, size, list(values))
            return _sum(outputs), grads

        return batch_node(self.__name__, run, parameters, size, self.reduce)

    def per_example(self, *columns):
        """(outputs, grads): each example's output, and grads[b][j], the
        gradient of example b's output with respect to parameters[j]."""
        flat, widths, size = _columns.read(self.__name__, columns, self.backend == "numpy")
        program, replay = self._program(flat, widths)
        if program.root is None:
            raise TypeError(f"compiled {self.__name__}: per-example grads need one output")
        values = [p.data for p in self.parameters]
        outputs, grads = checked.run(replay, flat, widths, size, values, per_example=True)
        return [float(x) for x in outputs], [[float(g) for g in row] for row in grads]

    @property
    def graph(self):
        """The traced graph of one example (the first of the batch the last call's
        trace was made on): fn's output, a Value (or the list of them fn returns)."""
        return self._traced().root

    @property
    def source(self) -> str:
        """The straight-line code replayed: the forward and backward of one example."""
        return _source(self._traced())

    @property
    def rows(self) -> dict:
        """The rows of your own that .source calls, by the names it gives them (its ROWS)."""
        names = _Names(self._traced())
        return {f: row for row, (f, _) in names.rows.items() if OPS.get(row.name) is not row}

    @property
    def parameters(self) -> list:
        """The leaves fn reads that are not arguments, in the compiled node's order."""
        return list(self._traced().parameters)

    def _traced(self):
        if self._last is None:
            raise RuntimeError(
                f"compiled {self.__name__}: not traced yet; call it once with columns first"
            )
        return self._last

    def _program(self, flat, widths):
        key = tuple(widths)
        found = self._programs.get(key)
        if found is None:
            second = 1 if len(flat[0]) > 1 else 0
            again = _columns.example(flat, widths, second)
            traced = trace(self.fn, _columns.example(flat, widths), again, widths, (0, second))
            program = Program(traced)
            found = self._programs[key] = (program, self._replayer(program))
        self._last = found[0]
        return found

    def _replayer(self, program):
        if self.backend == "numpy":
            from .numpy_backend import NumpyBackend

            return NumpyBackend(program)
        return PythonBackend(program)

    def __repr__(self):
        return (
            f"autograd.compile({self.__name__}, reduce={self.reduce!r}, backend={self.backend!r})"
        )


def _backend(name):
    if name is not None and name not in BACKENDS:
        raise ValueError(f"compile: backend must be 'numpy' or 'python', not {name!r}")
    if name == "python":
        return name
    try:
        import numpy
    except ImportError:
        numpy = None
    usable = numpy is not None and hasattr(numpy.ndarray, "__array_namespace__")  # numpy ≥ 2
    if name == "numpy" and not usable:
        found = "not installed" if numpy is None else f"version {numpy.__version__}"
        raise ImportError(f"compile: the numpy backend needs numpy 2.0 or later ({found})")
    return "numpy" if usable else "python"


def _sum(outputs):
    if hasattr(outputs, "sum"):  # a numpy array
        return float(outputs.sum())
    total = 0.0
    for x in outputs:
        total += x
    return total
