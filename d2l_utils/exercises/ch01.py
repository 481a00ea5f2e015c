"""Checks for chapter 01 (1x1 convolutions and NiN). Reference solutions: _solutions/ch01.py."""
import numpy as np

from . import as_int, exercise, only_checks
from ._experiments import convs, leaves, own_accuracy, read_experiment, report
from ..accounting import conv_macs, count_parameters


@exercise("Exercise 1.1 · MACs of a convolution")
def check_conv_macs(my_conv_macs):
    cases = [(192, 32, 5, 28, 28), (192, 16, 1, 28, 28), (3, 64, 7, 112, 112), (1, 1, 1, 1, 1)]
    for c_in, c_out, k, h, w in cases:
        got = as_int(my_conv_macs(c_in, c_out, k, h, w), f"my_conv_macs({c_in}, {c_out}, {k}, {h}, {w})")
        want = conv_macs(c_in, c_out, (k, k), (h, w))
        assert got == want, f"for c_in={c_in}, c_out={c_out}, k={k}, out {h}x{w} you give {got}, expected {want}."


@exercise("Exercise 1.2 · Choose the bottleneck")
def check_bottleneck_channels(r):
    direct = conv_macs(192, 32, (5, 5), (28, 28))

    def cost(c):
        return conv_macs(192, c, (1, 1), (28, 28)) + conv_macs(c, 32, (5, 5), (28, 28))
    r = as_int(r, "r")
    assert r > 0, "r must be a positive whole number of channels."
    assert cost(r) <= direct / 5, f"with r={r} the bottleneck costs {cost(r):,} MACs, more than a fifth ({direct / 5:,.0f})."
    assert cost(r + 1) > direct / 5, f"r={r} fits, but a larger r fits too."


@exercise("Exercise 1.3 · A 1x1 convolution as matrix product")
def check_conv1x1(conv1x1_numpy):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 5, 4, 3))
    W = rng.normal(size=(7, 5))
    b = rng.normal(size=7)
    want = np.einsum("oc,bchw->bohw", W, X) + b[None, :, None, None]
    got = np.asarray(conv1x1_numpy(X, W, b))
    assert got.shape == want.shape, f"output shape {got.shape}, expected {want.shape} (B, C_out, H, W)."
    assert np.allclose(got, want), "shape is right but the values are not: check which axis you sum over."


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
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter, still_trains=True or False)")
def check_nin_without_batchnorm(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "still_trains"))
    net = run["net"]
    assert not _batchnorms(net), f"your net still has {len(_batchnorms(net))} BatchNorm layers: remove them all."
    assert convs(net) == _NIN_CONVS, (f"your convolutions (kernel, channels) are {convs(net)}; keep the "
                                      f"chapter's ones {_NIN_CONVS} and only drop the batch normalisation.")
    acc = own_accuracy(run)
    trains = acc >= 0.5   # five times chance (0.1): it learned
    assert isinstance(run["still_trains"], bool), "still_trains should be True or False."
    assert run["still_trains"] == trains, (
        f"your run says otherwise: it reached {acc:.3f} test accuracy (chance is 0.1)." if trains else
        f"your run reached only {acc:.3f} (chance is 0.1): is that training?")
    report("your NiN without BatchNorm", acc, count_parameters(net)[0], run["baseline"]["test_acc"][-1],
           _chapter_parameters(), len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


@exercise("Exercise 1.5 · One 1x1 convolution per block instead of two",
          expects="dict(net=..., history=..., baseline=history, test_iter=test_iter, one_is_enough=True or False)")
def check_one_1x1_per_block(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "one_is_enough"))
    net = run["net"]
    assert convs(net) == _ONE_1X1_CONVS, (
        f"your convolutions (kernel, channels) are {convs(net)}; expected each NiN block to keep its k×k conv "
        "and ONE 1×1 conv, and the rest of the chapter's net unchanged.")
    assert len(_batchnorms(net)) == 4, (f"your net has {len(_batchnorms(net))} BatchNorm layers; keep one after "
                                        "each convolution of the two NiN blocks (4), as in the chapter.")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    close = abs(acc - baseline) <= 0.01
    assert isinstance(run["one_is_enough"], bool), "one_is_enough should be True or False."
    assert run["one_is_enough"] == close, (
        f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: "
        + ("within a point, so one is enough here." if close else "more than a point apart."))
    report("your NiN, one 1×1 per block", acc, count_parameters(net)[0], baseline, _chapter_parameters(),
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


__dir__ = only_checks(globals())
