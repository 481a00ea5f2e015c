"""Checks for chapter 00 (getting started). Reference solutions: _solutions/ch00.py."""
from . import as_count, as_int, exercise, only_checks, say

_TINY_CNN_PARAMS = (9 * 1 * 16 + 16) + (9 * 16 * 32 + 32) + (32 * 7 * 7 * 10 + 10)


@exercise("Exercise 0.1 · Count the parameters", expects="a whole number",
          title_zh="练习 0.1 · 数一数参数量", expects_zh="一个整数")
def check_tiny_cnn_params(count):
    count = as_count(count)
    assert count == _TINY_CNN_PARAMS, say(
        f"{count:,} is too {'low' if count < _TINY_CNN_PARAMS else 'high'}. Count layer by layer: "
        "a 3x3 conv from C_in to C_out has 9*C_in*C_out weights plus C_out biases; the dense layer "
        "sees 32 channels of 7x7 after two 2x2 poolings, and has biases too. Pooling has no parameters.",
        f"{count:,} 太{'少' if count < _TINY_CNN_PARAMS else '多'}了。请逐层来数："
        "一个从 C_in 个通道到 C_out 个通道的 3x3 卷积层有 9*C_in*C_out 个权重，外加 C_out 个偏置；"
        "经过两次 2x2 汇聚之后，全连接层的输入是 32 个 7x7 的通道，它也有偏置。汇聚层没有参数。")


@exercise("Exercise 0.2 · Output size of a convolution", expects="a function (n, k, padding, stride) -> int",
          title_zh="练习 0.2 · 卷积的输出大小", expects_zh="一个函数 (n, k, padding, stride) -> int")
def check_conv_output_size(fn):
    for n, k, p, s in [(28, 3, 1, 1), (28, 5, 0, 1), (224, 7, 3, 2), (32, 3, 1, 2), (7, 7, 0, 1)]:
        want = (n + 2 * p - k) // s + 1
        got = as_int(fn(n, k, p, s), f"conv_output_size({n}, {k}, {p}, {s})")
        assert got == want, say(f"n={n}, k={k}, padding={p}, stride={s}: you give {got}, expected {want}.",
                                f"n={n}, k={k}, padding={p}, stride={s}：你给出的是 {got}，应为 {want}。")


__dir__ = only_checks(globals())
