# %% [markdown]
# # 1. The chain rule on one neuron
#
# Backpropagation is the chain rule, applied to a network one node at a time.
# Start with the smallest network there is: one neuron, one training example.
#
# The neuron takes the activation of the layer before, $a^{(L-1)}$ (written `a_prev`
# here), multiplies it by a weight $w$, adds a bias $b$ and squashes the sum:
#
# $$z = w \cdot a_{prev} + b, \qquad a = \sigma(z), \qquad C_0 = (a - y)^2$$
#
# $C_0$ is the cost of this one example: how far the output $a$ is from the
# target $y$. Training asks how sensitive $C_0$ is to the weight: $\partial C_0 / \partial w$.
# $w$ reaches $C_0$ only through $z$ and then $a$, so the chain rule splits the question
# into three small ones:
#
# $$\frac{\partial C_0}{\partial w}
#   = \frac{\partial z}{\partial w}
#     \cdot \frac{\partial a}{\partial z}
#     \cdot \frac{\partial C_0}{\partial a}
#   = a_{prev} \cdot \sigma'(z) \cdot 2(a - y)$$
#
# Let chainrule build this neuron from `Value`s and do the same.

# %%
from autograd import Value, explain

w = Value(0.8, label="w")
a_prev = Value(0.6, label="a_prev")
b = Value(-0.3, label="b")
y = Value(1.0, label="y")

z = w * a_prev + b
z.label = "z"
a = z.sigmoid()
a.label = "a"
C0 = (a - y) ** 2
C0.label = "C0"
print(f"z = {z.data:.6f}   a = {a.data:.6f}   C0 = {C0.data:.6f}")

# %% [markdown]
# Each `Value` remembers the values it was made from and the op that made it.
# `backward()` walks that graph from `C0` back to the inputs and fills in every `.grad`:

# %%
C0.backward()
print(f"∂C0/∂w = {w.grad:.6f}   ∂C0/∂b = {b.grad:.6f}   ∂C0/∂a_prev = {a_prev.grad:.6f}")

# %% [markdown]
# ## The derivation, written out
#
# `explain(C0, wrt=w)` shows how that number came about: the path from `C0` down
# to `w`, each local derivative with its formula (read from the op table) and its
# value, and their product. In a notebook it shows as math.

# %%
explain(C0, wrt=w)

# %% [markdown]
# ## Checking it by hand
#
# Each factor is a derivative you can take on paper:
# - $z = w \cdot a_{prev} + b$, so $\partial z / \partial w = a_{prev}$;
# - $a = \sigma(z)$, and the sigmoid's derivative is $\sigma'(z) = \sigma(z)(1 - \sigma(z))$;
# - $C_0 = (a - y)^2$, so $\partial C_0 / \partial a = 2(a - y)$.

# %%
import math

dz_dw = a_prev.data
da_dz = a.data * (1 - a.data)
dC0_da = 2 * (a.data - y.data)
by_hand = dz_dw * da_dz * dC0_da
print(f"{dz_dw} × {da_dz:.6f} × {dC0_da:.6f} = {by_hand:.6f}")
assert math.isclose(by_hand, w.grad, rel_tol=1e-12)

# %% [markdown]
# ## Checking it without calculus
#
# A derivative is a rate of change, so it can also be measured: nudge $w$ a little
# up and a little down and see how much $C_0$ moves,
# $\frac{C_0(w + \varepsilon) - C_0(w - \varepsilon)}{2\varepsilon}$.
# `numerical_grad` does this (central differences) for every input of a function.

# %%
from autograd import gradcheck, numerical_grad


def cost(w, b, a_prev=0.6, y=1.0):
    """C0 as a function of the weight and the bias."""
    return ((w * a_prev + b).sigmoid() - y) ** 2


measured = numerical_grad(cost, [0.8, -0.3])
print("measured:  ", [f"{g:.9f}" for g in measured])
print("backward():", [f"{g:.9f}" for g in (w.grad, b.grad)])
gradcheck(cost, [0.8, -0.3])  # True, or an error with a table of what disagrees

# %% [markdown]
# ## Into the layer before
#
# $\partial C_0 / \partial a_{prev}$ takes the same path with $\partial z / \partial a_{prev} = w$
# as its first factor. In a deeper network $a_{prev}$ is the output of another
# neuron, and this number is where that neuron's own chain rule starts: that is
# the "back" in backpropagation.

# %%
explain(C0, wrt=a_prev)

# %% [markdown]
# ## ReLU instead of the sigmoid
#
# With $a = \mathrm{ReLU}(z) = \max(0, z)$ only the middle factor changes:
# $\mathrm{ReLU}'(z)$ is 1 where $z > 0$ and 0 where $z < 0$.

# %%
z_relu = w * a_prev + b
z_relu.label = "z"
a_relu = z_relu.relu()
a_relu.label = "a"
C0_relu = (a_relu - y) ** 2
C0_relu.label = "C0"
C0_relu.backward()
explain(C0_relu, wrt=w)

# %% [markdown]
# ## Every step of backward()
#
# Without `wrt`, `explain` writes the whole backward pass in the order
# `backward()` runs it: each node passes its gradient to its inputs,
# multiplied by the local derivative.

# %%
explain(C0)

# %% [markdown]
# ## One step of gradient descent
#
# The gradient says which way is uphill for the cost. Step the other way,
# $w \leftarrow w - \eta\,\partial C_0/\partial w$ (and the same for $b$), and the cost falls:

# %%
eta = 1.0
for step in range(5):
    w.grad = b.grad = 0.0  # leaves accumulate gradients: clear them before each pass
    C0 = cost(w, b)
    C0.backward()
    print(f"step {step}: C0 = {C0.data:.6f}   ∂C0/∂w = {w.grad:+.6f}   ∂C0/∂b = {b.grad:+.6f}")
    w.data -= eta * w.grad
    b.data -= eta * b.grad

# %% [markdown]
# Next: [2. Seeing the graph](02_seeing_the_graph.ipynb) draws these graphs
# and steps through `backward()` one node at a time.
