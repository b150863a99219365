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
    compile=False,
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

    compile=True traces the model and the loss for one example once
    (autograd.compile) and replays them over each batch: the same losses and
    gradients up to rounding, many times faster. The loss needs a form for
    one example (`loss.one_example`; every loss in nn.losses has one), and
    the model must not branch on its inputs' values. "numpy" or "python"
    picks the replay's backend (True: numpy where installed).
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
    if compile:
        step = _compiled_step(model, loss, data, bool(metrics), compile)
    else:
        step = _scalar_step(model, loss, bool(metrics))
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
                batch_loss, preds = step(batch, targets)
                optimizer.zero_grad()
                batch_loss.backward()
                optimizer.step()
                total += batch_loss.data * len(batch)
                if metrics:
                    seen_preds.extend(preds)
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


def _scalar_step(model, loss, predictions):
    """step(batch, targets) -> (the batch's loss, its predictions as floats if asked)."""

    def step(batch, targets):
        preds = [model(x) for x, _ in batch]
        batch_loss = loss(preds, targets)
        if not isinstance(batch_loss, Value):
            raise TypeError(f"fit: loss must return a Value, not {type(batch_loss).__name__}")
        return batch_loss, [_floats(p) for p in preds] if predictions else None

    return step


def _compiled_step(model, loss, data, predictions, how):
    """The same step, the model and the loss traced for one example and replayed per batch."""
    import autograd

    one = getattr(loss, "one_example", None)
    if one is None:
        name = getattr(loss, "__name__", repr(loss))
        raise ValueError(
            f"fit: compile=True needs a loss with a form for one example (loss.one_example, "
            f"as nn.losses' losses have); {name} has none"
        )
    backend = how if isinstance(how, str) else None
    with autograd.no_grad():
        first = model(data[0][0])
    outputs = len(first) if isinstance(first, list | tuple) else 1

    def loss_one(x, target):
        return one.loss(model(x), target)

    def predict_one(x):
        return model(x)

    batch_loss = autograd.compile(loss_one, backend=backend)
    predict = autograd.compile(predict_one, reduce=None, backend=backend)

    def step(batch, targets):
        xs = [x for x, _ in batch]
        preds = [_plain(p) for p in predict(xs)] if predictions else None
        return batch_loss(xs, one.targets(targets, outputs)), preds

    return step


def _plain(pred):
    """A replay's prediction as fit's metrics take it: a float, or a list of floats."""
    return float(pred) if not hasattr(pred, "__len__") else [float(p) for p in pred]


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
