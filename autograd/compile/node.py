"""How a compiled batch enters the ordinary graph: one node, the parameters its parents.

Each call makes an op row of its own, like the fused neuron's `linear` row
but for this batch: its forward is the replay's reduced output (the mean or
the sum over the batch) as a function of the parameters, and its
local_grads are the replay's reduced gradients. So backward(), draw,
explain, check and the viewer read it as a normal node: chain_rule
multiplies its grad by those local derivatives like any other. The rule is
a pure function of the parameters' numbers: called with the numbers the
replay ran at, it returns what the replay computed; called with others (a
numerical check of the node), it replays again.
"""

from collections.abc import Sequence

from ..ops import Op, is_value
from ..value import Value, apply

REDUCTIONS = ("mean", "sum")
_FLOATS = {float}


def batch_node(name, replay, parameters, size, reduce):
    """The reduced output of replay as a Value whose parents are the parameters.

    replay(values) -> (output summed over the batch, gradients summed over it).
    """
    scale = 1.0 / size if reduce == "mean" else 1.0
    cache = {}

    def reduced(values):
        if cache.get("at") != values:
            total, grads = replay(values)
            cache["at"], cache["out"] = values, float(total) * scale
            if hasattr(grads, "tolist"):  # a numpy array: scaled and made floats at C speed
                cache["grads"] = tuple((grads * scale).tolist())
            else:
                cache["grads"] = tuple([float(g) * scale for g in grads])
        return cache["out"], cache["grads"]

    values = tuple([p.data for p in parameters])
    out, _ = reduced(values)  # replayed here, so errors are the replay's own, not apply's
    if not parameters:
        return Value(out, label=f"{reduce} {name}")

    def forward(*values):
        return reduced(values)[0]

    def local_grads(*values_and_out):
        values = values_and_out[:-1]
        if not _FLOATS.issuperset(map(type, values)) and any(map(is_value, values)):
            raise NotImplementedError(
                f"compiled {name}: backward(create_graph=True) needs the graph of the "
                "derivative, which a compiled batch does not record; differentiate the "
                "scalar function instead"
            )
        return reduced(values)[1]

    def accumulate(inputs, grad):
        # backward()'s fast path for a node of many inputs: local_grads' numbers, added in order
        for p, local in zip(inputs, reduced(tuple([p.data for p in inputs]))[1]):
            p.grad += grad * local

    what = f"{reduce}({name})"
    tex = _latex(name)
    row = Op(
        name=f"compiled {name}",
        symbol=f"{reduce} {name} ×{size}",
        arity=len(parameters),
        forward=forward,
        local_grads=local_grads,
        accumulate=accumulate,
        expr=what,
        grad_text=_PerParameter(parameters, lambda p: f"{reduce} of ∂{name}/∂{p}"),
        expr_latex=f"\\operatorname{{{reduce}}}_{{b < {size}}} \\mathrm{{{tex}}}_b",
        grad_latex=_PerParameter(
            parameters,
            lambda p: (
                f"\\operatorname{{{reduce}}}_b \\frac{{\\partial \\mathrm{{{tex}}}_b}}"
                f"{{\\partial \\mathrm{{{_latex(p)}}}}}"
            ),
        ),
    )
    return apply(row, *parameters)


class _PerParameter(Sequence):
    """A formula per parameter, written when read (a batch node may have thousands)."""

    def __init__(self, parameters, write):
        self._parameters, self._write = parameters, write

    def __len__(self):
        return len(self._parameters)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        p = self._parameters[i]
        return self._write(p.label or f"p{i % len(self)}")


def _latex(text):
    return "".join("\\_" if c == "_" else c for c in text)
