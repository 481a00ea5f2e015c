"""Loaders on the shipped samples, and clear errors for missing or damaged files."""
import gzip
import json

import numpy as np
import pytest

import d2l_utils as d2l
from d2l_utils.data import SAMPLES_DIR, ArrayLoader, read_cifar10, stratified_split
from d2l_utils.data.cifar import augment
from d2l_utils.data.paths import sha256_of_file


def test_manifest_checksums_match_the_shipped_files():
    manifest = json.loads((SAMPLES_DIR / "MANIFEST.json").read_text())
    assert manifest["files"]
    for rel, sha in manifest["files"].items():
        assert sha256_of_file(SAMPLES_DIR / rel) == sha, rel
    total = sum(f.stat().st_size for f in SAMPLES_DIR.rglob("*") if f.is_file())
    assert total < 6e6, f"samples are {total / 1e6:.1f} MB: keep them a few MB"


@pytest.mark.parametrize("name,n_train,n_test", [("mnist", 3000, 1000), ("fashion_mnist", 2000, 500)])
def test_idx_samples(name, n_train, n_test):
    X, y = d2l.read_idx_dataset(name, "train", source="sample")
    assert X.shape == (n_train, 28, 28) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [n_train // 10] * 10
    X, y = d2l.read_idx_dataset(name, "test", source="sample")
    assert X.shape == (n_test, 28, 28) and set(np.unique(y)) == set(range(10))


def test_mnist_loader_batches():
    train_iter, test_iter = d2l.load_mnist(256)
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == np.float32
    assert 0 <= X.min().asscalar() and X.max().asscalar() <= 1 and X.max().asscalar() > 0.9
    assert len(train_iter) == 3000 // 256  # last partial batch dropped for static shapes
    assert sum(b[0].shape[0] for b in test_iter) == 1000  # test keeps every image


def test_fashion_mnist_resize():
    _, test_iter = d2l.load_fashion_mnist(16, resize=96)
    X, y = next(iter(test_iter))
    assert X.shape == (16, 1, 96, 96) and y.max().asscalar() <= 9


def test_cifar10_sample_and_augmentation():
    X, y, note = read_cifar10("train", source="sample")
    assert X.shape == (2000, 32, 32, 3) and np.bincount(y).tolist() == [200] * 10
    assert "JPEG" in note
    train_iter, test_iter = d2l.load_cifar10(64)
    Xb, yb = next(iter(train_iter))
    assert Xb.shape == (64, 3, 32, 32)
    # augmentation = crop of the padded image (+ flip): with no shift and no flip it is the identity
    rng = np.random.default_rng(0)
    out = augment(X[:200], rng)
    assert out.shape == (200, 3, 32, 32)
    plain = (X[:200].astype(np.float32) / 255 - d2l.data.cifar.MEAN) / d2l.data.cifar.STD
    plain = plain.transpose(0, 3, 1, 2)
    same = [np.allclose(out[i], plain[i]) or np.allclose(out[i], plain[i][:, :, ::-1]) for i in range(200)]
    assert 0 < sum(same) < 200  # some crops are centred, most are shifted


def test_image_folder_sample_split_is_stratified_and_repeatable():
    train_iter, val_iter, classes = d2l.load_image_folder("monkeypox_sample", 4, size=64, val_fraction=0.25)
    assert classes == ["Monkey_Pox", "Others"]
    assert np.bincount(val_iter.y).tolist() == [5, 5] and np.bincount(train_iter.y).tolist() == [15, 15]
    X, _ = next(iter(val_iter))
    assert X.shape == (4, 3, 64, 64)
    a = stratified_split(np.repeat([0, 1], 10), 0.3, seed=1)
    b = stratified_split(np.repeat([0, 1], 10), 0.3, seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))


def test_indian_pines_is_available_offline():
    cube, gt, names, source = d2l.load_indian_pines()
    assert cube.shape == (145, 145, 200) and gt.shape == (145, 145)
    assert (gt > 0).sum() == 10249 and len(names) == 16


def test_missing_full_dataset_names_file_folder_and_quick_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    with pytest.raises(d2l.DatasetNotFound) as err:
        d2l.read_idx_dataset("mnist", "train", source="full")
    msg = str(err.value)
    assert "train-images-idx3-ubyte.gz" in msg and str(tmp_path / "mnist") in msg and "D2L_MODE=quick" in msg


def _copy_sample(tmp_path, name="mnist"):
    folder = tmp_path / name
    folder.mkdir()
    for f in (SAMPLES_DIR / name).iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_not_official_content_fails_the_md5_check(tmp_path, monkeypatch):
    # The sample files are valid IDX but not the official 60,000 images: the content md5 must reject them.
    _copy_sample(tmp_path)
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    with pytest.raises(d2l.DatasetCorrupted, match="md5 of the decompressed content"):
        d2l.read_idx_dataset("mnist", "train", source="full")


def test_truncated_file_is_reported(tmp_path):
    folder = _copy_sample(tmp_path)
    raw = gzip.decompress((folder / "t10k-images-idx3-ubyte.gz").read_bytes())
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(d2l.DatasetCorrupted, match="truncated"):
        d2l.data.read_idx(folder / "t10k-images-idx3-ubyte.gz")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes((folder / "t10k-labels-idx1-ubyte.gz").read_bytes()[:50])
    with pytest.raises(d2l.DatasetCorrupted, match="not a complete gzip file"):
        d2l.data.read_idx(folder / "t10k-labels-idx1-ubyte.gz")


def test_array_loader_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="3 inputs but 2 labels"):
        ArrayLoader(np.zeros((3, 2)), np.zeros(2), 2)


def test_array_loader_reports_errors_from_its_worker_thread():
    def broken(X, rng):
        raise RuntimeError("bad transform")
    loader = ArrayLoader(np.zeros((4, 2)), np.zeros(4), 2, transform=broken)
    with pytest.raises(RuntimeError, match="bad transform"):
        list(loader)
