"""ResNet models of chapter 03: shapes, the post's bug, v2 identity, GluonCV parameter counts."""
import d2l_utils as d2l  # noqa: F401  (first: threads)
import mxnet as mx
import numpy as np
import pytest
from mxnet import nd

from d2l_utils.models.resnet import (Bottleneck, PreActResidualBlock, Residual, ResidualBlock,
                                     resnet, resnet18, resnet50, resnet_cifar, resnet_mnist)
from d2l_utils.models.zoo import gluoncv_model


def _gluoncv_count(name):
    net = gluoncv_model(name)
    net.initialize()
    return d2l.count_parameters(net, (1, 3, 224, 224))


@pytest.mark.parametrize("block", ["post", "v1", "v2"])
def test_mnist_net_shape(block):
    net = resnet_mnist(block)
    net.initialize()
    assert net(nd.zeros((3, 1, 28, 28))).shape == (3, 10)


def test_mnist_parameter_counts():
    conv = lambda cin, cout, k: cout * cin * k * k + cout  # noqa: E731
    stem = conv(1, 16, 5) + conv(16, 32, 5) + 512 * 10 + 10
    blocks = sum(2 * conv(c, c, 3) + 4 * c for c in (16, 32))  # two convs, two BNs (gamma, beta)
    assert d2l.count_parameters(resnet_mnist("v1"), (1, 1, 28, 28)) == (stem + blocks, 2 * 2 * (16 + 32))
    assert d2l.count_parameters(resnet_mnist("v2"), (1, 1, 28, 28)) == (stem + blocks, 2 * 2 * (16 + 32))
    # the post: one conv and one BN learn; the dead conv2 is frozen
    t, f = d2l.count_parameters(resnet_mnist("post"), (1, 1, 28, 28))
    dead = conv(16, 16, 3) + conv(32, 32, 3)
    assert t == stem + blocks - dead - 2 * (16 + 32)
    assert f == dead + 2 * (16 + 32)
    assert t + f - 2 * (16 + 32) == 41_610  # what the post's PyTorch parameters() sums to


def test_post_block_applies_conv1_twice_with_one_bn():
    blk = ResidualBlock(4, post_bug=True)
    blk.initialize(mx.init.Xavier())
    x = nd.random.normal(shape=(2, 4, 5, 5))
    y = nd.relu(blk.bn1(blk.conv1(x)))
    want = nd.relu(x + blk.bn1(blk.conv1(y)))
    assert np.allclose(blk(x).asnumpy(), want.asnumpy(), atol=1e-6)
    assert all(p.grad_req == "null" for p in blk.conv2.collect_params().values())
    assert not hasattr(blk, "bn2")


def test_v2_block_is_identity_when_last_conv_is_zero():
    blk = PreActResidualBlock(8)
    blk.initialize()
    blk.conv2.weight.set_data(nd.zeros_like(blk.conv2.weight.data()))
    blk.conv2.bias.set_data(nd.zeros_like(blk.conv2.bias.data()))
    x = nd.random.normal(shape=(2, 8, 4, 4))
    assert np.array_equal(blk(x).asnumpy(), x.asnumpy())


def test_residual_projection_shapes():
    blk = Residual(6, use_1x1conv=True, strides=2, in_channels=3)
    blk.initialize()
    assert blk(nd.zeros((4, 3, 6, 6))).shape == (4, 6, 3, 3)


def test_resnet18_stage_shapes_at_96():
    rows = d2l.layer_table(resnet18(), (1, 1, 96, 96), depth=1)
    assert [r["output_shape"] for r in rows][4:8] == [(64, 24, 24), (128, 12, 12), (256, 6, 6), (512, 3, 3)]
    assert rows[-1]["output_shape"] == (10,)


def test_resnet18_matches_gluoncv_resnet18_v1():
    assert d2l.count_parameters(resnet18(1000, 3), (1, 3, 224, 224)) == _gluoncv_count("resnet18_v1")


def test_resnet34_matches_gluoncv_resnet34_v1():
    assert d2l.count_parameters(resnet((3, 4, 6, 3), 1000, 3), (1, 3, 224, 224)) == \
        _gluoncv_count("resnet34_v1")


def test_post_style_difference_is_biases_minus_projection_bn():
    ours = d2l.count_parameters(resnet18(1000, 3), (1, 3, 224, 224))[0]
    post = d2l.count_parameters(resnet18(1000, 3, post_style=True), (1, 3, 224, 224))[0]
    assert post - ours == (64 + 4 * (64 + 128 + 256 + 512) + (128 + 256 + 512)) - 2 * (128 + 256 + 512)


def test_resnet18_macs_match_paper():
    """He et al. 2015, Table 1: 1.8 x 10^9 (multiply-adds) for 224 x 224."""
    macs = d2l.total_macs(resnet18(1000, 3), (1, 3, 224, 224))
    assert abs(macs / 1.8e9 - 1) < 0.02


def test_resnet50_matches_gluoncv_resnet50_v1b():
    """The paper's ResNet-50 (Table 1) without conv biases: torchvision's and GluonCV's
    resnet50_v1b count, 25,557,032 trainable (+ 53,120 running statistics)."""
    ours = d2l.count_parameters(resnet50(), (1, 3, 224, 224))
    assert ours == _gluoncv_count("resnet50_v1b") == (25_557_032, 53_120)


def test_resnet50_v1_differs_by_the_biases_of_the_1x1_convs():
    """GluonCV's resnet50_v1 keeps a bias on both 1x1 convs of each bottleneck (useless before BN)."""
    biases = sum(n * (w + 4 * w) for n, w in zip((3, 4, 6, 3), (64, 128, 256, 512)))
    assert _gluoncv_count("resnet50_v1")[0] == d2l.count_parameters(resnet50(), (1, 3, 224, 224))[0] + biases


def test_resnet50_macs_match_paper_and_gluoncv_v1():
    """Paper Table 1: 3.8 x 10^9; the stride in the first 1x1 conv as in resnet50_v1."""
    macs = d2l.total_macs(resnet50(), (1, 3, 224, 224))
    ref = gluoncv_model("resnet50_v1")
    ref.initialize()
    assert macs == d2l.total_macs(ref, (1, 3, 224, 224))
    assert abs(macs / 3.8e9 - 1) < 0.02


def test_bottleneck_shapes_and_projection():
    blk = Bottleneck(16, strides=2, in_channels=32)
    blk.initialize()
    assert blk(nd.zeros((2, 32, 8, 8))).shape == (2, 64, 4, 4)
    assert blk.conv4 is not None
    same = Bottleneck(16, in_channels=64)
    assert same.conv4 is None  # 64 = 4 * 16 channels in and out, stride 1: identity shortcut


@pytest.mark.parametrize("n,depth", [(1, 8), (3, 20)])
def test_resnet_cifar_depth_and_equal_parameters(n, depth):
    plain, res = resnet_cifar(n, residual=False), resnet_cifar(n, residual=True)
    counts = d2l.count_parameters(plain, (1, 1, 28, 28))
    assert counts == d2l.count_parameters(res, (1, 1, 28, 28))
    weighted = [r for r in d2l.layer_table(res, (1, 1, 28, 28)) if r["type"] in ("Conv2D", "Dense")]
    assert len(weighted) == depth == 6 * n + 2
    assert [r["output_shape"] for r in d2l.layer_table(res, (1, 1, 28, 28), depth=1)][3:6] == \
        [(16, 28, 28), (32, 14, 14), (64, 7, 7)]


def test_zero_padded_shortcut_is_option_a():
    """'zeros' adds x, subsampled and padded with zero channels, to the residual; 'none' adds nothing."""
    x = nd.random.normal(shape=(2, 4, 7, 7))
    outs = {}
    for shortcut in ("zeros", "none"):
        blk = Residual(8, strides=2, in_channels=4, shortcut=shortcut)
        blk.initialize(mx.init.Xavier())
        if outs:
            for a, b in zip(blk.collect_params().values(), first.collect_params().values()):
                a.set_data(b.data())
        else:
            first = blk
        outs[shortcut] = blk
    y = outs["zeros"].bn2(outs["zeros"].conv2(outs["zeros"].bn1(outs["zeros"].conv1(x))))
    padded = nd.concat(x[:, :, ::2, ::2], nd.zeros((2, 4, 4, 4)), dim=1)
    assert np.allclose(outs["zeros"](x).asnumpy(), nd.relu(y + padded).asnumpy(), atol=1e-5)
    assert np.allclose(outs["none"](x).asnumpy(), nd.relu(y).asnumpy(), atol=1e-5)


def test_zero_padded_shortcut_trains_hybridized():
    """Regression: concatenating zeros_like(x) crashed oneDNN's backward (SIGFPE) once hybridized."""
    net = resnet_cifar(1, residual=True, widths=(8, 16, 32))
    net.initialize(mx.init.Xavier())
    net.hybridize(static_alloc=True, static_shape=True)
    X = nd.random.uniform(shape=(4, 1, 28, 28))
    with mx.autograd.record():
        loss = net(X).sum()
    loss.backward()
    assert np.isfinite(net[0].weight.grad().asnumpy()).all()
