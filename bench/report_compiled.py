"""The autograd.compile table of `make bench`: the compiled moons step beside
micrograd's scalar step and PyTorch's batched one."""

import statistics

MS = 1e3

# label, case, engine, metric
ROWS = [
    ("micrograd, scalar graphs (as above)", "moons", "micrograd", "total"),
    ("chainrule, scalar graphs (as above)", "moons", "chainrule", "total"),
    ("**compiled, numpy**: hinge + L2 traced for one example", "compiled", "chainrule", "total"),
    ("compiled, numpy, L2 added outside as a scalar term", "compiled_l2", "chainrule", "total"),
    ("compiled, plain Python (no numpy)", "compiled_python", "chainrule", "total"),
    ("batched PyTorch (float64, one thread)", "torch", "torch", "total"),
]


def compiled_table(results):
    """The table's lines, or none where no compiled case ran."""
    if not any(case in results for case in ("compiled", "compiled_l2", "compiled_python")):
        return []
    micrograd = _median(results, "moons", "micrograd", "total")
    torch = _median(results, "torch", "torch", "total")
    lines = [
        "",
        "| moons step (forward, backward, SGD update) | time | micrograd ÷ it | it ÷ PyTorch |"
        " compile (first call) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, case, engine, metric in ROWS:
        value = _median(results, case, engine, metric)
        if value is None:
            continue
        compile_time = _median(results, case, engine, "compile")
        lines.append(
            f"| {label} | {_fmt(value)} | {_ratio(micrograd, value)} | {_ratio(value, torch)} |"
            f" {_fmt(compile_time) if compile_time is not None else '—'} |"
        )
    best = _median(results, "compiled", "chainrule", "total")
    lines += ["", "| target | measured | met |", "|---|---:|:-:|"]
    for text, value, bound in (
        ("compiled moons step ≥ 200× faster than micrograd's", _div(micrograd, best), 200),
        ("compiled moons step within 3× of batched PyTorch", _div(best, torch), 3),
    ):
        if value is not None:
            met = value >= bound if bound == 200 else value <= bound
            lines.append(f"| {text} | {value:.2f}× | {'yes' if met else '**no**'} |")
    return lines


def _median(results, case, engine, metric):
    runs = [r["result"] for r in results.get(case, {}).get(engine, []) if "result" in r]
    values = [r[metric] for r in runs if metric in r]
    return statistics.median(values) if values else None


def _fmt(seconds):
    shown = seconds * MS
    return f"{shown:,.0f} ms" if shown >= 100 else f"{shown:.3g} ms"


def _ratio(a, b):
    value = _div(a, b)
    return "—" if value is None else f"{value:,.1f}×"


def _div(a, b):
    return None if a is None or not b else a / b
