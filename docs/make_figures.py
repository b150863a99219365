"""Draw the lecture's neuron and its gradient flow: docs/lecture_flow.svg and the step-through.

Run from the repository root: python docs/make_figures.py
"""

from pathlib import Path

from autograd import Value
from autograd.draw import render
from autograd.viewer import save_html

DOCS = Path(__file__).resolve().parent


def lecture_neuron():
    """o = tanh(x1·w1 + x2·w2 + b), the neuron of the "building micrograd" lecture."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def main():
    o = lecture_neuron()
    o.backward()
    for path in (render(o, DOCS / "lecture_flow.svg"), save_html(o, DOCS / "lecture_steps.html")):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
