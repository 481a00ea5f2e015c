"""Checks for chapter 06 (HybridSN: 3-D and 2-D convolutions on hyperspectral cubes).
Reference solutions: _solutions/ch06.py."""
import numpy as np

from . import as_int, exercise, only_checks, say
from ._experiments import sub_blocks
from ..data.patches import chebyshev_distance_to, hsi_metrics
from ..models.hybridsn import hybridsn_param_count

CASES = [(30, 25, 16), (15, 25, 16), (30, 19, 16), (30, 25, 9), (20, 13, 6)]


@exercise("Exercise 6.1 · HybridSN's size for other inputs", title_zh="练习 6.1 · 换一种输入，HybridSN 的参数量")
def check_hybridsn_params(my_count):
    for bands, window, classes in CASES:
        want = hybridsn_param_count(bands, window, classes)
        got = as_int(my_count(bands, window, classes), f"my_count({bands}, {window}, {classes})")
        assert got == want, say(
            f"bands={bands}, window={window}, classes={classes}: you give {got:,}, expected {want:,} "
            f"(off by {got - want:+,}). Follow the depth and the side through the three 3-D "
            "convolutions (no padding), then the 2-D one, and remember the biases.",
            f"bands={bands}，window={window}，classes={classes}：你的结果是 {got:,}，应为 {want:,}"
            f"（相差 {got - want:+,}）。依次跟踪深度和边长经过三个三维卷积（没有填充）、"
            "再经过二维卷积后的变化，别忘了偏置。")


@exercise("Exercise 6.2 · Cohen's kappa from a confusion matrix", title_zh="练习 6.2 · 由混淆矩阵计算 Cohen's kappa")
def check_kappa(my_kappa):
    rng = np.random.default_rng(6)
    for n in (2, 5, 16):
        y = rng.integers(0, n, 400)
        pred = np.where(rng.random(400) < 0.8, y, rng.integers(0, n, 400))
        m = hsi_metrics(y, pred, n)
        got = float(my_kappa(m["confusion"]))
        assert np.isclose(got, m["kappa"]), say(
            f"for a {n}-class confusion matrix you give {got:.4f}, expected {m['kappa']:.4f}. "
            "kappa = (p_o - p_e) / (1 - p_e), p_e = sum_k (row_k total x column_k total) / N^2.",
            f"对于 {n} 个类别的混淆矩阵，你的结果是 {got:.4f}，应为 {m['kappa']:.4f}。"
            "kappa = (p_o - p_e) / (1 - p_e)，p_e = sum_k (第 k 行之和 x 第 k 列之和) / N^2。")
    eye = np.diag([5, 7, 9])
    assert np.isclose(float(my_kappa(eye)), 1.0), say("a perfect classifier must have kappa = 1.",
                                                      "完美的分类器的 kappa 必须等于 1。")


def _leaks_reference(train_coords, test_coords, window):
    mask = np.zeros(np.max(np.vstack([train_coords, test_coords]), axis=0) + 1, bool)
    mask[train_coords[:, 0], train_coords[:, 1]] = True
    return chebyshev_distance_to(mask, test_coords) <= window // 2


@exercise("Exercise 6.3 · Which test pixels leak into training windows?",
          title_zh="练习 6.3 · 哪些测试像素泄漏进了训练窗口？")
def check_leaks(my_leaks):
    rng = np.random.default_rng(3)
    for window in (3, 5, 25):
        train = rng.integers(0, 60, (40, 2))
        test = rng.integers(0, 60, (200, 2))
        got = np.asarray(my_leaks(train, test, window), bool)
        want = _leaks_reference(train, test, window)
        assert got.shape == want.shape, say(f"return one boolean per test pixel, shape {want.shape}.",
                                            f"请为每个测试像素返回一个布尔值，形状为 {want.shape}。")
        wrong = np.flatnonzero(got != want)
        assert not len(wrong), say(
            f"window {window}: {len(wrong)} test pixels wrong, e.g. {tuple(test[wrong[0]])} "
            f"(expected {want[wrong[0]]}). A training window of side w covers the pixels within "
            "w // 2 rows AND w // 2 columns of its centre.",
            f"窗口 {window}：有 {len(wrong)} 个测试像素判断错了，例如 {tuple(test[wrong[0]])}"
            f"（应为 {want[wrong[0]]}）。边长为 w 的训练窗口覆盖的像素，与窗口中心的行距不超过 w // 2，"
            "并且列距也不超过 w // 2。")


def _layers(net, kind):
    """The layers of type ``kind`` inside ``net``, in the order they were registered."""
    return sub_blocks(net, lambda block: isinstance(block, kind))


def _build(my_variant, variant, bands=30, window=9, num_classes=16):
    """The student's network for ``variant``: built, run once on zeros; (net, output shape,
    output shape of each 3-D convolution)."""
    import mxnet as mx
    from mxnet.gluon import Block
    net = my_variant(variant)
    assert isinstance(net, Block), say(f"my_variant({variant!r}) returned {type(net).__name__}, not a Gluon network.",
                                       f"my_variant({variant!r}) 返回的是 {type(net).__name__}，而不是 Gluon 网络。")
    depths = []
    hooks = [c.register_forward_hook(lambda blk, inp, out: depths.append(out.shape))
             for c in _layers(net, mx.gluon.nn.Conv3D)]
    if not any(p._data is not None or p._deferred_init for p in net.collect_params().values()):
        net.initialize()
    out = net(mx.nd.zeros((2, 1, bands, window, window)))
    for h in hooks:
        h.detach()
    assert out.shape == (2, num_classes), say(
        f"my_variant({variant!r}) gives outputs of shape {out.shape} for a batch of 2 windows "
        f"(2, 1, {bands}, {window}, {window}); expected (2, {num_classes}), one score per class.",
        f"对由 2 个窗口组成的批量 (2, 1, {bands}, {window}, {window})，my_variant({variant!r}) 输出的形状是 "
        f"{out.shape}；应为 (2, {num_classes})，每个类别一个分数。")
    return net, depths


def _check_head(net, variant):
    from mxnet.gluon import nn
    units = [d._units for d in _layers(net, nn.Dense)]
    assert units[-3:] == [256, 128, 16], say(
        f"the dense layers of your {variant} net have {units} units; keep HybridSN's head "
        "(256, 128, then one output per class) so that only the convolutions differ.",
        f"你的 {variant} 网络的全连接层的单元数是 {units}；请保留 HybridSN 的输出部分"
        "（256、128，再每个类别一个输出），让不同之处只在卷积层。")


@exercise("Exercise 6.4 · 2-D only, 3-D only or hybrid?", expects="a function my_variant(variant) -> network",
          title_zh="练习 6.4 · 只用二维、只用三维，还是混合？", expects_zh="一个函数 my_variant(variant) -> 网络")
def check_ablation(my_variant):
    from mxnet.gluon import nn
    net, _ = _build(my_variant, "2-D only")
    n3, n2 = len(_layers(net, nn.Conv3D)), len(_layers(net, nn.Conv2D))
    assert n3 == 0, say(f"your 2-D only net still has {n3} Conv3D layer(s); every convolution should be a Conv2D.",
                        f"你的 2-D only 网络仍有 {n3} 个 Conv3D 层；每个卷积都应是 Conv2D。")
    assert n2 == 4, say(f"your 2-D only net has {n2} Conv2D layers; HybridSN has four convolutions, "
                        "keep four so that only their kind differs.",
                        f"你的 2-D only 网络有 {n2} 个 Conv2D 层；HybridSN 有四个卷积层，"
                        "请保留四个，让不同之处只在卷积的种类。")
    _check_head(net, "2-D only")
    net, shapes = _build(my_variant, "3-D only")
    n3, n2 = len(_layers(net, nn.Conv3D)), len(_layers(net, nn.Conv2D))
    assert n2 == 0, say(f"your 3-D only net still has {n2} Conv2D layer(s); every convolution should be a Conv3D.",
                        f"你的 3-D only 网络仍有 {n2} 个 Conv2D 层；每个卷积都应是 Conv3D。")
    assert n3 == 4, say(f"your 3-D only net has {n3} Conv3D layers; HybridSN has four convolutions, "
                        "keep four so that only their kind differs.",
                        f"你的 3-D only 网络有 {n3} 个 Conv3D 层；HybridSN 有四个卷积层，"
                        "请保留四个，让不同之处只在卷积的种类。")
    assert shapes[-1][2] > 1, say(
        f"the last Conv3D of your 3-D only net outputs {shapes[-1][1:]}: depth 1. A kernel as deep as "
        "its input is exactly HybridSN's 2-D layer (Eq. 1 with the depth folded into channels), so this is "
        "the hybrid again. Give the fourth convolution a short kernel along the depth, like the others.",
        f"你的 3-D only 网络的最后一个 Conv3D 输出 {shapes[-1][1:]}：深度为 1。与输入一样深的卷积核"
        "恰好就是 HybridSN 的二维层（式 1，把深度并入通道），所以这又成了混合网络。"
        "请像其他卷积一样，让第四个卷积的卷积核沿深度方向也短一些。")
    _check_head(net, "3-D only")


@exercise("Exercise 6.5 · Shuffle the PCA components", expects="a function my_shuffle(cube, seed) -> cube",
          title_zh="练习 6.5 · 打乱主成分分析（PCA）成分的顺序",
          expects_zh="一个函数 my_shuffle(cube, seed) -> cube")
def check_shuffle(my_shuffle):
    rng = np.random.default_rng(5)
    cube = rng.normal(size=(6, 7, 30)).astype(np.float32)
    first = np.asarray(my_shuffle(cube.copy(), 0))
    assert first.shape == cube.shape, say(f"the shuffled cube has shape {first.shape}; it must keep {cube.shape}.",
                                          f"打乱后的数据立方体形状是 {first.shape}；它必须保持 {cube.shape}。")
    flat, out = cube.reshape(-1, 30), first.reshape(-1, 30)
    source = [np.flatnonzero((flat == out[:, [k]]).all(axis=0)) for k in range(30)]
    assert all(len(s) == 1 for s in source), say(
        "some output component is not one of the input components: shuffle the last axis (the "
        "components) as a whole, do not move pixels or mix values.",
        "有的输出成分不是任何一个输入成分：请把最后一个轴（各个成分）整体打乱，"
        "不要移动像素，也不要把数值混在一起。")
    order = np.array([s[0] for s in source])
    assert sorted(order) == list(range(30)), say("every component must appear exactly once.",
                                                 "每个成分都必须恰好出现一次。")
    assert (order != np.arange(30)).mean() > 0.5, say(
        "most components are still in their place: use a random permutation of all 30.",
        "大多数成分仍在原位：请对全部 30 个成分做随机排列。")
    again = np.asarray(my_shuffle(cube.copy(), 0))
    assert np.array_equal(again, first), say("the same seed must give the same order (use it for the generator).",
                                             "相同的种子必须给出相同的顺序（用它来创建随机数生成器）。")
    other = np.asarray(my_shuffle(cube.copy(), 1))
    assert not np.array_equal(other, first), say("another seed should give another order.",
                                                 "换一个种子应给出另一种顺序。")


__dir__ = only_checks(globals())
