"""Checks for the exercises of chapter 02 (Inception / GoogLeNet). Reference solutions: _solutions/ch02.py."""
import math

from . import as_int, exercise, only_checks, say
from ._experiments import convs, leaves, own_accuracy, read_experiment, report

# (in_channels, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) -> parameters with biases
_MODULES = {(192, 64, 96, 128, 16, 32, 32): 163_696,        # 3a
            (832, 384, 192, 384, 48, 128, 128): 1_444_080,  # 5b
            (10, 4, 3, 5, 2, 7, 6): 662}                    # a toy module


@exercise("Exercise 2.1 · parameters of an Inception module", title_zh="练习 2.1 · Inception 块的参数量")
def check_inception_params(fn):
    for args, expected in _MODULES.items():
        got = as_int(fn(*args), f"inception_params{args}")
        assert got == expected, say(f"inception_params{args} returned {got}, expected {expected}. "
                                    "Count weights (in x out x k x k) and one bias per output channel.",
                                    f"inception_params{args} 返回了 {got}，应为 {expected}。"
                                    "请数一数权重（输入通道数 x 输出通道数 x k x k），再给每个输出通道加一个偏置。")


@exercise("Exercise 2.2 · the 1x1 bottleneck's MAC saving", title_zh="练习 2.2 · 1x1 瓶颈层省下的乘加运算（MACs）")
def check_bottleneck_macs(fn):
    cases = {(192, 16, 32, 5, 28): (120_422_400, 12_443_648),   # Inception 3a's 5x5 branch
             (10, 16, 24, 5, 12): (864_000, 1_405_440),         # the MNIST post's first module
             (480, 16, 48, 5, 14): (112_896_000, 5_268_480)}    # 4a
    for args, expected in cases.items():
        got = tuple(as_int(v, say(f"bottleneck_macs{args}'s items", f"bottleneck_macs{args} 的元素")) for v in fn(*args))
        assert got == expected, say(f"bottleneck_macs{args} returned {got}, expected {expected}.",
                                    f"bottleneck_macs{args} 返回了 {got}，应为 {expected}。")


def _double_softmax_loss_range(num_classes):
    """Smallest and largest cross-entropy when the net already applied a softmax: the
    'logits' p lie in [0, 1] and sum to 1, so the loss is -log(e^p_y / sum_j e^p_j):
    smallest for p = one-hot(y), largest for p = one-hot(another class)."""
    k = num_classes
    return math.log(1 + (k - 1) * math.exp(-1)), math.log(k - 1 + math.exp(1))


@exercise("Exercise 2.3 · the loss range of softmax-then-cross-entropy",
          title_zh="练习 2.3 · 先 softmax 再算交叉熵时损失的取值范围")
def check_double_softmax_loss_range(fn):
    for k in (2, 10, 1000):
        lo, hi = (float(v) for v in fn(k))
        ref_lo, ref_hi = _double_softmax_loss_range(k)
        assert math.isclose(lo, ref_lo, rel_tol=1e-6) and math.isclose(hi, ref_hi, rel_tol=1e-6), say(
            f"for {k} classes you gave ({lo:.4f}, {hi:.4f}); the loss is smallest when p_y = 1 and "
            "every other p_j = 0, largest when p_y = 0 and one other p_j = 1.",
            f"对于 {k} 个类别，你给出的是 ({lo:.4f}, {hi:.4f})；当 p_y = 1 且其他所有 p_j = 0 时损失最小，"
            "当 p_y = 0 且另有一个 p_j = 1 时损失最大。")


# The chapter's googlenet_lite (separate 1x1s, no activation inside the modules), read off the package.
def _chapter_net():
    from ..models.googlenet_lite import googlenet_lite
    return googlenet_lite()


def _chapter_parameters():
    from ..accounting import count_parameters
    return count_parameters(_chapter_net(), (1, 1, 28, 28))[0]


def _count(answer_net):
    from ..accounting import count_parameters
    return count_parameters(answer_net, (1, 1, 28, 28))[0]


def _shared_convs():
    """The convolutions the post's network has: per module ONE 16-channel 1x1 instead of three."""
    from ..models.googlenet_lite import googlenet_lite
    return convs(googlenet_lite(shared_1x1=True))


def _relu_convs(net):
    """(convolutions inside the modules, how many of them apply a fused ReLU): conv1 (5x5, 10) and
    conv2 (5x5, 20) sit outside the modules."""
    from mxnet.gluon import nn
    layers = [l for l in leaves(net) if isinstance(l, nn.Conv2D)
              and (tuple(l._kwargs["kernel"]), l._kwargs["num_filter"]) not in (((5, 5), 10), ((5, 5), 20))]
    fused = [l for l in layers if getattr(l, "act", None) is not None and l.act._act_type == "relu"]
    return len(layers), len(fused)


@exercise("Exercise 2.4 · the post's shared 1x1 convolution, trained",
          expects="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, sharing_costs=True or False)",
          title_zh="练习 2.4 · 训练博文中共享的 1x1 卷积",
          expects_zh="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, sharing_costs=True 或 False)")
def check_shared_1x1(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "sharing_costs"))
    net = run["net"]
    mine, chapter, want = convs(net), convs(_chapter_net()), _shared_convs()
    assert mine != chapter, say("your network has exactly the chapter's convolutions: each module still has three "
                                "16-channel 1×1 convolutions. Share ONE of them between branches 2, 3 and 4.",
                                "你的网络的卷积层和本章的完全一样：每个块仍有三个 16 通道的 1×1 卷积。"
                                "只保留其中【一个】，由分支 2、3、4 共享。")
    assert mine == want, say(f"your convolutions (kernel, channels) are {mine}; the post's network has, per module, "
                             "the pool branch's 1×1 (24) and ONE 16-channel 1×1 used by branches 2, 3 and 4, "
                             "and otherwise the chapter's layers.",
                             f"你的卷积层（卷积核, 通道数）是 {mine}；博文中的网络在每个块里有汇聚分支的 1×1 卷积（24）"
                             "和【一个】由分支 2、3、4 共用的 16 通道 1×1 卷积，其余各层与本章相同。")
    params, base_params = _count(net), _chapter_parameters()
    saved = 2 * (16 * 10 + 16) + 2 * (16 * 20 + 16)
    assert base_params - params == saved, say(
        f"your net has {params:,} parameters, {base_params - params:,} fewer than the chapter's; sharing should "
        "save exactly two 1×1 convolutions per module (their weights and biases).",
        f"你的网络有 {params:,} 个参数，比本章的少 {base_params - params:,} 个；共享应当在每个块中"
        "恰好省掉两个 1×1 卷积（它们的权重和偏置）。")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    costs = baseline - acc > 0.01
    assert isinstance(run["sharing_costs"], bool), say("sharing_costs should be True or False.",
                                                       "sharing_costs 应为 True 或 False。")
    assert run["sharing_costs"] == costs, (
        say(f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: ",
            f"你的实验得到 {acc:.3f}，本章的网络为 {baseline:.3f}：")
        + (say("more than a point lower, so sharing does cost accuracy here.",
               "低了超过 1 个百分点，所以在这里共享确实损失了精度。") if costs else
           say("not more than a point lower, so sharing costs (almost) nothing here.",
               "低得不超过 1 个百分点，所以在这里共享（几乎）没有代价。")))
    report(say("your net, shared 1×1", "你的网络（共享 1×1）"), acc, params, baseline, base_params,
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


@exercise("Exercise 2.5 · a ReLU inside the branches",
          expects="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, relu_helps=True or False)",
          title_zh="练习 2.5 · 在分支内部加上 ReLU",
          expects_zh="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, relu_helps=True 或 False)")
def check_relu_inside(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "relu_helps"))
    net = run["net"]
    mine, chapter = convs(net), convs(_chapter_net())
    assert mine == chapter, say(
        f"your convolutions (kernel, channels) are {mine}; keep the chapter's ones {chapter} "
        "(separate 1×1s) and only add the activations.",
        f"你的卷积层（卷积核, 通道数）是 {mine}；请保留本章的 {chapter}（各自独立的 1×1 卷积），"
        "只加上激活函数。")
    inside, with_relu = _relu_convs(net)
    assert with_relu == inside, say(
        f"{with_relu} of the {inside} convolutions inside your two modules apply a ReLU; every one of them "
        "should (Conv2D(..., activation='relu')), as in the paper.",
        f"你的两个块内部的 {inside} 个卷积层中，有 {with_relu} 个使用了 ReLU；和论文中一样，"
        "每一个都应使用（Conv2D(..., activation='relu')）。")
    params, base_params = _count(net), _chapter_parameters()
    assert params == base_params, say(f"your net has {params:,} parameters, the chapter's {base_params:,}: a ReLU "
                                      "has no parameters, so nothing else should change.",
                                      f"你的网络有 {params:,} 个参数，本章的有 {base_params:,} 个：ReLU "
                                      "没有参数，所以其他部分都不应改变。")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    helps = acc > baseline
    assert isinstance(run["relu_helps"], bool), say("relu_helps should be True or False.",
                                                    "relu_helps 应为 True 或 False。")
    assert run["relu_helps"] == helps, (
        say(f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: ",
            f"你的实验得到 {acc:.3f}，本章的网络为 {baseline:.3f}：")
        + (say("higher, so here the ReLUs help.", "更高，所以在这里 ReLU 有帮助。") if helps else
           say("not higher, so here they do not help.", "没有更高，所以在这里 ReLU 没有帮助。")))
    report(say("your net, ReLU in the branches", "你的网络（分支内加 ReLU）"), acc, params, baseline, base_params,
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


__dir__ = only_checks(globals())
