"""What every new node consults: is the graph recorded, is anomaly detection
on, and which module scope is it made in (and, while autograd.compile
traces a function, who watches Python read a node's number).

One context variable holds them all, so the engine's hot path reads one
thing and compares it against the default; `contextvars` keeps the modes
separate per thread and per asyncio task.
"""

import contextvars
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Mode:
    grad_enabled: bool = True  # False inside no_grad(): nodes record no parents
    anomaly: bool = False  # True inside detect_anomaly(): NaN/inf raise at once
    scope: tuple[str, ...] | None = None  # module path, e.g. ("layers.0", "neurons.3")
    # Called with a node whose number Python reads (float(), bool(), a
    # comparison) while autograd.compile traces a function; None otherwise.
    on_read: Callable | None = None


RECORDING = Mode()  # the default: the fast path in value.py tests `mode is RECORDING`
_MODE = contextvars.ContextVar("chainrule_mode", default=RECORDING)


class AnomalyError(ArithmeticError):
    """An op produced NaN or ±inf while detect_anomaly() was on."""


def current() -> Mode:
    return _MODE.get()


@contextmanager
def _using(**changes):
    mode = replace(_MODE.get(), **changes)
    token = _MODE.set(RECORDING if mode == RECORDING else mode)
    try:
        yield mode
    finally:
        _MODE.reset(token)


def no_grad():
    """Inside, ops compute values only: no parents, no graph memory."""
    return _using(grad_enabled=False)


def enable_grad():
    """Record the graph again inside a no_grad() block."""
    return _using(grad_enabled=True)


def detect_anomaly():
    """Raise AnomalyError at the first op whose forward or backward gives NaN or ±inf."""
    return _using(anomaly=True)


def watching_reads(on_read):
    """Record the graph, calling on_read(node) before Python reads a node's number."""
    return _using(grad_enabled=True, on_read=on_read)


def scope(name: str):
    """Tag the nodes made inside with a module path, for drawing them as clusters."""
    return _using(scope=(*(_MODE.get().scope or ()), name))
