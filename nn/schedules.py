"""Learning-rate schedules: call `.step()` once per epoch (or per batch); each sets optimizer.lr.

Each schedule remembers the optimizer's lr when it was made (`base_lr`) and
computes lr in closed form from the number of steps taken so far, matching
torch.optim.lr_scheduler's StepLR, LinearLR and CosineAnnealingLR.
"""

import math


class _Schedule:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.steps = 0

    def step(self) -> float:
        """Advance one step and set (and return) the optimizer's new lr."""
        self.steps += 1
        self.optimizer.lr = self.lr_at(self.steps)
        return self.optimizer.lr

    def lr_at(self, step: int) -> float:
        raise NotImplementedError


class StepLR(_Schedule):
    """lr = base_lr · gamma^⌊step / step_size⌋."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be a whole number ≥ 1, got {step_size!r}")
        super().__init__(optimizer)
        self.step_size = step_size
        self.gamma = gamma

    def lr_at(self, step):
        return self.base_lr * self.gamma ** (step // self.step_size)


class LinearLR(_Schedule):
    """lr moves linearly from base_lr·start_factor to base_lr·end_factor over total_steps."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_steps=5):
        if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps < 1:
            raise ValueError(
                f"LinearLR: total_steps must be a whole number ≥ 1, got {total_steps!r}"
            )
        super().__init__(optimizer)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_steps = total_steps
        optimizer.lr = self.lr_at(0)

    def lr_at(self, step):
        done = min(step, self.total_steps) / self.total_steps
        return self.base_lr * (self.start_factor + (self.end_factor - self.start_factor) * done)


class CosineLR(_Schedule):
    """lr follows half a cosine from base_lr down to min_lr over total_steps, then stays there."""

    def __init__(self, optimizer, total_steps, min_lr=0.0):
        if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps < 1:
            raise ValueError(
                f"CosineLR: total_steps must be a whole number ≥ 1, got {total_steps!r}"
            )
        super().__init__(optimizer)
        self.total_steps = total_steps
        self.min_lr = min_lr

    def lr_at(self, step):
        done = min(step, self.total_steps) / self.total_steps
        return self.min_lr + (self.base_lr - self.min_lr) * (1.0 + math.cos(math.pi * done)) / 2
