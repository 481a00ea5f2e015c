"""MobileNet V1 / V2: shapes, parameter counts (papers and GluonCV) and MACs (papers' tables)."""
import d2l_utils as d2l  # first: sets OpenMP threads before mxnet
import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon, nd

from d2l_utils.models.mobilenet_v1 import ReLU6, depthwise_separable, mobilenet_v1, mobilenet_v1_cifar
from d2l_utils.models.mobilenet_v2 import InvertedResidual, mobilenet_v2, mobilenet_v2_cifar
from d2l_utils.models.zoo import gluoncv_model

# Howard et al. 2017, Table 6 (width multiplier, 224x224) and Table 7 (resolution, alpha = 1)
PAPER_V1_WIDTH = {1.0: (569, 4.2), 0.75: (325, 2.6), 0.5: (149, 1.3), 0.25: (41, 0.5)}
PAPER_V1_RES = {224: 569, 192: 418, 160: 290, 128: 186}
SMALL = (1, 3, 32, 32)
GLUONCV_V1 = {1.0: "mobilenet1.0", 0.75: "mobilenet0.75", 0.5: "mobilenet0.5", 0.25: "mobilenet0.25"}


def all_params(net, shape):
    trainable, frozen = d2l.count_parameters(net, shape)
    return trainable, frozen


def weights_only(net, shape):
    """Conv and dense weights (and biases) without batch norm: what the papers count."""
    d2l.count_parameters(net, shape)
    return sum(p.data().size for name, p in net.collect_params().items()
               if "batchnorm" not in name)


@pytest.mark.parametrize("alpha", sorted(PAPER_V1_WIDTH))
def test_v1_imagenet_matches_paper_and_gluoncv(alpha):
    net = mobilenet_v1(alpha)
    ours = all_params(net, SMALL)  # global pooling: the parameters do not depend on the input size
    assert ours == all_params(gluoncv_model(GLUONCV_V1[alpha]), SMALL)
    macs, params = PAPER_V1_WIDTH[alpha]
    assert abs(d2l.total_macs(net, (1, 3, 224, 224)) / 1e6 - macs) < 1
    assert round(weights_only(net, SMALL) / 1e6, 1) == params


@pytest.mark.parametrize("rho", sorted(PAPER_V1_RES))
def test_v1_resolution_macs(rho):
    assert abs(d2l.total_macs(mobilenet_v1(1.0), (1, 3, rho, rho)) / 1e6 - PAPER_V1_RES[rho]) < 1


def test_v2_imagenet_matches_paper_and_gluoncv():
    net = mobilenet_v2()
    ours = all_params(net, SMALL)
    assert ours == all_params(gluoncv_model("mobilenetv2_1.0"), SMALL)
    assert ours == (3_503_872, 34_112)
    assert abs(d2l.total_macs(net, (1, 3, 224, 224)) / 1e6 - 300) < 1
    # the paper's "3.4M": 3.47M conv/dense weights without batch norm, truncated
    assert int(weights_only(net, SMALL) / 1e5) / 10 == 3.4


def test_cifar_shapes_and_counts():
    X = nd.zeros((2, 3, 32, 32))
    counts = {}
    for name, net in [("v1", mobilenet_v1_cifar()), ("v2", mobilenet_v2_cifar()),
                      ("v2_post", mobilenet_v2_cifar(relu6=False, shortcut="projection", expand_t1=True))]:
        net.initialize()
        assert net(X).shape == (2, 10)
        counts[name] = all_params(net, X.shape)[0]
    assert counts == {"v1": 2_142_026, "v2": 2_236_682, "v2_post": 2_296_922}


def test_separable_cost_ratio():
    """MACs measured on real Gluon layers: separable / standard = 1/N + 1/D_K^2."""
    M, N, DF = 64, 128, 16
    standard = gluon.nn.Conv2D(N, 3, padding=1, use_bias=False)
    separable = gluon.nn.HybridSequential()
    separable.add(gluon.nn.Conv2D(M, 3, padding=1, groups=M, use_bias=False),
                  gluon.nn.Conv2D(N, 1, use_bias=False))
    shape = (1, M, DF, DF)
    s, d = d2l.total_macs(standard, shape), d2l.total_macs(separable, shape)
    assert s == 9 * M * N * DF * DF and d == 9 * M * DF * DF + M * N * DF * DF
    assert np.isclose(d / s, 1 / N + 1 / 9)


def test_v1_block_macs_in_table():
    rows = d2l.layer_table(depthwise_separable(32, 64), (1, 32, 8, 8))
    convs = [r for r in rows if r["type"] == "Conv2D"]
    assert [r["params"] for r in convs] == [32 * 9, 32 * 64]
    assert [r["macs"] for r in convs] == [32 * 9 * 64, 32 * 64 * 64]


@pytest.mark.parametrize("c_in,c_out,stride,shortcut,kind", [
    (24, 24, 1, "identity", "identity"), (16, 24, 2, "identity", None), (16, 24, 1, "identity", None),
    (16, 24, 1, "projection", "projection"), (16, 24, 2, "projection", None),
    (24, 24, 1, "none", None)])
def test_inverted_residual_shortcut(c_in, c_out, stride, shortcut, kind):
    blk = InvertedResidual(c_in, c_out, 6, stride, shortcut=shortcut)
    blk.initialize(mx.init.Normal(0.1))
    x = nd.random.normal(shape=(2, c_in, 8, 8))
    assert blk(x).shape == (2, c_out, 8 // stride, 8 // stride)
    assert blk.use_identity == (kind == "identity")
    assert (blk.shortcut is not None) == (kind == "projection")
    last_bn = blk.body[-1][1]
    last_bn.gamma.set_data(nd.zeros_like(last_bn.gamma.data()))  # body now outputs 0
    out = blk(x)
    if kind == "identity":
        assert np.allclose(out.asnumpy(), x.asnumpy(), atol=1e-5)
    elif kind is None:
        assert np.allclose(out.asnumpy(), 0, atol=1e-5)


def test_expansion_conv_only_when_t_is_not_1():
    assert len(InvertedResidual(32, 16, 1, 1).body) == 2           # paper: no 1x1 expand at t=1
    assert len(InvertedResidual(32, 16, 1, 1, expand_t1=True).body) == 3  # the post's block
    assert len(InvertedResidual(32, 16, 6, 1).body) == 3


def test_relu6_and_linear_bottleneck():
    r6 = ReLU6()
    assert np.allclose(r6(nd.array([-3, 0.5, 7])).asnumpy(), [0, 0.5, 6])
    blk = InvertedResidual(8, 8, 6, 1)
    assert len(blk.body[-1]) == 2  # conv + BN, no activation: the linear bottleneck
    with pytest.raises(ValueError):
        InvertedResidual(8, 8, 6, 1, shortcut="dense")


@pytest.mark.parametrize("make,macs_stride1", [(mobilenet_v1_cifar, 29_282_304), (mobilenet_v2_cifar, 87_976_448)])
def test_stem_stride_2_quarters_the_macs_and_keeps_the_parameters(make, macs_stride1):
    """Chapter 05's quick mode: the ImageNet stem (stride 2) on 32x32 inputs."""
    full, quick = make(), make(stem_stride=2)
    assert d2l.total_macs(full, (1, 3, 32, 32)) == macs_stride1
    assert all_params(quick, SMALL) == all_params(full, SMALL)
    macs_quick = d2l.total_macs(quick, (1, 3, 32, 32))
    assert 3.8 < macs_stride1 / macs_quick < 4.1
    quick.initialize(force_reinit=True)
    assert quick(nd.zeros((2, 3, 32, 32))).shape == (2, 10)


def test_v2_totals_imply_no_expansion_at_t_1():
    """The paper is silent on the t = 1 block; only without an expansion conv is it 300M MACs."""
    with_t1 = d2l.total_macs(mobilenet_v2(expand_t1=True), (1, 3, 224, 224))
    assert abs(with_t1 / 1e6 - 313.6) < 0.1
    assert abs(d2l.total_macs(mobilenet_v2(), (1, 3, 224, 224)) / 1e6 - 300) < 1


def test_zero_init_residuals_starts_the_identity_blocks_as_the_identity():
    from d2l_utils.models.mobilenet_v2 import zero_init_residuals
    net = zero_init_residuals(mobilenet_v2_cifar(stem_stride=2))
    assert all_params(net, SMALL) == all_params(mobilenet_v2_cifar(), SMALL)   # same network
    blocks = [b for b in net if isinstance(b, InvertedResidual)]
    for b in blocks:
        gamma = b.body[-1][1].gamma.data().asnumpy()
        assert (gamma == 0).all() if b.use_identity else (gamma == 1).all()
    first_identity = next(b for b in blocks if b.use_identity)      # 24 -> 24 channels, t = 6
    x = nd.random.normal(shape=(2, 24, 16, 16))
    assert np.allclose(first_identity(x).asnumpy(), x.asnumpy(), atol=1e-6)
