"""CIFAR-10: official binary batches, a JPEG copy, MXNet's downloader, or the shipped sample.

Training augmentation follows the MobileNet post: random 32x32 crop of the image
padded by 4, random horizontal flip, per-channel normalisation; test images are only
normalised."""
import io
import zipfile

import numpy as np

from .loader import ArrayLoader
from .paths import (SAMPLES_DIR, DatasetCorrupted, DatasetNotFound, downloads_allowed,
                    find_dataset_dir, missing_message)

CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck"]
# The statistics the post (and kuangliu/pytorch-cifar) normalise with.
MEAN = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32)
STD = np.array([0.2023, 0.1994, 0.2010], dtype=np.float32)
BIN_FILES = {"train": [f"data_batch_{i}.bin" for i in range(1, 6)], "test": ["test_batch.bin"]}
SAMPLE_ZIP = SAMPLES_DIR / "cifar10" / "cifar10_sample.zip"
RECORDS_PER_FILE, RECORD_BYTES = 10000, 3073
# MXNet's copy of the official archive and the sha1 of each batch file (mxnet.gluon.data.vision).
ARCHIVE = ("cifar-10-binary.tar.gz", "fab780a1e191a7eda0f345501ccd62d20f7ed891")
BIN_SHA1 = {"data_batch_1.bin": "aadd24acce27caa71bf4b10992e9e7b2d74c2540",
            "data_batch_2.bin": "c0ba65cce70568cd57b4e03e9ac8d2a5367c1795",
            "data_batch_3.bin": "1dd00a74ab1d17a6e7d73e185b69dbf31242f295",
            "data_batch_4.bin": "aab85764eb3584312d3c7f65fd2fd016e36a258e",
            "data_batch_5.bin": "26e2849e66a845b7f1e4614ae70f4889ae604628",
            "test_batch.bin": "67eb016db431130d61cd03c7ad570b013799c88c"}


def _read_bin(paths):
    chunks = [np.fromfile(p, dtype=np.uint8).reshape(-1, 3073) for p in paths]
    data = np.concatenate(chunks)
    return data[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), data[:, 0].astype(np.int64)


def read_jpeg_zip(path, split):
    """Images from a zip laid out as ``*/<split>/<class>/<name>.jpg`` (uint8 NHWC, labels)."""
    from PIL import Image
    images, labels = [], []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            parts = name.split("/")
            if len(parts) < 3 or parts[-3] != split or not name.endswith((".jpg", ".png")):
                continue
            img = Image.open(io.BytesIO(zf.read(name))).convert("RGB")
            images.append(np.asarray(img))
            labels.append(CLASSES.index(parts[-2]))
    if not images:
        raise DatasetNotFound(f"{path} holds no '{split}' images")
    return np.stack(images), np.array(labels, dtype=np.int64)


def read_cifar10(split="train", source="full"):
    """(images uint8 (N, 32, 32, 3), labels int64 (N,)) and a note on where they came from."""
    if source == "sample":
        return (*read_jpeg_zip(SAMPLE_ZIP, split), "shipped sample (JPEG copy, see MANIFEST)")
    folder = find_dataset_dir("cifar10")
    bin_dir = folder / "cifar-10-batches-bin"
    bins = [bin_dir / f for f in BIN_FILES[split]]
    jpeg_zips = sorted(folder.glob("*.zip"))
    failed = {}
    if not all(p.exists() for p in bins) and not jpeg_zips and downloads_allowed():
        failed = _download_missing(bin_dir)
    if all(p.exists() for p in bins):
        _check_bins(bins)
        return (*_read_bin(bins), "official binary batches")
    if jpeg_zips:
        return (*read_jpeg_zip(jpeg_zips[0], split),
                f"JPEG re-encoding {jpeg_zips[0].name} (lossy: pixels differ slightly from the official set)")
    missing = [f for s in ("train", "test") for f in BIN_FILES[s] if not (bin_dir / f).exists()]
    raise DatasetNotFound(missing_message("CIFAR-10", missing, bin_dir, failed))


def _check_bins(paths):
    for p in paths:
        size = p.stat().st_size
        if size != RECORDS_PER_FILE * RECORD_BYTES:
            raise DatasetCorrupted(f"{p} has {size} bytes, a CIFAR-10 batch file has "
                                   f"{RECORDS_PER_FILE * RECORD_BYTES}: it is damaged; delete it and "
                                   "fetch it again.")


def _download_missing(bin_dir):
    """MXNet's archive, checked by sha1, then only the missing batch files, each checked by
    its sha1 before it takes its real name. Returns {what: why it failed}."""
    from .download import (describe_failure, extract_verified, repo_url, sha1_of_file,
                           temporary_download)

    def archive_ok(tmp):
        if sha1_of_file(tmp) != ARCHIVE[1]:
            raise DatasetCorrupted(f"the downloaded {ARCHIVE[0]} does not have the official sha1")

    def bin_ok(tmp, name):
        if sha1_of_file(tmp) != BIN_SHA1[name]:
            raise DatasetCorrupted(f"{name} in the archive does not have the official sha1")

    try:
        with temporary_download(repo_url("cifar10", ARCHIVE[0]), bin_dir.parent, ARCHIVE[0],
                                archive_ok) as archive:
            extract_verified(archive, BIN_SHA1, bin_dir, bin_ok)
        return {}
    except Exception as err:
        return {ARCHIVE[0]: describe_failure(err)}


def normalize(X):
    """uint8 NHWC -> float32 NCHW with the per-channel statistics."""
    X = (X.astype(np.float32) / 255.0 - MEAN) / STD
    return X.transpose(0, 3, 1, 2)


def augment(X, rng, pad=4):
    """Random crop of the zero-padded image and horizontal flip, on a whole uint8 batch."""
    n, h, w, _ = X.shape
    padded = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dy, dx = rng.integers(0, 2 * pad + 1, size=(2, n))
    rows = dy[:, None] + np.arange(h)[None]            # (N, H)
    cols = dx[:, None] + np.arange(w)[None]            # (N, W)
    flip = rng.random(n) < 0.5
    cols[flip] = cols[flip][:, ::-1]
    out = padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return normalize(out)


def load_cifar10(batch_size, source=None, augment_train=True):
    """(train_iter, test_iter) over CIFAR-10, float32 (B, 3, 32, 32), normalised."""
    from ..modes import is_quick
    source = source or ("sample" if is_quick() else "full")
    X_train, y_train, note = read_cifar10("train", source)
    X_test, y_test, _ = read_cifar10("test", source)
    train_iter = ArrayLoader(X_train, y_train, batch_size, shuffle=True, drop_last=True,
                             transform=augment if augment_train else (lambda X, rng: normalize(X)))
    test_iter = ArrayLoader(X_test, y_test, batch_size, transform=lambda X, rng: normalize(X))
    train_iter.source_note = test_iter.source_note = note
    return train_iter, test_iter
