# %% [markdown]
# # 1. 一个神经元上的链式法则
#
# 反向传播就是链式法则：在网络上一个节点一个节点地应用它。
# 先从最小的网络开始：一个神经元，一个训练样本。
#
# 这个神经元接收上一层的激活值 $a^{(L-1)}$（这里写作 `a_prev`），乘以权重 $w$，
# 加上偏置 $b$，再把结果压缩到 0 和 1 之间：
#
# $$z = w \cdot a_{prev} + b, \qquad a = \sigma(z), \qquad C_0 = (a - y)^2$$
#
# $C_0$ 是这一个样本的代价：输出 $a$ 离目标 $y$ 有多远。训练要问的是：
# $C_0$ 对权重有多敏感，也就是 $\partial C_0 / \partial w$。
# $w$ 只能先经过 $z$、再经过 $a$ 才影响到 $C_0$，所以链式法则把这个问题拆成三个小问题：
#
# $$\frac{\partial C_0}{\partial w}
#   = \frac{\partial z}{\partial w}
#     \cdot \frac{\partial a}{\partial z}
#     \cdot \frac{\partial C_0}{\partial a}
#   = a_{prev} \cdot \sigma'(z) \cdot 2(a - y)$$
#
# 下面用 chainrule 的 `Value` 搭出这个神经元，让它做同样的计算。

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
# 每个 `Value` 都记得它由哪些值、经过哪个运算得来。
# `backward()` 沿着这张计算图从 `C0` 走回输入，填好每个 `.grad`：

# %%
C0.backward()
print(f"∂C0/∂w = {w.grad:.6f}   ∂C0/∂b = {b.grad:.6f}   ∂C0/∂a_prev = {a_prev.grad:.6f}")

# %% [markdown]
# ## 把推导写出来
#
# `explain(C0, wrt=w, lang="zh")` 说明这个数是怎么来的：从 `C0` 到 `w` 的路径，
# 路径上每个局部导数的公式（取自运算表）和它的值，以及它们的乘积。
# 在 notebook 里它显示为数学公式。

# %%
explain(C0, wrt=w, lang="zh")

# %% [markdown]
# ## 手算验证
#
# 每个因子都是可以在纸上求的导数：
# - $z = w \cdot a_{prev} + b$，所以 $\partial z / \partial w = a_{prev}$；
# - $a = \sigma(z)$，sigmoid 的导数是 $\sigma'(z) = \sigma(z)(1 - \sigma(z))$；
# - $C_0 = (a - y)^2$，所以 $\partial C_0 / \partial a = 2(a - y)$。

# %%
import math

dz_dw = a_prev.data
da_dz = a.data * (1 - a.data)
dC0_da = 2 * (a.data - y.data)
by_hand = dz_dw * da_dz * dC0_da
print(f"{dz_dw} × {da_dz:.6f} × {dC0_da:.6f} = {by_hand:.6f}")
assert math.isclose(by_hand, w.grad, rel_tol=1e-12)

# %% [markdown]
# ## 不用微积分来验证
#
# 导数是变化率，所以也可以直接量出来：把 $w$ 向上、向下各挪一点点，看 $C_0$ 变了多少，
# $\frac{C_0(w + \varepsilon) - C_0(w - \varepsilon)}{2\varepsilon}$。
# `numerical_grad` 对函数的每个输入都这样做（中心差分）。

# %%
from autograd import gradcheck, numerical_grad


def cost(w, b, a_prev=0.6, y=1.0):
    """C0 作为权重和偏置的函数。"""
    return ((w * a_prev + b).sigmoid() - y) ** 2


measured = numerical_grad(cost, [0.8, -0.3])
print("差分测量：  ", [f"{g:.9f}" for g in measured])
print("backward()：", [f"{g:.9f}" for g in (w.grad, b.grad)])
gradcheck(cost, [0.8, -0.3])  # True；不一致时抛出错误并附上对照表

# %% [markdown]
# ## 传到上一层
#
# $\partial C_0 / \partial a_{prev}$ 走的是同一条路径，只是第一个因子换成
# $\partial z / \partial a_{prev} = w$。在更深的网络里，$a_{prev}$ 是另一个神经元的输出，
# 这个数正是那个神经元自己的链式法则的起点：这就是反向传播里的"反向"。

# %%
explain(C0, wrt=a_prev, lang="zh")

# %% [markdown]
# ## 用 ReLU 代替 sigmoid
#
# 若 $a = \mathrm{ReLU}(z) = \max(0, z)$，只有中间那个因子变了：
# $z > 0$ 时 $\mathrm{ReLU}'(z) = 1$，$z < 0$ 时为 0。

# %%
z_relu = w * a_prev + b
z_relu.label = "z"
a_relu = z_relu.relu()
a_relu.label = "a"
C0_relu = (a_relu - y) ** 2
C0_relu.label = "C0"
C0_relu.backward()
explain(C0_relu, wrt=w, lang="zh")

# %% [markdown]
# ## backward() 的每一步
#
# 不给 `wrt` 时，`explain` 按 `backward()` 执行的顺序写出整个反向传播：
# 每个节点把自己的梯度乘以局部导数，传给它的输入。

# %%
explain(C0, lang="zh")

# %% [markdown]
# ## 一步梯度下降
#
# 梯度指向代价上升的方向。朝相反方向走一步，
# $w \leftarrow w - \eta\,\partial C_0/\partial w$（$b$ 也一样），代价就下降：

# %%
eta = 1.0
for step in range(5):
    w.grad = b.grad = 0.0  # 叶子节点的梯度会累加：每次反向传播前先清零
    C0 = cost(w, b)
    C0.backward()
    print(f"第 {step} 步：C0 = {C0.data:.6f}   ∂C0/∂w = {w.grad:+.6f}   ∂C0/∂b = {b.grad:+.6f}")
    w.data -= eta * w.grad
    b.data -= eta * b.grad

# %% [markdown]
# 下一篇（英文）：[2. Seeing the graph](02_seeing_the_graph.ipynb) 画出这些计算图，
# 并一个节点一个节点地单步演示 `backward()`。
