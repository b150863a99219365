"""What is measured, written once for every engine.

Each workload builds a graph from the engine's `Value`, runs backward, and
frees the graph, timing each phase with `perf_counter`. Freeing is `del` plus
`gc.collect()` for every engine: micrograd's nodes are reference cycles that
only the collector reclaims, so that is part of what a training step costs.
Times are CPU seconds of the measuring process.
"""

import gc
import itertools
import random
import resource
import time
import tracemalloc

from .engines import count_nodes

# CPU time of this process: on a shared machine, other load inflates it far
# less than wall time, and the work measured is single-threaded and CPU-bound.
clock = time.process_time
ALPHA = 1e-4  # L2 weight, as in micrograd's demo
LEARNING_RATE = 0.5


def chain(engine, steps, repeat=1):
    """y = y·1.0001 + 0.0001, `steps` times, then backward and free."""

    def build():
        y = engine.Value(1.0)
        for _ in range(steps):
            y = y * 1.0001 + 0.0001
        return y

    return _median_sample([_build_backward_free(engine, build) for _ in range(repeat)])


def chain_memory(engine, steps):
    """The same chain's time, and the process's peak resident memory."""
    before = _max_rss()
    start = time.perf_counter()
    result = chain(engine, steps)
    result["wall"] = time.perf_counter() - start
    result["peak_rss"] = _max_rss()
    result["rss_growth"] = result["peak_rss"] - before
    result["nodes"] = 4 * steps + 1  # per step: two constants and two op nodes
    return result


def sum_of_products(engine, terms, seed=0):
    """Σ aᵢ·bᵢ over `terms` leaf pairs with Python's sum(), then backward and free."""
    rng = random.Random(seed)
    a = [engine.Value(rng.uniform(-1, 1)) for _ in range(terms)]
    b = [engine.Value(rng.uniform(-1, 1)) for _ in range(terms)]
    return _build_backward_free(engine, lambda: sum(x * y for x, y in zip(a, b)))


def _build_backward_free(engine, build):
    """Time build() (it returns a graph's root), backward, and freeing the graph."""
    t0 = clock()
    root = build()
    t1 = clock()
    engine.backward(root)
    t2 = clock()
    del root
    gc.collect()
    t3 = clock()
    return {"forward": t1 - t0, "backward": t2 - t1, "free": t3 - t2, "total": t3 - t0}


def moons_step(engine, points, labels, fused, seed=1337, repeat=5):
    """A training step of MLP(2, [16, 16, 1]) with max-margin loss and L2.

    One warm-up step first, then `repeat` measured steps, each forward,
    backward (with zero_grad), the SGD update and freeing the graph; the
    result is the median step. A step of the fused neuron takes ~25 ms, which
    a burst of load on a shared machine can stretch by half: one step per
    process made its median swing by ±15% from run to run.
    """
    model = MLP(engine, 2, [16, 16, 1], fused=fused, seed=seed)
    _moons_phases(engine, model, points, labels)
    return _median_sample([_moons_phases(engine, model, points, labels) for _ in range(repeat)])


def moons_memory(engine, points, labels, fused, seed=1337):
    """Peak traced bytes of the forward and backward, per node of the graph."""
    model = MLP(engine, 2, [16, 16, 1], fused=fused, seed=seed)
    gc.collect()
    tracemalloc.start()
    loss = _loss(engine, model, points, labels)
    engine.backward(loss)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    nodes = count_nodes(loss)
    return {"peak_bytes": peak, "nodes": nodes, "bytes_per_node": peak / nodes}


def _moons_phases(engine, model, points, labels):
    params = model.parameters()
    t0 = clock()
    loss = _loss(engine, model, points, labels)
    t1 = clock()
    for p in params:
        p.grad = 0.0
    engine.backward(loss)
    t2 = clock()
    for p in params:
        p.data -= LEARNING_RATE * p.grad
    t3 = clock()
    nodes = count_nodes(loss)
    t4 = clock()
    del loss
    gc.collect()
    t5 = clock()
    return {
        "forward": t1 - t0,
        "backward": t2 - t1,
        "update": t3 - t2,
        "free": t5 - t4,
        "total": (t3 - t0) + (t5 - t4),
        "nodes": nodes,
    }


def _loss(engine, model, points, labels):
    Value = engine.Value
    inputs = [[Value(x0), Value(x1)] for x0, x1 in points]
    scores = [model(x) for x in inputs]
    losses = [engine.relu(1 + -y * score) for y, score in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


class MLP:
    """micrograd's MLP, written against any engine (fused: one node per neuron)."""

    def __init__(self, engine, nin, nouts, fused, seed):
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        self.engine = engine
        self.fused = fused
        self.layers = [
            [
                ([engine.Value(rng.uniform(-1, 1)) for _ in range(n_in)], engine.Value(0.0))
                for _ in range(n_out)
            ]
            for n_in, n_out in itertools.pairwise(sizes)
        ]

    def __call__(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [self._neuron(w, b, x, nonlin=i != last) for w, b in layer]
        return x[0]

    def _neuron(self, w, b, x, nonlin):
        if self.fused:
            act = self.engine.linear(w, x, b)
        else:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
        return self.engine.relu(act) if nonlin else act

    def parameters(self):
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]


def _median_sample(samples):
    samples.sort(key=lambda s: s["total"])
    return samples[len(samples) // 2]


def _max_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
