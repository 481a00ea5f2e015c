"""Checks for chapter 06 (HybridSN: 3-D and 2-D convolutions on hyperspectral cubes).
Reference solutions: _solutions/ch06.py."""
import numpy as np

from . import as_int, exercise, only_checks
from ._experiments import sub_blocks
from ..data.patches import chebyshev_distance_to, hsi_metrics
from ..models.hybridsn import hybridsn_param_count

CASES = [(30, 25, 16), (15, 25, 16), (30, 19, 16), (30, 25, 9), (20, 13, 6)]


@exercise("Exercise 6.1 · HybridSN's size for other inputs")
def check_hybridsn_params(my_count):
    for bands, window, classes in CASES:
        want = hybridsn_param_count(bands, window, classes)
        got = as_int(my_count(bands, window, classes), f"my_count({bands}, {window}, {classes})")
        assert got == want, (
            f"bands={bands}, window={window}, classes={classes}: you give {got:,}, expected {want:,} "
            f"(off by {got - want:+,}). Follow the depth and the side through the three 3-D "
            "convolutions (no padding), then the 2-D one, and remember the biases.")


@exercise("Exercise 6.2 · Cohen's kappa from a confusion matrix")
def check_kappa(my_kappa):
    rng = np.random.default_rng(6)
    for n in (2, 5, 16):
        y = rng.integers(0, n, 400)
        pred = np.where(rng.random(400) < 0.8, y, rng.integers(0, n, 400))
        m = hsi_metrics(y, pred, n)
        got = float(my_kappa(m["confusion"]))
        assert np.isclose(got, m["kappa"]), (
            f"for a {n}-class confusion matrix you give {got:.4f}, expected {m['kappa']:.4f}. "
            "kappa = (p_o - p_e) / (1 - p_e), p_e = sum_k (row_k total x column_k total) / N^2.")
    eye = np.diag([5, 7, 9])
    assert np.isclose(float(my_kappa(eye)), 1.0), "a perfect classifier must have kappa = 1."


def _leaks_reference(train_coords, test_coords, window):
    mask = np.zeros(np.max(np.vstack([train_coords, test_coords]), axis=0) + 1, bool)
    mask[train_coords[:, 0], train_coords[:, 1]] = True
    return chebyshev_distance_to(mask, test_coords) <= window // 2


@exercise("Exercise 6.3 · Which test pixels leak into training windows?")
def check_leaks(my_leaks):
    rng = np.random.default_rng(3)
    for window in (3, 5, 25):
        train = rng.integers(0, 60, (40, 2))
        test = rng.integers(0, 60, (200, 2))
        got = np.asarray(my_leaks(train, test, window), bool)
        want = _leaks_reference(train, test, window)
        assert got.shape == want.shape, f"return one boolean per test pixel, shape {want.shape}."
        wrong = np.flatnonzero(got != want)
        assert not len(wrong), (
            f"window {window}: {len(wrong)} test pixels wrong, e.g. {tuple(test[wrong[0]])} "
            f"(expected {want[wrong[0]]}). A training window of side w covers the pixels within "
            "w // 2 rows AND w // 2 columns of its centre.")


def _layers(net, kind):
    """The layers of type ``kind`` inside ``net``, in the order they were registered."""
    return sub_blocks(net, lambda block: isinstance(block, kind))


def _build(my_variant, variant, bands=30, window=9, num_classes=16):
    """The student's network for ``variant``: built, run once on zeros; (net, output shape,
    output shape of each 3-D convolution)."""
    import mxnet as mx
    from mxnet.gluon import Block
    net = my_variant(variant)
    assert isinstance(net, Block), f"my_variant({variant!r}) returned {type(net).__name__}, not a Gluon network."
    depths = []
    hooks = [c.register_forward_hook(lambda blk, inp, out: depths.append(out.shape))
             for c in _layers(net, mx.gluon.nn.Conv3D)]
    if not any(p._data is not None or p._deferred_init for p in net.collect_params().values()):
        net.initialize()
    out = net(mx.nd.zeros((2, 1, bands, window, window)))
    for h in hooks:
        h.detach()
    assert out.shape == (2, num_classes), (
        f"my_variant({variant!r}) gives outputs of shape {out.shape} for a batch of 2 windows "
        f"(2, 1, {bands}, {window}, {window}); expected (2, {num_classes}), one score per class.")
    return net, depths


def _check_head(net, variant):
    from mxnet.gluon import nn
    units = [d._units for d in _layers(net, nn.Dense)]
    assert units[-3:] == [256, 128, 16], (
        f"the dense layers of your {variant} net have {units} units; keep HybridSN's head "
        "(256, 128, then one output per class) so that only the convolutions differ.")


@exercise("Exercise 6.4 · 2-D only, 3-D only or hybrid?", expects="a function my_variant(variant) -> network")
def check_ablation(my_variant):
    from mxnet.gluon import nn
    net, _ = _build(my_variant, "2-D only")
    n3, n2 = len(_layers(net, nn.Conv3D)), len(_layers(net, nn.Conv2D))
    assert n3 == 0, f"your 2-D only net still has {n3} Conv3D layer(s); every convolution should be a Conv2D."
    assert n2 == 4, (f"your 2-D only net has {n2} Conv2D layers; HybridSN has four convolutions, "
                     "keep four so that only their kind differs.")
    _check_head(net, "2-D only")
    net, shapes = _build(my_variant, "3-D only")
    n3, n2 = len(_layers(net, nn.Conv3D)), len(_layers(net, nn.Conv2D))
    assert n2 == 0, f"your 3-D only net still has {n2} Conv2D layer(s); every convolution should be a Conv3D."
    assert n3 == 4, (f"your 3-D only net has {n3} Conv3D layers; HybridSN has four convolutions, "
                     "keep four so that only their kind differs.")
    assert shapes[-1][2] > 1, (
        f"the last Conv3D of your 3-D only net outputs {shapes[-1][1:]}: depth 1. A kernel as deep as "
        "its input is exactly HybridSN's 2-D layer (Eq. 1 with the depth folded into channels), so this is "
        "the hybrid again. Give the fourth convolution a short kernel along the depth, like the others.")
    _check_head(net, "3-D only")


@exercise("Exercise 6.5 · Shuffle the PCA components", expects="a function my_shuffle(cube, seed) -> cube")
def check_shuffle(my_shuffle):
    rng = np.random.default_rng(5)
    cube = rng.normal(size=(6, 7, 30)).astype(np.float32)
    first = np.asarray(my_shuffle(cube.copy(), 0))
    assert first.shape == cube.shape, f"the shuffled cube has shape {first.shape}; it must keep {cube.shape}."
    flat, out = cube.reshape(-1, 30), first.reshape(-1, 30)
    source = [np.flatnonzero((flat == out[:, [k]]).all(axis=0)) for k in range(30)]
    assert all(len(s) == 1 for s in source), (
        "some output component is not one of the input components: shuffle the last axis (the "
        "components) as a whole, do not move pixels or mix values.")
    order = np.array([s[0] for s in source])
    assert sorted(order) == list(range(30)), "every component must appear exactly once."
    assert (order != np.arange(30)).mean() > 0.5, (
        "most components are still in their place: use a random permutation of all 30.")
    again = np.asarray(my_shuffle(cube.copy(), 0))
    assert np.array_equal(again, first), "the same seed must give the same order (use it for the generator)."
    other = np.asarray(my_shuffle(cube.copy(), 1))
    assert not np.array_equal(other, first), "another seed should give another order."


__dir__ = only_checks(globals())
