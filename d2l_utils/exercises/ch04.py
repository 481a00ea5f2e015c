"""Checks for the exercises of chapter 04 (DenseNet). Reference solutions: _solutions/ch04.py."""
from . import as_count, as_int, exercise, only_checks


def _reference_dense_channels(num_init_features, growth_rate, block_config):
    channels, out = num_init_features, []
    for i, n in enumerate(block_config):
        channels += n * growth_rate
        out.append(channels)
        if i != len(block_config) - 1:
            channels //= 2
            out.append(channels)
    return out


CONFIGS = [(64, 32, (4, 4, 4, 4)), (64, 32, (6, 12, 24, 16)), (96, 48, (6, 12, 36, 24)), (16, 12, (3, 3, 3))]


@exercise("Exercise 4.1 · Channel bookkeeping")
def check_dense_channels(dense_channels):
    for cfg in CONFIGS:
        got = [as_int(c, f"dense_channels{cfg}'s items") for c in dense_channels(*cfg)]
        want = _reference_dense_channels(*cfg)
        assert got == want, f"for {cfg} expected {want}, got {got}"


@exercise("Exercise 4.2 · Parameters of a convolution block")
def check_conv_block_params(conv_block_params):
    for c_in, k in ((64, 32), (160, 32), (3, 10), (1, 1)):
        want = 2 * c_in + 9 * c_in * k + k
        got = as_int(conv_block_params(c_in, k), f"conv_block_params({c_in}, {k})")
        assert got == want, f"conv_block_params({c_in}, {k}) should be {want:,}, got {got}"


@exercise("Exercise 4.3 · DenseNet-169")
def check_densenet169(answer):
    n = as_count(answer)
    assert n != 7_978_856, "that is DenseNet-121: the blocks of DenseNet-169 are (6, 12, 32, 32)"
    assert n == 14_149_480, f"{n:,} is not DenseNet-169's trainable parameter count"


__dir__ = only_checks(globals())
