# %% [markdown]
# # 3. From neurons to a network
#
# A network is many copies of the neuron from notebook 1, wired in layers. `nn`
# builds them from `Value`s, so everything from the first two notebooks still
# works on them: `backward()`, `explain`, `draw_dot`.
#
# A `Neuron` with two inputs computes $\tanh(w_1 x_1 + w_2 x_2 + b)$; `seed=` makes its
# starting weights the same on every run. (Notebook 2 drew such a network.)

# %%
from nn import MLP, Layer, Neuron

neuron = Neuron(2, activation="tanh", seed=0)
out = neuron([1.0, -2.0])
print(out, "from the parameters", neuron.parameters())

# %% [markdown]
# A `Layer` is several neurons reading the same inputs; an `MLP` (multi-layer
# perceptron) feeds each layer's outputs to the next. Its last layer is linear:
# it gives a score, not a squashed activation.

# %%
layer = Layer(2, 3, activation="tanh", seed=0)
print("a layer of 3 neurons:", layer([1.0, -2.0]))

model = MLP(2, [8, 8, 1], activation="tanh", seed=0)
print(f"{model}: {len(model.parameters())} parameters")
for name, p in list(model.named_parameters())[:3]:
    print(f"  {name} = {p.data:+.4f}")

# %% [markdown]
# ## The data: two moons
#
# 100 points in two interleaved half-circles, labelled 0 and 1. No straight line
# separates them, so the network has to bend its decision boundary.

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import make_moons

X, labels = make_moons(n_samples=100, noise=0.1, random_state=0)
data = list(zip(X.tolist(), labels.tolist()))  # (x, y) pairs: what nn.fit trains on

fig, ax = plt.subplots(figsize=(4, 3), dpi=80)
ax.scatter(X[:, 0], X[:, 1], c=labels, cmap="coolwarm", edgecolors="k", s=20)
ax.set_title("two moons")
plt.show()

# %% [markdown]
# ## One training step, by hand
#
# Training repeats one step: run the network on the examples, measure the loss,
# `backward()` to get every parameter's gradient, move each parameter a little
# against its gradient. The loss here is binary cross-entropy on the score
# (the network's output is a logit: above 0 means class 1).

# %%
import nn
from nn import losses

model = MLP(2, [8, 8, 1], activation="tanh", seed=0, fused=True)
optimizer = nn.SGD(model.parameters(), lr=1.0)
for step in range(3):
    scores = [model(x) for x, _ in data]
    loss = losses.binary_cross_entropy(scores, [y for _, y in data])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()  # p.data -= lr * p.grad, for every parameter
    print(f"step {step}: loss {loss.data:.4f}")

# %% [markdown]
# `fused=True` makes each neuron one `Σwx+b` node instead of a `*` and a `+` per
# input: the same numbers and gradients from far fewer nodes, so training is faster.
#
# ## Gradient descent, SGD and Adam, side by side
#
# `nn.fit` runs that loop for you, for some epochs (passes over the data):
# - **gradient descent** (GD): one step per epoch, on the gradient of all 100 examples;
# - **stochastic gradient descent** (SGD): a step after every 10 examples, each on a
#   noisier gradient, 10 steps per epoch;
# - **Adam**: one step per epoch like GD, but each parameter's step is scaled by running
#   averages of its gradient and of the gradient's size.
#
# Each starts from the same weights (same seed). In a notebook `fit` shows a progress
# bar; `progress=False` keeps these three quiet.

# %%
from nn import metrics

recipes = {
    "GD (lr 1.0)": (lambda params: nn.SGD(params, lr=1.0), None),
    "SGD (lr 0.3, batches of 10)": (lambda params: nn.SGD(params, lr=0.3), 10),
    "Adam (lr 0.1)": (lambda params: nn.Adam(params, lr=0.1), None),
}
models, histories = {}, {}
for name, (make_optimizer, batch_size) in recipes.items():
    model = MLP(2, [8, 8, 1], activation="tanh", seed=0, fused=True)
    histories[name] = nn.fit(
        model,
        data,
        losses.binary_cross_entropy,
        make_optimizer(model.parameters()),
        epochs=30,
        batch_size=batch_size,
        metrics={"accuracy": metrics.accuracy},
        progress=False,
    )
    models[name] = model
    history = histories[name]
    print(
        f"{name:28s} loss {history.loss[-1]:.4f}   accuracy {history.metrics['accuracy'][-1]:.0%}"
    )

# %%
fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
for name, history in histories.items():
    ax.plot(range(1, len(history.loss) + 1), history.loss, label=name)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("binary cross-entropy")
ax.legend()
plt.show()

# %% [markdown]
# ## The decision boundaries
#
# Each model's score over a grid of points: blue where it says class 0, red where
# it says class 1. `no_grad()` builds no graph while we only need the numbers.

# %%
import numpy as np

from autograd import no_grad

xs, ys = np.meshgrid(np.linspace(-1.6, 2.6, 40), np.linspace(-1.1, 1.6, 25))
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), dpi=80, sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    with no_grad():
        scores = [model([x, y]).data for x, y in zip(xs.ravel(), ys.ravel())]
    grid = np.reshape(scores, xs.shape)
    ax.contourf(
        xs, ys, grid, levels=[grid.min() - 1, 0, grid.max() + 1], cmap="coolwarm", alpha=0.35
    )
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap="coolwarm", edgecolors="k", s=16)
    ax.set_title(name)
plt.show()

# %% [markdown]
# In the same 30 epochs Adam has bent its boundary around both moons, while plain
# gradient descent still draws something close to a straight line.
#
# Next: [4. Testing gradients](04_testing_gradients.ipynb), for when you write an
# op of your own.
