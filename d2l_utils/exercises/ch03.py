"""Checks for the exercises of chapter 03 (ResNet). Reference solutions: _solutions/ch03.py."""
import numpy as np

from . import as_count, as_int, exercise, only_checks, parameter_names


def _side(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def _reference_stage_shapes(size):
    n = _side(_side(size, 7, 2, 3), 3, 2, 1)  # stem conv 7x7/2, max-pool 3x3/2
    shapes = [(64, n, n)]
    for c in (128, 256, 512):
        n = _side(n, 3, 2, 1)                 # first 3x3 conv of the stage, stride 2
        shapes.append((c, n, n))
    return shapes


@exercise("Exercise 3.1 · Stage sizes")
def check_stage_shapes(stage_shapes):
    for size in (96, 224, 28, 33):
        got = stage_shapes(size)
        want = _reference_stage_shapes(size)
        got = [tuple(as_int(v, f"stage_shapes({size})'s sizes") for v in s) for s in got]
        assert got == want, f"for a {size}x{size} input expected {want}, got {got}"


@exercise("Exercise 3.2 · Fix the post's block")
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
    assert y.shape == x.shape, f"the block must keep the shape {x.shape}, got {y.shape}"
    total.backward()
    params = parameter_names(blk)  # 'conv1.weight', as the student named the layers
    trainable = {n: p for n, p in params.items() if p.grad_req != "null"}
    frozen = [n for n, p in params.items() if p.grad_req == "null"
              and not n.endswith(("running_mean", "running_var"))]
    assert not frozen, f"frozen (dead?) parameters: {frozen}"
    batch_norms = (gluon.nn.BatchNorm, gluon.nn.BatchNormReLU)  # the second fuses the ReLU after it
    n_bn = sum(isinstance(b, batch_norms) for b in _leaves(blk))
    n_conv = sum(isinstance(b, gluon.nn.Conv2D) for b in _leaves(blk))
    assert n_conv == 2 and n_bn == 2, f"expected 2 Conv2D and 2 BatchNorm layers, found {n_conv} and {n_bn}"
    count = sum(int(np.prod(p.shape)) for p in trainable.values())
    want = 2 * (channels * channels * 9 + channels) + 2 * 2 * channels
    assert count == want, f"expected {want} trainable parameters for {channels} channels, got {count}"
    dead = [n for n, p in trainable.items() if float(p.grad().abs().sum().asscalar()) == 0]
    assert not dead, f"these parameters got no gradient (unused in the forward?): {dead}"
    # two different BatchNorms: their running means must have been updated differently
    bns = [b for b in _leaves(blk) if isinstance(b, batch_norms)]
    assert not np.allclose(bns[0].running_mean.data().asnumpy(), bns[1].running_mean.data().asnumpy()), \
        "both BatchNorms saw the same statistics: is one BatchNorm used twice?"


def _leaves(block):
    if not block._children:
        return [block]
    return [leaf for child in block._children.values() for leaf in _leaves(child)]


@exercise("Exercise 3.3 · ResNet-34")
def check_resnet34(answer):
    n = as_count(answer)
    assert n != 11_689_512, "that is ResNet-18: use layers=(3, 4, 6, 3)"
    assert n == 21_797_672, (f"{n:,} is not the ImageNet ResNet-34 count (convs without "
                                  "bias, BN on the projection, 3 input channels, 1000 classes)")


__dir__ = only_checks(globals())
