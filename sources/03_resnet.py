# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: gluon-cnn-course (MXNet)
#     language: python
#     name: gluon-cnn-course
# ---

# %% [markdown] id="03-001"
# # Chapter 03 · ResNet: residual learning, BatchNorm, a buggy block, v2, ResNet-18 and ResNet-50
#
# Deeper networks should be at least as good as shallow ones. In practice, past a certain depth, they
# are not, and the fix, the **residual connection** of He, Zhang, Ren & Sun (2015), is in almost every
# network built since. This chapter follows the post "PyTorch 入门与实践(六)" (ResNet on MNIST, the v2
# block) and the MXNet exercise "Mxnet练习: ResNet网络" (ResNet-18, d2l style):
#
# 1. why depth alone fails: the 20- vs 56-layer experiment, and what the post gets wrong about it;
# 2. BatchNorm: training vs inference mode, running statistics, why a bias before it is useless;
# 3. the residual block, and the post's MNIST residual net, **including a bug in the post's block** that
#    we rebuild faithfully, count, draw and train next to the correct block;
# 4. the v2 "full pre-activation" block (He et al. 2016), compared with v1 on the same data and budget;
# 5. ResNet-18 on Fashion-MNIST, checked parameter for parameter against GluonCV's `resnet18_v1`;
# 6. the bottleneck block and ResNet-50;
# 7. the degradation experiment, run: plain and residual nets at two depths.

# %% [markdown] id="03-001" lang="zh-CN" translates="fa2192f561ae"
# # 第 03 章 · ResNet：残差学习、批量规范化、一个有缺陷的残差块、v2、ResNet-18 与 ResNet-50
#
# 更深的网络按理说至少应该和浅的网络一样好。可实际上，深度一旦超过某个程度，情况就不是这样了；而解决办法——He、Zhang、Ren 和 Sun（2015）提出的**残差连接**（residual connection）——几乎出现在此后构建的每一个网络中。本章跟随博文“PyTorch 入门与实践(六)”（在 MNIST 上实现 ResNet，以及 v2 残差块）和 MXNet 练习“Mxnet练习: ResNet网络”（d2l 风格的 ResNet-18）：
#
# 1. 为什么单靠加深会失败：20 层与 56 层网络的实验，以及原文对它的误读；
# 2. 批量规范化（batch normalization，BatchNorm）：训练模式与推理模式、滑动统计量，以及为什么紧挨在它前面的偏置毫无用处；
# 3. 残差块（residual block），以及原文的 MNIST 残差网络，**包括原文残差块中的一个缺陷**：我们如实地重建这个块，统计它的参数、画出它，并把它与正确的残差块放在一起训练；
# 4. He et al.（2016）的 v2 “完全预激活”（full pre-activation）残差块，在相同的数据和训练预算下与 v1 比较；
# 5. 在 Fashion-MNIST 上训练 ResNet-18，并与 GluonCV 的 `resnet18_v1` 逐个参数核对；
# 6. 瓶颈块与 ResNet-50；
# 7. 实际跑一遍退化实验：两种深度下的普通网络与残差网络。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="03-002"
import d2l_utils as d2l  # first: checks numpy, sets OpenMP threads, then MXNet may load
mode = d2l.chapter_banner("Chapter 03 · ResNet")

# %% id="03-003"
import matplotlib.pyplot as plt
import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd
from mxnet.gluon import nn

from d2l_utils import results
from d2l_utils.figures import ch03 as figures
from d2l_utils.models import resnet as pkg

ctx = d2l.try_gpu()
quick = mode == "quick"


# %% [markdown] id="03-004"
# ## 1. Why depth alone fails
#
# He et al. (2015, Fig. 1) trained "plain" stacks of 3×3 convolutions with batch normalisation on
# CIFAR-10: the **56-layer net has a higher training error than the 20-layer net**, and a higher test
# error too. Since the *training* error is worse, this is not overfitting. They call it the
# **degradation problem**: an optimisation difficulty.
#
# > **The post says / the paper says.** The post blames vanishing gradients: the 56-layer net is worse
# > "mainly because deeper networks suffer vanishing gradients more easily, so that some layers can
# > hardly be updated in training" (其中一个主要的原因是越深层的网络越容易发生梯度消失，造成一部分的网络层很难在训练中更新).
# > **The paper says the opposite** (He et al. 2015, Sec. 4.1, on its plain nets): "We argue that this
# > optimization difficulty is unlikely to be caused by vanishing gradients. These plain networks are
# > trained with BN, which ensures forward propagated signals to have non-zero variances. We also verify
# > that the backward propagated gradients exhibit healthy norms with BN. So neither forward nor
# > backward signals vanish." Their conjecture is that deep plain nets converge exponentially slowly.
# > Section 7 runs a small version of the experiment.
#
# The argument that something is wrong with the optimiser, not with the model: take the trained 20-layer
# net and add 36 layers that compute the identity. This 56-layer net is exactly as good as the 20-layer
# one, so a 56-layer net at least as good *exists*; SGD just does not find it. Learning an identity
# with a stack of conv + BN + ReLU layers is hard.
#
# **The residual idea**: let the layers learn the *difference* from the identity. A block outputs
#
# $$H(x) = F(x) + x,$$
#
# so the weights only model the residual $F(x) = H(x) - x$. To behave like the identity the block
# only has to push $F$ towards zero, which weight decay does anyway. The gradient gets a direct path
# too: $\partial H / \partial x = \partial F / \partial x + I$. With residual connections the
# 56-layer (and 110-layer) nets train *better* than the 20-layer one.
#
# Below, $F$ is two 3×3 convolutions, each followed by batch normalisation, with a ReLU in between;
# a ReLU comes after the addition (the "v1" block). The two convolutions keep height, width and
# channels, so $F(x)$ and $x$ can be added.

# %% [markdown] id="03-004" lang="zh-CN" translates="f2940d331646"
# ## 1. 为什么单靠加深会失败
#
# He et al.（2015，图 1）在 CIFAR-10 上训练了由 3×3 卷积层（convolutional layer）加批量规范化堆叠而成的“普通”网络（plain network）：**56 层网络的训练误差比 20 层网络更高**，测试误差也更高。既然连*训练*误差都更差，这就不是过拟合（overfitting）。他们称之为**退化问题**（degradation problem）：这是一种优化上的困难。
#
# > **原文说：**“图中所示 56 层深的网络的训练以及测试的错误率都比 20 层的要高,其中一个主要的原因是越深层的网络越容易发生梯度消失,造成一部分的网络层很难在训练中更新。”也就是说，原文把原因归于梯度消失（vanishing gradient）。
# > **论文说：**恰恰相反（He et al. 2015，第 4.1 节，谈其普通网络）：“我们认为，这种优化困难不太可能是由梯度消失引起的。这些普通网络是用 BN 训练的，BN 保证了前向传播的信号具有非零的方差。我们还验证了，在 BN 下反向传播的梯度具有正常的范数。所以前向和反向的信号都没有消失。”（英文原文：“We argue that this optimization difficulty is unlikely to be caused by vanishing gradients. These plain networks are trained with BN, which ensures forward propagated signals to have non-zero variances. We also verify that the backward propagated gradients exhibit healthy norms with BN. So neither forward nor backward signals vanish.”）作者的推测是：深层普通网络的收敛速度呈指数级地慢。第 7 节会跑一个小规模版本的实验。
#
# 为什么说问题出在优化器而不在模型？论证如下：取训练好的 20 层网络，再加上 36 个计算恒等映射（identity mapping）的层。这个 56 层网络与原来的 20 层网络完全一样好，所以至少一样好的 56 层网络是*存在*的，只是 SGD 找不到它。用一叠“卷积 + BN + ReLU”层去学出恒等映射并不容易。
#
# **残差的思路**：让这些层去学习与恒等映射之间的*差*。一个块的输出为
#
# $$H(x) = F(x) + x,$$
#
# 于是权重只需拟合残差 $F(x) = H(x) - x$。要表现得像恒等映射，块只需把 $F$ 推向零，而权重衰减（weight decay）本来就在这么做。梯度也多了一条直达的路径：$\partial H / \partial x = \partial F / \partial x + I$。有了残差连接，56 层（以及 110 层）网络反而训练得比 20 层网络*更好*。
#
# 下面的 $F$ 由两个 3×3 卷积组成，每个卷积后接批量规范化，两者之间有一个 ReLU；相加之后再接一个 ReLU（即“v1”残差块）。两个卷积都保持高、宽和通道（channel）数不变，因此 $F(x)$ 与 $x$ 可以相加。

# %% [markdown] id="03-101"
# ## 2. BatchNorm, before we read the post's block
#
# Every block of this chapter normalises with BatchNorm (Ioffe & Szegedy 2015), and the post's bug is a
# BatchNorm bug. For each channel, BatchNorm in **training mode** takes the mean $\mu_B$ and variance
# $\sigma_B^2$ of the batch (over the examples and all positions) and outputs
#
# $$y = \gamma\, \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta$$
#
# with a learned scale $\gamma$ and shift $\beta$ per channel. At **inference** a batch may hold one
# image, so BatchNorm normalises with **running statistics** instead, moving averages updated at every
# training step:
#
# $$\text{running\_mean} \leftarrow \mu \cdot \text{running\_mean} + (1 - \mu)\, \mu_B
# \qquad (\text{the same for the variance}),$$
#
# with momentum $\mu = 0.9$ in Gluon. PyTorch writes `momentum=0.1` for the same rule: its "momentum" is
# our $1 - \mu$. Inside `autograd.record()` (or `autograd.train_mode()`) Gluon's BatchNorm uses the
# batch statistics; everywhere else the running ones. One detail of MXNet, measured below: the running
# statistics are updated in the **backward pass** of a recorded forward (PyTorch updates them in the
# forward), so a forward in training mode without backward, as we use in section 3 to evaluate with
# batch statistics, leaves them untouched.

# %% [markdown] id="03-101" lang="zh-CN" translates="6a3414af6c94"
# ## 2. 读原文的残差块之前：批量规范化
#
# 本章的每个块都用 BatchNorm（Ioffe & Szegedy 2015）做规范化，而原文的缺陷恰恰是一个 BatchNorm 的缺陷。对每个通道，处于**训练模式**的 BatchNorm 计算当前小批量（minibatch）的均值 $\mu_B$ 和方差 $\sigma_B^2$（在所有样本和所有位置上统计），并输出
#
# $$y = \gamma\, \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta$$
#
# 其中拉伸参数（scale）$\gamma$ 和偏移参数（shift）$\beta$ 是每个通道各自学习的。在**推理**时，一个批量里可能只有一张图像，所以 BatchNorm 改用**滑动统计量**（running statistics）做规范化，即在每个训练步更新的滑动平均（moving average）：
#
# $$\text{running\_mean} \leftarrow \mu \cdot \text{running\_mean} + (1 - \mu)\, \mu_B
# \qquad (\text{the same for the variance}),$$
#
# 方差也按同一规则更新。Gluon 中的动量（momentum）为 $\mu = 0.9$。PyTorch 对同一规则写作 `momentum=0.1`：它的“momentum”是我们的 $1 - \mu$。在 `autograd.record()`（或 `autograd.train_mode()`）之内，Gluon 的 BatchNorm 使用批量统计量；在其他地方使用滑动统计量。MXNet 还有一个细节（下文会实测）：滑动统计量是在被记录的前向计算的**反向传播**中更新的（PyTorch 则在前向计算中更新），因此只做训练模式的前向计算而不做反向传播——第 3 节正是这样用批量统计量做评估的——不会改变滑动统计量。

# %% id="03-102"
def bn_train_step(layer, X):
    """One training-mode forward and backward, no weight update: MXNet updates the running
    statistics in the backward pass."""
    with autograd.record():
        Y = layer(X)
    Y.backward()
    return Y


bn = nn.BatchNorm(in_channels=1)                       # momentum 0.9, running mean starts at 0
bn.initialize()
X = 3 + 2 * nd.random.normal(shape=(256, 1, 4, 4))     # one channel: mean 3, standard deviation 2
mu_B = X.mean().asscalar()
with autograd.train_mode():                            # forward only: nothing is updated
    Y = bn(X)
print(f"training mode: output mean {Y.mean().asscalar():+.2f}, std {Y.asnumpy().std():.2f}; "
      f"running mean after a forward alone: {bn.running_mean.data().asscalar():.2f}")
for _ in range(20):
    bn_train_step(bn, X)
running = bn.running_mean.data().asscalar()
print(f"after 20 steps: running mean {running:.3f} = {mu_B:.3f} x (1 - 0.9^20) = {mu_B * (1 - 0.9 ** 20):.3f}")
Y = bn(X)                                              # inference mode: the running statistics
print(f"inference mode: output mean {Y.mean().asscalar():+.2f}, std {Y.asnumpy().std():.2f} "
      "(the running statistics have not caught up yet)")
assert abs(running - mu_B * (1 - 0.9 ** 20)) < 1e-3

# %% [markdown] id="03-103"
# **A bias right before BatchNorm does nothing.** If a convolution adds a constant $b_c$ to channel $c$,
# the batch mean of that channel grows by $b_c$ too and the subtraction removes it:
# $\mathrm{BN}(\mathrm{conv}(x) + b) = \mathrm{BN}(\mathrm{conv}(x))$, and the running mean absorbs $b$
# for inference. The shift BatchNorm needs is its own $\beta$. So the $C$ biases of such a convolution
# are parameters that cannot change the output (the post's ResNet-18 has 4,800 of them, section 5):

# %% [markdown] id="03-103" lang="zh-CN" translates="3bdcfba40256"
# **紧挨在 BatchNorm 前面的偏置不起任何作用。** 如果一个卷积给通道 $c$ 加上常数 $b_c$，该通道的批量均值也会增加 $b_c$，减去均值时它就被消掉了：
# $\mathrm{BN}(\mathrm{conv}(x) + b) = \mathrm{BN}(\mathrm{conv}(x))$，而推理时滑动均值也会把 $b$ 吸收掉。BatchNorm 需要的偏移是它自己的 $\beta$。因此，这种卷积的 $C$ 个偏置都是无法改变输出的参数（原文的 ResNet-18 中有 4,800 个，见第 5 节）：

# %% id="03-104"
conv_b = nn.Conv2D(8, 3, padding=1, in_channels=3)                   # with a bias
conv = nn.Conv2D(8, 3, padding=1, in_channels=3, use_bias=False)     # the same weights, no bias
bn = nn.BatchNorm(in_channels=8)
for layer in (conv_b, conv, bn):
    layer.initialize()
conv.weight.set_data(conv_b.weight.data())
conv_b.bias.set_data(5 * nd.random.normal(shape=(8,)))               # a large bias
X = nd.random.normal(shape=(16, 3, 10, 10))
with autograd.train_mode():
    same = np.allclose(bn(conv_b(X)).asnumpy(), bn(conv(X)).asnumpy(), atol=1e-4)
print("BN(conv(x) + b) equals BN(conv(x)):", same)
assert same
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-105"
# **One BatchNorm at two places.** The post's block (next section) calls the same BatchNorm twice per
# forward, on $a_1 = \mathrm{conv1}(x)$ and on $a_2 = \mathrm{conv1}(\mathrm{relu}(\mathrm{bn}(a_1)))$,
# whose channel means $m_1$ and $m_2$ differ. Each training step then updates the running mean twice.
# In PyTorch, the post's framework, the updates happen in the forward, in the order of the calls:
#
# $$m \leftarrow 0.9\,m + 0.1\,m_1, \quad\text{then}\quad m \leftarrow 0.9\,m + 0.1\,m_2
# \qquad\Longrightarrow\qquad m \leftarrow 0.81\,m + 0.09\,m_1 + 0.1\,m_2 \text{ per step.}$$
#
# The running mean settles where $m = 0.81\,m + 0.09\,m_1 + 0.1\,m_2$:
#
# $$m^* = \frac{0.09\,m_1 + 0.1\,m_2}{0.19} \approx 0.47\,m_1 + 0.53\,m_2,$$
#
# in general $m^* = (\mu\, m_{\text{first}} + m_{\text{last}}) / (1 + \mu)$: the update made last weighs a
# little more. It gets there geometrically (a factor 0.81 per step). At inference **both** places are
# normalised with this mixture, which fits neither. MXNet updates in the backward pass, which meets the
# two calls in reverse order, so in our Gluon copy of the post's block the weights swap: $0.53\,m_1 +
# 0.47\,m_2$. Section 3 measures it on the trained net.

# %% [markdown] id="03-105" lang="zh-CN" translates="3bf963dba176"
# **一个 BatchNorm 用在两处。** 原文的残差块（见下一节）在每次前向计算中调用同一个 BatchNorm 两次，分别作用于 $a_1 = \mathrm{conv1}(x)$ 和 $a_2 = \mathrm{conv1}(\mathrm{relu}(\mathrm{bn}(a_1)))$，而两者的通道均值 $m_1$ 和 $m_2$ 并不相同。于是每个训练步都会更新两次滑动均值。在原文所用的框架 PyTorch 中，更新发生在前向计算中，按调用的先后顺序进行：
#
# $$m \leftarrow 0.9\,m + 0.1\,m_1, \quad\text{then}\quad m \leftarrow 0.9\,m + 0.1\,m_2
# \qquad\Longrightarrow\qquad m \leftarrow 0.81\,m + 0.09\,m_1 + 0.1\,m_2 \text{ per step.}$$
#
# 即先用 $m_1$ 更新、再用 $m_2$ 更新，合起来每步相当于右边的式子。滑动均值最终稳定在满足 $m = 0.81\,m + 0.09\,m_1 + 0.1\,m_2$ 的位置：
#
# $$m^* = \frac{0.09\,m_1 + 0.1\,m_2}{0.19} \approx 0.47\,m_1 + 0.53\,m_2,$$
#
# 一般地，$m^* = (\mu\, m_{\text{first}} + m_{\text{last}}) / (1 + \mu)$：最后做的那次更新权重略大。它以几何速度趋近这个值（每步乘以因子 0.81）。推理时，**两处**都用这个混合值做规范化，而它与哪一处都不相符。MXNet 在反向传播中更新，而反向传播以相反的顺序经过这两次调用，所以在我们用 Gluon 复刻的原文残差块中，两个权重互换：$0.53\,m_1 +
# 0.47\,m_2$。第 3 节会在训练好的网络上实测这一点。

# %% id="03-106"
def shared_bn_fixed_point(m_first, m_last, momentum=0.9, steps=300):
    """The running mean after many steps of two updates each (first call, then last call)."""
    m = 0.0
    for _ in range(steps):
        m = momentum * m + (1 - momentum) * m_first
        m = momentum * m + (1 - momentum) * m_last
    return m


w_first = shared_bn_fixed_point(1.0, 0.0)  # the weight of the first update's mean
print(f"m* = {w_first:.4f} m_first + {1 - w_first:.4f} m_last; (0.09 / 0.19, 0.1 / 0.19) = "
      f"({0.09 / 0.19:.4f}, {0.1 / 0.19:.4f})")
assert abs(w_first - 0.09 / 0.19) < 1e-9
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-005"
# ## 3. The post's residual block, read carefully
#
# Here is the post's PyTorch block:
#
# ```python
# class ResidualBlock(nn.Module):
#     def __init__(self, channels):
#         self.bn = nn.BatchNorm2d(channels)
#         self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
#         self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
#     def forward(self, x):
#         y = F.relu(self.bn(self.conv1(x)))
#         y = self.bn(self.conv1(y))          # conv1 again, the same bn again
#         return F.relu(x + y)
# ```
#
# Three things are wrong, and none of them makes the code crash:
#
# 1. `conv1` is applied **twice**: the two layers share their weights;
# 2. `conv2` is created but **never used**: its weights are counted by `sum(p.numel() for p in
#    model.parameters())` but never receive a gradient (dead weights);
# 3. **one BatchNorm is shared** by two places that see different activations. During training each
#    call normalises with its own batch statistics, so nothing looks wrong. But the running mean and
#    variance used at test time are updated by *both* calls, so they end up between the two
#    distributions (section 2) and match neither.
#
# We build the block with a flag: `post_bug=True` is the post, faithfully; `post_bug=False` is the
# block of the paper (two convolutions, two BatchNorms). Gluon's `Trainer` refuses to step a parameter
# that got no gradient, so we freeze the dead `conv2` (in PyTorch it is silently skipped).

# %% [markdown] id="03-005" lang="zh-CN" translates="9dbfc01b2a1e"
# ## 3. 仔细阅读原文的残差块
#
# 下面是原文的 PyTorch 残差块：
#
# ```python
# class ResidualBlock(nn.Module):
#     def __init__(self, channels):
#         self.bn = nn.BatchNorm2d(channels)
#         self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
#         self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
#     def forward(self, x):
#         y = F.relu(self.bn(self.conv1(x)))
#         y = self.bn(self.conv1(y))          # conv1 again, the same bn again
#         return F.relu(x + y)
# ```
#
# 这里有三处错误，而且没有一处会让代码崩溃：
#
# 1. `conv1` 被调用了**两次**：这两层共享权重；
# 2. `conv2` 创建了却**从未使用**：`sum(p.numel() for p in model.parameters())` 会把它的权重计算在内，但这些权重永远得不到梯度（死权重，dead weights）；
# 3. **一个 BatchNorm 被两处共享**，而这两处看到的激活值并不相同。训练时每次调用都用各自的批量统计量做规范化，所以看不出任何问题。但测试时使用的滑动均值和方差被*两次*调用共同更新，最终落在两个分布之间（见第 2 节），与哪一个都不相符。
#
# 我们用一个标志来构建这个块：`post_bug=True` 如实复现原文；`post_bug=False` 是论文中的块（两个卷积、两个 BatchNorm）。Gluon 的 `Trainer` 拒绝更新没有得到梯度的参数，所以我们冻结了无用的 `conv2`（在 PyTorch 中它会被悄无声息地跳过）。

# %% id="03-006"
class ResidualBlock(nn.HybridBlock):
    """v1 block keeping shape: (B, C, H, W) -> (B, C, H, W)."""

    def __init__(self, channels, post_bug=False, **kwargs):
        super().__init__(**kwargs)
        self.post_bug = post_bug
        self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        self.bn1 = nn.BatchNorm(in_channels=channels)
        if post_bug:
            self.conv2.collect_params().setattr("grad_req", "null")  # dead weights
        else:
            self.bn2 = nn.BatchNorm(in_channels=channels)

    def hybrid_forward(self, F, x):
        if self.post_bug:
            y = F.relu(self.bn1(self.conv1(x)))  # (B, C, H, W)
            y = self.bn1(self.conv1(y))          # conv1 and bn1 again: the post's bug
        else:
            y = F.relu(self.bn1(self.conv1(x)))  # (B, C, H, W)
            y = self.bn2(self.conv2(y))          # (B, C, H, W)
        return F.relu(x + y)                     # add, then activate


# %% [markdown] id="03-107"
# The two blocks as figures, drawn from the package's `ResidualBlock` by running it once: each box is a
# layer the block really calls, in order, so the post's `conv1` and `bn1` appear twice, and its
# `conv2`, created but never called, stands aside.

# %% [markdown] id="03-107" lang="zh-CN" translates="975787f1eb4f"
# 下图画出这两个块，是把课程软件包中的 `ResidualBlock` 运行一次后绘制的：每个方框都是该块真正调用的一层，按调用顺序排列，所以原文的 `conv1` 和 `bn1` 各出现两次，而创建了却从未调用的 `conv2` 被放在一旁。

# %% id="03-108"
d2l.save_or_show(figures.post_block_vs_v1(), "03_post_block_vs_v1")

# %% [markdown] id="03-007"
# Count the parameters of one block with 16 channels. `count_parameters` returns (trainable,
# non-trainable); non-trainable are BatchNorm's running statistics (and, for the buggy block, the dead
# `conv2`). A 3×3 conv with 16 → 16 channels has $16 \cdot 16 \cdot 9 + 16 = 2320$ parameters, a
# BatchNorm $2 \cdot 16$ trainable ($\gamma, \beta$) and $2 \cdot 16$ running statistics.

# %% [markdown] id="03-007" lang="zh-CN" translates="19bab8fb958e"
# 统计一个 16 通道块的参数。`count_parameters` 返回（可训练，不可训练）两个数；不可训练的是 BatchNorm 的滑动统计量（对有缺陷的块，还包括无用的 `conv2`）。一个 16 → 16 通道的 3×3 卷积有 $16 \cdot 16 \cdot 9 + 16 = 2320$ 个参数；一个 BatchNorm 有 $2 \cdot 16$ 个可训练参数（$\gamma, \beta$）和 $2 \cdot 16$ 个滑动统计量。

# %% id="03-008"
conv, bn = 16 * 16 * 9 + 16, 2 * 16
for flag in (True, False):
    blk = ResidualBlock(16, post_bug=flag)
    blk.initialize()
    trainable, frozen = d2l.count_parameters(blk)
    print(f"post_bug={flag!s:<5}  trainable {trainable:>5,}  non-trainable {frozen:>5,}  "
          f"all {trainable + frozen:>5,}")
buggy, fixed = ResidualBlock(16, post_bug=True), ResidualBlock(16)
buggy.initialize(); fixed.initialize()
assert d2l.count_parameters(buggy) == (conv + bn, conv + bn)   # conv1 + bn; dead conv2 + running stats
assert d2l.count_parameters(fixed) == (2 * conv + 2 * bn, 2 * bn)
# what the post's PyTorch code prints: everything in parameters() (conv1, conv2, bn) = 4,672
assert conv * 2 + bn == 4_672
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-009"
# The post's model "has" 4,672 parameters per 16-channel block by PyTorch's count, nearly the 4,704 of
# the correct block, so the count hides the bug: **only 2,352 of them learn**.
#
# ## The post's MNIST residual net
#
# conv 5×5 → 16, ReLU, 2×2 max-pool, residual block(16), conv 5×5 → 32, ReLU, max-pool, residual
# block(32), dense 512 → 10. Without padding, 28 → 24 → 12 → 8 → 4, and 32·4·4 = 512 features reach the
# dense layer. The builder takes the block type: `'post'`, `'v1'` or (section 4) `'v2'`.

# %% [markdown] id="03-009" lang="zh-CN" translates="25302888bc52"
# 按 PyTorch 的统计方式，原文的模型每个 16 通道块“有” 4,672 个参数，与正确的块的 4,704 个相差无几，所以参数量掩盖了这个缺陷：**其中只有 2,352 个在学习**。
#
# ## 原文的 MNIST 残差网络
#
# 5×5 卷积 → 16 通道，ReLU，2×2 最大汇聚层（max-pooling，也常称最大池化），残差块(16)，5×5 卷积 → 32 通道，ReLU，最大汇聚层，残差块(32)，全连接层（dense layer）512 → 10。不加填充（padding）时尺寸依次为 28 → 24 → 12 → 8 → 4，于是有 32·4·4 = 512 个特征进入全连接层。构建函数接收块的类型作为参数：`'post'`、`'v1'` 或（第 4 节的）`'v2'`。

# %% id="03-010"
def resnet_mnist(block="v1", num_classes=10):
    """(B, 1, 28, 28) -> (B, 10). block: 'v1', 'post' (the post's buggy block) or 'v2'."""
    def make(channels):
        if block == "v2":
            return PreActResidualBlock(channels)
        return ResidualBlock(channels, post_bug=block == "post")
    net = nn.HybridSequential()
    net.add(nn.Conv2D(16, 5, in_channels=1),              # (B, 16, 24, 24)
            nn.Activation("relu"), nn.MaxPool2D(2),       # (B, 16, 12, 12)
            make(16),                                     # (B, 16, 12, 12)
            nn.Conv2D(32, 5, in_channels=16),             # (B, 32, 8, 8)
            nn.Activation("relu"), nn.MaxPool2D(2),       # (B, 32, 4, 4)
            make(32),                                     # (B, 32, 4, 4)
            nn.Dense(num_classes, in_units=512))          # (B, 10)
    return net


# %% [markdown] id="03-011"
# The v2 block of section 4 is defined here already so that the builder is complete; we explain it
# there.

# %% [markdown] id="03-011" lang="zh-CN" translates="2f6aa70d2404"
# 第 4 节的 v2 块在这里就先定义好，好让构建函数完整；它的原理留到那一节再讲。

# %% id="03-012"
class PreActResidualBlock(nn.HybridBlock):
    """v2 full pre-activation: x + conv2(relu(bn2(conv1(relu(bn1(x))))))."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.bn1 = nn.BatchNorm(in_channels=channels)
        self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
        self.bn2 = nn.BatchNorm(in_channels=channels)
        self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)

    def hybrid_forward(self, F, x):
        y = self.conv1(F.relu(self.bn1(x)))  # (B, C, H, W)
        y = self.conv2(F.relu(self.bn2(y)))  # (B, C, H, W)
        return x + y                         # nothing after the addition


# %% id="03-013"
net = resnet_mnist("v1")
params, macs = d2l.print_layer_table(net, (1, 1, 28, 28))
assert params == 41_706 + 192  # trainable + BatchNorm running statistics
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-014"
# The whole net, in the three versions. PyTorch's count of the post's model (trainable + dead conv2,
# without running statistics) is 41,610: the post's readers saw a normal-looking number.

# %% [markdown] id="03-014" lang="zh-CN" translates="7b97f37d11c8"
# 整个网络的三个版本。按 PyTorch 的统计方式（可训练参数 + 无用的 conv2，不含滑动统计量），原文的模型有 41,610 个参数：原文的读者看到的是一个看起来完全正常的数字。

# %% id="03-015"
for b in ("post", "v1", "v2"):
    trainable, frozen = d2l.count_parameters(resnet_mnist(b), (1, 1, 28, 28))
    print(f"{b:<5} trainable {trainable:>6,}  non-trainable {frozen:>6,}")
t, f = d2l.count_parameters(resnet_mnist("post"), (1, 1, 28, 28))
assert (t, f) == (30_042, 11_664) and t + f - 96 == 41_610  # 96 = running stats of the two BNs
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-016"
# **Tested cell**: the notebook's nets are the package's (`d2l_utils.models.resnet`, which the tests
# check): `d2l.same_model` loads the notebook net's weights into the package's by layer name (any
# missing, extra or reshaped layer fails) and compares the outputs. Where a ReLU follows a BatchNorm the
# package uses `nn.BatchNormReLU`, the same maths and parameters in one pass over memory (about 12 %
# faster training for this net on a 2-core CPU, `docs/speed.md`).

# %% [markdown] id="03-016" lang="zh-CN" translates="bab5b9b9b6a8"
# **经过测试的单元格**：笔记本中的网络就是课程软件包中的网络（`d2l_utils.models.resnet`，由测试检查）：`d2l.same_model` 按层名把笔记本网络的权重加载到软件包的网络中（缺失、多余或形状不同的层都会导致失败），然后比较两者的输出。凡是 BatchNorm 之后紧跟 ReLU 的地方，软件包都使用 `nn.BatchNormReLU`：数学运算和参数都相同，但只需遍历一次内存（对这个网络，在 2 核 CPU 上训练约快 12 %，见 `docs/speed.md`）。

# %% id="03-017"
for b in ("post", "v1", "v2"):
    assert d2l.same_model(resnet_mnist(b), pkg.resnet_mnist(b), (4, 1, 28, 28)), b
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-018"
# ## Training: the post's block against the correct one
#
# Same data, same seed, same budget for both blocks. **Full mode** runs what the recorded run did
# (`docs/results/03_resnet_mnist_blocks_2epochs.log`): full MNIST, SGD with learning rate 0.05, batch
# 64, **2 epochs** (the post trains 10; two are enough to show the bug and cost 2–3 minutes per block on
# 2 CPU cores). **Quick mode** trains on the shipped sample (3,000 training, 1,000 test images) for 3
# epochs of batch 32, SGD with momentum 0.9 and learning rate 0.01 lowered along a cosine to 0: smaller
# batches give the 3,000 images more steps, and the cosine lets the weights settle (with the full-mode
# recipe the correct block ended near 93 % here).

# %% [markdown] id="03-018" lang="zh-CN" translates="162a483860de"
# ## 训练：原文的残差块与正确的残差块对比
#
# 两个块使用相同的数据、相同的随机种子、相同的训练预算。**完整模式**运行的是已记录的那次运行（`docs/results/03_resnet_mnist_blocks_2epochs.log`）：完整的 MNIST，SGD，学习率（learning rate）0.05，批量大小 64，**2 个迭代周期**（epoch）（原文训练了 10 个；2 个就足以显示这个缺陷，而且在 2 个 CPU 核上每个块只需 2–3 分钟）。**快速模式**在随课程提供的样本（3,000 张训练图像、1,000 张测试图像）上训练 3 个迭代周期，批量大小 32，使用动量为 0.9 的 SGD，学习率从 0.01 沿余弦曲线降到 0：更小的批量让这 3,000 张图像得到更多的更新步数，余弦调度则让权重稳定下来（若用完整模式的训练方案，正确的块在这里最终只有约 93 %）。

# %% id="03-019"
if quick:  # momentum, smaller batches and a cosine to settle the weights on 3,000 images
    mnist_batch, mnist_lr, mnist_epochs, mnist_opt = 32, 0.01, 3, {"momentum": 0.9}
    mnist_schedule = d2l.hold_then_cosine(mnist_lr, 0, mnist_epochs)
else:      # the recorded run
    mnist_batch, mnist_lr, mnist_epochs, mnist_opt, mnist_schedule = 64, 0.05, 2, None, None
mnist_train, mnist_test = d2l.load_mnist(mnist_batch)
print(f"{mnist_train.num_examples} training, {mnist_test.num_examples} test images")

nets, histories = {}, {}
for b in ("post", "v1"):
    nets[b] = resnet_mnist(b)
    histories[b] = d2l.train(nets[b], mnist_train, mnist_test, mnist_epochs, lr=mnist_lr, seed=0, ctx=ctx,
                             optimizer_params=mnist_opt, lr_schedule=mnist_schedule,
                             title=f"MNIST residual net, block {b}")
assert histories["v1"]["test_acc"][-1] >= 0.95, "the correct block should reach 95 % on MNIST"


# %% id="03-020"
def plot_histories(histories, name, recorded=None):
    """This run's curves; with ``recorded`` {block: run index}, the full-mode runs of
    docs/results/03_resnet_mnist_blocks_2epochs.log next to them."""
    fig, ax = plt.subplots(1, 3 if recorded else 2, figsize=(13 if recorded else 9, 3.2))
    for b, h in histories.items():
        ax[0].plot(h["epoch"], h["train_loss"], "o-", label=b)
        ax[1].plot(h["epoch"], h["test_acc"], "o-", label=f"{b} test")
        ax[1].plot(h["epoch"], h["train_acc"], "x--", label=f"{b} train")
    ax[0].set(xlabel="epoch", ylabel="train loss", title=f"this run ({mode} mode)")
    ax[1].set(xlabel="epoch", ylabel="accuracy", title=f"this run ({mode} mode)")
    for b, run in (recorded or {}).items():
        h = results.read_history("03_resnet_mnist_blocks_2epochs.log", run=run)
        ax[2].plot(h["epoch"], h["test_acc"], "s-", label=f"{b} test {h['test_acc'][-1]:.3f}")
    if recorded:
        ax[2].set(xlabel="epoch", ylabel="test accuracy", title="full mode, recorded: 60,000 images")
        ax[2].legend(fontsize=7)
    for a in ax:
        a.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        a.grid(alpha=0.3)
    ax[0].legend(); ax[1].legend(fontsize=7)
    d2l.save_or_show(fig, name)


RECORDED_RUNS = {"post": 0, "v1": 1, "v2": 2}   # the order of the runs in the log
plot_histories(histories, "03_post_vs_v1", {b: RECORDED_RUNS[b] for b in ("post", "v1")})
for b, h in histories.items():
    print(f"{b:<5} train acc {h['train_acc'][-1]:.3f}  test acc {h['test_acc'][-1]:.3f}")


# %% [markdown] id="03-021"
# Note the warning printed when the post's net is hybridized: `Parameter ... is not used by any
# computation. Is this intended?` MXNet sees the dead `conv2` when it builds the graph; PyTorch stays
# silent.
#
# The post's net learns the training set about as fast as the correct one, and its *test* accuracy
# is far lower; in the recorded full-mode run (right) the post's test accuracy even *falls* from epoch 1
# to 2 while its training accuracy matches v1's. To prove the shared BatchNorm's running statistics are
# the culprit, evaluate the same trained weights with batch statistics instead (`autograd.train_mode()`:
# BatchNorm normalises each test batch by its own mean and variance, as during training; no weight
# changes, and without a backward pass no running statistic changes either).

# %% [markdown] id="03-021" lang="zh-CN" translates="5b40d79150b6"
# 注意对原文的网络调用 hybridize（混合化）时打印的警告：`Parameter ... is not used by any
# computation. Is this intended?` MXNet 在构建计算图时发现了无用的 `conv2`；PyTorch 则一声不吭。
#
# 原文的网络学习训练集的速度与正确的网络差不多，*测试*精度却低得多；在已记录的完整模式运行中（右图），原文网络的测试精度从第 1 个迭代周期到第 2 个甚至*下降*了，而它的训练精度与 v1 不相上下。为了证明罪魁祸首是共享 BatchNorm 的滑动统计量，我们改用批量统计量来评估同一组训练好的权重（`autograd.train_mode()`：BatchNorm 用每个测试批量自身的均值和方差做规范化，就像训练时一样；权重不变，而且由于没有反向传播，滑动统计量也不会改变）。

# %% id="03-022"
def accuracy_with_batch_stats(net, data_iter):
    correct = n = 0
    for X, y in data_iter:
        with autograd.train_mode():  # BatchNorm uses the batch's statistics
            pred = net(X.as_in_context(ctx)).argmax(axis=1)
        correct += (pred == y.as_in_context(ctx).astype(pred.dtype)).sum().asscalar()
        n += len(y)
    return correct / n


post_running = d2l.evaluate_accuracy(nets["post"], mnist_test, ctx)
post_batch = accuracy_with_batch_stats(nets["post"], mnist_test)
print(f"post net, running statistics (normal test): {post_running:.3f}")
print(f"post net, batch statistics:                 {post_batch:.3f}")
assert post_batch > post_running


# %% [markdown] id="03-023"
# With batch statistics the post's net is fine: its weights are good, only the running statistics are
# wrong. Sharing a *convolution* is a legitimate (if unintended) design; sharing a *BatchNorm* between
# different activations is not.
#
# **Where the shared running mean sits, measured.** In the trained post net we set each shared
# BatchNorm's running mean to zero and run 40 training-mode steps (forward and backward, no weight
# update) over the training images; a forward pre-hook records, at every call, the channel means of what
# the BatchNorm receives. Then we fit the running mean as $w\,\bar m_1 + (1 - w)\,\bar m_2$ over the
# channels of both blocks ($\bar m_i$: the call site's mean over the last 30 steps).

# %% [markdown] id="03-023" lang="zh-CN" translates="2b30702dbede"
# 使用批量统计量时，原文的网络表现良好：它的权重没有问题，出错的只是滑动统计量。共享一个*卷积*是一种合理的设计（尽管并非有意为之）；而让不同的激活值共享一个 *BatchNorm* 则不是。
#
# **实测共享的滑动均值落在哪里。** 在训练好的原文网络中，我们把每个共享 BatchNorm 的滑动均值置零，然后在训练图像上运行 40 个训练模式的步骤（前向和反向，但不更新权重）；一个前向预钩子（forward pre-hook）在每次调用时记录 BatchNorm 所接收输入的各通道均值。然后在两个块的所有通道上，把滑动均值拟合为 $w\,\bar m_1 + (1 - w)\,\bar m_2$（$\bar m_i$：该调用位置在最后 30 步上的均值）。

# %% id="03-109"
def measure_shared_bn(net, data_iter, steps=40, settle=10):
    """(w, curves): the fitted weight of call site 1 in the shared BatchNorms' running means, and
    per step the running mean and the two call sites' batch means of one channel."""
    blocks = [b for b in net._children.values() if isinstance(b, ResidualBlock) and b.post_bug]
    calls = {id(b.bn1): [] for b in blocks}
    hooks = [b.bn1.register_forward_pre_hook(
        lambda layer, inputs: calls[id(layer)].append(inputs[0].mean(axis=(0, 2, 3)).asnumpy()))
        for b in blocks]
    net.hybridize(active=False)  # hooks see only imperative calls
    for b in blocks:
        b.bn1.running_mean.set_data(nd.zeros_like(b.bn1.running_mean.data()))
    curve, step = [], 0
    while step < steps:
        for X, _ in data_iter:
            bn_train_step(net, X.as_in_context(ctx))
            curve.append(blocks[0].bn1.running_mean.data()[0].asscalar())
            step += 1
            if step == steps:
                break
    for h in hooks:
        h.detach()
    net.hybridize(static_alloc=True, static_shape=True)
    m1, m2, running = [], [], []
    for b in blocks:
        c = np.array(calls[id(b.bn1)])             # the calls alternate: site 1, site 2, ...
        m1.append(c[0::2][settle:].mean(axis=0)); m2.append(c[1::2][settle:].mean(axis=0))
        running.append(b.bn1.running_mean.data().asnumpy())
    m1, m2, running = (np.concatenate(v) for v in (m1, m2, running))
    w = float(np.dot(running - m2, m1 - m2) / np.dot(m1 - m2, m1 - m2))
    first = np.array(calls[id(blocks[0].bn1)])
    return w, dict(running=curve, m1=first[0::2, 0], m2=first[1::2, 0])


w, curves = measure_shared_bn(nets["post"], mnist_train)
print(f"running mean = {w:.3f} m1 + {1 - w:.3f} m2 (fitted over 48 channels); derived for MXNet's "
      f"order: {1 / 1.9:.3f} m1 + {0.9 / 1.9:.3f} m2 (PyTorch's: {0.9 / 1.9:.3f} m1 + {1 / 1.9:.3f} m2)")
fig, ax = plt.subplots(figsize=(7, 3))
steps = np.arange(1, len(curves["running"]) + 1)
ax.plot(steps, curves["m1"], ".", label="site 1: batch mean of conv1(x)")
ax.plot(steps, curves["m2"], ".", label="site 2: batch mean of conv1(relu(bn1(conv1(x))))")
ax.plot(steps, curves["running"], "k-", label="the shared running mean")
ax.axhline(curves["m1"][10:].mean() / 1.9 + 0.9 * curves["m2"][10:].mean() / 1.9, color="gray", ls="--",
           label="derived fixed point (m1 + 0.9 m2) / 1.9")
ax.set(xlabel="training-mode step", ylabel="channel 0 of block 1",
       title="one BatchNorm at two places: its running mean mixes both")
ax.legend(fontsize=7); ax.grid(alpha=0.3)
d2l.save_or_show(fig, "03_shared_bn_running_mean")
assert abs(w - 1 / 1.9) < 0.1, f"fitted weight {w:.3f}, derived {1 / 1.9:.3f}"

# %% [markdown] id="03-024"
# ## 4. ResNet v2: full pre-activation
#
# In "Identity Mappings in Deep Residual Networks" (He et al. 2016) the authors write a stack of blocks
# as $x_{l+1} = f(x_l + F(x_l))$ and show that if $f$ is the identity (no ReLU after the addition) and
# the shortcut is a clean identity, then for any deeper block $L$
#
# $$x_L = x_l + \sum_{i=l}^{L-1} F(x_i), \qquad
#   \frac{\partial \mathcal{L}}{\partial x_l} = \frac{\partial \mathcal{L}}{\partial x_L}
#   \Big(1 + \frac{\partial}{\partial x_l}\sum_{i=l}^{L-1} F(x_i)\Big):$$
#
# the signal and the gradient travel directly between any two blocks. They tried variants of the
# order of BN, ReLU and addition (their Fig. 4); the best is the **full pre-activation** block: BN →
# ReLU → conv, twice, and nothing after the addition (the `PreActResidualBlock` defined above). On
# CIFAR-10 with ResNet-110 the test error goes from 6.61 % (original) to 6.37 %, and with ResNet-1001
# from 7.61 % to 4.92 %.

# %% [markdown] id="03-024" lang="zh-CN" translates="6af25d1180e4"
# ## 4. ResNet v2：完全预激活
#
# 在《Identity Mappings in Deep Residual Networks》（He et al. 2016）中，作者把一叠块写成 $x_{l+1} = f(x_l + F(x_l))$，并证明：如果 $f$ 是恒等映射（相加之后没有 ReLU），并且快捷连接（shortcut，原文称“跳连”）是干净的恒等映射，那么对任意更深的块 $L$ 有
#
# $$x_L = x_l + \sum_{i=l}^{L-1} F(x_i), \qquad
#   \frac{\partial \mathcal{L}}{\partial x_l} = \frac{\partial \mathcal{L}}{\partial x_L}
#   \Big(1 + \frac{\partial}{\partial x_l}\sum_{i=l}^{L-1} F(x_i)\Big):$$
#
# 信号和梯度都能在任意两个块之间直接传递。他们尝试了 BN、ReLU 与相加操作的多种排列顺序（论文图 4）；最好的是**完全预激活**（full pre-activation）块：BN → ReLU → 卷积，重复两次，相加之后什么也不做（即上面定义的 `PreActResidualBlock`）。在 CIFAR-10 上，ResNet-110 的测试误差从 6.61 %（原始版本）降到 6.37 %，ResNet-1001 则从 7.61 % 降到 4.92 %。

# %% id="03-110"
d2l.save_or_show(figures.v1_vs_v2(), "03_v1_vs_v2_blocks")

# %% [markdown] id="03-111"
# The post's v2 code again shares one BatchNorm between the two places (`self.bn` on `x` and on `y`);
# our block has two.
#
# What exactly does the ReLU after the addition cost? A tempting demo sets $F = 0$ and feeds Gaussian
# noise: v2 returns $x$, v1 returns $\mathrm{relu}(x)$. It misleads: inside a v1 stack every block's
# input is the output of a ReLU, so $x \ge 0$ and $\mathrm{relu}(x) = x$; with $F = 0$ **both** blocks
# are the identity on the inputs they really see. The difference is where the residual is negative: v1
# outputs $\mathrm{relu}(x + F(x))$, so wherever $F(x) < -x$ the sum is cut to 0, the shortcut's part
# with it, and $x_L = x_l + \sum F$ no longer holds; v2 passes $x + F(x)$ on unchanged (He et al. 2016,
# Sec. 4: with $f$ = ReLU "the signal is also affected" on the shortcut path). Both facts, checked:

# %% [markdown] id="03-111" lang="zh-CN" translates="85b63517d895"
# 原文的 v2 代码同样让两处共享一个 BatchNorm（`self.bn` 既作用于 `x` 也作用于 `y`）；我们的块有两个。
#
# 相加之后的 ReLU 究竟有什么代价？一个诱人的演示是令 $F = 0$ 并输入高斯噪声：v2 返回 $x$，v1 返回 $\mathrm{relu}(x)$。但这个演示有误导性：在 v1 的堆叠中，每个块的输入都是某个 ReLU 的输出，所以 $x \ge 0$，$\mathrm{relu}(x) = x$；当 $F = 0$ 时，对于它们实际接收到的输入，**两种**块都是恒等映射。区别出现在残差为负的地方：v1 输出 $\mathrm{relu}(x + F(x))$，所以凡是 $F(x) < -x$ 之处，和都被截断为 0，快捷连接带来的那部分也随之被截掉，$x_L = x_l + \sum F$ 就不再成立；v2 则把 $x + F(x)$ 原样传下去（He et al. 2016，第 4 节：当 $f$ 为 ReLU 时，快捷连接路径上“信号也会受到影响”（“the signal is also affected”））。下面验证这两个事实：

# %% id="03-025"
x = nd.relu(nd.random.normal(shape=(2, 16, 6, 6)))   # what a v1 block receives: a ReLU's output
v1, v2 = ResidualBlock(16), PreActResidualBlock(16)
v1.initialize(mx.init.Xavier()); v2.initialize(mx.init.Xavier())
sums = {}
for name, blk in (("v1", v1), ("v2", v2)):
    blk.conv2.weight.set_data(nd.zeros_like(blk.conv2.weight.data()))  # F = 0 (v1: bn2's beta is 0)
    blk.conv2.bias.set_data(nd.zeros_like(blk.conv2.bias.data()))
    sums[name] = np.array_equal(blk(x).asnumpy(), x.asnumpy())
print(f"F = 0, input >= 0: v1 is the identity {sums['v1']}, v2 is the identity {sums['v2']}")
assert sums["v1"] and sums["v2"]


def cut_by_relu(net, X):
    """For each v1 block of the trained MNIST net: the share of x + F(x) below zero, which the
    ReLU after the addition sets to 0."""
    shares, h = [], X
    for layer in net._children.values():
        if isinstance(layer, ResidualBlock):
            residual = layer.bn2(layer.conv2(nd.relu(layer.bn1(layer.conv1(h)))))
            shares.append(((h + residual) < 0).mean().asscalar())
        h = layer(h)
    return shares


X, _ = next(iter(mnist_test))
shares = cut_by_relu(nets["v1"], X.as_in_context(ctx))
print("trained v1 net, a test batch: the ReLU after the addition zeroes "
      + ", ".join(f"{s:.0%}" for s in shares) + " of x + F(x) in blocks 1, 2")
assert all(s > 0.05 for s in shares)

# %% [markdown] id="03-026"
# v1 against v2 on the same data, seed and budget as above (the v1 history is reused).

# %% [markdown] id="03-026" lang="zh-CN" translates="9b6c370dfde2"
# 在与上面相同的数据、随机种子和训练预算下比较 v1 与 v2（v1 的训练历史直接复用）。

# %% id="03-027"
nets["v2"] = resnet_mnist("v2")
histories["v2"] = d2l.train(nets["v2"], mnist_train, mnist_test, mnist_epochs, lr=mnist_lr, seed=0, ctx=ctx,
                            optimizer_params=mnist_opt, lr_schedule=mnist_schedule,
                            title="MNIST residual net, block v2")
plot_histories({b: histories[b] for b in ("v1", "v2")}, "03_v1_vs_v2",
               {b: RECORDED_RUNS[b] for b in ("v1", "v2")})
for b in ("v1", "v2"):
    print(f"{b}: final test accuracy {histories[b]['test_acc'][-1]:.4f}")
assert histories["v2"]["test_acc"][-1] >= 0.95, "the v2 block should reach 95 % on MNIST"


# %% [markdown] id="03-028"
# On a two-block net the difference is small. On full MNIST (`docs/results/03_resnet.md`) we measured
# v1 − v2 test accuracy of +0.39 points after 2 epochs, −0.59 and +0.04 in two 200-batch runs: the
# sign changes from run to run, so **neither block wins here**. The v2 block pays off in *very deep*
# nets (the 1001-layer result), which a 2-block net cannot show.
#
# ## 5. ResNet-18, d2l style
#
# The MXNet post builds ResNet-18 as in "Dive into Deep Learning": the `Residual` block has two 3×3
# convolutions with BN (and ReLU after the first), and when the block changes the shape (more channels,
# stride 2) the shortcut becomes a **1×1 convolution with the same stride** (a projection). The post's
# version:
#
# ```python
# self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
# self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
# if use_1x1conv: self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides)
# ```
#
# We write the block with one flag, `post_style`: `True` is the post (convolutions with bias, a bare
# projection); `False` is GluonCV's `BasicBlockV1`, which we explain below.

# %% [markdown] id="03-028" lang="zh-CN" translates="68b47e256dae"
# 在只有两个块的网络上，两者差别很小。在完整的 MNIST 上（`docs/results/03_resnet.md`），我们测得 v1 − v2 的测试精度之差在 2 个迭代周期后为 +0.39 个百分点，在两次各 200 个批量的运行中分别为 −0.59 和 +0.04：符号随运行而变，所以**在这里两种块不分胜负**。v2 块的优势体现在*非常深*的网络中（1001 层的结果），而只有两个块的网络无法显示这一点。
#
# ## 5. d2l 风格的 ResNet-18
#
# MXNet 那篇原文按《动手学深度学习》的方式构建 ResNet-18：`Residual` 块含有两个带 BN 的 3×3 卷积（第一个之后接 ReLU）；当块改变形状（通道数增加、步幅（stride）为 2）时，快捷连接变成一个**步幅相同的 1×1 卷积**（即投影，projection）。原文的写法：
#
# ```python
# self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
# self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
# if use_1x1conv: self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides)
# ```
#
# 我们用一个标志 `post_style` 来写这个块：`True` 是原文的写法（卷积带偏置，投影之后不接 BN）；`False` 是 GluonCV 的 `BasicBlockV1`，下面会解释。

# %% id="03-029"
class Residual(nn.HybridBlock):
    """(B, C_in, H, W) -> (B, num_channels, H/strides, W/strides)."""

    def __init__(self, num_channels, use_1x1conv=False, strides=1, in_channels=0,
                 post_style=False, **kwargs):
        super().__init__(**kwargs)
        bias = post_style
        self.conv1 = nn.Conv2D(num_channels, 3, padding=1, strides=strides, use_bias=bias,
                               in_channels=in_channels)
        self.conv2 = nn.Conv2D(num_channels, 3, padding=1, use_bias=bias, in_channels=num_channels)
        self.bn1 = nn.BatchNorm(in_channels=num_channels)
        self.bn2 = nn.BatchNorm(in_channels=num_channels)
        self.conv3 = self.bn3 = None
        if use_1x1conv:  # projection shortcut
            self.conv3 = nn.Conv2D(num_channels, 1, strides=strides, use_bias=bias,
                                   in_channels=in_channels)
            if not post_style:
                self.bn3 = nn.BatchNorm(in_channels=num_channels)

    def hybrid_forward(self, F, X):
        Y = F.relu(self.bn1(self.conv1(X)))  # (B, C, H/s, W/s)
        Y = self.bn2(self.conv2(Y))          # (B, C, H/s, W/s)
        if self.conv3 is not None:
            X = self.conv3(X)                # (B, C, H/s, W/s)
            if self.bn3 is not None:
                X = self.bn3(X)
        return F.relu(Y + X)


blk = Residual(6, in_channels=6)
blk.initialize()
print("identity shortcut:        ", blk(nd.zeros((4, 6, 6, 6))).shape)
blk = Residual(6, use_1x1conv=True, strides=2, in_channels=3)
blk.initialize()
print("with projection, stride 2:", blk(nd.zeros((4, 3, 6, 6))).shape)
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-030"
# The network: a 7×7 stride-2 convolution with 64 channels, BN, ReLU and a 3×3 stride-2 max-pool (as in
# GoogLeNet, plus BN), then four stages of two residual blocks with 64, 128, 256 and 512 channels. The
# first stage keeps the size (the max-pool already halved it); every later stage doubles the channels
# and halves height and width in its first block. Global average pooling and one dense layer finish.
# 4 stages × 2 blocks × 2 convs + the first conv + the dense layer = **18 layers**.

# %% [markdown] id="03-030" lang="zh-CN" translates="fda3b48fc208"
# 网络结构：先是一个输出 64 通道、步幅为 2 的 7×7 卷积，接 BN、ReLU 和步幅为 2 的 3×3 最大汇聚层（与 GoogLeNet 相同，只是多了 BN），然后是四个阶段（stage，d2l 称之为“模块”），每个阶段有两个残差块，通道数分别为 64、128、256 和 512。第一个阶段保持尺寸不变（最大汇聚层已经把尺寸减半了）；之后的每个阶段都在其第一个块中把通道数翻倍，并把高和宽减半。最后是全局平均汇聚层（global average pooling）和一个全连接层。4 个阶段 × 2 个块 × 2 个卷积 + 最开始的卷积 + 全连接层 = **18 层**。

# %% id="03-031"
def resnet_block(num_channels, num_residuals, in_channels, first_block=False, post_style=False):
    blk = nn.HybridSequential()
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.add(Residual(num_channels, use_1x1conv=True, strides=2,
                             in_channels=in_channels, post_style=post_style))
        else:
            blk.add(Residual(num_channels, in_channels=in_channels if i == 0 else num_channels,
                             post_style=post_style))
    return blk


def resnet(layers=(2, 2, 2, 2), num_classes=10, in_channels=1, post_style=False):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(64, 7, strides=2, padding=3, use_bias=post_style, in_channels=in_channels),
            nn.BatchNorm(in_channels=64), nn.Activation("relu"),
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    channels = (64, 128, 256, 512)
    for i, (c, n) in enumerate(zip(channels, layers)):
        net.add(resnet_block(c, n, in_channels=channels[max(i - 1, 0)], first_block=i == 0,
                             post_style=post_style))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(num_classes, in_units=512))
    return net


def resnet18(num_classes=10, in_channels=1, post_style=False):
    return resnet((2, 2, 2, 2), num_classes, in_channels, post_style)


# %% [markdown] id="03-032"
# Shape trace for one Fashion-MNIST image at 96×96, d2l's size and full mode's (grouped by top-level
# block): 96 → 48 (stem conv) → 24 (pool) → 24, 12, 6, 3 in the four stages. The figure draws the same
# net's stages from the package's model.

# %% [markdown] id="03-032" lang="zh-CN" translates="b7a7f31e78a9"
# 一张 Fashion-MNIST 图像在 96×96（d2l 使用的尺寸，也是完整模式的尺寸）下的形状变化（按顶层块分组）：96 → 48（起始卷积）→ 24（汇聚层）→ 四个阶段中依次为 24、12、6、3。下图根据课程软件包中的模型画出同一网络的各个阶段。

# %% id="03-033"
net = resnet18()
params, macs = d2l.print_layer_table(net, (1, 1, 96, 96), depth=1)
assert [r["output_shape"] for r in d2l.layer_table(net, (1, 1, 96, 96), depth=1)][4:8] == \
    [(64, 24, 24), (128, 12, 12), (256, 6, 6), (512, 3, 3)]
# NBVAL_CHECK_OUTPUT

# %% id="03-112"
d2l.save_or_show(figures.resnet18_stages(), "03_resnet18_stages")

# %% [markdown] id="03-034"
# ### Parameter for parameter against GluonCV
#
# For ImageNet (3 input channels, 224×224, 1,000 classes) GluonCV's `resnet18_v1` is the reference
# implementation. The post's version does not match it:

# %% [markdown] id="03-034" lang="zh-CN" translates="204cbd6d7615"
# ### 与 GluonCV 逐个参数核对
#
# 对于 ImageNet（3 个输入通道，224×224，1,000 个类别），GluonCV 的 `resnet18_v1` 是参考实现。原文的版本与它并不一致：

# %% id="03-035"
from d2l_utils.models.zoo import gluoncv_model
ref = gluoncv_model("resnet18_v1")  # GluonCV's model zoo, no weights
ref.initialize()
ref_trainable, ref_frozen = d2l.count_parameters(ref, (1, 3, 224, 224))
post_trainable, _ = d2l.count_parameters(resnet18(1000, 3, post_style=True), (1, 3, 224, 224))
ours_trainable, ours_frozen = d2l.count_parameters(resnet18(1000, 3), (1, 3, 224, 224))
conv_biases = 64 + 4 * (64 + 128 + 256 + 512) + (128 + 256 + 512)  # stem, 16 block convs, 3 projections
projection_bn = 2 * (128 + 256 + 512)                              # gamma and beta
print(f"GluonCV resnet18_v1 : {ref_trainable:,} trainable, {ref_frozen:,} running statistics")
print(f"the post's ResNet-18: {post_trainable:,} = GluonCV + {conv_biases:,} conv biases "
      f"- {projection_bn:,} projection BN")
print(f"ours (post_style=False): {ours_trainable:,} trainable, {ours_frozen:,} running statistics")
assert post_trainable == ref_trainable + conv_biases - projection_bn
assert (ours_trainable, ours_frozen) == (ref_trainable, ref_frozen) == (11_689_512, 9_600)
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-036"
# Two differences, both worth knowing:
#
# * **A bias before BatchNorm is useless** (section 2): the post's 4,800 conv biases cannot change the
#   output. GluonCV's `resnet18_v1` and the authors' own released Caffe models
#   (github.com/KaimingHe/deep-residual-networks, `bias_term: false`) have no conv biases; Facebook's
#   Torch re-implementation `fb.resnet.torch` (not the authors' code) removes them, or zeroes them for
#   old cuDNN versions, in its `ConvInit`.
# * **The projection shortcut gets its own BatchNorm** in GluonCV and in the authors' Caffe models
#   (`bn2a_branch1` after `res2a_branch1`), so both branches reach the addition normalised. The paper
#   itself only says "projection shortcuts ... by 1×1 convolutions" (its option B).
#
# With `post_style=False` our ResNet-18 matches GluonCV exactly: 11,689,512 trainable parameters and
# 9,600 running statistics. The MACs for one 224×224 image are the paper's "1.8 × 10⁹ FLOPs" (the
# paper counts multiply-adds):

# %% [markdown] id="03-036" lang="zh-CN" translates="909263b566b3"
# 两处不同，都值得了解：
#
# * **BatchNorm 之前的偏置毫无用处**（第 2 节）：原文中的 4,800 个卷积偏置都无法改变输出。GluonCV 的 `resnet18_v1` 和作者自己发布的 Caffe 模型
#   （github.com/KaimingHe/deep-residual-networks，`bias_term: false`）都没有卷积偏置；Facebook 的 Torch 复现 `fb.resnet.torch`（并非作者的代码）在其 `ConvInit` 中去掉了这些偏置，对旧版 cuDNN 则把它们置零。
# * **投影快捷连接有自己的 BatchNorm**：GluonCV 和作者的 Caffe 模型都是如此（`res2a_branch1` 之后接 `bn2a_branch1`），这样两个分支到达相加处时都已经过规范化。论文本身只说“通过 1×1 卷积实现投影快捷连接”（“projection shortcuts ... by 1×1 convolutions”，即论文中的方案 B）。
#
# 当 `post_style=False` 时，我们的 ResNet-18 与 GluonCV 完全一致：11,689,512 个可训练参数和 9,600 个滑动统计量。一张 224×224 图像的乘加运算（multiply-accumulates，MACs）次数就是论文中的“1.8 × 10⁹ FLOPs”（论文统计的是乘加次数）：

# %% id="03-037"
macs224 = d2l.total_macs(resnet18(1000, 3), (1, 3, 224, 224))
print(f"ResNet-18 at 224x224: {macs224 / 1e9:.3f} GMACs; at 96x96 (Fashion-MNIST): "
      f"{d2l.total_macs(resnet18(), (1, 1, 96, 96)) / 1e9:.3f} GMACs; at 28x28: "
      f"{d2l.total_macs(resnet18(), (1, 1, 28, 28)) / 1e9:.3f} GMACs")
assert abs(macs224 / 1.8e9 - 1) < 0.02
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-038"
# **Tested cell**: the notebook's ResNet-18, in both styles, is the package's.

# %% [markdown] id="03-038" lang="zh-CN" translates="8fa62aed823f"
# **经过测试的单元格**：笔记本中两种风格的 ResNet-18 都与课程软件包中的一致。

# %% id="03-039"
for style in (False, True):
    assert d2l.same_model(resnet18(post_style=style), pkg.resnet18(post_style=style), (2, 1, 96, 96)), style
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="03-040"
# ### Training ResNet-18 on Fashion-MNIST
#
# **Full mode** is the recorded run (`docs/results/03_resnet18_fashion_mnist.log`): d2l's recipe, SGD
# with learning rate 0.05, batch 256, 10 epochs, images resized to 96×96, except that the rate is held
# for 5 epochs and then lowered along a cosine to 0 (`d2l.hold_then_cosine`): with a constant rate the
# test accuracy jumped by 1–2 points from epoch to epoch. ResNet-18 costs 0.32 GMACs per 96×96 image
# forward, about three times that for forward + backward: on a 2-core CPU an epoch of 60,000 images took
# about 6 minutes and the 10 epochs about an hour.
#
# **Quick mode** changes three things, to learn in seconds: the images stay at Fashion-MNIST's own
# **28×28** (the stages then work on 7, 4, 2 and 1 pixels, and a forward costs 0.03 GMACs, 12× less),
# the shipped sample of 2,000 training and 500 test images, and 2 epochs of batch 64 with the cosine
# from the start.

# %% [markdown] id="03-040" lang="zh-CN" translates="42dd7475ec0b"
# ### 在 Fashion-MNIST 上训练 ResNet-18
#
# **完整模式**就是已记录的那次运行（`docs/results/03_resnet18_fashion_mnist.log`）：d2l 的训练方案，SGD，学习率 0.05，批量大小 256，10 个迭代周期，图像缩放到 96×96；唯一的不同是学习率先保持 5 个迭代周期，再沿余弦曲线降到 0（`d2l.hold_then_cosine`）：使用恒定学习率时，测试精度在相邻的迭代周期之间会跳动 1–2 个百分点。ResNet-18 对每张 96×96 图像做一次前向计算需要 0.32 GMACs，前向 + 反向约为其三倍：在 2 核 CPU 上，一个 60,000 张图像的迭代周期约需 6 分钟，10 个迭代周期约需一小时。
#
# **快速模式**改了三处，以便在几秒内就能学到东西：图像保持 Fashion-MNIST 原本的 **28×28**（此时各阶段处理的尺寸为 7、4、2 和 1 像素，一次前向计算只需 0.03 GMACs，少了 12 倍）；使用随课程提供的样本，其中有 2,000 张训练图像和 500 张测试图像；训练 2 个迭代周期，批量大小 64，从一开始就使用余弦调度。

# %% id="03-041"
if quick:
    batch_size, lr, num_epochs, resize = 64, 0.05, 2, None
    schedule = d2l.hold_then_cosine(lr, 0, num_epochs)
else:  # the recorded run: d2l's rate for half the epochs, then a cosine down to 0
    batch_size, lr, num_epochs, resize = 256, 0.05, 10, 96
    schedule = d2l.hold_then_cosine(lr, num_epochs // 2, num_epochs)
train_iter, test_iter = d2l.load_fashion_mnist(batch_size, resize=resize)
net = resnet18()
history = d2l.train(net, train_iter, test_iter, num_epochs, lr=lr, seed=0, ctx=ctx, lr_schedule=schedule,
                    checkpoint_dir=None if quick else "checkpoints/03_resnet18",
                    title=f"ResNet-18 on Fashion-MNIST {resize or 28}x{resize or 28}")
final_acc = history["test_acc"][-1]
print(f"test accuracy {final_acc:.3f} after {num_epochs} epochs "
      f"({history['examples_per_sec'][-1]:,.0f} training images/s in the last epoch)")
assert final_acc >= 0.75 or not quick, f"quick mode should reach 75 %, got {final_acc:.3f}"

# %% id="03-042"
fig, (ax_quick, ax_full) = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
ax_quick.plot(history["epoch"], history["train_acc"], "o-", ms=3, label="train acc")
ax_quick.plot(history["epoch"], history["test_acc"], "s-", ms=3, label=f"test acc {final_acc:.3f}")
ax_quick.set(title=f"this run ({mode} mode, {train_iter.num_examples:,} images, {resize or 28}x{resize or 28})",
             xlabel="epoch", ylabel="accuracy")
ax_quick.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
ax_quick.legend(fontsize=7, loc="lower right"); ax_quick.grid(alpha=0.3)
full = results.plot_recorded_run(ax_full, "03_resnet18_fashion_mnist.log", paper=0.9, paper_label="d2l, about",
                                 label="full mode, recorded: 60,000 images, 96x96")
d2l.save_or_show(fig, "03_resnet18_quick_vs_full")
print(f"recorded full-mode run: test accuracy {full['test_acc'][-1]:.4f} after {full['epoch'][-1]} epochs, "
      f"{results.wall_time(full) / 60:.0f} min on a 2-core CPU (resumed after epoch 5 with the training "
      "loop of that time, whose resume was not exact: see docs/results.md)")
fast = d2l.measure_training_throughput(resnet18, (batch_size, 1, resize or 28, resize or 28), steps=3, warmup=1)
slow = d2l.measure_training_throughput(resnet18, (batch_size, 1, resize or 28, resize or 28), mode="imperative",
                                       steps=3, warmup=1)
verdict = "faster than" if fast > 1.1 * slow else "slower than" if fast < 0.9 * slow else "about as fast as"
print(f"hybridize(static) trains this ResNet-18 at {fast / slow:.2f}x the imperative speed: {verdict} "
      "imperative here (chapter 00 explains why)")

# %% [markdown] id="03-113"
# ## 6. The bottleneck block and ResNet-50
#
# For 50 layers and more the paper replaces the basic block by a **bottleneck** (Fig. 5, right): a 1×1
# convolution *reduces* the channels (256 → 64), a 3×3 convolution works at that width, a second 1×1
# convolution *restores* them (64 → 256), with BN after each, a ReLU after the first two and after the
# addition. The 1×1 convolutions are the trick of chapter 01: the expensive 3×3 sees 4× fewer
# channels, so a bottleneck block on 256 channels costs about what a basic block on 64 does, while the
# shortcut carries 256 channels. Chapter 05 turns this around (MobileNet V2's *inverted* residual: thin
# at the shortcut, wide inside).

# %% [markdown] id="03-113" lang="zh-CN" translates="7c5c9911c4a3"
# ## 6. 瓶颈块与 ResNet-50
#
# 对于 50 层及以上的网络，论文用**瓶颈层**（bottleneck layer）结构的残差块（下称瓶颈块）代替基本块（basic block）（论文图 5 右）：一个 1×1 卷积先*减少*通道数（256 → 64），一个 3×3 卷积在这个宽度上工作，第二个 1×1 卷积再*恢复*通道数（64 → 256）；每个卷积之后都接 BN，前两个卷积之后和相加之后各接一个 ReLU。1×1 卷积正是第 01 章的技巧：昂贵的 3×3 卷积看到的通道数少了 4 倍，因此 256 通道上的一个瓶颈块的开销与 64 通道上的一个基本块大致相当，而快捷连接传递的却是 256 个通道。第 05 章会把它反过来（MobileNet V2 的*倒*残差（inverted residual）：快捷连接处窄，内部宽）。

# %% id="03-114"
d2l.save_or_show(figures.basic_vs_bottleneck(), "03_basic_vs_bottleneck")

# %% [markdown] id="03-115"
# ResNet-50 (paper Table 1) stacks 3, 4, 6 and 3 bottleneck blocks of widths 64, 128, 256, 512 (outputs
# 256 … 2048 channels). In the package it is the same `resnet` builder as ResNet-18, with
# `bottleneck=True`. The stride of a stage's first block sits in its first 1×1 convolution, as in the
# authors' Caffe models and GluonCV's `resnet50_v1` (torchvision and GluonCV's `resnet50_v1b` moved it
# into the 3×3, "ResNet v1.5": same parameters, more MACs).
#
# GluonCV's `resnet50_v1` keeps a bias on each bottleneck's two 1×1 convolutions (each followed by BN:
# useless, section 2); our convolutions have none, like the authors' Caffe models, torchvision and
# GluonCV's `resnet50_v1b`. The counts, computed:

# %% [markdown] id="03-115" lang="zh-CN" translates="66d2431c3ba2"
# ResNet-50（论文表 1）依次堆叠 3、4、6 和 3 个瓶颈块，宽度分别为 64、128、256、512（输出 256 … 2048 个通道）。在课程软件包中，它与 ResNet-18 使用同一个 `resnet` 构建函数，只是 `bottleneck=True`。每个阶段第一个块的步幅放在它的第一个 1×1 卷积上，与作者的 Caffe 模型及 GluonCV 的 `resnet50_v1` 相同（torchvision 和 GluonCV 的 `resnet50_v1b` 把它移到了 3×3 卷积上，即“ResNet v1.5”：参数相同，MACs 更多）。
#
# GluonCV 的 `resnet50_v1` 在每个瓶颈块的两个 1×1 卷积上保留了偏置（每个卷积之后都接 BN，所以这些偏置毫无用处，见第 2 节）；我们的卷积没有偏置，与作者的 Caffe 模型、torchvision 以及 GluonCV 的 `resnet50_v1b` 一样。计算得到的参数量如下：

# %% id="03-116"
ours = d2l.count_parameters(pkg.resnet50(), (1, 3, 224, 224))
ref = gluoncv_model("resnet50_v1"); ref.initialize()
ref_v1 = d2l.count_parameters(ref, (1, 3, 224, 224))
ref = gluoncv_model("resnet50_v1b"); ref.initialize()
ref_v1b = d2l.count_parameters(ref, (1, 3, 224, 224))
biases = sum(n * (w + 4 * w) for n, w in zip((3, 4, 6, 3), (64, 128, 256, 512)))  # per block: 1x1 down + 1x1 up
print(f"ours (bottleneck=True)   : {ours[0]:,} trainable, {ours[1]:,} running statistics")
print(f"GluonCV resnet50_v1b     : {ref_v1b[0]:,} trainable, {ref_v1b[1]:,}")
print(f"GluonCV resnet50_v1      : {ref_v1[0]:,} = ours + {biases:,} biases of the 1x1 convolutions")
macs50 = d2l.total_macs(pkg.resnet50(), (1, 3, 224, 224))
print(f"ResNet-50 at 224x224: {macs50 / 1e9:.2f} GMACs (paper Table 1: 3.8 x 10^9)")
assert ours == ref_v1b == (25_557_032, 53_120) and ref_v1[0] == ours[0] + biases
assert abs(macs50 / 3.8e9 - 1) < 0.02
# NBVAL_CHECK_OUTPUT

# %% id="03-117"
d2l.save_or_show(figures.resnet50_stages(), "03_resnet50_stages")

# %% [markdown] id="03-118"
# ## 7. The degradation experiment, run
#
# He et al.'s Fig. 1 and Fig. 6 train on CIFAR-10 a family of nets with $6n + 2$ weighted layers: a
# 3×3 convolution, three stages of $n$ basic blocks with 16, 32 and 64 channels (the last two halve the
# size), global average pooling and a dense layer; $n = 3$ gives 20 layers, $n = 9$ gives 56. The
# **plain** net is the same stack without the additions; the residual one adds the identity, and where
# a stage changes the shape it subsamples $x$ and fills the new channels with zeros (the paper's option
# A), so plain and residual nets have exactly the same parameters. The package builds both with
# `resnet_cifar(n, residual)` from the same `Residual` block (`shortcut="none"` or `"zeros"`).
#
# Quick mode runs the family at two depths small enough for a laptop, **8 and 20 layers** ($n$ = 1, 3),
# on the Fashion-MNIST sample at 28×28 (maps 28, 14, 7), with the paper's recipe (SGD, momentum 0.9,
# learning rate 0.1, weight decay 10⁻⁴) for 4 short epochs of 10 batches of 64; full mode runs 20 and 56
# layers on full Fashion-MNIST for 3 epochs (not recorded on this course's machine yet).
# What to look for is the *training* loss: the plain net gets worse with depth, the residual one does
# not.

# %% [markdown] id="03-118" lang="zh-CN" translates="9a79e03d8e77"
# ## 7. 实际跑一遍退化实验
#
# He et al. 的图 1 和图 6 在 CIFAR-10 上训练了一族具有 $6n + 2$ 个带权重层的网络：一个 3×3 卷积，三个各含 $n$ 个基本块的阶段，通道数分别为 16、32 和 64（后两个阶段把尺寸减半），最后是全局平均汇聚层和一个全连接层；$n = 3$ 时为 20 层，$n = 9$ 时为 56 层。**普通**网络是去掉相加操作的同一个堆叠；残差网络则加上恒等映射，在阶段改变形状的地方对 $x$ 做下采样，并用零填充新增的通道（论文的方案 A），因此普通网络和残差网络的参数完全相同。课程软件包用同一个 `Residual` 块、通过 `resnet_cifar(n, residual)` 构建这两种网络（`shortcut="none"` 或 `"zeros"`）。
#
# 快速模式在两个小到笔记本电脑也能跑的深度上运行这一族网络：**8 层和 20 层**（$n$ = 1, 3），数据为 28×28 的 Fashion-MNIST 样本（特征图尺寸为 28、14、7），采用论文的训练方案（SGD，动量 0.9，学习率 0.1，权重衰减 10⁻⁴），训练 4 个短迭代周期，每个迭代周期 10 个大小为 64 的批量；完整模式在完整的 Fashion-MNIST 上运行 20 层和 56 层网络，训练 3 个迭代周期（尚未在本课程的机器上记录）。
# 要看的是*训练*损失：普通网络随着深度增加而变差，残差网络则不会。

# %% id="03-119"
depths, degr_epochs, degr_batches = ((1, 3), 4, 10) if quick else ((3, 9), 3, None)
fashion_train, fashion_test = d2l.load_fashion_mnist(64 if quick else 128)
degr_recipe = dict(lr=0.1, optimizer_params={"momentum": 0.9, "wd": 1e-4}, seed=0, ctx=ctx,
                   max_batches=degr_batches, plot=False, verbose=False)
for n in depths:
    plain, res = pkg.resnet_cifar(n, residual=False), pkg.resnet_cifar(n, residual=True)
    assert d2l.count_parameters(plain, (1, 1, 28, 28)) == d2l.count_parameters(res, (1, 1, 28, 28))
degradation, degr_test_acc = {}, {}
for n in depths:
    for residual in (False, True):
        name = f"{'residual' if residual else 'plain'}-{6 * n + 2}"
        net = pkg.resnet_cifar(n, residual)
        # No test pass after every epoch (test_iter=None): the training loss is what this
        # experiment is about; the test accuracy is measured once, at the end.
        degradation[name] = d2l.train(net, fashion_train, None, degr_epochs, **degr_recipe)
        degr_test_acc[name] = d2l.evaluate_accuracy(net, fashion_test, ctx)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for ax, kind in zip(axes, ("plain", "residual")):
    for name, h in degradation.items():
        if name.startswith(kind):
            ax.plot(h["epoch"], h["train_loss"], "o-", label=f"{name}: train loss {h['train_loss'][-1]:.3f}")
    ax.set(title=f"{kind} nets ({mode} mode)", xlabel="epoch" + (" (10 batches)" if quick else ""),
           ylabel="training loss")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(fontsize=8); ax.grid(alpha=0.3)
d2l.save_or_show(fig, "03_plain_vs_residual")
for name, h in degradation.items():
    print(f"{name:<12} train loss {h['train_loss'][-1]:.3f}  train acc {h['train_acc'][-1]:.3f}  "
          f"test acc {degr_test_acc[name]:.3f}")
gap = {kind: degradation[f"{kind}-{6 * depths[1] + 2}"]["train_loss"][-1]
       - degradation[f"{kind}-{6 * depths[0] + 2}"]["train_loss"][-1] for kind in ("plain", "residual")}
print(f"from {6 * depths[0] + 2} to {6 * depths[1] + 2} layers the final training loss changes by "
      f"{gap['plain']:+.3f} (plain) and {gap['residual']:+.3f} (residual)")

# %% [markdown] id="03-120"
# In quick mode each net trains for 40 steps, so read the trend, not the decimals: the line above says
# how much the final training loss grows from the shallow to the deep net in each family. After so few
# steps a deeper net of either kind is still behind; what the shortcut changes is how much depth costs.
# He et al. train for 64,000 steps on CIFAR-10, where the effect is complete (Fig. 6: plain-56 above
# plain-20 in training error throughout, ResNet-56 below ResNet-20); full mode here is the longer run.
#
# ## Results against the papers
#
# The counts are asserted above; the full-mode accuracies are read from the recorded runs
# (`docs/results.md`, `docs/results/03_*.log`).

# %% [markdown] id="03-120" lang="zh-CN" translates="e86e865f2e02"
# 在快速模式下，每个网络只训练 40 步，所以要看趋势，不要看小数：上面那行输出给出了在每一族网络中，最终训练损失从浅网络到深网络增加了多少。只训练这么几步，无论哪一种网络，更深的那个都还落在后面；快捷连接改变的是加深所付出的代价有多大。He et al. 在 CIFAR-10 上训练 64,000 步，此时效应已完全显现（图 6：普通 56 层网络的训练误差自始至终高于普通 20 层网络，而 ResNet-56 低于 ResNet-20）；这里的完整模式就是更长的那次运行。
#
# ## 与论文的结果对照
#
# 参数量已在上文用断言检查；完整模式的精度读自已记录的运行（`docs/results.md`、`docs/results/03_*.log`）。

# %% id="03-127"
log = (results.results_dir() / "03_resnet_mnist_blocks_2epochs.log").read_text()
recorded = {kv["block"]: kv for kv in (dict(t.split("=", 1) for t in line.split()[1:])
                                       for line in log.splitlines() if line.startswith("RESULT "))}
r18 = results.read_history("03_resnet18_fashion_mnist.log")
rows = [("ResNet-18 (ImageNet config) parameters", "GluonCV resnet18_v1: 11,689,512", f"{ours_trainable:,}"),
        ("ResNet-18 MACs at 224x224", "paper: 1.8e9", f"{macs224 / 1e9:.2f}e9"),
        ("ResNet-50 parameters", "GluonCV resnet50_v1b, torchvision: 25,557,032", f"{ours[0]:,}"),
        ("ResNet-50 MACs at 224x224", "paper: 3.8e9", f"{macs50 / 1e9:.2f}e9"),
        ("ResNet-18, Fashion-MNIST 96x96, 10 epochs", "d2l: about 0.9",
         f"{r18['test_acc'][-1]:.3f} ({results.wall_time(r18) / 60:.0f} min, 2 CPU cores)"),
        ("post's block vs v1, full MNIST, 2 epochs", "the post reports no accuracy",
         f"{float(recorded['post']['test_acc']):.3f} vs {float(recorded['v1']['test_acc']):.3f} "
         f"(post with batch statistics {float(recorded['post']['test_acc_with_batch_stats']):.3f})"),
        ("v1 vs v2, full MNIST, 2 epochs", "paper: v2 better on very deep nets",
         f"{float(recorded['v1']['test_acc']):.3f} vs {float(recorded['v2']['test_acc']):.3f} (no winner over 3 runs)"),
        ("shared BN's running mean (this run)", "derived: 0.526 m1 + 0.474 m2 (MXNet order)",
         f"{w:.3f} m1 + {1 - w:.3f} m2")]
for what, ref, got in rows:
    print(f"{what:<43} {ref:<47} {got}")

# %% [markdown] id="03-128"
# ## Exercises
#
# Edit the cell with `raise NotImplementedError` (or `None`), run it, then run the check below it.
# Exercises 3.1–3.3 are computations; 3.4 and 3.5 are experiments: you change a model, train it with the
# chapter's quick recipe and compare with the chapter's run. Their checks look at your network itself,
# recompute its test accuracy and require it to be the last one of the history you pass, so the
# comparison they print is your own run's.
#
# **Exercise 3.1 · Stage sizes.** A convolution or pooling with kernel $k$, stride $s$ and padding $p$
# maps a side of $n$ pixels to $\lfloor (n + 2p - k) / s \rfloor + 1$. Write `stage_shapes(size)`
# returning the output shape `(channels, height, width)` of each of ResNet-18's four stages for a square
# input of side `size` (without running the network). Try `size=224` and `size=28` (odd sizes appear).

# %% [markdown] id="03-128" lang="zh-CN" translates="37d33fcfad75"
# ## 练习
#
# 编辑含有 `raise NotImplementedError`（或 `None`）的单元格，运行它，然后运行它下面的检查单元格。练习 3.1–3.3 是计算题；3.4 和 3.5 是实验：你要修改一个模型，用本章的快速训练方案训练它，并与本章的运行结果比较。它们的检查会查看你的网络本身，重新计算它的测试精度，并要求这个精度是你传入的训练历史中的最后一个值，因此检查打印出的比较结果来自你自己的运行。
#
# **练习 3.1 · 各阶段的尺寸。** 一个核大小为 $k$、步幅为 $s$、填充为 $p$ 的卷积或汇聚操作，把边长为 $n$ 像素的一边映射为 $\lfloor (n + 2p - k) / s \rfloor + 1$。编写 `stage_shapes(size)`：对边长为 `size` 的正方形输入，返回 ResNet-18 四个阶段各自的输出形状 `(channels, height, width)`（不运行网络）。试试 `size=224` 和 `size=28`（会出现奇数尺寸）。

# %% id="03-044"
from d2l_utils.exercises.ch03 import (check_stage_shapes, check_fixed_block, check_resnet34,
                                      check_shared_conv_own_bns, check_deeper_degradation)


def stage_shapes(size):
    raise NotImplementedError("return [(64, h1, w1), (128, h2, w2), (256, ...), (512, ...)]")


# %% id="03-045"
check_stage_shapes(stage_shapes)


# %% [markdown] id="03-046"
# **Exercise 3.2 · Fix the post's block.** Write the PyTorch post's block correctly as a Gluon
# `HybridBlock` taking `channels` (use `in_channels=channels` in every layer so it can be counted before
# a forward pass): two *different* convolutions, two *different* BatchNorms, every parameter used.

# %% [markdown] id="03-046" lang="zh-CN" translates="97ecdd5798d3"
# **练习 3.2 · 修正原文的残差块。** 把 PyTorch 原文的残差块正确地写成一个 Gluon `HybridBlock`，接收参数 `channels`（每一层都使用 `in_channels=channels`，这样在前向计算之前就能统计参数）：两个*不同*的卷积，两个*不同*的 BatchNorm，每个参数都要用到。

# %% id="03-047"
class FixedResidualBlock(nn.HybridBlock):
    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("create conv1, bn1, conv2, bn2")

    def hybrid_forward(self, F, x):
        raise NotImplementedError


# %% id="03-048"
check_fixed_block(FixedResidualBlock)


# %% [markdown] id="03-049"
# **Exercise 3.3 · ResNet-34.** ResNet-34 uses the same basic block with (3, 4, 6, 3) blocks per stage.
# Using the `resnet` builder above, return the number of trainable parameters of its ImageNet
# configuration (3 input channels, 1,000 classes, GluonCV style). Then compare its MACs at 224×224 with
# ResNet-18's using `d2l.total_macs` (the paper: 3.6 × 10⁹ against 1.8 × 10⁹).

# %% [markdown] id="03-049" lang="zh-CN" translates="e30185865f04"
# **练习 3.3 · ResNet-34。** ResNet-34 使用同样的基本块，各阶段分别有 (3, 4, 6, 3) 个块。用上面的 `resnet` 构建函数，返回它在 ImageNet 配置（3 个输入通道，1,000 个类别，GluonCV 风格）下的可训练参数量。然后用 `d2l.total_macs` 比较它与 ResNet-18 在 224×224 下的 MACs（论文：3.6 × 10⁹ 对 1.8 × 10⁹）。

# %% id="03-050"
def resnet34_parameters():
    raise NotImplementedError("build resnet((3, 4, 6, 3), 1000, 3) and count its parameters")


# %% id="03-051"
check_resnet34(resnet34_parameters)


# %% [markdown] id="03-121"
# **Exercise 3.4 · Share the convolution, not the BatchNorm.** Section 3 blamed the shared BatchNorm,
# not the shared convolution. Test it: write `SharedConvBlock(channels)`, the post's block that still
# applies `conv1` twice but gives each call its own BatchNorm (`bn1`, then `bn2`; no `conv2`), build
# `net_34`, the post's MNIST net with it (copy `resnet_mnist`), and train it with section 3's recipe.
# Does it recover? Set `bn_was_the_bug = True` if it beats the post's net by 5 points or more.

# %% [markdown] id="03-121" lang="zh-CN" translates="eaf73cfb1a39"
# **练习 3.4 · 共享卷积，而不共享 BatchNorm。** 第 3 节把问题归咎于共享的 BatchNorm，而不是共享的卷积。来检验一下：编写 `SharedConvBlock(channels)`，即仍然两次调用 `conv1`、但每次调用都有各自的 BatchNorm 的原文残差块（先 `bn1`，再 `bn2`；没有 `conv2`），用它构建 `net_34`，即原文的 MNIST 网络（照着 `resnet_mnist` 写），并用第 3 节的训练方案训练它。它恢复正常了吗？如果它比原文的网络高出 5 个百分点或更多，就设 `bn_was_the_bug = True`。

# %% id="03-122"
class SharedConvBlock(nn.HybridBlock):
    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        raise NotImplementedError("create conv1, bn1 and bn2")

    def hybrid_forward(self, F, x):
        raise NotImplementedError


net_34 = None  # the post's MNIST net built with SharedConvBlock
bn_was_the_bug = None  # after your run: True or False
if net_34 is not None:
    history_34 = d2l.train(net_34, mnist_train, mnist_test, mnist_epochs, lr=mnist_lr, seed=0, ctx=ctx,
                           optimizer_params=mnist_opt, lr_schedule=mnist_schedule,
                           title="conv1 shared, own BatchNorms")

# %% id="03-123"
check_shared_conv_own_bns(None if net_34 is None else dict(
    net=net_34, history=history_34, baseline=histories["post"], test_iter=mnist_test,
    bn_was_the_bug=bn_was_the_bug))

# %% [markdown] id="03-124"
# **Exercise 3.5 · Plain vs residual at 32 layers.** Extend section 7 by one depth: build `plain_32` and
# `residual_32` with `pkg.resnet_cifar` ($6n + 2 = 32$), train both with `degr_recipe` for `degr_epochs`,
# and compare their training losses with the 8- and 20-layer ones of the chapter's figure. Set
# `plain_trains_worse = True` if the plain net ends with the higher training loss.

# %% [markdown] id="03-124" lang="zh-CN" translates="0a26c16a35b1"
# **练习 3.5 · 32 层的普通网络与残差网络。** 把第 7 节再扩展一个深度：用 `pkg.resnet_cifar` 构建 `plain_32` 和 `residual_32`（$6n + 2 = 32$），用 `degr_recipe` 把两者各训练 `degr_epochs` 个迭代周期，并把它们的训练损失与本章图中 8 层和 20 层网络的训练损失比较。如果普通网络最终的训练损失更高，就设 `plain_trains_worse = True`。

# %% id="03-125"
plain_32 = residual_32 = None  # pkg.resnet_cifar(n, residual=...)
plain_trains_worse = None  # after your runs: True or False
if plain_32 is not None:
    runs_35 = {kind: d2l.train(net, fashion_train, fashion_test, degr_epochs, **degr_recipe)
               for kind, net in (("plain", plain_32), ("residual", residual_32))}

# %% id="03-126"
check_deeper_degradation(None if plain_32 is None else dict(
    plain=plain_32, residual=residual_32, plain_history=runs_35["plain"],
    residual_history=runs_35["residual"], test_iter=fashion_test, plain_trains_worse=plain_trains_worse))
