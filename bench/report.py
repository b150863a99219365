"""The Markdown table of medians and ratios, and the machine it ran on."""

import datetime
import os
import platform
import statistics
from pathlib import Path

from autograd.files import write_atomically as write_bytes

from .report_compiled import compiled_table

MS = 1e3
MIB = 1 / 2**20

# label, case, metric, unit scale, unit name
ROWS = [
    ("chain, 500 steps: build + backward + free", "chain_500", "total", MS, "ms"),
    ("chain, 100,000 steps: build + backward + free", "chain_100k", "total", MS, "ms"),
    ("moons step, expanded: forward", "moons", "forward", MS, "ms"),
    ("moons step, expanded: backward", "moons", "backward", MS, "ms"),
    ("moons step, expanded: SGD update", "moons", "update", MS, "ms"),
    ("moons step, expanded: free (del + gc.collect)", "moons", "free", MS, "ms"),
    ("moons step, expanded: forward + backward", "moons", "forward+backward", MS, "ms"),
    ("**moons step, expanded: whole step**", "moons", "total", MS, "ms"),
    ("moons step, fused neuron: forward + backward", "moons_fused", "forward+backward", MS, "ms"),
    ("**moons step, fused neuron: whole step**", "moons_fused", "total", MS, "ms"),
    ("sum of 100,000 products: build + backward + free", "sum_100k", "total", MS, "ms"),
    ("peak memory per node, expanded moons graph", "memory", "bytes_per_node", 1, "B"),
    ("peak memory per node, fused moons graph", "memory_fused", "bytes_per_node", 1, "B"),
    ("chain, 1,000,000 steps, default recursion limit: CPU time", "chain_1m", "total", 1, "s"),
    ("chain, 1,000,000 steps: wall-clock time", "chain_1m", "wall", 1, "s"),
    ("chain, 1,000,000 steps: peak resident memory", "chain_1m", "peak_rss", MIB, "MiB"),
]
# Where micrograd has no measurement of its own, its expanded step stands in.
STAND_IN = {"moons_fused": "moons"}


def render(results, probe, rounds, minutes):
    """The table, the targets checked against it, and how it was measured."""
    lines = [
        "| benchmark | micrograd | chainrule | floor | micrograd ÷ chainrule | chainrule ÷ floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, case, metric, scale, unit in ROWS:
        if case not in results:
            continue
        cell = {e: _median(results, STAND_IN.get(case, case) if e == "micrograd" else case,
                           e, metric) for e in ("micrograd", "chainrule", "floor")}  # fmt: skip
        shown = [_fmt(cell[e], scale, unit) for e in ("micrograd", "chainrule", "floor")]
        lines.append(
            f"| {label} | {' | '.join(shown)} | {_ratio(cell['micrograd'], cell['chainrule'])}"
            f" | {_ratio(cell['chainrule'], cell['floor'])} |"
        )
    nodes = {
        case: _median(results, case, "chainrule", "nodes") for case in ("moons", "moons_fused")
    }
    lines += ["", *_targets(results), *compiled_table(results), ""]
    lines += _notes(nodes, probe, rounds, minutes)
    return "\n".join(lines) + "\n"


def _targets(results):
    def get(case, engine, metric):
        return _median(results, case, engine, metric)

    checks = [
        ("expanded moons step ≥ 10× faster than micrograd (teardown counted)",
         _div(get("moons", "micrograd", "total"), get("moons", "chainrule", "total")), 10, "×"),
        ("expanded forward + backward within 2.5× of the floor",
         _div(get("moons", "chainrule", "forward+backward"),
              get("moons", "floor", "forward+backward")), 2.5, "× floor"),
        ("fused moons step ≥ 40× faster than micrograd's step",
         _div(get("moons", "micrograd", "total"), get("moons_fused", "chainrule", "total")),
         40, "×"),
        ("chain of 100,000 ≥ 8× faster than micrograd",
         _div(get("chain_100k", "micrograd", "total"), get("chain_100k", "chainrule", "total")),
         8, "×"),
        ("chain of 1,000,000 at the default recursion limit < 10 s (CPU)",
         get("chain_1m", "chainrule", "total"), 10, "s"),
        ("chain of 1,000,000 at the default recursion limit < 10 s (wall clock)",
         get("chain_1m", "chainrule", "wall"), 10, "s"),
        ("chain of 1,000,000 peak resident memory < 1 GB",
         _scaled(get("chain_1m", "chainrule", "peak_rss"), 1e-9), 1, "GB"),
        ("peak memory ≤ 250 bytes per node (expanded moons graph)",
         get("memory", "chainrule", "bytes_per_node"), 250, "B/node"),
    ]  # fmt: skip
    lines = ["| target | measured | met |", "|---|---:|:-:|"]
    for text, value, bound, unit in checks:
        if value is None:
            continue
        at_least = unit == "×"
        met = value >= bound if at_least else value <= bound
        lines.append(f"| {text} | {value:.2f} {unit} | {'yes' if met else '**no**'} |")
    return lines


def _notes(nodes, probe, rounds, minutes):
    failure = probe.get("error", "finished")
    return [
        f"Medians of {rounds} rounds; every measurement in a fresh process, engines"
        f" interleaved (whole run: {minutes:.1f} min). The expanded moons graph has"
        f" {_int(nodes['moons'])} nodes, the fused one {_int(nodes['moons_fused'])};"
        " each process times a warm-up step and then five steps, and gives their median."
        " micrograd has no fused neuron: its expanded step stands in on the fused rows."
        " micrograd runs with a raised recursion limit in a thread with a 1 GiB stack;"
        f" at the default limit its 500-step chain ends in: {failure}.",
        "",
        "Times are CPU time of the measuring process (`time.process_time`), which"
        " other load on a shared machine inflates far less than wall-clock time; the"
        " 1,000,000-step chain also reports wall-clock time. Free is `del` plus"
        " `gc.collect()` for every engine. Memory per node is the tracemalloc peak of"
        " forward + backward divided by the graph's nodes, counted as micrograd counts"
        " them (each number operand a constant leaf); the 1,000,000-step chain"
        " (4,000,001 nodes) reports the process's peak RSS.",
        "",
        "autograd.compile's step (bench/compiled.py) traces the loss of one example"
        " once (compile: the first call's time less one step) and replays it over the"
        " 100 points: forward, backward and the SGD update. It makes no reference"
        " cycles, so its free is `del` alone, no full collection. PyTorch runs the same"
        " weights and recipe batched, in float64 on one thread, its tensors made once.",
        "",
        "During a forward pass CPython's cyclic collector walks every node built so"
        " far, again and again: for each engine that is the largest share of a forward"
        " pass. A chainrule node is one object for the collector (its parents are"
        " fields of the node, and a number operand such as the chain's 1.0001 is a"
        " float kept in the node, not a node), a floor node three (the node, its"
        " parents and its local derivatives) and a micrograd node seven. The floor's"
        " tape, an old list that refers to every node in the order they were made,"
        " makes each of its collections cheaper per node; chainrule's and micrograd's"
        " graphs are reachable only from their newest node.",
    ]


def _median(results, case, engine, metric):
    runs = [r["result"] for r in results.get(case, {}).get(engine, []) if "result" in r]
    if metric == "forward+backward":
        values = [r["forward"] + r["backward"] for r in runs]
    else:
        values = [r[metric] for r in runs if metric in r]
    return statistics.median(values) if values else None


def _fmt(value, scale, unit):
    if value is None:
        return "—"
    shown = value * scale
    return f"{shown:,.0f} {unit}" if shown >= 100 else f"{shown:.3g} {unit}"


def _ratio(a, b):
    value = _div(a, b)
    return "—" if value is None else f"{value:.1f}×"


def _div(a, b):
    return None if a is None or not b else a / b


def _scaled(value, scale):
    return None if value is None else value * scale


def _int(value):
    return "—" if value is None else f"{value:,.0f}"


def machine():
    """The machine, as a Markdown header for RESULTS.md."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "# make bench: results\n\n"
        f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}\n"
        f"- Python {platform.python_version()} ({platform.python_implementation()})\n"
        f"- date: {today}\n"
    )


def write_atomically(path, text):
    """Write text to path through a temporary file and a rename."""
    return write_bytes(path, text.encode("utf-8"))
