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

# %% [markdown] id="00-001"
# # Chapter 00 · Getting started
#
# This course teaches modern convolutional networks (1×1 convolutions, Inception, ResNet, DenseNet,
# MobileNet, HybridSN) with MXNet Gluon. Every chapter is a notebook you can run top to bottom, edit and
# re-run. This first chapter checks your set-up, explains the two run modes, shows the real data the
# course uses, trains a first tiny network and measures what `hybridize()` buys.
#
# Every chapter starts the same way: import the course package **before** MXNet. It checks numpy
# (MXNet 1.9.1 needs numpy < 1.24) and gives OpenMP every core: left alone, MXNet uses only half of
# them (one thread on a 2-core machine), which halves the speed of everything that follows.
#
# The notebooks run on the course's kernel, **gluon-cnn-course (MXNet)** (top right of the notebook),
# which `make lab` registers: the `.venv` Python with MXNet and the pinned packages. On any other kernel
# the next cell stops and says so.

# %% [markdown] id="00-001" lang="zh-CN" translates="95d88a8c1bf2"
# # 第 00 章 · 入门
#
# 本课程用 MXNet Gluon 讲解现代卷积神经网络（1×1 卷积、Inception、ResNet、DenseNet、MobileNet、HybridSN）。
# 每一章都是一个笔记本（notebook），可以从头到尾运行，也可以修改后重新运行。本章先检查运行环境，说明两种运行模式，
# 展示课程使用的真实数据，训练第一个小网络，并测量 `hybridize()` 能带来多少加速。
#
# 每一章的开头都一样：**先**导入课程的软件包，**再**导入 MXNet。它会检查 numpy 的版本（MXNet 1.9.1 要求
# numpy < 1.24），并让 OpenMP 使用全部 CPU 核心：如果不加设置，MXNet 只用一半的核心（在 2 核机器上只有一个线程），
# 后面所有计算的速度都会减半。
#
# 笔记本运行在课程自己的内核（kernel）**gluon-cnn-course (MXNet)** 上（显示在笔记本右上角），它由 `make lab`
# 注册：即 `.venv` 中装有 MXNet 和固定版本软件包的 Python。若使用其他内核，下一个单元格会停下来并给出提示。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="00-002"
try:
    import d2l_utils as d2l  # first: checks the kernel and numpy, sets OpenMP threads, then MXNet may load
except ModuleNotFoundError:  # d2l_utils is installed in the course's kernel only
    raise SystemExit('This is not the course\'s kernel: pick "gluon-cnn-course (MXNet)" '
                     '(Kernel > Change Kernel...), or start Jupyter with `make lab`.') from None
mode = d2l.chapter_banner("Chapter 00 · Getting started")

# %% id="00-003"
import os
import sys
import mxnet as mx
import numpy as np
from mxnet import nd
from mxnet.gluon import nn

print("Python", sys.version.split()[0], "| MXNet", mx.__version__, "| numpy", np.__version__)
print("oneDNN (MKLDNN) kernels:", mx.runtime.Features().is_enabled("MKLDNN"))
print("OMP_NUM_THREADS =", os.environ["OMP_NUM_THREADS"], "of", os.cpu_count(), "logical CPUs")
print(d2l.device_report())
ctx = d2l.try_gpu()

# %% [markdown] id="00-004"
# ## The two modes
#
# | mode | data | epochs | when |
# |---|---|---|---|
# | `quick` | small real samples shipped with the course (a few MB) | a few short ones | default on a CPU; what the tests run |
# | `full` | the official datasets | those of the original posts | default on a GPU |
#
# The default, `auto`, picks `full` when MXNet sees a GPU and `quick` otherwise. Choose explicitly with the
# environment variable `D2L_MODE` before starting Jupyter, e.g. `D2L_MODE=full make lab`.
# Full mode reads the official files from `D2L_DATA_DIR` (default `~/.mxnet/datasets`) and, when you are
# online, downloads missing ones with MXNet's own checked downloaders.

# %% [markdown] id="00-004" lang="zh-CN" translates="32d2a8e6b5d5"
# ## 两种模式
#
# | 模式 | 数据 | 迭代周期（epoch） | 何时使用 |
# |---|---|---|---|
# | `quick` | 随课程提供的少量真实样本（几 MB） | 少量、短小的几轮 | CPU 上的默认模式；测试运行的就是它 |
# | `full` | 官方数据集 | 与原博文相同 | GPU 上的默认模式 |
#
# 默认值 `auto` 会在 MXNet 检测到 GPU 时选择 `full`（完整模式），否则选择 `quick`（快速模式）。也可以在启动 Jupyter 之前
# 用环境变量 `D2L_MODE` 明确指定，例如 `D2L_MODE=full make lab`。
# 完整模式从 `D2L_DATA_DIR`（默认为 `~/.mxnet/datasets`）读取官方文件；联网时，缺失的文件会由 MXNet 自带的、
# 带校验的下载器下载。

# %% id="00-005"
print("this notebook runs in", repr(d2l.get_mode()), "mode")

# %% [markdown] id="00-006"
# ## The data, all real
#
# The samples are cut from the official datasets by `tools/make_samples.py`, which records where every
# file came from and its checksum in `d2l_utils/samples/MANIFEST.json`. Nothing here is synthetic.

# %% [markdown] id="00-006" lang="zh-CN" translates="c29d2a160c43"
# ## 数据：全部是真实数据
#
# 样本由 `tools/make_samples.py` 从官方数据集中截取，每个文件的来源和校验和都记录在
# `d2l_utils/samples/MANIFEST.json` 中。这里没有任何合成数据。

# %% id="00-007"
import json
from d2l_utils.data import SAMPLES_DIR, FASHION_CLASSES, CIFAR10_CLASSES
manifest = json.loads((SAMPLES_DIR / "MANIFEST.json").read_text())
size_mb = sum(f.stat().st_size for f in SAMPLES_DIR.rglob("*") if f.is_file()) / 1e6
print(f"{len(manifest['files'])} sample files, {size_mb:.1f} MB, made by {manifest['made_by']}")
for name, rule in sorted(manifest["rules"].items()):
    print(f"  {name:<20} {rule}")
# NBVAL_CHECK_OUTPUT

# %% [markdown] id="00-008"
# **MNIST** (handwritten digits) and **Fashion-MNIST** (Zalando article photos): 28×28 grey images, 10 classes.

# %% [markdown] id="00-008" lang="zh-CN" translates="e0c36764869f"
# **MNIST**（手写数字）和 **Fashion-MNIST**（Zalando 商品图片）：28×28 灰度图像，10 个类别。

# %% id="00-009"
X, y = d2l.read_idx_dataset("mnist", "train", source="sample")
print("MNIST sample:", X.shape, X.dtype, "labels", np.bincount(y))
d2l.show_images(X[:16], [str(l) for l in y[:16]], ncols=16, scale=0.9)

X, y = d2l.read_idx_dataset("fashion_mnist", "train", source="sample")
print("Fashion-MNIST sample:", X.shape, "labels", np.bincount(y))
d2l.show_images(X[:16], [FASHION_CLASSES[l] for l in y[:16]], ncols=16, scale=0.9);

# %% [markdown] id="00-010"
# **CIFAR-10**: 32×32 colour photos, 10 classes. The sample is a JPEG copy of the official images (pixel
# values differ slightly from the official binary batches; full mode prefers the official files).

# %% [markdown] id="00-010" lang="zh-CN" translates="f26a1146d3fc"
# **CIFAR-10**：32×32 彩色照片，10 个类别。样本是官方图像的 JPEG 副本（像素值与官方二进制批次文件略有差异；
# 完整模式优先使用官方文件）。

# %% id="00-011"
from d2l_utils.data import read_cifar10
X, y, note = read_cifar10("train", source="sample")
print("CIFAR-10 sample:", X.shape, "|", note)
idx = np.concatenate([np.flatnonzero(y == c)[:2] for c in range(10)])
d2l.show_images(X[idx], [CIFAR10_CLASSES[l] for l in y[idx]], ncols=10, scale=1.0);

# %% [markdown] id="00-012"
# **Monkeypox Skin Lesion Dataset** (Ali et al., 2022): 224×224 photos of skin lesions, monkeypox vs others
# (chickenpox, measles). Shipped: 20 photos per class, for research and teaching (see the sample's README).

# %% [markdown] id="00-012" lang="zh-CN" translates="d58f25f0e7d6"
# **猴痘皮损数据集（Monkeypox Skin Lesion Dataset）**（Ali 等，2022）：224×224 的皮肤病变照片，分为猴痘与其他
# （水痘、麻疹）。随课程提供每类 20 张照片，仅供研究和教学使用（见样本的 README）。

# %% id="00-013"
from d2l_utils.data import read_image_folder
X, y, classes = read_image_folder(SAMPLES_DIR / "monkeypox", size=112)
print("monkeypox sample:", X.shape, classes, np.bincount(y))
idx = np.r_[0:4, len(y) - 4:len(y)]
d2l.show_images(X[idx], [classes[l] for l in y[idx]], ncols=8, scale=1.2);

# %% [markdown] id="00-014"
# **Indian Pines** (AVIRIS, 1992): a 145×145 scene with 200 spectral bands per pixel, 16 crop classes.
# The corrected cube ships inside the `tensorly` package, so it is always available.

# %% [markdown] id="00-014" lang="zh-CN" translates="95daa39e25b3"
# **Indian Pines**（AVIRIS，1992）：一幅 145×145 的场景，每个像素有 200 个光谱波段，共 16 个作物类别。
# 校正后的数据立方体随 `tensorly` 软件包一起提供，因此总是可用。

# %% id="00-015"
cube, gt, class_names, source = d2l.load_indian_pines()
print("Indian Pines:", cube.shape, cube.dtype, "|", (gt > 0).sum(), "labelled pixels |", source)
rgb = cube[:, :, [29, 19, 9]].astype(np.float32)       # three bands near red, green, blue
rgb = (rgb - rgb.min((0, 1))) / (np.ptp(rgb, (0, 1)) + 1e-9)
import matplotlib.pyplot as plt
gt_rgb = plt.cm.tab20(gt % 20)[..., :3]                # one colour per class
gt_rgb[gt == 0] = 0                                     # unlabelled pixels in black
d2l.show_images(np.stack([rgb, gt_rgb]),
                ["false colour (bands 30, 20, 10)", "ground truth (16 classes)"], ncols=2, scale=3);


# %% [markdown] id="00-016"
# ## A first Gluon model
#
# A Gluon network is a tree of **blocks**. A `HybridBlock` can run step by step in Python (easy to debug)
# or, after `hybridize()`, as one compiled graph (fast). Parameter shapes are inferred from the first input.

# %% [markdown] id="00-016" lang="zh-CN" translates="6c7dbe33b74c"
# ## 第一个 Gluon 模型
#
# Gluon 网络是由**块**（block）组成的树。`HybridBlock` 既可以在 Python 中逐步执行（便于调试），
# 也可以在调用 `hybridize()` 之后作为一个编译好的计算图运行（速度快）。参数的形状由第一个输入推断得出。

# %% id="00-017"
def tiny_cnn():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(16, kernel_size=3, padding=1, activation="relu"),  # (B, 16, 28, 28)
            nn.MaxPool2D(2),                                             # (B, 16, 14, 14)
            nn.Conv2D(32, kernel_size=3, padding=1, activation="relu"),  # (B, 32, 14, 14)
            nn.MaxPool2D(2),                                             # (B, 32, 7, 7)
            nn.Dense(10))                                                # (B, 10) class scores
    return net

d2l.set_seed(0)
net = tiny_cnn()
net.initialize(mx.init.Xavier(), ctx=ctx)
d2l.print_layer_table(net, (1, 1, 28, 28), ctx=ctx)
# NBVAL_CHECK_OUTPUT

# %% id="00-018"
batch_size, lr = 128, 0.001
num_epochs = 3 if mode == "quick" else 5
train_iter, test_iter = d2l.load_mnist(batch_size)
history = d2l.train(net, train_iter, test_iter, num_epochs, lr=lr, optimizer="adam", ctx=ctx,
                    seed=0, title="tiny CNN on MNIST")
assert history["train_loss"][-1] < history["train_loss"][0], "the loss should go down"

# %% [markdown] id="00-019"
# ## What does `hybridize()` buy?
#
# We time training steps (forward, backward, SGD update) on random input of the right shape, in three ways:
# plain Python (imperative), `hybridize()` (one cached graph), and
# `hybridize(static_alloc=True, static_shape=True)` (the graph's memory planned once and reused), which is
# what `d2l.train` uses. Numbers vary from machine to machine and from run to run (quick mode times only a
# few steps); the cell after the table says what this run measured.

# %% [markdown] id="00-019" lang="zh-CN" translates="d2a98946a977"
# ## `hybridize()` 能带来什么？
#
# 我们在形状正确的随机输入上，用三种方式对训练步（前向传播、反向传播、SGD 更新）计时：
# 纯 Python（命令式）、`hybridize()`（一个缓存的计算图），以及
# `hybridize(static_alloc=True, static_shape=True)`（计算图的内存只规划一次并反复使用），后者正是
# `d2l.train` 所用的方式。结果因机器而异，每次运行也会不同（快速模式只计时少数几步）；表格之后的单元格会说明
# 本次运行测得了什么。

# %% id="00-020"
speeds = d2l.compare_hybridize(tiny_cnn, (128, 1, 28, 28), steps=5 if mode == "quick" else 30, ctx=ctx)


def compared(fast, slow, noise=0.10):
    """'1.31x faster than', 'about as fast as' (within the noise) or '0.84x the speed of'."""
    ratio = speeds[fast] / speeds[slow]
    if abs(ratio - 1) <= noise:
        return f"about as fast as ({ratio:.2f}x, within the ±{noise:.0%} a short timing varies)"
    return f"{ratio:.2f}x faster than" if ratio > 1 else f"{ratio:.2f}x the speed of"


print(f"Measured here, tiny CNN: hybridize() trains {compared('hybridize()', 'imperative')} imperative; "
      f"static_alloc + static_shape is {compared('hybridize(static)', 'hybridize()')} plain hybridize().")

# %% [markdown] id="00-021"
# How much a model gains depends on how much of its step is Python's per-layer overhead, which
# `hybridize()` removes, and how much is the arithmetic of its convolutions, which it does not touch. The
# course's benchmark ([`docs/speed.md`](../docs/speed.md), measured on a 2-core CPU) finds clear gains on
# NiN and MobileNetV2, and little on googlenet_lite and the MNIST residual net, whose steps go into a few
# large convolutions; the static options add little over plain `hybridize()` on the small nets.
#
# ## Exercises
#
# Each exercise has a cell to edit and a check cell under it. Edit, run your cell, run the check: it
# says "correct.", "not attempted yet", or fails with a hint ("not yet right. …") that points at what to
# look at without giving the answer. To grade a whole chapter, save the notebook (File > Save) and run
# `make check CHAPTER=00` in a terminal (or `.venv/bin/python -m pytest chapters/00_getting_started.ipynb`):
# exercises not attempted pass, right answers pass, a wrong one fails its cell with the check's message.
# Reference solutions are in `d2l_utils/exercises/_solutions/ch00.py` (and `ch01.py` … for the other
# chapters): look after you have tried, when the hint no longer helps, or to compare once yours passes.
#
# **Exercise 0.1 · Count the parameters.** How many trainable parameters does `tiny_cnn()` have? Work it
# out by hand from the layer shapes (a 3×3 conv from C_in to C_out has 9·C_in·C_out weights and C_out
# biases), then check.

# %% [markdown] id="00-021" lang="zh-CN" translates="4aa14878ae22"
# 一个模型能获得多少加速，取决于它每一步中有多少是 Python 逐层调用的开销（`hybridize()` 消除的正是这部分），
# 又有多少是卷积本身的算术运算（`hybridize()` 对此无能为力）。课程的基准测试（[`docs/speed.md`](../docs/speed.md)，
# 在 2 核 CPU 上测得）发现：NiN 和 MobileNetV2 提速明显，而 googlenet_lite 和 MNIST 残差网络提速很少，因为它们的
# 时间主要花在少数几个大卷积上；在这些小网络上，静态选项相比普通的 `hybridize()` 只多带来一点点加速。
#
# ## 练习
#
# 每道练习都有一个供你编辑的单元格，下面还有一个检查单元格。修改并运行你的单元格，再运行检查单元格：它会输出
# "correct."（正确）、"not attempted yet"（尚未作答），或者失败并给出提示（"not yet right. …"，还不对），
# 提示会指出该看哪里，但不会直接给出答案。要为整章评分，先保存笔记本（File > Save），再在终端中运行
# `make check CHAPTER=00`（或 `.venv/bin/python -m pytest chapters/00_getting_started.ipynb`）：
# 未作答的练习算通过，答对的通过，答错的那道练习所在单元格会失败，并显示检查给出的信息。
# 参考答案在 `d2l_utils/exercises/_solutions/ch00.py` 中（其他各章为 `ch01.py` ……）：请在自己尝试过之后、
# 提示已经帮不上忙时再看，或者在你的答案通过后拿来对照。
#
# **练习 0.1 · 数一数参数。** `tiny_cnn()` 有多少个可训练参数？先根据各层的形状手工算出来（从 C_in 个通道（channel）到
# C_out 个通道的 3×3 卷积有 9·C_in·C_out 个权重和 C_out 个偏置），再检查。

# %% id="00-022"
my_param_count = None  # replace None with your number

# %% id="00-023"
from d2l_utils.exercises import ch00
ch00.check_tiny_cnn_params(my_param_count)


# %% [markdown] id="00-024"
# **Exercise 0.2 · Output size of a convolution.** Write `conv_output_size(n, k, padding, stride)`, the
# side length of the output of a k×k convolution over an n×n input.

# %% [markdown] id="00-024" lang="zh-CN" translates="c83f79a18cef"
# **练习 0.2 · 卷积的输出尺寸。** 编写 `conv_output_size(n, k, padding, stride)`，返回 k×k 卷积作用于 n×n
# 输入时输出的边长（`padding` 为填充，`stride` 为步幅）。

# %% id="00-025"
def conv_output_size(n, k, padding, stride):
    raise NotImplementedError


# %% id="00-026"
ch00.check_conv_output_size(conv_output_size)
