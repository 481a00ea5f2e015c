"""Chapter 02: the MNIST post's GoogLeNet and Inception v1 (parameter counts, shapes, variants)."""
import os
import tempfile

import numpy as np
import pytest
import mxnet as mx
from mxnet import nd

import d2l_utils as d2l
from d2l_utils.exercises._solutions.ch02 import inception_params_reference
from d2l_utils.models.googlenet_lite import InceptionLite, googlenet_lite
from d2l_utils.models.inception_v1 import TABLE1, Inception, inception_v1
from d2l_utils.models.zoo import gluoncv_model


def n_params(net):
    return sum(p.data().size for p in net.collect_params().values())


def lite_module_params(c, shared):
    """By hand: pool proj 24C+24, 1x1 16C+16 (x3 when separate), 5x5 16*24*25+24,
    3x3 16*24*9+24, 3x3 24*24*9+24."""
    ones = (1 if shared else 3) * (16 * c + 16)
    return 24 * c + 24 + ones + 9_624 + 3_480 + 5_208


@pytest.mark.parametrize("shared", [False, True])
def test_googlenet_lite_counts_and_shape(shared):
    net = googlenet_lite(shared_1x1=shared)
    net.initialize()
    assert net(nd.zeros((3, 1, 28, 28))).shape == (3, 10)
    by_hand = 260 + lite_module_params(10, shared) + 44_020 + lite_module_params(20, shared) + 14_090
    assert n_params(net) == by_hand == (96_274 if shared else 97_298)
    rows = d2l.layer_table(net, (1, 1, 28, 28), depth=1)
    assert [r["output_shape"] for r in rows] == [(10, 24, 24), (10, 12, 12), (10, 12, 12), (88, 12, 12),
                                                (20, 8, 8), (20, 4, 4), (20, 4, 4), (88, 4, 4), (10,)]


def test_shared_1x1_feeds_branch2_into_branches_3_and_4():
    block = InceptionLite(shared_1x1=True)
    block.initialize(mx.init.Xavier())
    x = nd.random.normal(shape=(2, 20, 6, 6))
    out = block(x)
    assert out.shape == (2, 88, 6, 6)
    branch2 = out[:, 24:40]
    assert np.allclose(block.b5x5(branch2).asnumpy(), out[:, 40:64].asnumpy(), atol=1e-5)
    assert np.allclose(block.b3x3_2(block.b3x3_1(branch2)).asnumpy(), out[:, 64:].asnumpy(), atol=1e-5)
    separate = InceptionLite(shared_1x1=False)
    separate.initialize(mx.init.Xavier())
    out = separate(x)
    assert not np.allclose(separate.b5x5(out[:, 24:40]).asnumpy(), out[:, 40:64].asnumpy(), atol=1e-3)


def test_inception_modules_match_table1_by_hand():
    net = inception_v1()
    net.initialize()
    rows = d2l.layer_table(net, (1, 3, 224, 224), depth=2)
    by_name = {r["name"]: r for r in rows}
    in_ch, out = 192, {}
    for name, stage_idx in zip(TABLE1, ["stage1.5", "stage1.6", "stage1.8", "stage2.0", "stage2.1",
                                        "stage2.2", "stage3.0", "stage3.2", "stage3.3"]):
        c1, c3r, c3, c5r, c5, pp = TABLE1[name]
        assert by_name[stage_idx]["params"] == inception_params_reference(in_ch, *TABLE1[name]), name
        in_ch = c1 + c3 + c5 + pp
        out[name] = by_name[stage_idx]["output_shape"]
    assert out["3a"] == (256, 28, 28) and out["3b"] == (480, 28, 28) and out["4a"] == (512, 14, 14)
    assert out["4d"] == (528, 14, 14) and out["4e"] == (832, 14, 14) and out["5b"] == (1024, 7, 7)


def test_inception_v1_total_and_macs():
    net = inception_v1()
    net.initialize()
    assert net(nd.zeros((2, 3, 224, 224))).shape == (2, 1000)
    inception = sum(inception_params_reference(i, *TABLE1[k]) for i, k in zip(
        [192, 256, 480, 512, 512, 512, 528, 832, 832], TABLE1))
    stem = (3 * 49 * 64 + 64) + (64 * 64 + 64) + (64 * 9 * 192 + 192)
    assert n_params(net) == stem + inception + 1024 * 1000 + 1000 == 6_998_552
    rows = d2l.layer_table(net, (1, 3, 224, 224))
    branch3 = [r for r in rows if r["name"].startswith("stage1.5.b3")]  # 3a's 1x1 -> 5x5 branch
    assert sum(r["macs"] for r in branch3) == 12_443_648
    assert sum(r["macs"] for r in rows) == 1_582_671_872   # paper: "1.5 billion multiply-adds"


def test_gluoncv_googlenet_is_the_bn_3x3_variant():
    ref = gluoncv_model("googlenet")
    ref.initialize()
    ref_counts = d2l.count_parameters(ref, (1, 3, 224, 224))
    ours = inception_v1(branch3_kernel=3, batch_norm=True)
    ours.initialize()
    assert d2l.count_parameters(ours, (1, 3, 224, 224)) == ref_counts == (6_624_904, 14_560)


def test_aux_logits_train_then_discard():
    train_net = inception_v1(num_classes=5, aux_logits=True)
    train_net.initialize(mx.init.Xavier())
    x = nd.random.uniform(shape=(2, 3, 224, 224))
    main, aux1, aux2 = train_net(x)
    assert main.shape == aux1.shape == aux2.shape == (2, 5)
    assert n_params(train_net) - 6_998_552 + 1000 * 1024 + 1000 - 5 * 1024 - 5 == (
        (512 * 128 + 128) + (528 * 128 + 128) + 2 * (2048 * 1024 + 1024 + 1024 * 5 + 5))
    deploy = inception_v1(num_classes=5)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "w.params")
        train_net.save_parameters(path)
        deploy.load_parameters(path, ignore_extra=True)
    assert np.allclose(deploy(x).asnumpy(), main.asnumpy(), atol=1e-5)


def test_hybridized_aux_net_returns_tuple():
    net = inception_v1(num_classes=3, aux_logits=True)
    net.initialize()
    net.hybridize()
    outs = net(nd.zeros((1, 3, 224, 224)))
    assert len(outs) == 3 and all(o.shape == (1, 3) for o in outs)


def test_branch3_kernel_changes_only_the_5x5_convs():
    a, b = inception_v1(), inception_v1(branch3_kernel=3)
    for net in (a, b):
        net.initialize()
        net(nd.zeros((1, 3, 224, 224)))
    diff = sum(c5r * c5 * (25 - 9) for (_, _, _, c5r, c5, _) in TABLE1.values())
    assert n_params(a) - n_params(b) == diff
    block = Inception(*TABLE1["3a"], branch3_kernel=3)
    block.initialize()
    assert block(nd.zeros((1, 192, 28, 28))).shape == (1, 256, 28, 28)


def test_naive_module_passes_the_input_through_and_costs_more():
    from d2l_utils.models.inception_v1 import naive_inception
    block = naive_inception("3a")
    block.initialize()
    x = nd.random.uniform(shape=(1, 192, 28, 28))
    out = block(x)
    assert out.shape == (1, 64 + 128 + 32 + 192, 28, 28)          # Fig. 2a: the pool keeps all 192
    by_hand = 28 * 28 * 192 * (64 * 1 + 128 * 9 + 32 * 25)
    assert d2l.total_macs(block, (1, 192, 28, 28)) == by_hand == 303_464_448
    reduced = d2l.total_macs(Inception(*TABLE1["3a"]), (1, 192, 28, 28))
    assert reduced == 128_049_152 and by_hand > 2 * reduced


def test_lite_module_average_pool_counts_the_padding():
    """The module's AvgPool2D block is PyTorch's AvgPool2d(3, 1, 1) (count_include_pad=True)."""
    block = InceptionLite()
    block.initialize()
    x = nd.random.uniform(shape=(1, 3, 5, 5))
    ref = nd.Pooling(x, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type="avg", count_include_pad=True)
    assert np.allclose(block.pool(x).asnumpy(), ref.asnumpy(), atol=1e-6)
    assert np.isclose(block.pool(nd.ones((1, 1, 3, 3)))[0, 0, 0, 0].asscalar(), 4 / 9)


def test_figures_read_the_shared_1x1_off_the_module():
    from d2l_utils.figures.ch02 import lecture_module_branches
    shared, separate = InceptionLite(shared_1x1=True), InceptionLite(shared_1x1=False)
    firsts = [chain[0] for chain in lecture_module_branches(shared)[1:]]
    assert firsts[0] is firsts[1] is firsts[2] is shared.b1x1
    assert len({id(chain[0]) for chain in lecture_module_branches(separate)[1:]}) == 3
