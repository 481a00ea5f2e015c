"""Hyperspectral scenes and the HybridSN preprocessing (chapter 06): loader sources, raw-cube
band dropping, PCA, windows cut on the fly, the splits, the metrics."""
import d2l_utils as d2l  # noqa: F401  (first: threads)
import numpy as np
import pytest
from scipy.io import savemat

from d2l_utils.data import hyperspectral as hs
from d2l_utils.data import patches as P

IP_COUNTS = [46, 1428, 830, 237, 483, 730, 28, 478, 20, 972, 2455, 593, 205, 1265, 386, 93]


@pytest.fixture
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("D2L_ALLOW_DOWNLOAD", "0")
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def indian_pines():
    import os
    old = os.environ.get("D2L_ALLOW_DOWNLOAD")
    os.environ["D2L_ALLOW_DOWNLOAD"] = "0"
    try:
        return d2l.load_indian_pines()
    finally:
        if old is None:
            del os.environ["D2L_ALLOW_DOWNLOAD"]
        else:
            os.environ["D2L_ALLOW_DOWNLOAD"] = old


def test_indian_pines_from_tensorly(offline):
    cube, gt, names, source = d2l.load_indian_pines()
    assert cube.shape == (145, 145, 200) and gt.shape == (145, 145)
    assert int((gt > 0).sum()) == 10_249
    assert np.bincount(gt.ravel(), minlength=17)[1:].tolist() == IP_COUNTS
    assert len(names) == 16 and names[0] == "Alfalfa" and "tensorly" in source


@pytest.fixture
def tiny_scene(offline, monkeypatch):
    """A fake 6x5 scene with 8 corrected bands (10 raw bands, 2 water bands) in tmp_path."""
    spec = dict(folder="tiny", cube=("Tiny_corrected.mat", "tiny_corrected", "http://invalid/", None),
                gt=("Tiny_gt.mat", "tiny_gt", "http://invalid/", None), shape=(6, 5, 8),
                raw=("Tiny.mat", "tiny", [3, 10]), classes=["a", "b"])
    monkeypatch.setitem(hs.SCENES, "tiny", spec)
    folder = offline / "tiny"
    folder.mkdir()
    rng = np.random.default_rng(0)
    raw = rng.integers(0, 1000, (6, 5, 10)).astype(np.int16)
    gt = rng.integers(0, 3, (6, 5)).astype(np.uint8)
    savemat(folder / "Tiny_gt.mat", {"tiny_gt": gt})
    return folder, raw, gt


def test_raw_cube_drops_water_bands(tiny_scene):
    folder, raw, gt = tiny_scene
    with pytest.raises(d2l.DatasetNotFound):
        d2l.load_ehu_scene("tiny")
    savemat(folder / "Tiny.mat", {"tiny": raw})
    cube, gt2, names, source = d2l.load_ehu_scene("tiny")
    keep = [0, 1, 3, 4, 5, 6, 7, 8]                         # 1-based bands 3 and 10 dropped
    assert np.array_equal(cube, raw[:, :, keep]) and np.array_equal(gt2, gt)
    assert "raw" in source and names == ["a", "b"]
    corrected = raw[:, :, keep] + 1                          # the corrected file wins when present
    savemat(folder / "Tiny_corrected.mat", {"tiny_corrected": corrected})
    cube, *_ = d2l.load_ehu_scene("tiny")
    assert np.array_equal(cube, corrected)


def test_wrong_files_are_reported(tiny_scene):
    folder, raw, gt = tiny_scene
    savemat(folder / "Tiny.mat", {"tiny": raw[:, :, :9]})  # one band missing
    with pytest.raises(d2l.DatasetCorrupted):
        d2l.load_ehu_scene("tiny")
    savemat(folder / "Tiny_corrected.mat", {"other_key": raw[:, :, :8]})
    with pytest.raises(d2l.DatasetCorrupted):
        d2l.load_ehu_scene("tiny")


def test_water_band_lists():
    assert len(hs.WATER_BANDS["indian_pines"]) == 220 - 200
    assert len(hs.WATER_BANDS["salinas"]) == 224 - 204
    with pytest.raises(ValueError):
        d2l.load_ehu_scene("nowhere")


def test_pca_whitened(indian_pines):
    cube, gt, _, _ = indian_pines
    reduced, pca = P.apply_pca(cube, 30)
    assert reduced.shape == (145, 145, 30) and reduced.dtype == np.float32
    flat = reduced.reshape(-1, 30)
    assert np.allclose(flat.mean(0), 0, atol=1e-3) and np.allclose(flat.std(0), 1, atol=1e-2)
    assert pca.explained_variance_ratio_.sum() > 0.99


def test_windows_cut_on_the_fly_match_the_reference():
    rng = np.random.default_rng(0)
    cube = rng.normal(size=(9, 7, 4)).astype(np.float32)
    gt = rng.integers(0, 3, (9, 7)).astype(np.uint8)
    ref_X, ref_y = P.reference_patches(cube, gt, window=5)   # (N, 5, 5, 4) float64
    coords, labels = P.labelled_pixels(gt)
    windows = P.window_view(P.pad_cube(cube, 5), 5)
    assert windows.shape == (9, 7, 4, 5, 5)
    X = P.PatchTransform(windows)(coords)
    assert X.shape == (len(coords), 1, 4, 5, 5) and X.dtype == np.float32
    assert np.allclose(X[:, 0], ref_X.transpose(0, 3, 1, 2)) and np.array_equal(labels, ref_y)
    corner = windows[0, 0]                                      # top-left pixel: zero padding
    assert np.all(corner[:, :2, :] == 0) and np.all(corner[:, 2, 2] == cube[0, 0])


def test_patch_loader_is_an_array_loader():
    cube = np.arange(10 * 10 * 3, dtype=np.float32).reshape(10, 10, 3)
    windows = P.window_view(P.pad_cube(cube, 5), 5)
    coords = np.argwhere(np.ones((10, 10), bool))
    it = P.patch_loader(windows, coords, np.arange(100) % 4, 32, shuffle=True, drop_last=True, seed=0)
    assert len(it) == 3 and it.num_examples == 96
    batches = list(it)
    assert all(X.shape == (32, 1, 3, 5, 5) for X, _ in batches)
    X, y = batches[0]
    assert X.asnumpy()[:, 0, :, 2, 2].tolist() != []            # centre = the pixel's spectrum
    centres = X.asnumpy()[:, 0, :, 2, 2]
    assert np.all(centres[:, 0] % 3 == 0) and np.all(centres[:, 1] == centres[:, 0] + 1)
    assert len(P.patch_loader(windows, coords, np.zeros(100), 32)) == 4


def test_random_split_is_stratified_and_seeded(indian_pines):
    _, gt, _, _ = indian_pines
    coords, labels = P.labelled_pixels(gt)
    tr_c, tr_y, te_c, te_y = P.random_split(coords, labels, 0.3, seed=345)
    assert len(tr_y) == 3074 and len(te_y) == 10_249 - 3074
    frac = np.bincount(tr_y, minlength=16) / np.array(IP_COUNTS)
    assert np.all(np.abs(frac - 0.3) < 0.06)
    assert np.array_equal(tr_c, P.random_split(coords, labels, 0.3, seed=345)[0])
    assert not set(map(tuple, tr_c)) & set(map(tuple, te_c))


def test_block_split_is_spatially_disjoint(indian_pines):
    _, gt, _, _ = indian_pines
    s = P.block_split(gt, blocks=(8, 8), train_fraction=0.3, window=25, seed=0)
    n = len(s["train_labels"]) + len(s["test_labels"]) + len(s["buffer_labels"])
    assert n == 10_249 and len(s["train_labels"]) >= 0.3 * 10_249
    tr = s["train_coords"]
    for r, c in s["test_coords"][::50]:                        # no training pixel in a test window
        assert np.abs(tr - [r, c]).max(axis=1).min() > 12
    d = P.chebyshev_distance_to(s["train_mask"], s["buffer_coords"])
    assert d.min() >= 1 and d.max() <= 12


def test_hsi_metrics_match_sklearn():
    from sklearn.metrics import cohen_kappa_score
    rng = np.random.default_rng(1)
    y = rng.integers(0, 5, 500)
    pred = np.where(rng.random(500) < 0.7, y, rng.integers(0, 5, 500))
    m = P.hsi_metrics(y, pred, 6)                               # class 5 absent: ignored in AA
    assert np.isclose(m["oa"], (y == pred).mean())
    assert np.isclose(m["kappa"], cohen_kappa_score(y, pred))
    per = [(pred[y == k] == k).mean() for k in range(5)]
    assert np.isclose(m["aa"], np.mean(per)) and np.isnan(m["per_class"][5])
    assert m["confusion"].sum() == 500


def test_predict_map_with_a_tiny_net():
    import mxnet as mx
    from mxnet.gluon import nn
    cube = np.random.default_rng(0).normal(size=(6, 7, 3)).astype(np.float32)
    windows = P.window_view(P.pad_cube(cube, 3), 3)
    net = nn.HybridSequential()
    net.add(nn.Dense(4))
    net.initialize(mx.init.Xavier())
    full = P.predict_map(net, windows, batch_size=8)
    assert full.shape == (6, 7) and full.min() >= 0 and full.max() < 4
    sparse = P.predict_map(net, windows, batch_size=8, step=2)
    assert np.array_equal(sparse[::2, ::2], full[::2, ::2]) and np.all(sparse[1::2] == -1)
