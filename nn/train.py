"""fit(): the training loop, small enough to read and fast enough for the demos."""

import random
import sys
from dataclasses import dataclass, field

from autograd import Value
from autograd.ops import number


@dataclass
class History:
    """Per-epoch mean training loss and metrics (keyed by the names given to fit)."""

    loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    lr: list[float] = field(default_factory=list)


def fit(
    model,
    data,
    loss,
    optimizer,
    *,
    epochs=1,
    batch_size=None,
    metrics=None,
    shuffle=True,
    seed=0,
    progress=None,
    callback=None,
) -> History:
    """Train model on data, a sequence of (x, y) pairs; return the History.

    Each batch: predictions → loss(preds, targets) → zero_grad → backward →
    optimizer.step(). batch_size=None trains on the whole data set at once.
    Shuffling is seeded, so a run is reproducible. The epoch's loss is the
    mean over its examples; metrics (name → fn(preds, targets)) are computed
    on the predictions made during the epoch, as floats. progress: None shows
    a tqdm bar in a terminal (stderr a TTY) and in a Jupyter kernel (a notebook
    bar, with ipywidgets), True always, False never.
    callback(epoch, history) runs after each epoch; returning True stops.
    """
    data = list(data)
    if not data:
        raise ValueError("fit: no data")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be a whole number ≥ 0, got {epochs!r}")
    size = len(data) if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"fit: batch_size must be a whole number ≥ 1, got {batch_size!r}")
    metrics = dict(metrics or {})
    history = History(metrics={name: [] for name in metrics})
    rng = random.Random(seed)
    order = list(range(len(data)))
    bar = _progress_bar(epochs, progress)
    try:
        for epoch in range(epochs):
            if shuffle:
                rng.shuffle(order)
            total, seen_preds, seen_targets = 0.0, [], []
            for start in range(0, len(order), size):
                batch = [data[i] for i in order[start : start + size]]
                targets = [y for _, y in batch]
                preds = [model(x) for x, _ in batch]
                batch_loss = loss(preds, targets)
                if not isinstance(batch_loss, Value):
                    raise TypeError(
                        f"fit: loss must return a Value, not {type(batch_loss).__name__}"
                    )
                optimizer.zero_grad()
                batch_loss.backward()
                optimizer.step()
                total += batch_loss.data * len(batch)
                if metrics:
                    seen_preds.extend(_floats(p) for p in preds)
                    seen_targets.extend(targets)
            history.loss.append(total / len(data))
            history.lr.append(optimizer.lr)
            for name, metric in metrics.items():
                history.metrics[name].append(float(metric(seen_preds, seen_targets)))
            if bar is not None:
                bar.set_postfix(loss=f"{history.loss[-1]:.4g}", refresh=False)
                bar.update()
            if callback is not None and callback(epoch, history) is True:
                break
    finally:
        if bar is not None:
            bar.close()
    return history


def _floats(pred):
    return number(pred) if isinstance(pred, Value) else [number(p) for p in pred]


def _progress_bar(epochs, progress):
    if progress is None:
        progress = sys.stderr.isatty() or _in_jupyter_kernel()
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=epochs, unit="epoch", file=sys.stderr)


def _in_jupyter_kernel():
    """Whether this runs in a Jupyter kernel, where tqdm.auto draws a notebook bar."""
    ipython = sys.modules.get("IPython")  # never imported here: a kernel has it loaded
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in shell.config
