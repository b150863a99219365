"""The lecture's worked example, L = (a·b + c)·f, with every gradient printed.

python -m demos.lecture
"""

from autograd import Value


def build():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return L, [a, b, c, e, d, f, L]


def main():
    L, nodes = build()
    L.backward()
    print("L = (a*b + c) * f")
    for node in nodes:
        print(f"  {node.label}: data = {node.data:8.4f}   dL/d{node.label} = {node.grad:8.4f}")


if __name__ == "__main__":
    main()
