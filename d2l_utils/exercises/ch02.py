"""Checks for the exercises of chapter 02 (Inception / GoogLeNet). Reference solutions: _solutions/ch02.py."""
import math

from . import as_int, exercise, only_checks

# (in_channels, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) -> parameters with biases
_MODULES = {(192, 64, 96, 128, 16, 32, 32): 163_696,        # 3a
            (832, 384, 192, 384, 48, 128, 128): 1_444_080,  # 5b
            (10, 4, 3, 5, 2, 7, 6): 662}                    # a toy module


@exercise("Exercise 2.1 · parameters of an Inception module")
def check_inception_params(fn):
    for args, expected in _MODULES.items():
        got = as_int(fn(*args), f"inception_params{args}")
        assert got == expected, (f"inception_params{args} returned {got}, expected {expected}. "
                                 "Count weights (in x out x k x k) and one bias per output channel.")


@exercise("Exercise 2.2 · the 1x1 bottleneck's MAC saving")
def check_bottleneck_macs(fn):
    cases = {(192, 16, 32, 5, 28): (120_422_400, 12_443_648),   # Inception 3a's 5x5 branch
             (10, 16, 24, 5, 12): (864_000, 1_405_440),         # the MNIST post's first module
             (480, 16, 48, 5, 14): (112_896_000, 5_268_480)}    # 4a
    for args, expected in cases.items():
        got = tuple(as_int(v, f"bottleneck_macs{args}'s items") for v in fn(*args))
        assert got == expected, f"bottleneck_macs{args} returned {got}, expected {expected}."


def _double_softmax_loss_range(num_classes):
    """Smallest and largest cross-entropy when the net already applied a softmax: the
    'logits' p lie in [0, 1] and sum to 1, so the loss is -log(e^p_y / sum_j e^p_j):
    smallest for p = one-hot(y), largest for p = one-hot(another class)."""
    k = num_classes
    return math.log(1 + (k - 1) * math.exp(-1)), math.log(k - 1 + math.exp(1))


@exercise("Exercise 2.3 · the loss range of softmax-then-cross-entropy")
def check_double_softmax_loss_range(fn):
    for k in (2, 10, 1000):
        lo, hi = (float(v) for v in fn(k))
        ref_lo, ref_hi = _double_softmax_loss_range(k)
        assert math.isclose(lo, ref_lo, rel_tol=1e-6) and math.isclose(hi, ref_hi, rel_tol=1e-6), (
            f"for {k} classes you gave ({lo:.4f}, {hi:.4f}); the loss is smallest when p_y = 1 and "
            "every other p_j = 0, largest when p_y = 0 and one other p_j = 1.")


__dir__ = only_checks(globals())
