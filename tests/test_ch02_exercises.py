"""The chapter 02 checks accept the reference solutions and reject plausible wrong answers."""
import math

from d2l_utils.exercises import ch02
from d2l_utils.exercises._solutions import ch02 as solutions
from d2l_utils.models.inception_v1 import TABLE1, Inception


def test_inception_params_reference_matches_the_block():
    import mxnet as mx
    block = Inception(*TABLE1["4e"])
    block.initialize()
    block(mx.nd.zeros((1, 528, 14, 14)))
    n = sum(p.data().size for p in block.collect_params().values())
    assert n == solutions.inception_params_reference(528, *TABLE1["4e"])


def test_inception_params_wrong():
    def no_biases(i, c1, c3r, c3, c5r, c5, pp):
        return i * c1 + i * c3r + c3r * c3 * 9 + i * c5r + c5r * c5 * 25 + i * pp
    def post_3x3(i, c1, c3r, c3, c5r, c5, pp):   # the J8 post's 3x3 in the 5x5 branch
        return (i * c1 + c1 + i * c3r + c3r + c3r * c3 * 9 + c3 + i * c5r + c5r
                + c5r * c5 * 9 + c5 + i * pp + pp)
    assert ch02.check_inception_params.grade(no_biases) is False
    assert ch02.check_inception_params.grade(post_3x3) is False


def test_bottleneck_macs_wrong():
    def forgets_the_1x1(i, r, o, k, s):
        return o * s * s * i * k * k, o * s * s * r * k * k
    assert ch02.check_bottleneck_macs.grade(forgets_the_1x1) is False


def test_loss_range_wrong():
    def swapped(k):
        return math.log(k - 1 + math.e), math.log(1 + (k - 1) / math.e)
    def all_others_one(k):  # right for 2 classes only: the p_j cannot all be 1
        return math.log(1 + (k - 1) / math.e), math.log(1 + (k - 1) * math.e)
    def plain_ce(k):  # the range without the extra softmax: 0 .. infinity
        return 0.0, float("inf")
    assert ch02.check_double_softmax_loss_range.grade(swapped) is False
    assert ch02.check_double_softmax_loss_range.grade(plain_ce) is False
    assert ch02.check_double_softmax_loss_range.grade(all_others_one) is False


def test_loss_range_matches_mxnet():
    from mxnet import gluon, nd
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    lo, hi = solutions.double_softmax_loss_range_reference(10)
    best = nd.one_hot(nd.array([3]), 10)            # softmax output certain of the right class
    worst = nd.one_hot(nd.array([4]), 10)           # certain of a wrong class
    assert math.isclose(loss(best, nd.array([3])).asscalar(), lo, rel_tol=1e-5)
    assert math.isclose(loss(worst, nd.array([3])).asscalar(), hi, rel_tol=1e-5)
