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

# %% [markdown] id="05-001"
# # Chapter 05 · MobileNet V1 and V2: depthwise separable convolutions, inverted residuals
#
# Phones and embedded boards cannot run a VGG. MobileNet V1 (Howard et al., 2017) rebuilds the
# convolutional network from one cheap operation, the **depthwise separable convolution**;
# MobileNet V2 (Sandler et al., 2018) wraps it in an **inverted residual block with a linear
# bottleneck**. This chapter follows the post "第二次作业:卷积神经网络 part 2" (MobileNet V1 and V2
# on CIFAR-10, PyTorch), which opens with two questions it never quite answers:
#
# 1. **Why does MobileNet V2 have far fewer parameters than MobileNet V1?**
# 2. **What is the shortcut connection for?**
#
# We answer both with numbers computed here. On the way:
#
# 1. standard vs depthwise separable convolution: the cost formula, checked on real Gluon layers;
# 2. MobileNet V1: the post's CIFAR-10 network and the paper's ImageNet network, with its two knobs
#    (width α, resolution ρ) reproducing the paper's Tables 6–7 and GluonCV's parameter counts;
# 3. MobileNet V2: the inverted residual block, ReLU6, the paper's shortcut vs the post's
#    projection shortcut; the ImageNet network against the paper and GluonCV;
# 4. why the bottleneck must be linear: the paper's ReLU-on-a-spiral experiment, measured with a
#    decoder that can tell lost information from a change of scale;
# 5. what the shortcut does, measured on the gradients with a scale-free measure;
# 6. training V1 and V2 on CIFAR-10: a short recipe that learns within a minute, the recorded
#    full-mode runs, and whether depthwise kernels "die";
# 7. exercises, three of them experiments: V2 with a ReLU after its bottleneck, V2 without
#    shortcuts, V1 at half width.
#
# Every block diagram is drawn by `d2l_utils/figures/ch05.py` from the real Gluon layers of the
# package's models (change a channel count in the model and the figure changes).

# %% [markdown] id="05-001" lang="zh-CN" translates="2ef6eeb84955"
# # 第 05 章 · MobileNet V1 与 V2：深度可分离卷积与倒残差
#
# 手机和嵌入式开发板跑不动 VGG。MobileNet V1（Howard et al., 2017）用一种廉价的运算——**深度可分离卷积**（depthwise separable convolution）——重新搭建整个卷积神经网络；MobileNet V2（Sandler et al., 2018）又把它包装成一个**带线性瓶颈（linear bottleneck）的倒残差（inverted residual）块**。本章跟随博文“第二次作业:卷积神经网络 part 2”（下称“原文”；用 PyTorch 在 CIFAR-10 上实现 MobileNet V1 和 V2）。原文开篇提出了两个问题，却始终没有真正回答：
#
# 1. **“MobileNetV2的参数为什么比MobileNetV1要少很多?”**
# 2. **“shortcut连接是干嘛的?”**
#
# 我们用本章亲手算出的数字来回答这两个问题。沿途会讲到：
#
# 1. 标准卷积与深度可分离卷积：代价公式，并在真实的 Gluon 层上验证；
# 2. MobileNet V1：原文的 CIFAR-10 网络和论文的 ImageNet 网络，以及它的两个旋钮（宽度 α、分辨率 ρ），复现论文的表 6–7 和 GluonCV 的参数量；
# 3. MobileNet V2：倒残差块、ReLU6、论文的捷径连接（shortcut connection）与原文的投影捷径连接；把 ImageNet 网络与论文和 GluonCV 对照；
# 4. 为什么瓶颈必须是线性的：论文中“对螺旋线施加 ReLU”的实验，用一个能区分“信息丢失”和“尺度变化”的解码器来测量；
# 5. 捷径连接有什么用：用一个与尺度无关的量在梯度上测量；
# 6. 在 CIFAR-10 上训练 V1 和 V2：一个一分钟内就能学到东西的简短训练方案、记录下来的完整模式（full mode）运行结果，以及深度卷积核是否会“废掉”；
# 7. 练习，其中三道是实验：瓶颈之后加 ReLU 的 V2、去掉捷径连接的 V2、半宽度的 V1。
#
# 每张结构图都由 `d2l_utils/figures/ch05.py` 根据课程包中模型的真实 Gluon 层绘制（改动模型里的一个通道数，图也会跟着变）。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="05-002"
import d2l_utils as d2l  # first: checks numpy, sets OpenMP threads, then MXNet may load
mode = d2l.chapter_banner("Chapter 05 · MobileNet V1 and V2")

# %% id="05-003"
import time

import matplotlib.pyplot as plt
import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd
from mxnet.gluon import nn

ctx = d2l.try_gpu()
quick = mode == "quick"

# %% [markdown] id="05-004"
# ## 1. Standard vs depthwise separable convolution
#
# A standard convolution with a $D_K\times D_K$ kernel maps $M$ input channels to $N$ output
# channels on a $D_F\times D_F$ output map. Every output value sums $D_K^2 M$ products, so it costs
#
# $$D_K^2 \cdot M \cdot N \cdot D_F^2 \quad\text{multiply-accumulates (MACs).}$$
#
# It does two jobs at once: it filters space *and* mixes channels. The depthwise separable
# convolution splits the jobs:
#
# * **depthwise**: one $D_K\times D_K$ filter per input channel, no mixing ($M$ groups of one
#   channel; in Gluon `Conv2D(M, 3, groups=M)`): $D_K^2\cdot M\cdot D_F^2$;
# * **pointwise**: a $1\times1$ convolution mixing the channels: $M\cdot N\cdot D_F^2$.
#
# $$\frac{D_K^2 M D_F^2 + M N D_F^2}{D_K^2 M N D_F^2} = \frac{1}{N} + \frac{1}{D_K^2}.$$
#
# With 3×3 kernels and hundreds of channels the ratio is a little over 1/9: 8 to 9 times fewer
# MACs, as the post says. The same ratio holds for the parameters (drop the $D_F^2$).
# The figure shows the three layers on a small example (3 input channels, 4 output channels, 3×3
# kernels), built as real Gluon layers: the kernel shapes are read from their weights and the costs
# counted by `d2l.layer_table`. A standard kernel is as deep as the input; a depthwise kernel sees one
# channel; a pointwise kernel is 1×1 and as deep as the input.

# %% [markdown] id="05-004" lang="zh-CN" translates="2a293255cf13"
# ## 1. 标准卷积与深度可分离卷积
#
# 一个卷积核大小为 $D_K\times D_K$ 的标准卷积，把 $M$ 个输入通道（channel）映射为 $D_F\times D_F$ 输出特征图上的 $N$ 个输出通道。每个输出值是 $D_K^2 M$ 个乘积之和，因此它需要的乘加运算（multiply-accumulates，MACs）次数为
#
# $$D_K^2 \cdot M \cdot N \cdot D_F^2 \quad\text{multiply-accumulates (MACs).}$$
#
# 它同时做了两件事：在空间上滤波，*并且*混合通道。深度可分离卷积把这两件事拆开：
#
# * **深度卷积**（depthwise convolution）：每个输入通道一个 $D_K\times D_K$ 滤波器，不混合通道（$M$ 组，每组一个通道；在 Gluon 中为 `Conv2D(M, 3, groups=M)`）：$D_K^2\cdot M\cdot D_F^2$；
# * **逐点卷积**（pointwise convolution）：一个混合通道的 $1\times1$ 卷积：$M\cdot N\cdot D_F^2$。
#
# $$\frac{D_K^2 M D_F^2 + M N D_F^2}{D_K^2 M N D_F^2} = \frac{1}{N} + \frac{1}{D_K^2}.$$
#
# 卷积核为 3×3、通道数为几百时，这个比值略大于 1/9：乘加运算次数少 8 到 9 倍，正如原文所说（“普通卷积的计算量是DW+PW的8-9倍左右”）。参数量的比值也一样（去掉 $D_F^2$ 即可）。
# 下图在一个小例子（3 个输入通道、4 个输出通道、3×3 卷积核）上展示这三种层，它们都是真实的 Gluon 层：卷积核的形状读自它们的权重，代价由 `d2l.layer_table` 统计。标准卷积核的深度与输入相同；深度卷积核只看一个通道；逐点卷积核是 1×1 的，深度与输入相同。

# %% id="05-101"
from d2l_utils.figures import ch05 as figures   # drawn from real Gluon layers (d2l_utils/figures/ch05.py)

d2l.save_or_show(figures.conv_types(), "05_conv_types")

# %% [markdown] id="05-102"
# Now the formula at the size of a real MobileNet layer, against `d2l.layer_table`, which counts
# MACs on real Gluon layers:

# %% [markdown] id="05-102" lang="zh-CN" translates="5faa01ed3603"
# 现在把公式用到真实 MobileNet 层的尺寸上，并与 `d2l.layer_table` 对照（它在真实的 Gluon 层上统计乘加运算次数）：

# %% id="05-005"
# NBVAL_CHECK_OUTPUT
D_K, M, N, D_F = 3, 512, 512, 14       # a 14x14 MobileNet layer
shape = (1, M, D_F, D_F)
standard = nn.Conv2D(N, D_K, padding=1, use_bias=False)
separable = nn.HybridSequential()
separable.add(nn.Conv2D(M, D_K, padding=1, groups=M, use_bias=False),   # depthwise
              nn.Conv2D(N, 1, use_bias=False))                          # pointwise
for net in (standard, separable):
    net.initialize()
print("standard convolution")
p_std, macs_std = d2l.print_layer_table(standard, shape)
print("\ndepthwise separable convolution")
p_sep, macs_sep = d2l.print_layer_table(separable, shape)
assert macs_std == D_K**2 * M * N * D_F**2 == d2l.conv_macs(M, N, (3, 3), (14, 14))
assert macs_sep == D_K**2 * M * D_F**2 + M * N * D_F**2
assert np.isclose(macs_sep / macs_std, 1 / N + 1 / D_K**2)
assert np.isclose(p_sep / p_std, 1 / N + 1 / D_K**2)
print(f"\nMACs ratio {macs_sep / macs_std:.4f} = 1/N + 1/D_K^2 = {1 / N + 1 / D_K**2:.4f}: "
      f"{macs_std / macs_sep:.1f}x cheaper")


# %% [markdown] id="05-006"
# **MACs are not time.** The depthwise part has very few MACs but touches every value of a
# large tensor to do only 9 multiplications per value: it is limited by memory traffic, not
# arithmetic, and CPU libraries optimise it less than dense convolutions. Let us time forward +
# backward of the three layers (the numbers depend on your machine and on what else runs).

# %% [markdown] id="05-006" lang="zh-CN" translates="4e78e66a6a3f"
# **乘加运算次数不等于时间。** 深度卷积部分的乘加运算很少，但它要访问一个大张量的每一个值，而每个值只做 9 次乘法：它受限于内存访问量，而不是算术运算，而且 CPU 上的库对它的优化不如对稠密卷积那样充分。我们来测一下这三种层前向 + 反向传播的时间（数字取决于你的机器，以及同时还在运行什么）。

# %% id="05-007"
def time_layer(layer, shape, repeat=3):
    layer.initialize(force_reinit=True)
    layer.hybridize(static_alloc=True, static_shape=True)
    x = nd.random.uniform(shape=shape, ctx=mx.cpu())
    for i in range(repeat + 1):
        if i == 1:
            nd.waitall()
            start = time.perf_counter()
        with autograd.record():
            y = layer(x)
        y.backward()
    nd.waitall()
    return (time.perf_counter() - start) / repeat


C, size = (64, 16) if quick else (256, 28)
batch = 16 if quick else 64
for name, layer, macs in [
        ("3x3 standard", nn.Conv2D(C, 3, padding=1, use_bias=False), 9 * C * C),
        ("3x3 depthwise", nn.Conv2D(C, 3, padding=1, groups=C, use_bias=False), 9 * C),
        ("1x1 pointwise", nn.Conv2D(C, 1, use_bias=False), C * C)]:
    t = time_layer(layer, (batch, C, size, size))
    print(f"{name:<14} MACs per pixel {macs:>7,}   forward+backward {1000 * t:7.1f} ms")

# %% [markdown] id="05-008"
# The depthwise layer has 9/C of the pointwise layer's MACs (here 1/7), but on a CPU it is usually
# much less than 7× faster: per MAC it is the slowest of the three. Keep this in mind when the MAC
# tables below promise a 2× saving.
#
# ## 2. MobileNet V1
#
# After one standard 3×3 convolution, MobileNet V1 is a plain stack (no shortcuts) of
# depthwise separable blocks, each half followed by batch norm and ReLU (the paper's Fig. 3):
#
# `3x3 depthwise (stride s) → BN → ReLU → 1x1 pointwise → BN → ReLU`
#
# The convolutions have no bias: the batch norm right after them has its own shift β. The figure
# draws the package's block next to the standard 3×3 layer it replaces, with their costs:

# %% [markdown] id="05-008" lang="zh-CN" translates="b889ece19359"
# 深度卷积层的乘加运算次数是逐点卷积层的 9/C（这里为 1/7），但在 CPU 上它通常远远快不到 7 倍：按每次乘加运算计算，它是三者中最慢的。下文的乘加运算表格许诺节省 2 倍时，请记住这一点。
#
# ## 2. MobileNet V1
#
# 在一个标准 3×3 卷积之后，MobileNet V1 就是深度可分离块的简单堆叠（没有捷径连接），每一半之后都接批量规范化（batch normalization）和 ReLU（论文图 3）：
#
# `3x3 depthwise (stride s) → BN → ReLU → 1x1 pointwise → BN → ReLU`
#
# 这些卷积都没有偏置：紧随其后的批量规范化有自己的偏移 β。下图把课程包中的块和它所替代的标准 3×3 卷积层画在一起，并标出各自的代价：

# %% id="05-103"
d2l.save_or_show(figures.separable_block(), "05_v1_block")


# %% id="05-009"
def conv_bn(channels, kernel=1, stride=1, groups=1, act="relu"):
    """Conv (no bias) + BatchNorm + activation. (B, C, H, W) -> (B, channels, H/stride, W/stride)"""
    blk = nn.HybridSequential()
    blk.add(nn.Conv2D(channels, kernel, stride, kernel // 2, groups=groups, use_bias=False),
            nn.BatchNorm())
    if act == "relu":
        blk.add(nn.Activation("relu"))
    elif act == "relu6":
        blk.add(ReLU6())
    return blk


class ReLU6(nn.HybridBlock):   # used by MobileNet V2 (section 3)
    def hybrid_forward(self, F, x):
        return F.clip(x, 0, 6)


def depthwise_separable(in_channels, channels, stride=1):
    blk = nn.HybridSequential()
    blk.add(conv_bn(in_channels, 3, stride, groups=in_channels),   # depthwise: (B, in, H/s, W/s)
            conv_bn(channels, 1))                                  # pointwise: (B, out, H/s, W/s)
    return blk


# %% [markdown] id="05-010"
# The post's CIFAR-10 version keeps 32×32 inputs large: the first convolution has stride 1
# (the paper's has stride 2 on 224×224 images), and four stride-2 blocks take 32 → 2. Its
# `cfg` list of (channels, stride) has **9** blocks; the paper has **13**: the post keeps only one
# of the paper's five 512-channel blocks at 14×14 (we count what that changes in section 3.4).

# %% [markdown] id="05-010" lang="zh-CN" translates="97bc79197bf1"
# 原文的 CIFAR-10 版本让 32×32 的输入保持较大的尺寸：第一个卷积的步幅（stride）为 1（论文中在 224×224 图像上步幅为 2），四个步幅为 2 的块把尺寸从 32 缩到 2。它的 `cfg` 列表（通道数，步幅）有 **9** 个块；论文有 **13** 个：原文在 14×14 处只保留了论文五个 512 通道块中的一个（第 3.4 节会算出这改变了什么）。

# %% id="05-011"
POST_V1_CFG = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1),
               (1024, 2), (1024, 1)]


def mobilenet_v1_post(num_classes=10):
    net = nn.HybridSequential()
    net.add(conv_bn(32, 3, stride=1))                  # (B, 32, 32, 32)
    in_channels = 32
    for channels, stride in POST_V1_CFG:
        net.add(depthwise_separable(in_channels, channels, stride))
        in_channels = channels
    net.add(nn.GlobalAvgPool2D(), nn.Flatten(),        # (B, 1024): the post's avg_pool2d(out, 2) on 2x2
            nn.Dense(num_classes))                     # (B, 10)
    return net


net = mobilenet_v1_post()
net.initialize(mx.init.Xavier(), ctx=ctx)

# %% id="05-012"
# NBVAL_CHECK_OUTPUT
params_v1, macs_v1 = d2l.print_layer_table(net, (1, 3, 32, 32), depth=1)
print(f"\nMobileNet V1 (post, CIFAR-10): {params_v1:,} parameters, {macs_v1 / 1e6:.1f}M MACs per image")

# %% [markdown] id="05-013"
# The same network lives in the course package (`d2l_utils/models/mobilenet_v1.py`).
# `d2l.same_model` loads this notebook's weights into the package's network strictly by layer name
# (a layer more, less or of another shape fails) and compares the outputs:

# %% [markdown] id="05-013" lang="zh-CN" translates="1fda39e7b40a"
# 同一个网络也在课程包里（`d2l_utils/models/mobilenet_v1.py`）。`d2l.same_model` 严格按层名把本 notebook 的权重加载到课程包的网络中（多一层、少一层或形状不同都会失败），并比较两者的输出：

# %% id="05-014"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.mobilenet_v1 import mobilenet_v1, mobilenet_v1_cifar

assert d2l.same_model(net, mobilenet_v1_cifar(), (2, 3, 32, 32))

# %% [markdown] id="05-015"
# ### 2.1 The ImageNet network and the two knobs α and ρ
#
# The paper's network (its Table 1) takes 224×224 images: the first convolution has stride 2,
# then 13 separable blocks take 112 → 7, a global average pool and a 1000-way dense layer.
# Two hyper-parameters shrink it:
#
# * the **width multiplier α** thins every layer to α·C channels: MACs and parameters fall
#   roughly as α² (the 1×1 convolutions dominate and have C_in·C_out weights);
# * the **resolution multiplier ρ** is just a smaller input image: MACs fall as ρ², the
#   parameters do not change (global pooling makes the net size-independent).
#
# > **The post says / the paper says.** The post calls the resolution knob "β" ("β是控制输入图像的大小",
# > "β表示输入的图像大小"). The paper calls it the *resolution multiplier* **ρ** (Howard et al. 2017,
# > §3.4; ρ = 1 at 224 pixels, and ρ is set implicitly by choosing 224, 192, 160 or 128). Same knob,
# > another letter; we use the paper's ρ.
#
# `mobilenet_v1(multiplier=α, num_classes=1000)` is built exactly like GluonCV's
# `mobilenet1.0 / 0.75 / 0.5 / 0.25`. We compare both with the paper's Tables 6–7. The paper counts
# convolution and dense weights (no batch norm), and MACs of convolutions and dense layers.

# %% [markdown] id="05-015" lang="zh-CN" translates="8dca1d3416dd"
# ### 2.1 ImageNet 网络与两个旋钮 α 和 ρ
#
# 论文的网络（其表 1）输入 224×224 的图像：第一个卷积步幅为 2，随后 13 个可分离块把尺寸从 112 缩到 7，最后是一个全局平均汇聚层（global average pooling layer，也常称“全局平均池化”）和一个 1000 路的全连接层。两个超参数可以把它缩小：
#
# * **宽度乘子 α**（width multiplier）把每一层变瘦为 α·C 个通道：乘加运算次数和参数量大约按 α² 下降（1×1 卷积占主导，它有 C_in·C_out 个权重）；
# * **分辨率乘子 ρ**（resolution multiplier）就是更小的输入图像：乘加运算次数按 ρ² 下降，参数量不变（全局汇聚使网络与输入尺寸无关）。
#
# > **原文说：** 原文把分辨率这个旋钮叫作“β”（“β是控制输入图像的大小”，“β表示输入的图像大小”）。**论文说：** 论文称之为*分辨率乘子* **ρ**（Howard et al. 2017，§3.4；224 像素时 ρ = 1，ρ 通过选择 224、192、160 或 128 隐式设定）。同一个旋钮，换了个字母；我们采用论文的 ρ。
#
# `mobilenet_v1(multiplier=α, num_classes=1000)` 的构建方式与 GluonCV 的 `mobilenet1.0 / 0.75 / 0.5 / 0.25` 完全相同。我们把两者都与论文的表 6–7 对比。论文统计的是卷积层和全连接层的权重（不含批量规范化），以及卷积层和全连接层的乘加运算次数。

# %% id="05-016"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.zoo import gluoncv_model  # GluonCV's model zoo, pretrained=False

PAPER_WIDTH = {1.0: (569, 4.2), 0.75: (325, 2.6), 0.5: (149, 1.3), 0.25: (41, 0.5)}  # Table 6
PAPER_RES = {224: 569, 192: 418, 160: 290, 128: 186}                                 # Table 7
GLUONCV_NAME = {1.0: "mobilenet1.0", 0.75: "mobilenet0.75", 0.5: "mobilenet0.5", 0.25: "mobilenet0.25"}
SMALL = (1, 3, 32, 32)   # enough to infer parameter shapes


def paper_params(net):
    """Conv and dense weights without batch norm: what the papers count."""
    return sum(p.data().size for name, p in net.collect_params().items() if "batchnorm" not in name)


print(f"{'model':<16}{'MACs':>8}{'paper':>7}{'params':>9}{'paper':>7}   {'ours (train, BN stats)':<24} GluonCV")
for alpha, (paper_macs, paper_p) in PAPER_WIDTH.items():
    net = mobilenet_v1(alpha)
    ours = d2l.count_parameters(net, SMALL)
    gcv = d2l.count_parameters(gluoncv_model(GLUONCV_NAME[alpha]), SMALL)
    macs = d2l.total_macs(net, (1, 3, 224, 224))
    print(f"{alpha:.2f}-224{'':<8}{macs / 1e6:>7.1f}M{paper_macs:>6}M{paper_params(net) / 1e6:>8.2f}M"
          f"{paper_p:>6}M   {str(ours):<24} {gcv}")
    assert ours == gcv and abs(macs / 1e6 - paper_macs) < 1 and round(paper_params(net) / 1e6, 1) == paper_p
net = mobilenet_v1(1.0)
for rho, paper_macs in list(PAPER_RES.items())[1:]:
    macs = d2l.total_macs(net, (1, 3, rho, rho))
    print(f"1.00-{rho}{'':<8}{macs / 1e6:>7.1f}M{paper_macs:>6}M{paper_params(net) / 1e6:>8.2f}M{4.2:>6}M")
    assert abs(macs / 1e6 - paper_macs) < 1


# %% [markdown] id="05-017"
# Every MAC count is within 1 million of the paper (which rounds: 290.7M is printed as 290), and
# the parameter counts match GluonCV's model zoo to the last parameter. Halving the width
# (α = 0.5) gives 3.8× fewer MACs and 3.2× fewer parameters; shrinking the image to 128 pixels
# gives 3.1× fewer MACs and the same parameters. The paper's ImageNet top-1 accuracies (Tables
# 6–7): 70.6 % (1.0-224), 68.4 % (0.75), 63.7 % (0.5), 50.6 % (0.25); 69.1 / 67.2 / 64.4 % at
# 192 / 160 / 128 pixels. Accuracy falls smoothly with both knobs, steeply only at α = 0.25.

# %% [markdown] id="05-017" lang="zh-CN" translates="70c9946ab94e"
# 每个乘加运算次数与论文相差都不到 1M（论文做了舍入：290.7M 印作 290），参数量则与 GluonCV 模型库（model zoo）完全一致，一个参数都不差。宽度减半（α = 0.5）使乘加运算次数减少到 1/3.8、参数量减少到 1/3.2；把图像缩小到 128 像素使乘加运算次数减少到 1/3.1，参数量不变。论文给出的 ImageNet top-1 精度（表 6–7）：70.6 %（1.0-224）、68.4 %（0.75）、63.7 %（0.5）、50.6 %（0.25）；192 / 160 / 128 像素时为 69.1 / 67.2 / 64.4 %。精度随两个旋钮平滑下降，只有在 α = 0.25 时才陡降。

# %% [markdown] id="05-104"
# ### 2.2 Twenty-eight layers, and MobileNet against GoogLeNet and VGG-16
#
# The paper counts MobileNet V1 as **28 layers**: the standard stem convolution, 13 depthwise and
# 13 pointwise convolutions, and the fully connected classifier (batch norms, ReLUs and the pooling
# are not counted), as the post says (1 + 2 × 13 + 1 = 28). Counted on the package's network:

# %% [markdown] id="05-104" lang="zh-CN" translates="8847dcc12670"
# ### 2.2 二十八层，以及 MobileNet 与 GoogLeNet、VGG-16 的对比
#
# 论文把 MobileNet V1 算作 **28 层**：标准的起始卷积（stem）、13 个深度卷积和 13 个逐点卷积，以及全连接分类器（批量规范化、ReLU 和汇聚层不计入），正如原文所说：“按照作者的计算方法,MobileNets总共28层(1 + 2 × 13 + 1 = 28)。”在课程包的网络上数一数：

# %% id="05-105"
# NBVAL_CHECK_OUTPUT
def weight_layers(block):
    """The conv and dense layers of a network, in order (what the papers count as layers)."""
    if isinstance(block, (nn.Conv2D, nn.Dense)):
        return [block]
    return [leaf for child in block._children.values() for leaf in weight_layers(child)]


layers = weight_layers(mobilenet_v1(1.0))
depthwise = [l for l in layers if isinstance(l, nn.Conv2D) and l._kwargs["num_group"] > 1]
pointwise = [l for l in layers if isinstance(l, nn.Conv2D) and l._kwargs["kernel"] == (1, 1)]
print(f"{len(layers)} layers: 1 standard 3x3 conv + {len(depthwise)} depthwise + {len(pointwise)} pointwise "
      f"+ {sum(isinstance(l, nn.Dense) for l in layers)} dense")
assert len(layers) == 28

# %% [markdown] id="05-106"
# The paper's Table 8 puts the 28-layer network next to the two famous ImageNet models of 2014
# (Howard et al. 2017, Table 8; ImageNet top-1, single crop):
#
# | model | ImageNet top-1 | million mult-adds | million parameters |
# |---|---|---|---|
# | 1.0 MobileNet-224 | 70.6 % | 569 | 4.2 |
# | GoogLeNet | 69.8 % | 1550 | 6.8 |
# | VGG-16 | 71.5 % | 15300 | 138 |
#
# MobileNet is 0.8 points better than GoogLeNet with 2.7× fewer MACs, and 0.9 points below
# VGG-16 with 27× fewer MACs and 33× fewer parameters (the paper: "nearly as accurate as VGG16
# while being 32 times smaller and 27 times less compute intensive"). The costs are not just quoted:
# the MobileNet row is the table of section 2.1, GoogLeNet is chapter 02's `inception_v1`, and VGG-16's
# 13 convolutions and 3 dense layers can be counted from its configuration (Simonyan & Zisserman
# 2015, configuration D):

# %% [markdown] id="05-106" lang="zh-CN" translates="b17a780a60c9"
# 论文的表 8 把这个 28 层网络与 2014 年两个著名的 ImageNet 模型放在一起（Howard et al. 2017，表 8；ImageNet top-1，单次裁剪）：
#
# | 模型 | ImageNet top-1 | 百万次乘加 | 百万参数 |
# |---|---|---|---|
# | 1.0 MobileNet-224 | 70.6 % | 569 | 4.2 |
# | GoogLeNet | 69.8 % | 1550 | 6.8 |
# | VGG-16 | 71.5 % | 15300 | 138 |
#
# MobileNet 比 GoogLeNet 高 0.8 个百分点，乘加运算次数少 2.7 倍；比 VGG-16 低 0.9 个百分点，乘加运算次数少 27 倍，参数量少 33 倍（论文的原话是 "nearly as accurate as VGG16 while being 32 times smaller and 27 times less compute intensive"，即“精度几乎与 VGG16 相当，而模型小 32 倍、计算量少 27 倍”）。这些代价并非只是照抄：MobileNet 一行就是第 2.1 节的表，GoogLeNet 是第 02 章的 `inception_v1`，VGG-16 的 13 个卷积层和 3 个全连接层可以由它的配置算出（Simonyan & Zisserman 2015，配置 D）：

# %% id="05-107"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.inception_v1 import inception_v1

VGG16_CONVS = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16_cost(size=224, num_classes=1000):
    """(weights with biases, MACs) of VGG-16 from its configuration: 3x3 convs (pad 1), 2x2 pools."""
    params = macs = 0
    c_in = 3
    for v in VGG16_CONVS:
        if v == "M":
            size //= 2
            continue
        params += 9 * c_in * v + v
        macs += d2l.conv_macs(c_in, v, (3, 3), (size, size))
        c_in = v
    for n_in, n_out in ((c_in * size * size, 4096), (4096, 4096), (4096, num_classes)):
        params += n_in * n_out + n_out
        macs += d2l.dense_macs(n_in, n_out)
    return params, macs


def cost(net):
    macs = d2l.total_macs(net, (1, 3, 224, 224))    # one example through it: the shapes are known
    return paper_params(net), macs


rows = {"1.0 MobileNet-224": cost(mobilenet_v1(1.0)), "GoogLeNet (ch02)": cost(inception_v1()),
        "VGG-16": vgg16_cost()}
for name, (p, m) in rows.items():
    print(f"{name:<20}{m / 1e6:>9,.0f}M MACs{p / 1e6:>8.1f}M weights")

# %% [markdown] id="05-108"
# Our counts agree with Table 8 for MobileNet and VGG-16 (15.5 G: the paper rounds down to 15,300M).
# GoogLeNet comes out at 1.58G MACs and 7.0M weights against the table's 1550M and 6.8M: chapter
# 02 shows that the Inception paper's own Table 1 does not add up to its published totals.
#
# ## 3. MobileNet V2: inverted residuals and linear bottlenecks
#
#
# A ResNet bottleneck is wide → thin → wide: a 1×1 convolution compresses, a 3×3 convolution
# works on the thin tensor, a 1×1 convolution expands, and the shortcut joins the *wide* ends.
# MobileNet V2 **inverts** it: thin → wide → thin.
#
# `1x1 expand to t·C_in (ReLU6) → 3x3 depthwise, stride s (ReLU6) → 1x1 project to C_out (no activation)`
#
# * the expensive 3×3 filtering happens on the wide tensor, but it is depthwise, so it is cheap;
# * the tensors passed between blocks (and stored for backprop between blocks) are thin;
# * the last 1×1 convolution is **linear**: no ReLU on the thin "bottleneck" tensor (section 4);
# * **ReLU6** = min(max(x, 0), 6) bounds activations, which keeps them representable in low
#   precision arithmetic on phones. The post uses plain ReLU;
# * the **shortcut** adds the input to the output when the block keeps the shape (stride 1 and
#   C_in = C_out). At stride 2 or when the channels change there is no shortcut in the paper.
#   The post's block adds a 1×1 convolution + BN "projection" shortcut when the channels change
#   at stride 1, and it also keeps the 1×1 expansion when t = 1. The V2 paper is **silent** on
#   that case: its Table 1 writes every block as expand → depthwise → project. The reference
#   implementation (TF-Slim's `mobilenet_v2`, and GluonCV's port) skips the expansion when t = 1,
#   and only without it do the paper's totals come out (section 3.2).
#
# The figure puts the inverted residual next to ResNet's bottleneck block (He et al. 2016, Fig. 5:
# the block of ResNet-50 and deeper), both at 56×56 and drawn from real layers, bar widths to
# scale with the channels: the ResNet block is wide at its ends and joins them by the shortcut; the
# V2 block is thin at its ends, widens inside, and has no activation after its last convolution.
# (Chapter 03 builds the bottleneck block and ResNet-50.) The block below takes flags for the
# post's three differences.

# %% [markdown] id="05-108" lang="zh-CN" translates="9b73153d2883"
# 我们的统计与表 8 中 MobileNet 和 VGG-16 的数字一致（15.5 G：论文向下舍入为 15,300M）。GoogLeNet 算出来是 1.58G 次乘加和 7.0M 个权重，而表中为 1550M 和 6.8M：第 02 章说明了 Inception 论文自己的表 1 加起来与它公布的总数对不上。
#
# ## 3. MobileNet V2：倒残差与线性瓶颈
#
#
# ResNet 的瓶颈是 宽 → 窄 → 宽：一个 1×1 卷积压缩通道，一个 3×3 卷积在窄张量上计算，一个 1×1 卷积再扩展通道，捷径连接把两端*宽*的部分连起来。MobileNet V2 把它**倒过来**：窄 → 宽 → 窄。
#
# `1x1 expand to t·C_in (ReLU6) → 3x3 depthwise, stride s (ReLU6) → 1x1 project to C_out (no activation)`
#
# * 昂贵的 3×3 滤波在宽张量上进行，但它是深度卷积，所以很便宜；
# * 在块与块之间传递（以及为反向传播而在块之间保存）的张量是窄的；
# * 最后一个 1×1 卷积是**线性的**：窄的“瓶颈”张量上没有 ReLU（第 4 节）；
# * **ReLU6** = min(max(x, 0), 6) 给激活值设了上界，使它们能在手机上的低精度算术中表示。原文用的是普通 ReLU；
# * 当块保持形状不变（步幅为 1 且 C_in = C_out）时，**捷径连接**把输入加到输出上。步幅为 2 或通道数改变时，论文中没有捷径连接。原文的块在步幅为 1 且通道数改变时加了一个 1×1 卷积 + BN 的“投影”捷径连接，而且在 t = 1 时也保留了 1×1 扩展卷积。V2 论文对这种情况**只字未提**：它的表 1 把每个块都写成 扩展 → 深度卷积 → 投影。参考实现（TF-Slim 的 `mobilenet_v2`，以及 GluonCV 的移植版）在 t = 1 时跳过扩展卷积，而且只有去掉它，论文的总数才对得上（第 3.2 节）。
#
# 下图把倒残差块和 ResNet 的瓶颈块（He et al. 2016，图 5：ResNet-50 及更深网络所用的块）并排画出，两者都在 56×56 上、都由真实的层绘制，条带宽度与通道数成比例：ResNet 的块两端宽，由捷径连接相连；V2 的块两端窄，内部变宽，最后一个卷积之后没有激活函数。（第 03 章构建了瓶颈块和 ResNet-50。）下面的块用几个标志参数来实现原文的三处不同。

# %% id="05-109"
d2l.save_or_show(figures.inverted_residual_vs_bottleneck(), "05_inverted_residual_vs_bottleneck")


# %% id="05-018"
class InvertedResidual(nn.HybridBlock):
    """(B, in, H, W) -> 1x1 -> (B, t*in, H, W) -> 3x3 dw -> (B, t*in, H/s, W/s) -> 1x1 -> (B, out, H/s, W/s)"""

    def __init__(self, in_channels, channels, t, stride, relu6=True, shortcut="identity",
                 expand_t1=False, **kwargs):
        super().__init__(**kwargs)
        act = "relu6" if relu6 else "relu"
        hidden = in_channels * t
        self.use_identity = stride == 1 and in_channels == channels and shortcut != "none"
        with self.name_scope():
            self.body = nn.HybridSequential()
            if t != 1 or expand_t1:
                self.body.add(conv_bn(hidden, 1, act=act))                     # expand
            self.body.add(conv_bn(hidden, 3, stride, groups=hidden, act=act),  # depthwise
                          conv_bn(channels, 1, act=None))                      # linear bottleneck
            self.shortcut = None
            if stride == 1 and in_channels != channels and shortcut == "projection":
                self.shortcut = conv_bn(channels, 1, act=None)                 # the post's projection

    def hybrid_forward(self, F, x):
        out = self.body(x)
        if self.use_identity:
            return out + x
        if self.shortcut is not None:
            return out + self.shortcut(x)
        return out


# %% [markdown] id="05-019"
# The network is the paper's Table 2: rows of (expansion t, channels c, repeats n, stride s). For
# CIFAR-10 the post (after kuangliu's pytorch-cifar) sets the first convolution's stride and the
# second row's stride to 1, so the 32×32 image is only reduced 32 → 16 → 8 → 4.

# %% [markdown] id="05-019" lang="zh-CN" translates="46b50929ddc9"
# 网络就是论文的表 2：每行为（扩展因子 t（expansion factor），通道数 c，重复次数 n，步幅 s）。针对 CIFAR-10，原文（沿用 kuangliu 的 pytorch-cifar）把第一个卷积的步幅和第二行的步幅都设为 1，因此 32×32 的图像只缩小为 32 → 16 → 8 → 4。

# %% id="05-020"
POST_V2_CFG = [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2),
               (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def mobilenet_v2_post(num_classes=10, relu6=True, shortcut="identity", expand_t1=False):
    act = "relu6" if relu6 else "relu"
    net = nn.HybridSequential()
    net.add(conv_bn(32, 3, stride=1, act=act))                 # (B, 32, 32, 32)
    in_channels = 32
    for t, c, n, s in POST_V2_CFG:
        for i in range(n):
            net.add(InvertedResidual(in_channels, c, t, s if i == 0 else 1,
                                     relu6, shortcut, expand_t1))
            in_channels = c
    net.add(conv_bn(1280, 1, act=act),                         # (B, 1280, 4, 4)
            nn.GlobalAvgPool2D(), nn.Flatten(),                # (B, 1280)
            nn.Dense(num_classes))                             # (B, 10)
    return net


net = mobilenet_v2_post()
net.initialize(mx.init.Xavier(), ctx=ctx)

# %% id="05-021"
# NBVAL_CHECK_OUTPUT
params_v2, macs_v2 = d2l.print_layer_table(net, (1, 3, 32, 32), depth=1)
print(f"\nMobileNet V2 (paper's block, CIFAR-10): {params_v2:,} parameters, {macs_v2 / 1e6:.1f}M MACs")

# %% id="05-022"
# NBVAL_CHECK_OUTPUT
from d2l_utils.models.mobilenet_v2 import mobilenet_v2, mobilenet_v2_cifar

post_kwargs = dict(relu6=False, shortcut="projection", expand_t1=True)   # the post's block
assert d2l.same_model(net, mobilenet_v2_cifar(), (2, 3, 32, 32))
assert d2l.same_model(mobilenet_v2_post(**post_kwargs), mobilenet_v2_cifar(**post_kwargs), (2, 3, 32, 32))


# %% [markdown] id="05-023"
# ### ReLU6 or ReLU?
#
# ReLU6 differs from ReLU only above 6. After batch norm (γ = 1, β = 0 at initialisation) the
# pre-activations are normalised to mean 0 and variance 1 per channel, so at the start of training
# ReLU6 clips almost nothing. Let us count, on 32 test images, the batch-norm outputs above 6:

# %% [markdown] id="05-023" lang="zh-CN" translates="f647056f12f7"
# ### 用 ReLU6 还是 ReLU？
#
# ReLU6 和 ReLU 只在大于 6 的部分不同。经过批量规范化（初始化时 γ = 1，β = 0）后，激活前的值在每个通道上被规范化为均值 0、方差 1，所以在训练开始时 ReLU6 几乎什么都不截断。我们在 32 张测试图像上数一数批量规范化输出中大于 6 的值：

# %% id="05-024"
def all_blocks(block):
    yield block
    for child in block._children.values():
        yield from all_blocks(child)


_, sample_test = d2l.load_cifar10(32)   # the test split (sections 5 and 6 use it too)
X_sample, _ = next(iter(sample_test))
seen = []
hooks = [b.register_forward_hook(lambda blk, inp, out: seen.append(
             ((out > 6).sum().asscalar(), out.size, out.max().asscalar())))
         for b in all_blocks(net) if isinstance(b, nn.BatchNorm)]
with autograd.train_mode():   # batch norm normalises with the batch's statistics, as in training
    net(X_sample.as_in_context(ctx))
for h in hooks:
    h.detach()
above, total = sum(s[0] for s in seen), sum(s[1] for s in seen)
print(f"{len(seen)} batch norms, {total:,.0f} values: {above:.0f} above 6 "
      f"({above / total:.1e}), largest {max(s[2] for s in seen):.1f}")

# %% [markdown] id="05-025"
# A tiny fraction (of the order of 10⁻⁴ in our runs): at initialisation the two activations
# compute almost the same network. As training scales γ and β up, ReLU6 starts to bound the activations: the
# paper chose it so that activations stay in a fixed range for low-precision (8-bit) inference
# on phones, not for accuracy. In float32 on CIFAR-10 the post's ReLU is a legitimate choice;
# the parameter count and the MACs are identical (see the table in 3.1).
#
# ### 3.1 What the post's projection shortcut costs
#
# The paper's identity shortcut is free. The post's 1×1 projection shortcut is an extra
# convolution in every stride-1 block that changes the channels (5 blocks here), and the t = 1
# expansion adds one more 1×1 convolution:

# %% [markdown] id="05-025" lang="zh-CN" translates="4259fd7f5de4"
# 占比极小（在我们的运行中约为 10⁻⁴ 量级）：初始化时，两种激活函数计算的几乎是同一个网络。随着训练把 γ 和 β 放大，ReLU6 才开始约束激活值：论文选择它，是为了让激活值在手机上的低精度（8 位）推理中保持在固定范围内，而不是为了精度。在 CIFAR-10 上用 float32 时，原文的 ReLU 是合理的选择；参数量和乘加运算次数完全相同（见 3.1 中的表）。
#
# ### 3.1 原文的投影捷径连接有什么代价
#
# 论文的恒等捷径连接（即恒等映射（identity mapping））是免费的。原文的 1×1 投影捷径连接在每个改变通道数的步幅 1 块（这里有 5 个）中多出一个卷积，而 t = 1 时的扩展又多出一个 1×1 卷积：

# %% id="05-026"
# NBVAL_CHECK_OUTPUT
variants = {"paper (ReLU6, identity)": {},
            "+ projection shortcut": dict(shortcut="projection"),
            "post (ReLU, projection, t=1 expand)": post_kwargs,
            "no shortcut at all": dict(shortcut="none")}
base = None
print(f"{'variant':<38}{'trainable':>11}{'MACs':>9}{'extra params':>14}{'extra MACs':>12}")
for name, kw in variants.items():
    v = mobilenet_v2_cifar(**kw)
    p = d2l.count_parameters(v, (1, 3, 32, 32))[0]
    m = d2l.total_macs(v, (1, 3, 32, 32))
    base = base or (p, m)
    print(f"{name:<38}{p:>11,}{m / 1e6:>8.1f}M{p - base[0]:>+14,}{(m - base[1]) / 1e6:>+11.2f}M")

# %% [markdown] id="05-027"
# About 59 k parameters and 2.1 M MACs (+2.4 %) for the projections: cheap, but they change what
# the block is. With a projection, the shortcut no longer carries the input unchanged.
#
# ### 3.2 The ImageNet network against the paper and GluonCV
#
# The paper's Table 4 gives MobileNet V2 (1.0, 224×224) 300M MACs and 3.4M parameters.

# %% [markdown] id="05-027" lang="zh-CN" translates="c539e00e81a3"
# 投影大约带来 59 k 个参数和 2.1 M 次乘加运算（+2.4 %）：不贵，但它们改变了块的性质。有了投影，捷径连接就不再原样传递输入了。
#
# ### 3.2 ImageNet 网络与论文和 GluonCV 的对比
#
# 论文的表 4 给出 MobileNet V2（1.0，224×224）的乘加运算次数为 300M、参数量为 3.4M。

# %% id="05-028"
# NBVAL_CHECK_OUTPUT
net_v2 = mobilenet_v2()
ours = d2l.count_parameters(net_v2, SMALL)
gcv = d2l.count_parameters(gluoncv_model("mobilenetv2_1.0"), SMALL)
macs = d2l.total_macs(net_v2, (1, 3, 224, 224))
print(f"MobileNet V2 1.0-224: {macs / 1e6:.1f}M MACs (paper 300M)")
print(f"parameters (trainable, BN statistics): ours {ours}, GluonCV mobilenetv2_1.0 {gcv}")
print(f"conv + dense weights without batch norm: {paper_params(net_v2):,} (paper: 3.4M)")
with_t1 = mobilenet_v2(expand_t1=True)   # an expansion conv in the t = 1 block as well
print(f"with a 1x1 expansion in the t = 1 block: {d2l.total_macs(with_t1, (1, 3, 224, 224)) / 1e6:.1f}M MACs, "
      f"{paper_params(with_t1):,} weights")
assert ours == gcv and abs(macs / 1e6 - 300) < 1 and int(paper_params(net_v2) / 1e5) == 34


# %% [markdown] id="05-029"
# Without an expansion convolution in the t = 1 block we get the paper's 300M MACs; with one,
# 313.6M: the totals imply what the text does not say. The paper's "3.4M" is the 3.47M weights of the convolutions and the classifier, truncated (TF's
# classifier also has 1,000 biases; GluonCV's 1×1-convolution classifier has none, and so has ours).
#
# ### 3.3 Question 1: why does V2 have fewer parameters than V1?
#
# On ImageNet V2 has 3.47M weights against V1's 4.21M, and 301M MACs against 569M, while being
# more accurate (72.0 % vs 70.6 % top-1). (V2's Table 4 lists V1 at 575M MACs; 569M is the V1
# paper's own figure, Tables 6 and 8, and what we count.) Where do the parameters live? Group both networks'
# layers by the size of their output feature map:

# %% [markdown] id="05-029" lang="zh-CN" translates="f4c10ab59d5e"
# t = 1 的块中没有扩展卷积时，我们得到论文的 300M 次乘加；有扩展卷积时为 313.6M：正文没说的，总数替它说了。论文的“3.4M”是卷积层和分类器的 3.47M 个权重截断后的结果（TF 的分类器还有 1,000 个偏置；GluonCV 用 1×1 卷积实现的分类器没有偏置，我们的也没有）。
#
# ### 3.3 问题 1：为什么 V2 的参数比 V1 少？
#
# 在 ImageNet 上，V2 有 3.47M 个权重，V1 有 4.21M；乘加运算 301M 对 569M，而 V2 的精度还更高（top-1 为 72.0 % 对 70.6 %）。（V2 论文的表 4 把 V1 列为 575M 次乘加；569M 是 V1 论文自己的数字（表 6 和表 8），也是我们统计的结果。）参数都在哪里？把两个网络的层按输出特征图的大小分组：

# %% id="05-030"
# NBVAL_CHECK_OUTPUT
def by_resolution(net, size=224):
    out = {}
    for r in d2l.layer_table(net, (1, 3, size, size)):
        if not r["params"]:
            continue   # pooling, flatten, activations
        key = r["output_shape"][-1] if len(r["output_shape"]) == 3 else "classifier"
        p, m = out.get(key, (0, 0))
        out[key] = (p + r["params"], m + r["macs"])
    return out


v1_rows, v2_rows = by_resolution(mobilenet_v1(1.0)), by_resolution(mobilenet_v2())
print(f"{'feature map':<12}{'V1 params':>11}{'V2 params':>11}{'V1 MACs':>10}{'V2 MACs':>10}")
for key in v1_rows:
    (p1, m1), (p2, m2) = v1_rows[key], v2_rows[key]
    label = f"{key}x{key}" if key != "classifier" else key
    print(f"{label:<12}{p1 / 1e6:>10.2f}M{p2 / 1e6:>10.2f}M{m1 / 1e6:>9.1f}M{m2 / 1e6:>9.1f}M")
print(f"{'total':<12}{sum(v[0] for v in v1_rows.values()) / 1e6:>10.2f}M"
      f"{sum(v[0] for v in v2_rows.values()) / 1e6:>10.2f}M"
      f"{sum(v[1] for v in v1_rows.values()) / 1e6:>9.1f}M{sum(v[1] for v in v2_rows.values()) / 1e6:>9.1f}M")

# %% [markdown] id="05-031"
# (These totals include batch norm's γ and β and the running statistics.) The table answers the
# question, and not quite the way one might guess:
#
# * **At 7×7 and in the classifier V2 is not smaller.** V1 has 512·1024 + 1024·1024 = 1.57M
#   pointwise weights at 7×7 and a 1024·1000 classifier; V2 has its 160- and 320-channel blocks,
#   a 320 → 1280 head convolution (0.41M) and a 1280·1000 classifier (1.28M): slightly more.
# * **The whole difference is at 14×14 and above: 1.49M against 0.55M at 14×14.** V1 runs six
#   pointwise convolutions with 512 output channels there (five 512 → 512 blocks at 262k weights
#   each). A V1 block costs 9·C_in + C_in·C_out, so its cost grows with the square of the width
#   of the tensor *between* blocks. V2 passes only thin tensors between blocks (64 and 96
#   channels at 14×14): its block costs C_in·tC_in + 9·tC_in + tC_in·C_out ≈ 12·96² = 110k
#   for C = 96, t = 6. The wide 576-channel tensor lives only inside the block, where it meets the
#   depthwise convolution: 9 weights per channel.
# * The MACs follow the same pattern: 288M against 103M at 14×14, 80M against 31M at 28×28.
#
# So V2 is smaller because it keeps the representation *between* blocks low-dimensional and
# does the expensive widening only inside a block, with a cheap depthwise convolution; V1 widens
# the representation itself to 512 and 1024 channels.
#
# ### 3.4 …but in the post V2 is *not* smaller than V1
#
# The post's own CIFAR-10 networks tell another story:

# %% [markdown] id="05-031" lang="zh-CN" translates="bb7bc74cee01"
# （这些总数包含批量规范化的 γ、β 和滑动统计量。）这张表回答了问题，只是答案和人们的猜测不太一样：
#
# * **在 7×7 处和分类器中，V2 并不更小。** V1 在 7×7 处有 512·1024 + 1024·1024 = 1.57M 个逐点卷积权重，外加一个 1024·1000 的分类器；V2 有 160 和 320 通道的块、一个 320 → 1280 的头部卷积（0.41M）和一个 1280·1000 的分类器（1.28M）：还略多一些。
# * **全部差距都在 14×14 及以上：14×14 处是 1.49M 对 0.55M。** V1 在那里有六个输出 512 通道的逐点卷积（五个 512 → 512 的块，每个 262k 个权重）。一个 V1 块的代价是 9·C_in + C_in·C_out，所以它随块*之间*张量宽度的平方增长。V2 在块之间只传递窄张量（14×14 处为 64 和 96 通道）：它的块代价为 C_in·tC_in + 9·tC_in + tC_in·C_out ≈ 12·96² = 110k（C = 96，t = 6）。宽的 576 通道张量只存在于块内部，在那里与它打交道的是深度卷积：每个通道 9 个权重。
# * 乘加运算次数也遵循同样的规律：14×14 处 288M 对 103M，28×28 处 80M 对 31M。
#
# 所以 V2 更小，是因为它让块*之间*的表示保持低维，只在块内部借助廉价的深度卷积完成昂贵的扩宽；而 V1 把表示本身扩宽到 512 和 1024 个通道。
#
# ### 3.4 ……但在原文中 V2 *并不*比 V1 小
#
# 原文自己的 CIFAR-10 网络讲的是另一回事：

# %% id="05-032"
# NBVAL_CHECK_OUTPUT
counts = {"V1, post (9 blocks)": mobilenet_v1_cifar(),
          "V1, paper's 13 blocks": mobilenet_v1(1.0, num_classes=10),
          "V2, paper's block": mobilenet_v2_cifar(),
          "V2, post's block": mobilenet_v2_cifar(**post_kwargs)}
for name, model in counts.items():
    print(f"{name:<24}{d2l.count_parameters(model, (1, 3, 32, 32))[0]:>11,} trainable parameters")

# %% [markdown] id="05-033"
# The post's V1 has **fewer** parameters than its V2 (2.14M vs 2.24M), because its `cfg` dropped
# four of the five 512-channel blocks (4 × (512·512 + 9·512 + 4·512) ≈ 1.07M parameters). With
# the paper's 13 blocks V1 has 3.2M parameters on CIFAR-10 and V2 is 30 % smaller, as on ImageNet.
#
# ## 4. Why the bottleneck is linear: ReLU on a low-dimensional manifold
#
# The V2 paper's Figure 1: take a 2-D spiral x, embed it in n dimensions with a random n×2 matrix
# T, apply ReLU, and map the result back to 2-D. When n is small, ReLU zeroes whole coordinates
# over large regions of the plane, different points land on the same output, and no decoder can
# tell them apart again: information is lost. When n is large, at every point enough coordinates
# stay positive to recover it. So: apply ReLU only to wide (expanded) tensors, and keep the thin
# bottleneck linear.
#
# > **The post says / the paper says.** The post writes that on low-dimensional tensors "ReLU等线性变换"
# > ("ReLU *and other linear transformations*") lose much information. ReLU is not a linear map, and
# > that is the point: a linear map loses nothing beyond its rank, while max(z, 0) folds the
# > negative half of every coordinate onto 0. The paper (Sandler et al. 2018, §3.2) says ReLU acts
# > as a linear transform only on the part of the input where it stays positive, and that it
# > collapses the rest; the "linear bottleneck" is the bottleneck *without* a ReLU.
#
# **How to measure what survives.** The paper's figure maps back with the pseudo-inverse T⁺. That
# cannot go to zero error: ReLU(z) = (z + |z|)/2, so T⁺·ReLU(Tx) = x/2 + T⁺|Tx|/2, and for a random
# Gaussian T with many rows the second term averages out (the rows t and −t are equally likely),
# leaving **x/2**: a perfect spiral of half the size, relative error 0.5. What we want to know is
# whether x can be read back at all, so we also fit the best linear decoder: D from ReLU(Tx) to x by
# least squares on the spiral's points, error ‖D·ReLU(TX) − X‖ / ‖X‖. (Both rows use the same T.)

# %% [markdown] id="05-033" lang="zh-CN" translates="08235738056e"
# 原文的 V1 参数比它的 V2 **少**（2.14M 对 2.24M），因为它的 `cfg` 去掉了五个 512 通道块中的四个（4 × (512·512 + 9·512 + 4·512) ≈ 1.07M 个参数）。如果用论文的 13 个块，V1 在 CIFAR-10 上有 3.2M 个参数，而 V2 比它小 30 %，和 ImageNet 上一样。
#
# ## 4. 为什么瓶颈是线性的：低维流形上的 ReLU
#
# V2 论文的图 1：取一条二维螺旋线 x，用一个随机的 n×2 矩阵 T 把它嵌入 n 维空间，施加 ReLU，再把结果映射回二维。n 较小时，ReLU 会在平面的大片区域内把整个坐标置零，不同的点落到同一个输出上，任何解码器都无法再把它们区分开：信息丢失了。n 较大时，每个点都有足够多的坐标保持为正，足以把它恢复出来。所以：只对宽的（扩展后的）张量施加 ReLU，让窄的瓶颈保持线性。
#
# > **原文说：** “这意味着,在较低维度的张量表示(兴趣流形)上进行ReLU等线性变换会有很大的信息损耗。”也就是说，原文把 ReLU 归入了“线性变换”（“ReLU*等*线性变换”）。但 ReLU 并不是线性映射，而这恰恰是关键：线性映射除了秩所限定的部分外不会丢失任何信息，而 max(z, 0) 会把每个坐标的负半部分折叠到 0 上。**论文说：** 论文（Sandler et al. 2018，§3.2）指出，ReLU 只在输入保持为正的那部分上相当于线性变换，其余部分则被压塌；“线性瓶颈”指的正是*不带* ReLU 的瓶颈。
#
# **如何测量保留下来的信息。** 论文的图用伪逆 T⁺ 映射回去。这样误差不可能降到零：ReLU(z) = (z + |z|)/2，所以 T⁺·ReLU(Tx) = x/2 + T⁺|Tx|/2，而对于行数很多的随机高斯矩阵 T，第二项会平均抵消（行 t 和 −t 出现的可能性相同），只剩下 **x/2**：一条尺寸减半的完美螺旋线，相对误差为 0.5。我们想知道的是 x 到底能不能被读回来，所以还拟合了最佳线性解码器：在螺旋线的各点上用最小二乘法求出从 ReLU(Tx) 到 x 的 D，误差为 ‖D·ReLU(TX) − X‖ / ‖X‖。（两行使用同一个 T。）

# %% id="05-034"
theta = np.linspace(0, 4 * np.pi, 800)
spiral = np.stack([theta * np.cos(theta), theta * np.sin(theta)])     # (2, 800), centred at 0
dims = (2, 3, 5, 15, 30)


def relative_error(recovered):
    return np.linalg.norm(recovered - spiral) / np.linalg.norm(spiral)


def decode(T, H, how):
    """Map H = ReLU(T x), (n, 800), back to 2-D: the paper's pseudo-inverse or the best linear decoder."""
    if how == "pinv":
        return np.linalg.pinv(T) @ H                                  # (2, 800)
    D = np.linalg.lstsq(H.T, spiral.T, rcond=None)[0].T               # (2, n), least squares
    return D @ H


fig, axes = plt.subplots(2, len(dims) + 1, figsize=(15, 5.4))
for row, (how, name) in enumerate([("pinv", "T⁺·ReLU(Tx)"), ("lstsq", "least-squares decoder")]):
    axes[row, 0].scatter(*spiral, c=theta, s=2, cmap="viridis")
    axes[row, 0].set_title("input x", fontsize=9)
    axes[row, 0].set_ylabel(name)
    for ax, n in zip(axes[row, 1:], dims):
        T = np.random.default_rng(n).standard_normal((n, 2))         # the same T in both rows
        recovered = decode(T, np.maximum(T @ spiral, 0), how)
        ax.scatter(*recovered, c=theta, s=2, cmap="viridis")
        ax.set_title(f"n = {n}: error {relative_error(recovered):.2f}", fontsize=9)
for ax in axes.flat:
    ax.set(aspect="equal", xticks=[], yticks=[], xlim=(-14, 14), ylim=(-14, 14))  # one scale: x/2 looks half size
fig.tight_layout()
d2l.save_or_show(fig, "05_relu_manifold")


# %% [markdown] id="05-035"
# One matrix is one draw. Averaged over 200 random matrices for each n:

# %% [markdown] id="05-035" lang="zh-CN" translates="9fb8a93067a0"
# 一个矩阵只是一次随机抽样。对每个 n 取 200 个随机矩阵求平均：

# %% id="05-036"
# NBVAL_CHECK_OUTPUT
def mean_errors(n, trials=200, seed=0):
    """Mean relative error of the pseudo-inverse and of the least-squares decoder over random T."""
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(trials):
        T = rng.standard_normal((n, 2))
        H = np.maximum(T @ spiral, 0)
        errors.append([relative_error(decode(T, H, how)) for how in ("pinv", "lstsq")])
    return np.mean(errors, axis=0)


table_dims = dims + (100,)
mean_err = {n: mean_errors(n) for n in table_dims}
print("n:                     " + "".join(f"{n:>7}" for n in table_dims))
print("T⁺·ReLU(Tx):           " + "".join(f"{mean_err[n][0]:>7.2f}" for n in table_dims))
print("least-squares decoder: " + "".join(f"{mean_err[n][1]:>7.2f}" for n in table_dims))
T = np.random.default_rng(1).standard_normal((2000, 2))
half = np.linalg.pinv(T) @ np.maximum(T @ spiral, 0)
print(f"n = 2000: T⁺·ReLU(Tx) differs from x/2 by {relative_error(2 * half):.3f} (relative)")
lstsq = [mean_err[n][1] for n in table_dims]
assert all(a > b for a, b in zip(lstsq, lstsq[1:])) and lstsq[-1] < 0.01   # falls towards 0
assert abs(mean_err[100][0] - 0.5) < 0.05                                    # levels off at x/2

# %% [markdown] id="05-111"
# The pseudo-inverse's error levels off at 0.5 for large n, with a perfect spiral of half the size:
# it measures the scale of x/2, not lost information. The least-squares decoder tells the real
# story: at n = 2 and 3 most of the spiral is gone (the folding cannot be undone), at n = 5 a
# quarter of it, and from n = 15 on practically nothing is lost. This is the paper's argument,
# measured correctly: ReLU on a tensor of few channels destroys information, ReLU on a tensor with
# several times the manifold's dimension keeps it. Hence V2 expands t = 6 times before its ReLU6s
# and has no activation on the thin projection.

# %% [markdown] id="05-111" lang="zh-CN" translates="340e725a88e7"
# n 较大时，伪逆的误差稳定在 0.5，得到的是一条尺寸减半的完美螺旋线：它测量的是 x/2 的尺度，而不是丢失的信息。最小二乘解码器才道出了真相：n = 2 和 3 时螺旋线的大部分都丢失了（折叠无法撤销），n = 5 时丢失四分之一，从 n = 15 起几乎没有任何损失。这就是论文的论证，只是测量得当：在通道很少的张量上施加 ReLU 会破坏信息，在通道数为流形维数数倍的张量上施加 ReLU 则能保留信息。因此 V2 在 ReLU6 之前先扩展 t = 6 倍，而在窄的投影上不加激活函数。

# %% [markdown] id="05-037"
# ## 5. Question 2: what is the shortcut for?
#
# The shortcut lets a block compute *input + correction*, y = x + f(x), instead of a whole new
# representation; backward, every block passes the gradient on unchanged plus its own part,
# ∂y/∂x = 1 + ∂f/∂x. The usual one-line answer is "against vanishing gradients". Let us measure
# instead of repeating it: the same V2 for CIFAR-10 with the paper's shortcuts and with none, same
# initial weights, one batch of 32 test images, and for every convolution the gradient of its
# weights. Raw gradient norms cannot be compared across layers: a 32×32 layer sums its gradient over
# 1,024 positions, a 4×4 one over 16, and layers have different numbers of weights. The scale-free
# measure is **‖∇W‖ / ‖W‖**, the size of one SGD step relative to the weights it changes (times the
# learning rate); and for each layer, the **ratio** of that measure without and with shortcuts.

# %% [markdown] id="05-037" lang="zh-CN" translates="1a9fc7a9173a"
# ## 5. 问题 2：捷径连接有什么用？
#
# 捷径连接让一个块计算*输入 + 修正*，即 y = x + f(x)，而不是一个全新的表示；反向传播时，每个块把梯度原样传下去，再加上自己的那一部分，∂y/∂x = 1 + ∂f/∂x。常见的一句话答案是“防止梯度消失（vanishing gradient）”。我们不重复这句话，而是去测量：同一个用于 CIFAR-10 的 V2，分别带论文的捷径连接和完全不带捷径连接，初始权重相同，用同一批 32 张测试图像，对每个卷积层计算其权重的梯度。原始的梯度范数无法跨层比较：32×32 的层在 1,024 个位置上累加梯度，4×4 的层只在 16 个位置上累加，而且各层的权重个数也不同。与尺度无关的度量是 **‖∇W‖ / ‖W‖**，即一步 SGD 相对于它所改变的权重的大小（还要乘以学习率（learning rate））；对每一层，再计算这个量在无捷径连接与有捷径连接时的**比值**。

# %% id="05-038"
pick = np.random.default_rng(0).permutation(len(sample_test.X))[:32]   # the sample is sorted by class
X = nd.array(sample_test.transform(sample_test.X[pick], None), ctx=ctx)
y = nd.array(sample_test.y[pick], ctx=ctx)
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
relative = {}
for shortcut in ("identity", "none"):
    model = mobilenet_v2_cifar(shortcut=shortcut)
    mx.random.seed(1)                                   # the same initial weights for both
    model.initialize(mx.init.Xavier(), ctx=ctx)
    with autograd.record():
        l = loss_fn(model(X), y).mean()
    l.backward()
    convs = [p for p in model.collect_params().values() if p.name.endswith("weight") and p.data().ndim == 4]
    relative[shortcut] = np.array([(p.grad().norm() / p.data().norm()).asscalar() for p in convs])
kind = np.array(["depthwise" if p.shape[1] == 1 else "1×1" if p.shape[2] == 1 else "3×3 stem" for p in convs])
ratio = relative["none"] / relative["identity"]

fig, axes = plt.subplots(1, 2, figsize=(12, 3.4))
for shortcut, rel in relative.items():
    for k, marker in (("1×1", "s"), ("depthwise", "o"), ("3×3 stem", "^")):
        at = np.flatnonzero(kind == k)
        axes[0].semilogy(at, rel[at], marker, ms=4, color="C0" if shortcut == "identity" else "C3",
                         label=f"{k}, shortcut: {shortcut}")
axes[0].set(xlabel="convolution (input side → output side)", ylabel="‖∇W‖ / ‖W‖")
axes[0].legend(fontsize=7, ncol=2)
axes[1].plot(ratio, "k.-")
axes[1].axhline(1, color="gray", lw=0.8, ls="--")
axes[1].set(xlabel="convolution (input side → output side)", ylabel="no shortcut / shortcut")
for ax in axes:
    ax.grid(alpha=0.3)
fig.tight_layout()
d2l.save_or_show(fig, "05_shortcut_gradients")
pointwise = kind == "1×1"
for shortcut, rel in relative.items():
    print(f"shortcut {shortcut:<9}: 1x1 convs, first / last ‖∇W‖/‖W‖ = {rel[pointwise][0] / rel[pointwise][-1]:5.0f}x; "
          f"depthwise / 1x1, median {np.median(rel[kind == 'depthwise']) / np.median(rel[pointwise]):4.1f}x")
print(f"no shortcut / shortcut: first 10 convs {ratio[:10].mean():.1f}x, last 10 convs {ratio[-10:].mean():.2f}x")
assert ratio[:10].mean() > 2 * ratio[-10:].mean()

# %% [markdown] id="05-039"
# The gradients do **not** vanish without shortcuts: with batch norm in every block they do the
# opposite, they *grow* toward the input (a known effect of deep batch-normalised plain networks,
# Yang et al. 2019, "A Mean Field Theory of Batch Normalization"). The first convolution gets a
# gradient several times larger without shortcuts than with them, and the gradients of the 52
# convolutions spread over a range several times wider. So what the shortcut buys, measurably, is a
# **well-conditioned network**: every block starts as "input plus a correction", the gradient
# reaches all layers at comparable size, and one learning rate suits all of them. That is what lets
# deep networks train (ResNet's "degradation problem", chapter 03). It is free: no parameter and
# one addition per value, but only possible when input and output have the same shape, hence
# stride 1 and equal channels in the paper. The post's projection shortcut (section 3.1) is not
# free, and no longer carries the input unchanged. The V2 paper's ablation (its Fig. 6b) finds
# shortcuts between the thin bottlenecks better than between the expanded tensors or none.

# %% [markdown] id="05-039" lang="zh-CN" translates="dabcb32378ca"
# 没有捷径连接时，梯度并**没有**消失：由于每个块中都有批量规范化，情况恰恰相反，梯度越靠近输入越*大*（这是深层批量规范化普通网络的已知效应，Yang et al. 2019，“A Mean Field Theory of Batch Normalization”）。没有捷径连接时，第一个卷积得到的梯度是有捷径连接时的好几倍，52 个卷积层的梯度分布范围也宽了好几倍。所以，捷径连接带来的、可以测量到的好处是一个**条件良好的网络**（well-conditioned network）：每个块一开始都是“输入加一个修正”，梯度以相近的大小到达所有层，一个学习率就适用于所有层。正是这一点让深层网络得以训练（ResNet 的“退化问题”（degradation problem），第 03 章）。它是免费的：没有参数，每个值只多一次加法，但只有在输入和输出形状相同时才可行，所以论文要求步幅为 1 且通道数相等。原文的投影捷径连接（第 3.1 节）并不免费，也不再原样传递输入。V2 论文的消融实验（其图 6b）发现，在窄的瓶颈之间加捷径连接，比在扩展后的张量之间加或者不加都要好。

# %% [markdown] id="05-112"
# ## 6. Training on CIFAR-10
#
# **Full mode** repeats the recorded runs of `docs/results/05_mobilenet.md` (script
# `docs/results/05_mobilenet_run.py`): the usual CIFAR-10 recipe for these networks, SGD with
# momentum 0.9, weight decay 5·10⁻⁴, learning rate 0.1 decayed to 0 by a cosine over the epochs run,
# batch 128, the post's augmentation (random crop of the 4-pixel-padded image, horizontal flip), on
# the full 50,000 images: **20 epochs for V1 and 3 for V2**. The recipe is meant for 200 epochs; on the
# 2-core reference CPU that would take about 3.6 hours for V1 and 27 hours for V2. The post's own
# recipe (Adam 10⁻³ held constant, batch 128, 10 epochs) is recorded for V1 in
# `docs/results/05_mobilenet_v1_post_10epochs.log` (the same script, `RECIPE=post`); V2's run of it
# is in `docs/results/05_mobilenet.md`.
#
# **Quick mode** has to show learning within well under a minute per network on a laptop CPU. A
# recipe for 300 steps is not a recipe for 80,000 shortened, so quick mode changes (measured on the
# shipped sample, 5,000 training and 500 test images, JPEG copy of CIFAR-10):
#
# * **Adam** (the post's optimizer), learning rate 6·10⁻³, a linear warm-up over the first 0.3 epoch
#   and a cosine to 0, no weight decay: SGD at 0.1 needs more steps before momentum and the batch-norm
#   statistics settle;
# * **batch 64** instead of 128: twice the steps for the same images (batch 32 learns a little
#   faster per image but runs 30–50 % slower per image on a CPU: V2's many small layers cost per step);
# * **no augmentation**: in two epochs a network is far from memorising 5,000 images, and random
#   crops only slow the first epochs;
# * **2 epochs** over the 5,000 images: 156 steps, 10,000 images seen;
# * **V2's first epoch is shipped**: V2 starts from the weights after epoch 1 of exactly this
#   recipe, which the course trained with a committed script
#   (`docs/results/05_mobilenet_v2_quick_start.py`; float16, 4.6 MB, its sha256, recipe and history
#   in `d2l_utils/start_weights/`), and trains epoch 2 here, on the same learning-rate curve. A whole
#   V2 run takes about 60 s on a 2-core CPU, which would take this chapter over its 90 s; set
#   `V2_FROM_SCRATCH = True` to train both epochs (Adam's moments then carry over into epoch 2
#   instead of starting afresh, so the result differs slightly; with another batch size or learning
#   rate the shipped weights are refused and say so). The exercises train their V2 variants from scratch,
#   for the same two epochs;
# * **V2's first convolution at stride 2** (the stem of the ImageNet network): every feature map is
#   halved, 4× fewer MACs (22M instead of 88M), the same parameters. At full resolution V2 costs 3×
#   V1's MACs and trains 8× slower on a CPU (section 6.1);
# * **V2's residual blocks start as the identity**: the γ of the last batch norm of every block with
#   an identity shortcut is initialised to 0 instead of 1 (`zero_init_residuals`, the "zero-γ" trick
#   of Goyal et al. 2017, §5.1). The network is the same; at the start a 17-block V2 then behaves
#   like a much shallower one, and in our measurements this was the difference between about 36 %
#   and 45 % after 312 steps of batch 32.
#
# Everything else (the networks, the test split, the seed) is as in full mode.

# %% [markdown] id="05-112" lang="zh-CN" translates="0e32badc46c6"
# ## 6. 在 CIFAR-10 上训练
#
# **完整模式**重复 `docs/results/05_mobilenet.md` 中记录的运行（脚本为 `docs/results/05_mobilenet_run.py`）：这些网络在 CIFAR-10 上的常用方案，动量 0.9 的 SGD，权重衰减 5·10⁻⁴，学习率 0.1 在实际运行的迭代周期内按余弦降到 0，批量大小 128，原文的增广（对四周填充 4 像素的图像随机裁剪、水平翻转），使用全部 50,000 张图像：**V1 训练 20 个迭代周期，V2 训练 3 个**。这个方案本是为 200 个迭代周期设计的；在 2 核的参考 CPU 上，那将花费 V1 约 3.6 小时、V2 约 27 小时。原文自己的方案（Adam 10⁻³ 恒定学习率，批量大小 128，10 个迭代周期）已为 V1 记录在 `docs/results/05_mobilenet_v1_post_10epochs.log` 中（同一脚本，`RECIPE=post`）；V2 用它的运行见 `docs/results/05_mobilenet.md`。
#
# **快速模式**必须在笔记本电脑的 CPU 上，每个网络远不到一分钟就显示出学习效果。300 步的方案并不是把 80,000 步的方案缩短而已，所以快速模式做了以下改动（在随附样本上测得：5,000 张训练图像和 500 张测试图像，CIFAR-10 的 JPEG 副本）：
#
# * **Adam**（原文的优化器），学习率 6·10⁻³，前 0.3 个迭代周期线性预热（warm-up），然后按余弦降到 0，不用权重衰减：学习率 0.1 的 SGD 需要更多步，动量和批量规范化的统计量才能稳定下来；
# * **批量大小 64** 而不是 128：同样多的图像，步数翻倍（批量大小 32 按每张图像算学得稍快一些，但在 CPU 上每张图像要慢 30–50 %：V2 有许多小层，每一步都有固定开销）；
# * **不做增广**：两个迭代周期里网络远远记不住 5,000 张图像，随机裁剪只会拖慢最初几个迭代周期；
# * 在 5,000 张图像上训练 **2 个迭代周期**：156 步，共看过 10,000 张图像；
# * **V2 的第一个迭代周期随课程提供**：V2 从完全按这一方案训练 1 个迭代周期后的权重出发，这些权重由课程用一个已提交的脚本训练得到（`docs/results/05_mobilenet_v2_quick_start.py`；float16，4.6 MB，其 sha256、训练方案和训练记录在 `d2l_utils/start_weights/` 中），然后在这里沿同一条学习率曲线训练第 2 个迭代周期。在 2 核 CPU 上完整训练一次 V2 约需 60 秒，会使本章超出 90 秒的预算；设置 `V2_FROM_SCRATCH = True` 即可在这里训练全部两个迭代周期（此时 Adam 的动量会延续到第 2 个迭代周期，而不是重新开始，所以结果会略有不同；换了批量大小或学习率时，随课程提供的权重会被拒绝，并给出说明）。练习中的 V2 变体都从头训练，同样训练两个迭代周期；
# * **V2 的第一个卷积步幅为 2**（ImageNet 网络的起始层）：每个特征图的边长减半，乘加运算次数少 4 倍（22M 而不是 88M），参数量不变。在全分辨率下，V2 的乘加运算次数是 V1 的 3 倍，在 CPU 上训练慢 8 倍（第 6.1 节）；
# * **V2 的残差块（residual block）初始时是恒等映射**：每个带恒等捷径连接的块中，最后一个批量规范化的 γ 初始化为 0 而不是 1（`zero_init_residuals`，即 Goyal et al. 2017 §5.1 的“零 γ”技巧）。网络本身不变；只是一开始，17 个块的 V2 表现得就像一个浅得多的网络。在我们的测量中，以批量大小 32 训练 312 步后，这就是约 36 % 与 45 % 的差别。
#
# 其余一切（网络、测试集划分、随机种子）都与完整模式相同。

# %% id="05-040"
from d2l_utils.models.mobilenet_v2 import zero_init_residuals
from d2l_utils.start_weights import continue_history, load_start_weights

V2_FROM_SCRATCH = False   # quick mode: True trains V2's first epoch here too (about 30 s more)
if quick:
    batch_size, lr, epochs = 64, 6e-3, {"V1": 2, "V2": 2}
    models = {"V1": mobilenet_v1_cifar,
              "V2": lambda: zero_init_residuals(mobilenet_v2_cifar(stem_stride=2))}
else:       # the recorded runs, docs/results/05_mobilenet.md
    batch_size, lr, epochs = 128, 0.1, {"V1": 20, "V2": 3}
    models = {"V1": mobilenet_v1_cifar, "V2": mobilenet_v2_cifar}
train_iter, test_iter = d2l.load_cifar10(batch_size, augment_train=not quick)
print(f"{train_iter.num_examples} training, {test_iter.num_examples} test images ({train_iter.source_note})")


def train_mobilenet(net, num_epochs, title=None, start=None):
    """The chapter's recipe for this mode (also for the exercises' experiments). ``start``: the
    record of start weights already loaded into ``net``; training goes on after their epochs."""
    done = start["history"]["epoch"][-1] if start else 0
    if quick:
        schedule = d2l.warmup_cosine(lr, 0.3, num_epochs)
        recipe = dict(optimizer="adam", optimizer_params={"learning_rate": lr})
    else:
        schedule = d2l.hold_then_cosine(lr, 0, num_epochs)
        recipe = dict(optimizer="sgd", optimizer_params={"learning_rate": lr, "momentum": 0.9, "wd": 5e-4})
    history = d2l.train(net, train_iter, test_iter, num_epochs - done, ctx=ctx, seed=0, title=title,
                        lr_schedule=lambda progress: schedule(progress + done),   # on the whole run's curve
                        checkpoint_dir=None if quick else f"checkpoints/05_{title}_{num_epochs}ep".replace(" ", "_"),
                        **recipe)
    return continue_history(start["history"], history) if start else history


nets, results, starts = {}, {}, {}
for name, make in models.items():
    nets[name] = make()
    start = starts[name] = None
    if quick and name == "V2" and not V2_FROM_SCRATCH:
        # epoch 1 of this very recipe, trained by the course (docs/results/05_mobilenet_v2_quick_start.py)
        start = starts[name] = load_start_weights(nets[name], "mobilenet_v2_quick_epoch1", ctx,
                                                  expect={"batch_size": batch_size, "learning_rate": lr})
        print(f"MobileNet V2 starts from the course's weights after epoch 1 of this recipe: test accuracy "
              f"{start['history']['test_acc'][-1]:.3f} ({start['made_by']}, {start['bytes'] / 1e6:.1f} MB)")
    results[name] = train_mobilenet(nets[name], epochs[name], start=start,
                                    title=f"MobileNet {name}" + (", epoch 2 from the epoch-1 weights" if start else ""))

# %% id="05-041"
for name, h in results.items():
    print(f"MobileNet {name}: test accuracy {h['test_acc'][-1]:.3f} after {h['epoch'][-1]} epochs"
          f"{' (epoch 1 from the shipped weights)' if starts[name] else ''} "
          f"({sum(h['epoch_time']):.0f} s of training in all, {np.mean(h['examples_per_sec']):.0f} images/s)")
if quick:
    for name, h in results.items():
        assert h["test_acc"][-1] >= 0.40, f"quick mode should teach: MobileNet {name} at {h['test_acc'][-1]:.3f}"

# %% [markdown] id="05-113"
# ### 6.1 Where full mode ends
#
# The recorded full-mode runs, read from their logs in `docs/results/` (the same recipe as this
# chapter's full mode, on the full JPEG copy of CIFAR-10, on an otherwise idle 2-core CPU), next to
# this run. The quick run's points are placed at the images it has seen, counted in full epochs of
# 50,000 images, so both curves share one axis:

# %% [markdown] id="05-113" lang="zh-CN" translates="3ad59a5affba"
# ### 6.1 完整模式止步于何处
#
# 记录下来的完整模式运行结果读自 `docs/results/` 中的日志（与本章完整模式的方案相同，使用 CIFAR-10 的完整 JPEG 副本，在一台没有其他负载的 2 核 CPU 上运行），与本次运行并列展示。快速运行的数据点按它已看过的图像数放置，以 50,000 张图像的完整迭代周期为单位，因此两条曲线共用同一个横轴：

# %% id="05-114"
from d2l_utils import results as recorded

KUANGLIU_V2 = 0.9443   # kuangliu/pytorch-cifar README: MobileNetV2, 200 epochs of SGD
COURSE_GOAL_V1 = 0.90  # the course's goal for V1 (no published CIFAR-10 figure for the post's V1)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
for ax, name, log, ref, ref_label in (
        (axes[0], "V1", "05_mobilenet_v1_20epochs.log", COURSE_GOAL_V1, "course goal"),
        (axes[1], "V2", "05_mobilenet_v2_3epochs.log", KUANGLIU_V2, "kuangliu, 200 epochs")):
    full = recorded.plot_recorded_run(ax, log, paper=ref, paper_label=ref_label)
    h = results[name]
    seen = np.array(h["epoch"]) * train_iter.num_examples / 50_000
    ax.plot(seen, h["test_acc"], "x--", color="C3", label=f"this run: test acc {h['test_acc'][-1]:.3f}")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"MobileNet {name}: recorded full run, {len(full['epoch'])} epochs, "
                 f"{recorded.wall_time(full) / 60:.0f} min", fontsize=9)
    print(f"MobileNet {name}, recorded full run: {full['test_acc'][-1]:.4f} after {full['epoch'][-1]} epochs "
          f"({recorded.wall_time(full) / 60:.0f} min, {np.mean(full['examples_per_sec']):.0f} images/s)")
fig.tight_layout()
d2l.save_or_show(fig, "05_full_vs_quick")

# %% [markdown] id="05-042"
# **Results against the references.** The course's goals for full mode are V2 ≥ 92 % and V1 ≥ 90 %
# (kuangliu's pytorch-cifar, whose networks the post copies, reports 94.43 % for this MobileNetV2 after
# 200 epochs of SGD; the post gives no accuracy). The recorded runs stop far earlier: 20 of V1's 200
# epochs and 3 of V2's, and neither reaches its goal; their curves are still rising. All numbers here
# are on the JPEG copy of CIFAR-10 (lossy re-encoding of the official images).
#
# V2 has about as many parameters as the post's V1 on CIFAR-10 but 3× its MACs (88M against 29M):
# the stride-1 stem and second stage keep 32×32 maps through the first four blocks, with 96- and
# 144-channel expanded tensors. It is expected to be the more accurate network (the references above)
# and on a CPU it is by far the slower one: 3× the MACs, many of them depthwise (section 1). In the
# recorded runs, on the 2-core CPU at batch 128, V1 trained at about 800 images/s and V2 at about 105:
# 3× the MACs, 8× the time. V2 also needs memory: about 5.2 GB at batch 128 with `d2l.train`'s default
# `hybridize(static_alloc=True, static_shape=True)`; pass `hybridize={"static_alloc": True}` to
# `d2l.train` to need about 3.5 GB, for 8–21 % less speed (`docs/speed.md`).
#
# ### 6.2 Do depthwise kernels die?
#
# The post repeats a remark it does not understand ("depthwise部分的卷积核容易废掉,即卷积核的参数大部分为0 …
# 这里不太懂"): many trained depthwise kernels are said to be empty. Let us look at the V1 we just
# trained. A depthwise channel can be dead in two ways: its 9 weights are (near) zero, or its ReLU
# never fires, so that the channel outputs 0 for every image and its kernel gets no gradient.

# %% [markdown] id="05-042" lang="zh-CN" translates="660831588343"
# **结果与参考值对比。** 本课程对完整模式定的目标是 V2 ≥ 92 %、V1 ≥ 90 %（原文的网络照搬自 kuangliu 的 pytorch-cifar，该仓库报告这个 MobileNetV2 经过 200 个迭代周期的 SGD 训练后达到 94.43 %；原文没有给出精度）。记录下来的运行停得早得多：V1 只跑了 200 个迭代周期中的 20 个，V2 只跑了 3 个，两者都没有达到目标；它们的曲线仍在上升。这里所有的数字都基于 CIFAR-10 的 JPEG 副本（对官方图像的有损重新编码）。
#
# 在 CIFAR-10 上，V2 的参数量与原文的 V1 差不多，但乘加运算次数是后者的 3 倍（88M 对 29M）：步幅为 1 的起始层和第二阶段让前四个块都保持 32×32 的特征图，扩展后的张量有 96 和 144 个通道。按上面的参考值，它应当是精度更高的网络，而在 CPU 上它是慢得多的那个：3 倍的乘加运算，其中许多是深度卷积（第 1 节）。在记录的运行中，在 2 核 CPU 上、批量大小 128 时，V1 的训练速度约为 800 张图像/秒，V2 约为 105 张/秒：3 倍的乘加运算，8 倍的时间。V2 还很占内存：使用 `d2l.train` 默认的 `hybridize(static_alloc=True, static_shape=True)` 时，批量大小 128 约需 5.2 GB；给 `d2l.train` 传入 `hybridize={"static_alloc": True}` 则约需 3.5 GB，代价是速度慢 8–21 %（`docs/speed.md`）。
#
# ### 6.2 深度卷积核会“废掉”吗？
#
# 原文转述了一句它自己也没弄懂的话（“depthwise部分的卷积核容易废掉,即卷积核的参数大部分为0 … 这里不太懂”）：据说许多训练出来的深度卷积核是空的（原文另一处写道：“发现不少训练出来的kernel是空的”）。我们来看看刚才训练好的 V1。一个深度卷积通道可能以两种方式“死掉”：它的 9 个权重（接近）为零；或者它的 ReLU 从不激活，于是该通道对每张图像都输出 0，其卷积核也得不到梯度。

# %% id="05-115"
v1 = nets["V1"]
X_test = nd.array(test_iter.transform(test_iter.X[pick], None), ctx=ctx)   # 32 test images (section 5)
x = v1[0](X_test)                                       # the stem
print(f"{'block':<7}{'channels':>9}{'kernel norm: median':>21}{'< 5 % of median':>17}{'ReLU never fires':>18}")
small_total = dead_total = channels_total = 0
for i, block in enumerate(list(v1)[1:1 + len(POST_V1_CFG)], start=1):
    h = block[0](x)                                     # depthwise 3x3 -> BN -> ReLU, (B, C, H, W)
    w = block[0][0].weight.data().asnumpy()             # (C, 1, 3, 3): one 3x3 kernel per channel
    norms = np.sqrt((w ** 2).sum(axis=(1, 2, 3)))
    small = int((norms < 0.05 * np.median(norms)).sum())
    dead = int((h.max(axis=(0, 2, 3)) <= 0).sum().asscalar())   # zero on every pixel of every image
    small_total, dead_total, channels_total = small_total + small, dead_total + dead, channels_total + len(norms)
    print(f"{i:<7}{len(norms):>9}{np.median(norms):>21.3f}{small:>17}{dead:>18}")
    x = block[1](h)
print(f"all    {channels_total:>9}{'':>21}{small_total / channels_total:>16.1%}{dead_total / channels_total:>17.1%}")

# %% [markdown] id="05-116"
# Read the last line of the table: in this quick-mode V1 (156 Adam steps, no weight decay) the
# fraction of near-zero kernels and of channels whose ReLU never fires. A run this short, without
# weight decay, has had no time to empty kernels, so it cannot confirm the post's remark; it shows
# the starting point. What empties a kernel in a long run is a two-step mechanism:
#
# * a channel whose ReLU is always off passes no gradient to its 9 weights; **weight decay** is then the
#   only force on them and shrinks them toward zero at every step. With plain SGD the shrinking is
#   geometric, (1 − lr·λ) per step; with Adam and an L2 term, the decay gradient λw is normalised by
#   Adam's own running scale, so each step moves the weight by about lr toward 0, and a dead kernel
#   is emptied within a few hundred steps;
# * even on live channels, the batch norm after the convolution makes the output independent of the
#   kernel's scale: the data gradient cannot resist weight decay's pull on the norm, so the
#   weights of a 9-parameter kernel drift small (the batch norm scales them back up, until its ε
#   dominates);
# * ReLU6, used by V2, has a second dead zone: above 6 it passes no gradient either.
#
# Hence the MobileNet paper's advice (Howard et al. 2017, §3.2): "it is important to put very little
# or no weight decay (l2 regularization) on the depthwise filters since there are so few parameters
# in them". The post adds that V2 "improves" on this (MobileNetV2做了进一步改善); what V2 changes is
# where the depthwise convolutions sit: on tensors expanded t = 6 times, so that a channel whose ReLU6
# never fires costs a small part of a wide representation, while the thin tensors between blocks
# pass no ReLU at all (section 4). A long full-mode run with weight
# decay on every parameter is where dead kernels would show; the recorded runs do not keep their
# checkpoints in the repository, so this chapter can only measure the quick-mode network.
#
# ### 6.3 hybridize()
#
# Chapter 00 measures what `hybridize()` buys. Here, one measurement of MobileNet V1 training at the
# quick-mode batch size (the wording follows the number; on a shared CPU it is noisy):

# %% [markdown] id="05-116" lang="zh-CN" translates="9c0ddfd4f30c"
# 请看表格的最后一行：在这个快速模式的 V1 中（156 步 Adam，无权重衰减），接近零的卷积核以及 ReLU 从不激活的通道所占的比例。这么短、又没有权重衰减的运行，还来不及把卷积核清空，所以它无法证实原文的说法；它展示的只是起点。在长时间的运行中，让卷积核变空的是一个两步机制：
#
# * 一个 ReLU 始终关闭的通道不会把梯度传给它的 9 个权重；于是**权重衰减**成了作用在它们身上的唯一力量，每一步都把它们向零收缩。使用普通 SGD 时，收缩是几何级的，每步乘以 (1 − lr·λ)；使用 Adam 加 L2 项时，衰减梯度 λw 会被 Adam 自己的滑动尺度归一化，因此每一步都让权重朝 0 移动约 lr，一个死掉的卷积核在几百步内就会被清空；
# * 即使在活着的通道上，卷积之后的批量规范化也使输出与卷积核的尺度无关：数据梯度无法抵抗权重衰减对范数的拉拽，于是一个只有 9 个参数的卷积核的权重会逐渐变小（批量规范化会把它们重新放大，直到它的 ε 占据主导）；
# * V2 所用的 ReLU6 还有第二个死区：大于 6 时它同样不传递梯度。
#
# 因此 MobileNet 论文建议（Howard et al. 2017，§3.2）："it is important to put very little or no weight decay (l2 regularization) on the depthwise filters since there are so few parameters in them"（“深度卷积滤波器中的参数很少，因此对它们只施加很小的权重衰减（l2 正则化）或不施加，是很重要的”）。原文补充说 V2 在这一点上有所“改善”（“MobileNetV2做了进一步改善”）；V2 真正改变的是深度卷积所处的位置：它们作用在扩展了 t = 6 倍的张量上，因此一个 ReLU6 从不激活的通道只占宽表示中的一小部分，而块之间的窄张量根本不经过 ReLU（第 4 节）。对所有参数都施加权重衰减的长时间完整模式运行，才是死卷积核会显现的地方；记录下来的运行没有把检查点保存在仓库中，所以本章只能测量快速模式的网络。
#
# ### 6.3 hybridize()
#
# 第 00 章测量了 `hybridize()` 带来的收益。这里对 MobileNet V1 在快速模式批量大小下的训练做一次测量（文字描述随测得的数字而定；在共享的 CPU 上噪声较大）：

# %% id="05-043"
speed = {mode: d2l.measure_training_throughput(mobilenet_v1_cifar, (batch_size, 3, 32, 32), mode=mode,
                                               steps=3 if quick else 10, warmup=1 if quick else 3)
         for mode in ("imperative", "hybridize(static)")}
gain = speed["hybridize(static)"] / speed["imperative"]
verdict = "faster than" if gain > 1.05 else "slower than" if gain < 0.95 else "about as fast as"
print(f"hybridize(static_alloc, static_shape): {speed['hybridize(static)']:.0f} images/s, {gain:.2f}x imperative "
      f"({speed['imperative']:.0f} images/s): {verdict} imperative here.")

# %% [markdown] id="05-044"
# ## Exercises
#
# **Exercise 5.1 · cost of a depthwise separable convolution.** Return the pair
# (standard MACs, depthwise separable MACs) of a $D_K\times D_K$ convolution from M to N channels
# on a $D_F\times D_F$ output (stride 1, no bias).

# %% [markdown] id="05-044" lang="zh-CN" translates="348387b92972"
# ## 练习
#
# **练习 5.1 · 深度可分离卷积的代价。** 对一个从 M 个通道到 N 个通道、输出为 $D_F\times D_F$（步幅 1，无偏置）的 $D_K\times D_K$ 卷积，返回二元组（标准卷积的乘加运算次数，深度可分离卷积的乘加运算次数）。

# %% id="05-045"
from d2l_utils.exercises.ch05 import (check_block_params, check_budget_choice, check_half_width,
                                      check_no_shortcut, check_relu_bottleneck, check_separable_cost)


def separable_cost(D_K, M, N, D_F):
    raise NotImplementedError("return (standard MACs, depthwise + pointwise MACs)")


# %% id="05-046"
check_separable_cost(separable_cost)


# %% [markdown] id="05-047"
# **Exercise 5.2 · parameters of an inverted residual block.** Return the number of trainable
# parameters of `InvertedResidual(c_in, c_out, t, stride, shortcut=shortcut)` (the paper's block:
# no expansion conv when t = 1; convolutions without bias; each batch norm has γ and β) without
# building it. Then explain, with your formula, why a V2 block at 160 channels has fewer
# parameters than a V1 block at 1024.

# %% [markdown] id="05-047" lang="zh-CN" translates="0cc7f13fa813"
# **练习 5.2 · 倒残差块的参数量。** 不构建 `InvertedResidual(c_in, c_out, t, stride, shortcut=shortcut)`，返回它的可训练参数个数（论文的块：t = 1 时没有扩展卷积；卷积没有偏置；每个批量规范化有 γ 和 β）。然后用你的公式解释，为什么 160 通道的 V2 块比 1024 通道的 V1 块参数更少。

# %% id="05-048"
def block_params(c_in, c_out, t, stride, shortcut):
    raise NotImplementedError("conv weights + 2 per batch-norm channel")


# %% id="05-049"
check_block_params(block_params)


# %% [markdown] id="05-050"
# **Exercise 5.3 · the largest MobileNet V1 under 200 million MACs.** A phone allows
# 200M MACs per image. Among α ∈ {1, 0.75, 0.5, 0.25} and ρ ∈ {224, 192, 160, 128}, which
# (α, ρ) uses the most MACs without exceeding the budget? Use `d2l.total_macs(mobilenet_v1(α),
# (1, 3, ρ, ρ))`. Which of the paper's accuracies (section 2.1) would you expect?

# %% [markdown] id="05-050" lang="zh-CN" translates="4ec52e9a7564"
# **练习 5.3 · 200M 次乘加以内最大的 MobileNet V1。** 一部手机每张图像允许 200M 次乘加运算。在 α ∈ {1, 0.75, 0.5, 0.25} 和 ρ ∈ {224, 192, 160, 128} 中，哪一组 (α, ρ) 在不超出预算的前提下使用的乘加运算最多？使用 `d2l.total_macs(mobilenet_v1(α),
# (1, 3, ρ, ρ))`。你预计它的精度是论文中的哪个值（第 2.1 节）？

# %% id="05-051"
def budget_choice():
    raise NotImplementedError("return (alpha, rho), e.g. (0.5, 160)")


# %% id="05-052"
check_budget_choice(budget_choice)


# %% [markdown] id="05-120"
# The next three exercises are experiments: change a network, train it with the chapter's recipe
# (`train_mobilenet(net, epochs["V2"])` trains exactly like section 6, in the current mode), and
# compare with the chapter's run. Your function returns `(net, history)`; the check verifies the
# change in your network and recomputes the test accuracy from it, so the comparison is your run's.
# Print your result next to the chapter's, e.g. `results["V2"]["test_acc"][-1]`.
#
# **Exercise 5.4 · a ReLU after the bottleneck (the V2 paper's Fig. 6a).** Build the chapter's V2
# (`models["V2"]()`) with a ReLU6 after the batch norm of every block's last 1×1 convolution (hint:
# `block.body[-1]` is that unit, a `HybridSequential` you can `.add(ReLU6())` to before the network is
# initialised), train it, and compare its test accuracy with the linear bottleneck's. Does the
# section 4 argument show in a run this short? (The paper's Fig. 6a: on ImageNet the linear
# bottleneck is better by about a point, over a full training.)

# %% [markdown] id="05-120" lang="zh-CN" translates="3a32ca3fd521"
# 接下来的三道练习是实验：修改一个网络，用本章的方案训练它（`train_mobilenet(net, epochs["V2"])` 的训练方式与第 6 节完全相同，使用当前模式），并与本章的运行结果比较。你的函数返回 `(net, history)`；检查程序会核实你对网络所做的修改，并用它重新计算测试精度，因此比较的是你自己的运行结果。把你的结果和本章的结果一起打印出来，例如 `results["V2"]["test_acc"][-1]`。
#
# **练习 5.4 · 在瓶颈之后加 ReLU（V2 论文的图 6a）。** 构建本章的 V2（`models["V2"]()`），在每个块最后一个 1×1 卷积的批量规范化之后加一个 ReLU6（提示：`block.body[-1]` 就是这个单元，它是一个 `HybridSequential`，可以在网络初始化之前对它调用 `.add(ReLU6())`），训练它，并把它的测试精度与线性瓶颈的进行比较。第 4 节的论证在这么短的运行中能体现出来吗？（论文的图 6a：在 ImageNet 上经过完整训练，线性瓶颈要好大约一个百分点。）

# %% id="05-121"
def relu_bottleneck_experiment():
    raise NotImplementedError("net = models['V2'](), add ReLU6 after every block's projection, "
                              "return net, train_mobilenet(net, epochs['V2'])")


# %% id="05-122"
check_relu_bottleneck(relu_bottleneck_experiment)


# %% [markdown] id="05-123"
# **Exercise 5.5 · V2 without shortcuts.** Train the chapter's V2 with every shortcut removed (the
# package's `mobilenet_v2_cifar(shortcut="none", ...)` with the chapter's other settings; without
# shortcuts `zero_init_residuals` has nothing to do) and
# compare with the chapter's V2: the network of section 5's gradient figure, trained. Which one is
# ahead after this run, and by how much? One seed and 500 test images: how large a difference would
# you trust (the binomial standard error of an accuracy p on 500 images is √(p(1−p)/500))?

# %% [markdown] id="05-123" lang="zh-CN" translates="5bf0ae59557b"
# **练习 5.5 · 不带捷径连接的 V2。** 训练去掉所有捷径连接的本章 V2（课程包的 `mobilenet_v2_cifar(shortcut="none", ...)`，其他设置与本章相同；没有捷径连接时 `zero_init_residuals` 不起作用），并与本章的 V2 比较：这就是第 5 节梯度图中的那个网络，只不过经过了训练。这次运行结束后哪一个领先，领先多少？只有一个随机种子和 500 张测试图像：多大的差距你才会相信（精度 p 在 500 张图像上的二项分布标准误差为 √(p(1−p)/500)）？

# %% id="05-124"
def no_shortcut_experiment():
    raise NotImplementedError("build V2 with shortcut='none', return net, train_mobilenet(net, epochs['V2'])")


# %% id="05-125"
check_no_shortcut(no_shortcut_experiment)


# %% [markdown] id="05-126"
# **Exercise 5.6 · MobileNet V1 at half width (α = 0.5).** Train `mobilenet_v1_cifar(multiplier=0.5)`
# with the chapter's recipe and compare test accuracy, parameters (`d2l.count_parameters`), MACs
# (`d2l.total_macs(net, (1, 3, 32, 32))`) and training images/s (`history["examples_per_sec"]`) with
# the chapter's V1. The paper's Table 6 loses 7 points on ImageNet at α = 0.5 for 3.8× fewer MACs; on
# a CPU, is the half-width network 3.8× faster?

# %% [markdown] id="05-126" lang="zh-CN" translates="2b34a7ab3676"
# **练习 5.6 · 半宽度的 MobileNet V1（α = 0.5）。** 用本章的方案训练 `mobilenet_v1_cifar(multiplier=0.5)`，并把测试精度、参数量（`d2l.count_parameters`）、乘加运算次数（`d2l.total_macs(net, (1, 3, 32, 32))`）和训练速度（图像/秒，`history["examples_per_sec"]`）与本章的 V1 比较。论文的表 6 显示，在 ImageNet 上 α = 0.5 时乘加运算次数减少到 1/3.8，精度损失 7 个百分点；在 CPU 上，半宽度网络会快 3.8 倍吗？

# %% id="05-127"
def half_width_experiment():
    raise NotImplementedError("net = mobilenet_v1_cifar(multiplier=0.5); return net, train_mobilenet(net, epochs['V1'])")


# %% id="05-128"
check_half_width(half_width_experiment)
