"""The chapter 06 checks accept the reference solutions and reject plausible wrong answers."""
import numpy as np

from d2l_utils.exercises import ch06


def test_params_wrong():
    def fixed_depth(bands, window, classes):       # forgets that the 2-D input depends on bands
        return ch06.hybridsn_param_count(30, window, classes)

    def no_biases(bands, window, classes):
        d, s = bands - 12, window - 8
        return 8 * 63 + 16 * 360 + 32 * 432 + 64 * 32 * d * 9 + 64 * s * s * 256 + 256 * 128 + 128 * classes
    assert ch06.check_hybridsn_params.grade(fixed_depth) is False
    assert ch06.check_hybridsn_params.grade(no_biases) is False


def test_kappa_wrong():
    def accuracy(cm):
        cm = np.asarray(cm)
        return np.trace(cm) / cm.sum()

    def uniform_chance(cm):                        # p_e = 1/K instead of the marginals
        cm = np.asarray(cm, float)
        po, pe = np.trace(cm) / cm.sum(), 1 / len(cm)
        return (po - pe) / (1 - pe)
    assert ch06.check_kappa.grade(accuracy) is False
    assert ch06.check_kappa.grade(uniform_chance) is False


def test_leaks_wrong():
    def euclidean(train, test, window):            # a disc instead of a square window
        d = np.sqrt(((test[:, None] - train[None]) ** 2).sum(axis=2))
        return (d <= window // 2).any(axis=1)

    def whole_window(train, test, window):         # uses w instead of w // 2
        d = np.abs(test[:, None] - train[None]).max(axis=2)
        return (d <= window).any(axis=1)
    assert ch06.check_leaks.grade(euclidean) is False
    assert ch06.check_leaks.grade(whole_window) is False


def test_ablation_wrong():
    from mxnet.gluon import nn
    from d2l_utils.exercises._solutions.ch06 import my_variant

    def hybrid_as_2d(variant):                     # "2-D only" that is still the hybrid
        from d2l_utils.models.hybridsn import HybridSN
        return HybridSN(16) if variant == "2-D only" else my_variant(variant)

    def other_head(variant):                       # the dense head changed too: not a controlled ablation
        net = my_variant(variant)
        net.add(nn.Dense(16))
        return net
    assert ch06.check_ablation.grade(hybrid_as_2d) is False
    assert ch06.check_ablation.grade(other_head) is False
    assert "Conv3D" in ch06.check_ablation.verdict(hybrid_as_2d).message


def test_shuffle_wrong():
    def identity(cube, seed):
        return cube

    def ignores_seed(cube, seed):
        return cube[:, :, ::-1]
    assert ch06.check_shuffle.grade(identity) is False
    assert ch06.check_shuffle.grade(ignores_seed) is False
