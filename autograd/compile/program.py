"""The program a trace becomes: backward()'s own order and arithmetic, written down.

The forward is every node of `topological_order(root)` (backward()'s order,
each node after its parents) that an op made, in that order. The backward
is the list of `Edge`s that `backward.chain_rule` yields on the traced
graph: for each node from the root down and each of its inputs in order,
grad(input) += grad(node) × ∂node/∂input. Only edges into a value that
leads to a parameter are kept (a gradient nobody reads is not computed), and
never one into a number kept in a node (`y * 1.0001`) or a constant input.
Every backend executes this program and nothing else: the order of the
lines, and of the += into each gradient, is chain_rule's.
"""

from dataclasses import dataclass
from itertools import groupby

from ..backward import chain_rule
from ..ops import Op
from .probe import RULE, cached


@dataclass(frozen=True)
class Step:
    """node = row.forward(*inputs): one node of the forward."""

    node: object
    row: Op
    inputs: tuple  # a node, or a float for a number kept in the node


@dataclass(frozen=True)
class Edge:
    """grad(parent) += grad(node) × ∂node/∂parent, ∂node/∂parent known as kind."""

    index: int  # which input of node parent is
    parent: object
    kind: tuple  # (CONSTANT, c), (INPUT, i) or (RULE, None): see probe.local_kinds


@dataclass(frozen=True)
class Backward:
    """One node's edges, in chain_rule's order; calls_rule: its locals need the rule run."""

    step: Step
    edges: tuple[Edge, ...]
    calls_rule: bool


class Program:
    """A trace's forward steps and backward edges (see the module's docstring)."""

    def __init__(self, trace):
        self.trace = trace
        self.outputs = trace.root if isinstance(trace.root, list) else [trace.root]
        self.root = None if isinstance(trace.root, list) else trace.root  # what backward seeds
        self.arguments = trace.arguments
        self.parameters = trace.parameters
        order = trace.order
        wanted = set(trace.parameters)
        leads = {}  # node -> whether a parameter is it or one of its ancestors
        for node in order:
            leads[node] = node in wanted or any(leads[p] for p in node._prev)
        constants = trace.constants
        self.steps = [Step(n, n._row, _operands(n, constants)) for n in order if n._prev]
        step_of = {step.node: step for step in self.steps}
        self.local_kinds = cached({})  # step -> how each input's local derivative is known
        self.backward = []
        pass_ = chain_rule(order) if self.root is not None else ()  # several outputs: no backward
        for node, edges in groupby(pass_, key=lambda edge: edge.node):
            kept = [
                (e.index, e.parent)
                for e in edges
                if leads[e.parent] and e.index not in node._row.constant_inputs
            ]
            if not kept:
                continue
            step = step_of[node]
            kinds = self.local_kinds(step)
            edges = tuple(Edge(i, parent, kinds[i]) for i, parent in kept)
            calls_rule = any(edge.kind[0] == RULE for edge in edges)
            self.backward.append(Backward(step, edges, calls_rule))
        self.needs_grad = [n for n in order if leads[n]]  # every gradient the backward keeps


def _operands(node, constants):
    """node's inputs as the program sees them: nodes, and as floats the numbers kept
    in the node and the leaves made inside the traced function."""
    return tuple(p.data if p._number_leaf or p in constants else p for p in node._prev)
