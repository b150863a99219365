"""chainrule: a scalar reverse-mode autodiff engine you can read, see and test."""

from ._hips import refuse_merged_folder
from .check import (
    GradcheckError,
    check_every_node,
    gradcheck,
    gradgradcheck,
    numerical_grad,
)
from .compile import TraceError, compile
from .draw import draw_dot
from .explain import Derivation, explain
from .functional import detach, grad, hessian, value_and_grad
from .mode import AnomalyError, detect_anomaly, enable_grad, no_grad, scope
from .ops import OPS, Op
from .value import Value, apply, linear, local_grads, topological_order

refuse_merged_folder(__path__)  # HIPS autograd's files in this folder: a clear ImportError

__all__ = [
    "OPS",
    "AnomalyError",
    "Derivation",
    "GradcheckError",
    "Op",
    "TraceError",
    "Value",
    "apply",
    "check_every_node",
    "compile",
    "detach",
    "detect_anomaly",
    "draw_dot",
    "enable_grad",
    "explain",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "linear",
    "local_grads",
    "no_grad",
    "numerical_grad",
    "scope",
    "topological_order",
    "value_and_grad",
]
