"""Checks for the exercises of chapter 02 (Inception / GoogLeNet)."""
import math

from . import exercise

# (in_channels, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) -> parameters with biases
_MODULES = {(192, 64, 96, 128, 16, 32, 32): 163_696,        # 3a
            (832, 384, 192, 384, 48, 128, 128): 1_444_080,  # 5b
            (10, 4, 3, 5, 2, 7, 6): 662}                    # a toy module


def inception_params_reference(in_ch, c1, c3r, c3, c5r, c5, pool_proj):
    """Weights + biases of a paper-style Inception module (5x5 kernels in branch 3)."""
    return (in_ch * c1 + c1                           # 1x1
            + in_ch * c3r + c3r + c3r * c3 * 9 + c3   # 1x1 reduce -> 3x3
            + in_ch * c5r + c5r + c5r * c5 * 25 + c5  # 1x1 reduce -> 5x5
            + in_ch * pool_proj + pool_proj)          # max-pool -> 1x1


@exercise("Exercise 2.1 · parameters of an Inception module")
def check_inception_params(fn):
    for args, expected in _MODULES.items():
        got = fn(*args)
        assert got == expected, (f"inception_params{args} returned {got}, expected {expected}. "
                                 "Count weights (in x out x k x k) and one bias per output channel.")


def bottleneck_macs_reference(in_ch, reduce_ch, out_ch, k, size):
    """(MACs of a direct k x k conv in_ch -> out_ch, MACs of 1x1 in_ch -> reduce_ch then
    k x k reduce_ch -> out_ch), both at size x size output ('same' padding)."""
    direct = out_ch * size * size * in_ch * k * k
    bottleneck = reduce_ch * size * size * in_ch + out_ch * size * size * reduce_ch * k * k
    return direct, bottleneck


@exercise("Exercise 2.2 · the 1x1 bottleneck's MAC saving")
def check_bottleneck_macs(fn):
    cases = {(192, 16, 32, 5, 28): (120_422_400, 12_443_648),   # Inception 3a's 5x5 branch
             (10, 16, 24, 5, 12): (864_000, 1_405_440),         # the MNIST post's first module
             (480, 16, 48, 5, 14): (112_896_000, 5_268_480)}    # 4a
    for args, expected in cases.items():
        got = tuple(int(v) for v in fn(*args))
        assert got == expected, f"bottleneck_macs{args} returned {got}, expected {expected}."


def double_softmax_loss_range_reference(num_classes):
    """Smallest and largest cross-entropy when the net already applied a softmax: the
    'logits' p lie in [0, 1] and sum to 1, so the loss is -log(e^p_y / sum_j e^p_j):
    smallest for p = one-hot(y), largest for p = one-hot(another class)."""
    k = num_classes
    return math.log(1 + (k - 1) * math.exp(-1)), math.log(k - 1 + math.exp(1))


@exercise("Exercise 2.3 · the loss range of softmax-then-cross-entropy")
def check_double_softmax_loss_range(fn):
    for k in (2, 10, 1000):
        lo, hi = (float(v) for v in fn(k))
        ref_lo, ref_hi = double_softmax_loss_range_reference(k)
        assert math.isclose(lo, ref_lo, rel_tol=1e-6) and math.isclose(hi, ref_hi, rel_tol=1e-6), (
            f"for {k} classes you gave ({lo:.4f}, {hi:.4f}); the loss is smallest when p_y = 1 and "
            "every other p_j = 0, largest when p_y = 0 and one other p_j = 1.")


SOLUTIONS = {"check_inception_params": inception_params_reference,
             "check_bottleneck_macs": bottleneck_macs_reference,
             "check_double_softmax_loss_range": double_softmax_loss_range_reference}
