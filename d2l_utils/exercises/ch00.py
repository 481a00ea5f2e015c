"""Checks for chapter 00 (getting started)."""
from . import exercise

TINY_CNN_PARAMS = (9 * 1 * 16 + 16) + (9 * 16 * 32 + 32) + (32 * 7 * 7 * 10 + 10)


@exercise("Exercise 0.1 · Count the parameters")
def check_tiny_cnn_params(count):
    assert count == TINY_CNN_PARAMS, (
        f"{count:,} is off by {count - TINY_CNN_PARAMS:+,}. Remember the biases, and that the dense "
        "layer sees 32 channels of 7x7 after two 2x2 poolings.")


@exercise("Exercise 0.2 · Output size of a convolution")
def check_conv_output_size(fn):
    for n, k, p, s in [(28, 3, 1, 1), (28, 5, 0, 1), (224, 7, 3, 2), (32, 3, 1, 2), (7, 7, 0, 1)]:
        want = (n + 2 * p - k) // s + 1
        got = fn(n, k, p, s)
        assert got == want, f"n={n}, k={k}, padding={p}, stride={s}: you give {got}, expected {want}."


SOLUTIONS = {"check_tiny_cnn_params": TINY_CNN_PARAMS,
             "check_conv_output_size": lambda n, k, p, s: (n + 2 * p - k) // s + 1}
WRONG = {"check_tiny_cnn_params": TINY_CNN_PARAMS - 10,
         "check_conv_output_size": lambda n, k, p, s: (n + p - k) // s + 1}
