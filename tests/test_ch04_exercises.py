"""The chapter 04 checks accept the reference solutions and reject plausible wrong answers."""
import d2l_utils as d2l
from d2l_utils.exercises import ch04
from d2l_utils.models.densenet import densenet


def test_reference_channels_match_the_network():
    rows = d2l.layer_table(densenet(), (1, 1, 96, 96), depth=1)
    assert [r["output_shape"][0] for r in rows if r["type"] == "block"] == \
        ch04._reference_dense_channels(64, 32, (4, 4, 4, 4))


def test_dense_channels_wrong():
    def no_halving(c, k, cfg):  # forgets the transitions
        out = []
        for n in cfg:
            c += n * k
            out.append(c)
        return out
    assert ch04.check_dense_channels.grade(no_halving) is False


def test_conv_block_params_wrong():
    assert ch04.check_conv_block_params.grade(lambda c, k: 9 * c * k + k) is False  # forgets BN


def test_densenet169_wrong_and_not_attempted():
    assert ch04.check_densenet169.grade(7_978_856) is False
    assert ch04.check_densenet169.grade(14_149_481) is False

    def stub():
        raise NotImplementedError
    assert ch04.check_densenet169.grade(stub) is None
