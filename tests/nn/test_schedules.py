"""Schedules: lr sequences equal torch.optim.lr_scheduler's; closed forms by hand."""

import math
import warnings
from pathlib import Path

import pytest

from autograd import Value
from nn import SGD, CosineLR, LinearLR, StepLR

CASES = [
    (StepLR, {"step_size": 3, "gamma": 0.5}, "StepLR", {"step_size": 3, "gamma": 0.5}),
    (
        LinearLR,
        {"start_factor": 0.25, "end_factor": 1.0, "total_steps": 4},
        "LinearLR",
        {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 4},
    ),
    (
        LinearLR,
        {"start_factor": 1.0, "end_factor": 0.1, "total_steps": 7},
        "LinearLR",
        {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 7},
    ),
    (
        CosineLR,
        {"total_steps": 10, "min_lr": 0.01},
        "CosineAnnealingLR",
        {"T_max": 10, "eta_min": 0.01},
    ),
]


@pytest.mark.torch
@pytest.mark.parametrize(("ours", "options", "torch_name", "torch_options"), CASES)
def test_lr_sequence_matches_torch(ours, options, torch_name, torch_options):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for schedules")
    optimizer = SGD([Value(0.0)], lr=0.2)
    schedule = ours(optimizer, **options)
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch_optimizer = torch.optim.SGD([param], lr=0.2)
    torch_schedule = getattr(torch.optim.lr_scheduler, torch_name)(torch_optimizer, **torch_options)
    ours_lrs, torch_lrs = [optimizer.lr], [torch_optimizer.param_groups[0]["lr"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(10):
            schedule.step()
            torch_optimizer.step()
            torch_schedule.step()
            ours_lrs.append(optimizer.lr)
            torch_lrs.append(torch_optimizer.param_groups[0]["lr"])
    assert len(set(ours_lrs)) > 1
    assert ours_lrs == pytest.approx(torch_lrs, rel=1e-12, abs=1e-15)


def test_step_lr_by_hand():
    optimizer = SGD([Value(0.0)], lr=1.0)
    schedule = StepLR(optimizer, step_size=2, gamma=0.1)
    assert [schedule.step() for _ in range(5)] == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])


def test_cosine_reaches_min_lr_and_stays():
    optimizer = SGD([Value(0.0)], lr=1.0)
    schedule = CosineLR(optimizer, total_steps=4, min_lr=0.2)
    lrs = [schedule.step() for _ in range(6)]
    assert lrs[1] == pytest.approx(0.2 + 0.8 * (1 + math.cos(math.pi / 2)) / 2)
    assert lrs[3:] == pytest.approx([0.2, 0.2, 0.2])


def test_linear_starts_at_start_factor_and_holds_end_factor():
    optimizer = SGD([Value(0.0)], lr=2.0)
    schedule = LinearLR(optimizer, start_factor=0.5, end_factor=1.5, total_steps=2)
    assert optimizer.lr == pytest.approx(1.0)
    assert [schedule.step() for _ in range(4)] == pytest.approx([2.0, 3.0, 3.0, 3.0])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda o: StepLR(o, step_size=0), "StepLR: step_size must be"),
        (lambda o: LinearLR(o, total_steps=0), "LinearLR: total_steps must be"),
        (lambda o: CosineLR(o, total_steps=2.5), "CosineLR: total_steps must be"),
    ],
)
def test_bad_settings_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make(SGD([Value(0.0)], lr=1.0))


@pytest.mark.torch
def test_after_total_steps_cosine_holds_min_lr_where_torch_climbs_back_as_the_readme_says():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for schedules")
    optimizer = SGD([Value(0.0)], lr=0.2)
    schedule = CosineLR(optimizer, total_steps=5, min_lr=0.01)
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch_optimizer = torch.optim.SGD([param], lr=0.2)
    torch_schedule = torch.optim.lr_scheduler.CosineAnnealingLR(torch_optimizer, 5, 0.01)
    ours, theirs = [], []
    for _ in range(10):
        ours.append(schedule.step())
        torch_optimizer.step()
        torch_schedule.step()
        theirs.append(torch_optimizer.param_groups[0]["lr"])
    assert ours[:5] == pytest.approx(theirs[:5], rel=1e-12)  # equal up to total_steps
    assert ours[5:] == pytest.approx([0.01] * 5)  # then min_lr, held
    assert theirs[9] > 0.1  # torch's cosine has climbed most of the way back to 0.2
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "after `total_steps`, `CosineLR` holds `min_lr`" in " ".join(readme.split())
