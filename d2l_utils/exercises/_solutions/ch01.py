"""Reference solutions of chapter 01's exercises."""
import numpy as np

from ...accounting import conv_macs


def my_conv_macs(c_in, c_out, k, h, w):
    return k * k * c_in * c_out * h * w


def largest_r():
    r = 1
    while conv_macs(192, r + 1, (1, 1), (28, 28)) + conv_macs(r + 1, 32, (5, 5), (28, 28)) <= \
            conv_macs(192, 32, (5, 5), (28, 28)) / 5:
        r += 1
    return r


def conv1x1_numpy(X, W, b):
    return np.einsum("oc,bchw->bohw", W, X) + b[None, :, None, None]


SOLUTIONS = {
    "check_conv_macs": my_conv_macs,
    "check_bottleneck_channels": largest_r(),
    "check_conv1x1": conv1x1_numpy,
}
WRONG = {
    "check_conv_macs": lambda c_in, c_out, k, h, w: k * c_in * c_out * h * w,
    "check_bottleneck_channels": largest_r() + 1,
    "check_conv1x1": lambda X, W, b: np.einsum("oc,bchw->bohw", W, X),
}
