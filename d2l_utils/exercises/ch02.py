"""Checks for the exercises of chapter 02 (Inception / GoogLeNet). Reference solutions: _solutions/ch02.py."""
import math

from . import as_int, exercise, only_checks
from ._experiments import convs, leaves, own_accuracy, read_experiment, report

# (in_channels, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj) -> parameters with biases
_MODULES = {(192, 64, 96, 128, 16, 32, 32): 163_696,        # 3a
            (832, 384, 192, 384, 48, 128, 128): 1_444_080,  # 5b
            (10, 4, 3, 5, 2, 7, 6): 662}                    # a toy module


@exercise("Exercise 2.1 · parameters of an Inception module")
def check_inception_params(fn):
    for args, expected in _MODULES.items():
        got = as_int(fn(*args), f"inception_params{args}")
        assert got == expected, (f"inception_params{args} returned {got}, expected {expected}. "
                                 "Count weights (in x out x k x k) and one bias per output channel.")


@exercise("Exercise 2.2 · the 1x1 bottleneck's MAC saving")
def check_bottleneck_macs(fn):
    cases = {(192, 16, 32, 5, 28): (120_422_400, 12_443_648),   # Inception 3a's 5x5 branch
             (10, 16, 24, 5, 12): (864_000, 1_405_440),         # the MNIST post's first module
             (480, 16, 48, 5, 14): (112_896_000, 5_268_480)}    # 4a
    for args, expected in cases.items():
        got = tuple(as_int(v, f"bottleneck_macs{args}'s items") for v in fn(*args))
        assert got == expected, f"bottleneck_macs{args} returned {got}, expected {expected}."


def _double_softmax_loss_range(num_classes):
    """Smallest and largest cross-entropy when the net already applied a softmax: the
    'logits' p lie in [0, 1] and sum to 1, so the loss is -log(e^p_y / sum_j e^p_j):
    smallest for p = one-hot(y), largest for p = one-hot(another class)."""
    k = num_classes
    return math.log(1 + (k - 1) * math.exp(-1)), math.log(k - 1 + math.exp(1))


@exercise("Exercise 2.3 · the loss range of softmax-then-cross-entropy")
def check_double_softmax_loss_range(fn):
    for k in (2, 10, 1000):
        lo, hi = (float(v) for v in fn(k))
        ref_lo, ref_hi = _double_softmax_loss_range(k)
        assert math.isclose(lo, ref_lo, rel_tol=1e-6) and math.isclose(hi, ref_hi, rel_tol=1e-6), (
            f"for {k} classes you gave ({lo:.4f}, {hi:.4f}); the loss is smallest when p_y = 1 and "
            "every other p_j = 0, largest when p_y = 0 and one other p_j = 1.")


# The chapter's googlenet_lite (separate 1x1s, no activation inside the modules), read off the package.
def _chapter_net():
    from ..models.googlenet_lite import googlenet_lite
    return googlenet_lite()


def _chapter_parameters():
    from ..accounting import count_parameters
    return count_parameters(_chapter_net(), (1, 1, 28, 28))[0]


def _count(answer_net):
    from ..accounting import count_parameters
    return count_parameters(answer_net, (1, 1, 28, 28))[0]


def _shared_convs():
    """The convolutions the post's network has: per module ONE 16-channel 1x1 instead of three."""
    from ..models.googlenet_lite import googlenet_lite
    return convs(googlenet_lite(shared_1x1=True))


def _relu_convs(net):
    """(convolutions inside the modules, how many of them apply a fused ReLU): conv1 (5x5, 10) and
    conv2 (5x5, 20) sit outside the modules."""
    from mxnet.gluon import nn
    layers = [l for l in leaves(net) if isinstance(l, nn.Conv2D)
              and (tuple(l._kwargs["kernel"]), l._kwargs["num_filter"]) not in (((5, 5), 10), ((5, 5), 20))]
    fused = [l for l in layers if getattr(l, "act", None) is not None and l.act._act_type == "relu"]
    return len(layers), len(fused)


@exercise("Exercise 2.4 · the post's shared 1x1 convolution, trained",
          expects="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, sharing_costs=True or False)")
def check_shared_1x1(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "sharing_costs"))
    net = run["net"]
    mine, chapter, want = convs(net), convs(_chapter_net()), _shared_convs()
    assert mine != chapter, ("your network has exactly the chapter's convolutions: each module still has three "
                             "16-channel 1×1 convolutions. Share ONE of them between branches 2, 3 and 4.")
    assert mine == want, (f"your convolutions (kernel, channels) are {mine}; the post's network has, per module, "
                          "the pool branch's 1×1 (24) and ONE 16-channel 1×1 used by branches 2, 3 and 4, "
                          "and otherwise the chapter's layers.")
    params, base_params = _count(net), _chapter_parameters()
    saved = 2 * (16 * 10 + 16) + 2 * (16 * 20 + 16)
    assert base_params - params == saved, (
        f"your net has {params:,} parameters, {base_params - params:,} fewer than the chapter's; sharing should "
        "save exactly two 1×1 convolutions per module (their weights and biases).")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    costs = baseline - acc > 0.01
    assert isinstance(run["sharing_costs"], bool), "sharing_costs should be True or False."
    assert run["sharing_costs"] == costs, (
        f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: "
        + ("more than a point lower, so sharing does cost accuracy here." if costs else
           "not more than a point lower, so sharing costs (almost) nothing here."))
    report("your net, shared 1×1", acc, params, baseline, base_params,
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


@exercise("Exercise 2.5 · a ReLU inside the branches",
          expects="dict(net=..., history=..., baseline=history_lite, test_iter=test_iter, relu_helps=True or False)")
def check_relu_inside(answer):
    run = read_experiment(answer, ("net", "history", "baseline", "test_iter", "relu_helps"))
    net = run["net"]
    assert convs(net) == convs(_chapter_net()), (
        f"your convolutions (kernel, channels) are {convs(net)}; keep the chapter's ones {convs(_chapter_net())} "
        "(separate 1×1s) and only add the activations.")
    inside, with_relu = _relu_convs(net)
    assert with_relu == inside, (
        f"{with_relu} of the {inside} convolutions inside your two modules apply a ReLU; every one of them "
        "should (Conv2D(..., activation='relu')), as in the paper.")
    params, base_params = _count(net), _chapter_parameters()
    assert params == base_params, (f"your net has {params:,} parameters, the chapter's {base_params:,}: a ReLU "
                                   "has no parameters, so nothing else should change.")
    acc, baseline = own_accuracy(run), run["baseline"]["test_acc"][-1]
    helps = acc > baseline
    assert isinstance(run["relu_helps"], bool), "relu_helps should be True or False."
    assert run["relu_helps"] == helps, (
        f"your run gives {acc:.3f} against the chapter's {baseline:.3f}: "
        + ("higher, so here the ReLUs help." if helps else "not higher, so here they do not help."))
    report("your net, ReLU in the branches", acc, params, baseline, base_params,
           len(run["history"]["test_acc"]), len(run["baseline"]["test_acc"]))


__dir__ = only_checks(globals())
