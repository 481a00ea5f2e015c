"""Checks for chapter 01 (1x1 convolutions and NiN)."""
import numpy as np

from . import exercise
from ..accounting import conv_macs


@exercise("Exercise 1.1 · MACs of a convolution")
def check_conv_macs(my_conv_macs):
    cases = [(192, 32, 5, 28, 28), (192, 16, 1, 28, 28), (3, 64, 7, 112, 112), (1, 1, 1, 1, 1)]
    for c_in, c_out, k, h, w in cases:
        got = my_conv_macs(c_in, c_out, k, h, w)
        want = conv_macs(c_in, c_out, (k, k), (h, w))
        assert got == want, f"for c_in={c_in}, c_out={c_out}, k={k}, out {h}x{w} you give {got}, expected {want}."


@exercise("Exercise 1.2 · Choose the bottleneck")
def check_bottleneck_channels(r):
    direct = conv_macs(192, 32, (5, 5), (28, 28))

    def cost(c):
        return conv_macs(192, c, (1, 1), (28, 28)) + conv_macs(c, 32, (5, 5), (28, 28))
    assert isinstance(r, (int, np.integer)) and r > 0, "r must be a positive whole number of channels."
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


def _largest_r():
    r = 1
    while conv_macs(192, r + 1, (1, 1), (28, 28)) + conv_macs(r + 1, 32, (5, 5), (28, 28)) <= \
            conv_macs(192, 32, (5, 5), (28, 28)) / 5:
        r += 1
    return r


SOLUTIONS = {
    "check_conv_macs": lambda c_in, c_out, k, h, w: k * k * c_in * c_out * h * w,
    "check_bottleneck_channels": _largest_r(),
    "check_conv1x1": lambda X, W, b: np.einsum("oc,bchw->bohw", W, X) + b[None, :, None, None],
}
WRONG = {
    "check_conv_macs": lambda c_in, c_out, k, h, w: k * c_in * c_out * h * w,
    "check_bottleneck_channels": _largest_r() + 1,
    "check_conv1x1": lambda X, W, b: np.einsum("oc,bchw->bohw", W, X),
}
