"""python -m bench: chainrule, micrograd and the floor, side by side; autograd.compile
beside batched PyTorch.

Every measurement runs in a fresh process; engines are interleaved within each
round and the table reports medians over rounds, and ratios.
"""

import argparse
import importlib.util
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from .report import machine, render, write_atomically

ROOT = Path(__file__).resolve().parent.parent
ALL = ("micrograd", "chainrule", "floor")
DEEP = ("chainrule", "floor")  # the 1,000,000-step chain, at the default recursion limit
ONE = ("chainrule",)

# name: (workload, kwargs, engines)
CASES = {
    "chain_500": ("chain", {"steps": 500, "repeat": 21}, ALL),
    "chain_100k": ("chain", {"steps": 100_000}, ALL),
    "moons": ("moons_step", {"fused": False}, ALL),
    "moons_fused": ("moons_step", {"fused": True}, DEEP),  # micrograd has no fused neuron
    "sum_100k": ("sum_of_products", {"terms": 100_000}, ALL),
    "memory": ("moons_memory", {"fused": False}, ALL),
    "memory_fused": ("moons_memory", {"fused": True}, DEEP),
    "chain_1m": ("chain_memory", {"steps": 1_000_000}, DEEP),
    # autograd.compile (bench/compiled.py), and PyTorch where it is installed
    "compiled": ("compiled_moons_step", {"backend": "numpy"}, ONE),
    "compiled_l2": ("compiled_moons_step", {"backend": "numpy", "l2_inside": False}, ONE),
    "compiled_python": ("compiled_moons_step", {"backend": "python"}, ONE),
}
if importlib.util.find_spec("torch") is not None:
    CASES["torch"] = ("torch_moons_step", {}, ("torch",))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run these cases only")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args(argv)
    cases = {name: CASES[name] for name in (args.only or CASES)}
    points, labels = _moons()

    started = time.perf_counter()
    results = {name: {engine: [] for engine in case[2]} for name, case in cases.items()}
    for round_ in range(args.rounds):
        for name, (workload, kwargs, engines) in cases.items():
            if "moons" in workload:
                kwargs = {**kwargs, "points": points, "labels": labels}
            shift = round_ % len(engines)
            for engine in engines[shift:] + engines[:shift]:
                outcome = _run_child(engine, workload, kwargs)
                results[name][engine].append(outcome)
                print(f"round {round_ + 1}/{args.rounds} {name:13} {engine:9}", file=sys.stderr)
    probe = _run_child("micrograd", "chain", {"steps": 500}, raise_recursion_limit=False)

    minutes = (time.perf_counter() - started) / 60
    table = render(results, probe, args.rounds, minutes)
    print(table)
    if not args.no_write and not args.only:
        write_atomically(ROOT / "bench" / "RESULTS.md", machine() + "\n" + table)


def _moons():
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    return x.tolist(), (y * 2 - 1).astype(float).tolist()


def _run_child(engine, workload, kwargs, raise_recursion_limit=True):
    request = {
        "engine": engine,
        "workload": workload,
        "kwargs": kwargs,
        "raise_recursion_limit": raise_recursion_limit,
    }
    env = {**os.environ, "PYTHONHASHSEED": str(random.randrange(2**32))}
    done = subprocess.run(
        [sys.executable, "-m", "bench.child"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-300:]}"}
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
