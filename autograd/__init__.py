"""chainrule: a scalar reverse-mode autodiff engine you can read, see and test."""

from .draw import draw_dot
from .explain import Derivation, explain
from .mode import AnomalyError, detect_anomaly, enable_grad, no_grad, scope
from .ops import OPS, Op
from .value import Value, linear, local_grads, topological_order

__all__ = [
    "OPS",
    "AnomalyError",
    "Derivation",
    "Op",
    "Value",
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "explain",
    "linear",
    "local_grads",
    "no_grad",
    "scope",
    "topological_order",
]
