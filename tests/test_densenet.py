"""DenseNet models of chapter 04: channel growth, shapes, GluonCV parameter counts, efficiency."""
import d2l_utils as d2l  # noqa: F401  (first: threads)
import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import nn

from d2l_utils.models.densenet import DenseBlock, conv_block, densenet, densenet121, transition_block
from d2l_utils.models.resnet import resnet18
from d2l_utils.models.zoo import gluoncv_model


def _gluoncv_count(name):
    net = gluoncv_model(name)
    net.initialize()
    return d2l.count_parameters(net, (1, 3, 224, 224))


@pytest.mark.parametrize("bn_size", [None, 4])
def test_dense_block_grows_channels_and_keeps_input(bn_size):
    blk = DenseBlock(3, 8, in_channels=5, bn_size=bn_size)
    blk.initialize()
    x = nd.random.uniform(shape=(2, 5, 7, 7))
    y = blk(x)
    assert y.shape == (2, 5 + 3 * 8, 7, 7)
    assert np.array_equal(y[:, :5].asnumpy(), x.asnumpy())


def test_transition_halves():
    blk = transition_block(12, in_channels=24)
    blk.initialize()
    assert blk(nd.zeros((1, 24, 8, 8))).shape == (1, 12, 4, 4)


def test_conv_block_params():
    blk = conv_block(32, in_channels=160)
    blk.initialize()
    assert d2l.count_parameters(blk)[0] == 2 * 160 + 9 * 160 * 32 + 32


def test_d2l_densenet_channel_trace_and_output():
    rows = d2l.layer_table(densenet(), (1, 1, 96, 96), depth=1)
    blocks = [r["output_shape"] for r in rows if r["type"] == "block"]
    assert blocks == [(192, 24, 24), (96, 12, 12), (224, 12, 12), (112, 6, 6),
                      (240, 6, 6), (120, 3, 3), (248, 3, 3)]
    assert rows[-1]["output_shape"] == (10,)


def test_d2l_densenet_parameter_count_from_formula():
    conv = lambda cin, cout, k, bias=True: cout * cin * k * k + cout * bias  # noqa: E731
    total, c = conv(1, 64, 7) + 2 * 64, 64
    for i in range(4):
        for j in range(4):
            total += 2 * (c + 32 * j) + conv(c + 32 * j, 32, 3)
        c += 128
        if i < 3:
            total += 2 * c + conv(c, c // 2, 1)
            c //= 2
    total += 2 * c + c * 10 + 10
    assert d2l.count_parameters(densenet())[0] == total


def test_densenet121_matches_gluoncv():
    assert d2l.count_parameters(densenet121(), (1, 3, 224, 224)) == _gluoncv_count("densenet121")


def test_densenet_is_smaller_and_cheaper_than_resnet18_at_96():
    shape = (1, 1, 96, 96)
    assert d2l.count_parameters(densenet(), shape)[0] * 10 < d2l.count_parameters(resnet18(), shape)[0]
    assert d2l.total_macs(densenet(), shape) * 2 < d2l.total_macs(resnet18(), shape)


def test_compression_and_transition_pool_options():
    rows = d2l.layer_table(densenet(growth_rate=16, compression=1.0), (1, 1, 96, 96), depth=1)
    blocks = [r["output_shape"][0] for r in rows if r["type"] == "block"]
    assert blocks == [128, 128, 192, 192, 256, 256, 320]          # theta = 1: transitions keep every channel
    pools = [type(b[-1]).__name__ for b in densenet(transition_pool="max")
             if isinstance(b, nn.HybridSequential) and len(b) == 4]
    assert pools == ["MaxPool2D"] * 3
    assert d2l.count_parameters(densenet(transition_pool="max"), (1, 1, 96, 96)) == \
        d2l.count_parameters(densenet(), (1, 1, 96, 96))
