"""One chain rule: every reader of backward() reports its numbers, bit for bit.

backward()'s float pass, `chain_rule` (the definition), push_grad (the
lecture's `_backward()` by hand), the create_graph pass, explain's steps and
the viewer's steps must give the same grads in the same order on any graph.
"""

from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain, topological_order
from autograd.backward import chain_rule, depth_first
from autograd.draw import fmt
from autograd.testing import expressions
from autograd.viewer import backward_steps


@st.composite
def graphs(draw):
    """A random expression over every op, with number operands on either side."""
    f, xs = draw(expressions(max_nodes=25))
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    out = f(*leaves)
    a, b = draw(st.floats(-3, 3)), draw(st.floats(-3, 3))
    return (a - out * b + out / 3.0) * 0.5, leaves


def bits(numbers):
    return [float(x).hex() for x in numbers]


def fresh_chain_rule(root):
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    edges = list(chain_rule(order, grads))
    return order, grads, edges


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_the_float_pass_and_push_grad_give_what_chain_rule_defines(graph):
    root, _ = graph
    order, grads, edges = fresh_chain_rule(root)
    assert [e.node for e in edges] == [n for n in reversed(order) if n._prev for _ in n._prev]
    root.backward()
    assert bits(n.grad for n in order) == bits(grads[n] for n in order)
    for node in order:  # again, by hand, as the lecture steps it
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._backward()
    assert bits(n.grad for n in order) == bits(grads[n] for n in order)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_the_create_graph_pass_gives_the_same_numbers(graph):
    root, leaves = graph
    _, grads, _ = fresh_chain_rule(root)
    root.backward(create_graph=True)
    assert all(isinstance(x.grad, Value) for x in leaves)
    # Equal numbers; the sign of a zero may differ, as this pass skips adding exact zeros.
    assert [x.grad.data for x in leaves] == [grads[x] for x in leaves]


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_explain_steps_are_chain_rules_edges(graph):
    root, _ = graph
    _, grads, edges = fresh_chain_rule(root)
    shown = [e for e in edges if e.index not in e.node._row.constant_inputs]
    steps = explain(root).steps
    pushes = [push for step in steps for push in step.pushes]
    assert bits(p.contribution for p in pushes) == bits(e.contribution for e in shown)
    assert bits(p.accumulated for p in pushes) == bits(e.total for e in shown)
    assert bits(p.local_value for p in pushes) == bits(e.local for e in shown)
    nodes = [node for node, _ in groupby(edges, key=lambda e: e.node)]
    assert bits(s.grad for s in steps) == bits(grads[n] for n in nodes)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_the_viewers_steps_are_chain_rules_edges(graph):
    root, _ = graph
    order, _, edges = fresh_chain_rule(root)
    index = {node: i for i, node in enumerate(order)}
    steps = backward_steps(root)[1:]  # after the seed
    by_node = [list(group) for _, group in groupby(edges, key=lambda e: e.node)]
    assert [s["node"] for s in steps] == [f"v{index[g[0].node]}" for g in by_node]
    for step, group in zip(steps, by_node):
        last = {f"v{index[e.parent]}": fmt(e.total) for e in group}
        assert step["grads"] == last


def test_reading_the_order_never_runs_into_a_number():
    x = Value(2.0)
    out = (x * 3.0 + 1.0) ** 2.0
    assert all(type(n) is not float for n in depth_first(out))
    assert len(topological_order(out)) == len(depth_first(out)) + 3  # 3.0, 1.0, 2.0
