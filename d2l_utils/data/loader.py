"""A batch iterator over in-memory arrays.

Datasets here are decoded once into uint8 arrays; each batch is sliced, augmented and
converted to float32 with vectorised numpy in a background thread, so preparing the
next batch overlaps with training on the current one.

Randomness is a function of position, not of history: epoch ``e``'s order comes from a
generator seeded by (seed, e) and batch ``i``'s augmentation from one seeded by (seed, e, i).
So the batches do not depend on when the background thread runs, on how many batches an
earlier, interrupted iteration consumed, or on whether the process was restarted: a run
resumed at epoch 3 sees exactly the batches the uninterrupted run saw."""
import queue
import threading

import numpy as np
from mxnet import nd

from ..seeding import fresh_seed, rng_at


class ArrayLoader:
    """Iterate ``(X, y)`` batches as NDArrays.

    X: uint8/float array (N, ...); y: int array (N,). ``transform(X_batch, rng)`` maps a
    numpy batch to the float32 network input. ``drop_last`` keeps every batch the same
    shape, which a statically hybridized network needs. Each ``for`` loop over the loader
    is the next epoch (0, 1, 2, ...) unless ``set_epoch`` says which one it is, as
    ``d2l.train`` does. ``seed=None`` draws a random seed (kept in ``self.seed``)."""

    def __init__(self, X, y, batch_size, shuffle=False, transform=None, drop_last=False,
                 seed=None, prefetch=2):
        if len(X) != len(y):
            raise ValueError(f"{len(X)} inputs but {len(y)} labels")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.X, self.y = X, np.asarray(y, dtype=np.int64)
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.transform = transform
        self.seed = fresh_seed() if seed is None else int(seed)
        self.prefetch = prefetch
        self._next_epoch = 0

    def reseed(self, seed):
        """Fix the shuffling and augmentation order (``d2l.train(seed=...)`` calls it)."""
        self.seed = int(seed)

    def set_epoch(self, epoch):
        """The next iteration is epoch ``epoch``: its order and augmentation are that epoch's."""
        self._next_epoch = int(epoch)

    @property
    def num_examples(self):
        return len(self) * self.batch_size if self.drop_last else len(self.X)

    def __len__(self):
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def _batches(self, epoch):
        n = len(self.X)
        order = rng_at(self.seed, epoch).permutation(n) if self.shuffle else np.arange(n)
        for i in range(len(self)):
            idx = order[i * self.batch_size:(i + 1) * self.batch_size]
            if self.shuffle:
                idx = np.sort(idx)  # sorted gathers are faster; the batch is still random
            X = self.X[idx]
            X = self.transform(X, rng_at(self.seed, epoch, i)) if self.transform else X.astype(np.float32)
            yield np.ascontiguousarray(X, dtype=np.float32), self.y[idx].astype(np.float32)

    def __iter__(self):
        epoch, self._next_epoch = self._next_epoch, self._next_epoch + 1
        return self._iterate(epoch)

    def _iterate(self, epoch):
        if self.prefetch <= 0:
            for X, y in self._batches(epoch):
                yield nd.array(X), nd.array(y)
            return
        q = queue.Queue(maxsize=self.prefetch)
        stop = threading.Event()

        def produce():
            try:
                for item in self._batches(epoch):
                    if stop.is_set():
                        return
                    q.put(item)
            except BaseException as err:  # hand errors to the consumer
                q.put(err)
                return
            q.put(None)

        worker = threading.Thread(target=produce, daemon=True)
        worker.start()
        try:
            while True:
                item = q.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield nd.array(item[0]), nd.array(item[1])
        finally:
            stop.set()
            while worker.is_alive():  # unblock a producer waiting on a full queue
                try:
                    q.get_nowait()
                except queue.Empty:
                    worker.join(0.01)


def to_float_nchw(X, rng=None):
    """uint8 (N, H, W[, C]) -> float32 (N, C, H, W) in [0, 1]."""
    X = X.astype(np.float32) / 255.0
    if X.ndim == 3:
        return X[:, None]
    return X.transpose(0, 3, 1, 2)


def resize_images(X, size):
    """Resize uint8 (N, H, W[, C]) images to ``size`` x ``size`` (bilinear, once, up front)."""
    import cv2
    if X.shape[1] == size and X.shape[2] == size:
        return X
    out = np.empty((len(X), size, size) + X.shape[3:], dtype=X.dtype)
    for i, img in enumerate(X):
        out[i] = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR).reshape(out.shape[1:])
    return out
