"""Checks for the exercises of chapter 03 (ResNet). Reference solutions: _solutions/ch03.py."""
import numpy as np

from . import as_count, as_int, exercise, only_checks, parameter_names, say
from ._experiments import own_accuracy, read_experiment


def _side(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def _reference_stage_shapes(size):
    n = _side(_side(size, 7, 2, 3), 3, 2, 1)  # stem conv 7x7/2, max-pool 3x3/2
    shapes = [(64, n, n)]
    for c in (128, 256, 512):
        n = _side(n, 3, 2, 1)                 # first 3x3 conv of the stage, stride 2
        shapes.append((c, n, n))
    return shapes


@exercise("Exercise 3.1 · Stage sizes", title_zh="练习 3.1 · 各阶段的大小")
def check_stage_shapes(stage_shapes):
    for size in (96, 224, 28, 33):
        got = stage_shapes(size)
        want = _reference_stage_shapes(size)
        what = say(f"stage_shapes({size})'s sizes", f"stage_shapes({size}) 给出的大小")
        got = [tuple(as_int(v, what) for v in s) for s in got]
        assert got == want, say(f"for a {size}x{size} input expected {want}, got {got}",
                                f"对于 {size}x{size} 的输入，应为 {want}，你得到的是 {got}。")


@exercise("Exercise 3.2 · Fix the post's block", title_zh="练习 3.2 · 修好博文中的残差块")
def check_fixed_block(block_class):
    import mxnet as mx
    from mxnet import autograd, gluon, nd
    channels = 8
    blk = block_class(channels)
    blk.initialize(mx.init.Xavier())
    x = nd.random.normal(shape=(4, channels, 6, 6))
    with autograd.record():
        y = blk(x)
        total = y.sum()
    assert y.shape == x.shape, say(f"the block must keep the shape {x.shape}, got {y.shape}",
                                   f"这个块必须保持形状 {x.shape}，你得到的是 {y.shape}。")
    total.backward()
    params = parameter_names(blk)  # 'conv1.weight', as the student named the layers
    trainable = {n: p for n, p in params.items() if p.grad_req != "null"}
    frozen = [n for n, p in params.items() if p.grad_req == "null"
              and not n.endswith(("running_mean", "running_var"))]
    assert not frozen, say(f"frozen (dead?) parameters: {frozen}", f"被冻结（没用上？）的参数：{frozen}")
    batch_norms = (gluon.nn.BatchNorm, gluon.nn.BatchNormReLU)  # the second fuses the ReLU after it
    n_bn = sum(isinstance(b, batch_norms) for b in _leaves(blk))
    n_conv = sum(isinstance(b, gluon.nn.Conv2D) for b in _leaves(blk))
    assert n_conv == 2 and n_bn == 2, say(f"expected 2 Conv2D and 2 BatchNorm layers, found {n_conv} and {n_bn}",
                                          f"应有 2 个 Conv2D 层和 2 个 BatchNorm 层，你的块里分别有 {n_conv} 个和 {n_bn} 个。")
    count = sum(int(np.prod(p.shape)) for p in trainable.values())
    want = 2 * (channels * channels * 9 + channels) + 2 * 2 * channels
    assert count == want, say(f"expected {want} trainable parameters for {channels} channels, got {count}",
                              f"{channels} 个通道时应有 {want} 个可训练参数，你的块有 {count} 个。")
    dead = [n for n, p in trainable.items() if float(p.grad().abs().sum().asscalar()) == 0]
    assert not dead, say(f"these parameters got no gradient (unused in the forward?): {dead}",
                         f"这些参数没有得到梯度（前向传播中没有用到？）：{dead}")
    # two different BatchNorms: their running means must have been updated differently
    bns = [b for b in _leaves(blk) if isinstance(b, batch_norms)]
    assert not np.allclose(bns[0].running_mean.data().asnumpy(), bns[1].running_mean.data().asnumpy()), \
        say("both BatchNorms saw the same statistics: is one BatchNorm used twice?",
            "两个 BatchNorm 看到的统计量完全相同：是不是同一个 BatchNorm 被用了两次？")


def _leaves(block):
    if not block._children:
        return [block]
    return [leaf for child in block._children.values() for leaf in _leaves(child)]


@exercise("Exercise 3.3 · ResNet-34", title_zh="练习 3.3 · ResNet-34")
def check_resnet34(answer):
    n = as_count(answer)
    assert n != 11_689_512, say("that is ResNet-18: use layers=(3, 4, 6, 3)",
                                "这是 ResNet-18 的参数量：请使用 layers=(3, 4, 6, 3)。")
    assert n == 21_797_672, say(f"{n:,} is not the ImageNet ResNet-34 count (convs without "
                                "bias, BN on the projection, 3 input channels, 1000 classes)",
                                f"{n:,} 不是 ImageNet 上 ResNet-34 的参数量（卷积层不带偏置，"
                                "投影捷径上也有 BN，3 个输入通道，1000 个类别）。")


def _trace_names(net, input_shape):
    """[(layer name, layer type)] of the layers ``net`` runs, in the order it runs them."""
    from ..accounting import layer_table
    return [(r["name"], r["type"]) for r in layer_table(net, input_shape)]


_BN_TYPES = ("BatchNorm", "BatchNormReLU")


@exercise("Exercise 3.4 · Share the convolution, not the BatchNorm",
          expects="dict(net=..., history=..., baseline=histories['post'], test_iter=test_iter, "
                  "bn_was_the_bug=True or False)",
          title_zh="练习 3.4 · 共享卷积层，但不共享 BatchNorm",
          expects_zh="dict(net=..., history=..., baseline=histories['post'], test_iter=test_iter, "
                     "bn_was_the_bug=True 或 False)")
def check_shared_conv_own_bns(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "bn_was_the_bug"))
    net = run["net"]
    trace = _trace_names(net, (1, 1, 28, 28))
    convs = [n for n, t in trace if t == "Conv2D"]
    twice = sorted({n for n in convs if convs.count(n) == 2})
    assert len(twice) == 2 and len(convs) == 6, say(
        f"your net runs the convolutions {convs}: keep the post's net, whose two blocks each call "
        "their conv1 twice (and never conv2)",
        f"你的网络依次运行的卷积层是 {convs}：请保留博文中的网络，它的两个块各自调用自己的 conv1 两次"
        "（从不调用 conv2）。")
    bns = [n for n, t in trace if t in _BN_TYPES]
    assert len(bns) == 4 and len(set(bns)) == 4, say(
        f"your net calls the BatchNorms {bns}: give each block two BatchNorms, each called once",
        f"你的网络调用的 BatchNorm 是 {bns}：请给每个块两个 BatchNorm，每个只调用一次。")
    trainable = sum(int(np.prod(p.shape)) for p in net.collect_params().values() if p.grad_req != "null")
    assert trainable == 30_042 + 2 * (16 + 32), say(
        f"your net has {trainable:,} trainable parameters: the post's net plus one BatchNorm per block "
        "has a different number (is a dead conv2 still trainable?)",
        f"你的网络有 {trainable:,} 个可训练参数：博文中的网络每个块再加一个 BatchNorm 后，参数量不是这个数"
        "（没用上的 conv2 是不是仍然可训练？）。")
    acc, post = own_accuracy(run), run["baseline"]["test_acc"][-1]
    recovered = acc >= post + 0.05
    assert isinstance(run["bn_was_the_bug"], bool), say("bn_was_the_bug should be True or False.",
                                                        "bn_was_the_bug 应为 True 或 False。")
    assert run["bn_was_the_bug"] == recovered, (
        say(f"your run gives {acc:.3f} against the post's {post:.3f}: ",
            f"你的实验得到 {acc:.3f}，博文中的网络为 {post:.3f}：")
        + (say("5 points or more better, so the shared BatchNorm was the bug.",
               "高了 5 个百分点或更多，所以问题正出在共享的 BatchNorm 上。") if recovered else
           say("less than 5 points apart, so these runs do not show it.",
               "相差不到 5 个百分点，所以这些实验说明不了这一点。")))
    print(say(f"  conv1 shared, own BatchNorms : test acc {acc:.3f}",
              f"  共享 conv1，各自的 BatchNorm：测试精度 {acc:.3f}"))
    print(say(f"  the post's net (shared BN)   : test acc {post:.3f}  ({100 * (acc - post):+.1f} points)",
              f"  博文中的网络（共享 BN）     ：测试精度 {post:.3f}（{100 * (acc - post):+.1f} 个百分点）"))


def _shortcuts(net):
    from ..models.resnet import Residual
    blocks = [b for b in _all_blocks(net) if isinstance(b, Residual)]
    return len(blocks), {b.shortcut for b in blocks}


def _all_blocks(block):
    yield block
    for child in block._children.values():
        yield from _all_blocks(child)


@exercise("Exercise 3.5 · Plain vs residual at 32 layers",
          expects="dict(plain=..., residual=..., plain_history=..., residual_history=..., "
                  "test_iter=test_iter, plain_trains_worse=True or False)",
          title_zh="练习 3.5 · 32 层的普通网络与残差网络",
          expects_zh="dict(plain=..., residual=..., plain_history=..., residual_history=..., "
                     "test_iter=test_iter, plain_trains_worse=True 或 False)")
def check_deeper_degradation(answer):
    keys = ("plain", "residual", "plain_history", "residual_history", "test_iter", "plain_trains_worse")
    run = answer() if callable(answer) else answer
    assert isinstance(run, dict) and all(run.get(k) is not None for k in keys), say(
        "give the dict the exercise cell builds: dict(" + ", ".join(f"{k}=..." for k in keys) + ")",
        "请给出练习单元格构造的字典：dict(" + ", ".join(f"{k}=..." for k in keys) + ")。")
    from ..accounting import count_parameters
    counts = {}
    for kind, want in (("plain", "none"), ("residual", "zeros")):
        net = run[kind]
        kind_zh = {"plain": "普通", "residual": "残差"}[kind]
        n_blocks, shortcuts = _shortcuts(net)
        assert n_blocks == 15, say(f"your {kind} net has {n_blocks} residual-style blocks; 32 layers = 6n + 2 "
                                   "needs n blocks in each of the three stages",
                                   f"你的{kind_zh}网络（{kind}）有 {n_blocks} 个残差式的块；32 层 = 6n + 2，"
                                   "需要三个阶段中各有 n 个块。")
        assert shortcuts == {want}, say(f"your {kind} net's blocks have shortcuts {sorted(shortcuts)}: build it "
                                        f"with resnet_cifar(n, residual={kind == 'residual'})",
                                        f"你的{kind_zh}网络（{kind}）中各块的捷径是 {sorted(shortcuts)}："
                                        f"请用 resnet_cifar(n, residual={kind == 'residual'}) 来构造它。")
        counts[kind] = count_parameters(net, (1, 1, 28, 28))
        own_accuracy(dict(net=net, history=run[f"{kind}_history"], test_iter=run["test_iter"]))
    assert counts["plain"] == counts["residual"], say("the two nets should have the same parameters",
                                                      "两个网络的参数应当相同。")
    plain_loss = run["plain_history"]["train_loss"][-1]
    res_loss = run["residual_history"]["train_loss"][-1]
    worse = plain_loss > res_loss
    assert isinstance(run["plain_trains_worse"], bool), say("plain_trains_worse should be True or False.",
                                                            "plain_trains_worse 应为 True 或 False。")
    assert run["plain_trains_worse"] == worse, say(
        f"your runs end with training loss {plain_loss:.3f} (plain) and {res_loss:.3f} (residual)",
        f"你的两次实验最终的训练损失分别是 {plain_loss:.3f}（普通网络）和 {res_loss:.3f}（残差网络）。")
    print(say(f"  plain-32    : final training loss {plain_loss:.3f}",
              f"  plain-32    ：最终训练损失 {plain_loss:.3f}"))
    print(say(f"  residual-32 : final training loss {res_loss:.3f} (same {counts['plain'][0]:,} parameters)",
              f"  residual-32 ：最终训练损失 {res_loss:.3f}（参数同为 {counts['plain'][0]:,} 个）"))


__dir__ = only_checks(globals())
