"""HybridSN (chapter 06): the paper's parameter count, layer shapes, MACs, the 3-D -> 2-D reshape."""
import d2l_utils as d2l  # noqa: F401  (first: threads)
import mxnet as mx
import numpy as np
import pytest
from mxnet import nd

from d2l_utils.models.hybridsn import HybridSN, SpectralToChannels, hybridsn_param_count

INPUT = (1, 1, 30, 25, 25)


@pytest.fixture(scope="module")
def net():
    net = HybridSN(num_classes=16)
    net.initialize(mx.init.Xavier())
    return net


def test_parameter_count_is_the_papers(net):
    trainable, frozen = d2l.count_parameters(net, INPUT)
    assert trainable == 5_122_176 and frozen == 0          # Table I of Roy et al. (2019)
    assert hybridsn_param_count() == 5_122_176
    assert hybridsn_param_count(num_classes=9) == 5_122_176 - 7 * 129  # Pavia University head


def test_layer_shapes_and_macs(net):
    rows = {r["name"]: r for r in d2l.layer_table(net, INPUT)}
    expected = {"conv3d_1": (8, 24, 23, 23), "conv3d_2": (16, 20, 21, 21),
                "conv3d_3": (32, 18, 19, 19), "to_2d": (576, 19, 19), "conv2d": (64, 17, 17),
                "flatten": (18496,), "fc1": (256,), "fc2": (128,), "output": (16,)}
    for name, shape in expected.items():
        assert rows[name]["output_shape"] == shape, name
    assert rows["conv3d_1"]["macs"] == d2l.conv_macs(1, 8, (7, 3, 3), (24, 23, 23)) == 6_398_784
    assert rows["conv3d_2"]["macs"] == 16 * 20 * 21 * 21 * 8 * 5 * 3 * 3
    assert rows["conv3d_3"]["macs"] == 32 * 18 * 19 * 19 * 16 * 3 * 3 * 3
    assert rows["conv2d"]["macs"] == 64 * 17 * 17 * 576 * 9
    assert rows["fc1"]["macs"] == 18496 * 256
    assert sum(r["macs"] for r in rows.values()) == 247_683_392


def test_output_and_hybridize_agree(net):
    x = nd.random.normal(shape=(3, 1, 30, 25, 25))
    y1 = net(x)
    assert y1.shape == (3, 16)
    net.hybridize()
    y2 = net(x)
    assert np.allclose(y1.asnumpy(), y2.asnumpy(), atol=1e-5)


def test_spectral_to_channels_order():
    x = nd.array(np.arange(2 * 3 * 4 * 5 * 5, dtype=np.float32).reshape(2, 3, 4, 5, 5))
    y = SpectralToChannels()(x).asnumpy()
    assert y.shape == (2, 12, 5, 5)
    for c in range(3):
        for d in range(4):
            assert np.array_equal(y[:, c * 4 + d], x.asnumpy()[:, c, d])


def test_other_input_sizes():
    net = HybridSN(num_classes=9)
    net.initialize()
    assert net(nd.zeros((2, 1, 15, 11, 11))).shape == (2, 9)
    assert d2l.count_parameters(net)[0] == hybridsn_param_count(15, 11, 9)


def test_resume_a_conv3d_net(tmp_path):
    """d2l.train's resume loads a checkpoint into a net that already ran; with MKL-DNN that
    used to break Conv3D weights (MXNet 1.9.1). Training must continue and evaluate."""
    from mxnet.gluon import nn
    from d2l_utils.data.loader import ArrayLoader

    def make():
        net = nn.HybridSequential()
        net.add(nn.Conv3D(4, (3, 3, 3), activation="relu"), nn.Dense(3))
        return net
    X = np.random.default_rng(0).random((32, 1, 5, 6, 6)).astype(np.float32)
    it = ArrayLoader(X, np.arange(32) % 3, 16, shuffle=True, drop_last=True, seed=0)
    d2l.train(make(), it, it, 1, lr=0.01, optimizer="adam", checkpoint_dir=tmp_path, plot=False, verbose=False)
    h = d2l.train(make(), it, it, 2, lr=0.01, optimizer="adam", checkpoint_dir=tmp_path, plot=False, verbose=False)
    assert h["epoch"] == [1, 2] and h["test_acc"][-1] is not None


def test_train_takes_a_2d_net_that_reshapes_5d_windows():
    """Exercise 6.4's "2-D only" net folds the bands of (B, 1, bands, w, w) windows into channels
    before its first Conv2D: d2l.train's input check must not reject it for its first layer."""
    from d2l_utils.data.loader import ArrayLoader
    from d2l_utils.exercises._solutions.ch06 import my_variant
    X = np.random.default_rng(0).random((8, 1, 30, 9, 9)).astype(np.float32)
    it = ArrayLoader(X, np.arange(8) % 16, 4, drop_last=True)
    h = d2l.train(my_variant("2-D only"), it, it, 1, lr=1e-3, optimizer="adam", plot=False, verbose=False)
    assert h["epoch"] == [1]
    with pytest.raises(d2l.InputMismatch, match="5-D"):            # a real mismatch is still explained
        d2l.train(HybridSN(), ArrayLoader(X[:, 0], np.zeros(8), 4), None, 1, plot=False, verbose=False)
