"""Exercises of chapter 05 (MobileNet V1 / V2): cost of separable convolutions, the
parameters of an inverted residual block, and choosing (alpha, rho) under a MAC budget."""
import functools

from . import as_int, exercise, only_checks


def _conv_macs(in_ch, out_ch, k, size, groups=1):
    from ..accounting import conv_macs
    return conv_macs(in_ch, out_ch, (k, k), (size, size), groups)


SEPARABLE_CASES = [(3, 32, 64, 112), (3, 512, 512, 14), (5, 96, 24, 56), (3, 3, 8, 7)]


@exercise("Exercise 5.1 · cost of a depthwise separable convolution")
def check_separable_cost(separable_cost):
    for dk, m, n, df in SEPARABLE_CASES:
        got = separable_cost(dk, m, n, df)
        assert isinstance(got, (tuple, list)) and len(got) == 2, \
            f"return a pair (standard MACs, depthwise separable MACs), not {got!r}"
        got = [as_int(v, f"separable_cost({dk}, {m}, {n}, {df})'s items") for v in got]
        standard = _conv_macs(m, n, dk, df)
        separable = _conv_macs(m, m, dk, df, groups=m) + _conv_macs(m, n, 1, df)
        assert got[0] == standard, f"D_K={dk}, M={m}, N={n}, D_F={df}: standard cost should be {standard:,}, got {got[0]:,}"
        assert got[1] == separable, (f"D_K={dk}, M={m}, N={n}, D_F={df}: separable cost should be "
                                     f"{separable:,}, got {got[1]:,} (depthwise + pointwise)")


BLOCK_CASES = [(32, 16, 1, 1, "identity"), (16, 24, 6, 2, "identity"), (24, 24, 6, 1, "identity"),
               (64, 96, 6, 1, "identity"), (64, 96, 6, 1, "projection"), (160, 320, 6, 1, "projection")]


@functools.lru_cache(maxsize=None)
def _block_params(c_in, c_out, t, stride, shortcut):
    import mxnet as mx
    from ..accounting import count_parameters
    from ..models.mobilenet_v2 import InvertedResidual
    blk = InvertedResidual(c_in, c_out, t, stride, shortcut=shortcut)
    blk.initialize(ctx=mx.cpu())
    return count_parameters(blk, (1, c_in, 8, 8))[0]


@exercise("Exercise 5.2 · parameters of an inverted residual block")
def check_block_params(block_params):
    for case in BLOCK_CASES:
        want = _block_params(*case)
        got = as_int(block_params(*case), f"block_params{case}")
        assert got == want, (f"block_params{case} should be {want:,} trainable parameters, got {got}. "
                             "Count conv weights (no bias) and batch-norm gamma and beta.")


ALPHAS = (1.0, 0.75, 0.5, 0.25)
RESOLUTIONS = (224, 192, 160, 128)


@functools.lru_cache(maxsize=None)
def mac_grid():
    """{(alpha, rho): MACs} of the ImageNet MobileNet V1, measured with d2l.total_macs."""
    from ..accounting import total_macs
    from ..models.mobilenet_v1 import mobilenet_v1
    return {(a, r): total_macs(mobilenet_v1(a), (1, 3, r, r)) for a in ALPHAS for r in RESOLUTIONS}


@exercise("Exercise 5.3 · the largest MobileNet V1 under 200 million MACs")
def check_budget_choice(choice):
    """``choice``: (alpha, rho), or a function returning it."""
    choice = tuple(choice() if callable(choice) else choice)
    grid = mac_grid()
    assert choice in grid, f"choose alpha from {ALPHAS} and rho from {RESOLUTIONS}, e.g. (0.5, 160)"
    fits = {k: v for k, v in grid.items() if v <= 200e6}
    best = max(fits, key=fits.get)
    assert grid[choice] <= 200e6, f"{choice} needs {grid[choice] / 1e6:.0f}M MACs: over the budget"
    assert choice == best, (f"{choice} fits ({grid[choice] / 1e6:.0f}M MACs) but another configuration "
                            "uses more of the budget")


__dir__ = only_checks(globals())
