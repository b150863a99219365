"""Module: parameters found by walking attributes, as in PyTorch.

A module's parameters are its Value attributes and lists of Values; its
children are its Module attributes and lists of Modules, named by attribute
and index, so a two-layer MLP's weights are named
`layers.0.neurons.3.w.1` and `layers.0.neurons.3.b`.
"""

import math
from numbers import Real

from autograd import Value


class Module:
    """Base class of Neuron, Layer and MLP (and of your own modules)."""

    def named_parameters(
        self, prefix: str = "", remove_duplicate: bool = True
    ) -> list[tuple[str, Value]]:
        """(dotted name, parameter) pairs in a stable order.

        A Value held under several names (a tied weight, a module used
        twice) is listed once, under its first name, as in torch, so an
        optimizer steps it once; remove_duplicate=False lists every name.
        """
        named = self._named_values(prefix)
        if not remove_duplicate:
            return named
        seen, unique = set(), []
        for name, p in named:
            if id(p) not in seen:
                seen.add(id(p))
                unique.append((name, p))
        return unique

    def _named_values(self, prefix):
        """Every (name, Value) reachable through attributes, duplicates included."""
        named = []
        for name, member in vars(self).items():
            if name.startswith("_"):
                continue
            path = prefix + name
            if isinstance(member, Value):
                named.append((path, member))
            elif isinstance(member, Module):
                named.extend(member._named_values(path + "."))
            elif isinstance(member, list | tuple):
                for i, item in enumerate(member):
                    if isinstance(item, Value):
                        named.append((f"{path}.{i}", item))
                    elif isinstance(item, Module):
                        named.extend(item._named_values(f"{path}.{i}."))
        return named

    def parameters(self) -> list[Value]:
        """Every parameter once, in the order of named_parameters()."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Every parameter's value under every name it has (plain floats), as in torch."""
        return {name: p.data for name, p in self.named_parameters(remove_duplicate=False)}

    def load_state_dict(self, state) -> None:
        """Set every parameter from state; on any problem, raise and change nothing.

        The keys must be exactly this module's parameter names and every value
        a finite real number.
        """
        named = dict(self.named_parameters(remove_duplicate=False))
        if not hasattr(state, "keys"):
            raise TypeError(
                f"state must be a mapping of names to numbers, not {type(state).__name__}"
            )
        missing = [name for name in named if name not in state]
        extra = [name for name in state if name not in named]
        if missing or extra:
            raise ValueError(_key_problem(missing, extra))
        for name, number in state.items():
            if isinstance(number, bool) or not isinstance(number, Real):
                raise TypeError(f"{name}: expected a number, got {type(number).__name__}")
            if not math.isfinite(number):
                raise ValueError(f"{name}: {number!r} is not a finite number")
        for name, p in named.items():
            p.data = float(state[name])


def _key_problem(missing, extra):
    parts = []
    if missing:
        parts.append(f"missing {len(missing)} parameter(s): {_some(missing)}")
    if extra:
        parts.append(f"unexpected {len(extra)} key(s): {_some(extra)}")
    return "; ".join(parts)


def _some(names, limit=5):
    shown = ", ".join(map(str, names[:limit]))
    return shown + (f", … ({len(names) - limit} more)" if len(names) > limit else "")
