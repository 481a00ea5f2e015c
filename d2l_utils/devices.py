"""Devices: a GPU when present, else the CPU, and data-parallel splitting of a batch."""
import mxnet as mx
from mxnet import gluon


def num_gpus():
    try:
        return mx.context.num_gpus()
    except mx.base.MXNetError:  # CPU-only builds may raise instead of returning 0
        return 0


def try_gpu(i=0):
    """``mx.gpu(i)`` if it exists, else ``mx.cpu()``."""
    return mx.gpu(i) if num_gpus() > i else mx.cpu()


def try_all_gpus():
    """Every GPU, or ``[mx.cpu()]`` when there is none."""
    ctxs = [mx.gpu(i) for i in range(num_gpus())]
    return ctxs or [mx.cpu()]


def device_report(ctxs=None):
    ctxs = ctxs or try_all_gpus()
    names = ", ".join(str(c) for c in ctxs)
    kind = "GPU" if ctxs[0].device_type == "gpu" else "CPU only"
    return f"device: {names} ({kind})"


def split_batch(X, y, ctxs):
    """Split a batch along axis 0 into one slice per context (data parallelism).

    The gradients of the slices are summed by the Trainer's kvstore at ``step``."""
    if X.shape[0] < len(ctxs):
        raise ValueError(f"batch of {X.shape[0]} cannot be split over {len(ctxs)} devices")
    return (gluon.utils.split_and_load(X, ctxs, even_split=False),
            gluon.utils.split_and_load(y, ctxs, even_split=False))
