"""What every demo shares: arguments, output files, timing and plots.

Each demo takes `--quick` (a tiny run, for smoke tests), `--out DIR` (default
out/NAME/) and `--seed`. Files are written atomically (a temporary file in the
same folder, then a rename), so a run stopped half-way never leaves half a
picture. matplotlib is imported only when a figure is drawn, with the Agg
backend, so demos run on machines with no display.
"""

import argparse
import io
import json
import time
from pathlib import Path

from autograd.files import write_atomically


def parse_args(name, description, argv=None, seed=0, flags=None):
    """--quick, --out and --seed, the options every demo takes; flags: {"--x": help}."""
    parser = argparse.ArgumentParser(prog=f"python -m demos.{name}", description=description)
    parser.add_argument("--quick", action="store_true", help="a tiny run (for smoke tests)")
    parser.add_argument("--out", type=Path, default=Path("out") / name, help="output folder")
    parser.add_argument("--seed", type=int, default=seed, help="random seed")
    for flag, text in (flags or {}).items():
        parser.add_argument(flag, action="store_true", help=text)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


class Stopwatch:
    """Wall and CPU time of a with-block, in seconds: `with Stopwatch() as clock: ...`.

    On a shared machine the wall time (clock.seconds) includes waiting for
    other programs; the CPU time (clock.cpu_seconds) is this process's own work.
    """

    def __enter__(self):
        self._start, self._cpu = time.perf_counter(), time.process_time()
        self.seconds = self.cpu_seconds = 0.0
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        self.cpu_seconds = time.process_time() - self._cpu
        return False

    @classmethod
    def started(cls):
        """A running stopwatch, to stop by passing it to write_results()."""
        return cls().__enter__()

    def times(self, prefix):
        """{prefix_seconds, prefix_cpu_seconds}, rounded, for results.json."""
        return {
            f"{prefix}_seconds": round(self.seconds, 2),
            f"{prefix}_cpu_seconds": round(self.cpu_seconds, 2),
        }


def write_text(path, text):
    return write_atomically(path, text.encode("utf-8"))


def write_results(out, results, run=None):
    """Save a demo's measured figures as out/results.json and return them.

    run: the Stopwatch started with the demo; its times are added as run_seconds.
    """
    if run is not None:
        run.__exit__(None, None, None)
        results.update(run.times("run"))
    write_text(Path(out) / "results.json", json.dumps(results, indent=2, ensure_ascii=False))
    return results


def pyplot():
    """matplotlib.pyplot with the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path, dpi=100):
    """Write a matplotlib figure to path (PNG or SVG by suffix) and close it."""
    plt = pyplot()
    image = io.BytesIO()
    try:
        fig.savefig(image, dpi=dpi, bbox_inches="tight", format=Path(path).suffix[1:])
    finally:
        plt.close(fig)
    return write_atomically(path, image.getvalue())


def plot_curves(path, curves, *, title, xlabel="step", ylabel="loss", log=False):
    """One line per (name, values) in curves; a log y-axis if log."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, values in curves.items():
        ax.plot(range(len(values)), values, label=name, linewidth=1.6)
    if log:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    if len(curves) > 1:
        ax.legend()
    return save_figure(fig, path)


def plot_decision_boundary(ax, score, points, labels, *, resolution=60, title=""):
    """Shade where score(x, y) > 0 and scatter the labelled points on ax.

    score maps a point [x, y] to a float; labels are ±1 or 0/1 (positive = 1).
    """
    import numpy as np

    points = np.asarray(points, dtype=float)
    (x0, y0), (x1, y1) = points.min(axis=0) - 0.5, points.max(axis=0) + 0.5
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    grid = np.array([[score([x, y]) for x in xs] for y in ys])
    ax.contourf(xs, ys, grid > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4b6b6", "#b6cdf4"])
    ax.contour(xs, ys, grid, levels=[0.0], colors="k", linewidths=1)
    positive = np.asarray(labels) > 0
    ax.scatter(*points[positive].T, c="#1f4fb4", s=18, edgecolors="k", linewidths=0.4)
    ax.scatter(*points[~positive].T, c="#c0392b", s=18, edgecolors="k", linewidths=0.4)
    ax.set(title=title, xlim=(x0, x1), ylim=(y0, y1), xticks=[], yticks=[])
    ax.set_aspect("equal")


def train_full_batch(model, optimizer, points, labels, steps):
    """Binary cross-entropy on every point at each step; returns the loss per step."""
    from nn import losses

    history = []
    for _ in range(steps):
        loss = losses.binary_cross_entropy([model(x) for x in points], labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    return history


def say(message):
    """Progress to stdout, flushed (demos are often piped)."""
    print(message, flush=True)
