"""Chapter 01: the NiN of the package, the one-line model proof, the figures' MAC counts and the
experiment exercises' structure reading."""
import d2l_utils as d2l  # noqa: F401  (first: threads)
import mxnet as mx

from d2l_utils.exercises._experiments import convs
from d2l_utils.exercises._solutions import ch01 as solutions
from d2l_utils.figures import ch01 as figures
from d2l_utils.models.nin import nin_mnist


def test_nin_output_and_parameters():
    net = nin_mnist()
    net.initialize()
    assert net(mx.nd.zeros((2, 1, 28, 28))).shape == (2, 10)
    assert d2l.count_parameters(net) == (67_626, 576)


def test_same_model_accepts_the_same_net_and_rejects_another():
    net = nin_mnist()
    net.initialize(mx.init.Xavier())
    assert d2l.same_model(net, nin_mnist(), (2, 1, 28, 28))
    assert not d2l.same_model(net, solutions.nin_one_1x1_per_block(), (2, 1, 28, 28))  # layers missing
    assert not d2l.same_model(net, solutions.nin_without_batchnorm(), (2, 1, 28, 28))  # other parameters


def test_bottleneck_figure_counts_the_lectures_macs():
    direct, reduced = figures.bottleneck_nets()
    assert sum(m for _, _, m in figures.layer_macs(direct, figures.LECTURE_INPUT)) == 120_422_400
    assert [m for _, _, m in figures.layer_macs(reduced, figures.LECTURE_INPUT)] == [2_408_448, 10_035_200]


def test_bottleneck_figure_follows_the_model():
    _, reduced = figures.bottleneck_nets(bottleneck_channels=24)
    assert figures.layer_macs(reduced, figures.LECTURE_INPUT)[0][2] == 1 * 192 * 24 * 28 * 28


def test_experiment_variants_read_as_intended():
    chapter = convs(nin_mnist())
    assert len(chapter) == 8 and chapter[0] == ((5, 5), 32)
    assert convs(solutions.nin_without_batchnorm()) == chapter           # fused ReLU convs still count
    assert len(convs(solutions.nin_one_1x1_per_block())) == 6
    assert not [b for b in solutions.nin_without_batchnorm().collect_params() if "gamma" in b]
