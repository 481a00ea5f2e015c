"""Checks for chapter 06 (HybridSN: 3-D and 2-D convolutions on hyperspectral cubes).
Reference solutions: _solutions/ch06.py."""
import numpy as np

from . import as_int, exercise, only_checks
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


__dir__ = only_checks(globals())
