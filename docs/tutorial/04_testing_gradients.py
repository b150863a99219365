# %% [markdown]
# # 4. Testing gradients
#
# Sooner or later you write a derivative by hand: a new activation, a fused op
# for speed. One wrong sign and the network still trains, only worse, and
# nothing tells you why. This notebook writes an op with such a bug and lets
# the gradient checks find it.
#
# ## An op of your own: softplus
#
# $\mathrm{softplus}(x) = \ln(1 + e^x)$, a smooth ReLU. Its derivative is the
# sigmoid, $\sigma(x) = 1 / (1 + e^{-x})$. In chainrule an op is one row of a
# table: its forward function on floats, its local derivative, and how to
# write both. The rule below has the classic bug: the minus sign is missing, so
# it computes $1 / (1 + e^{x}) = \sigma(-x)$.

# %%
import math

from autograd import Op, Value, apply, explain
from autograd.ops import exp  # exp for floats and Values alike


def softplus_grad(x, out):
    """∂softplus(x)/∂x, as a tuple with one entry per input."""
    return (1 / (1 + exp(x)),)  # BUG: should be exp(-x)


SOFTPLUS = Op(
    name="softplus",
    symbol="softplus",
    arity=1,
    forward=lambda x: math.log1p(math.exp(x)),
    local_grads=lambda x, out: softplus_grad(x, out),  # looked up at each call: fixable below
    expr="softplus({x})",
    grad_text=("σ({x})",),
    expr_latex="\\operatorname{softplus}({x})",
    grad_latex=("\\sigma({x})",),
    bound=20.0,  # inputs the test strategies draw: |x| ≤ 20
)

x = Value(1.0, label="x")
y = apply(SOFTPLUS, x)
y.label = "y"
y.backward()
explain(y, wrt=x)

# %% [markdown]
# The derivation reads well, because it shows the formula we *meant*, $\sigma(x)$;
# but the number is $\sigma(-1) = 0.269$, not $\sigma(1) = 0.731$. Nothing crashed.
#
# ## Caught by central differences
#
# `gradcheck` compares the gradient `backward()` computes with one measured by
# central differences, and raises `GradcheckError` with a table when they disagree:

# %%
from autograd import GradcheckError, gradcheck


def softplus(v):
    return apply(SOFTPLUS, v)


try:
    gradcheck(softplus, [1.0])
except GradcheckError as error:
    print(error)

# %% [markdown]
# At $x = 0$ the bug is invisible, since $\sigma(0) = \sigma(-0) = 0.5$: one hand-picked
# point can miss a bug.

# %%
gradcheck(softplus, [0.0])

# %% [markdown]
# ## Caught by property-based tests
#
# Rather than pick points, let [hypothesis](https://hypothesis.readthedocs.io) draw
# them. `autograd.testing.values(op)` draws inputs inside the op's domain (read
# from its row), and `assert_grads_close` is `gradcheck` as an assertion. When a
# test fails, hypothesis shrinks the input to a simple failing case.
# In a project these go in a test file run by pytest; here we call them directly.

# %%
from hypothesis import Phase, given, settings

from autograd.testing import assert_grads_close, expressions, values

# No database files, the same examples on every run, no "explain" phase, and no
# reproduce-this-failure blob (hypothesis prints one when it runs on CI).
quiet = settings(
    database=None,
    derandomize=True,
    max_examples=50,
    phases=set(Phase) - {Phase.explain},
    print_blob=False,
)


@quiet
@given(values(SOFTPLUS))
def test_softplus_matches_central_differences(xs):
    assert_grads_close(softplus, list(xs))


def run(test):
    """Run a hypothesis test; print how it failed, or that it passed."""
    try:
        test()
    except GradcheckError as error:
        print(error)
        print("\n".join(getattr(error, "__notes__", [])))
    else:
        print(f"{test.__name__}: passed")


run(test_softplus_matches_central_differences)

# %% [markdown]
# An op rarely lives alone. `expressions(ops=...)` draws random expression graphs
# over the ops you list, with shared subexpressions and a point where every op is
# defined, so the test also covers softplus inside bigger graphs:

# %%
SOFTPLUS_AND_FRIENDS = [SOFTPLUS, "add", "mul", "tanh", "sin"]


@quiet
@given(expressions(ops=SOFTPLUS_AND_FRIENDS, max_nodes=8))
def test_graphs_with_softplus_match_central_differences(case):
    f, xs = case
    assert_grads_close(f, xs)


run(test_graphs_with_softplus_match_central_differences)

# %% [markdown]
# ## Caught inside a network: check_every_node
#
# In a real model a wrong gradient hides among thousands of right ones.
# `check_every_node(root)` tests the local derivatives of every node of a graph
# against its op's forward function, leaves first, and names the first node
# that is wrong. Here softplus is the activation of a small layer:

# %%
from autograd import check_every_node
from nn import Layer

layer1 = Layer(2, 3, nonlin=False, seed=0)  # three neurons computing w·x + b
layer2 = Layer(3, 1, nonlin=False, seed=1)


def net(x):
    zs = layer1(x)
    for i, z in enumerate(zs):
        z.label = f"z{i}"  # labels name the nodes in messages and drawings
    return layer2([softplus(z) for z in zs])


loss = (net([0.5, -1.5]) - 1.0) ** 2
try:
    check_every_node(loss)
except GradcheckError as error:
    print(error)
    print("the node:", error.node)

# %% [markdown]
# ## The fix
#
# Put the minus sign back, and every check passes.


# %%
def softplus_grad(x, out):
    """∂softplus(x)/∂x = σ(x)."""
    return (1 / (1 + exp(-x)),)


run(test_softplus_matches_central_differences)
run(test_graphs_with_softplus_match_central_differences)
print("check_every_node:", check_every_node((net([0.5, -1.5]) - 1.0) ** 2))
print("gradcheck at x = 1:", gradcheck(softplus, [1.0]))

# %% [markdown]
# To keep an op honest, keep tests like these beside it and run them with pytest:
# the README's "Testing your own gradients" has a complete test file.
