"""Reference solutions of chapter 02's exercises."""
from ..ch02 import _double_softmax_loss_range as double_softmax_loss_range_reference  # the check's own formula


def inception_params_reference(in_ch, c1, c3r, c3, c5r, c5, pool_proj):
    """Weights + biases of a paper-style Inception module (5x5 kernels in branch 3)."""
    return (in_ch * c1 + c1                           # 1x1
            + in_ch * c3r + c3r + c3r * c3 * 9 + c3   # 1x1 reduce -> 3x3
            + in_ch * c5r + c5r + c5r * c5 * 25 + c5  # 1x1 reduce -> 5x5
            + in_ch * pool_proj + pool_proj)          # max-pool -> 1x1


def bottleneck_macs_reference(in_ch, reduce_ch, out_ch, k, size):
    """(MACs of a direct k x k conv in_ch -> out_ch, MACs of 1x1 in_ch -> reduce_ch then
    k x k reduce_ch -> out_ch), both at size x size output ('same' padding)."""
    direct = out_ch * size * size * in_ch * k * k
    bottleneck = reduce_ch * size * size * in_ch + out_ch * size * size * reduce_ch * k * k
    return direct, bottleneck


SOLUTIONS = {"check_inception_params": inception_params_reference,
             "check_bottleneck_macs": bottleneck_macs_reference,
             "check_double_softmax_loss_range": double_softmax_loss_range_reference}
