"""Optimizers: N steps agree with torch.optim in float64; the update rules by hand; errors."""

import math
from pathlib import Path

import pytest

from autograd import Value
from nn import MLP, SGD, Adam, AdamW

START = [0.5, -1.25, 2.0, 0.1, -0.7, 1.5]
TARGET = [1.0, 0.0, -1.0, 0.5, 0.25, -2.0]
STEPS = 30

CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.02, "momentum": 0.8, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.3}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.05, "betas": (0.5, 0.9), "weight_decay": 0.3}),
]


def objective(ps, sin):
    """A non-quadratic loss that couples neighbouring parameters."""
    total = 0.0
    for i, (p, t) in enumerate(zip(ps, TARGET)):
        total = total + (i + 1) * (p - t) * (p - t) + sin(p * ps[(i + 1) % len(ps)])
    return total


def run_ours(name, options, lr_change=None):
    ps = [Value(x) for x in START]
    optimizer = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[name](ps, **options)
    for step in range(STEPS):
        if step == STEPS // 2 and lr_change:
            optimizer.lr = lr_change
        optimizer.zero_grad()
        objective(ps, Value.sin).backward()
        optimizer.step()
    return [p.data for p in ps]


def run_torch(torch, name, options, lr_change=None):
    ps = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, name)([ps], **options)
    for step in range(STEPS):
        if step == STEPS // 2 and lr_change:
            optimizer.param_groups[0]["lr"] = lr_change
        optimizer.zero_grad()
        objective(list(ps.unbind()), torch.sin).backward()
        optimizer.step()
    return ps.tolist()


@pytest.mark.torch
@pytest.mark.parametrize(("name", "options"), CASES)
def test_steps_match_torch_optim_in_float64(name, options):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for optimizer steps")
    ours, theirs = run_ours(name, options), run_torch(torch, name, options)
    assert ours != START
    assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_a_changed_lr_takes_effect_as_in_torch(name):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for optimizer steps")
    options = {"lr": 0.05, "momentum": 0.9} if name == "SGD" else {"lr": 0.05}
    ours = run_ours(name, options, lr_change=0.001)
    assert ours == pytest.approx(run_torch(torch, name, options, 0.001), rel=1e-10)
    assert ours != pytest.approx(run_ours(name, options), rel=1e-6)


def test_plain_sgd_step_by_hand():
    p = Value(1.0)
    p.grad = 4.0
    SGD([p], lr=0.1).step()
    assert p.data == pytest.approx(0.6)


def test_momentum_accumulates_velocity():
    p = Value(0.0)
    optimizer = SGD([p], lr=1.0, momentum=0.5)
    for _ in range(3):
        p.grad = 1.0
        optimizer.step()
    assert p.data == pytest.approx(-(1 + 1.5 + 1.75))


def test_adam_first_step_moves_each_parameter_by_lr():
    ps = [Value(1.0), Value(-3.0)]
    ps[0].grad, ps[1].grad = 1e-3, -50.0
    Adam(ps, lr=0.1).step()
    assert [p.data for p in ps] == pytest.approx([0.9, -2.9], rel=1e-4)


def test_adamw_decays_weights_even_with_zero_gradient():
    p = Value(2.0)
    AdamW([p], lr=0.1, weight_decay=0.5).step()
    assert p.data == pytest.approx(2.0 * (1 - 0.05))
    q = Value(2.0)
    Adam([q], lr=0.1, weight_decay=0.5).step()  # L2 through the gradient: moves by lr
    assert q.data == pytest.approx(1.9)


def test_zero_grad_clears_the_optimizers_parameters():
    model = MLP(2, [2, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    for p in model.parameters():
        p.grad = 1.0
    optimizer.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda ps: SGD(ps, lr=-0.1), "SGD: lr must be a number ≥ 0"),
        (lambda ps: SGD(ps, lr=0.1, nesterov=True), "nesterov=True needs momentum"),
        (lambda ps: SGD(ps, lr=0.1, momentum=-1), "momentum must be"),
        (lambda ps: Adam(ps, betas=(1.0, 0.9)), r"Adam: betas\[0\] must be in \[0, 1\)"),
        (lambda ps: AdamW(ps, eps=math.nan), "AdamW: eps must be"),
        (lambda ps: Adam([], lr=0.1), "no parameters"),
    ],
)
def test_bad_settings_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


def test_parameters_must_be_values():
    with pytest.raises(TypeError, match="SGD: parameter 1 is a float, not a Value"):
        SGD([Value(1.0), 2.0], lr=0.1)


@pytest.mark.parametrize("make", [SGD, Adam, AdamW], ids=["SGD", "Adam", "AdamW"])
def test_a_value_grad_is_refused_before_any_parameter_moves(make):
    # backward(create_graph=True) leaves Values in .grad; a step with them
    # would turn .data into Values. Nothing is updated, not even AdamW's decay.
    ps = [Value(x) for x in START]
    optimizer = make(ps, lr=0.1)
    loss = objective(ps, lambda v: v.sin())
    loss.backward(create_graph=True)
    with pytest.raises(TypeError, match=rf"{make.__name__}: parameter 0 has a Value grad"):
        optimizer.step()
    assert [p.data for p in ps] == START
    optimizer.zero_grad()
    objective(ps, lambda v: v.sin()).backward()
    optimizer.step()
    assert all(type(p.data) is float for p in ps) and [p.data for p in ps] != START


README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
STEP_TOLERANCE = 1e-12  # relative, after every step; the README states the same number


def test_the_readme_states_the_tolerance_the_torch_comparison_uses():
    assert f"agree with `torch.optim` in float64 to a relative {STEP_TOLERANCE:g}" in README
    assert "step for step as" not in README  # they are not bitwise equal


@pytest.mark.torch
@pytest.mark.parametrize(("name", "options"), CASES)
def test_every_step_agrees_with_torch_to_the_stated_tolerance(name, options):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for optimizer steps")
    ps = [Value(x) for x in START]
    optimizer = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[name](ps, **options)
    tensor = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    torch_optimizer = getattr(torch.optim, name)([tensor], **options)
    for _ in range(STEPS):
        optimizer.zero_grad()
        objective(ps, Value.sin).backward()
        optimizer.step()
        torch_optimizer.zero_grad()
        objective(list(tensor.unbind()), torch.sin).backward()
        torch_optimizer.step()
        theirs = tensor.tolist()
        assert [p.data for p in ps] == pytest.approx(theirs, rel=STEP_TOLERANCE, abs=1e-300)
