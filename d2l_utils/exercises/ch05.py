"""Exercises of chapter 05 (MobileNet V1 / V2): cost of separable convolutions, the
parameters of an inverted residual block, choosing (alpha, rho) under a MAC budget, and three
experiments (a ReLU after V2's bottleneck, V2 without shortcuts, V1 at half width) whose checks
verify the change in the student's network and recompute the reported accuracy from it."""
import functools

from . import as_int, exercise, only_checks, say
from ._experiments import sub_blocks


def _conv_macs(in_ch, out_ch, k, size, groups=1):
    from ..accounting import conv_macs
    return conv_macs(in_ch, out_ch, (k, k), (size, size), groups)


SEPARABLE_CASES = [(3, 32, 64, 112), (3, 512, 512, 14), (5, 96, 24, 56), (3, 3, 8, 7)]


@exercise("Exercise 5.1 · cost of a depthwise separable convolution", title_zh="练习 5.1 · 深度可分离卷积的计算量")
def check_separable_cost(separable_cost):
    for dk, m, n, df in SEPARABLE_CASES:
        got = separable_cost(dk, m, n, df)
        assert isinstance(got, (tuple, list)) and len(got) == 2, say(
            f"return a pair (standard MACs, depthwise separable MACs), not {got!r}",
            f"请返回一个二元组 (标准卷积的 MACs, 深度可分离卷积的 MACs)，而不是 {got!r}")
        got = [as_int(v, say(f"separable_cost({dk}, {m}, {n}, {df})'s items",
                             f"separable_cost({dk}, {m}, {n}, {df}) 的元素")) for v in got]
        standard = _conv_macs(m, n, dk, df)
        separable = _conv_macs(m, m, dk, df, groups=m) + _conv_macs(m, n, 1, df)
        assert got[0] == standard, say(
            f"D_K={dk}, M={m}, N={n}, D_F={df}: standard cost should be {standard:,}, got {got[0]:,}",
            f"D_K={dk}，M={m}，N={n}，D_F={df}：标准卷积的计算量应为 {standard:,}，你的结果是 {got[0]:,}")
        assert got[1] == separable, say(f"D_K={dk}, M={m}, N={n}, D_F={df}: separable cost should be "
                                        f"{separable:,}, got {got[1]:,} (depthwise + pointwise)",
                                        f"D_K={dk}，M={m}，N={n}，D_F={df}：深度可分离卷积的计算量应为 "
                                        f"{separable:,}，你的结果是 {got[1]:,}（深度卷积 + 逐点卷积）")


BLOCK_CASES = [(32, 16, 1, 1, "identity"), (16, 24, 6, 2, "identity"), (24, 24, 6, 1, "identity"),
               (64, 96, 6, 1, "identity"), (64, 96, 6, 1, "projection"), (160, 320, 6, 1, "projection")]


@functools.lru_cache(maxsize=None)
def _block_params(c_in, c_out, t, stride, shortcut):
    import mxnet as mx
    from ..accounting import count_parameters
    from ..models.mobilenet_v2 import InvertedResidual
    blk = InvertedResidual(c_in, c_out, t, stride, shortcut=shortcut)
    blk.initialize(ctx=mx.cpu())
    return count_parameters(blk, (1, c_in, 8, 8))[0]


@exercise("Exercise 5.2 · parameters of an inverted residual block", title_zh="练习 5.2 · 倒残差块的参数量")
def check_block_params(block_params):
    for case in BLOCK_CASES:
        want = _block_params(*case)
        got = as_int(block_params(*case), f"block_params{case}")
        assert got == want, say(f"block_params{case} should be {want:,} trainable parameters, got {got}. "
                                "Count conv weights (no bias) and batch-norm gamma and beta.",
                                f"block_params{case} 应为 {want:,} 个可训练参数，你的结果是 {got}。"
                                "请数卷积层的权重（没有偏置）以及批量规范化的 gamma 和 beta。")


ALPHAS = (1.0, 0.75, 0.5, 0.25)
RESOLUTIONS = (224, 192, 160, 128)


@functools.lru_cache(maxsize=None)
def mac_grid():
    """{(alpha, rho): MACs} of the ImageNet MobileNet V1, measured with d2l.total_macs."""
    from ..accounting import total_macs
    from ..models.mobilenet_v1 import mobilenet_v1
    return {(a, r): total_macs(mobilenet_v1(a), (1, 3, r, r)) for a in ALPHAS for r in RESOLUTIONS}


@exercise("Exercise 5.3 · the largest MobileNet V1 under 200 million MACs",
          title_zh="练习 5.3 · 2 亿次乘加运算（MACs）以内最大的 MobileNet V1")
def check_budget_choice(choice):
    """``choice``: (alpha, rho), or a function returning it."""
    choice = tuple(choice() if callable(choice) else choice)
    grid = mac_grid()
    assert choice in grid, say(f"choose alpha from {ALPHAS} and rho from {RESOLUTIONS}, e.g. (0.5, 160)",
                               f"请从 {ALPHAS} 中选 alpha，从 {RESOLUTIONS} 中选 rho，例如 (0.5, 160)")
    fits = {k: v for k, v in grid.items() if v <= 200e6}
    best = max(fits, key=fits.get)
    assert grid[choice] <= 200e6, say(f"{choice} needs {grid[choice] / 1e6:.0f}M MACs: over the budget",
                                      f"{choice} 需要 {grid[choice] / 1e6:.0f}M MACs：超出了预算")
    assert choice == best, say(f"{choice} fits ({grid[choice] / 1e6:.0f}M MACs) but another configuration "
                               "uses more of the budget",
                               f"{choice} 在预算之内（{grid[choice] / 1e6:.0f}M MACs），但还有一种配置"
                               "能用上更多的预算")


def _experiment(answer, what):
    """Run the student's experiment; (net, history) after checking their kinds."""
    from mxnet.gluon import Block
    result = answer()
    assert isinstance(result, (tuple, list)) and len(result) == 2, say(
        f"{what} should return a pair (net, history): the network you trained and the history "
        f"dict that d2l.train returned; it returned {type(result).__name__}.",
        f"{what}应返回一个二元组 (net, history)：你训练好的网络，以及 d2l.train 返回的 history "
        f"字典；它返回的是 {type(result).__name__}。")
    net, history = result
    assert isinstance(net, Block), say(f"the first item should be your trained network, not {type(net).__name__}.",
                                       f"第一项应是你训练好的网络，而不是 {type(net).__name__}。")
    assert isinstance(history, dict) and history.get("test_acc"), say(
        "the second item should be the history dict d2l.train returned (with a 'test_acc' list).",
        "第二项应是 d2l.train 返回的 history 字典（含 'test_acc' 列表）。")
    return net, history


@functools.lru_cache(maxsize=None)
def _sample_test_iter():
    from ..data import load_cifar10
    return load_cifar10(250, source="sample")[1]


def _same_run(net, history):
    """The history's last test accuracy must be what ``net`` reaches on the sample's test split:
    the comparison then comes from the student's own trained network, not from a typed number."""
    import mxnet as mx
    from ..metrics import evaluate_accuracy
    test_iter = _sample_test_iter()
    ctx = next(iter(net.collect_params().values())).list_ctx()[0] if net.collect_params() else mx.cpu()
    acc = evaluate_accuracy(net, test_iter, ctx)
    reported = history["test_acc"][-1]
    assert abs(acc - reported) < 2e-3, say(
        f"your history ends at test accuracy {reported:.3f}, but this network scores {acc:.3f} on the "
        "sample's test split: return the network you trained together with the history its "
        "d2l.train call returned (trained on the chapter's train_iter, tested on its test_iter).",
        f"你的 history 最后的测试精度是 {reported:.3f}，但这个网络在样例数据的测试集上得到 {acc:.3f}："
        "请把你训练的网络和训练它的那次 d2l.train 调用返回的 history 一起返回"
        "（用本章的 train_iter 训练，用本章的 test_iter 测试）。")


def _blocks(net, attribute):
    """The sub-blocks of ``net`` that have ``attribute`` (e.g. InvertedResidual's use_identity)."""
    return sub_blocks(net, lambda block: hasattr(block, attribute))


def _trainable(net):
    from ..accounting import count_parameters
    return count_parameters(net, (1, 3, 32, 32))[0]


@functools.lru_cache(maxsize=None)
def _v2_trainable():
    from ..models.mobilenet_v2 import mobilenet_v2_cifar
    return _trainable(mobilenet_v2_cifar())


def _ends_with_activation(unit):
    last = list(unit._children.values())[-1] if unit._children else unit
    return type(last).__name__ in ("ReLU6", "Activation", "LeakyReLU") or "relu" in type(last).__name__.lower()


@exercise("Exercise 5.4 · a ReLU after V2's bottleneck (the paper's Fig. 6a)",
          expects="a function () -> (trained net, history)",
          title_zh="练习 5.4 · 在 V2 的线性瓶颈之后加 ReLU（论文图 6a）",
          expects_zh="一个函数 () -> (训练好的网络, history)")
def check_relu_bottleneck(experiment):
    net, history = _experiment(experiment, say("your experiment", "你的实验函数"))
    blocks = _blocks(net, "use_identity")
    assert len(blocks) == 17, say(f"your network has {len(blocks)} inverted residual blocks; start from the "
                                  "chapter's V2 (mobilenet_v2_cifar), which has 17.",
                                  f"你的网络有 {len(blocks)} 个倒残差块；请从本章的 V2（mobilenet_v2_cifar）"
                                  "出发，它有 17 个。")
    linear = [i for i, b in enumerate(blocks) if not _ends_with_activation(list(b.body._children.values())[-1])]
    assert not linear, say(f"blocks {linear} still end in a linear 1x1 projection: add a ReLU6 after the "
                           "batch norm of the last unit of every block's body.",
                           f"块 {linear} 仍以线性的 1x1 投影结尾：请在每个块的 body 中最后一个单元的"
                           "批量规范化之后加上 ReLU6。")
    n = _trainable(net)
    assert n == _v2_trainable(), say(f"your network has {n:,} trainable parameters, the chapter's V2 "
                                     f"{_v2_trainable():,}: a ReLU adds none, so change nothing else.",
                                     f"你的网络有 {n:,} 个可训练参数，本章的 V2 有 {_v2_trainable():,} 个："
                                     "ReLU 不增加参数，所以其他地方都不要改。")
    _same_run(net, history)


@exercise("Exercise 5.5 · V2 without shortcuts", expects="a function () -> (trained net, history)",
          title_zh="练习 5.5 · 去掉捷径连接的 V2", expects_zh="一个函数 () -> (训练好的网络, history)")
def check_no_shortcut(experiment):
    net, history = _experiment(experiment, say("your experiment", "你的实验函数"))
    blocks = _blocks(net, "use_identity")
    assert len(blocks) == 17, say(f"your network has {len(blocks)} inverted residual blocks; start from the "
                                  "chapter's V2 (mobilenet_v2_cifar), which has 17.",
                                  f"你的网络有 {len(blocks)} 个倒残差块；请从本章的 V2（mobilenet_v2_cifar）"
                                  "出发，它有 17 个。")
    kept = [i for i, b in enumerate(blocks) if b.use_identity or getattr(b, "shortcut", None) is not None]
    assert not kept, say(f"blocks {kept} still add a shortcut: build every block with shortcut='none'.",
                         f"块 {kept} 仍然加了捷径连接：请用 shortcut='none' 构造每一个块。")
    n = _trainable(net)
    assert n == _v2_trainable(), say(f"your network has {n:,} trainable parameters, the chapter's V2 "
                                     f"{_v2_trainable():,}: the identity shortcut has none, so change nothing else.",
                                     f"你的网络有 {n:,} 个可训练参数，本章的 V2 有 {_v2_trainable():,} 个："
                                     "恒等捷径连接没有参数，所以其他地方都不要改。")
    _same_run(net, history)


def _conv_channels(net):
    from mxnet.gluon import nn
    if isinstance(net, nn.Conv2D):
        return [(net._kwargs["num_filter"], net._kwargs["num_group"])]
    return [c for child in net._children.values() for c in _conv_channels(child)]


@exercise("Exercise 5.6 · MobileNet V1 at half width (alpha = 0.5)",
          expects="a function () -> (trained net, history)",
          title_zh="练习 5.6 · 一半宽度的 MobileNet V1（宽度乘子 α = 0.5）",
          expects_zh="一个函数 () -> (训练好的网络, history)")
def check_half_width(experiment):
    from ..models.mobilenet_v1 import mobilenet_v1_cifar
    net, history = _experiment(experiment, say("your experiment", "你的实验函数"))
    _trainable(net)                                        # infers the shapes
    mine, full = _conv_channels(net), _conv_channels(mobilenet_v1_cifar())
    assert len(mine) == len(full), say(f"your network has {len(mine)} convolutions, the chapter's V1 "
                                       f"{len(full)}: keep every layer, thin each one.",
                                       f"你的网络有 {len(mine)} 个卷积层，本章的 V1 有 {len(full)} 个："
                                       "保留每一层，只把每一层变窄。")
    wrong = [i for i, ((c, g), (c_full, g_full)) in enumerate(zip(mine, full))
             if c != int(0.5 * c_full) or (g_full > 1) != (g > 1)]
    assert not wrong, say(f"convolutions {wrong[:5]} do not have half the chapter's channels (or lost their "
                          "depthwise grouping): every layer keeps int(0.5 * C) channels.",
                          f"卷积层 {wrong[:5]} 的通道数不是本章的一半（或者失去了深度卷积的分组）："
                          "每一层保留 int(0.5 * C) 个通道。")
    _same_run(net, history)


__dir__ = only_checks(globals())
