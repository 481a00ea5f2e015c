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

# %% [markdown] id="01-001"
# # Chapter 01 · 1×1 convolutions and Network in Network
#
# A 1×1 convolution looks like a joke: a kernel that sees a single pixel. Yet it is the
# workhorse of every modern CNN in this course: GoogLeNet uses it to cut the cost of its
# 5×5 branches by ten, ResNet's bottlenecks and MobileNet's pointwise layers are 1×1
# convolutions, and Network in Network (Lin et al., 2013) built a whole classifier out of it.
#
# This chapter shows three things, each with numbers you can check:
# 1. a 1×1 convolution **is** a dense layer applied to every pixel (same weights, same output);
# 2. a 1×1 "bottleneck" in front of a 5×5 convolution cuts its cost roughly tenfold
#    (the lecture's 120,422,400 vs 12,443,648 multiply-accumulates);
# 3. a small NiN built from 1×1 convolutions classifies MNIST with no dense layer at all (quick mode:
#    at least 95 % test accuracy on the shipped sample in a few seconds of training; full mode: 99 %).
#
# Every figure in this chapter is drawn by `d2l_utils/figures/ch01.py` from the real layers: change a
# channel count in the model and the figure follows.

# %% [markdown] id="01-001" lang="zh-CN" translates="2cb17fee3f62"
# # 第 01 章 · 1×1 卷积与网络中的网络（NiN）
#
# 1×1 卷积看起来像个玩笑：卷积核只看得到一个像素。然而在本课程的每一个现代卷积神经网络里，它都是挑大梁的角色：
# GoogLeNet 用它把 5×5 分支的计算量削减到十分之一，ResNet 的瓶颈层（bottleneck layer）和 MobileNet 的逐点卷积
# （pointwise convolution）都是 1×1 卷积，而网络中的网络（Network in Network，NiN；Lin 等，2013）干脆完全用它搭出了
# 一个分类器。
#
# 本章用可以自己核对的数字说明三件事：
# 1. 1×1 卷积**就是**作用在每个像素上的全连接层（dense layer）（权重相同，输出也相同）；
# 2. 在 5×5 卷积前面加一个 1×1 的“瓶颈层”，能把计算量降到大约十分之一
#    （课上的例子：120,422,400 次对 12,443,648 次乘加运算）；
# 3. 一个由 1×1 卷积搭成的小型 NiN 完全不用全连接层就能对 MNIST 分类（快速模式：在随课程提供的样本上训练几秒钟，
#    测试精度至少 95 %；完整模式：99 %）。
#
# 本章的每一幅图都由 `d2l_utils/figures/ch01.py` 根据真实的层绘制：在模型中改一个通道数，图也会随之改变。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="01-002"
import d2l_utils as d2l  # first: configures OpenMP threads before MXNet loads
mode = d2l.chapter_banner("Chapter 01 · 1×1 convolutions and Network in Network")

import mxnet as mx
import numpy as np
from mxnet import nd
from mxnet.gluon import nn

from d2l_utils.figures import ch01 as figures

d2l.set_seed(0)
ctx = d2l.try_gpu()

# %% [markdown] id="01-003"
# ## 1. A 1×1 convolution is a per-pixel dense layer
#
# A convolution with a $k\times k$ kernel maps $C_\text{in}$ input channels to $C_\text{out}$ output
# channels. **Each of its $C_\text{out}$ kernels has as many channels as the input**: it is a
# $C_\text{in}\times k\times k$ block of weights, so one output value sums over a $k\times k$ window of *every*
# input channel. Output pixel $(i, j)$ of channel $o$ is
#
# $$y_{o,i,j} = b_o + \sum_{c=1}^{C_\text{in}} \sum_{u,v} w_{o,c,u,v}\, x_{c,\,i+u,\,j+v}.$$
#
# With $k=1$ the sums over $u, v$ disappear: $y_{:,i,j} = W x_{:,i,j} + b$, a dense layer with
# weight matrix $W \in \mathbb{R}^{C_\text{out}\times C_\text{in}}$ applied to the channel vector of every
# pixel, with the **same** $W$ everywhere. It mixes channels; it never mixes neighbouring pixels.

# %% [markdown] id="01-003" lang="zh-CN" translates="fab92449d4b4"
# ## 1. 1×1 卷积是逐像素的全连接层
#
# 卷积核为 $k\times k$ 的卷积把 $C_\text{in}$ 个输入通道（channel）映射为 $C_\text{out}$ 个输出通道。
# **它的 $C_\text{out}$ 个卷积核中，每一个的通道数都与输入相同**：每个卷积核是一个
# $C_\text{in}\times k\times k$ 的权重块，因此一个输出值是对*每一个*输入通道上 $k\times k$ 窗口的求和。
# 通道 $o$ 的输出像素 $(i, j)$ 为
#
# $$y_{o,i,j} = b_o + \sum_{c=1}^{C_\text{in}} \sum_{u,v} w_{o,c,u,v}\, x_{c,\,i+u,\,j+v}.$$
#
# 当 $k=1$ 时，对 $u, v$ 的求和消失：$y_{:,i,j} = W x_{:,i,j} + b$，这就是一个权重矩阵为
# $W \in \mathbb{R}^{C_\text{out}\times C_\text{in}}$ 的全连接层，作用在每个像素的通道向量上，而且处处使用**同一个** $W$。
# 它只混合通道，从不混合相邻的像素。

# %% id="01-101"
d2l.save_or_show(figures.conv_vs_1x1(), "01_conv_vs_1x1")

# %% [markdown] id="01-102"
# Let us check the right-hand picture numerically: a `Conv2D(16, kernel_size=1)` and a `Dense(16)` that
# share weights.

# %% [markdown] id="01-102" lang="zh-CN" translates="10ef9c00830d"
# 我们用数值来验证右边那幅图：让一个 `Conv2D(16, kernel_size=1)` 和一个 `Dense(16)` 共享权重。

# %% id="01-004"
X = nd.random.normal(shape=(2, 192, 28, 28))     # (B, C_in, H, W)
conv = nn.Conv2D(16, kernel_size=1, in_channels=192)
dense = nn.Dense(16, in_units=192, flatten=False)  # acts on the last axis
conv.initialize()
dense.initialize()
# Copy the weights before either layer runs: after a forward pass oneDNN may keep a weight in its own
# blocked layout, and reading it back for another layer is where MXNet 1.9 has been unreliable.
dense.weight.set_data(conv.weight.data().reshape(16, 192))  # (16, 192, 1, 1) -> (16, 192)
dense.bias.set_data(conv.bias.data())

Y_conv = conv(X)                                   # (B, 16, H, W)
pixels = X.transpose((0, 2, 3, 1))                 # (B, H, W, C_in): one channel vector per pixel
Y_dense = dense(pixels).transpose((0, 3, 1, 2))    # back to (B, 16, H, W)

largest = float(nd.abs(Y_conv - Y_dense).max().asscalar())
print("conv output", Y_conv.shape, "| dense-per-pixel output", Y_dense.shape)
print("largest difference:", largest)
assert largest < 1e-4, f"the 1x1 convolution and the per-pixel dense layer differ by {largest}"

# %% [markdown] id="01-005"
# ## 2. The cost argument of the GoogLeNet lecture
#
# For a convolution producing an $H_\text{out}\times W_\text{out}$ map, every output element is a dot product of
# length $C_\text{in} k^2$, so the number of multiply-accumulates (MACs) for one image is
#
# $$\text{MACs} = k^2 \cdot C_\text{in} \cdot C_\text{out} \cdot H_\text{out} W_\text{out}.$$
#
# The lecture's example: a 28×28×192 input, 32 output channels of a 5×5 convolution (padding keeps 28×28).
#
# * directly: $5^2\cdot192\cdot32\cdot28^2$
# * with a 1×1 bottleneck to 16 channels first: $1^2\cdot192\cdot16\cdot28^2 + 5^2\cdot16\cdot32\cdot28^2$
#
# The figure builds both variants as real layers and counts each layer's MACs with `d2l.conv_macs`
# from the layer's own kernel, channels and output size:

# %% [markdown] id="01-005" lang="zh-CN" translates="55d549733627"
# ## 2. GoogLeNet 那一讲中的计算量论证
#
# 对于输出大小为 $H_\text{out}\times W_\text{out}$ 的卷积，每个输出元素都是一个长度为 $C_\text{in} k^2$ 的点积，
# 因此处理一幅图像所需的乘加运算（multiply-accumulates，MACs）次数为
#
# $$\text{MACs} = k^2 \cdot C_\text{in} \cdot C_\text{out} \cdot H_\text{out} W_\text{out}.$$
#
# 课上的例子：输入为 28×28×192，经过一个有 32 个输出通道的 5×5 卷积（填充使输出保持 28×28）。
#
# * 直接计算：$5^2\cdot192\cdot32\cdot28^2$
# * 先用 1×1 瓶颈层降到 16 个通道：$1^2\cdot192\cdot16\cdot28^2 + 5^2\cdot16\cdot32\cdot28^2$
#
# 下图把两种方案都搭成真实的层，并用 `d2l.conv_macs` 根据每层自己的卷积核、通道数和输出尺寸统计该层的乘加运算次数：

# %% id="01-103"
d2l.save_or_show(figures.bottleneck(), "01_bottleneck")

# %% id="01-006"
direct = d2l.conv_macs(192, 32, kernel=(5, 5), out_size=(28, 28))
reduce_1x1 = d2l.conv_macs(192, 16, kernel=(1, 1), out_size=(28, 28))
then_5x5 = d2l.conv_macs(16, 32, kernel=(5, 5), out_size=(28, 28))
print(f"5x5 conv 192->32 directly      : {direct:>12,} MACs")
print(f"1x1 conv 192->16               : {reduce_1x1:>12,} MACs")
print(f"5x5 conv  16->32               : {then_5x5:>12,} MACs")
print(f"bottleneck total               : {reduce_1x1 + then_5x5:>12,} MACs")
print(f"saving                         : {direct / (reduce_1x1 + then_5x5):.1f}x fewer")
assert direct == 120_422_400 and reduce_1x1 + then_5x5 == 12_443_648  # NBVAL_CHECK_OUTPUT

# %% [markdown] id="01-007"
# Many copies of this lecture print **12,433,648** for the bottleneck. The two terms are
# $2{,}408{,}448 + 10{,}035{,}200 = 12{,}443{,}648$: the "33" is a slip when adding the columns by hand.
# The counter above is not a second hand calculation; it is checked against real layers below.
#
# The same numbers, measured on real Gluon layers with the course's layer table (it hooks every layer,
# reads the real output shape and counts products):

# %% [markdown] id="01-007" lang="zh-CN" translates="41a2fe60f83d"
# 这一讲的许多转载版本给出的瓶颈层结果是 **12,433,648**。而两项之和是
# $2{,}408{,}448 + 10{,}035{,}200 = 12{,}443{,}648$：那个“33”是手工列竖式相加时的笔误。
# 上面的计数器并不是又一次手算；下面会用真实的层来核对它。
#
# 同样的数字，在真实的 Gluon 层上用课程的层表测得（它挂钩每一层，读取真实的输出形状并统计乘法次数）：

# %% id="01-008"
direct_net = nn.HybridSequential()
direct_net.add(nn.Conv2D(32, kernel_size=5, padding=2))
bottleneck_net = nn.HybridSequential()
bottleneck_net.add(nn.Conv2D(16, kernel_size=1), nn.Conv2D(32, kernel_size=5, padding=2))
for name, net in [("direct", direct_net), ("bottleneck", bottleneck_net)]:
    net.initialize()
    print(f"-- {name}")
    params, macs = d2l.print_layer_table(net, (1, 192, 28, 28))
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="01-009"
# The bottleneck also has ten times fewer **parameters** (153,632 vs 15,920 weights and biases). The price:
# the 5×5 kernel now sees a 16-channel summary of the input instead of all 192 channels. GoogLeNet's bet is
# that the channels are redundant enough for that to cost little accuracy.
#
# ## 3. Network in Network
#
# NiN replaces a convolution's linear filter by a small MLP that slides over the image: a k×k convolution
# followed by two 1×1 convolutions, each with a nonlinearity ("mlpconv"). It also drops the large dense
# classifier of AlexNet/VGG: the last block has one channel per class and **global average pooling** turns
# each channel map into a class score. That removes most of the parameters and is the idea GoogLeNet and
# ResNet kept. The package's block (`d2l_utils/models/nin.py`, `nin_block`), drawn from the block itself:

# %% [markdown] id="01-009" lang="zh-CN" translates="926f1f7f8b21"
# 瓶颈层方案的**参数量**也少了十倍（权重和偏置共 153,632 个对 15,920 个）。代价是：5×5 卷积核现在看到的是输入的
# 16 通道摘要，而不是全部 192 个通道。GoogLeNet 赌的是通道之间足够冗余，这样做对精度的损失很小。
#
# ## 3. 网络中的网络
#
# NiN 把卷积的线性滤波器换成一个在图像上滑动的小型多层感知机：一个 k×k 卷积后接两个 1×1 卷积，每个卷积后面都有
# 非线性激活（即“mlpconv”）。它还去掉了 AlexNet/VGG 中庞大的全连接分类器：最后一个块的通道数等于类别数，
# 再由**全局平均汇聚层**（global average pooling，也称全局平均池化）把每个通道的特征图变成一个类别得分。
# 这去掉了绝大部分参数，也是 GoogLeNet 和 ResNet 保留下来的思想。下面是课程软件包中的块
# （`d2l_utils/models/nin.py`，`nin_block`），图由这个块本身绘制：

# %% id="01-104"
d2l.save_or_show(figures.nin_block_figure(), "01_nin_block")


# %% [markdown] id="01-105"
# We write the block here step by step; the course package keeps the same model in
# `d2l_utils/models/nin.py`, and a tested line below proves the two agree. Batch normalisation is not in
# the 2013 paper (it came in 2015); we add it after every convolution because it makes this small net
# learn faster. Does the net train without it? Exercise 1.4 lets you measure it.

# %% [markdown] id="01-105" lang="zh-CN" translates="954838018784"
# 我们在这里一步步写出这个块；课程软件包在 `d2l_utils/models/nin.py` 中保存了同一个模型，下面有一行经过测试的代码
# 证明两者一致。2013 年的论文里没有批量规范化（batch normalization，2015 年才提出）；我们在每个卷积之后都加上它，
# 因为它能让这个小网络学得更快。没有它，网络还能训练吗？练习 1.4 让你亲自测一测。

# %% id="01-010"
def conv_bn_relu(channels, kernel_size, padding=0):
    block = nn.HybridSequential()
    # BatchNorm is not in the 2013 paper: it speeds up training (exercise 1.4 trains without it).
    block.add(nn.Conv2D(channels, kernel_size, padding=padding, use_bias=False),
              nn.BatchNorm(), nn.Activation("relu"))
    return block

def nin_block(channels, kernel_size, padding=0):
    block = nn.HybridSequential()
    block.add(conv_bn_relu(channels, kernel_size, padding),  # look at a k x k neighbourhood
              conv_bn_relu(channels, 1),                     # then a 2-layer MLP per pixel
              conv_bn_relu(channels, 1))
    return block

net = nn.HybridSequential()
net.add(nin_block(32, kernel_size=5, padding=2),         # (B, 32, 28, 28)
        nn.MaxPool2D(pool_size=2),                       # (B, 32, 14, 14)
        nin_block(64, kernel_size=3, padding=1),         # (B, 64, 14, 14)
        nn.MaxPool2D(pool_size=2),                       # (B, 64, 7, 7)
        nn.Dropout(0.3),
        nn.Conv2D(64, 3, padding=1, activation="relu"),  # (B, 64, 7, 7)
        nn.Conv2D(10, kernel_size=1),                    # (B, 10, 7, 7): one map per digit
        nn.GlobalAvgPool2D(),                            # (B, 10, 1, 1)
        nn.Flatten())                                    # (B, 10) scores; the loss applies softmax
net.initialize(mx.init.Xavier(), ctx=ctx)

# %% [markdown] id="01-011"
# The whole network, and its shape, parameter and MAC trace for one 28×28 digit:

# %% [markdown] id="01-011" lang="zh-CN" translates="f6ec4c7732f3"
# 整个网络，以及一幅 28×28 数字图像经过它时的形状、参数量和乘加运算追踪：

# %% id="01-106"
d2l.save_or_show(figures.nin_network_figure(), "01_nin_network")

# %% id="01-012"
params, macs = d2l.print_layer_table(net, (1, 1, 28, 28), ctx=ctx, depth=1)
trainable, frozen = d2l.count_parameters(net)
print(f"trainable {trainable:,} | batch-norm running statistics (not trained) {frozen:,}")
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="01-013"
# **One source of truth.** The notebook's network and the package's `nin_mnist()` are the same model:
# the notebook's weights load, name by name and shape by shape, into the package's network (loading is
# strict: one layer more, less or of another shape fails), and then both give the same output.

# %% [markdown] id="01-013" lang="zh-CN" translates="c8d40e7678b5"
# **唯一的事实来源。** 笔记本中的网络和软件包中的 `nin_mnist()` 是同一个模型：笔记本的权重可以按名称、按形状逐一
# 加载到软件包的网络中（加载是严格的：多一层、少一层或形状不同都会失败），之后两者给出相同的输出。

# %% id="01-014"
from d2l_utils.models.nin import nin_mnist

assert d2l.same_model(net, nin_mnist(), (4, 1, 28, 28), ctx=ctx)  # NBVAL_CHECK_OUTPUT

# %% [markdown] id="01-015"
# ## Training on MNIST
#
# `d2l.train` hybridizes the network (one compiled graph, memory planned once), shows a progress bar and a
# live plot, and returns the history.
#
# | | quick mode (the default on a CPU) | full mode (`D2L_MODE=full`) |
# |---|---|---|
# | data | the shipped sample: 3,000 training and 1,000 test images | the 60,000 / 10,000 official images |
# | recipe | Adam, batch 64, rate 3·10⁻³ decayed along a cosine to 0, 12 epochs | Adam, batch 128, rate 2·10⁻³, 10 epochs |
#
# Full mode is the recipe of the recorded run (`docs/results/01_nin_mnist.log`). Quick mode has 20 times
# less data, so it takes smaller batches (more steps per epoch) and lets the rate fall to 0, which settles
# the weights in a few epochs instead of letting them wander at a high rate. An epoch of the sample takes
# a second or two on an idle 2-core CPU.

# %% [markdown] id="01-015" lang="zh-CN" translates="8733208c56b6"
# ## 在 MNIST 上训练
#
# `d2l.train` 会对网络做 hybridize（一个编译好的计算图，内存只规划一次），显示进度条和实时曲线，并返回训练历史。
#
# | | 快速模式（CPU 上的默认模式） | 完整模式（`D2L_MODE=full`） |
# |---|---|---|
# | 数据 | 随课程提供的样本：3,000 张训练图像和 1,000 张测试图像 | 官方的 60,000 / 10,000 张图像 |
# | 训练方案 | Adam，批量大小 64，学习率 3·10⁻³ 按余弦曲线衰减到 0，12 个迭代周期 | Adam，批量大小 128，学习率 2·10⁻³，10 个迭代周期 |
#
# 完整模式采用的是已记录那次运行的方案（`docs/results/01_nin_mnist.log`）。快速模式的数据少 20 倍，所以用更小的
# 批量（每个迭代周期的步数更多），并让学习率（learning rate）降到 0，这样权重在几轮之内就能稳定下来，而不是在高学习率下
# 来回游走。在空闲的 2 核 CPU 上，样本的一个迭代周期（epoch）只需一两秒。

# %% id="01-016"
if mode == "quick":
    batch_size, num_epochs, lr = 64, 12, 3e-3
    schedule = d2l.hold_then_cosine(lr, 0, num_epochs)  # cosine from lr down to 0
else:  # the recorded run
    batch_size, num_epochs, lr, schedule = 128, 10, 2e-3, None
train_iter, test_iter = d2l.load_mnist(batch_size)
print(f"{train_iter.num_examples:,} training and {test_iter.num_examples:,} test images")
history = d2l.train(net, train_iter, test_iter, num_epochs, lr=lr, optimizer="adam", lr_schedule=schedule,
                    ctx=ctx, seed=0, title="NiN on MNIST")

# %% [markdown] id="01-017"
# The test accuracy climbs from chance (0.1) as the first epochs go by. The floor asserted below is the
# course's promise for quick mode (95 %); the printed number is what this run reached.

# %% [markdown] id="01-017" lang="zh-CN" translates="e5ccba3bcc93"
# 随着最初几轮训练的进行，测试精度从随机猜测的水平（0.1）开始上升。下面断言的下限是课程对快速模式的承诺（95 %）；
# 打印出来的数字是本次运行实际达到的精度。

# %% id="01-018"
final_acc = history["test_acc"][-1]
print(f"test accuracy after {num_epochs} epochs: {final_acc:.3f} "
      f"({history['examples_per_sec'][-1]:,.0f} training images/s in the last epoch)")
assert final_acc >= 0.95 or mode != "quick", f"quick mode should reach 95 %, got {final_acc:.3f}"
y, pred = d2l.predict_labels(net, test_iter, ctx)
d2l.plot_confusion_matrix(d2l.confusion_matrix(y, pred, 10), [str(i) for i in range(10)],
                          title="NiN on MNIST");

# %% [markdown] id="01-107"
# ### Where full mode ends
#
# Left: this run. Right: the recorded full-mode run, read from its log (`docs/results/01_nin_mnist.log`,
# the recipe in the table above, on a 2-core CPU), with the NiN paper's MNIST result (Lin et al. 2013,
# Table 4: 0.47 % test error, without batch normalisation and with dropout).

# %% [markdown] id="01-107" lang="zh-CN" translates="96fad0dc9656"
# ### 完整模式的最终结果
#
# 左图：本次运行。右图：已记录的完整模式运行，数据读自其日志（`docs/results/01_nin_mnist.log`，采用上表中的方案，
# 在 2 核 CPU 上运行），并标出 NiN 论文在 MNIST 上的结果（Lin 等 2013，表 4：测试错误率 0.47 %，未使用批量规范化，
# 使用了 dropout）。

# %% id="01-108"
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
from d2l_utils import results

fig, (ax_quick, ax_full) = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
ax_quick.plot(history["epoch"], history["train_acc"], "o-", ms=3, label="train acc")
ax_quick.plot(history["epoch"], history["test_acc"], "s-", ms=3, label=f"test acc {final_acc:.3f}")
ax_quick.set(title=f"this run ({mode} mode, {train_iter.num_examples:,} images)", xlabel="epoch", ylabel="accuracy")
ax_quick.title.set_fontsize(9); ax_quick.xaxis.set_major_locator(MaxNLocator(integer=True))
ax_quick.legend(fontsize=7, loc="lower right"); ax_quick.grid(alpha=0.3)
full = results.plot_recorded_run(ax_full, "01_nin_mnist.log", paper=1 - 0.0047, paper_label="NiN paper",
                                 label="full mode, recorded: 60,000 images")
d2l.save_or_show(fig, "01_quick_vs_full")
print(f"recorded full-mode run: test accuracy {full['test_acc'][-1]:.4f} after {full['epoch'][-1]} epochs, "
      f"{results.wall_time(full) / 60:.0f} min on a 2-core CPU")

# %% id="01-109"
fast = d2l.measure_training_throughput(nin_mnist, (batch_size, 1, 28, 28), mode="hybridize(static)", steps=10)
slow = d2l.measure_training_throughput(nin_mnist, (batch_size, 1, 28, 28), mode="imperative", steps=10)
verdict = "faster than" if fast > 1.1 * slow else "slower than" if fast < 0.9 * slow else "about as fast as"
print(f"hybridize(static) trains this NiN at {fast / slow:.2f}x the imperative speed: {verdict} imperative here "
      "(chapter 00 explains why)")


# %% [markdown] id="01-019"
# ## Exercises
#
# Each exercise has a check you can run. Replace `raise NotImplementedError` (or `None`) with your answer.
# Exercises 1.1–1.3 are computations; 1.4 and 1.5 are experiments: you change the network, train it with
# the chapter's recipe (quick mode: well under a minute on a laptop) and compare with the chapter's run. Their checks look at
# your network itself, recompute its test accuracy, and require it to be the last one of the history you
# pass, so the comparison they print is your own run's.
#
# **Exercise 1.1 · MACs of a convolution.** Write `my_conv_macs(c_in, c_out, k, h_out, w_out)` returning
# the multiply-accumulates of a k×k convolution for one image (no groups, no bias).

# %% [markdown] id="01-019" lang="zh-CN" translates="dca8ed4ab04f"
# ## 练习
#
# 每道练习都有一个可以运行的检查。把 `raise NotImplementedError`（或 `None`）换成你的答案。
# 练习 1.1–1.3 是计算题；1.4 和 1.5 是实验：你要修改网络，用本章的训练方案训练它（快速模式：在笔记本电脑上远不到一分钟），
# 再与本章的运行结果比较。这两道练习的检查会查看你的网络本身，重新计算它的测试精度，并要求它是你传入的训练历史中的
# 最后一次运行，因此打印出来的比较就是你自己那次运行的结果。
#
# **练习 1.1 · 卷积的乘加运算次数。** 编写 `my_conv_macs(c_in, c_out, k, h_out, w_out)`，返回 k×k 卷积处理一幅图像
# 所需的乘加运算次数（不分组，不计偏置）。

# %% id="01-020"
def my_conv_macs(c_in, c_out, k, h_out, w_out):
    raise NotImplementedError  # your formula here


# %% id="01-021"
from d2l_utils.exercises import ch01
ch01.check_conv_macs(my_conv_macs)

# %% [markdown] id="01-022"
# **Exercise 1.2 · Choose the bottleneck.** For the lecture's 28×28×192 input and a 5×5 convolution to 32
# channels, what is the *largest* number of bottleneck channels `r` for which 1×1 (192→r) + 5×5 (r→32)
# costs at most a fifth of the direct 5×5 convolution?

# %% [markdown] id="01-022" lang="zh-CN" translates="b38b74d25453"
# **练习 1.2 · 选择瓶颈层宽度。** 对于课上 28×28×192 的输入和输出 32 个通道的 5×5 卷积，要使 1×1（192→r）+
# 5×5（r→32）的计算量不超过直接 5×5 卷积的五分之一，瓶颈层通道数 `r` *最大*可以是多少？

# %% id="01-023"
largest_r = None  # replace None with your number

# %% id="01-024"
ch01.check_bottleneck_channels(largest_r)


# %% [markdown] id="01-025"
# **Exercise 1.3 · A 1×1 convolution as matrix product.** Write `conv1x1_numpy(X, W, b)` that computes a
# 1×1 convolution with numpy only: `X` is (B, C_in, H, W), `W` is (C_out, C_in), `b` is (C_out,).
# Hint: `np.einsum`.

# %% [markdown] id="01-025" lang="zh-CN" translates="848ee1292a7d"
# **练习 1.3 · 把 1×1 卷积写成矩阵乘法。** 编写 `conv1x1_numpy(X, W, b)`，只用 numpy 计算 1×1 卷积：
# `X` 的形状为 (B, C_in, H, W)，`W` 为 (C_out, C_in)，`b` 为 (C_out,)。
# 提示：`np.einsum`。

# %% id="01-026"
def conv1x1_numpy(X, W, b):
    raise NotImplementedError


# %% id="01-027"
ch01.check_conv1x1(conv1x1_numpy)

# %% [markdown] id="01-110"
# **Exercise 1.4 · NiN without batch normalisation.** The 2013 NiN had no batch normalisation. Build
# `net_no_bn`: the chapter's network with every `BatchNorm` removed (give each convolution its ReLU, e.g.
# `nn.Conv2D(channels, kernel_size, padding=padding, activation="relu")`, and keep every kernel size and
# channel count). Train it with the chapter's recipe, look at its curve next to the chapter's, then answer:
# does it still train (far above chance)? Set `still_trains` to `True` or `False`.

# %% [markdown] id="01-110" lang="zh-CN" translates="f0020c3fb6ab"
# **练习 1.4 · 没有批量规范化的 NiN。** 2013 年的 NiN 没有批量规范化。构建 `net_no_bn`：即去掉了所有 `BatchNorm`
# 的本章网络（给每个卷积加上它自己的 ReLU，例如 `nn.Conv2D(channels, kernel_size, padding=padding, activation="relu")`，
# 并保持每个卷积核大小和通道数不变）。用本章的训练方案训练它，把它的曲线与本章的曲线放在一起比较，然后回答：
# 它还能训练起来吗（远高于随机猜测）？把 `still_trains` 设为 `True` 或 `False`。

# %% id="01-111"
net_no_bn = None  # your NiN without BatchNorm
still_trains = None  # after your run: True or False
if net_no_bn is not None:
    history_no_bn = d2l.train(net_no_bn, train_iter, test_iter, num_epochs, lr=lr, optimizer="adam",
                              lr_schedule=schedule, ctx=ctx, seed=0, title="NiN without BatchNorm")

# %% id="01-112"
ch01.check_nin_without_batchnorm(None if net_no_bn is None else dict(
    net=net_no_bn, history=history_no_bn, baseline=history, test_iter=test_iter, still_trains=still_trains))

# %% [markdown] id="01-113"
# **Exercise 1.5 · One 1×1 convolution or two?** NiN's "mlpconv" puts *two* 1×1 convolutions after each
# k×k one. Build `net_one`: the chapter's network whose two NiN blocks keep a single 1×1 convolution
# (each still followed by BatchNorm and ReLU). Train it with the same recipe. How many parameters and how
# much accuracy did the second 1×1 convolution buy? Set `one_is_enough = True` if your net ends within one
# point of the chapter's test accuracy, else `False`.

# %% [markdown] id="01-113" lang="zh-CN" translates="cca52562e7f0"
# **练习 1.5 · 一个 1×1 卷积还是两个？** NiN 的“mlpconv”在每个 k×k 卷积后面放了*两个* 1×1 卷积。构建 `net_one`：
# 即两个 NiN 块都只保留一个 1×1 卷积的本章网络（每个 1×1 卷积后面仍然跟着 BatchNorm 和 ReLU）。用同样的方案训练它。
# 第二个 1×1 卷积多用了多少参数，又换来了多少精度？如果你的网络最终的测试精度与本章相差不超过一个百分点，
# 设 `one_is_enough = True`，否则设为 `False`。

# %% id="01-114"
net_one = None  # your NiN with one 1x1 convolution per block
one_is_enough = None  # after your run: True or False
if net_one is not None:
    history_one = d2l.train(net_one, train_iter, test_iter, num_epochs, lr=lr, optimizer="adam",
                            lr_schedule=schedule, ctx=ctx, seed=0, title="NiN, one 1x1 per block")

# %% id="01-115"
ch01.check_one_1x1_per_block(None if net_one is None else dict(
    net=net_one, history=history_one, baseline=history, test_iter=test_iter, one_is_enough=one_is_enough))
