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

# %% [markdown] id="02-001"
# # Chapter 02 · Inception: from a small GoogLeNet on MNIST to Inception v1
#
# Which kernel should a layer use: 1×1, 3×3, 5×5, or a pooling window? The Inception
# module's answer is *all of them*, side by side, with the results stacked along the
# channel axis. The 1×1 convolutions of chapter 01 make this affordable: they shrink the
# number of channels before the expensive 3×3 and 5×5 kernels see them.
#
# This chapter follows two blog posts and the paper behind them:
#
# * the notes of 刘二大人's *PyTorch 深度学习实践* (lecture 11): a **small GoogLeNet for MNIST**
#   built around one Inception module;
# * a "365 天深度学习训练营" J8 walkthrough of **Inception v1**, trained to recognise
#   monkeypox in skin photographs;
# * C. Szegedy et al., *Going deeper with convolutions* (2014, arXiv:1409.4842), whose
#   Table 1 gives every layer of GoogLeNet.
#
# We rebuild both networks in Gluon, measure them, train them, and fix what the posts get
# wrong: a 1×1 convolution shared by three branches, a 3×3 kernel where the paper has a
# 5×5, and a softmax inside a network trained with a loss that applies one itself.

# %% [markdown] id="02-001" lang="zh-CN" translates="7e6020d0ecec"
# # 第 02 章 · Inception：从 MNIST 上的小型 GoogLeNet 到 Inception v1
#
# 一个层应该用哪种卷积核：1×1、3×3、5×5，还是汇聚层（pooling layer，也称池化层）的窗口？Inception 模块（Inception module）的回答是：*全都用*，让它们并排工作，再把结果沿通道（channel）维堆叠起来。第 01 章的 1×1 卷积让这种做法变得负担得起：在代价高昂的 3×3 和 5×5 卷积核处理之前，先把通道数减下来。
#
# 本章依据两篇博文以及它们背后的论文：
#
# * 刘二大人《PyTorch 深度学习实践》（第 11 讲）的学习笔记：围绕一种 Inception 模块搭建的**用于 MNIST 的小型 GoogLeNet**；
# * “365 天深度学习训练营”第 J8 周的 **Inception v1** 实战解析，训练它识别皮肤照片中的猴痘；
# * C. Szegedy 等人的 *Going deeper with convolutions*（2014，arXiv:1409.4842），其表 1 给出了 GoogLeNet 的每一层。
#
# 我们用 Gluon 重建这两个网络，测量它们、训练它们，并修正博文中的错误：一个被三个分支共用的 1×1 卷积；论文中是 5×5、代码里却是 3×3 的卷积核；以及网络内部的一个 softmax，而训练所用的损失函数本身已经会施加一次 softmax。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="02-002"
import d2l_utils as d2l
mode = d2l.chapter_banner("Chapter 02 · Inception / GoogLeNet")

import os
import tempfile

import numpy as np
import mxnet as mx
import matplotlib.pyplot as plt
from mxnet import autograd, gluon, nd
from mxnet.gluon import nn

from d2l_utils import results
from d2l_utils.figures import ch02 as figures

# %% [markdown] id="02-003"
# ## 1 The Inception module of the MNIST post
#
# Four branches read the same input: a 3×3 average pool followed by a 1×1 convolution (24
# channels), a 1×1 convolution (16), a 1×1 (16) then a 5×5 (24), and a 1×1 (16) then two 3×3
# (24 each). Every branch keeps the height and width (stride 1 and "same" padding), so the four
# outputs can be stacked on the channel axis: 24 + 16 + 24 + 24 = 88 channels, whatever `C` comes
# in. The figure is drawn from the package's module itself (`models/googlenet_lite.py`); left the
# post's code as written, right the design of the paper (explained below the class).
#
# > **The post says** `torch.cat(outputs, dim=1)` concatenates "以通道维度拼接(N,C,W,H)".
# > **PyTorch says** tensors of images are **(N, C, H, W)**: `Conv2d` takes input "(N, C_in, H, W)"
# > (PyTorch docs, `torch.nn.Conv2d`), height before width. For `dim=1` (the channels) the slip
# > changes nothing, but it matters as soon as code indexes the last two axes (a non-square
# > crop, `x[..., :h, :w]`). Gluon's default layout is the same NCHW (`layout="NCHW"` in
# > `nn.Conv2D`), and `torch.cat(..., dim=1)` is `F.concat(..., dim=1)`.
#
# We write it as a `HybridBlock`: `hybrid_forward(F, x)` receives `F = mx.nd` when run
# imperatively and `F = mx.sym` after `hybridize()`, so the same code builds a static graph.

# %% [markdown] id="02-003" lang="zh-CN" translates="a09d6fa96a30"
# ## 1 MNIST 博文中的 Inception 模块
#
# 四个分支读取同一个输入：3×3 平均汇聚后接 1×1 卷积（24 个通道）；1×1 卷积（16）；1×1（16）后接 5×5（24）；1×1（16）后接两个 3×3（各 24）。每个分支都保持高和宽不变（步幅 1，“same” 填充），因此四个输出可以在通道维上堆叠：24 + 16 + 24 + 24 = 88 个通道，无论输入的 `C` 是多少。下图直接由软件包中的模块本身（`models/googlenet_lite.py`）绘制；左边是博文原样的代码，右边是论文的设计（在类定义下方解释）。
#
# > **原文说：**“`torch.cat(outputs, dim=1)` 中,dim=1 指的是以通道维度拼接(N,C,W,H)”。
# > **PyTorch 文档说：** 图像张量的形状是 **(N, C, H, W)**：`Conv2d` 的输入为 “(N, C_in, H, W)”（PyTorch 文档，`torch.nn.Conv2d`），高在宽之前。对 `dim=1`（通道）而言，这个笔误不影响结果；但一旦代码要索引最后两个轴（例如非正方形的裁剪 `x[..., :h, :w]`），它就要紧了。Gluon 的默认布局同样是 NCHW（`nn.Conv2D` 中的 `layout="NCHW"`），而 `torch.cat(..., dim=1)` 对应 `F.concat(..., dim=1)`。
#
# 我们把它写成 `HybridBlock`：`hybrid_forward(F, x)` 在命令式执行时收到 `F = mx.nd`，在 `hybridize()` 之后收到 `F = mx.sym`，因此同一份代码就能构建静态图（static graph）。

# %% id="02-101"
d2l.save_or_show(figures.lecture_module(), "02_lecture_module")


# %% id="02-004"
class Inception(nn.HybridBlock):
    """The MNIST post's module: (B, C, H, W) -> (B, 88, H, W)."""

    def __init__(self, shared_1x1=False, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.shared_1x1 = shared_1x1
        act = dict(activation=activation)        # the post: none inside the module
        self.pool = nn.AvgPool2D(pool_size=3, strides=1, padding=1)
        self.pool_proj = nn.Conv2D(24, kernel_size=1, **act)
        self.b1x1 = nn.Conv2D(16, kernel_size=1, **act)
        if not shared_1x1:                       # the paper: one reduction per branch
            self.b5x5_reduce = nn.Conv2D(16, kernel_size=1, **act)
            self.b3x3_reduce = nn.Conv2D(16, kernel_size=1, **act)
        self.b5x5 = nn.Conv2D(24, kernel_size=5, padding=2, **act)
        self.b3x3_1 = nn.Conv2D(24, kernel_size=3, padding=1, **act)
        self.b3x3_2 = nn.Conv2D(24, kernel_size=3, padding=1, **act)

    def hybrid_forward(self, F, x):
        b1 = self.pool_proj(self.pool(x))                               # (B, 24, H, W)
        b2 = self.b1x1(x)                                               # (B, 16, H, W)
        r5 = b2 if self.shared_1x1 else self.b5x5_reduce(x)             # (B, 16, H, W)
        r3 = b2 if self.shared_1x1 else self.b3x3_reduce(x)             # (B, 16, H, W)
        b3 = self.b5x5(r5)                                              # (B, 24, H, W)
        b4 = self.b3x3_2(self.b3x3_1(r3))                               # (B, 24, H, W)
        return F.concat(b1, b2, b3, b4, dim=1)                          # (B, 88, H, W)


# %% [markdown] id="02-005"
# A shape trace: a batch of two 10-channel 12×12 maps, the input of the network's first
# module. Each branch keeps 12×12; only the channel count changes.

# %% [markdown] id="02-005" lang="zh-CN" translates="f047f5ea2aa2"
# 形状追踪：一个批量包含两个 10 通道、12×12 的特征图，也就是网络第一个模块的输入。每个分支都保持 12×12，只有通道数在变。

# %% id="02-006"
# NBVAL_CHECK_OUTPUT
X = nd.random.uniform(shape=(2, 10, 12, 12))
blk = Inception()
blk.initialize(mx.init.Xavier())
print("input                        ", X.shape)
print("branch 1: avg-pool -> 1x1 24 ", blk.pool_proj(blk.pool(X)).shape)
print("branch 2: 1x1 16             ", blk.b1x1(X).shape)
print("branch 3: 1x1 16 -> 5x5 24   ", blk.b5x5(blk.b5x5_reduce(X)).shape)
print("branch 4: 1x1 16 -> 3x3 -> 3x3", blk.b3x3_2(blk.b3x3_1(blk.b3x3_reduce(X))).shape)
print("concatenated                 ", blk(X).shape)
assert blk(X).shape == (2, 88, 12, 12)


# %% [markdown] id="02-007"
# ### One 1×1 convolution for three branches?
#
# The post defines a single `self.conv1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)`,
# commented "三个同样的1×1卷积" (three identical 1×1 convolutions), and calls it in three
# branches:
#
# ```python
# out2 = self.conv1x1(x)
# out3 = self.conv5x5(self.conv1x1(x))
# out4 = self.conv3x3_24(self.conv3x3_16(self.conv1x1(x)))
# ```
#
# Calling one layer three times uses **one set of weights**, so the three results are the
# same tensor (computed three times). Branch 2's output *is* the input of branches 3 and 4:
#
# * **fewer parameters**: two 1×1 convolutions C→16 disappear, 2 × (16·C + 16) parameters;
# * **less diversity**: in the paper each 1×1 learns its own projection: one keeps what is
#   useful as a feature by itself (branch 2), the others compress what the 5×5 or the 3×3
#   branch needs. Shared, a single 16-channel summary must serve all three purposes, and
#   the gradients of three branches pull on the same weights.
#
# The paper gives every branch its own reduction; `Inception(shared_1x1=True)` reproduces
# the post. The proof that sharing feeds branch 2 into branch 3: take channels 24–39 of the
# module's output (branch 2), run them through the 5×5 convolution, and compare with
# channels 40–63 (branch 3).

# %% [markdown] id="02-007" lang="zh-CN" translates="addc4095bf02"
# ### 三个分支共用一个 1×1 卷积？
#
# 博文只定义了一个 `self.conv1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)`，注释写着“三个同样的1×1卷积”，并在三个分支中调用它：
#
# ```python
# out2 = self.conv1x1(x)
# out3 = self.conv5x5(self.conv1x1(x))
# out4 = self.conv3x3_24(self.conv3x3_16(self.conv1x1(x)))
# ```
#
# 把同一个层调用三次，用的是**同一组权重**（即权重共享，weight sharing），所以三个结果是同一个张量（只是计算了三次）。分支 2 的输出*就是*分支 3 和分支 4 的输入：
#
# * **参数更少**：两个 C→16 的 1×1 卷积没有了，即少了 2 × (16·C + 16) 个参数；
# * **多样性更少**：在论文中，每个 1×1 卷积学习各自的投影：一个保留本身就可用作特征的信息（分支 2），其余的为 5×5 或 3×3 分支压缩出它们所需的信息。共用之后，一份 16 通道的摘要必须同时满足这三种用途，三个分支的梯度也都在拉扯同一组权重。
#
# 论文为每个分支都配了各自的降维层；`Inception(shared_1x1=True)` 复现博文的做法。共用确实把分支 2 送进了分支 3，证明如下：取模块输出的第 24–39 个通道（分支 2），让它们经过 5×5 卷积，再与第 40–63 个通道（分支 3）比较。

# %% id="02-008"
# NBVAL_CHECK_OUTPUT
def n_params(net):
    return sum(p.data().size for p in net.collect_params().values())

for shared in (False, True):
    blk = Inception(shared_1x1=shared)
    blk.initialize(mx.init.Xavier())
    out = blk(X)
    same = np.allclose(blk.b5x5(out[:, 24:40]).asnumpy(), out[:, 40:64].asnumpy(), atol=1e-5)
    print(f"shared_1x1={shared!s:5}: {n_params(blk):,} parameters for C=10; "
          f"5x5 branch == 5x5(branch 2 output)? {same}")

    assert n_params(blk) == (18_752 if shared else 19_104) and same == shared
print(f"sharing saves 2 x (16*C + 16) = {2 * (16 * 10 + 16)} parameters per module at C=10")

# %% [markdown] id="02-009"
# ## 2 The small GoogLeNet around it
#
# conv 5×5 → 10, max-pool, ReLU, Inception, conv 5×5 → 20, max-pool, ReLU, Inception,
# and one dense layer from 88 × 4 × 4 = 1408 features to the 10 classes. Note that the
# post's module has **no activation inside**: a 1×1 convolution followed by a 5×5 with
# nothing in between is one linear 5×5 map of rank at most 16. The paper puts a ReLU after
# every convolution; `Inception(activation="relu")` (and the package's
# `googlenet_lite(activation="relu")`) does that, and the default keeps the post's choice.
# Exercise 2.5 trains both.

# %% [markdown] id="02-009" lang="zh-CN" translates="e955111f9e4a"
# ## 2 围绕它搭建的小型 GoogLeNet
#
# 5×5 卷积 → 10，最大汇聚，ReLU，Inception，5×5 卷积 → 20，最大汇聚，ReLU，Inception，最后一个全连接层把 88 × 4 × 4 = 1408 个特征映射到 10 个类别。注意博文的模块**内部没有激活函数**：1×1 卷积后面直接接 5×5 卷积、中间什么都没有，合起来只是一个秩至多为 16 的线性 5×5 映射。论文在每个卷积之后都放了 ReLU；`Inception(activation="relu")`（以及软件包的 `googlenet_lite(activation="relu")`）就是这样做的，默认值则保留博文的选择。练习 2.5 会把两种都训练一遍。

# %% id="02-102"
d2l.save_or_show(figures.googlenet_lite_network(), "02_googlenet_lite")


# %% id="02-010"
# NBVAL_CHECK_OUTPUT
def googlenet_lite_nb(shared_1x1=False, activation=None):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(10, kernel_size=5),        # (B, 10, 24, 24)
            nn.MaxPool2D(pool_size=2),           # (B, 10, 12, 12)
            nn.Activation("relu"),
            Inception(shared_1x1, activation),   # (B, 88, 12, 12)
            nn.Conv2D(20, kernel_size=5),        # (B, 20, 8, 8)
            nn.MaxPool2D(pool_size=2),           # (B, 20, 4, 4)
            nn.Activation("relu"),
            Inception(shared_1x1, activation),   # (B, 88, 4, 4)
            nn.Dense(10))                        # (B, 1408) -> (B, 10)
    return net

net = googlenet_lite_nb()
params, macs = d2l.print_layer_table(net, (1, 1, 28, 28))
post_params, _ = d2l.count_parameters(googlenet_lite_nb(shared_1x1=True), (1, 1, 28, 28))
print(f"\nparameters: {params:,} (separate 1x1s), {post_params:,} (the post's shared 1x1)")
assert params == 97_298 and post_params == 96_274 and params - post_params == 2 * (16 * 10 + 16) + 2 * (16 * 20 + 16)

# %% [markdown] id="02-011"
# By hand: conv1 1·10·25 + 10 = 260; a module with C inputs has 24C + 24 (pool branch)
# + 3 × (16C + 16) (three 1×1) + 9,624 (5×5) + 3,480 + 5,208 (two 3×3) = 72C + 18,384,
# i.e. 19,104 at C = 10 and 19,824 at C = 20; conv2 88·20·25 + 20 = 44,020; dense
# 1408·10 + 10 = 14,090. Total 97,298; the shared version has 2 × (16C + 16) fewer per
# module: 96,274, the count of the post's PyTorch model.
#
# The package's `d2l_utils.models.googlenet_lite` is the same network: `d2l.same_model` loads the
# notebook net's weights into it by structural name (a layer more, fewer or of another shape fails)
# and compares the outputs.

# %% [markdown] id="02-011" lang="zh-CN" translates="4c5dafea8e91"
# 手算一遍：conv1 为 1·10·25 + 10 = 260；一个有 C 个输入通道的模块有 24C + 24（汇聚分支）+ 3 × (16C + 16)（三个 1×1）+ 9,624（5×5）+ 3,480 + 5,208（两个 3×3）= 72C + 18,384 个参数，即 C = 10 时为 19,104，C = 20 时为 19,824；conv2 为 88·20·25 + 20 = 44,020；全连接层为 1408·10 + 10 = 14,090。总计 97,298；共用版本每个模块少 2 × (16C + 16) 个：96,274，正是博文 PyTorch 模型的参数量（number of parameters）。
#
# 软件包中的 `d2l_utils.models.googlenet_lite` 是同一个网络：`d2l.same_model` 按结构名把 notebook 中网络的权重加载进去（多一层、少一层或形状不同都会报错），再比较两者的输出。

# %% id="02-012"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.googlenet_lite import googlenet_lite

for shared, act in [(False, None), (True, None), (False, "relu")]:
    assert d2l.same_model(googlenet_lite_nb(shared, act), googlenet_lite(shared_1x1=shared, activation=act), (4, 1, 28, 28))
print("notebook googlenet_lite_nb == package googlenet_lite (separate / shared 1x1, with ReLU inside)")

# %% [markdown] id="02-013"
# ## 3 What the 1×1 bottleneck saves, and where it does not
#
# The paper starts from a **naive** module (its Fig. 2a): 1×1, 3×3 and 5×5 convolutions and a
# 3×3 max-pool side by side on the same input. Two things make it expensive: the 3×3 and 5×5
# kernels see all input channels, and the pool branch passes every input channel through, so
# the output (filters + input channels) only grows from module to module. The module the paper
# uses (Fig. 2b) puts a 1×1 convolution ("reduction") before the 3×3 and 5×5 and after the pool.
# Below, both with module 3a's widths from Table 1, drawn from the blocks the package builds
# (`naive_inception("3a")` and `Inception(*TABLE1["3a"])` in `models/inception_v1.py`):

# %% [markdown] id="02-013" lang="zh-CN" translates="38102e5a204d"
# ## 3 1×1 瓶颈层省下了什么，又在哪里省不下
#
# 论文从一个**朴素模块**（naive module）出发（其图 2a）：1×1、3×3、5×5 卷积和 3×3 最大汇聚在同一个输入上并排。它代价高有两个原因：3×3 和 5×5 卷积核要处理全部输入通道；汇聚分支把每个输入通道都原样传下去，于是输出通道数（滤波器数 + 输入通道数）逐个模块只增不减。论文实际采用的模块（图 2b）在 3×3 和 5×5 之前、以及汇聚之后各放一个 1×1 卷积（“降维”，reduction），即瓶颈层（bottleneck layer）。下面两者都采用表 1 中模块 3a 的宽度，由软件包构建的块绘制（`models/inception_v1.py` 中的 `naive_inception("3a")` 和 `Inception(*TABLE1["3a"])`）：

# %% id="02-103"
d2l.save_or_show(figures.naive_vs_reduced(), "02_naive_vs_reduced")

# %% [markdown] id="02-104"
# Their cost, counted by `d2l.print_layer_table` (MACs from each layer's own configuration), and
# what happens when the naive design is stacked: 3b then sees 3a's 416 channels instead of 256.

# %% [markdown] id="02-104" lang="zh-CN" translates="d93baf8fc6aa"
# 它们的代价由 `d2l.print_layer_table` 统计（乘加运算（multiply-accumulates，MACs）由每层自身的配置算出），以及把朴素设计堆叠起来时会发生什么：3b 看到的将是 3a 的 416 个通道，而不是 256 个。

# %% id="02-105"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.inception_v1 import TABLE1, naive_inception, NaiveInception, Inception as PaperInception

print("(a) naive 3a on 192x28x28")
naive_params, naive_macs = d2l.print_layer_table(naive_inception("3a"), (1, 192, 28, 28))
print("\n(b) 3a with 1x1 reductions on 192x28x28")
reduced_params, reduced_macs = d2l.print_layer_table(PaperInception(*TABLE1["3a"]), (1, 192, 28, 28))
naive_out = 192 + sum(TABLE1["3a"][i] for i in (0, 2, 4))          # the pool branch keeps all 192
c1, _, c3, _, c5, _ = TABLE1["3b"]
naive_3b = d2l.total_macs(NaiveInception(c1, c3, c5), (1, naive_out, 28, 28))
reduced_3b = d2l.total_macs(PaperInception(*TABLE1["3b"]), (1, 256, 28, 28))
print(f"\n3a: naive {naive_macs / 1e6:,.1f}M MACs vs {reduced_macs / 1e6:,.1f}M ({naive_macs / reduced_macs:.1f}x); "
      f"{naive_params:,} vs {reduced_params:,} parameters")
print(f"3b on top: naive {naive_3b / 1e6:,.1f}M MACs on {naive_out} channels vs {reduced_3b / 1e6:,.1f}M on 256 "
      f"({naive_3b / reduced_3b:.1f}x), and naive 3b outputs {naive_out + c1 + c3 + c5} channels")
assert naive_macs == 303_464_448 and reduced_macs == 128_049_152


# %% [markdown] id="02-106"
# The naive 3a costs 2.4× the reduced one, and the gap widens with every module stacked on it,
# because the channels keep piling up; this is the paper's argument for the reductions (Section 4:
# "even a modest number of 5×5 convolutions can be prohibitively expensive on top of a
# convolutional layer with a large number of filters"). In the MNIST post the same 1×1 trick does
# not save anything: there the "reduction" goes from 10 channels **up** to 16 (first module) and
# from 20 to 16 (second). With `d2l.conv_macs(in, out, kernel, out_size)`, the 5×5 branch alone:

# %% [markdown] id="02-106" lang="zh-CN" translates="3198b6bee18e"
# 朴素的 3a 的代价是降维版本的 2.4 倍，而且每多堆叠一个模块，差距就更大，因为通道数不断累积；这正是论文采用降维的理由（第 4 节：“even a modest number of 5×5 convolutions can be prohibitively expensive on top of a convolutional layer with a large number of filters”，即在滤波器很多的卷积层之上，哪怕数量不多的 5×5 卷积也可能贵得无法承受）。而在 MNIST 博文中，同样的 1×1 技巧什么也省不下：那里的“降维”是从 10 个通道**升**到 16 个（第一个模块），以及从 20 降到 16（第二个模块）。用 `d2l.conv_macs(in, out, kernel, out_size)` 单独计算 5×5 分支：

# %% id="02-014"
# NBVAL_CHECK_OUTPUT
def five_by_five_macs(c_in, reduce, c_out, size):
    direct = d2l.conv_macs(c_in, c_out, 5, (size, size))
    bottleneck = d2l.conv_macs(c_in, reduce, 1, (size, size)) + d2l.conv_macs(reduce, c_out, 5, (size, size))
    return direct, bottleneck

for name, args in [("Inception 3a (paper)", (192, 16, 32, 28)),
                   ("MNIST module 1", (10, 16, 24, 12)),
                   ("MNIST module 2", (20, 16, 24, 4))]:
    direct, bottleneck = five_by_five_macs(*args)
    print(f"{name:<21} direct {direct:>12,}  with 1x1 {bottleneck:>11,}  ratio {direct / bottleneck:5.2f}")
assert five_by_five_macs(192, 16, 32, 28) == (120_422_400, 12_443_648)

# %% [markdown] id="02-015"
# ## 4 Training the small GoogLeNet on MNIST
#
# The series' training loop (shown in its previous post, not in this one) uses SGD with lr 0.01
# and momentum 0.5 for about 10 epochs; the result is about 99 % test accuracy. We use a faster
# recipe: **Adam with a cosine decay of the learning rate to 10⁻⁵**.
#
# * **full mode** (the run recorded in `docs/results/02_inception.md`): all 60,000 images, batch
#   128, peak learning rate 2·10⁻³, 3 epochs (1,404 steps); 99.0 % is required;
# * **quick mode** (what changes): the shipped sample of 2,944 training and 1,000 test images,
#   **batch 32 and peak 3·10⁻³** so that 3 epochs still make 276 steps; it must reach 95 %.

# %% [markdown] id="02-015" lang="zh-CN" translates="a4e5b8e48943"
# ## 4 在 MNIST 上训练小型 GoogLeNet
#
# 该系列的训练循环（在它的上一篇博文中给出，本篇没有）使用 SGD，学习率（learning rate）0.01、动量（momentum）0.5，训练约 10 个迭代周期（epoch），测试精度约 99 %。我们用一个更快的方案：**Adam，学习率按余弦衰减到 10⁻⁵**。
#
# * **完整模式**（记录在 `docs/results/02_inception.md` 中的那次运行）：全部 60,000 张图像，小批量（minibatch）大小 128，峰值学习率 2·10⁻³，3 个迭代周期（1,404 步）；要求达到 99.0 %；
# * **快速模式**（与完整模式的不同之处）：随课程提供的样本，即 2,944 张训练图像和 1,000 张测试图像，**批量大小 32，峰值学习率 3·10⁻³**，这样 3 个迭代周期仍有 276 步；必须达到 95 %。

# %% id="02-016"
if mode == "quick":
    batch_size, lr, num_epochs = 32, 3e-3, 3
else:
    batch_size, lr, num_epochs = 128, 2e-3, 3
train_iter, test_iter = d2l.load_mnist(batch_size)


def train_lite(net, title="googlenet_lite on MNIST"):
    """The chapter's recipe for the small GoogLeNet (also for exercises 2.4 and 2.5)."""
    steps = num_epochs * len(train_iter)
    sched = mx.lr_scheduler.CosineScheduler(max_update=steps, base_lr=lr, final_lr=1e-5)
    return d2l.train(net, train_iter, test_iter, num_epochs, lr=lr, optimizer="adam",
                     optimizer_params={"lr_scheduler": sched}, seed=0, title=title)


history_lite = train_lite(googlenet_lite())
acc_lite = history_lite["test_acc"][-1]
print(f"test accuracy {acc_lite:.4f} on {test_iter.num_examples:,} test images, "
      f"{np.mean(history_lite['examples_per_sec']):.0f} training images/s")
assert acc_lite >= (0.99 if mode == "full" else 0.95), acc_lite


# %% [markdown] id="02-017"
# Left, this run; right, the recorded full-mode run, read from its log
# (`docs/results/02_inception_googlenet_lite.log`, the full-mode recipe above, on a 2-core CPU), with
# the post's "about 99 %" (its figure, not a paper's: the GoogLeNet paper has no MNIST result).

# %% [markdown] id="02-017" lang="zh-CN" translates="78da5b30ce15"
# 左图是本次运行；右图是记录下来的完整模式运行，数据读自它的日志（`docs/results/02_inception_googlenet_lite.log`，采用上面的完整模式方案，在 2 核 CPU 上运行），并标出博文的“约 99 %”（这是博文的数字，不是论文的：GoogLeNet 论文没有 MNIST 结果）。

# %% id="02-018"
def quick_vs_full(history, log, reference, reference_label, what, **kwargs):
    """This run (left) next to the recorded full-mode run with its reference number (right)."""
    fig, (ax_quick, ax_full) = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
    ax_quick.plot(history["epoch"], history["train_acc"], "o-", ms=3, label="train acc")
    ax_quick.plot(history["epoch"], history["test_acc"], "s-", ms=3, label=f"{what} {history['test_acc'][-1]:.3f}")
    ax_quick.set(title=f"this run ({mode} mode)", xlabel="epoch", ylabel="accuracy")
    ax_quick.set_xticks(history["epoch"])
    ax_quick.legend(fontsize=7, loc="lower right")
    ax_quick.grid(alpha=0.3)
    full = results.plot_recorded_run(ax_full, log, paper=reference, paper_label=reference_label, **kwargs)
    return fig, full


fig, full_lite = quick_vs_full(history_lite, "02_inception_googlenet_lite.log", 0.99, "the post, about",
                               "test acc", label="full mode, recorded: 60,000 images, batch 128")
d2l.save_or_show(fig, "02_googlenet_lite_quick_vs_full")
print(f"recorded full-mode run: test accuracy {full_lite['test_acc'][-1]:.4f} after {full_lite['epoch'][-1]} "
      f"epochs, {results.wall_time(full_lite) / 60:.0f} min on a 2-core CPU")

fast = d2l.measure_training_throughput(googlenet_lite, (64, 1, 28, 28), mode="hybridize(static)", steps=10)
slow = d2l.measure_training_throughput(googlenet_lite, (64, 1, 28, 28), mode="imperative", steps=10)
verdict = "faster than" if fast > 1.1 * slow else "slower than" if fast < 0.9 * slow else "about as fast as"
print(f"hybridize(static) trains this network at {fast / slow:.2f}x the imperative speed: {verdict} "
      "imperative here (chapter 00 explains why)")

# %% [markdown] id="02-019"
# ## 5 Inception v1, as in the paper
#
# **Context: going deeper.** The post's "Go deeper" timeline, with the numbers of the papers
# (ILSVRC classification, top-5 error on the test set; weight layers counted as the papers do):
#
# | year | network | weight layers | parameters | top-5 error |
# |---|---|---|---|---|
# | 2012 | AlexNet (Krizhevsky et al.) | 8 | 60M | 15.3 % (winner) |
# | 2014 | VGG-16 / VGG-19 (Simonyan & Zisserman, Tables 2, 7) | 16 / 19 | 138M / 144M | 7.3 % (2nd, 7 nets); 7.0 % one net, after the challenge |
# | 2014 | GoogLeNet (Szegedy et al., Table 3) | 22 | 6.8M (Table 1) | 6.67 % (winner, 7 nets, 144 crops); 7.89 % one net, 144 crops |
# | 2015 | ResNet-152 (He et al., Tables 4–5) | 152 | ≈ 60M (torchvision's count; the paper gives 11.3 G FLOPs) | 3.57 % (winner, ensemble); 4.49 % one net (validation) |
#
# So the post's claim that VGG "performs about as well with far more parameters" holds: 138M
# against 6.8M, a factor of 20, for top-5 errors within a point of each other; VGG's cost is
# mostly in its three dense layers (VGG-16: 102.8M of its parameters sit in the first one,
# 7·7·512 → 4096), which GoogLeNet replaces by global average pooling.
#
# The same numbers as a figure (`figures.GOING_DEEPER`, with the sources):

# %% [markdown] id="02-019" lang="zh-CN" translates="79d5973921ec"
# ## 5 论文中的 Inception v1
#
# **背景：走向更深。** 博文 “Go Deeper” 一节所讲的发展脉络，配上各篇论文中的数字（ILSVRC 分类任务，测试集上的 top-5 错误率；权重层数按各论文自己的算法计）：
#
# | 年份 | 网络 | 权重层数 | 参数量 | top-5 错误率 |
# |---|---|---|---|---|
# | 2012 | AlexNet（Krizhevsky 等） | 8 | 60M | 15.3 %（冠军） |
# | 2014 | VGG-16 / VGG-19（Simonyan & Zisserman，表 2、表 7） | 16 / 19 | 138M / 144M | 7.3 %（第 2 名，7 个网络）；7.0 %：单个网络，赛后结果 |
# | 2014 | GoogLeNet（Szegedy 等，表 3） | 22 | 6.8M（表 1） | 6.67 %（冠军，7 个网络，144 个裁剪）；7.89 %：单个网络，144 个裁剪 |
# | 2015 | ResNet-152（He 等，表 4–5） | 152 | ≈ 60M（torchvision 的统计；论文给出的是 11.3 G FLOPs） | 3.57 %（冠军，集成）；4.49 %：单个网络（验证集） |
#
# 可见博文中“同一时期的VGGNet性能和Inception V1差不多,但是参数量也是远大于Inception V1”的说法成立：138M 对 6.8M，相差 20 倍，而 top-5 错误率相差不到一个百分点；VGG 的代价主要在它的三个全连接层（VGG-16 的参数中有 102.8M 位于第一个全连接层，7·7·512 → 4096），GoogLeNet 则用全局平均汇聚层（global average pooling）取代了它们。
#
# 同样的数字画成图（`figures.GOING_DEEPER`，附数据来源）：

# %% id="02-115"
d2l.save_or_show(figures.going_deeper(), "02_going_deeper")


# %% [markdown] id="02-116"
# The paper's module has four branches, each convolution followed by a ReLU:
# 1×1 | 1×1 reduce → 3×3 | 1×1 reduce → **5×5** | 3×3 max-pool → 1×1 "pool proj".
# Table 1 of the paper gives the six channel numbers of the nine modules:
#
# | module | 1×1 | 3×3 reduce | 3×3 | 5×5 reduce | 5×5 | pool proj | out |
# |---|---|---|---|---|---|---|---|
# | 3a | 64 | 96 | 128 | 16 | 32 | 32 | 256 |
# | 3b | 128 | 128 | 192 | 32 | 96 | 64 | 480 |
# | 4a | 192 | 96 | 208 | 16 | 48 | 64 | 512 |
# | 4b | 160 | 112 | 224 | 24 | 64 | 64 | 512 |
# | 4c | 128 | 128 | 256 | 24 | 64 | 64 | 512 |
# | 4d | 112 | 144 | 288 | 32 | 64 | 64 | 528 |
# | 4e | 256 | 160 | 320 | 32 | 128 | 128 | 832 |
# | 5a | 256 | 160 | 320 | 32 | 128 | 128 | 832 |
# | 5b | 384 | 192 | 384 | 48 | 128 | 128 | 1024 |
#
# Around them, for 224×224 input: a 7×7/2 convolution (64), 3×3/2 max-pool, 1×1 (64) and
# 3×3 (192) convolutions, max-pool, 3a–3b, max-pool, 4a–4e, max-pool, 5a–5b, a 7×7
# average pool (we use a global one, identical at 224×224 and valid at any size),
# dropout 0.4 and one linear layer. The network returns **logits**; the loss applies the
# softmax (section 7 explains why that matters). We leave out the paper's local response
# normalisation, as most re-implementations do.
#
# Differences in the J8 post's PyTorch code, to keep in mind: its "5×5" branch uses a 3×3
# kernel (copied from torchvision, whose code calls it "a known bug", pytorch/vision issue
# #906, kept because its pretrained weights were trained that way; GluonCV has it too), its pools are 2×2 instead of 3×3/2, its 1×1 convolution after the first pool has
# `padding=1` (it grows the map from 56 to 58 for nothing), it adds a 1024→1024 dense layer
# and a softmax, and it uses batch normalisation (a 2015 idea, not in this paper).

# %% [markdown] id="02-116" lang="zh-CN" translates="fd1061b41fd3"
# 论文的模块有四个分支，每个卷积之后都接 ReLU：
# 1×1 | 1×1 降维 → 3×3 | 1×1 降维 → **5×5** | 3×3 最大汇聚 → 1×1 “pool proj”（汇聚投影）。
# 论文的表 1 给出了九个模块各自的六个通道数：
#
# | 模块 | 1×1 | 3×3 降维 | 3×3 | 5×5 降维 | 5×5 | 汇聚投影 | 输出 |
# |---|---|---|---|---|---|---|---|
# | 3a | 64 | 96 | 128 | 16 | 32 | 32 | 256 |
# | 3b | 128 | 128 | 192 | 32 | 96 | 64 | 480 |
# | 4a | 192 | 96 | 208 | 16 | 48 | 64 | 512 |
# | 4b | 160 | 112 | 224 | 24 | 64 | 64 | 512 |
# | 4c | 128 | 128 | 256 | 24 | 64 | 64 | 512 |
# | 4d | 112 | 144 | 288 | 32 | 64 | 64 | 528 |
# | 4e | 256 | 160 | 320 | 32 | 128 | 128 | 832 |
# | 5a | 256 | 160 | 320 | 32 | 128 | 128 | 832 |
# | 5b | 384 | 192 | 384 | 48 | 128 | 128 | 1024 |
#
# 对 224×224 的输入，这些模块前后依次是：7×7/2 卷积（64），3×3/2 最大汇聚，1×1（64）和 3×3（192）卷积，最大汇聚，3a–3b，最大汇聚，4a–4e，最大汇聚，5a–5b，7×7 平均汇聚（我们用全局平均汇聚，在 224×224 下两者完全相同，而且对任意尺寸都有效），暂退法（dropout）0.4，以及一个线性层。网络返回 **logits**（未经 softmax 的输出）；softmax 由损失函数施加（第 7 节解释为什么这一点很重要）。和大多数复现一样，我们省略了论文中的局部响应归一化（local response normalization，LRN）。
#
# J8 博文的 PyTorch 代码有以下不同之处，需要留意：它的“5×5”分支用的是 3×3 卷积核（抄自 torchvision，其代码称之为 “a known bug”（一个已知的 bug），见 pytorch/vision issue #906，之所以保留是因为其预训练权重就是这样训练出来的；GluonCV 也有同样的问题）；它的汇聚层是 2×2，而不是 3×3/2；第一个汇聚层之后的 1×1 卷积带有 `padding=1`（白白把特征图从 56 扩大到 58）；它多加了一个 1024→1024 的全连接层和一个 softmax；它还用了批量规范化（batch normalization，2015 年才提出的想法，不在这篇论文中）。

# %% id="02-020"
class InceptionBlock(nn.HybridBlock):
    """The paper's module: (B, C, H, W) -> (B, c1 + c3 + c5 + pool_proj, H, W)."""

    def __init__(self, c1, c3r, c3, c5r, c5, pool_proj, **kwargs):
        super().__init__(**kwargs)
        self.b1 = nn.Conv2D(c1, 1, activation="relu")
        self.b2 = nn.HybridSequential()
        self.b2.add(nn.Conv2D(c3r, 1, activation="relu"), nn.Conv2D(c3, 3, padding=1, activation="relu"))
        self.b3 = nn.HybridSequential()
        self.b3.add(nn.Conv2D(c5r, 1, activation="relu"), nn.Conv2D(c5, 5, padding=2, activation="relu"))
        self.b4 = nn.HybridSequential()
        self.b4.add(nn.MaxPool2D(3, strides=1, padding=1), nn.Conv2D(pool_proj, 1, activation="relu"))

    def hybrid_forward(self, F, x):
        return F.concat(self.b1(x), self.b2(x), self.b3(x), self.b4(x), dim=1)


TABLE1 = {"3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
          "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64),
          "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
          "4e": (256, 160, 320, 32, 128, 128), "5a": (256, 160, 320, 32, 128, 128),
          "5b": (384, 192, 384, 48, 128, 128)}


def aux_head(num_classes):
    head = nn.HybridSequential()
    head.add(nn.AvgPool2D(5, strides=3), nn.Conv2D(128, 1, activation="relu"),
             nn.Dense(1024, activation="relu"), nn.Dropout(0.7), nn.Dense(num_classes))
    return head


class InceptionV1(nn.HybridBlock):
    def __init__(self, num_classes=1000, aux_logits=False, **kwargs):
        super().__init__(**kwargs)
        self.aux_logits = aux_logits
        pool = lambda: nn.MaxPool2D(3, strides=2, ceil_mode=True)
        self.stage1 = nn.HybridSequential()      # stem .. 4a (aux 1 reads its output)
        self.stage1.add(nn.Conv2D(64, 7, strides=2, padding=3, activation="relu"), pool(),
                        nn.Conv2D(64, 1, activation="relu"),
                        nn.Conv2D(192, 3, padding=1, activation="relu"), pool(),
                        InceptionBlock(*TABLE1["3a"]), InceptionBlock(*TABLE1["3b"]), pool(),
                        InceptionBlock(*TABLE1["4a"]))
        self.stage2 = nn.HybridSequential()      # 4b .. 4d (aux 2 reads its output)
        self.stage2.add(*[InceptionBlock(*TABLE1[k]) for k in ("4b", "4c", "4d")])
        self.stage3 = nn.HybridSequential()
        self.stage3.add(InceptionBlock(*TABLE1["4e"]), pool(), InceptionBlock(*TABLE1["5a"]),
                        InceptionBlock(*TABLE1["5b"]), nn.GlobalAvgPool2D(), nn.Flatten(),
                        nn.Dropout(0.4))
        self.output = nn.Dense(num_classes)
        if aux_logits:
            self.aux1, self.aux2 = aux_head(num_classes), aux_head(num_classes)

    def hybrid_forward(self, F, x):
        a = self.stage1(x)
        b = self.stage2(a)
        main = self.output(self.stage3(b))
        return (main, self.aux1(a), self.aux2(b)) if self.aux_logits else main


# %% [markdown] id="02-021"
# The whole network with its two auxiliary classifiers (section 6), drawn from the package's
# `inception_v1(aux_logits=True)`: each module is labelled with its Table 1 channels, and every
# shape comes from a forward pass of a 224×224 image.

# %% [markdown] id="02-021" lang="zh-CN" translates="b318c06fd064"
# 带两个辅助分类器（auxiliary classifier，见第 6 节）的完整网络，由软件包的 `inception_v1(aux_logits=True)` 绘制：每个模块都标注了它在表 1 中的通道数，每个形状都来自一张 224×224 图像的前向传播。

# %% id="02-107"
d2l.save_or_show(figures.inception_v1_network(), "02_inception_v1")

# %% [markdown] id="02-108"
# The shape trace at 224×224, block by block (the map halves at the stem's convolution and
# at each of the four max-pools: 224 → 112 → 56 → 28 → 14 → 7):

# %% [markdown] id="02-108" lang="zh-CN" translates="b378d2cdc70b"
# 224×224 输入下逐块的形状追踪（特征图在起始层（stem）的卷积处以及四个最大汇聚层处各减半一次：224 → 112 → 56 → 28 → 14 → 7）：

# %% id="02-022"
# NBVAL_CHECK_OUTPUT
net = InceptionV1()
net.initialize(mx.init.Xavier())
X = nd.random.uniform(shape=(1, 3, 224, 224))
names = ["conv 7x7/2", "max-pool", "conv 1x1", "conv 3x3", "max-pool", "3a", "3b", "max-pool", "4a",
         "4b", "4c", "4d", "4e", "max-pool", "5a", "5b", "global avg-pool", "flatten", "dropout"]
layers = list(net.stage1) + list(net.stage2) + list(net.stage3) + [net.output]
for name, layer in zip(names + ["dense"], layers):
    X = layer(X)
    print(f"{name:<16} {str(X.shape):<22} {n_params(layer):>10,} parameters")
total = n_params(net)
print(f"{'total':<39} {total:>10,}")
assert X.shape == (1, 1000) and total == 6_998_552


# %% [markdown] id="02-023"
# Table 1 lists parameters per layer in thousands (weights only, no biases, and thousands
# of 1,024 as far as the numbers tell). Ours, counted the same way:

# %% [markdown] id="02-023" lang="zh-CN" translates="0b1cebe6be2d"
# 表 1 以千为单位列出每层的参数量（只算权重，不含偏置；从数字推断，“千”指的是 1,024）。我们按同样的方式统计：

# %% id="02-024"
# NBVAL_CHECK_OUTPUT
def weights(blocks):
    return sum(p.data().size for b in blocks for n, p in b.collect_params().items() if n.endswith("weight"))

s1, s2, s3 = net.stage1, net.stage2, net.stage3
paper_k = {"conv 7x7/2": 2.7, "conv 1x1 + 3x3": 112, "3a": 159, "3b": 380, "4a": 364, "4b": 437,
           "4c": 463, "4d": 580, "4e": 840, "5a": 1072, "5b": 1388, "linear": 1000}
ours = {"conv 7x7/2": [s1[0]], "conv 1x1 + 3x3": [s1[2], s1[3]], "3a": [s1[5]], "3b": [s1[6]],
        "4a": [s1[8]], "4b": [s2[0]], "4c": [s2[1]], "4d": [s2[2]], "4e": [s3[0]], "5a": [s3[2]],
        "5b": [s3[3]], "linear": [net.output]}
print(f"{'layer':<16} {'Table 1 (K)':>11} {'ours (K=1024)':>14}")
for name, blocks in ours.items():
    print(f"{name:<16} {paper_k[name]:>11} {weights(blocks) / 1024:>14.1f}")
all_weights = weights([net])
print(f"{'sum':<16} {sum(paper_k.values()):>11.1f} {all_weights / 1024:>14.1f}")
print(f"ours: {all_weights:,} weights + {total - all_weights:,} biases = {total:,} parameters")

# %% [markdown] id="02-025"
# Most rows agree to within 2 %. Three entries of Table 1 do not follow from its own
# channel numbers: the 7×7 stem (3·49·64 = 9,408 weights, not 2.7K), 4c (497.5K from its
# channels, 463K printed) and 5a (1,018K vs 1,072K). The sum, 6.8M, matches ours (6.83M
# weights; 7.0M with biases). The J8 post's "5M parameters" comes from the paper's text
# ("12 times fewer parameters than" AlexNet's 60M), not from Table 1.
#
# The notebook's network is the package's `inception_v1` (the auxiliary heads are compared in section 6,
# where the package's training model saves into the deployed one):

# %% [markdown] id="02-025" lang="zh-CN" translates="948e6b39ff6a"
# 大多数行的差距在 2 % 以内。表 1 中有三项与它自己给出的通道数对不上：7×7 起始卷积（3·49·64 = 9,408 个权重，而不是 2.7K）、4c（按其通道数为 497.5K，表中印的是 463K）和 5a（1,018K 对 1,072K）。总和 6.8M 与我们的结果一致（6.83M 个权重；含偏置为 7.0M）。J8 博文的“参数量为5M”来自论文正文（“12 times fewer parameters than” AlexNet 的 60M，即参数量只有 AlexNet 的十二分之一），而不是来自表 1。
#
# notebook 中的网络就是软件包的 `inception_v1`（辅助分类头在第 6 节比较，届时软件包的训练模型保存的参数会载入部署模型）：

# %% id="02-026"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.inception_v1 import inception_v1

assert d2l.same_model(InceptionV1(), inception_v1(), (1, 3, 224, 224))
print("notebook InceptionV1 == package inception_v1")

# %% [markdown] id="02-027"
# ### Paper, GluonCV, the post: where the counts differ
#
# GluonCV's model zoo has a `googlenet` (we build it without weights). Its count differs
# from ours because it (1) puts batch normalisation after every convolution and drops the
# convolution biases (BN's shift β replaces them), adding γ and β (trainable) and the
# running mean and variance (not trainable) per channel, and (2) uses a 3×3 kernel in the
# "5×5" branch. The package's `inception_v1` has switches for both; with them it matches
# GluonCV exactly. (`gluoncv_model("googlenet")` is `model_zoo.get_model("googlenet",
# pretrained=False)`: the architecture without downloading weights.)

# %% [markdown] id="02-027" lang="zh-CN" translates="e472c27dccf9"
# ### 论文、GluonCV 与博文：参数量差在哪里
#
# GluonCV 的模型库（model zoo）中有一个 `googlenet`（我们只构建结构，不加载权重）。它的参数量与我们的不同，原因是它 (1) 在每个卷积之后都加了批量规范化并去掉了卷积的偏置（由 BN 的偏移 β 代替），每个通道增加了 γ 和 β（可训练）以及运行均值和方差（不可训练）；(2) 在“5×5”分支中用了 3×3 卷积核。软件包的 `inception_v1` 为这两点都提供了开关；打开之后与 GluonCV 完全一致。（`gluoncv_model("googlenet")` 就是 `model_zoo.get_model("googlenet",
# pretrained=False)`：只取架构，不下载权重。）

# %% id="02-028"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.zoo import gluoncv_model  # model_zoo.get_model(..., pretrained=False)

shape = (1, 3, 224, 224)
gcv = gluoncv_model("googlenet")
gcv.initialize()
rows = [("paper (ours, 5x5, biases)", inception_v1()),
        ("ours, 3x3 in the 5x5 branch", inception_v1(branch3_kernel=3)),
        ("ours, BatchNorm, no biases", inception_v1(batch_norm=True)),
        ("ours, BatchNorm + 3x3", inception_v1(branch3_kernel=3, batch_norm=True)),
        ("GluonCV googlenet", gcv)]
counts = {}
for name, model in rows:
    d2l.accounting.initialize_if_needed(model, mx.cpu())
    counts[name] = d2l.count_parameters(model, shape)
    print(f"{name:<30} trainable {counts[name][0]:>10,}   running stats {counts[name][1]:>7,}")
assert counts["ours, BatchNorm + 3x3"] == counts["GluonCV googlenet"] == (6_624_904, 14_560)

bn_channels = counts["GluonCV googlenet"][1] // 2            # one mean and one variance per channel
post = counts["GluonCV googlenet"][0] + bn_channels + (1024 * 1024 + 1024)
print(f"\nthe J8 post's network (1000 classes): BN + 3x3 + conv biases ({bn_channels:,}) + an extra "
      f"1024x1024 dense layer = {post:,} parameters")

# %% [markdown] id="02-029"
# The 5×5 kernels cost 380,928 parameters more than 3×3 ones (16 extra weights per
# input–output channel pair of the nine 5×5 convolutions); BN adds 2 trainable numbers per
# channel (γ, β) but removes the bias (1 per channel): +7,280 over 7,280 channels. The
# post's extra dense layer alone adds a million parameters, 15 % of the network, to a model
# whose point was to avoid large dense layers.
#
# ## 6 Auxiliary classifiers: only while training
#
# GoogLeNet attaches two small classifiers to 4a and 4d (5×5/3 average pool, 1×1 conv 128,
# dense 1024, dropout 0.7, dense to the classes; see the figure above). During training their
# losses are added with weight 0.3; at test time they are thrown away. What are they for?
#
# > **The post says** (J8) they serve two purposes: to fight vanishing gradients by carrying
# > gradient forward, and to use a middle layer's output for classification, "起到模型融合作用"
# > (acting as model fusion).
# >
# > **The paper says** (Szegedy et al. 2014, Section 5) three things: the heads should
# > "encourage discrimination in the lower stages in the classifier, increase the gradient
# > signal that gets propagated back, and provide additional regularization". Regularisation
# > is in the paper from the start, not only gradient.
# >
# > **The follow-up found** (Szegedy et al. 2016, *Rethinking the Inception Architecture for
# > Computer Vision*, arXiv:1512.00567, Section 4) that the heads do **not** speed up training:
# > with and without them, training "looks virtually identical" until near the end, where the
# > net with the upper head reaches a slightly higher plateau; removing the lower head (after
# > 4a) changed nothing. Their conclusion: the auxiliary classifiers act as a regulariser,
# > supported by the main classifier doing better when the side branch is batch-normalised or
# > has dropout. Inception v3 keeps one head, with batch normalisation, for that reason.
# >
# > **"Model fusion"?** Nothing is fused at test time: the heads are discarded, and the paper's
# > ensemble (Section 7) is seven separately trained networks averaged over 144 crops. During
# > training the weighted sum of three losses over a shared trunk is *deep supervision* (Lee et
# > al. 2014, "Deeply-Supervised Nets", which the paper's idea resembles): a constraint on the
# > middle layers, i.e. a regulariser, not an ensemble.
#
# How to express "only while training" in Gluon? A hybridized graph is traced once; it
# cannot return three outputs under `autograd.record()` and one otherwise (the training
# flag only switches the behaviour of layers such as dropout inside a fixed graph). So the
# choice is made when the network is **built**: `inception_v1(aux_logits=True)` always
# returns `(main, aux1, aux2)` and is the training model; the deployed model is a plain
# `inception_v1()` that loads the same file with `ignore_extra=True`, dropping the heads.
# Parameter names are structural (`stage1.0.weight`, `aux1.2.weight`...), so this works.

# %% [markdown] id="02-029" lang="zh-CN" translates="d73bef5774f5"
# 5×5 卷积核比 3×3 多出 380,928 个参数（九个 5×5 卷积中，每一对输入—输出通道多 16 个权重）；BN 每个通道增加 2 个可训练的数（γ、β），但去掉了偏置（每个通道 1 个）：7,280 个通道共 +7,280。博文多加的那个全连接层单独就增加了一百万个参数，占整个网络的 15 %，而这个模型的初衷恰恰是避免大型全连接层。
#
# ## 6 辅助分类器：只在训练时使用
#
# GoogLeNet 在 4a 和 4d 上各挂了一个小分类器（5×5/3 平均汇聚，1×1 卷积 128，全连接 1024，dropout 0.7，再全连接到各类别；见上图）。训练时，它们的损失以 0.3 的权重加进总损失；测试时则把它们丢掉。它们有什么用？
#
# > **原文说：**（J8）“另外增加了两个辅助分支,作用有两点,一是为了避免梯度消失,用于向前传导梯度。反向传播时如果有一层求导为0,链式求导结果则为0。二是将中间某一层输出用作分类,起到模型融合作用”。
# >
# > **论文说：**（Szegedy 等，2014，第 5 节）有三点：辅助头应当 “encourage discrimination in the lower stages in the classifier, increase the gradient signal that gets propagated back, and provide additional regularization”（促进分类器较低阶段的判别能力，增强反向传播的梯度信号，并提供额外的正则化）。正则化（regularization）从一开始就写在论文里，而不只是梯度。
# >
# > **后续论文发现：**（Szegedy 等，2016，*Rethinking the Inception Architecture for Computer Vision*，arXiv:1512.00567，第 4 节）辅助头**并不能**加快训练：有没有它们，训练过程都 “looks virtually identical”（看起来几乎一模一样），直到接近结束时，带上层辅助头的网络才达到一个略高的平台；去掉下层的辅助头（4a 之后那个）则毫无影响。他们的结论是：辅助分类器起的是正则化的作用，其佐证是当侧分支带有批量规范化或 dropout 时，主分类器表现更好。正因如此，Inception v3 只保留了一个带批量规范化的辅助头。
# >
# > **“模型融合”？** 测试时没有任何东西被融合：辅助头被丢弃了，而论文中的集成（ensemble，第 7 节）是七个分别训练的网络在 144 个裁剪上取平均。训练时，在共享的主干上对三个损失加权求和，这是*深度监督*（deep supervision；Lee 等，2014，“Deeply-Supervised Nets”，论文的想法与之相似）：它是对中间层的一种约束，也就是一种正则化，而不是集成。
#
# 在 Gluon 中如何表达“只在训练时”？混合化（hybridize）之后的计算图只追踪一次；它不能在 `autograd.record()` 下返回三个输出、在其他情况下只返回一个（训练标志只会在固定的计算图内切换 dropout 这类层的行为）。因此这个选择要在**构建**网络时做出：`inception_v1(aux_logits=True)` 总是返回 `(main, aux1, aux2)`，它是训练模型；部署模型是一个普通的 `inception_v1()`，它以 `ignore_extra=True` 加载同一个文件，丢掉辅助头。参数名是按结构命名的（`stage1.0.weight`、`aux1.2.weight`……），所以这样行得通。

# %% id="02-030"
train_net = inception_v1(num_classes=2, aux_logits=True)
train_net.initialize(mx.init.Xavier())
train_net.hybridize()
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(train_net.collect_params(), "adam", {"learning_rate": 1e-4})
X, y = nd.random.uniform(shape=(2, 3, 224, 224)), nd.array([0, 1])
with autograd.record():
    main, aux1, aux2 = train_net(X)
    loss = loss_fn(main, y) + 0.3 * (loss_fn(aux1, y) + loss_fn(aux2, y))
loss.backward()
trainer.step(X.shape[0])
print("training outputs:", main.shape, aux1.shape, aux2.shape, "loss", loss.mean().asscalar())

deploy = inception_v1(num_classes=2)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "inception_v1.params")
    train_net.save_parameters(path)
    deploy.load_parameters(path, ignore_extra=True)
extra = n_params(train_net) - n_params(deploy)
same = np.allclose(deploy(X).asnumpy(), train_net(X)[0].asnumpy(), atol=1e-5)
print(f"deployed model: {n_params(deploy):,} parameters ({extra:,} fewer), same main output: {same}")
assert same and extra == (512 + 528) * 128 + 2 * 128 + 2 * (2048 * 1024 + 1024 + 1024 * 2 + 2)

# %% [markdown] id="02-031"
# ## 7 The softmax in the post's network
#
# The J8 post ends its classifier with `nn.Softmax(dim=1)`, and these training-camp posts
# train with `nn.CrossEntropyLoss`, which applies `log_softmax` to its input itself (as does
# Gluon's `SoftmaxCrossEntropyLoss`). The softmax is then applied **twice**: the loss sees
# probabilities p ∈ [0, 1] as if they were logits. Two consequences, computed below for
# two classes (the monkeypox task) and ten:
#
# * the loss is **bounded**: between log(1 + (K−1)/e) (p is one-hot on the right class)
#   and log(K − 1 + e) (one-hot on a wrong class), e.g. 0.313 … 1.313 for K = 2, so a
#   confidently wrong prediction is barely punished;
# * the **gradient shrinks**: it passes through the softmax's Jacobian, which vanishes when
#   the softmax saturates, exactly when the network is confidently wrong.
#
# Prediction (`argmax`) is the same with or without the softmax, so the bug does not show
# in the accuracy code; it shows in slow training.

# %% [markdown] id="02-031" lang="zh-CN" translates="04b7a8c670e1"
# ## 7 博文网络中的 softmax
#
# J8 博文的分类器以 `nn.Softmax(dim=1)` 结尾，而这些训练营博文都用交叉熵损失（cross-entropy loss）`nn.CrossEntropyLoss` 训练，它会自己对输入施加 `log_softmax`（Gluon 的 `SoftmaxCrossEntropyLoss` 也一样）。于是 softmax 被施加了**两次**：损失函数把概率 p ∈ [0, 1] 当作 logits 来处理。这有两个后果，下面分别针对两个类别（猴痘任务）和十个类别计算：
#
# * 损失**有界**：介于 log(1 + (K−1)/e)（p 是正确类别上的独热向量）与 log(K − 1 + e)（独热在错误类别上）之间，例如 K = 2 时为 0.313 … 1.313，因此一个非常自信的错误预测几乎不受惩罚；
# * **梯度变小**：梯度要经过 softmax 的雅可比矩阵（Jacobian），而 softmax 饱和时它趋于零，这恰恰发生在网络自信地犯错的时候。
#
# 预测（`argmax`）有没有这个 softmax 都一样，所以这个 bug 在计算精度的代码里看不出来；它表现为训练缓慢。

# %% id="02-032"
# NBVAL_CHECK_OUTPUT
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()

def loss_and_grad(logits, label, double_softmax):
    z = nd.array([logits])
    z.attach_grad()
    with autograd.record():
        loss = loss_fn(nd.softmax(z) if double_softmax else z, nd.array([label]))
    loss.backward()
    return loss.asscalar(), np.abs(z.grad.asnumpy()).sum()

print(f"{'logits':<22} {'label':>5} {'loss':>8} {'|grad|':>8} {'loss 2x':>8} {'|grad| 2x':>9}")
for logits, label in [([2.0, -2.0], 0), ([2.0, -2.0], 1), ([8.0, -8.0], 1), ([0.0] * 9 + [8.0], 0)]:
    l1, g1 = loss_and_grad(logits, label, False)
    l2, g2 = loss_and_grad(logits, label, True)
    print(f"{str(logits if len(logits) < 3 else '[0]*9 + [8]'):<22} {label:>5} {l1:8.4f} {g1:8.4f} {l2:8.4f} {g2:9.4f}")
for k in (2, 10):
    print(f"K={k}: with the extra softmax the loss stays in "
          f"[{np.log(1 + (k - 1) / np.e):.4f}, {np.log(k - 1 + np.e):.4f}]")

# %% [markdown] id="02-033"
# For the confidently wrong two-class example ([8, −8], label 1) the plain loss is 16 with
# a gradient of size 2; after the double softmax the loss is 1.31 and the gradient below
# 10⁻⁶ (printed 0.0000): the network would hardly learn from its worst mistakes. Our networks return logits.
#
# ## 8 Inception v1 on the Monkeypox Skin Lesion Dataset
#
# The J8 post trains Inception v1 to tell monkeypox lesions from others (chickenpox,
# measles): two classes, 224×224 photographs. The Monkeypox Skin Lesion Dataset (S. N. Ali
# et al., 2022; licence unclear, treat as research / non-commercial, see
# `d2l_utils/samples/monkeypox/README.md`) has 228 original images (102 monkeypox, 126
# others). We hold out a stratified 20 %: **45 validation photos**, where always answering
# "Others" already scores 25 / 45 = 55.6 %. That majority rate is the bar to clear.
#
# * **full mode** (the run recorded in `docs/results/02_inception.md`): the authors' 224×224
#   files under `D2L_DATA_DIR/monkeypox_msld/images/<class>/`, Adam with a constant learning
#   rate 10⁻³, batch 16, 30 epochs;
# * **quick mode** (what changes): the same 228 photos as shipped with the course (at
#   112×112), **resized to 48×48** (global average pooling lets the same network accept any
#   size from 48 up; training a 7M-parameter net at 224×224 costs ~20× more per image), and
#   **4 epochs with peak learning rate 2·10⁻³ and a cosine decay**; it must beat the
#   majority rate.
#
# From scratch we keep batch normalisation (`batch_norm=True`), as the post does: with ~180
# training images a plain 22-layer network hardly trains.

# %% [markdown] id="02-033" lang="zh-CN" translates="c3ee2a4bde8f"
# 对于那个自信出错的二分类例子（[8, −8]，标签 1），正常的损失是 16，梯度大小为 2；经过两次 softmax 后，损失为 1.31，梯度小于 10⁻⁶（打印为 0.0000）：网络几乎无法从它最严重的错误中学到东西。我们的网络返回 logits。
#
# ## 8 在猴痘皮肤病变数据集上训练 Inception v1
#
# J8 博文训练 Inception v1 区分猴痘病变与其他病变（水痘、麻疹）：两个类别，224×224 的照片。猴痘皮肤病变数据集（Monkeypox Skin Lesion Dataset；S. N. Ali 等，2022；许可证不明确，请视为仅供研究/非商业用途，见 `d2l_utils/samples/monkeypox/README.md`）有 228 张原始图像（102 张猴痘，126 张其他）。我们分层抽取 20 % 留作验证集（validation set）：**45 张验证照片**，在这上面总是回答 “Others” 就已经能得到 25 / 45 = 55.6 %。这个多数类比例就是要越过的门槛。
#
# * **完整模式**（记录在 `docs/results/02_inception.md` 中的那次运行）：作者提供的 224×224 文件，位于 `D2L_DATA_DIR/monkeypox_msld/images/<class>/`，Adam，恒定学习率 10⁻³，批量大小 16，30 个迭代周期；
# * **快速模式**（与完整模式的不同之处）：同样的 228 张照片，使用随课程提供的版本（112×112），**缩放到 48×48**（全局平均汇聚让同一个网络可以接受 48 及以上的任意尺寸；在 224×224 下训练一个 7M 参数的网络，每张图像的代价约高 20 倍），以及 **4 个迭代周期，峰值学习率 2·10⁻³，余弦衰减**；必须超过多数类比例。
#
# 从零开始训练时，我们和博文一样保留批量规范化（`batch_norm=True`）：只有约 180 张训练图像时，一个普通的 22 层网络几乎训练不起来。

# %% id="02-034"
if mode == "quick":
    root, size, photo_batch, photo_epochs, photo_lr = "monkeypox_sample", 48, 16, 4, 2e-3
else:
    root, size, photo_batch, photo_epochs, photo_lr = d2l.data_dir() / "monkeypox_msld" / "images", 224, 16, 30, 1e-3
photo_train_iter, photo_val_iter, classes = d2l.load_image_folder(root, photo_batch, size=size)
majority = np.bincount(photo_val_iter.y).max() / len(photo_val_iter.y)
print(f"classes {classes}: {len(photo_train_iter.X)} training / {len(photo_val_iter.X)} validation images, "
      f"{size}x{size}; majority class rate {majority:.3f}")
d2l.show_images(photo_train_iter.X[:8], [classes[int(c)] for c in photo_train_iter.y[:8]], ncols=8, scale=1.4,
                name="02_monkeypox_samples");

# %% id="02-035"
net = inception_v1(num_classes=len(classes), batch_norm=True)
if mode == "quick":   # a cosine decay over the few steps; full mode keeps the recorded constant rate
    schedule = dict(lr_schedule=d2l.hold_then_cosine(photo_lr, 0, photo_epochs, final_lr=photo_lr / 100))
else:
    schedule = {}
history_v1 = d2l.train(net, photo_train_iter, photo_val_iter, photo_epochs, lr=photo_lr, optimizer="adam",
                       seed=0, title="Inception v1 on monkeypox", **schedule)
y_true, y_pred = d2l.predict_labels(net, photo_val_iter)
acc_v1 = (y_true == y_pred).mean()
print(f"validation accuracy {acc_v1:.3f} on {len(y_true)} images (majority class {majority:.3f}), "
      f"{np.mean(history_v1['examples_per_sec']):.0f} training images/s")
assert len(y_true) >= 40 and acc_v1 > majority, (acc_v1, majority)
cm = d2l.confusion_matrix(y_true, y_pred, len(classes))
ax = d2l.plot_confusion_matrix(cm, classes)
d2l.save_or_show(ax.figure, "02_monkeypox_confusion")

# %% [markdown] id="02-036"
# Some validation images with the prediction (✓ right; ✗ wrong, with the true class):

# %% [markdown] id="02-036" lang="zh-CN" translates="7c6a3387e9f3"
# 部分验证图像及其预测（✓ 正确；✗ 错误，并给出真实类别）：

# %% id="02-037"
shown = min(8, len(y_true))
titles = [f"✓ {classes[p]}" if p == t else f"✗ {classes[p]}\n(true: {classes[t]})"
          for p, t in zip(y_pred[:shown], y_true[:shown])]
d2l.show_images(photo_val_iter.X[:shown], titles, ncols=8, scale=1.6, name="02_monkeypox_predictions");

# %% [markdown] id="02-109"
# Where full mode ends: the recorded run (`docs/results/02_inception_monkeypox.log`, 224×224, 30
# epochs on a 2-core CPU) next to this one, with the dataset authors' result (Ali et al. 2022:
# 82.96 % with an ImageNet-pretrained ResNet50, 3-fold cross-validation) and the majority rate.

# %% [markdown] id="02-109" lang="zh-CN" translates="cd906450199e"
# 完整模式最终到达哪里：记录下来的运行（`docs/results/02_inception_monkeypox.log`，224×224，在 2 核 CPU 上训练 30 个迭代周期）与本次运行并排，并标出数据集作者的结果（Ali 等，2022：使用 ImageNet 预训练的 ResNet50，3 折交叉验证，82.96 %）以及多数类比例。

# %% id="02-110"
fig, full_v1 = quick_vs_full(history_v1, "02_inception_monkeypox.log", 0.8296, "Ali et al., pretrained ResNet50",
                             "val acc", label="full mode, recorded: 224x224, 30 epochs")
for ax in fig.axes:
    ax.axhline(majority, ls=":", color="firebrick", lw=1, label=f"majority class {majority:.3f}")
    ax.legend(fontsize=7, loc="lower right")
d2l.save_or_show(fig, "02_monkeypox_quick_vs_full")
print(f"recorded full-mode run: validation accuracy {full_v1['test_acc'][-1]:.3f} after {full_v1['epoch'][-1]} "
      f"epochs (between {min(full_v1['test_acc']):.3f} and {max(full_v1['test_acc']):.3f} along the way), "
      f"{results.wall_time(full_v1) / 60:.0f} min on a 2-core CPU")


# %% [markdown] id="02-038"
# With 45 validation images one photo is 2.2 points, so a single epoch's number moves by several
# points (the recorded curve shows it). A network trained from scratch on 183 photos is not
# expected to match the authors' ImageNet-pretrained ResNet50, nor does ours: pretrained weights,
# not architecture, are what such small medical datasets need.
#
# ## 9 Summary
#
# | | ours | reference |
# |---|---|---|
# | MNIST GoogLeNet parameters | 97,298 (separate 1×1) / 96,274 (shared, the post) | post's PyTorch model: 96,274 |
# | MNIST test accuracy (full mode, 3 epochs) | 99.16 % (9.8 min on a 2-core CPU, `docs/results/02_inception.md`) | post: ≈ 99 % |
# | naive vs reduced module 3a at 28×28 | 303.5M vs 128.0M MACs | paper: Fig. 2a vs 2b |
# | Inception v1 parameters | 6,998,552 (6,990,272 weights) | Table 1: ≈ 6.8M weights; post: "5M" |
# | GluonCV googlenet (BN, 3×3) | 6,624,904 + 14,560 running stats, matched exactly | |
# | Inception v1 MACs at 224×224 | 1.58 G | paper: ≈ 1.5 G multiply-adds |
# | monkeypox validation accuracy (full mode, 30 epochs) | 73.3 % (majority class 55.6 %) | Ali et al.: 82.96 % (pretrained ResNet50) |
#
# ## Exercises
#
# **Exercise 2.1.** Write `inception_params(in_ch, c1, c3r, c3, c5r, c5, pool_proj)`: the
# number of parameters (weights and biases) of a paper-style Inception module with `in_ch`
# input channels and 5×5 kernels in the third branch. (Inception 3a has 163,696.)

# %% [markdown] id="02-038" lang="zh-CN" translates="dba81a335e74"
# 只有 45 张验证图像时，一张照片就相当于 2.2 个百分点，因此单个迭代周期的数字会上下波动好几个百分点（记录下来的曲线可以看出这一点）。一个在 183 张照片上从零训练的网络，本来就不该指望赶上作者用 ImageNet 预训练的 ResNet50，我们的网络也确实没有赶上：这类小型医学数据集需要的是预训练权重，而不是架构。
#
# ## 9 小结
#
# | | 本章 | 参考 |
# |---|---|---|
# | MNIST GoogLeNet 参数量 | 97,298（各自的 1×1）/ 96,274（共用，即博文的做法） | 博文的 PyTorch 模型：96,274 |
# | MNIST 测试精度（完整模式，3 个迭代周期） | 99.16 %（2 核 CPU 上 9.8 min，`docs/results/02_inception.md`） | 博文：≈ 99 % |
# | 28×28 下朴素模块与降维模块 3a | 303.5M 对 128.0M MACs | 论文：图 2a 对图 2b |
# | Inception v1 参数量 | 6,998,552（其中权重 6,990,272） | 表 1：≈ 6.8M 个权重；博文：“5M” |
# | GluonCV googlenet（BN，3×3） | 6,624,904 + 14,560 个运行统计量，完全一致 | |
# | 224×224 下 Inception v1 的 MACs | 1.58 G | 论文：≈ 1.5 G 次乘加 |
# | 猴痘验证精度（完整模式，30 个迭代周期） | 73.3 %（多数类 55.6 %） | Ali 等：82.96 %（预训练的 ResNet50） |
#
# ## 练习
#
# **练习 2.1.** 编写 `inception_params(in_ch, c1, c3r, c3, c5r, c5, pool_proj)`：返回一个论文式 Inception 模块的参数量（权重和偏置），该模块有 `in_ch` 个输入通道，第三个分支用 5×5 卷积核。（Inception 3a 有 163,696 个参数。）

# %% id="02-039"
def inception_params(in_ch, c1, c3r, c3, c5r, c5, pool_proj):
    raise NotImplementedError  # your code here


# %% id="02-040"
from d2l_utils.exercises import ch02
ch02.check_inception_params(inception_params)


# %% [markdown] id="02-041"
# **Exercise 2.2.** Write `bottleneck_macs(in_ch, reduce_ch, out_ch, k, size)` returning
# the pair (MACs of a direct k×k convolution `in_ch → out_ch`, MACs of a 1×1 `in_ch →
# reduce_ch` followed by the k×k `reduce_ch → out_ch`), both with a `size × size` output.
# For which `reduce_ch` does the bottleneck stop paying off?

# %% [markdown] id="02-041" lang="zh-CN" translates="2fc1713ce75f"
# **练习 2.2.** 编写 `bottleneck_macs(in_ch, reduce_ch, out_ch, k, size)`，返回一对数：（直接做 k×k 卷积 `in_ch → out_ch` 的 MACs，先做 1×1 `in_ch →
# reduce_ch` 再做 k×k `reduce_ch → out_ch` 的 MACs），两者的输出都是 `size × size`。`reduce_ch` 为多少时，瓶颈层就不再划算？

# %% id="02-042"
def bottleneck_macs(in_ch, reduce_ch, out_ch, k, size):
    raise NotImplementedError  # your code here


# %% id="02-043"
ch02.check_bottleneck_macs(bottleneck_macs)


# %% [markdown] id="02-044"
# **Exercise 2.3.** A network ends in a softmax and is trained with a cross-entropy loss
# that applies its own softmax. Write `double_softmax_loss_range(num_classes)` returning the
# smallest and the largest loss such a network can reach. (Then see it in training: append
# `nn.HybridLambda(lambda F, x: F.softmax(x))` to `googlenet_lite()` and compare its loss
# curves with section 4's.)

# %% [markdown] id="02-044" lang="zh-CN" translates="137b473459e9"
# **练习 2.3.** 一个网络以 softmax 结尾，而训练它的交叉熵损失又会自己施加一次 softmax。编写 `double_softmax_loss_range(num_classes)`，返回这样的网络所能达到的最小和最大损失。（然后在训练中观察它：在 `googlenet_lite()` 末尾接上 `nn.HybridLambda(lambda F, x: F.softmax(x))`，把它的损失曲线与第 4 节的比较。）

# %% id="02-045"
def double_softmax_loss_range(num_classes):
    raise NotImplementedError  # your code here


# %% id="02-046"
ch02.check_double_softmax_loss_range(double_softmax_loss_range)

# %% [markdown] id="02-111"
# **Exercise 2.4 (experiment).** Does the post's shared 1×1 convolution cost accuracy? Build the
# small GoogLeNet with ONE 16-channel 1×1 convolution per module used by branches 2, 3 and 4
# (section 1 shows how), train it with `train_lite` (section 4's recipe), and compare with the
# chapter's `history_lite`. Set `sharing_costs` to whether it ends more than one point below.
# The check verifies your layers and parameter count and recomputes your net's accuracy.

# %% [markdown] id="02-111" lang="zh-CN" translates="5a9bc3b3d005"
# **练习 2.4（实验）。** 博文中共用的 1×1 卷积会损失精度吗？构建一个小型 GoogLeNet，每个模块只有一个 16 通道的 1×1 卷积，供分支 2、3、4 共同使用（第 1 节展示了做法），用 `train_lite`（第 4 节的方案）训练它，并与本章的 `history_lite` 比较。把 `sharing_costs` 设为：它最终的精度是否低了超过一个百分点。检查程序会核对你的层和参数量，并重新计算你的网络的精度。

# %% id="02-112"
shared_run = None   # your experiment, e.g.:
# net = ...                              # the post's network, shared 1x1
# history = train_lite(net, title="shared 1x1")
# shared_run = dict(net=net, history=history, baseline=history_lite, test_iter=test_iter,
#                   sharing_costs=...)   # True or False, read off your run
ch02.check_shared_1x1(shared_run)

# %% [markdown] id="02-113"
# **Exercise 2.5 (experiment).** The post's module is linear inside (section 2). Give every
# convolution inside the two modules a ReLU (as the paper does), train it with `train_lite` and
# compare with `history_lite`. Set `relu_helps` to whether your run ends higher.

# %% [markdown] id="02-113" lang="zh-CN" translates="b01d3e3ea1df"
# **练习 2.5（实验）。** 博文的模块内部是线性的（第 2 节）。给两个模块内部的每个卷积都加上 ReLU（和论文一样），用 `train_lite` 训练，并与 `history_lite` 比较。把 `relu_helps` 设为：你的运行最终精度是否更高。

# %% id="02-114"
relu_run = None     # your experiment: dict(net=..., history=..., baseline=history_lite,
#                     test_iter=test_iter, relu_helps=True or False)
ch02.check_relu_inside(relu_run)
