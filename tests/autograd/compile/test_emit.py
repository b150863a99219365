"""compiled.source: the traced program as straight-line Python, with the graph's labels."""

import dataclasses
import math
import re
from itertools import pairwise
from pathlib import Path

import autograd
from autograd import OPS, Value, apply

B = 6.8813735870195432  # the lecture's bias


def lecture_neuron():
    """The micrograd lecture's neuron as a function of its inputs, parameters held outside."""
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(B, label="b")

    def neuron(x1, x2):
        x1w1 = x1 * w1
        x1w1.label = "x1w1"
        x2w2 = x2 * w2
        x2w2.label = "x2w2"
        x1w1x2w2 = x1w1 + x2w2
        x1w1x2w2.label = "x1w1x2w2"
        n = x1w1x2w2 + b
        n.label = "n"
        o = n.tanh()
        o.label = "o"
        return o

    return neuron, (w1, w2, b)


def run_source(compiled, *args):
    namespace = {"ROWS": compiled.rows}
    exec(compiled.source, namespace)
    return namespace[compiled.__name__.replace("<lambda>", "f")](*args)


def test_the_lecture_neurons_source_names_every_line_by_its_label():
    neuron, _ = lecture_neuron()
    compiled = autograd.compile(neuron)
    compiled([2.0], [0.0])
    text = compiled.source
    assert "def neuron(x1, x2, w1, w2, b):" in text
    for line in ("x1w1 = mul(x1, w1)", "n = add(x1w1x2w2, b)", "o = tanh(n)",
                 "(do_dn,) = tanh_grads(n, o)", "grad_n += grad_o * do_dn",
                 "grad_b += grad_n", "grad_w1 += grad_x1w1 * x1"):  # fmt: skip
        assert line in text, line


def test_the_source_runs_to_the_numbers_backward_gives():
    neuron, params = lecture_neuron()
    compiled = autograd.compile(neuron)
    compiled([2.0], [0.0])
    values = {p: p.data for p in params}
    out, grads = run_source(compiled, 2.0, 0.0, *[values[p] for p in compiled.parameters])
    o = neuron(Value(2.0), Value(0.0))
    o.backward()
    assert out == o.data == math.tanh(2.0 * -3.0 + B)
    assert list(grads) == [p.grad for p in compiled.parameters]
    assert math.isclose(grads[compiled.parameters.index(params[0])], 1.0)  # ∂o/∂w1 = x1·(1 − o²)


def test_the_source_of_a_row_of_your_own_reads_it_from_rows():
    row = dataclasses.replace(OPS["sin"], name="my sin")
    w = Value(0.5, label="w")
    compiled = autograd.compile(lambda x: apply(row, w * x))
    compiled([1.0])
    assert 'my_sin, my_sin_grads = ROWS["my_sin"]' in compiled.source
    out, (grad_w,) = run_source(compiled, 2.0, 0.5)
    assert out == math.sin(1.0) and grad_w == 2.0 * math.cos(1.0)


def test_labels_that_are_not_names_still_give_valid_distinct_names():
    a, b = Value(1.0, label="lambda"), Value(2.0, label="a b")
    c = Value(3.0, label="a_b")

    def f(x):
        y = x * a
        y.label = "2nd"
        z = y * b * c
        z.label = "grad_a_b"
        return z

    compiled = autograd.compile(f)
    compiled([1.0])
    compile(compiled.source, "<source>", "exec")  # valid Python
    out, grads = run_source(compiled, 1.0, 1.0, 2.0, 3.0)
    assert out == 6.0 and sorted(grads) == [2.0, 3.0, 6.0]


def test_numbers_kept_in_nodes_are_literals_and_never_get_a_gradient():
    w = Value(2.0, label="w")
    compiled = autograd.compile(lambda x: (w * x * 1.0001 + 0.0001) ** 2.0)
    compiled([1.0])
    text = compiled.source
    assert "1.0001" in text and "0.0001" in text and "2.0)" in text
    edges = re.findall(r"^ +grad_\w+ [+-]= .*$", text, re.MULTILINE)
    assert len(edges) == 4 and not any("1.0001 +=" in edge for edge in edges)


def test_the_readmes_source_of_the_lecture_neuron_is_what_compile_writes(capsys):
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Compiling a function for a whole batch") :]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    run, shown = next(pair for pair in pairwise(blocks) if "print(compiled.source)" in pair[0])
    namespace = {"Value": Value, "autograd": autograd}
    exec(compile(run, "README.md", "exec"), namespace)
    assert shown in capsys.readouterr().out
    w1, b = namespace["w1"], namespace["b"]
    assert math.isclose(w1.grad, 1.0) and math.isclose(b.grad, 0.5)
