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

# %% [markdown] id="06-001"
# # Chapter 06 · HybridSN: 3-D and 2-D convolutions for hyperspectral images
#
# The post this chapter follows reads the HybridSN paper, copies its code, and stops at
# *"没弄懂。。。。"* ("didn't get it..."). The paper is
# Roy, Krishna, Dubey & Chaudhuri (2020), *HybridSN: Exploring 3-D–2-D CNN Feature Hierarchy
# for Hyperspectral Image Classification* (IEEE GRSL 17(2), arXiv:1902.06701). This chapter works
# through the parts that confused the author, in order:
#
# 1. **The data**: what a hyperspectral *cube* is, and why a pixel has 200 values.
# 2. **Preprocessing**: PCA to 30 components, 25×25 windows around every labelled pixel. The
#    windows are cut batch by batch instead of all at once; the reference code keeps all of
#    them in memory, about 4.5 GB at its peak.
# 3. **The network**: three 3-D convolutions, a reshape that turns the spectral axis into
#    channels (the `x.view(...)` line of the post), one 2-D convolution, three dense layers.
#    We follow every shape, write out the paper's two activation equations next to the code, and
#    count the paper's **5,122,176** parameters.
# 4. **Training and evaluation** with the remote-sensing metrics (OA, AA, Cohen's κ) and a
#    classification map of the whole scene.
# 5. **A caveat**: the paper's random split leaks test pixels into the training windows. A
#    spatially disjoint split measures how much of the 99.7 % is real.
#
# **Quick and full mode.** Quick mode (the default on a CPU) trains the paper's network, every
# layer as in the paper and on the same 30 PCA components, on **9×9 windows instead of 25×25**
# for 5 epochs, in well under a minute, and still classifies the held-out pixels of the paper's
# split with OA above 85 % (asserted in section 5). Full mode (`D2L_MODE=full`) is the recorded run
# of `docs/results/`: 25×25 windows, 20 epochs, plus the full-scene map and the memory
# measurement; the next cell says how long it took.

# %% [markdown] id="06-001" lang="zh-CN" translates="7573e90e6df5"
# # 第 06 章 · HybridSN：面向高光谱图像的三维与二维卷积
#
# 本章所依据的原文读了 HybridSN 论文，照抄了论文的代码，最后停在一句 *“没弄懂。。。。”*。这篇论文是
# Roy、Krishna、Dubey 和 Chaudhuri（2020）的 *HybridSN: Exploring 3-D–2-D CNN Feature Hierarchy
# for Hyperspectral Image Classification*（IEEE GRSL 17(2)，arXiv:1902.06701）。本章按顺序把让原作者困惑的地方逐一讲清楚：
#
# 1. **数据**：什么是高光谱图像（hyperspectral image）的*数据立方体*（cube），为什么一个像素有 200 个值。
# 2. **预处理**：用主成分分析（principal component analysis，PCA）降到 30 个主成分，在每个有标签的像素周围截取 25×25 的邻域块（patch，英文版称 window）。邻域块是逐批截取的，而不是一次全部生成；参考代码把它们全部放在内存里，峰值约 4.5 GB。
# 3. **网络**：三个三维卷积层，一次把光谱轴变成通道的变形（即原文中 `x.view(...)` 那一行），一个二维卷积层，三个全连接层。我们追踪每一步的形状，把论文的两个激活方程写在代码旁边，并核对论文给出的 **5,122,176** 个参数。
# 4. **训练与评估**：使用遥感领域的指标（OA、AA、Cohen's κ），并画出整个场景的分类图（classification map）。
# 5. **一点提醒**：论文的随机划分存在数据泄漏（data leakage），测试像素混进了训练邻域块。用空间上不相交的划分，可以测出 99.7 % 里有多少是真实的。
#
# **快速模式与完整模式。** 快速模式（在 CPU 上的默认模式）训练的就是论文的网络，每一层都与论文相同，输入也是同样的 30 个 PCA 主成分，只是在 **9×9 而不是 25×25 的邻域块**上训练 5 个迭代周期，用时远不到一分钟，在论文划分的留出像素上 OA 仍高于 85 %（第 5 节中有断言检查）。完整模式（`D2L_MODE=full`）就是 `docs/results/` 中记录的那次运行：25×25 邻域块、20 个迭代周期，外加全场景分类图和内存测量；用了多长时间，见下一个单元格。
#
# > 术语表：[glossary.md](glossary.md)（本课程中英术语对照，注明每个术语首次出现的章节）。

# %% id="06-002"
import d2l_utils as d2l
mode = d2l.chapter_banner("Chapter 06 · HybridSN on Indian Pines")

import json
import numpy as np
import matplotlib.pyplot as plt
import mxnet as mx
from mxnet import nd
from mxnet.gluon import nn
from d2l_utils import results
from d2l_utils.data import hyperspectral as hs
from d2l_utils.data import patches as P
from d2l_utils.figures import ch06 as figures
from d2l_utils.models.hybridsn import PAPER_INDIAN_PINES as PAPER

if mode == "full":   # say up front how long it takes: the recorded run of the same settings
    recorded = json.loads((results.results_dir() / "06_hybridsn_random_metrics.json").read_text())
    print(f"Full mode trains {recorded['epochs']} epochs on 25x25 windows. The recorded run took "
          f"{recorded['train_time_s'] / 60:.0f} min of training and {recorded['map_time_s'] / 60:.1f} min "
          "for the map on a shared 2-core CPU (less on an idle one); it prints one "
          "line per epoch. The memory measurement of section 2 needs about 4.5 GB of free memory.")

# %% [markdown] id="06-003"
# ## 1. A hyperspectral cube
#
# An ordinary camera measures 3 wavelength bands per pixel (red, green, blue). The AVIRIS
# sensor measures **224 narrow bands** from 400 to 2500 nm, so each pixel holds a
# *spectrum*: how much light the ground reflects at each wavelength. The image is a cube
# $H \times W \times B$. **Indian Pines** (AVIRIS, June 1992, farmland in Indiana) is
# 145×145 pixels. The "corrected" version drops the 20 water-absorption bands (104–108,
# 150–163, 220), where the atmosphere absorbs almost everything, and keeps $B = 200$. Of the 21,025
# pixels, 10,249 have one of 16 ground-truth classes (crops, grass, woods, buildings). The
# task is to label each pixel.
#
# `d2l.load_indian_pines()` reads the EHU `.mat` files from `D2L_DATA_DIR/indian_pines/` when
# they are there, downloads them when online, and otherwise uses the copy of the same cube
# that ships inside the `tensorly` package (already installed with the course).
# `d2l.load_ehu_scene(name)` loads the other EHU scenes (`"salinas"`, `"salinas_a"`,
# `"pavia_university"`) the same way when their files are in `D2L_DATA_DIR/<name>/`. When only
# the raw 224-band cube is there, the loader drops the water-absorption bands itself.

# %% [markdown] id="06-003" lang="zh-CN" translates="1c73627aa95e"
# ## 1. 高光谱数据立方体
#
# 普通相机在每个像素上测量 3 个波长波段（band）：红、绿、蓝。AVIRIS 传感器测量 400 到 2500 nm 之间的 **224 个窄波段**，因此每个像素保存的是一条*光谱*（spectrum）：地面在每个波长上反射了多少光。整幅图像是一个 $H \times W \times B$ 的立方体。**Indian Pines**（AVIRIS，1992 年 6 月，美国印第安纳州的农田）大小为 145×145 像素。“校正”（corrected）版本去掉了 20 个水汽吸收波段（water-absorption bands：104–108、150–163、220），在这些波段上大气几乎吸收了全部光线，于是保留 $B = 200$。21,025 个像素中，有 10,249 个带有 16 个地面真值（ground truth）类别之一（农作物、草地、林地、建筑物）。任务是给每个像素打上类别标签。
#
# `d2l.load_indian_pines()` 在 `D2L_DATA_DIR/indian_pines/` 下有 EHU 的 `.mat` 文件时读取它们，联网时下载它们，否则使用 `tensorly` 包自带的同一数据立方体副本（该包已随课程安装）。
# `d2l.load_ehu_scene(name)` 以同样的方式加载其他 EHU 场景（`"salinas"`、`"salinas_a"`、
# `"pavia_university"`），前提是它们的文件在 `D2L_DATA_DIR/<name>/` 中。如果那里只有原始的 224 波段立方体，加载函数会自己去掉水汽吸收波段。

# %% id="06-004"
cube, gt, class_names, source = d2l.load_indian_pines()
print("source:", source)

# %% id="06-005"
# NBVAL_CHECK_OUTPUT
H, W, B = cube.shape
labelled = int((gt > 0).sum())
print(f"cube {cube.shape} {cube.dtype}, ground truth {gt.shape}, {labelled:,} labelled pixels")
assert cube.shape == (145, 145, 200) and labelled == 10_249
counts = np.bincount(gt.ravel(), minlength=17)[1:]
for k, (name, n) in enumerate(zip(class_names, counts), 1):
    print(f"{k:2d} {name:<30} {n:5d}")


# %% [markdown] id="06-006"
# Three views of the cube. A *false-colour* image puts three bands on the red, green and blue
# channels. Here we use near-infrared (band 50, about 860 nm), red (27) and green (17), so
# healthy vegetation, which reflects strongly in the near infrared, looks red. Next to it is the ground truth. The spectra
# on the right are the reason for using a neural network: the mean spectra of *Corn-notill* and *Soybean-mintill*
# almost coincide, and the spread within a class is as large as the gap between classes. A
# pixel's spectrum alone is not enough to classify it; its neighbours, the *spatial context*,
# are needed too.

# %% [markdown] id="06-006" lang="zh-CN" translates="be199d34e0e3"
# 数据立方体的三种视图。*假彩色*（false-colour）图像把三个波段分别放到红、绿、蓝三个通道上。这里用的是近红外（第 50 波段，约 860 nm）、红（第 27 波段）和绿（第 17 波段），因此在近红外波段强烈反射的健康植被显示为红色。旁边是地面真值。右边的光谱图说明了为什么要用神经网络：*Corn-notill* 和 *Soybean-mintill* 的平均光谱几乎重合，而类内的离散程度和类间的差距一样大。仅凭一个像素的光谱不足以给它分类，还需要它的邻居，即*空间上下文*（spatial context）。

# %% id="06-007"
def stretch(band):
    lo, hi = np.percentile(band, (2, 98))
    return np.clip((band - lo) / (hi - lo), 0, 1)

false_colour = np.stack([stretch(cube[:, :, b].astype(np.float32)) for b in (50, 27, 17)], axis=-1)
cmap = P.label_cmap(16)              # 0 = unlabelled in black
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), gridspec_kw={"width_ratios": [1, 1.45, 1.3]})
axes[0].imshow(false_colour)
axes[0].set_title("false colour (bands 50, 27, 17)")
im = axes[1].imshow(gt, cmap=cmap, vmin=-0.5, vmax=16.5, interpolation="nearest")
axes[1].set_title("ground truth (0 = unlabelled)")
cb = fig.colorbar(im, ax=axes[1], ticks=range(17), fraction=0.05)
cb.ax.set_yticklabels(["unlabelled"] + [f"{k} {n}" for k, n in enumerate(class_names, 1)], fontsize=7)
for ax in axes[:2]:
    ax.axis("off")
for k in (2, 11, 14, 8):                        # Corn-notill, Soybean-mintill, Woods, Hay-windrowed
    spectra = cube[gt == k].astype(np.float32)
    mean, std = spectra.mean(0), spectra.std(0)
    axes[2].plot(mean, label=class_names[k - 1], color=cmap(k))
    axes[2].fill_between(range(B), mean - std, mean + std, color=cmap(k), alpha=0.2)
axes[2].set_xlabel("band (corrected, 0-199)")
axes[2].set_ylabel("radiance (scaled)")
axes[2].set_title("mean spectrum ± 1 std of four classes")
axes[2].legend(fontsize=8)
fig.tight_layout()
d2l.save_or_show(fig, "06_indian_pines")

# %% [markdown] id="06-008"
# ## 2. Preprocessing: PCA, then windows
#
# **PCA.** Neighbouring bands are strongly correlated, so the 200 numbers of a spectrum carry
# much less than 200 numbers of information. PCA rotates the spectra onto the directions of
# largest variance, and the paper keeps the first 30 components. Like the reference code, we
# *whiten* them (each component scaled to unit variance) and fit the PCA on all pixels of the
# scene. Section 6 comes back to why that is a problem.
#
# Both modes keep the paper's 30 components. Quick mode changes the **window**: 9×9 instead of
# 25×25, so a window holds 81 pixels instead of 625 and the network does far fewer multiply-adds per
# window (section 3 prints how many), with exactly the same layers.

# %% [markdown] id="06-008" lang="zh-CN" translates="ce33f94f5d9f"
# ## 2. 预处理：先做 PCA，再截取邻域块
#
# **PCA。** 相邻波段高度相关，所以一条光谱的 200 个数所携带的信息远不到 200 个数的量。PCA 把光谱旋转到方差最大的那些方向上，论文保留前 30 个主成分。与参考代码一样，我们对主成分做*白化*（whitening，把每个主成分缩放到单位方差），并在场景的全部像素上拟合 PCA。第 6 节会回过头来讨论为什么这样做有问题。
#
# 两种模式都保留论文的 30 个主成分。快速模式改变的是**邻域块**：用 9×9 代替 25×25，这样一个邻域块只包含 81 个像素而不是 625 个，网络处理每个邻域块所需的乘加运算（multiply-accumulate，MACs）少得多（第 3 节会打印具体数目），而各层完全相同。

# %% id="06-101"
n_components = 30                          # the paper's, in both modes
window = 25 if mode == "full" else 9       # the paper's 25x25; quick mode 9x9

# %% id="06-009"
reduced, pca = P.apply_pca(cube, n_components=n_components)   # (145, 145, 30) float32

# %% id="06-010"
# NBVAL_CHECK_OUTPUT
print("reduced cube:", reduced.shape, reduced.dtype)
kept = pca.explained_variance_ratio_.cumsum()
print(f"variance kept by 3 / 10 / 30 components: {kept[2]:.3f} / {kept[9]:.3f} / {kept[29]:.4f}")
assert kept[29] > 0.99

# %% [markdown] id="06-011"
# **Windows.** HybridSN does not classify a spectrum. It classifies the **25×25 window of
# 30-component spectra centred on the pixel** (9×9 in quick mode): a small volume
# $1 \times 30 \times 25 \times 25$ (channel × spectral depth × height × width). For pixels near the
# border, the cube is first zero-padded by half a window (12 pixels) on each side.
#
# The reference code (`createImageCubes`) builds the window of *every* pixel of the scene as
# one float64 array, $145 \cdot 145 \cdot 25 \cdot 25 \cdot 30 \cdot 8$ bytes ≈ 3.2 GB, and
# then copies out the labelled ones (another 1.5 GB). Most of that is duplication: each pixel
# lies in 625 overlapping windows. We keep only the padded cube (169×169×30 floats, 3.4 MB)
# and a **view** of it that *looks* like an array of all windows:
# `sliding_window_view(padded, (25, 25))` has shape (145, 145, 30, 25, 25) but shares the
# padded cube's memory (it only changes the strides). Indexing that view with a batch of
# pixel coordinates, `windows[rows, cols]`, copies out just that batch: (B, 30, 25, 25).

# %% [markdown] id="06-011" lang="zh-CN" translates="2c733e38de3e"
# **邻域块。** HybridSN 分类的不是一条光谱，而是**以该像素为中心、由 30 维主成分光谱组成的 25×25 邻域块**（快速模式下为 9×9）：一个小体积
# $1 \times 30 \times 25 \times 25$（通道 × 光谱深度 × 高 × 宽）。为了处理边界附近的像素，先在立方体的每一侧补上半个邻域块宽度（12 个像素）的零。
#
# 参考代码（`createImageCubes`）把场景中*每一个*像素的邻域块构造成一个 float64 数组，$145 \cdot 145 \cdot 25 \cdot 25 \cdot 30 \cdot 8$ 字节 ≈ 3.2 GB，然后再从中复制出有标签的那些（又是 1.5 GB）。其中大部分是重复的：每个像素都落在 625 个相互重叠的邻域块里。我们只保留填充后的立方体（169×169×30 个浮点数，3.4 MB），以及它的一个**视图**（view），这个视图*看起来*像是由所有邻域块组成的数组：
# `sliding_window_view(padded, (25, 25))` 的形状是 (145, 145, 30, 25, 25)，但它与填充后的立方体共享内存（只改变了步幅 strides）。用一批像素坐标去索引这个视图，即 `windows[rows, cols]`，只会复制出这一批：(B, 30, 25, 25)。

# %% id="06-012"
# NBVAL_CHECK_OUTPUT
padded = P.pad_cube(reduced, window)                    # (145 + window - 1, ..., 30)
windows = P.window_view(padded, window)                 # (145, 145, 30, window, window), a view
print(f"window {window}x{window} | padded cube:", padded.shape, f"{padded.nbytes / 2**20:.1f} MiB")
print("window view:", windows.shape, "shares memory with the padded cube:", np.shares_memory(windows, padded))
print(f"if it were materialised (float32): {np.prod(windows.shape) * 4 / 2**30:.2f} GiB; "
      f"the reference code's float64 array of 25x25 windows: {H * W * 25 * 25 * 30 * 8 / 2**30:.2f} GiB")
r, c, half = 40, 70, window // 2                         # any pixel: its window is centred on it
assert np.array_equal(windows[r, c][:, half, half], reduced[r, c])
assert np.array_equal(windows[r, c], padded[r:r + window, c:c + window].transpose(2, 0, 1))

# %% [markdown] id="06-013"
# **The split.** As in the paper, 30 % of the labelled pixels of each class are used for
# training and 70 % for testing. The split is stratified, with the reference code's seed (345).
# A loader is then d2l's `ArrayLoader` over the pixel *coordinates*: its transform cuts the
# windows of each batch (`P.PatchTransform`). It has the usual interface (iterable of
# `(X, y)` NDArrays, `len()`, `num_examples`), so `d2l.train` takes it as it is.

# %% [markdown] id="06-013" lang="zh-CN" translates="7772c4222d7e"
# **数据划分。** 与论文一样，每个类别 30 % 的有标签像素用于训练，70 % 用于测试。划分是分层的（stratified），并使用参考代码的随机种子（345）。数据加载器是建立在像素*坐标*上的 d2l `ArrayLoader`：它的变换（`P.PatchTransform`）为每个小批量截取邻域块。它具有通常的接口（可迭代产生 `(X, y)` NDArray、`len()`、`num_examples`），因此 `d2l.train` 可以直接使用它。

# %% id="06-014"
coords, labels = P.labelled_pixels(gt)                  # (10249, 2) row/col, labels 0..15
train_coords, train_labels, test_coords, test_labels = P.random_split(coords, labels, 0.3, seed=345)

# %% id="06-015"
# NBVAL_CHECK_OUTPUT
print(f"train {len(train_labels)} pixels, test {len(test_labels)} pixels")
print("train pixels per class:", np.bincount(train_labels, minlength=16).tolist())
assert len(train_labels) == 3074

# %% id="06-016"
# Both modes train on all 3,074 training windows and test on all 7,175 held-out pixels.
# Quick mode uses batches of 64 instead of the paper's 256: four times more Adam steps in its few epochs.
batch_size = 256 if mode == "full" else 64
train_iter = P.patch_loader(windows, train_coords, train_labels, batch_size, shuffle=True,
                            drop_last=True, seed=0)
test_iter = P.patch_loader(windows, test_coords, test_labels, 256)
monitor = np.random.default_rng(1).choice(len(test_labels), 1000, replace=False)   # as the recorded runs
monitor_iter = P.patch_loader(windows, test_coords[monitor], test_labels[monitor], 256)
X, y = next(iter(train_iter))
print("one batch:", X.shape, y.shape, "| batches per epoch:", len(train_iter),
      "| training examples:", train_iter.num_examples)

# %% [markdown] id="06-017"
# How much memory does each approach use? Section 2's numbers come from the shapes. Measuring
# needs separate processes: `P.measure_patch_memory` runs each method in a fresh Python and
# reports tracemalloc's peak and the growth of the peak resident memory. Full mode runs both
# methods, and the reference one needs about 4.5 GB of free memory. Quick mode measures the
# on-the-fly loader in this process. On the course machine (2-core CPU) the full-mode
# measurement gave: **reference 4,481 MiB** peak (tracemalloc; 4,439 MiB resident growth)
# against **on-the-fly 95 MiB** (180 MiB resident, most of it MXNet's copies of the batches
# in flight) for one pass over all 10,249 windows.

# %% [markdown] id="06-017" lang="zh-CN" translates="ed26baf8ebad"
# 两种做法各占用多少内存？第 2 节的数字是根据形状算出来的。实际测量需要独立的进程：`P.measure_patch_memory` 在一个全新的 Python 进程中运行每种方法，报告 tracemalloc 的峰值以及峰值常驻内存（resident memory）的增长量。完整模式运行两种方法，参考方法需要约 4.5 GB 的空闲内存。快速模式只在当前进程中测量逐批截取（on-the-fly）的加载器。在课程机器（2 核 CPU）上，完整模式的测量结果是：遍历全部 10,249 个邻域块一遍，**参考方法峰值 4,481 MiB**（tracemalloc；常驻内存增长 4,439 MiB），而**逐批截取只需 95 MiB**（常驻内存 180 MiB，其中大部分是 MXNet 为正在处理的批次所做的副本）。

# %% id="06-018"
if mode == "full":
    for method in ("on_the_fly", "reference"):
        print(P.measure_patch_memory(method))
else:
    import tracemalloc
    tracemalloc.start()
    n = sum(int(Xb.shape[0]) for Xb, _ in P.patch_loader(windows, coords, labels, batch_size))
    print(f"on the fly: {n} windows, tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB")
    tracemalloc.stop()

# %% [markdown] id="06-019"
# ## 3. The network, shape by shape
#
# The whole pipeline first. The figure is drawn from the package's `HybridSN` itself: every box
# is a layer's own configuration and every arrow carries the shape that one forward pass of a
# $1 \times 30 \times 25 \times 25$ window produced (batch axis left out).

# %% [markdown] id="06-019" lang="zh-CN" translates="c5d49357ca27"
# ## 3. 网络：逐层看形状
#
# 先看整个流程。这张图直接由包中的 `HybridSN` 画出：每个方框是一层自身的配置，每个箭头上标的是一个
# $1 \times 30 \times 25 \times 25$ 邻域块做一次前向传播时实际产生的形状（省略批量轴）。

# %% id="06-102"
d2l.save_or_show(figures.hybridsn_pipeline(bands=n_components, window=25), "06_hybridsn_pipeline")


# %% [markdown] id="06-103"
# A **3-D convolution** slides a $k_d \times k_h \times k_w$ kernel along the spectral axis as
# well as the two spatial axes. Without padding, each axis shrinks by $k - 1$:
# $$\underbrace{1 \times 30 \times 25 \times 25}_{\text{input}}
# \xrightarrow{8@7\times3\times3} 8 \times 24 \times 23 \times 23
# \xrightarrow{16@5\times3\times3} 16 \times 20 \times 21 \times 21
# \xrightarrow{32@3\times3\times3} 32 \times 18 \times 19 \times 19 .$$
# (Quick mode's 9×9 windows change only the last two numbers: 9 → 7 → 5 → 3, then 1 after the 2-D layer.)
#
# **What does a 7-deep kernel look at?** This chapter used to say "each output value looks at 7
# neighbouring bands, so the filters learn local spectral shapes (a slope, a dip)". That is
# wrong here. The paper describes the 3-D kernel as convolving "over multiple contiguous bands" of
# the input (Section II; the post repeats it: "在输入层的多个连续频带上"), which is true of a raw cube,
# where band $b$ and band $b+1$ are neighbouring wavelengths. But HybridSN never sees the bands. After PCA
# its 30 inputs are **principal-component scores, ordered by how much variance they explain**:
# component 1 is the direction in which the spectra vary most, component 2 the largest variation
# orthogonal to it, and so on.
# A 7-deep window over components 1–7 mixes seven *uncorrelated* features of neighbouring variance
# rank, not a piece of a spectrum; there is no "slope" or "dip" between component 4 and component 5.
# Whitening even gives every component the same unit variance, so the network cannot tell the rank
# from the scale either. The order along the depth axis is the variance rank and nothing more: any other
# order of the 30 components carries the same information, which Exercise 6.5 tests by shuffling it.
# The cell below measures the difference between the two axes:

# %% [markdown] id="06-103" lang="zh-CN" translates="d5a4603d7155"
# **三维卷积**（3-D convolution）让 $k_d \times k_h \times k_w$ 的卷积核不仅沿两个空间轴滑动，也沿光谱轴滑动。不加填充时，每个轴缩小 $k - 1$：
# $$\underbrace{1 \times 30 \times 25 \times 25}_{\text{input}}
# \xrightarrow{8@7\times3\times3} 8 \times 24 \times 23 \times 23
# \xrightarrow{16@5\times3\times3} 16 \times 20 \times 21 \times 21
# \xrightarrow{32@3\times3\times3} 32 \times 18 \times 19 \times 19 .$$
# （快速模式的 9×9 邻域块只改变最后两个数：9 → 7 → 5 → 3，经过二维卷积层后变为 1。）
#
# **深度为 7 的卷积核看的是什么？** 本章以前写的是“每个输出值看 7 个相邻波段，所以滤波器学到的是局部的光谱形状（一段斜坡、一个凹陷）”。在这里这是错的。论文（第 II 节）把三维卷积核描述为在输入的“多个连续波段”（over multiple contiguous bands）上做卷积（原文也照搬了这句：“在输入层的多个连续频带上”）。这对原始立方体是成立的，因为在那里波段 $b$ 和波段 $b+1$ 是相邻的波长。但 HybridSN 根本看不到波段。经过 PCA 之后，它的 30 个输入是**按解释方差大小排序的主成分得分**（principal-component scores）：第 1 个主成分是光谱变化最大的方向，第 2 个是与之正交的方向中变化最大的，依此类推。
# 在第 1–7 个主成分上滑动的深度为 7 的窗口，混合的是方差排名相邻的七个*互不相关*的特征，而不是一段光谱；第 4 个和第 5 个主成分之间不存在什么“斜坡”或“凹陷”。白化甚至让每个主成分都具有相同的单位方差，所以网络也无法从尺度上看出排名。深度轴上的顺序就是方差排名，仅此而已：30 个主成分换成任何其他顺序，携带的信息都一样，练习 6.5 通过打乱顺序来检验这一点。下面的单元格测量这两个轴之间的差别：

# %% id="06-104"
# NBVAL_CHECK_OUTPUT
def neighbour_correlation(data):
    """Mean |correlation| between neighbours along the last axis, over all pixels."""
    corr = np.corrcoef(data.reshape(-1, data.shape[-1]).astype(np.float64), rowvar=False)
    return np.abs(np.diag(corr, 1)).mean()

print(f"neighbouring raw bands (b, b+1):      mean |correlation| {neighbour_correlation(cube):.2f}")
print(f"neighbouring components (k, k+1):     mean |correlation| {neighbour_correlation(reduced):.2f}")
share = pca.explained_variance_ratio_
print(f"variance of the raw spectra in components 1-7: {share[:7].sum():.1%}, in 24-30: {share[23:30].sum():.3%}; "
      f"per-component std after whitening: {reduced.reshape(-1, n_components).std(0).min():.2f}"
      f"-{reduced.reshape(-1, n_components).std(0).max():.2f}")

# %% [markdown] id="06-107"
# One window through the first 3-D convolution (no activation, so that the next cells can check
# the paper's equation on it):

# %% [markdown] id="06-107" lang="zh-CN" translates="95edde6bf2e8"
# 把一个邻域块送入第一个三维卷积层（不加激活函数，以便后面的单元格在它上面检验论文的方程）：

# %% id="06-020"
# NBVAL_CHECK_OUTPUT
conv = nn.Conv3D(8, kernel_size=(7, 3, 3))
conv.initialize()
x = nd.array(windows[40, 70][None, None])               # (1, 1, 30, 25, 25)
print(x.shape, "->", conv(x).shape, "| weight", conv.weight.shape)

# %% [markdown] id="06-105"
# **The paper's two equations.** Roy et al. write the activation of a 2-D and of a 3-D convolution
# layer as (their Eqs. 1 and 2, Section II):
# $$v_{i,j}^{x,y} = \phi\Big(b_{i,j} + \sum_{\tau=1}^{d_{l-1}} \sum_{\sigma=-\gamma}^{\gamma}
# \sum_{\rho=-\delta}^{\delta} w_{i,j,\tau}^{\sigma,\rho}\, v_{i-1,\tau}^{x+\sigma,\,y+\rho}\Big)$$
# $$v_{i,j}^{x,y,z} = \phi\Big(b_{i,j} + \sum_{\tau=1}^{d_{l-1}} \sum_{\lambda=-\eta}^{\eta}
# \sum_{\rho=-\gamma}^{\gamma} \sum_{\sigma=-\delta}^{\delta} w_{i,j,\tau}^{\sigma,\rho,\lambda}\,
# v_{i-1,\tau}^{x+\sigma,\,y+\rho,\,z+\lambda}\Big)$$
# $v_{i,j}^{x,y,z}$ is the value at spatial position $(x, y)$ and spectral position $z$ of feature map
# $j$ in layer $i$; $\phi$ the activation (ReLU: `activation="relu"`); $b_{i,j}$ the bias of that
# feature map (`conv.bias[j]`); $d_{l-1}$ the number of feature maps of the previous layer (the paper
# writes $l$ for the layer that it otherwise calls $i$), the $\tau$ sum; $2\gamma+1$ and $2\delta+1$ the
# kernel's width and height, and $2\eta+1$ its depth along the spectral axis. So
# `nn.Conv3D(8, kernel_size=(7, 3, 3))` has $\eta = 3$, $\gamma = \delta = 1$ and a weight of shape
# $(8, d_{l-1}, 7, 3, 3)$ (out, in, depth, height, width): in Eq. 2, $w_{i,j,\tau}^{\sigma,\rho,\lambda}$ is `weight[j, τ, λ+η, σ+δ, ρ+γ]`, with $x$ the row and $y$ the column (with 3×3 kernels $\gamma = \delta = 1$, so which letter runs over rows does not change any number here).
# Two details the equations hide: like every deep-learning library they compute a correlation ($x+\sigma$,
# the kernel is not flipped), and the centred sums describe a "same" indexing while the code uses no
# padding, so output position $z$ of the code is the paper's $z + \eta$. The second equation is the
# first plus the $\lambda$ sum over depth, which is all that makes a convolution "3-D". The cell
# writes Eq. 2 out as loops for one output value and compares it with MXNet's Conv3D above:

# %% [markdown] id="06-105" lang="zh-CN" translates="937a8bab20a6"
# **论文的两个方程。** Roy 等人把二维卷积层和三维卷积层的激活值写成如下形式（论文第 II 节的式 (1) 和式 (2)）：
# $$v_{i,j}^{x,y} = \phi\Big(b_{i,j} + \sum_{\tau=1}^{d_{l-1}} \sum_{\sigma=-\gamma}^{\gamma}
# \sum_{\rho=-\delta}^{\delta} w_{i,j,\tau}^{\sigma,\rho}\, v_{i-1,\tau}^{x+\sigma,\,y+\rho}\Big)$$
# $$v_{i,j}^{x,y,z} = \phi\Big(b_{i,j} + \sum_{\tau=1}^{d_{l-1}} \sum_{\lambda=-\eta}^{\eta}
# \sum_{\rho=-\gamma}^{\gamma} \sum_{\sigma=-\delta}^{\delta} w_{i,j,\tau}^{\sigma,\rho,\lambda}\,
# v_{i-1,\tau}^{x+\sigma,\,y+\rho,\,z+\lambda}\Big)$$
# $v_{i,j}^{x,y,z}$ 是第 $i$ 层第 $j$ 个特征图（feature map）在空间位置 $(x, y)$、光谱位置 $z$ 处的值；$\phi$ 是激活函数（ReLU：`activation="relu"`）；$b_{i,j}$ 是该特征图的偏置（`conv.bias[j]`）；$d_{l-1}$ 是上一层特征图的个数（论文在这里用 $l$ 表示它在别处称为 $i$ 的层），即 $\tau$ 求和的范围；$2\gamma+1$ 和 $2\delta+1$ 是卷积核的宽和高，$2\eta+1$ 是它沿光谱轴的深度。因此
# `nn.Conv3D(8, kernel_size=(7, 3, 3))` 的 $\eta = 3$、$\gamma = \delta = 1$，权重形状为
# $(8, d_{l-1}, 7, 3, 3)$（输出、输入、深度、高、宽）：式 (2) 中的 $w_{i,j,\tau}^{\sigma,\rho,\lambda}$ 就是 `weight[j, τ, λ+η, σ+δ, ρ+γ]`，其中 $x$ 是行、$y$ 是列（卷积核为 3×3 时 $\gamma = \delta = 1$，所以哪个字母遍历行在这里不会改变任何数值）。
# 方程里藏着两个细节：与所有深度学习框架一样，它们计算的是互相关（cross-correlation）（$x+\sigma$，卷积核不翻转）；而且居中的求和对应的是“same”式的索引，代码里却不加填充，所以代码的输出位置 $z$ 对应论文的 $z + \eta$。第二个方程就是第一个方程再加上对深度的 $\lambda$ 求和，卷积之所以称为“三维”，全在于此。下面的单元格把式 (2) 写成循环，算出一个输出值，并与上面 MXNet 的 Conv3D 的结果比较：

# %% id="06-106"
w, b = conv.weight.data().asnumpy(), conv.bias.data().asnumpy()   # (8, 1, 7, 3, 3), (8,)
v = x.asnumpy()[0]                                                 # (1, 30, window, window): tau, z, x, y
eta, gamma, delta = 3, 1, 1
j, z, px, py = 5, 10, 2, 4                                         # one output value (feature map j)
total = b[j]
for tau in range(w.shape[1]):                                     # the sums of Eq. 2, in its order
    for lam in range(-eta, eta + 1):
        for rho in range(-gamma, gamma + 1):
            for sigma in range(-delta, delta + 1):
                total += (w[j, tau, lam + eta, sigma + delta, rho + gamma]
                          * v[tau, z + eta + lam, px + delta + sigma, py + gamma + rho])
mxnet_value = conv(x).asnumpy()[0, j, z, px, py]                  # no activation in this conv
print(f"Eq. 2 by hand: {total:.5f} | Conv3D: {mxnet_value:.5f}")
assert np.isclose(total, mxnet_value, atol=1e-4)


# %% [markdown] id="06-108"
# Then comes the line the post copied without explanation,
# `x.view(x.shape[0], -1, x.shape[3], x.shape[4])`. The $32$ feature volumes of depth $18$
# are stacked into $32 \cdot 18 = 576$ ordinary channels (channel $18c + d$ is depth $d$ of
# feature $c$), and a **2-D convolution** 64@3×3 mixes them all, Eq. 1 with $d_{l-1} = 576$:
# $576 \times 19 \times 19 \to 64 \times 17 \times 17$. This is the "hybrid" of the title. The cheap
# 3-D layers extract spectral-spatial features, and one 2-D layer combines them across the whole
# depth at once (it is a 3-D convolution whose kernel is as deep as its input, 18). A 3-D convolution
# with a short kernel in this place would cost more (checked below).
# Finally: flatten ($64 \cdot 17 \cdot 17 = 18{,}496$), dense 256 → 128 → 16 with dropout 0.4.
#
# In MXNet the reshape is `F.reshape(x, shape=(0, -3, -2))`. The special codes mean: `0` keeps
# the batch axis, `-3` merges the next two axes (32, 18), and `-2` copies the rest (19, 19).
# Written as a HybridBlock it works both imperatively and in a hybridized graph.

# %% [markdown] id="06-108" lang="zh-CN" translates="061d26c09267"
# 接下来就是原文照抄却没有解释的那一行，
# `x.view(x.shape[0], -1, x.shape[3], x.shape[4])`。$32$ 个深度为 $18$ 的特征体被堆叠成 $32 \cdot 18 = 576$ 个普通通道（第 $18c + d$ 个通道是第 $c$ 个特征的第 $d$ 个深度），然后一个 64@3×3 的**二维卷积**（2-D convolution）把它们全部混合起来，即 $d_{l-1} = 576$ 时的式 (1)：
# $576 \times 19 \times 19 \to 64 \times 17 \times 17$。这就是标题中“混合”（hybrid）的含义。计算量小的三维卷积层提取光谱-空间特征，一个二维卷积层再一次性在整个深度上把它们组合起来（它相当于一个卷积核深度与输入深度相同（都是 18）的三维卷积）。在这个位置换成卷积核较短的三维卷积，代价反而更大（下面会验证）。
# 最后：展平（$64 \cdot 17 \cdot 17 = 18{,}496$），全连接层 256 → 128 → 16，暂退法（dropout）比例 0.4。
#
# 在 MXNet 中，这个变形写作 `F.reshape(x, shape=(0, -3, -2))`。这些特殊代码的含义是：`0` 保留批量轴，`-3` 合并接下来的两个轴（32、18），`-2` 照搬其余的轴（19、19）。写成 HybridBlock 后，它既能以命令式运行，也能在混合化（hybridize）后的计算图中运行。

# %% id="06-021"
class SpectralToChannels(nn.HybridBlock):
    """(B, C, D, H, W) -> (B, C*D, H, W)."""
    def hybrid_forward(self, F, x):
        return F.reshape(x, shape=(0, -3, -2))


class HybridSN(nn.HybridBlock):
    def __init__(self, num_classes=16, dropout=0.4, **kwargs):
        super().__init__(**kwargs)
        self.conv3d_1 = nn.Conv3D(8, kernel_size=(7, 3, 3), activation="relu")   # (B, 8, 24, 23, 23)
        self.conv3d_2 = nn.Conv3D(16, kernel_size=(5, 3, 3), activation="relu")  # (B, 16, 20, 21, 21)
        self.conv3d_3 = nn.Conv3D(32, kernel_size=(3, 3, 3), activation="relu")  # (B, 32, 18, 19, 19)
        self.to_2d = SpectralToChannels()                                       # (B, 576, 19, 19)
        self.conv2d = nn.Conv2D(64, kernel_size=3, activation="relu")            # (B, 64, 17, 17)
        self.flatten = nn.Flatten()                                             # (B, 18496)
        self.fc1 = nn.Dense(256, activation="relu")
        self.drop1 = nn.Dropout(dropout)
        self.fc2 = nn.Dense(128, activation="relu")
        self.drop2 = nn.Dropout(dropout)
        self.output = nn.Dense(num_classes)

    def hybrid_forward(self, F, x):
        x = self.conv3d_3(self.conv3d_2(self.conv3d_1(x)))
        x = self.conv2d(self.to_2d(x))
        x = self.drop1(self.fc1(self.flatten(x)))
        x = self.drop2(self.fc2(x))
        return self.output(x)


# %% [markdown] id="06-022"
# The shape trace and the parameter count. The paper's Table I gives **5,122,176** trainable
# parameters, and we must get exactly that:

# %% [markdown] id="06-022" lang="zh-CN" translates="9b9c34b1ec6b"
# 形状追踪与参数计数。论文的表 I 给出 **5,122,176** 个可训练参数，我们必须得到一模一样的数：

# %% id="06-023"
# NBVAL_CHECK_OUTPUT
net = HybridSN(num_classes=16)
params, macs = d2l.print_layer_table(net, (1, 1, 30, 25, 25))
assert params == 5_122_176, params
print(f"\nfc1 holds {net.fc1.weight.data().size / params:.1%} of the parameters; "
      f"the four convolutions do {1 - 18496 * 256 / macs - (256 * 128 + 128 * 16) / macs:.1%} of the MACs")
if mode == "quick":   # the same layers on quick mode's windows
    quick_net = HybridSN(num_classes=16)
    quick_macs = d2l.total_macs(quick_net, (1, 1, n_components, window, window))
    quick_params = d2l.count_parameters(quick_net)[0]
    print(f"quick mode, {window}x{window} windows: {quick_params:,} parameters, {quick_macs / 1e6:.1f} M MACs "
          f"per window ({macs / quick_macs:.0f}x fewer than the paper's)")

# %% [markdown] id="06-024"
# Most parameters (92 %) sit in the first dense layer, 18,496 → 256. Most of the *compute*
# is in the convolutions. The table also checks the claim about the 2-D layer. A 3-D
# convolution 64@3×3×3 in its place would see only 3 of the 18 depths at a time, and it would
# cost $64 \cdot 16 \cdot 17 \cdot 17 \cdot 32 \cdot 27 = 255.7$ M MACs instead of 95.9 M.
# Its output would also be 16 times larger for the dense layer that follows.

# %% [markdown] id="06-024" lang="zh-CN" translates="31f9a2df0e2b"
# 大部分参数（92 %）集中在第一个全连接层 18,496 → 256，而大部分*计算量*在卷积层中。这张表也验证了关于二维卷积层的说法。如果在它的位置放一个 64@3×3×3 的三维卷积，它每次只能看到 18 个深度中的 3 个，代价也会是 $64 \cdot 16 \cdot 17 \cdot 17 \cdot 32 \cdot 27 = 255.7$ M 次乘加运算，而不是 95.9 M。它交给后面全连接层的输出也会大 16 倍。

# %% id="06-025"
# NBVAL_CHECK_OUTPUT
print(f"2-D conv  64@3x3 on 576x19x19:    {d2l.conv_macs(576, 64, (3, 3), (17, 17)):>13,} MACs")
print(f"3-D conv 64@3x3x3 on 32x18x19x19: {d2l.conv_macs(32, 64, (3, 3, 3), (16, 17, 17)):>13,} MACs")

# %% [markdown] id="06-026"
# The same network is in `d2l_utils.models.hybridsn`, which the tests, the figures and the full-mode run
# script use. One line checks that it is this notebook's: `d2l.same_model` loads the notebook network's
# parameters into the package's (strictly: same names and shapes) and compares the outputs:

# %% [markdown] id="06-026" lang="zh-CN" translates="7cac468776c2"
# 同一个网络也在 `d2l_utils.models.hybridsn` 中，测试、图表和完整模式的运行脚本用的都是它。一行代码即可验证它与本笔记本中的网络相同：`d2l.same_model` 把笔记本网络的参数加载到包中的网络里（严格要求名称和形状一致），再比较两者的输出：

# %% id="06-027"
from d2l_utils.models.hybridsn import HybridSN as PackageHybridSN
assert d2l.same_model(net, PackageHybridSN(num_classes=16), (3, 1, 30, 25, 25))  # NBVAL_CHECK_OUTPUT

# %% [markdown] id="06-028"
# ## 4. Training
#
# The recipe is the paper's: Adam, learning rate $10^{-3}$, cross-entropy, 30 % of the labelled
# pixels for training. The paper trains for 100 epochs with batch 256. **Full mode** keeps batch 256
# and trains 20 epochs, the settings of the recorded run in `docs/results/` (one epoch of 3,072
# windows took 0.5–3 minutes on the course's shared 2-core CPU); that is enough for OA > 99 %.
# **Quick mode** changes three things and says so: 9×9 windows (section 2), batches of 64 and
# 5 epochs, all 3,074 training pixels. Smaller batches give Adam 240 steps instead of 60, which
# this network needs: the recorded full run was still near the majority-class rate after 4 epochs of
# 12 steps (the middle panel below). After
# each epoch, `d2l.train` evaluates a fixed sample of 1,000 test pixels for the live plot; the full
# test set comes in section 5.

# %% [markdown] id="06-028" lang="zh-CN" translates="8f8360ccc390"
# ## 4. 训练
#
# 训练方案沿用论文：Adam，学习率（learning rate）$10^{-3}$，交叉熵（cross-entropy）损失，30 % 的有标签像素用于训练。论文以批量大小 256 训练 100 个迭代周期（epoch）。**完整模式**保留批量大小 256，训练 20 个迭代周期，这就是 `docs/results/` 中记录的那次运行的设置（在课程共享的 2 核 CPU 上，一个包含 3,072 个邻域块的迭代周期需要 0.5–3 分钟）；这足以让 OA > 99 %。**快速模式**改了三处，并明确说明：9×9 邻域块（第 2 节）、批量大小 64、5 个迭代周期，使用全部 3,074 个训练像素。更小的批量让 Adam 走 240 步而不是 60 步，而这个网络需要这么多步：记录下来的完整运行在 4 个迭代周期（每个 12 步）之后，精度仍接近总是预测多数类时的水平（见下方中间的子图）。每个迭代周期结束后，`d2l.train` 在固定抽取的 1,000 个测试像素上做评估，用于实时绘图；在完整测试集上的评估见第 5 节。

# %% id="06-029"
num_epochs, lr = (20, 1e-3) if mode == "full" else (5, 1e-3)
net = HybridSN(num_classes=16)
history = d2l.train(net, train_iter, monitor_iter, num_epochs, lr=lr, optimizer="adam",
                    seed=345, title="HybridSN on Indian Pines",
                    checkpoint_dir=None if mode == "quick" else "build/ch06_notebook")
speed = {m: d2l.measure_training_throughput(lambda: HybridSN(num_classes=16), (batch_size, 1, n_components, window, window),
                                            16, mode=m, steps=5, warmup=2)
         for m in ("imperative", "hybridize(static)")}
ratio = speed["hybridize(static)"] / speed["imperative"]
print(f"training ran at {np.median(history['examples_per_sec']):.0f} windows/s ({window}x{window}, batch {batch_size}); "
      f"hybridize(static), the course's default, trains at {ratio:.2f}x the imperative speed here"
      + (", within this machine's noise (chapter 00)" if 0.9 <= ratio <= 1.1 else ""))

# %% [markdown] id="06-109"
# The quick run next to the recorded full-mode runs (read from their logs in `docs/results/`):
# the paper's split with 25×25 windows and the paper's OA as a dashed line, and the spatially
# disjoint split of section 6. The monitored "test acc" is the accuracy on the same 1,000 test pixels.

# %% [markdown] id="06-109" lang="zh-CN" translates="c78c0bf48b88"
# 快速运行与记录下来的完整模式运行的对比（从 `docs/results/` 中的日志读取）：采用论文划分、25×25 邻域块的运行（虚线为论文报告的 OA），以及第 6 节空间不相交划分的运行。监控的“test acc”是同样这 1,000 个测试像素上的准确率。

# %% id="06-110"
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), sharey=True)
axes[0].plot(history["epoch"], history["train_acc"], "o-", ms=3, label="quick: train acc")
axes[0].plot(history["epoch"], history["test_acc"], "s-", ms=3, label=f"quick: test acc {history['test_acc'][-1]:.3f}")
axes[0].axhline(PAPER["oa"], ls="--", color="gray", lw=1, label=f"paper OA {PAPER['oa']:.3f}")
axes[0].set(xlabel="epoch", ylabel="accuracy")
axes[0].set_title(f"this run: {window}x{window}, {num_epochs} epochs ({sum(history['epoch_time']):.0f} s)", fontsize=9)
axes[0].xaxis.set_major_locator(plt.MaxNLocator(integer=True))
axes[0].grid(alpha=0.3)
axes[0].legend(fontsize=7, loc="lower right")
full = results.plot_recorded_run(axes[1], "06_hybridsn_random_metrics.json", paper=PAPER["oa"],
                                 paper_label="paper OA (Table II)",
                                 label="full mode, random split, 25x25")
blocks = results.plot_recorded_run(axes[2], "06_hybridsn_blocks_metrics.json",
                                   label="full mode, disjoint block split (section 6)")
fig.tight_layout()
d2l.save_or_show(fig, "06_quick_vs_full")

# %% [markdown] id="06-030"
# ## 5. Evaluation: OA, AA, κ, and a classification map
#
# Remote-sensing papers report three numbers:
# * **OA**, overall accuracy: the fraction of test pixels classified correctly.
# * **AA**, average accuracy: the mean of the 16 per-class accuracies. Small classes (Oats
#   has 20 pixels, 14 of them in the test set) count as much as large ones.
# * **Cohen's κ**: agreement corrected for chance,
#   $\kappa = \frac{p_o - p_e}{1 - p_e}$, with $p_o$ = OA and
#   $p_e = \sum_k \frac{n_{k\cdot}\, n_{\cdot k}}{N^2}$, the accuracy of a classifier that guesses with
#   the same class frequencies (row and column totals of the confusion matrix).

# %% [markdown] id="06-030" lang="zh-CN" translates="1f123057585f"
# ## 5. 评估：OA、AA、κ 与分类图
#
# 遥感论文报告三个数字：
# * **OA**，总体精度（overall accuracy）：被正确分类的测试像素所占的比例。
# * **AA**，平均精度（average accuracy）：16 个类别各自精度的平均值。小类别（Oats 只有 20 个像素，其中 14 个在测试集中）与大类别分量相同。
# * **Cohen's κ**（Kappa 系数）：扣除偶然一致之后的一致程度，
#   $\kappa = \frac{p_o - p_e}{1 - p_e}$，其中 $p_o$ = OA，
#   $p_e = \sum_k \frac{n_{k\cdot}\, n_{\cdot k}}{N^2}$ 是一个按相同类别频率随机猜测的分类器的精度（由混淆矩阵（confusion matrix）的行和与列和算出）。

# %% id="06-031"
y_true, y_pred = d2l.predict_labels(net, test_iter)
m = P.hsi_metrics(y_true, y_pred, 16)
print(f"{len(y_true)} held-out test pixels: OA {100 * m['oa']:.2f} %, AA {100 * m['aa']:.2f} %, "
      f"kappa {100 * m['kappa']:.2f}")
for k, (name, acc) in enumerate(zip(class_names, m["per_class"]), 1):
    print(f"{k:2d} {name:<30} {'-' if np.isnan(acc) else f'{100 * acc:6.2f} %'}")
floor = 0.98 if mode == "full" else 0.85   # recorded full run: 0.9937
assert m["oa"] >= floor, f"OA {m['oa']:.3f} is below this mode's floor {floor}"
ax = d2l.plot_confusion_matrix(m["confusion"], [f"{k} {n}" for k, n in enumerate(class_names, 1)])
d2l.save_or_show(ax.figure, "06_confusion")

# %% [markdown] id="06-032"
# Small classes are where quick mode falls short: Alfalfa, Grass-pasture-mowed and Oats have 14–32 test
# pixels each and only 6–14 training pixels, and 5 epochs are not enough for them (AA stays below OA;
# full mode's AA is within a point of its OA).
#
# The **classification map** applies the network to the window of every pixel of the scene,
# labelled or not. This is what a user of the method gets. On the right, the same prediction is
# shown only where there is ground truth, to compare with the left.

# %% [markdown] id="06-032" lang="zh-CN" translates="25e0765d6f57"
# 小类别正是快速模式的短板：Alfalfa、Grass-pasture-mowed 和 Oats 各只有 14–32 个测试像素、6–14 个训练像素，5 个迭代周期对它们来说不够（AA 始终低于 OA；完整模式的 AA 与其 OA 相差不到一个百分点）。
#
# **分类图**把网络应用到场景中每一个像素的邻域块上，无论它有没有标签。这才是使用这种方法的人实际得到的东西。右图只在有地面真值的地方显示同一个预测结果，以便与左图对照。

# %% id="06-033"
# Every pixel of the scene; the test pixels were just predicted in the cell above, so only the others are run.
test_mask = np.zeros((H, W), bool)
test_mask[tuple(test_coords.T)] = True
pred_map = P.predict_map(net, windows, batch_size=256, mask=~test_mask)
pred_map[tuple(test_coords.T)] = y_pred
fig, axes = plt.subplots(1, 3, figsize=(13, 4.4))
hs.show_class_map(axes[0], gt, 16, "ground truth")
hs.show_class_map(axes[1], pred_map + 1, 16, f"HybridSN, every pixel ({mode} mode)")
hs.show_class_map(axes[2], np.where(gt > 0, pred_map + 1, 0), 16, "HybridSN, labelled pixels only")
hs.add_class_legend(fig, class_names)
fig.tight_layout()
d2l.save_or_show(fig, "06_classification_map")

# %% [markdown] id="06-034"
# ## 6. Against the paper, and what the number means
#
# The paper's Table II, this run, and the recorded full-mode runs (read from
# `docs/results/06_hybridsn_*_metrics.json` and the SVM baseline's log; details in
# `docs/results/06_hybridsn.md`):

# %% [markdown] id="06-034" lang="zh-CN" translates="51943ffa0382"
# ## 6. 与论文对比，以及这个数字意味着什么
#
# 论文的表 II、本次运行，以及记录下来的完整模式运行（从
# `docs/results/06_hybridsn_*_metrics.json` 和 SVM 基线的日志中读取；详情见
# `docs/results/06_hybridsn.md`）：

# %% id="06-111"
import re
rows = [("paper (Table II), random split", PAPER, "100 epochs, GPU"),
        (f"this run ({mode} mode, {window}x{window}), random split", m,
         f"{num_epochs} epochs, {sum(history['epoch_time']):.0f} s training")]
recorded_oa = {}
for split, name in (("random", "random split"), ("blocks", "8x8 block split")):
    rec = json.loads((results.results_dir() / f"06_hybridsn_{split}_metrics.json").read_text())
    recorded_oa[split] = rec["oa"]
    rows.append((f"recorded full mode (25x25), {name}", rec,
                 f"{rec['epochs']} epochs, {rec['train_time_s'] / 60:.0f} min, shared 2-core CPU"))
svm_log = (results.results_dir() / "06_hybridsn_svm_baseline.log").read_text()
for key, name in (("random", "random split"), ("block test", "block split")):
    oa, aa, kappa = map(float, re.search(rf"^{key} OA ([\d.]+) AA ([\d.]+) kappa ([\d.]+)", svm_log, re.M).groups())
    rows.append((f"per-pixel RBF-SVM (centre spectrum), {name}", dict(oa=oa, aa=aa, kappa=kappa), "seconds"))
print(f"{'Indian Pines, 30 % train':<52} {'OA':>6} {'AA':>6} {'kappa':>6}  run")
for label, r, how in rows:
    print(f"{label:<52} {100 * r['oa']:6.2f} {100 * r['aa']:6.2f} {100 * r['kappa']:6.2f}  {how}")
print(f"recorded full mode: OA on the disjoint block split is {100 * (recorded_oa['random'] - recorded_oa['blocks']):.0f} "
      "points below the random split's")

# %% [markdown] id="06-112"
# **Why 99.7 % is optimistic.** With a random pixel split, the test pixels are scattered
# between the training pixels. A training window covers 25×25 = 625 pixels, so every single test
# pixel sits *inside* at least one training window (the cell below counts them). The network has seen its spectrum, in the
# context of a neighbour with the same label (the fields are large and uniform). The PCA was
# also fitted on the whole scene, test pixels included. The test set therefore measures how
# well the network interpolates inside fields it has already seen, not how well it
# recognises a new field.
#
# A **spatially disjoint split** removes both leaks. The scene is cut into an 8×8 grid of
# blocks, and whole blocks go to training until they hold 30 % of the labelled pixels (chosen
# greedily so that as many classes as possible get training pixels). The PCA is fitted on the
# training pixels only. Test pixels are taken from the other blocks, and every pixel whose
# 25×25 window would contain a training pixel (within 12 pixels of one) is set aside as a
# *buffer*. The price: some small classes live in a single field and cannot appear on both
# sides. The test set is also smaller and harder.

# %% [markdown] id="06-112" lang="zh-CN" translates="a78b741f620d"
# **为什么 99.7 % 偏乐观。** 在随机的逐像素划分下，测试像素散布在训练像素之间。一个训练邻域块覆盖 25×25 = 625 个像素，所以每一个测试像素都落在至少一个训练邻域块*之内*（下面的单元格会数出来）。网络已经见过它的光谱，而且是在一个同类邻居的上下文中见过的（田块又大又均匀）。PCA 也是在整个场景上拟合的，测试像素也包括在内。因此，测试集衡量的是网络在已经见过的田块内部做插值的能力，而不是识别一块新田块的能力。
#
# **空间不相交划分**（spatially disjoint split）同时消除了这两种数据泄漏。把场景切成 8×8 的网格块，把整块整块地分给训练集，直到其中包含 30 % 的有标签像素（用贪心法选择，使尽可能多的类别获得训练像素）。PCA 只在训练像素上拟合。测试像素取自其余的块，凡是其 25×25 邻域块会包含训练像素的像素（即与某个训练像素相距不超过 12 个像素），都被单独划为*缓冲区*（buffer）。代价是：有些小类别只分布在一块田里，不可能同时出现在训练和测试两边。测试集也更小、更难。

# %% id="06-035"
# NBVAL_CHECK_OUTPUT
split = P.block_split(gt, blocks=(8, 8), train_fraction=0.3, window=25, seed=0)
n_tr, n_te, n_buf = (len(split[k]) for k in ("train_labels", "test_labels", "buffer_labels"))
print(f"training blocks {split['train_blocks']}")
print(f"train {n_tr} pixels, test {n_te} pixels, buffer (excluded) {n_buf} pixels")
tr_counts = np.bincount(split["train_labels"], minlength=16)
te_counts = np.bincount(split["test_labels"], minlength=16)
print("classes in both train and test:", int(((tr_counts > 0) & (te_counts > 0)).sum()),
      "| test pixels of classes never trained on:", int(te_counts[tr_counts == 0].sum()))
assert n_tr + n_te + n_buf == labelled
full_train, _, full_test, _ = P.random_split(coords, labels, 0.3, seed=345)   # the paper's split
train_mask = np.zeros((H, W), bool)
train_mask[tuple(full_train.T)] = True
leaky = np.mean(P.chebyshev_distance_to(train_mask, full_test) <= 12)
print(f"random split, for comparison: {100 * leaky:.1f} % of its {len(full_test)} test pixels "
      "lie inside the window of a training pixel")

# %% id="06-036"
view = np.zeros((H, W))
view[tuple(split["buffer_coords"].T)] = 1
view[tuple(split["test_coords"].T)] = 2
view[tuple(split["train_coords"].T)] = 3
fig, ax = plt.subplots(figsize=(5, 5))
ax.imshow(view, cmap=plt.matplotlib.colors.ListedColormap(["white", "orange", "tab:blue", "tab:green"]),
          vmin=-0.5, vmax=3.5, interpolation="nearest")
for v in np.linspace(0, H, 9)[1:-1]:
    ax.axhline(v - 0.5, color="grey", lw=0.5)
    ax.axvline(v - 0.5, color="grey", lw=0.5)
ax.set_title("block split: train (green), test (blue), buffer (orange)")
ax.axis("off")
d2l.save_or_show(fig, "06_block_split")


# %% [markdown] id="06-037"
# Full mode trained the same network on the block split
# (`docs/results/06_hybridsn_run.py --split blocks`; its row and its curve are above). Training
# accuracy climbs as on the random split, but the monitored accuracy on the disjoint test pixels stays
# near a quarter from the second epoch on, and the final OA falls far below the random split's (the table).
# On the *buffer* pixels, whose windows overlap training windows, the same network does much better
# (`docs/results/06_hybridsn.md` has the numbers): the accuracy grows with the overlap. A per-pixel SVM
# that never sees a window does *better* than HybridSN on new fields (the table's last row). Fitting
# the PCA on the whole scene or on the training pixels changes the SVM's result by 0.3 points
# (`06_hybridsn_svm_baseline.log`), so the drop comes from the split, not from the PCA.
#
# What the drop means: Indian Pines' fields of the same class differ (tillage, soil, growth
# stage), and a network with 5 million parameters memorises the spatial context of the fields
# it was trained on. The published 99.7 % measures how well it fills in fields it has already
# seen, not how it does on new ground. This is a known criticism of the standard protocol
# (e.g. Nalepa, Myller & Kawulok, 2019, *Validating Hyperspectral Image Segmentation*, IEEE
# GRSL). Neither number is wrong. They answer different questions, and a paper should say which
# one it answers. These are one split and one run each; other block layouts give other numbers.
#
# ## Exercises
#
# **Exercise 6.1 · HybridSN's size for other inputs.** Write `my_count(bands, window,
# classes)` that returns the number of parameters of HybridSN for `bands` PCA components,
# `window`×`window` windows and `classes` classes, from the layer sizes alone, without building
# the network. Salinas uses 15 components in the paper. How many parameters does that save,
# and why so few?

# %% [markdown] id="06-037" lang="zh-CN" translates="12fd0873a66f"
# 完整模式在块划分上训练了同一个网络
# （`docs/results/06_hybridsn_run.py --split blocks`；它在表中的那一行和它的曲线见上文）。训练精度与随机划分时一样上升，但在不相交的测试像素上监控到的精度从第二个迭代周期起一直停留在四分之一左右，最终 OA 远低于随机划分（见表）。在*缓冲区*像素上（它们的邻域块与训练邻域块重叠），同一个网络的表现要好得多（具体数字见 `docs/results/06_hybridsn.md`）：精度随重叠程度增大而提高。一个从不看邻域块的逐像素 SVM 在新田块上反而*优于* HybridSN（表的最后一行）。PCA 在整个场景上拟合还是只在训练像素上拟合，对 SVM 结果的影响只有 0.3 个百分点
# （`06_hybridsn_svm_baseline.log`），所以性能的下降来自划分方式，而不是 PCA。
#
# 这一下降说明了什么：Indian Pines 中同一类别的不同田块彼此不同（耕作方式、土壤、生长阶段），而一个有 500 万参数的网络会记住它训练过的那些田块的空间上下文。发表的 99.7 % 衡量的是它填补已见过田块的能力，而不是它在新地块上的表现。这是对标准评估协议的一种已知批评（例如 Nalepa、Myller 和 Kawulok，2019，*Validating Hyperspectral Image Segmentation*，IEEE
# GRSL）。两个数字都没有错。它们回答的是不同的问题，而论文应当说明自己回答的是哪一个。这里每种划分都只有一次划分、一次运行；换一种块的布局会得到不同的数字。
#
# ## 练习
#
# **练习 6.1 · 其他输入下 HybridSN 的规模。** 编写 `my_count(bands, window,
# classes)`，只根据各层的尺寸（不构建网络）返回 HybridSN 在 `bands` 个 PCA 主成分、`window`×`window` 邻域块和 `classes` 个类别下的参数量。论文在 Salinas 上使用 15 个主成分。这能省下多少参数？为什么这么少？

# %% id="06-038"
def my_count(bands, window, classes):
    raise NotImplementedError  # your formula here


# %% id="06-039"
from d2l_utils.exercises import ch06
ch06.check_hybridsn_params(my_count)


# %% [markdown] id="06-040"
# **Exercise 6.2 · Cohen's κ.** Write `my_kappa(cm)` that computes κ from a confusion matrix
# `cm[true, predicted]` (a numpy array of counts), using the formula of section 5.

# %% [markdown] id="06-040" lang="zh-CN" translates="f65fddd515c5"
# **练习 6.2 · Cohen's κ。** 编写 `my_kappa(cm)`，用第 5 节的公式，从混淆矩阵
# `cm[true, predicted]`（一个由计数组成的 numpy 数组）计算 κ。

# %% id="06-041"
def my_kappa(cm):
    raise NotImplementedError  # your code here


# %% id="06-042"
ch06.check_kappa(my_kappa)


# %% [markdown] id="06-043"
# **Exercise 6.3 · Leaks.** Write `my_leaks(train, test, window)`: given training and test
# pixel coordinates (arrays of shape (N, 2), row and column), return one boolean per test
# pixel, True when that pixel lies inside the `window`×`window` window of some training pixel.
# Then apply it to the paper's random split (`full_train`, `full_test` from section 6) with
# `window=25`: do you get the fraction printed there?

# %% [markdown] id="06-043" lang="zh-CN" translates="9ac6b93a3299"
# **练习 6.3 · 泄漏。** 编写 `my_leaks(train, test, window)`：给定训练像素和测试像素的坐标（形状为 (N, 2) 的数组，两列分别是行和列），为每个测试像素返回一个布尔值，当该像素位于某个训练像素的 `window`×`window` 邻域块之内时为 True。
# 然后把它应用到论文的随机划分（第 6 节中的 `full_train`、`full_test`）上，取
# `window=25`：你得到的比例和那里打印的一样吗？

# %% id="06-044"
def my_leaks(train, test, window):
    raise NotImplementedError  # your code here


# %% id="06-045"
ch06.check_leaks(my_leaks)


# %% [markdown] id="06-113"
# The next two exercises are experiments: you change the model or the data, train with this
# chapter's quick recipe (`quick_run` below: same split, windows, optimiser, epochs and seed as
# section 4) and compare with the chapter's run. Run them in quick mode: in full mode each run is
# a 25×25 training of half an hour or more.

# %% [markdown] id="06-113" lang="zh-CN" translates="03b885798fb6"
# 接下来的两个练习是实验：你改动模型或数据，用本章的快速训练方案（下面的 `quick_run`：划分、邻域块、优化器、迭代周期数和随机种子都与第 4 节相同）训练，并与本章的运行结果比较。请在快速模式下运行：在完整模式下，每次运行都是一次 25×25 的训练，要半小时甚至更久。

# %% id="06-114"
def quick_run(make_net, data_cube=reduced, seed=345):
    """Train make_net() with section 4's recipe on windows of data_cube; (net, history, test metrics)."""
    cube_windows = P.window_view(P.pad_cube(data_cube, window), window)
    train_it = P.patch_loader(cube_windows, train_coords, train_labels, batch_size, shuffle=True,
                              drop_last=True, seed=0)
    monitor_it = P.patch_loader(cube_windows, test_coords[monitor], test_labels[monitor], 256)
    trained = make_net()
    h = d2l.train(trained, train_it, monitor_it, num_epochs, lr=lr, optimizer="adam", seed=seed, plot=False)
    yt, yp = d2l.predict_labels(trained, P.patch_loader(cube_windows, test_coords, test_labels, 256))
    return trained, h, P.hsi_metrics(yt, yp, 16)


def compare_runs(runs):
    """One line per run: parameters, OA/AA/kappa on all test pixels, training time; the chapter's run first."""
    runs = {"hybrid (section 4)": (net, history, m), **runs}
    for name, (n, h, r) in runs.items():
        print(f"{name:<22} {d2l.count_parameters(n)[0]:>11,} parameters | OA {100 * r['oa']:6.2f} % "
              f"AA {100 * r['aa']:6.2f} % kappa {100 * r['kappa']:6.2f} | {sum(h['epoch_time']):5.1f} s")


# %% [markdown] id="06-115"
# **Exercise 6.4 · 2-D only, 3-D only or hybrid?** The paper's case for the hybrid is that 2-D
# convolutions alone miss the spectral structure and 3-D convolutions alone are expensive (its
# Table II compares with published 2-D and 3-D CNNs, which differ in more than the kind of
# convolution). Make the controlled version: write `my_variant(variant)` returning a fresh network
# for `variant = "2-D only"` (four `Conv2D` 3×3 layers with 8, 16, 32, 64 filters on the 30
# components taken as channels: reshape $(B, 1, 30, w, w) \to (B, 30, w, w)$ first) and for
# `variant = "3-D only"` (four `Conv3D` layers: HybridSN's three, then 64@3×3×3 instead of the
# reshape and the 2-D layer), both with HybridSN's dense head (256, 128, 16, dropout 0.4). The
# check verifies the structure; then run the comparison cell. Which variant wins on OA, which on
# parameters and time? Why must the fourth 3-D kernel be *short* along the depth (the check says
# what happens otherwise; compare with Eq. 1 and Eq. 2)?

# %% [markdown] id="06-115" lang="zh-CN" translates="8972071785e5"
# **练习 6.4 · 只用二维、只用三维，还是混合？** 论文支持混合结构的理由是：仅用二维卷积会丢失光谱结构，仅用三维卷积又代价高昂（论文的表 II 与已发表的二维和三维 CNN 做了比较，但这些网络的差别不止在卷积的种类上）。请做一个控制变量的版本：编写 `my_variant(variant)`，返回一个新建的网络：`variant = "2-D only"` 时，把 30 个主成分当作通道，用四个 3×3 的 `Conv2D` 层，滤波器个数分别为 8、16、32、64（先做变形 $(B, 1, 30, w, w) \to (B, 30, w, w)$）；`variant = "3-D only"` 时，用四个 `Conv3D` 层：HybridSN 的三个，再加一个 64@3×3×3，取代变形和二维卷积层。两者都使用 HybridSN 的全连接头部（256、128、16，dropout 0.4）。检查代码会验证结构；然后运行对比单元格。哪个变体的 OA 最好，哪个在参数量和耗时上最好？为什么第四个三维卷积核沿深度方向必须*短*（检查代码会告诉你否则会怎样；对照式 (1) 和式 (2)）？

# %% id="06-116"
def my_variant(variant):
    raise NotImplementedError  # build and return the "2-D only" or the "3-D only" network


# %% id="06-117"
ch06.check_ablation(my_variant)

# %% id="06-118"
if ch06.check_ablation.grade(my_variant):       # trains both with section 4's recipe
    compare_runs({variant: quick_run(lambda: my_variant(variant)) for variant in ("2-D only", "3-D only")})


# %% [markdown] id="06-119"
# **Exercise 6.5 · Does the order of the components matter?** Section 3 says that the depth axis
# of HybridSN's input is the variance rank of the PCA components, not a wavelength axis. If the 3-D
# kernels relied on neighbouring components belonging together, a random order would hurt. Write
# `my_shuffle(cube, seed)` that returns the (H, W, 30) cube with its components (the last axis) in a
# random order drawn from `np.random.default_rng(seed)`; then train HybridSN on the shuffled cube
# and compare. Is the difference larger than what another seed of the unshuffled run gives (run
# `compare_runs({"seed 1": quick_run(lambda: HybridSN(num_classes=16), seed=1)})` to see that noise)?

# %% [markdown] id="06-119" lang="zh-CN" translates="1acd487ea53f"
# **练习 6.5 · 主成分的顺序重要吗？** 第 3 节说，HybridSN 输入的深度轴是 PCA 主成分的方差排名，而不是波长轴。如果三维卷积核依赖于相邻主成分之间的关联，那么随机的顺序就会损害性能。编写 `my_shuffle(cube, seed)`，返回主成分（最后一个轴）按 `np.random.default_rng(seed)` 抽取的随机顺序重新排列后的 (H, W, 30) 立方体；然后在打乱后的立方体上训练 HybridSN 并比较。这个差别是否大于未打乱时换一个随机种子所带来的差别（运行
# `compare_runs({"seed 1": quick_run(lambda: HybridSN(num_classes=16), seed=1)})` 来看看这种噪声）？

# %% id="06-120"
def my_shuffle(cube, seed):
    raise NotImplementedError  # return the cube with its last axis permuted


# %% id="06-121"
ch06.check_shuffle(my_shuffle)

# %% id="06-122"
if ch06.check_shuffle.grade(my_shuffle):
    shuffled = my_shuffle(reduced, seed=0)
    print("new order of the components:", [int(np.flatnonzero((reduced[0, 0] == v))[0]) + 1 for v in shuffled[0, 0]])
    compare_runs({"shuffled components": quick_run(lambda: HybridSN(num_classes=16), data_cube=shuffled)})
