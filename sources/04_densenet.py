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

# %% [markdown] id="04-001"
# # Chapter 04 · DenseNet: concatenate instead of add
#
# The post of chapter 03 ends with "读论文,复现 DenseNet" (read the paper, reproduce DenseNet) and points
# to DenseNet: Huang, Liu, van der Maaten & Weinberger, "Densely Connected Convolutional Networks"
# (CVPR 2017). This chapter builds the DenseNet of "Dive into Deep Learning" for Fashion-MNIST,
# draws its dense block and transition layer, traces how its channels grow, measures its parameters and
# multiply-accumulates against ResNet-18 of chapter 03 on the same input, checks a DenseNet-121 against
# GluonCV, and trains it (quick mode: at least 75 % test accuracy on the shipped sample; full mode: the
# recorded 10-epoch run). The figures are drawn by `d2l_utils/figures/ch04.py` from the package's blocks.

# %% [markdown] id="04-001" lang="zh-CN" translates="abeaeb5b1187"
# # 第 04 章 · DenseNet：用连结代替相加
#
# 第 03 章所依据的博文以“读论文,复现 DenseNet”一节结尾，并指向 DenseNet：Huang、Liu、van der Maaten 和 Weinberger
# 的论文“Densely Connected Convolutional Networks”（CVPR 2017）。本章搭建《动手学深度学习》中用于 Fashion-MNIST 的
# DenseNet，画出它的稠密块（dense block）和过渡层（transition layer），追踪其通道数如何增长，在相同输入下把它的参数量和
# 乘加运算（multiply-accumulates，MACs）次数与第 03 章的 ResNet-18 作比较，将一个 DenseNet-121 与 GluonCV 的实现对照核验，
# 并训练它（快速模式：在随课程提供的样本上测试精度至少 75 %；完整模式：已记录的 10 个迭代周期的运行）。
# 图由 `d2l_utils/figures/ch04.py` 根据软件包中的块绘制。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="04-002"
import d2l_utils as d2l  # first: checks numpy, sets OpenMP threads, then MXNet may load
mode = d2l.chapter_banner("Chapter 04 · DenseNet")

# %% id="04-003"
import mxnet as mx
import numpy as np
from mxnet import nd
from mxnet.gluon import nn

from d2l_utils.figures import ch04 as figures

ctx = d2l.try_gpu()
quick = mode == "quick"

# %% [markdown] id="04-004"
# ## From ResNet to DenseNet
#
# A residual block computes $x_{l+1} = x_l + F(x_l)$: the new features are **added** to the old ones.
# Written as a Taylor-like expansion, ResNet splits a function into a simple term and a correction.
# DenseNet keeps the terms apart and **concatenates** them instead:
#
# $$x_{l} = H_l\big([x_0, x_1, \dots, x_{l-1}]\big),$$
#
# every layer sees the feature maps of *all* earlier layers of its block (a "dense" connectivity: with
# $L$ layers there are $L(L+1)/2$ direct connections). Each layer $H_l$ only adds a few new channels,
# the **growth rate** $k$: a block with $c_0$ input channels and $n$ layers outputs $c_0 + n k$
# channels. Features are reused instead of re-learned, so the layers can be narrow.
#
# Two building blocks:
#
# * the **convolution block** $H_l$: BN → ReLU → 3×3 convolution with $k$ output channels (the
#   "pre-activation" order of ResNet v2, chapter 03);
# * the **transition layer** between dense blocks, to keep the channel count and resolution in check:
#   BN → ReLU → 1×1 convolution (here halving the channels, "compression" θ = 0.5) → 2×2 average pool,
#   stride 2.

# %% [markdown] id="04-004" lang="zh-CN" translates="6b9d550a1736"
# ## 从 ResNet 到 DenseNet
#
# 残差块（residual block）计算 $x_{l+1} = x_l + F(x_l)$：新的特征被**加**到旧特征上。
# 如果写成类似泰勒展开的形式，ResNet 是把一个函数分解成一个简单项和一个修正项。
# DenseNet 则让各项保持分开，把它们**连结**（concatenate）起来：
#
# $$x_{l} = H_l\big([x_0, x_1, \dots, x_{l-1}]\big),$$
#
# 每一层都能看到它所在块中*所有*前面各层的特征图（这就是“稠密”连接：$L$ 层之间共有 $L(L+1)/2$ 条直接连接）。
# 每一层 $H_l$ 只新增少量通道（channel），这个数就是**增长率**（growth rate）$k$：输入有 $c_0$ 个通道、包含 $n$ 层的块
# 输出 $c_0 + n k$ 个通道。特征被重复利用而不是重新学习，所以各层可以很窄。
#
# 两个基本组成部分：
#
# * **卷积块**（convolution block）$H_l$：BN → ReLU → 输出 $k$ 个通道的 3×3 卷积（即 ResNet v2 的“预激活”
#   （pre-activation）顺序，见第 03 章）；
# * 稠密块之间的**过渡层**，用来控制通道数和分辨率：BN → ReLU → 1×1 卷积（这里把通道数减半，“压缩”因子 θ = 0.5）
#   → 2×2 平均汇聚层（average pooling，即平均池化），步幅为 2。

# %% id="04-101"
d2l.save_or_show(figures.dense_block(), "04_dense_block")


# %% [markdown] id="04-102"
# Each $H_i$ sees all earlier feature maps (the arrows into its box come from the latest concatenation,
# which holds the input and every earlier output) and contributes $k$ = 32 new channels. In code:

# %% [markdown] id="04-102" lang="zh-CN" translates="f5533b44f467"
# 每个 $H_i$ 都能看到前面所有的特征图（指向它的箭头来自最近一次连结的结果，其中包含输入和前面每一层的输出），
# 并贡献 $k$ = 32 个新通道。写成代码：

# %% id="04-005"
def conv_block(num_channels, in_channels):
    """BN-ReLU-3x3 conv: (B, in_channels, H, W) -> (B, num_channels, H, W)."""
    blk = nn.HybridSequential()
    blk.add(nn.BatchNorm(in_channels=in_channels), nn.Activation("relu"),
            nn.Conv2D(num_channels, 3, padding=1, in_channels=in_channels))
    return blk


class DenseBlock(nn.HybridBlock):
    """num_convs conv blocks, each fed the concatenation of all earlier outputs.
    (B, C, H, W) -> (B, C + num_convs * growth_rate, H, W)."""

    def __init__(self, num_convs, growth_rate, in_channels, **kwargs):
        super().__init__(**kwargs)
        self.net = nn.HybridSequential()
        for i in range(num_convs):
            self.net.add(conv_block(growth_rate, in_channels + i * growth_rate))

    def hybrid_forward(self, F, X):
        for blk in self.net:
            Y = blk(X)                 # (B, growth_rate, H, W)
            X = F.concat(X, Y, dim=1)  # (B, C + growth_rate, H, W): keep everything
        return X


# %% [markdown] id="04-006"
# A dense block of 2 convolutions with growth rate 10 on a 3-channel input outputs 3 + 2·10 = 23
# channels; the height and width do not change.

# %% [markdown] id="04-006" lang="zh-CN" translates="a8175326abd0"
# 一个包含 2 个卷积块、增长率为 10 的稠密块，作用于 3 通道输入时输出 3 + 2·10 = 23 个通道；高和宽保持不变。

# %% id="04-007"
blk = DenseBlock(2, 10, in_channels=3)
blk.initialize()
X = nd.random.uniform(shape=(4, 3, 8, 8))
Y = blk(X)
print(Y.shape)
assert Y.shape == (4, 3 + 2 * 10, 8, 8)
assert np.array_equal(Y[:, :3].asnumpy(), X.asnumpy())  # the input is passed through unchanged
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="04-008"
# The first 3 output channels *are* the input: unlike ResNet's addition, nothing is mixed into it.

# %% [markdown] id="04-008" lang="zh-CN" translates="a5ce8460b06e"
# 前 3 个输出通道*就是*输入本身：与 ResNet 的相加不同，没有任何东西混入其中。

# %% id="04-009"
def transition_block(num_channels, in_channels):
    """BN-ReLU-1x1 conv-2x2 avg pool: (B, in_channels, H, W) -> (B, num_channels, H/2, W/2)."""
    blk = nn.HybridSequential()
    blk.add(nn.BatchNorm(in_channels=in_channels), nn.Activation("relu"),
            nn.Conv2D(num_channels, 1, in_channels=in_channels),
            nn.AvgPool2D(pool_size=2, strides=2))
    return blk


blk = transition_block(10, in_channels=23)
blk.initialize()
print(blk(Y).shape)
assert blk(Y).shape == (4, 10, 4, 4)
# NBVAL_CHECK_OUTPUT

# %% id="04-103"
d2l.save_or_show(figures.transition_layer(), "04_transition_layer")


# %% [markdown] id="04-010"
# ## The d2l DenseNet
#
# The same stem as ResNet-18 (7×7/2 convolution with 64 channels, BN, ReLU, 3×3/2 max-pool), then four
# dense blocks of four convolution blocks with growth rate 32, a transition halving the channels
# between consecutive blocks, and BN, ReLU, global average pooling and a dense layer at the end.

# %% [markdown] id="04-010" lang="zh-CN" translates="7ca00c625505"
# ## d2l 的 DenseNet
#
# 起始部分（stem）与 ResNet-18 相同（64 通道、步幅为 2 的 7×7 卷积，BN，ReLU，步幅为 2 的 3×3 最大汇聚层），
# 之后是四个稠密块，每块包含四个增长率为 32 的卷积块，相邻两个块之间有一个把通道数减半的过渡层，最后是 BN、ReLU、
# 全局平均汇聚层和一个全连接层。

# %% id="04-011"
def densenet(num_init_features=64, growth_rate=32, block_config=(4, 4, 4, 4), num_classes=10,
             in_channels=1):
    """(B, in_channels, H, W) -> (B, num_classes)."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(num_init_features, 7, strides=2, padding=3, in_channels=in_channels),
            nn.BatchNorm(in_channels=num_init_features), nn.Activation("relu"),
            nn.MaxPool2D(pool_size=3, strides=2, padding=1))
    channels = num_init_features
    for i, num_convs in enumerate(block_config):
        net.add(DenseBlock(num_convs, growth_rate, channels))
        channels += num_convs * growth_rate
        if i != len(block_config) - 1:
            net.add(transition_block(channels // 2, channels))
            channels //= 2
    net.add(nn.BatchNorm(in_channels=channels), nn.Activation("relu"),
            nn.GlobalAvgPool2D(), nn.Dense(num_classes, in_units=channels))
    return net


# %% id="04-104"
d2l.save_or_show(figures.densenet_network(), "04_densenet")

# %% [markdown] id="04-012"
# ### Shape trace: how the channels grow
#
# One 96×96 Fashion-MNIST image through the top-level blocks. Each dense block adds 4·32 = 128
# channels, each transition halves them: 64 → 192 → 96 → 224 → 112 → 240 → 120 → 248.

# %% [markdown] id="04-012" lang="zh-CN" translates="d3f4f530c2de"
# ### 形状追踪：通道数如何增长
#
# 一幅 96×96 的 Fashion-MNIST 图像依次经过各个顶层块。每个稠密块增加 4·32 = 128 个通道，每个过渡层把通道数减半：
# 64 → 192 → 96 → 224 → 112 → 240 → 120 → 248。

# %% id="04-013"
net = densenet()
params, macs = d2l.print_layer_table(net, (1, 1, 96, 96), depth=1)
rows = d2l.layer_table(net, (1, 1, 96, 96), depth=1)
channels = [r["output_shape"][0] for r in rows if r["type"] in ("DenseBlock", "block")]
print("channels after each dense block / transition:", channels)
assert channels == [192, 96, 224, 112, 240, 120, 248]
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="04-014"
# Inside a block the input of the $i$-th convolution has $c_0 + (i-1)k$ channels, so the 3×3
# convolutions get wider along the block while their *outputs* stay at $k = 32$. The last dense block
# works on 3×3 maps, which is why its MACs are small.
#
# **One source of truth.** The notebook's DenseNet and the package's `d2l_utils.models.densenet.densenet`
# (checked by the unit tests) are the same model: the notebook's weights load strictly, name by name and
# shape by shape, into the package's network, and both then give the same output.

# %% [markdown] id="04-014" lang="zh-CN" translates="03767d5e05ef"
# 在一个块内部，第 $i$ 个卷积的输入有 $c_0 + (i-1)k$ 个通道，所以 3×3 卷积沿着块越来越宽，而它们的*输出*始终是
# $k = 32$ 个通道。最后一个稠密块作用在 3×3 的特征图上，因此它的乘加运算次数很少。
#
# **唯一的事实来源。** 笔记本中的 DenseNet 和软件包中的 `d2l_utils.models.densenet.densenet`（由单元测试检查）是同一个
# 模型：笔记本的权重可以严格地按名称、按形状逐一加载到软件包的网络中，之后两者给出相同的输出。

# %% id="04-015"
from d2l_utils.models import densenet as pkg

assert d2l.same_model(densenet(), pkg.densenet(), (2, 1, 96, 96))  # NBVAL_CHECK_OUTPUT

# %% [markdown] id="04-016"
# ## Parameter efficiency against ResNet-18
#
# Same input (1×96×96), same 10 classes; ResNet-18 is the package's GluonCV-matching version of
# chapter 03.

# %% [markdown] id="04-016" lang="zh-CN" translates="a92d5bb759f9"
# ## 与 ResNet-18 比较参数效率
#
# 相同的输入（1×96×96），相同的 10 个类别；ResNet-18 用的是第 03 章中软件包里与 GluonCV 一致的版本。

# %% id="04-017"
from d2l_utils.models.resnet import resnet18

shape = (1, 1, 96, 96)
stats = {}
for name, make in (("DenseNet (d2l)", pkg.densenet), ("ResNet-18", resnet18)):
    trainable, _ = d2l.count_parameters(make(), shape)
    stats[name] = (trainable, d2l.total_macs(make(), shape))
print(f"{'model':<16} {'parameters':>12} {'MACs':>14}")
for name, (p, m) in stats.items():
    print(f"{name:<16} {p:>12,} {m:>14,}")
(pd_, md), (pr, mr) = stats["DenseNet (d2l)"], stats["ResNet-18"]
print(f"DenseNet: {pd_ / pr:.1%} of the parameters, {md / mr:.1%} of the MACs of ResNet-18")
assert pd_ < pr / 10 and md < mr / 2
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="04-018"
# The d2l DenseNet has **about 15 times fewer parameters** and **less than half the MACs** of ResNet-18
# at this size. The parameters of ResNet-18 sit in its wide late stages (the 512-channel stage alone
# holds 8.4 M); DenseNet never has more than 248 channels and each convolution produces only 32.
# Fewer MACs do not mean faster on every device, though: the concatenations copy memory and the narrow
# convolutions use the hardware less well. Measure it:

# %% [markdown] id="04-018" lang="zh-CN" translates="5b2b827fb38c"
# 在这个输入尺寸下，d2l 的 DenseNet 的参数量**约为 ResNet-18 的十五分之一**，乘加运算次数**不到它的一半**。
# ResNet-18 的参数集中在后面几个很宽的阶段（仅 512 通道那一个阶段就有 8.4 M 个参数）；DenseNet 的通道数从不超过 248，
# 而且每个卷积只输出 32 个通道。不过，乘加运算更少并不意味着在每种设备上都更快：连结操作要复制内存，窄卷积对硬件的
# 利用率也更低。测一测：

# %% id="04-019"
bs, steps = (8, 1) if quick else (64, 10)
for name, make in (("DenseNet (d2l)", pkg.densenet), ("ResNet-18", resnet18)):
    v = d2l.measure_training_throughput(make, (bs, 1, 96, 96), steps=steps, warmup=1)
    print(f"{name:<16} {v:6.1f} training images/s at 96x96 (batch {bs})")

# %% [markdown] id="04-020"
# ## DenseNet-121 against GluonCV
#
# The ImageNet DenseNets of the paper are **DenseNet-BC**: every 3×3 convolution is preceded by a
# BN → ReLU → 1×1 "bottleneck" convolution to $4k$ channels (B), and transitions compress by θ = 0.5 (C).
# The convolutions have no bias (BN follows). DenseNet-121: $k = 32$, 64 stem channels, blocks of
# 6, 12, 24 and 16 layers. The package's generic `densenet(num_init_features, growth_rate,
# block_config, bn_size, use_bias=False)` builds it; its parameter count must equal GluonCV's
# `densenet121`.

# %% [markdown] id="04-020" lang="zh-CN" translates="5dbb4f995031"
# ## DenseNet-121 与 GluonCV 对照
#
# 论文中用于 ImageNet 的 DenseNet 是 **DenseNet-BC**：每个 3×3 卷积之前都有一个 BN → ReLU → 输出 $4k$ 个通道的
# 1×1“瓶颈层”（bottleneck layer）卷积（B），过渡层按 θ = 0.5 压缩（C）。这些卷积没有偏置（后面接着 BN）。
# DenseNet-121：$k = 32$，起始部分 64 个通道，各块分别有 6、12、24 和 16 层。软件包中通用的 `densenet(num_init_features, growth_rate,
# block_config, bn_size, use_bias=False)` 可以构建它；它的参数量必须与 GluonCV 的 `densenet121` 相等。

# %% id="04-021"
from d2l_utils.models.zoo import gluoncv_model

ref = gluoncv_model("densenet121")  # GluonCV's model zoo, no weights
ref.initialize()
ref_count = d2l.count_parameters(ref, (1, 3, 224, 224))
ours = pkg.densenet(64, 32, (6, 12, 24, 16), bn_size=4, num_classes=1000, in_channels=3, use_bias=False)
ours_count = d2l.count_parameters(ours, (1, 3, 224, 224))
print(f"GluonCV densenet121: {ref_count[0]:,} trainable, {ref_count[1]:,} running statistics")
print(f"ours               : {ours_count[0]:,} trainable, {ours_count[1]:,} running statistics")
assert ours_count == ref_count == (7_978_856, 83_648)
macs121 = d2l.total_macs(ours, (1, 3, 224, 224))
print(f"DenseNet-121 at 224x224: {macs121 / 1e9:.2f} GMACs (ResNet-18: 1.81)")
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="04-022"
# DenseNet-121 has 8.0 M parameters against ResNet-18's 11.7 M, and 2.8 GMACs against 1.8: deeper
# (121 layers), narrower, more compute per parameter.
#
# > **Earlier versions of this chapter said** that the paper reports DenseNet-121 reaching ResNet-50's
# > ImageNet error (about 25 % top-1) with about a third of its parameters. **That is wrong.**
# > **The paper's numbers** (224×224 single-crop top-1 error, the authors' README,
# > github.com/liuzhuang13/DenseNet, "Models in the original paper"): DenseNet-121 25.0 % with 8.0 M
# > parameters. ResNet-50 (25.6 M parameters) has 24.0 % in the re-implementation the paper compares with
# > (Facebook's fb.resnet.torch, `pretrained/README.md`: 24.01 %). DenseNet-121 is a point *worse* than
# > ResNet-50, with about a third of its parameters. The paper's own ImageNet comparison (Fig. 3) is
# > DenseNet-201, 20 M parameters, 22.5 %, about ResNet-101's 22.4 % with more than 40 M parameters: half
# > the parameters for the same error. "About a third of the parameters for the same accuracy" is the
# > paper's **CIFAR** claim (Fig. 4, middle: DenseNet-BC against pre-activation ResNets on C10+).
#
# ## Training on Fashion-MNIST
#
# d2l's recipe for this DenseNet: SGD, learning rate 0.1, batch 256, 10 epochs, 96×96 images; d2l reports
# about 0.9 test accuracy. Full mode keeps d2l's rate for 5 epochs, then lowers it along a cosine to 0 (the
# recipe chapter 03 used for ResNet-18, so the two compare fairly): that is the recorded run
# (`docs/results/04_densenet_fashion_mnist.log`, `docs/results/04_densenet.md`).
#
# | | quick mode (the default on a CPU) | full mode (`D2L_MODE=full`) |
# |---|---|---|
# | data | the shipped sample: 2,000 training and 500 test images, **resized to 48×48** | 60,000 / 10,000 images at 96×96 |
# | recipe | SGD, batch 64, rate 0.1 along a cosine to 0, 3 epochs | SGD, batch 256, 0.1 for 5 epochs then a cosine to 0, 10 epochs |
#
# Why 48×48 in quick mode: at 96×96 one epoch of even the small sample costs about a minute on a 2-core
# CPU; at 48×48 every map has a quarter of the pixels (the blocks work on 12, 6, 3 and 1 pixels a side),
# and the same network, unchanged, trains about four times faster and still learns. Smaller batches give
# more steps on 2,000 images, and the cosine lets the weights settle within 3 epochs.

# %% [markdown] id="04-022" lang="zh-CN" translates="4c9f2c11fa46"
# DenseNet-121 有 8.0 M 个参数，ResNet-18 有 11.7 M；乘加运算为 2.8 GMACs，而 ResNet-18 为 1.8：更深（121 层）、更窄，
# 每个参数承担的计算更多。
#
# > **本章早先的版本说**，论文报告 DenseNet-121 以大约三分之一的参数达到了 ResNet-50 在 ImageNet 上的错误率
# > （top-1 约 25 %）。**这是错的。**
# > **论文给出的数字**（224×224 单裁剪 top-1 错误率，见作者的 README，
# > github.com/liuzhuang13/DenseNet，“Models in the original paper”）：DenseNet-121 为 25.0 %，参数 8.0 M。
# > ResNet-50（参数 25.6 M）在论文所对比的复现版本中为 24.0 %
# > （Facebook 的 fb.resnet.torch，`pretrained/README.md`：24.01 %）。DenseNet-121 比 ResNet-50 *差*一个百分点，
# > 参数约为它的三分之一。论文自己在 ImageNet 上的比较（图 3）是 DenseNet-201：参数 20 M，错误率 22.5 %，与参数超过 40 M
# > 的 ResNet-101 的 22.4 % 相当：参数减半，错误率相同。“以大约三分之一的参数达到相同精度”是论文关于 **CIFAR** 的结论
# > （图 4 中图：在 C10+ 上 DenseNet-BC 对比预激活 ResNet）。
#
# ## 在 Fashion-MNIST 上训练
#
# d2l 为这个 DenseNet 给出的训练方案：SGD，学习率（learning rate）0.1，批量大小 256，10 个迭代周期（epoch），96×96 图像；
# d2l 报告的测试精度约为 0.9。完整模式在前 5 个迭代周期保持 d2l 的学习率，之后按余弦曲线降到 0（这是第 03 章训练 ResNet-18
# 所用的方案，因此两者的比较是公平的）：这就是已记录的那次运行
# （`docs/results/04_densenet_fashion_mnist.log`，`docs/results/04_densenet.md`）。
#
# | | 快速模式（CPU 上的默认模式） | 完整模式（`D2L_MODE=full`） |
# |---|---|---|
# | 数据 | 随课程提供的样本：2,000 张训练图像和 500 张测试图像，**缩放到 48×48** | 60,000 / 10,000 张 96×96 图像 |
# | 训练方案 | SGD，批量大小 64，学习率 0.1 按余弦曲线降到 0，3 个迭代周期 | SGD，批量大小 256，前 5 个迭代周期为 0.1，之后按余弦曲线降到 0，共 10 个迭代周期 |
#
# 为什么快速模式用 48×48：在 96×96 下，即使只是这个小样本，一个迭代周期在 2 核 CPU 上也要大约一分钟；在 48×48 下，
# 每张特征图的像素只有原来的四分之一（各块处理的特征图边长分别为 12、6、3 和 1 个像素），同一个网络不做任何改动，
# 训练速度快约四倍，而且依然能学到东西。更小的批量让 2,000 张图像能训练更多步，余弦调度则让权重在 3 个迭代周期内稳定下来。

# %% id="04-023"
if quick:
    batch_size, lr, num_epochs, resize = 64, 0.1, 3, 48
    schedule = d2l.hold_then_cosine(lr, 0, num_epochs)                 # cosine from 0.1 down to 0
else:  # the recorded run
    batch_size, lr, num_epochs, resize = 256, 0.1, 10, 96
    schedule = d2l.hold_then_cosine(lr, num_epochs // 2, num_epochs)   # 0.1 for 5 epochs, then a cosine
train_iter, test_iter = d2l.load_fashion_mnist(batch_size, resize=resize)
print(f"{train_iter.num_examples:,} training and {test_iter.num_examples:,} test images at {resize}x{resize}")
net = densenet()
history = d2l.train(net, train_iter, test_iter, num_epochs, lr=lr, seed=0, ctx=ctx, lr_schedule=schedule,
                    checkpoint_dir=None if quick else "checkpoints/04_densenet",
                    title=f"DenseNet on Fashion-MNIST {resize}x{resize}")

# %% id="04-105"
final_acc = history["test_acc"][-1]
print(f"test accuracy after {num_epochs} epochs: {final_acc:.3f} "
      f"({history['examples_per_sec'][-1]:,.0f} training images/s in the last epoch)")
assert final_acc >= 0.75 or not quick, f"quick mode should reach 75 %, got {final_acc:.3f}"
fast = d2l.measure_training_throughput(densenet, (batch_size, 1, resize, resize), mode="hybridize(static)", steps=3, warmup=1)
slow = d2l.measure_training_throughput(densenet, (batch_size, 1, resize, resize), mode="imperative", steps=3, warmup=1)
verdict = "faster than" if fast > 1.1 * slow else "slower than" if fast < 0.9 * slow else "about as fast as"
print(f"hybridize(static) trains this DenseNet at {fast / slow:.2f}x the imperative speed: {verdict} imperative "
      "here (chapter 00 explains why)")

# %% [markdown] id="04-106"
# ### Where full mode ends
#
# Left: this run. Right: the recorded full-mode run read from its log, on a 2-core CPU, with d2l's figure
# for the same network and data (about 0.9 after 10 epochs at a constant rate).

# %% [markdown] id="04-106" lang="zh-CN" translates="fba238876bdd"
# ### 完整模式的最终结果
#
# 左图：本次运行。右图：已记录的完整模式运行，数据读自其日志，在 2 核 CPU 上运行，并标出 d2l 对同一网络和数据给出的
# 结果（恒定学习率下训练 10 个迭代周期后约为 0.9）。

# %% id="04-107"
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
from d2l_utils import results

fig, (ax_quick, ax_full) = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
ax_quick.plot(history["epoch"], history["train_acc"], "o-", ms=3, label="train acc")
ax_quick.plot(history["epoch"], history["test_acc"], "s-", ms=3, label=f"test acc {final_acc:.3f}")
ax_quick.set(title=f"this run ({mode} mode, {train_iter.num_examples:,} images, {resize}x{resize})",
             xlabel="epoch", ylabel="accuracy")
ax_quick.title.set_fontsize(9); ax_quick.xaxis.set_major_locator(MaxNLocator(integer=True))
ax_quick.legend(fontsize=7, loc="lower right"); ax_quick.grid(alpha=0.3)
full = results.plot_recorded_run(ax_full, "04_densenet_fashion_mnist.log", paper=0.9, paper_label="d2l, about",
                                 label="full mode, recorded: 60,000 images, 96x96")
d2l.save_or_show(fig, "04_quick_vs_full")
resnet = results.read_history("03_resnet18_fashion_mnist.log")
print(f"recorded full-mode runs, same data and recipe: DenseNet {full['test_acc'][-1]:.3f} in "
      f"{results.wall_time(full) / 60:.0f} min, ResNet-18 {resnet['test_acc'][-1]:.3f} in "
      f"{results.wall_time(resnet) / 60:.0f} min (chapter 03)")

# %% [markdown] id="04-024"
# ## Results against the paper
#
# | what | reference | ours |
# |---|---|---|
# | DenseNet-121 parameters | GluonCV `densenet121`: 7,978,856 | equal (asserted above) |
# | d2l DenseNet vs ResNet-18, 96×96 | — | parameters and MACs measured above |
# | d2l DenseNet, Fashion-MNIST 96×96, 10 epochs | d2l: about 0.9 | the recorded run, printed above, one seed each (`docs/results/04_densenet.md`) |
#
# ## Exercises
#
# Exercises 4.1–4.3 are computations; 4.4 and 4.5 are experiments: change the network, train it with the
# chapter's recipe and compare. Their checks read your network's structure, recompute its test accuracy and
# require it to be the last one of the history you pass, so the comparison they print is your own run's.
# One run each, one seed: a difference of a point or two can be noise.
#
# **Exercise 4.1 · Channel bookkeeping.** Write `dense_channels(num_init_features, growth_rate,
# block_config)` returning the channel count after every dense block and every transition (halving,
# rounded down), in order, as in the shape trace above. Try DenseNet-121's (64, 32, (6, 12, 24, 16)).

# %% [markdown] id="04-024" lang="zh-CN" translates="3fd9485530e4"
# ## 与论文结果对照
#
# | 项目 | 参考值 | 我们的结果 |
# |---|---|---|
# | DenseNet-121 的参数量 | GluonCV `densenet121`：7,978,856 | 相等（上文已断言） |
# | d2l DenseNet 对 ResNet-18，96×96 | — | 参数量和乘加运算次数见上文的测量 |
# | d2l DenseNet，Fashion-MNIST 96×96，10 个迭代周期 | d2l：约 0.9 | 已记录的运行，见上文输出，各用一个随机种子（`docs/results/04_densenet.md`） |
#
# ## 练习
#
# 练习 4.1–4.3 是计算题；4.4 和 4.5 是实验：修改网络，用本章的训练方案训练它并比较结果。这两道练习的检查会读取你的网络
# 结构，重新计算它的测试精度，并要求它是你传入的训练历史中的最后一次运行，因此打印出来的比较就是你自己那次运行的结果。
# 每种设置只运行一次、只用一个随机种子：一两个百分点的差异可能只是噪声。
#
# **练习 4.1 · 通道数记账。** 编写 `dense_channels(num_init_features, growth_rate,
# block_config)`，按顺序返回每个稠密块和每个过渡层（减半，向下取整）之后的通道数，与上面的形状追踪一致。
# 试试 DenseNet-121 的 (64, 32, (6, 12, 24, 16))。

# %% id="04-025"
from d2l_utils.exercises.ch04 import (check_dense_channels, check_conv_block_params, check_densenet169,
                                      check_growth_and_compression, check_max_pool_transitions)


def dense_channels(num_init_features, growth_rate, block_config):
    raise NotImplementedError("return [after block 1, after transition 1, after block 2, ...]")


# %% id="04-026"
check_dense_channels(dense_channels)


# %% [markdown] id="04-027"
# **Exercise 4.2 · Parameters of a convolution block.** Write `conv_block_params(in_channels,
# growth_rate)`: the number of *trainable* parameters of `conv_block(growth_rate, in_channels)` above
# (BN's γ and β, the 3×3 convolution's weights and bias). Then use it to explain why the last
# convolution of a dense block costs more than the first.

# %% [markdown] id="04-027" lang="zh-CN" translates="cfbcd827c8d2"
# **练习 4.2 · 卷积块的参数量。** 编写 `conv_block_params(in_channels,
# growth_rate)`：上面 `conv_block(growth_rate, in_channels)` 的*可训练*参数个数（BN 的 γ 和 β，3×3 卷积的权重和偏置）。
# 然后用它解释为什么一个稠密块中最后一个卷积比第一个代价更高。

# %% id="04-028"
def conv_block_params(in_channels, growth_rate):
    raise NotImplementedError


# %% id="04-029"
check_conv_block_params(conv_block_params)


# %% [markdown] id="04-030"
# **Exercise 4.3 · DenseNet-169.** Using `pkg.densenet` with bottlenecks (`bn_size=4`, `use_bias=False`,
# 3 input channels, 1,000 classes), return the trainable parameter count of DenseNet-169 (k = 32, 64
# stem channels, blocks 6, 12, 32, 32).

# %% [markdown] id="04-030" lang="zh-CN" translates="f8a5d9a863a2"
# **练习 4.3 · DenseNet-169。** 使用带瓶颈层的 `pkg.densenet`（`bn_size=4`，`use_bias=False`，3 个输入通道，1,000 个类别），
# 返回 DenseNet-169（k = 32，起始部分 64 个通道，各块分别为 6、12、32、32 层）的可训练参数个数。

# %% id="04-031"
def densenet169_parameters():
    raise NotImplementedError


# %% id="04-032"
check_densenet169(densenet169_parameters)

# %% [markdown] id="04-108"
# **Exercise 4.4 · Growth rate and compression.** Build `net_k` with another growth rate $k$ and/or
# another compression θ (for instance $k = 16$, or θ = 1: transitions that keep every channel and only
# halve the resolution, the paper's plain DenseNet), keeping the rest of the chapter's network. Add a
# `compression` argument to the chapter's `densenet` above, or use `pkg.densenet(growth_rate=...,
# compression=...)`. Train it with the chapter's recipe: what do the parameters and the accuracy do?

# %% [markdown] id="04-108" lang="zh-CN" translates="0d93fbe75f99"
# **练习 4.4 · 增长率与压缩。** 构建 `net_k`：换一个增长率 $k$ 和/或换一个压缩因子 θ（例如 $k = 16$，或 θ = 1：
# 过渡层保留全部通道、只把分辨率减半，即论文中的普通 DenseNet），网络的其余部分与本章保持一致。可以给本章上面的
# `densenet` 加一个 `compression` 参数，也可以用 `pkg.densenet(growth_rate=...,
# compression=...)`。用本章的训练方案训练它：参数量和精度会怎样变化？

# %% id="04-109"
net_k = None  # your DenseNet with another growth rate and/or compression
if net_k is not None:
    history_k = d2l.train(net_k, train_iter, test_iter, num_epochs, lr=lr, seed=0, ctx=ctx,
                          lr_schedule=schedule, title="DenseNet, your k and compression")

# %% id="04-110"
check_growth_and_compression(None if net_k is None else dict(
    net=net_k, history=history_k, baseline=history, test_iter=test_iter))

# %% [markdown] id="04-111"
# **Exercise 4.5 · Average or max pooling in the transitions?** The paper's transition pools by
# average. Build `net_max`, the chapter's network with `MaxPool2D(pool_size=2, strides=2)` in every
# transition, train it with the same recipe and compare. Why might averaging suit a layer whose input is the
# concatenation of many feature maps?

# %% [markdown] id="04-111" lang="zh-CN" translates="f6ae2ca1d7c7"
# **练习 4.5 · 过渡层用平均汇聚还是最大汇聚？** 论文的过渡层使用平均汇聚。构建 `net_max`：即在每个过渡层中改用
# `MaxPool2D(pool_size=2, strides=2)` 的本章网络，用同样的方案训练它并比较结果。对于一个输入是许多特征图连结而成的层，
# 为什么平均汇聚可能更合适？

# %% id="04-112"
net_max = None  # the chapter's DenseNet with max pooling in its transitions
if net_max is not None:
    history_max = d2l.train(net_max, train_iter, test_iter, num_epochs, lr=lr, seed=0, ctx=ctx,
                            lr_schedule=schedule, title="DenseNet, max-pool transitions")

# %% id="04-113"
check_max_pool_transitions(None if net_max is None else dict(
    net=net_max, history=history_max, baseline=history, test_iter=test_iter))
