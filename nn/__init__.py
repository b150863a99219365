"""nn: Module, Neuron, Layer and MLP built from Values, with losses, optimizers and fit()."""

from . import export, losses, metrics, optim, train
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
    "CosineLR",
    "History",
    "Layer",
    "LinearLR",
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
