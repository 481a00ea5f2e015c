"""Preprocessing for patch-based hyperspectral classification (as in HybridSN, Roy et al. 2019).

* PCA of the spectra to a few components (sklearn), whitened as in the reference code;
* a zero-padded cube, and a zero-copy *view* of every window around every pixel
  (``numpy.lib.stride_tricks.sliding_window_view``): a batch of windows is cut on the fly
  by fancy-indexing that view with the batch's pixel coordinates, so only one batch of
  windows (B, 1, bands, w, w) ever exists in memory. The reference implementation instead
  materialises the window of every pixel of the scene in float64 (about 3 GB for Indian Pines);
* a stratified random split of the labelled pixels and a spatially disjoint block split;
* loaders: d2l's ArrayLoader over pixel coordinates with a transform that cuts the windows.
"""
import numpy as np

from ..metrics import confusion_matrix
from .loader import ArrayLoader


def apply_pca(cube, n_components=30, fit_mask=None, whiten=True, seed=0):
    """Project every pixel's spectrum on the first principal components.

    cube: (H, W, bands). fit_mask: (H, W) bool, the pixels the PCA is fitted on (default:
    all of them, as in the paper). Returns (float32 (H, W, n_components), fitted PCA)."""
    from sklearn.decomposition import PCA
    H, W, B = cube.shape
    pixels = cube.reshape(-1, B).astype(np.float64)                    # (H*W, bands)
    fit = pixels if fit_mask is None else pixels[np.asarray(fit_mask).reshape(-1)]
    pca = PCA(n_components=n_components, whiten=whiten, random_state=seed).fit(fit)
    return pca.transform(pixels).astype(np.float32).reshape(H, W, n_components), pca


def pad_cube(cube, window=25):
    """Zero-pad (H, W, C) by window // 2 on each spatial side: (H + w - 1, W + w - 1, C)."""
    m = window // 2
    return np.pad(cube, ((m, m), (m, m), (0, 0))).astype(np.float32, copy=False)


def window_view(padded, window=25):
    """A read-only view (H, W, C, w, w): element [r, c] is the window centred on pixel (r, c).
    It shares the padded cube's memory; nothing is copied until it is indexed."""
    return np.lib.stride_tricks.sliding_window_view(padded, (window, window), axis=(0, 1))


def labelled_pixels(gt):
    """Row/column coordinates (N, 2) of labelled pixels and their labels (N,), 0-based."""
    rows, cols = np.nonzero(gt)
    return np.stack([rows, cols], axis=1), gt[rows, cols].astype(np.int64) - 1


class PatchTransform:
    """ArrayLoader transform: a batch of coordinates (B, 2) -> windows (B, 1, C, w, w)."""

    def __init__(self, windows):
        self.windows = windows

    def __call__(self, coords, rng=None):
        batch = self.windows[coords[:, 0], coords[:, 1]]               # (B, C, w, w), a copy
        return batch[:, None]                                          # (B, 1, C, w, w)


def patch_loader(windows, coords, labels, batch_size, shuffle=False, drop_last=False, seed=None):
    """An ArrayLoader over pixel coordinates that yields (X (B, 1, C, w, w), y (B,)) batches."""
    return ArrayLoader(np.asarray(coords), labels, batch_size, shuffle=shuffle,
                       transform=PatchTransform(windows), drop_last=drop_last, seed=seed)


def random_split(coords, labels, train_fraction=0.3, seed=345):
    """Stratified random split of labelled pixels (the paper's protocol; seed as the reference code).
    Returns (train_coords, train_labels, test_coords, test_labels)."""
    from sklearn.model_selection import train_test_split
    tr_c, te_c, tr_y, te_y = train_test_split(coords, labels, train_size=train_fraction,
                                              random_state=seed, stratify=labels)
    return tr_c, tr_y, te_c, te_y


def chebyshev_distance_to(mask, points):
    """For each (row, col) in points, the Chebyshev distance to the nearest True pixel of mask."""
    from scipy.ndimage import distance_transform_cdt
    dist = distance_transform_cdt(~mask, metric="chessboard")
    return dist[points[:, 0], points[:, 1]]


def block_split(gt, blocks=(5, 5), train_fraction=0.3, window=25, seed=0):
    """A spatially disjoint split: the scene is cut into a grid of blocks; whole blocks go to
    training (chosen greedily so each class gets close to ``train_fraction`` of its pixels)
    until ``train_fraction`` of all labelled pixels are training pixels. Test pixels come from
    the other blocks; those whose window would contain a training pixel (Chebyshev distance
    <= window // 2) are set aside as 'buffer' pixels, so no test spectrum is seen in training.

    Returns a dict: train/test coords and labels, buffer coords/labels, the block id map,
    the training blocks and the training mask."""
    rng = np.random.default_rng(seed)
    H, W = gt.shape
    coords, labels = labelled_pixels(gt)
    n_classes = int(labels.max()) + 1
    rb = np.minimum(np.arange(H) * blocks[0] // H, blocks[0] - 1)
    cb = np.minimum(np.arange(W) * blocks[1] // W, blocks[1] - 1)
    block_id = rb[:, None] * blocks[1] + cb[None, :]                   # (H, W)
    pix_block = block_id[coords[:, 0], coords[:, 1]]
    n_blocks = blocks[0] * blocks[1]
    counts = np.zeros((n_blocks, n_classes), np.int64)
    np.add.at(counts, (pix_block, labels), 1)
    target = train_fraction * np.bincount(labels, minlength=n_classes)
    have = np.zeros(n_classes)
    chosen = []
    while have.sum() < train_fraction * len(labels):
        free = [b for b in range(n_blocks) if b not in chosen]
        deficit = np.clip(target - have, 0, None)
        gain = np.array([np.minimum(counts[b], deficit).sum() for b in free], dtype=float)
        gain += rng.random(len(free)) * 1e-3                            # seeded tie-break
        b = free[int(np.argmax(gain))]
        chosen.append(b)
        have += counts[b]
    train_mask = np.isin(block_id, chosen) & (gt > 0)
    in_train = np.isin(pix_block, chosen)
    others = ~in_train
    near = chebyshev_distance_to(train_mask, coords[others]) <= window // 2
    test_idx = np.flatnonzero(others)[~near]
    buffer_idx = np.flatnonzero(others)[near]
    return dict(train_coords=coords[in_train], train_labels=labels[in_train],
                test_coords=coords[test_idx], test_labels=labels[test_idx],
                buffer_coords=coords[buffer_idx], buffer_labels=labels[buffer_idx],
                block_id=block_id, train_blocks=sorted(chosen), train_mask=train_mask)


def reference_patches(cube, gt, window=25, remove_zero_labels=True):
    """The reference code's ``createImageCubes``: the window of EVERY pixel, float64
    (H*W, w, w, C), then the unlabelled ones dropped. Kept to measure its memory."""
    m = window // 2
    padded = np.zeros((cube.shape[0] + 2 * m, cube.shape[1] + 2 * m, cube.shape[2]))
    padded[m:m + cube.shape[0], m:m + cube.shape[1]] = cube
    data = np.zeros((cube.shape[0] * cube.shape[1], window, window, cube.shape[2]))
    labels = np.zeros(cube.shape[0] * cube.shape[1])
    i = 0
    for r in range(m, padded.shape[0] - m):
        for c in range(m, padded.shape[1] - m):
            data[i] = padded[r - m:r + m + 1, c - m:c + m + 1]
            labels[i] = gt[r - m, c - m]
            i += 1
    if remove_zero_labels:
        data, labels = data[labels > 0], labels[labels > 0] - 1
    return data, labels


_MEMORY_SCRIPT = r"""
import json, resource, sys, tracemalloc
import d2l_utils as d2l
from d2l_utils.data import patches as P
method, window, bands, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cube, gt, _, _ = d2l.load_indian_pines()
reduced, _ = P.apply_pca(cube, bands)
del cube
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
if method == "reference":
    X, y = P.reference_patches(reduced, gt, window)
    n = len(X)
else:
    coords, labels = P.labelled_pixels(gt)
    it = P.patch_loader(P.window_view(P.pad_cube(reduced, window), window), coords, labels, batch)
    n = sum(int(X.shape[0]) for X, _ in it)   # one pass over every labelled window
_, peak = tracemalloc.get_traced_memory()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(method=method, windows=n, tracemalloc_peak_mb=peak / 2**20,
                      maxrss_growth_mb=(rss - base_rss) / 1024)))
"""


def measure_patch_memory(method, window=25, bands=30, batch_size=256):
    """Peak memory of building Indian Pines' windows with ``method`` ('reference' or
    'on_the_fly'), measured in a fresh subprocess: tracemalloc's peak and the growth of
    the peak resident set size (ru_maxrss) after the PCA'd cube is loaded. Returns a dict."""
    import json
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, method, str(window), str(bands),
                          str(batch_size)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def hsi_metrics(y_true, y_pred, num_classes):
    """The hyperspectral papers' metrics: overall accuracy (OA), average per-class accuracy
    (AA, over classes present in y_true), Cohen's kappa, per-class accuracy (NaN for absent
    classes) and the confusion matrix C[true, predicted]."""
    y_true, y_pred = np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)
    cm = confusion_matrix(y_true, y_pred, num_classes)
    n = cm.sum()
    support = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(support > 0, np.diag(cm) / support, np.nan)
    oa = np.trace(cm) / n
    pe = (support * cm.sum(axis=0)).sum() / n ** 2                      # chance agreement
    kappa = (oa - pe) / (1 - pe)
    return dict(oa=float(oa), aa=float(np.nanmean(per_class)), kappa=float(kappa),
                per_class=per_class, confusion=cm)


def predict_map(net, windows, batch_size=256, ctx=None, mask=None, step=1):
    """Predicted class (0-based) of every pixel (or of pixels where ``mask``; every ``step``-th
    row and column) as an (H, W) int array, -1 where not predicted."""
    import mxnet as mx
    from mxnet import nd
    H, W = windows.shape[:2]
    keep = np.zeros((H, W), bool)
    keep[::step, ::step] = True
    if mask is not None:
        keep &= np.asarray(mask, bool)
    coords = np.argwhere(keep)
    out = np.full((H, W), -1, np.int64)
    it = patch_loader(windows, coords, np.zeros(len(coords)), batch_size)
    preds = [net(X.as_in_context(ctx or mx.cpu())).argmax(axis=1) for X, _ in it]
    if preds:
        out[coords[:, 0], coords[:, 1]] = nd.concat(*preds, dim=0).asnumpy().astype(np.int64)
    return out


def label_cmap(num_classes=16):
    """A colour map for label images: 0 (unlabelled) black, classes 1..n in tab20 colours.
    Use with ``vmin=-0.5, vmax=num_classes + 0.5`` and ``interpolation='nearest'``."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    tab = plt.get_cmap("tab20").colors
    return ListedColormap([(0, 0, 0)] + [tab[i % 20] for i in range(num_classes)])
