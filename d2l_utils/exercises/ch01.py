"""Checks for chapter 01 (1x1 convolutions and NiN). Reference solutions: _solutions/ch01.py."""
import numpy as np

from . import as_int, exercise, only_checks
from ..accounting import conv_macs


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


__dir__ = only_checks(globals())
