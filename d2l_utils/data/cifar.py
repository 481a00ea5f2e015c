"""CIFAR-10: official binary batches, a JPEG copy, MXNet's downloader, or the shipped sample.

Training augmentation follows the MobileNet post: random 32x32 crop of the image
padded by 4, random horizontal flip, per-channel normalisation; test images are only
normalised."""
import io
import zipfile

import numpy as np

from .loader import ArrayLoader
from .paths import (SAMPLES_DIR, DatasetNotFound, downloads_allowed, find_dataset_dir,
                    missing_message)

CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck"]
# The statistics the post (and kuangliu/pytorch-cifar) normalise with.
MEAN = np.array([0.4914, 0.4822, 0.4465], dtype=np.float32)
STD = np.array([0.2023, 0.1994, 0.2010], dtype=np.float32)
BIN_FILES = {"train": [f"data_batch_{i}.bin" for i in range(1, 6)], "test": ["test_batch.bin"]}
SAMPLE_ZIP = SAMPLES_DIR / "cifar10" / "cifar10_sample.zip"


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
    bins = [folder / "cifar-10-batches-bin" / f for f in BIN_FILES[split]]
    if not all(p.exists() for p in bins) and downloads_allowed():
        try:
            from mxnet.gluon.data import vision
            vision.CIFAR10(root=str(folder), train=split == "train")
        except Exception:  # offline: fall through to the other sources
            pass
    if all(p.exists() for p in bins):
        return (*_read_bin(bins), "official binary batches")
    jpeg_zips = sorted(folder.glob("*.zip"))
    if jpeg_zips:
        return (*read_jpeg_zip(jpeg_zips[0], split),
                f"JPEG re-encoding {jpeg_zips[0].name} (lossy: pixels differ slightly from the official set)")
    raise DatasetNotFound(missing_message("CIFAR-10", [p.name for p in bins],
                                          folder / "cifar-10-batches-bin"))


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
