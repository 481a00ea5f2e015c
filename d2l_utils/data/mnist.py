"""MNIST and Fashion-MNIST: official IDX files, MXNet's downloader, or the shipped samples."""
from .download import describe_failure, download_verified, repo_url
from .idx import read_idx
from .loader import ArrayLoader, resize_images, to_float_nchw
from .paths import (SAMPLES_DIR, DatasetNotFound, downloads_allowed, find_dataset_dir,
                    missing_message)

FILES = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
         "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}

# md5 of the decompressed official files (the gzip wrappers vary between copies).
OFFICIAL_MD5 = {
    "mnist": {"train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
              "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
              "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
              "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637"},
    "fashion_mnist": {"train-images-idx3-ubyte.gz": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                      "train-labels-idx1-ubyte.gz": "9018921c3c673c538a1fc5bad174d6f9",
                      "t10k-images-idx3-ubyte.gz": "8181f5470baa50b63fa0f6fddb340f0a",
                      "t10k-labels-idx1-ubyte.gz": "15d484375f8d13e6eb1aabb0c3f46965"},
}
# Folder names under the data directory: MXNet's first, then common alternatives.
FOLDERS = {"mnist": ("mnist",), "fashion_mnist": ("fashion-mnist", "fashion_mnist")}
FASHION_CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat",
                   "sandal", "shirt", "sneaker", "bag", "ankle boot"]


NAMESPACES = {"mnist": "mnist", "fashion_mnist": "fashion-mnist"}  # MXNet's repository folders


def _download_missing(name, folder, files):
    """Fetch each missing file from MXNet's repository, checked by its content md5 before it
    takes its real name; files already there are never touched. Returns {file: why it failed}."""
    failed = {}
    for fname in files:
        if (folder / fname).exists():
            continue
        try:
            download_verified(repo_url(NAMESPACES[name], fname), folder / fname,
                              verify=lambda tmp, f=fname: read_idx(tmp, OFFICIAL_MD5[name][f]))
        except Exception as err:  # offline, server error, bad content: reported by the caller
            failed[fname] = describe_failure(err)
    return failed


def read_idx_dataset(name="mnist", split="train", source="full"):
    """(images uint8 (N, 28, 28), labels uint8 (N,)) from ``source`` 'full' or 'sample'."""
    if name not in FOLDERS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {sorted(FOLDERS)}")
    if split not in FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    if source == "sample":
        folder, md5s = SAMPLES_DIR / name, None
    elif source == "full":
        folder, md5s = find_dataset_dir(*FOLDERS[name]), OFFICIAL_MD5[name]
    else:
        raise ValueError(f"source must be 'full' or 'sample', not {source!r}")
    paths = [folder / f for f in FILES[split]]
    failed = {}
    if any(not p.exists() for p in paths) and source == "full" and downloads_allowed():
        failed = _download_missing(name, folder, FILES[split])
    if any(not p.exists() for p in paths):
        every_file = [f for s in ("train", "test") for f in FILES[s]]
        missing = [f for f in every_file if not (folder / f).exists()]  # both splits: all to fetch
        raise DatasetNotFound(missing_message(name, missing, folder, failed))
    images = read_idx(paths[0], md5s and md5s[paths[0].name])
    labels = read_idx(paths[1], md5s and md5s[paths[1].name])
    if len(images) != len(labels):
        raise ValueError(f"{paths[0]} has {len(images)} images but {paths[1]} {len(labels)} labels")
    return images, labels


def _load(name, batch_size, resize, source):
    from ..modes import is_quick
    source = source or ("sample" if is_quick() else "full")
    loaders = []
    for split in ("train", "test"):
        X, y = read_idx_dataset(name, split, source)
        if resize:
            X = resize_images(X, resize)
        train = split == "train"
        loaders.append(ArrayLoader(X, y, batch_size, shuffle=train, drop_last=train,
                                   transform=to_float_nchw))
    return tuple(loaders)


def load_mnist(batch_size, resize=None, source=None):
    """(train_iter, test_iter) over MNIST, images float32 (B, 1, H, W) in [0, 1].

    source: 'full' (official files, else download), 'sample' (shipped), None = by mode."""
    return _load("mnist", batch_size, resize, source)


def load_fashion_mnist(batch_size, resize=None, source=None):
    """(train_iter, test_iter) over Fashion-MNIST; ``resize`` e.g. 96 or 224."""
    return _load("fashion_mnist", batch_size, resize, source)
