"""The chapter 03 checks accept the reference solutions and reject plausible wrong answers."""
import d2l_utils as d2l
from d2l_utils.exercises import ch03
from d2l_utils.models.resnet import ResidualBlock, PreActResidualBlock, resnet18


def test_reference_stage_shapes_match_the_network():
    for size in (96, 224, 28, 33):
        rows = d2l.layer_table(resnet18(), (1, 1, size, size), depth=1)
        assert ch03._reference_stage_shapes(size) == [r["output_shape"] for r in rows][4:8]


def test_stage_shapes_wrong():
    # forgets the max-pool
    def wrong(size):
        n = (size + 6 - 7) // 2 + 1
        out = [(64, n, n)]
        for c in (128, 256, 512):
            n = (n + 2 - 3) // 2 + 1
            out.append((c, n, n))
        return out
    assert ch03.check_stage_shapes.grade(wrong) is False


def test_fixed_block_rejects_post_block_and_v2():
    class PostBlock(ResidualBlock):
        def __init__(self, channels, **kwargs):
            super().__init__(channels, post_bug=True, **kwargs)
    assert ch03.check_fixed_block.grade(PostBlock) is False


def test_fixed_block_rejects_shared_bn():
    from mxnet.gluon import nn

    class SharedBN(nn.HybridBlock):  # two convs, but one BN used twice (and an unused bn2)
        def __init__(self, channels, **kwargs):
            super().__init__(**kwargs)
            self.conv1 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
            self.conv2 = nn.Conv2D(channels, 3, padding=1, in_channels=channels)
            self.bn1 = nn.BatchNorm(in_channels=channels)

        def hybrid_forward(self, F, x):
            return F.relu(x + self.bn1(self.conv2(F.relu(self.bn1(self.conv1(x))))))
    assert ch03.check_fixed_block.grade(SharedBN) is False


def test_not_attempted():
    def stub(*args):
        raise NotImplementedError
    assert ch03.check_stage_shapes.grade(stub) is None
    assert ch03.check_resnet34.grade(stub) is None


def test_resnet34_wrong():
    assert ch03.check_resnet34.grade(11_689_512) is False
    assert ch03.check_resnet34.grade(21_814_696) is False  # with conv biases


def _fake_history():
    return {"test_acc": [0.5], "train_loss": [1.0]}


def test_shared_conv_check_rejects_the_correct_v1_net():
    """Exercise 3.4 wants conv1 called twice per block; the v1 net calls two different convs."""
    from d2l_utils.models.resnet import resnet_mnist
    net = resnet_mnist("v1")
    net.initialize()
    h = _fake_history()
    assert ch03.check_shared_conv_own_bns.grade(dict(net=net, history=h, baseline=h, test_iter="unused",
                                                     bn_was_the_bug=True)) is False


def test_deeper_check_rejects_residual_net_given_as_plain():
    from d2l_utils.models.resnet import resnet_cifar
    nets = [resnet_cifar(5, residual=True), resnet_cifar(5, residual=True)]
    for net in nets:
        net.initialize()
    h = _fake_history()
    verdict = ch03.check_deeper_degradation.verdict(dict(
        plain=nets[0], residual=nets[1], plain_history=h, residual_history=h, test_iter="unused",
        plain_trains_worse=False))
    assert verdict.result is False and "plain net" in verdict.message
