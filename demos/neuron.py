"""One neuron, one cost: the chain rule as the textbooks write it.

z = w·a_prev + b,  a = σ(z),  C0 = (a − y)².  The chain rule gives
∂C0/∂w = ∂z/∂w · ∂a/∂z · ∂C0/∂a = a_prev · σ'(z) · 2(a − y), and
∂C0/∂b the same with ∂z/∂b = 1. This demo prints both derivations (English
and Chinese), draws the gradient flow (SVG), writes a page that steps through
backward() (HTML), then takes a few gradient-descent steps w ← w − η·∂C0/∂w,
b ← b − η·∂C0/∂b and shows C0 fall.

python -m demos.neuron [--quick]
"""

from ._common import Stopwatch, parse_args, say, write_results, write_text

START = {"w": 0.8, "a_prev": 0.6, "b": -0.3, "y": 1.0}
ETA = 1.0  # learning rate η


def build(w, b, a_prev=START["a_prev"], y=START["y"]):
    """The graph of C0 = (σ(w·a_prev + b) − y)², every node labelled."""
    from autograd import Value

    a_prev, y = Value(a_prev, label="a_prev"), Value(y, label="y")
    z = w * a_prev + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    cost = (a - y) ** 2
    cost.label = "C0"
    return cost


def derivations(cost, w, b):
    """The chain-rule derivations of ∂C0/∂w and ∂C0/∂b, in English and in Chinese."""
    from autograd import explain

    return {
        lang: "\n\n".join(str(explain(cost, wrt=leaf, lang=lang)) for leaf in (w, b))
        for lang in ("en", "zh")
    }


def descend(w, b, steps):
    """Gradient descent on w and b; C0 at the start and after each step (steps + 1 values)."""
    costs = []
    for _ in range(steps):
        w.grad = b.grad = 0.0
        cost = build(w, b)
        cost.backward()
        costs.append(cost.data)
        w.data -= ETA * w.grad
        b.data -= ETA * b.grad
    costs.append(build(w.data, b.data).data)
    return costs


def main(argv=None):
    args = parse_args("neuron", __doc__.split("\n\n")[0], argv)
    run = Stopwatch.started()
    from autograd import Value

    w, b = Value(START["w"], label="w"), Value(START["b"], label="b")
    cost = build(w, b)
    cost.backward()
    say(f"C0 = {cost.data:.6f}   ∂C0/∂w = {w.grad:.6f}   ∂C0/∂b = {b.grad:.6f}\n")
    texts = derivations(cost, w, b)
    for lang, text in texts.items():
        say(text + "\n")
        write_text(args.out / f"derivation_{lang}.txt", text + "\n")

    from autograd import draw, viewer

    draw.render(cost, args.out / "gradient_flow.svg")
    viewer.save_html(cost, args.out / "backward.html")
    say(f"wrote {args.out}/gradient_flow.svg and backward.html (open it in a browser)\n")

    results = {"C0": cost.data, "dC0_dw": w.grad, "dC0_db": b.grad}
    steps = 5 if args.quick else 20
    w, b = Value(START["w"], label="w"), Value(START["b"], label="b")
    costs = descend(w, b, steps)
    say(f"gradient descent, η = {ETA}:")
    for k, c in enumerate(costs):
        say(f"  after {k:2d} step{'s' if k != 1 else ' '}  C0 = {c:.6f}")
    results.update(steps=steps, costs=costs, final_w=w.data, final_b=b.data)
    return write_results(args.out, results, run)


if __name__ == "__main__":
    main()
