"""Checks for the exercises of chapter 04 (DenseNet). Reference solutions: _solutions/ch04.py."""
from . import as_count, as_int, exercise, only_checks, say
from ._experiments import convs, leaves, own_accuracy, read_experiment, report
from ..accounting import count_parameters


def _reference_dense_channels(num_init_features, growth_rate, block_config):
    channels, out = num_init_features, []
    for i, n in enumerate(block_config):
        channels += n * growth_rate
        out.append(channels)
        if i != len(block_config) - 1:
            channels //= 2
            out.append(channels)
    return out


CONFIGS = [(64, 32, (4, 4, 4, 4)), (64, 32, (6, 12, 24, 16)), (96, 48, (6, 12, 36, 24)), (16, 12, (3, 3, 3))]


@exercise("Exercise 4.1 · Channel bookkeeping", title_zh="练习 4.1 · 通道数的推算")
def check_dense_channels(dense_channels):
    for cfg in CONFIGS:
        got = [as_int(c, say(f"dense_channels{cfg}'s items", f"dense_channels{cfg} 的元素"))
               for c in dense_channels(*cfg)]
        want = _reference_dense_channels(*cfg)
        assert got == want, say(f"for {cfg} expected {want}, got {got}", f"对于 {cfg}，应为 {want}，你的结果是 {got}")


@exercise("Exercise 4.2 · Parameters of a convolution block", title_zh="练习 4.2 · 卷积块的参数量")
def check_conv_block_params(conv_block_params):
    for c_in, k in ((64, 32), (160, 32), (3, 10), (1, 1)):
        want = 2 * c_in + 9 * c_in * k + k
        got = as_int(conv_block_params(c_in, k), f"conv_block_params({c_in}, {k})")
        assert got == want, say(f"conv_block_params({c_in}, {k}) should be {want:,}, got {got}",
                                f"conv_block_params({c_in}, {k}) 应为 {want:,}，你的结果是 {got}")


@exercise("Exercise 4.3 · DenseNet-169", title_zh="练习 4.3 · DenseNet-169")
def check_densenet169(answer):
    n = as_count(answer)
    assert n != 7_978_856, say("that is DenseNet-121: the blocks of DenseNet-169 are (6, 12, 32, 32)",
                               "这是 DenseNet-121 的参数量：DenseNet-169 的稠密块是 (6, 12, 32, 32)")
    assert n == 14_149_480, say(f"{n:,} is not DenseNet-169's trainable parameter count",
                                f"{n:,} 不是 DenseNet-169 的可训练参数量")


def _structure(net, test_iter):
    """(growth rates, compressions, transition pools, input shape) read off a DenseNet-like net:
    dense blocks are the children named DenseBlock, transitions the children holding a pool."""
    from mxnet.gluon import nn
    from ..figures.diagram import output_shapes
    X, _ = next(iter(test_iter))
    shape = (1,) + tuple(X.shape[1:])
    rows = output_shapes(net, shape)
    growth, compression, pools, c_in = [], [], [], shape[1]
    for _, block, out in rows:
        layers = leaves(block)
        if type(block).__name__ == "DenseBlock":
            growth += [k for kernel, k in convs(block) if kernel == (3, 3)]
        elif block._children and any(isinstance(l, (nn.MaxPool2D, nn.AvgPool2D)) for l in layers):
            compression.append(out[0] / c_in)
            pools += [type(l).__name__ for l in layers if isinstance(l, (nn.MaxPool2D, nn.AvgPool2D))]
        c_in = out[0]
    assert growth, say("no dense block found: build the network from the chapter's DenseBlock.",
                       "没有找到稠密块：请用本章的 DenseBlock 搭建网络。")
    assert len(compression) == 3, say(f"found {len(compression)} transition layers; the chapter's DenseNet has 3.",
                                      f"找到了 {len(compression)} 个过渡层；本章的 DenseNet 有 3 个。")
    return growth, compression, pools, shape


def _parameters(**kwargs):
    from ..accounting import count_parameters
    from ..models.densenet import densenet
    return count_parameters(densenet(**kwargs), (1, 1, 96, 96))[0]


@exercise("Exercise 4.4 · Growth rate and compression",
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter)",
          title_zh="练习 4.4 · 增长率与压缩因子",
          expects_zh="字典 dict(net=..., history=..., baseline=history, test_iter=test_iter)")
def check_growth_and_compression(answer):
    run = read_experiment(answer)
    growth, compression, _, _ = _structure(run["net"], run["test_iter"])
    assert len(set(growth)) == 1, say(
        f"the 3×3 convolutions of your dense blocks add {sorted(set(growth))} channels: use one growth rate.",
        f"你的稠密块中的 3×3 卷积分别增加 {sorted(set(growth))} 个通道：请只用一个增长率。")
    k = growth[0]
    theta = round(sum(compression) / len(compression), 2)
    assert max(compression) - min(compression) < 0.02, say(
        f"your transitions keep {[round(c, 2) for c in compression]} of the channels: use one compression θ.",
        f"你的过渡层分别保留 {[round(c, 2) for c in compression]} 的通道：请只用一个压缩因子 θ。")
    assert (k, theta) != (32, 0.5), say("that is the chapter's DenseNet (k = 32, θ = 0.5): change k, θ or both.",
                                        "这就是本章的 DenseNet（k = 32，θ = 0.5）：请改变 k 或 θ，或两者都改。")
    params = count_parameters(run["net"])[0]
    want = _parameters(growth_rate=k, compression=theta)
    assert params == want, say(f"with k = {k} and θ = {theta:g} a DenseNet of the chapter's layout has a different "
                               f"number of parameters than your {params:,}: change only k and θ.",
                               f"k = {k}、θ = {theta:g} 时，按本章结构搭建的 DenseNet 的参数量与你的 {params:,} "
                               "不同：只改变 k 和 θ，其余保持不变。")
    acc = own_accuracy(run)
    report(say(f"your DenseNet, k={k}, θ={theta:g}", f"你的 DenseNet，k={k}，θ={theta:g}"), acc, params,
           run["baseline"]["test_acc"][-1], _parameters(),
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


@exercise("Exercise 4.5 · Max instead of average pooling in the transitions",
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter)",
          title_zh="练习 4.5 · 过渡层用最大汇聚代替平均汇聚",
          expects_zh="字典 dict(net=..., history=..., baseline=history, test_iter=test_iter)")
def check_max_pool_transitions(answer):
    run = read_experiment(answer)
    growth, compression, pools, _ = _structure(run["net"], run["test_iter"])
    assert pools == ["MaxPool2D"] * 3, say(f"your transitions pool with {pools}: use MaxPool2D in all three.",
                                           f"你的过渡层用的汇聚层是 {pools}：三个过渡层都请用 MaxPool2D。")
    params = count_parameters(run["net"])[0]
    assert params == _parameters(), say(f"your net has {params:,} parameters; pooling has none, so only the pooling "
                                        "should change and the count stay the chapter's.",
                                        f"你的网络有 {params:,} 个参数；汇聚层没有参数，所以应该只改变汇聚方式，"
                                        "参数量保持与本章相同。")
    acc = own_accuracy(run)
    report(say("your DenseNet, max pooling", "你的 DenseNet，最大汇聚"), acc, params,
           run["baseline"]["test_acc"][-1], _parameters(),
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


__dir__ = only_checks(globals())
