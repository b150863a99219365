"""autograd.compile's moons step, and batched PyTorch's, as `make bench` times them.

The model, its weights, the data and the recipe are workloads.py's moons
step: MLP(2, [16, 16, 1]) with micrograd's initialisation, hinge loss on 100
points, L2 of 1e-4, SGD at 0.5. The compiled step traces the loss of one
example once (its time is reported apart, as compile time) and then replays
it over the batch: forward, backward and the SGD update, as one step. A
compiled step makes no reference cycles, so it is freed by `del` alone; no
full collection (the scalar steps' gc.collect(), which walks every object of
the process) is counted.
PyTorch runs the same step batched, in float64 on one thread, its tensors
made once.
"""

from .workloads import ALPHA, LEARNING_RATE, MLP, _median_sample, clock


def compiled_moons_step(engine, points, labels, backend, l2_inside=True, seed=1337, repeat=5):
    """A step of the moons MLP through autograd.compile; l2_inside: the L2 term is part
    of the traced loss (the batch mean of a constant is that constant), else a scalar term."""
    import autograd

    model = MLP(engine, 2, [16, 16, 1], fused=False, seed=seed)
    params = model.parameters()

    def loss_one(x1, x2, y):
        hinge = engine.relu(1 + -y * model([x1, x2]))
        return hinge + ALPHA * sum(p * p for p in params) if l2_inside else hinge

    columns = [[x for x, _ in points], [y for _, y in points], labels]
    t0 = clock()
    batch_loss = autograd.compile(loss_one, backend=backend)
    _step(batch_loss, columns, params, l2_inside)  # the first call traces
    compile_time = clock() - t0
    _step(batch_loss, columns, params, l2_inside)  # a warm-up step
    sample = _median_sample([_step(batch_loss, columns, params, l2_inside) for _ in range(repeat)])
    return {**sample, "compile": compile_time - sample["total"]}


def _step(batch_loss, columns, params, l2_inside):
    t0 = clock()
    loss = batch_loss(*columns)
    if not l2_inside:
        loss = loss + ALPHA * sum(p * p for p in params)
    t1 = clock()
    for p in params:
        p.grad = 0.0
    loss.backward()
    t2 = clock()
    for p in params:
        p.data -= LEARNING_RATE * p.grad
    t3 = clock()
    del loss  # no reference cycles: nothing is left for the collector (see the notes)
    t4 = clock()
    return {"forward": t1 - t0, "backward": t2 - t1, "update": t3 - t2, "free": t4 - t3,
            "total": t4 - t0}  # fmt: skip


def torch_moons_step(engine, points, labels, seed=1337, repeat=5):
    """The same step in PyTorch: float64, one thread, the batch as tensors made once."""
    import torch

    torch.set_num_threads(1)
    layers = MLP(engine, 2, [16, 16, 1], fused=False, seed=seed).layers  # the same weights
    weights = [torch.tensor([w for w, _ in layer], dtype=torch.float64, requires_grad=True)
               for layer in layers]  # fmt: skip
    biases = [torch.tensor([b for _, b in layer], dtype=torch.float64, requires_grad=True)
              for layer in layers]  # fmt: skip
    params = [*weights, *biases]
    x = torch.tensor(points, dtype=torch.float64)
    y = torch.tensor(labels, dtype=torch.float64)

    def step():
        t0 = clock()
        h = x
        for i, (w, b) in enumerate(zip(weights, biases)):
            h = h @ w.T + b
            h = torch.relu(h) if i < len(weights) - 1 else h
        loss = torch.relu(1 - y * h[:, 0]).mean() + ALPHA * sum((p * p).sum() for p in params)
        t1 = clock()
        for p in params:
            p.grad = None
        loss.backward()
        t2 = clock()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
        t3 = clock()
        return {"forward": t1 - t0, "backward": t2 - t1, "update": t3 - t2, "total": t3 - t0}

    step()
    return _median_sample([step() for _ in range(repeat)])
