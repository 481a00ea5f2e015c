"""A class-per-folder image dataset (e.g. the Monkeypox Skin Lesion Dataset)."""
from pathlib import Path

import numpy as np

from .loader import ArrayLoader
from .paths import SAMPLES_DIR, DatasetNotFound

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def read_image_folder(root, size):
    """All images under ``root/<class>/``, resized to size x size: (uint8 NHWC, labels, classes)."""
    from PIL import Image
    root = Path(root)
    classes = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not classes:
        raise DatasetNotFound(
            f"{root} has no class folders. The images must be in {root}/<class>/<image>.jpg, one "
            f"folder per class (for the Monkeypox Skin Lesion Dataset: {root}/Monkey_Pox/ and "
            f"{root}/Others/, from the authors' repository ShamsNafisaAli/Monkeypox-Skin-Lesion-Dataset); "
            "or run in quick mode (D2L_MODE=quick), which uses the small sample shipped with the course.")
    images, labels = [], []
    for label, name in enumerate(classes):
        for path in sorted((root / name).iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                img = Image.open(path).convert("RGB").resize((size, size), Image.BILINEAR)
                images.append(np.asarray(img))
                labels.append(label)
    return np.stack(images), np.array(labels, dtype=np.int64), classes


def stratified_split(labels, val_fraction, seed=0):
    """Indices (train, val), the same class proportions in both, repeatable by seed."""
    rng = np.random.default_rng(seed)
    train, val = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_val = max(1, int(round(len(idx) * val_fraction)))
        val.extend(idx[:n_val])
        train.extend(idx[n_val:])
    return np.sort(train), np.sort(val)


def _normalize(X):
    return ((X.astype(np.float32) / 255.0 - IMAGENET_MEAN) / IMAGENET_STD).transpose(0, 3, 1, 2)


def _flip(X, rng):
    flip = rng.random(len(X)) < 0.5
    X = X.copy()
    X[flip] = X[flip, :, ::-1]
    return _normalize(X)


def load_image_folder(root, batch_size, size=224, val_fraction=0.2, seed=0):
    """(train_iter, val_iter, classes): stratified held-out split, flips for training.

    ``root`` may be 'monkeypox_sample' for the sample shipped with the course."""
    if str(root) == "monkeypox_sample":
        root = SAMPLES_DIR / "monkeypox"
    X, y, classes = read_image_folder(root, size)
    train_idx, val_idx = stratified_split(y, val_fraction, seed)
    train_iter = ArrayLoader(X[train_idx], y[train_idx], batch_size, shuffle=True, drop_last=True,
                             transform=_flip, seed=seed)
    val_iter = ArrayLoader(X[val_idx], y[val_idx], batch_size, transform=lambda X, rng: _normalize(X))
    return train_iter, val_iter, classes
