"""Checks for chapter 01 (1x1 convolutions and NiN). Reference solutions: _solutions/ch01.py."""
import numpy as np

from . import as_int, exercise, only_checks, say
from ._experiments import convs, leaves, own_accuracy, read_experiment, report
from ..accounting import conv_macs, count_parameters


@exercise("Exercise 1.1 · MACs of a convolution", title_zh="练习 1.1 · 卷积的乘加运算（MACs）")
def check_conv_macs(my_conv_macs):
    cases = [(192, 32, 5, 28, 28), (192, 16, 1, 28, 28), (3, 64, 7, 112, 112), (1, 1, 1, 1, 1)]
    for c_in, c_out, k, h, w in cases:
        got = as_int(my_conv_macs(c_in, c_out, k, h, w), f"my_conv_macs({c_in}, {c_out}, {k}, {h}, {w})")
        want = conv_macs(c_in, c_out, (k, k), (h, w))
        assert got == want, say(f"for c_in={c_in}, c_out={c_out}, k={k}, out {h}x{w} you give {got}, expected {want}.",
                                f"当 c_in={c_in}, c_out={c_out}, k={k}，输出为 {h}x{w} 时，你给出的是 {got}，应为 {want}。")


@exercise("Exercise 1.2 · Choose the bottleneck", title_zh="练习 1.2 · 选择瓶颈层")
def check_bottleneck_channels(r):
    direct = conv_macs(192, 32, (5, 5), (28, 28))

    def cost(c):
        return conv_macs(192, c, (1, 1), (28, 28)) + conv_macs(c, 32, (5, 5), (28, 28))
    r = as_int(r, "r")
    assert r > 0, say("r must be a positive whole number of channels.", "r 是通道数，必须是正整数。")
    assert cost(r) <= direct / 5, say(
        f"with r={r} the bottleneck costs {cost(r):,} MACs, more than a fifth ({direct / 5:,.0f}).",
        f"r={r} 时瓶颈层需要 {cost(r):,} 次乘加运算（MACs），超过了五分之一（{direct / 5:,.0f}）。")
    assert cost(r + 1) > direct / 5, say(f"r={r} fits, but a larger r fits too.",
                                         f"r={r} 满足要求，但更大的 r 也满足。")


@exercise("Exercise 1.3 · A 1x1 convolution as matrix product", title_zh="练习 1.3 · 把 1x1 卷积写成矩阵乘法")
def check_conv1x1(conv1x1_numpy):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 5, 4, 3))
    W = rng.normal(size=(7, 5))
    b = rng.normal(size=7)
    want = np.einsum("oc,bchw->bohw", W, X) + b[None, :, None, None]
    got = np.asarray(conv1x1_numpy(X, W, b))
    assert got.shape == want.shape, say(f"output shape {got.shape}, expected {want.shape} (B, C_out, H, W).",
                                        f"输出形状为 {got.shape}，应为 {want.shape}（B, C_out, H, W）。")
    assert np.allclose(got, want), say("shape is right but the values are not: check which axis you sum over.",
                                       "形状对了，但数值不对：检查一下你是沿哪个轴求和的。")


# The chapter's NiN (models/nin.py), conv by conv: (kernel, channels).
_NIN_CONVS = [((5, 5), 32), ((1, 1), 32), ((1, 1), 32), ((3, 3), 64), ((1, 1), 64), ((1, 1), 64),
              ((3, 3), 64), ((1, 1), 10)]
_ONE_1X1_CONVS = [c for i, c in enumerate(_NIN_CONVS) if i not in (2, 5)]   # drop each block's second 1x1


def _batchnorms(net):
    from mxnet.gluon import nn
    return [layer for layer in leaves(net) if isinstance(layer, (nn.BatchNorm, nn.BatchNormReLU))]


def _chapter_parameters():
    from ..models.nin import nin_mnist
    return count_parameters(nin_mnist(), (1, 1, 28, 28))[0]


@exercise("Exercise 1.4 · NiN without batch normalisation",
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter, still_trains=True or False)",
          title_zh="练习 1.4 · 去掉批量规范化的 NiN",
          expects_zh="dict(net=..., history=..., baseline=history, test_iter=test_iter, still_trains=True 或 False)")
def check_nin_without_batchnorm(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "still_trains"))
    net = run["net"]
    assert not _batchnorms(net), say(f"your net still has {len(_batchnorms(net))} BatchNorm layers: remove them all.",
                                     f"你的网络里还有 {len(_batchnorms(net))} 个 BatchNorm 层：请把它们全部去掉。")
    assert convs(net) == _NIN_CONVS, say(f"your convolutions (kernel, channels) are {convs(net)}; keep the "
                                         f"chapter's ones {_NIN_CONVS} and only drop the batch normalisation.",
                                         f"你的卷积层（卷积核, 通道数）是 {convs(net)}；请保留本章的 "
                                         f"{_NIN_CONVS}，只去掉批量规范化。")
    acc = own_accuracy(run)
    trains = acc >= 0.5   # five times chance (0.1): it learned
    assert isinstance(run["still_trains"], bool), say("still_trains should be True or False.",
                                                      "still_trains 应为 True 或 False。")
    assert run["still_trains"] == trains, (
        say(f"your run says otherwise: it reached {acc:.3f} test accuracy (chance is 0.1).",
            f"你自己的实验结果并非如此：它达到了 {acc:.3f} 的测试精度（随机猜测为 0.1）。") if trains else
        say(f"your run reached only {acc:.3f} (chance is 0.1): is that training?",
            f"你的实验只达到了 {acc:.3f}（随机猜测为 0.1）：这算是训练起来了吗？"))
    report(say("your NiN without BatchNorm", "你的 NiN（无 BatchNorm）"), acc, count_parameters(net)[0],
           run["baseline"]["test_acc"][-1], _chapter_parameters(), len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


@exercise("Exercise 1.5 · One 1x1 convolution per block instead of two",
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter, one_is_enough=True or False)",
          title_zh="练习 1.5 · 每个块只用一个 1x1 卷积，而不是两个",
          expects_zh="dict(net=..., history=..., baseline=history, test_iter=test_iter, one_is_enough=True 或 False)")
def check_one_1x1_per_block(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "one_is_enough"))
    net = run["net"]
    assert convs(net) == _ONE_1X1_CONVS, say(
        f"your convolutions (kernel, channels) are {convs(net)}; expected each NiN block to keep its k×k conv "
        "and ONE 1×1 conv, and the rest of the chapter's net unchanged.",
        f"你的卷积层（卷积核, 通道数）是 {convs(net)}；每个 NiN 块应保留它的 k×k 卷积和【一个】1×1 卷积，"
        "本章网络的其余部分保持不变。")
    assert len(_batchnorms(net)) == 4, say(f"your net has {len(_batchnorms(net))} BatchNorm layers; keep one after "
                                           "each convolution of the two NiN blocks (4), as in the chapter.",
                                           f"你的网络有 {len(_batchnorms(net))} 个 BatchNorm 层；和本章一样，"
                                           "两个 NiN 块的每个卷积层之后各保留一个（共 4 个）。")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    close = abs(acc - baseline) <= 0.01
    assert isinstance(run["one_is_enough"], bool), say("one_is_enough should be True or False.",
                                                       "one_is_enough 应为 True 或 False。")
    assert run["one_is_enough"] == close, (
        say(f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: ",
            f"你的实验得到 {acc:.3f}，本章的网络为 {baseline:.3f}：")
        + (say("within a point, so one is enough here.", "相差不到 1 个百分点，所以这里一个就够了。") if close
           else say("more than a point apart.", "相差超过 1 个百分点。")))
    report(say("your NiN, one 1×1 per block", "你的 NiN（每块一个 1×1）"), acc, count_parameters(net)[0], baseline,
           _chapter_parameters(), len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


__dir__ = only_checks(globals())
