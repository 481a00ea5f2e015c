"""Parameter and MAC counts against hand counts."""
import mxnet as mx
import pytest
from mxnet.gluon import nn

import d2l_utils as d2l


def seq(*layers):
    net = nn.HybridSequential()
    net.add(*layers)
    net.initialize()
    return net


def test_lecture_example_direct_vs_bottleneck():
    direct = seq(nn.Conv2D(32, 5, padding=2))
    bottleneck = seq(nn.Conv2D(16, 1), nn.Conv2D(32, 5, padding=2))
    assert d2l.total_macs(direct, (1, 192, 28, 28)) == 120_422_400
    assert d2l.total_macs(bottleneck, (1, 192, 28, 28)) == 12_443_648
    assert d2l.conv_macs(192, 16, 1, (28, 28)) + d2l.conv_macs(16, 32, 5, (28, 28)) == 12_443_648


def test_grouped_and_depthwise_conv():
    depthwise = seq(nn.Conv2D(32, 3, padding=1, groups=32))
    assert d2l.total_macs(depthwise, (1, 32, 16, 16)) == 32 * 16 * 16 * 9
    grouped = seq(nn.Conv2D(64, 3, groups=4))   # 16 input channels per group, 14x14 output
    assert d2l.total_macs(grouped, (1, 32, 16, 16)) == 64 * 14 * 14 * (32 // 4) * 9
    with pytest.raises(ValueError, match="divisible"):
        d2l.conv_macs(30, 64, 3, 8, groups=4)


def test_conv1d_conv3d_dense():
    assert d2l.total_macs(seq(nn.Conv1D(8, 3)), (1, 4, 10)) == 8 * 8 * 4 * 3
    assert d2l.total_macs(seq(nn.Conv3D(8, (7, 3, 3))), (1, 1, 30, 25, 25)) == 8 * 24 * 23 * 23 * 63
    assert d2l.total_macs(seq(nn.Dense(10)), (1, 3, 4, 4)) == 48 * 10
    assert d2l.total_macs(seq(nn.Dense(5, flatten=False)), (1, 7, 3)) == 7 * 3 * 5


def test_parameter_counts_split_trainable_and_running_statistics():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3), nn.BatchNorm(), nn.Dense(10))
    with pytest.raises(ValueError, match="input_shape"):
        d2l.count_parameters(net)
    trainable, frozen = d2l.count_parameters(net, (1, 3, 10, 10))
    assert trainable == (8 * 27 + 8) + (8 + 8) + (8 * 8 * 8 * 10 + 10)
    assert frozen == 16  # running mean and variance


def test_layer_table_works_on_a_hybridized_net_and_leaves_it_hybridized():
    net = seq(nn.Conv2D(4, 3), nn.Dense(2))
    net.hybridize()
    rows = d2l.layer_table(net, (1, 1, 8, 8))
    assert [r["type"] for r in rows] == ["Conv2D", "Dense"]
    assert rows[0]["output_shape"] == (4, 6, 6) and rows[1]["params"] == 4 * 36 * 2 + 2
    assert net._active


def test_compare_hybridize_measures_every_mode():
    results = d2l.compare_hybridize(lambda: seq(nn.Dense(10)), (8, 20), steps=2, warmup=1)
    assert set(results) == {"imperative", "hybridize()", "hybridize(static)"}
    assert all(v > 0 for v in results.values())
