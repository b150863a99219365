"""nn: Module, Neuron, Layer, MLP, Conv2d and pooling from Values; losses, optimizers, fit()."""

# _autograd first: a clear ImportError where another package answers to `import autograd`.
from . import _autograd as _autograd
from . import export, losses, metrics, optim, train
from .conv import AvgPool2d, Conv2d, MaxPool2d
from .layers import MLP, Layer, Neuron
from .module import Module
from .optim import SGD, Adam, AdamW
from .schedules import CosineLR, LinearLR, StepLR
from .state import ModelFileError
from .train import History, fit

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "AdamW",
    "AvgPool2d",
    "Conv2d",
    "CosineLR",
    "History",
    "Layer",
    "LinearLR",
    "MaxPool2d",
    "ModelFileError",
    "Module",
    "Neuron",
    "StepLR",
    "export",
    "fit",
    "losses",
    "metrics",
    "optim",
    "train",
]
