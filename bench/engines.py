"""The engines under test, behind one small interface.

Each engine offers `Value` (a leaf from a float), `relu(v)`, `backward(root)`,
and `linear(ws, xs, b)` where it has a fused neuron (None otherwise).
"""

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Engine:
    name: str
    Value: type
    relu: Callable[[Any], Any]
    backward: Callable[[Any], None]
    linear: Callable[..., Any] | None
    recursion_limit: int | None = None  # raised for engines that sort recursively


def load(name: str) -> Engine:
    """Import the engine named `chainrule`, `micrograd` or `floor` (`torch`: PyTorch's batch)."""
    if name == "chainrule":
        autograd = importlib.import_module("autograd")
        return Engine(name, autograd.Value, _relu, _backward, autograd.linear)
    if name == "micrograd":
        engine = importlib.import_module("micrograd.engine")
        # micrograd's topological sort recurses once per node of the chain.
        return Engine(name, engine.Value, _relu, _backward, None, recursion_limit=10**7)
    if name == "floor":
        floor = importlib.import_module("bench.floor")
        return Engine(name, floor.Node, _relu, floor.backward, floor.linear)
    if name == "torch":  # the batched step builds the model's weights as floats, then tensors
        return Engine(name, float, None, None, None)
    raise SystemExit(f"unknown engine {name!r}; choose chainrule, micrograd, floor or torch")


def count_nodes(root) -> int:
    """Distinct nodes root depends on, itself included (any engine: reads `_prev`)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def _relu(v):
    return v.relu()


def _backward(root):
    root.backward()


ENGINES = ("micrograd", "chainrule", "floor")
assert sys.version_info >= (3, 11)
