"""Data-parallel training over the devices of one process and over processes (kvstore).

``d2l.train(..., kvstore=...)`` calls :func:`setup` once and uses the :class:`Cluster` it
returns; everything that differs between one device, several devices and several
workers lives here:

* the kvstore: ``None`` (the Trainer's default), a name (``"local"``, ``"device"``,
  ``"dist_sync"``, ``"dist_device_sync"``, ``"dist_async"``) or a KVStore object;
* each worker's shard of the data: example ``part_index + k * num_parts`` (strided), with
  ``batch_size / num_workers`` examples per step, so that the workers' batches of step t
  are together exactly the single-process batch t: same script, same global batch, same
  model (without shuffling, bit for bit up to float summation order);
* identical initial weights: the Trainer broadcasts rank 0's values through the kvstore
  at its first step (``kv.broadcast``);
* sums over workers of the epoch's metrics (loss, correct, examples) and the mean of the
  batch-norm running statistics, pushed through the same kvstore on keys of their own;
* rank 0 alone prints, plots and writes checkpoints.

``dist_sync`` sums the gradients on the servers and every worker applies the same
optimizer step itself (``update_on_kvstore=False``: learning-rate schedules and trainer
states stay on the worker). ``dist_async`` must run the optimizer on the servers (MXNet
allows nothing else): each worker's gradient is applied as soon as it arrives, on weights
the others may already have moved; its optimizer lives on the servers, so a learning-rate
schedule set on a worker would have no effect and the trainer's states cannot be saved."""
from dataclasses import dataclass

import mxnet as mx
import numpy as np
from mxnet import gluon, nd

from .data.loader import ArrayLoader

METRIC_KEY = 1 << 24   # first kvstore key of the course's own reductions (the model uses 0, 1, ...)
BYTES_PER_FLOAT32 = 4


def create_kvstore(kvstore, num_contexts=1):
    """A KVStore from a name or an object; ``None`` where one process and one device need none."""
    if kvstore is None or isinstance(kvstore, mx.kvstore.KVStoreBase):
        return kvstore
    if not isinstance(kvstore, str):
        raise TypeError(f"kvstore must be a name such as 'dist_sync' or a KVStore, not {kvstore!r}")
    if "dist" not in kvstore and num_contexts == 1:
        return None   # as MXNet does: nothing to aggregate
    return mx.kv.create(kvstore)


def is_distributed(kv):
    return kv is not None and "dist" in kv.type


def shard_indices(num_examples, num_parts, part_index):
    """The examples of worker ``part_index``: ``part_index, part_index + num_parts, ...``.

    Every shard has the same length (at most ``num_parts - 1`` trailing examples are left
    out), so every worker makes the same number of steps: in ``dist_sync`` a worker with
    one batch more would wait forever for the others' gradients."""
    if not 0 <= part_index < num_parts:
        raise ValueError(f"part_index {part_index} is not in 0..{num_parts - 1}")
    usable = (num_examples // num_parts) * num_parts
    return np.arange(part_index, usable, num_parts)


def shard_loader(loader, num_parts, part_index, batch_size=None):
    """The same kind of loader over one worker's shard (an ArrayLoader, as all the course's
    loaders are). ``batch_size`` defaults to the loader's batch size / ``num_parts``: the
    loader's batch size stays the global one."""
    if num_parts == 1:
        return loader
    if not isinstance(loader, ArrayLoader):
        raise TypeError(f"cannot shard a {type(loader).__name__}: give an ArrayLoader "
                        "(every d2l loader is one) or shard the data yourself "
                        "(num_parts = kv.num_workers, part_index = kv.rank)")
    if batch_size is None:
        if loader.batch_size % num_parts:
            raise ValueError(f"the global batch size {loader.batch_size} is not divisible by "
                             f"{num_parts} workers")
        batch_size = loader.batch_size // num_parts
    idx = shard_indices(len(loader.X), num_parts, part_index)
    return ShardLoader(loader, idx, batch_size, num_parts, part_index)


class ShardLoader(ArrayLoader):
    """One worker's part of an ArrayLoader; ``reseed(s)`` gives it this rank's own stream."""

    def __init__(self, loader, indices, batch_size, num_parts, part_index):
        self.shard_of, self.indices = (num_parts, part_index), indices  # positions in loader.X
        super().__init__(loader.X[indices], loader.y[indices], batch_size, shuffle=loader.shuffle,
                         transform=loader.transform, drop_last=loader.drop_last,
                         seed=rank_seed(getattr(loader, "seed", 0), part_index),
                         prefetch=loader.prefetch)

    def reseed(self, seed):
        super().reseed(rank_seed(seed, self.shard_of[1]))


def rank_seed(seed, rank):
    """Rank 0 keeps ``seed`` (one worker = the single-process run); every other rank gets
    its own stream (shuffling, augmentation, dropout), independent of the others."""
    if seed is None or rank == 0:
        return seed
    return int(np.random.SeedSequence([int(seed), int(rank)]).generate_state(1)[0])


class _ServerOptimizer(mx.optimizer.Optimizer):
    """What a ``dist_async`` server runs: the model's keys go to the real optimizer, the
    course's reduction keys (``METRIC_KEY`` and up) are added up. Pickled to the servers by
    the Trainer, so it must live in an importable module."""

    def __init__(self, inner):
        self.inner = inner
        super().__init__(rescale_grad=inner.rescale_grad, learning_rate=inner.learning_rate)
        self.aggregate_num = 0   # one key per call on the server

    @property
    def rescale_grad(self):
        return self.inner.rescale_grad

    @rescale_grad.setter
    def rescale_grad(self, value):
        self.inner.rescale_grad = value

    def create_state_multi_precision(self, index, weight):
        return None if index >= METRIC_KEY else self.inner.create_state_multi_precision(index, weight)

    def update_multi_precision(self, index, weight, grad, state):
        if index >= METRIC_KEY:
            weight[:] += grad
        else:
            self.inner.update_multi_precision(index, weight, grad, state)


class _DistTrainer(gluon.Trainer):
    """A Trainer for a dist kvstore, made safe.

    The Trainer broadcasts rank 0's weights lazily, inside the first ``step``: its pull of
    the weights is queued and the same step's gradient push follows at once. In MXNet 1.9.1
    nothing makes the pull reach the server first, so now and then a worker's weight array
    received the servers' sum of gradients instead (seen here in about one run in five of
    tests/test_distributed.py: the last layer's weights of one worker replaced by a gradient).
    So: wait for the broadcast and meet the other workers (a barrier) before any push. Sums
    are also taken as a push, then a pull, instead of Gluon's single ``pushpull`` request."""

    def _init_params(self):
        super()._init_params()
        nd.waitall()                # every broadcast pull has landed in our weights...
        self._kvstore._barrier()    # ...and in everybody's, before the first gradient push

    def _allreduce_grads(self):
        if self._update_on_kvstore:   # dist_async: push gradients, pull the servers' weights
            return super()._allreduce_grads()
        for i, param in enumerate(self._params):
            if param.grad_req != "null":
                grads = param.list_grad()
                self._kvstore.push(i, grads, priority=-i)
                self._kvstore.pull(i, grads, priority=-i)


@dataclass
class Cluster:
    """Where this process stands: rank, number of workers, its kvstore and its shards."""
    kv: object = None
    rank: int = 0
    num_workers: int = 1

    @property
    def distributed(self):
        return is_distributed(self.kv)

    @property
    def synchronous(self):
        return not self.distributed or "async" not in self.kv.type

    @property
    def is_root(self):
        return self.rank == 0

    def check_supported(self, lr_schedule=None, checkpoint_dir=None):
        """dist_async keeps the optimizer on the servers: say so before training starts."""
        if self.distributed and not self.synchronous:
            if lr_schedule is not None:
                raise ValueError("lr_schedule cannot work with dist_async: the optimizer runs on "
                                 "the servers, a worker's learning rate never reaches them. Use an "
                                 "MXNet lr_scheduler in optimizer_params, or dist_sync.")
            if checkpoint_dir is not None:
                raise ValueError("checkpoints need the trainer's states, which live on the servers "
                                 "with dist_async (MXNet cannot save them); use dist_sync.")

    def make_trainer(self, params, optimizer="sgd", optimizer_params=None):
        """A ``gluon.Trainer`` set up for this kvstore (see the module's docstring)."""
        optimizer_params = dict(optimizer_params or {})
        if self.kv is None:
            return gluon.Trainer(params, optimizer, optimizer_params)
        if self.distributed and not self.synchronous:
            inner = (optimizer if isinstance(optimizer, mx.optimizer.Optimizer)
                     else mx.optimizer.create(optimizer, **optimizer_params))
            return _DistTrainer(params, _ServerOptimizer(inner), kvstore=self.kv,
                                update_on_kvstore=True)
        if self.distributed:   # the servers sum, every worker updates itself
            return _DistTrainer(params, optimizer, optimizer_params, kvstore=self.kv,
                                update_on_kvstore=False)
        return gluon.Trainer(params, optimizer, optimizer_params, kvstore=self.kv)

    def rank_seed(self, seed):
        return rank_seed(seed, self.rank)

    def step_size(self, local_batch):
        """What to pass to ``trainer.step``: the global batch in ``dist_sync`` (the servers
        return the sum over all workers), the local one in ``dist_async`` (each worker's
        gradient is its own step)."""
        return local_batch * self.num_workers if self.distributed and self.synchronous else local_batch

    def shard(self, loader):
        if not self.distributed or loader is None:
            return loader
        return shard_loader(loader, self.num_workers, self.rank)

    def allreduce_sum(self, values, slot=0):
        """The sums over all workers of a few numbers (every worker must call it alike).
        ``slot`` separates reductions of different lengths (each gets its own key)."""
        values = np.asarray(values, dtype=np.float64)
        if not self.distributed:
            return values
        key = METRIC_KEY + slot
        if not hasattr(self, "_reduction_keys"):
            self._reduction_keys = {}
        local = nd.array(values, dtype="float32")
        if key not in self._reduction_keys:
            self.kv.init(key, nd.zeros(local.shape))      # rank 0's zeros; a barrier
            self._reduction_keys[key] = nd.zeros(local.shape)
        out = nd.zeros(local.shape)
        if self.synchronous:
            # No optimizer on the servers: they store the sum of the workers' pushes.
            self.kv.push(key, local)
            self.kv.pull(key, out=out)
            return out.asnumpy().astype(np.float64)
        # dist_async: the servers add every push to a running total (_ServerOptimizer).
        self.kv.push(key, local)
        nd.waitall()                      # our push has reached the server...
        self.kv._barrier()                # ...and so have everybody's
        self.kv.pull(key, out=out)
        total = out.asnumpy().astype(np.float64)
        self.kv._barrier()                # nobody pushes again before all have pulled
        previous = self._reduction_keys[key].asnumpy().astype(np.float64)
        self._reduction_keys[key] = out
        return total - previous

    def average_aux(self, net):
        """Replace each worker's batch-norm running statistics by their mean over workers
        (they are not gradients, so the kvstore never saw them)."""
        aux = [p for p in net.collect_params().values() if p.grad_req == "null"]
        if not self.distributed or not aux:
            return
        flat = np.concatenate([p.data().asnumpy().ravel() for p in aux])
        mean = self.allreduce_sum(flat, slot=1) / self.num_workers
        offset = 0
        for p in aux:
            size = int(np.prod(p.shape))
            p.set_data(nd.array(mean[offset:offset + size].reshape(p.shape)))
            offset += size

    def barrier(self):
        if self.distributed:
            self.kv._barrier()


def setup(kvstore, ctxs):
    """The :class:`Cluster` for ``kvstore`` (``None``, a name or a KVStore) and ``ctxs``."""
    kv = create_kvstore(kvstore, len(ctxs))
    rank, num_workers = (kv.rank, kv.num_workers) if is_distributed(kv) else (0, 1)
    return Cluster(kv=kv, rank=rank, num_workers=num_workers)


def evaluate_accuracy(cluster, net, test_iter, ctx):
    """Test accuracy over every worker's shard of ``test_iter`` (the whole test set)."""
    from .metrics import predict_labels
    if test_iter is None:
        return None
    y, pred = predict_labels(net, cluster.shard(test_iter) if cluster.synchronous else test_iter, ctx)
    if cluster.distributed and not cluster.synchronous:
        return float((y == pred).mean())   # weights differ per worker in async: our own view
    correct, seen = cluster.allreduce_sum([(y == pred).sum(), len(y)], slot=2)
    return float(correct / seen)


# ---------------------------------------------------------------- cost of communication

def measure_step_split(net, loss, trainer, cluster, data_iter, ctx, num_steps, warmup=2):
    """Measured seconds per step spent computing (forward + backward), communicating
    (the kvstore's push and pull of every gradient) and updating, each waited for; the
    mean over ``num_steps`` batches after ``warmup`` and, in a cluster, over the workers.
    Needs an optimizer on the workers (not dist_async)."""
    from mxnet import autograd
    import time
    times = np.zeros(3)
    for i, (X, y) in enumerate(data_iter):
        if i == warmup + num_steps:
            break
        X, y = X.as_in_context(ctx), y.as_in_context(ctx)
        t0 = time.perf_counter()
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        nd.waitall()
        t1 = time.perf_counter()
        trainer.allreduce_grads()
        nd.waitall()
        t2 = time.perf_counter()
        trainer.update(cluster.step_size(X.shape[0]))
        nd.waitall()
        if i >= warmup:
            times += [t1 - t0, t2 - t1, time.perf_counter() - t2]
    steps = min(num_steps, max(i + 1 - warmup, 1))
    mean = cluster.allreduce_sum(times / steps, slot=3) / cluster.num_workers
    return {"compute_s": mean[0], "communicate_s": mean[1], "update_s": mean[2],
            "steps": steps, "batch_per_worker": int(X.shape[0])}


def gradient_bytes(net):
    """Bytes of one full set of trainable parameters (float32): what a worker pushes as
    gradients, and pulls back (gradients in dist_sync, weights in dist_async), per step."""
    return sum(int(np.prod(p.shape)) for p in net.collect_params().values()
               if p.grad_req != "null") * BYTES_PER_FLOAT32


def bytes_per_step(num_parameters, num_workers, num_servers=1):
    """Traffic of one synchronous step with a parameter server, in bytes.

    Each worker pushes its gradient and pulls the result: 2 x 4 x P over its link. The
    servers hold 1/num_servers of the keys each, so each server's link carries
    2 x 4 x P x num_workers / num_servers. (A ring all-reduce, Horovod's, sends
    2 x 4 x P x (n - 1) / n per worker and needs no server.)"""
    model = BYTES_PER_FLOAT32 * num_parameters
    return {"per_worker": 2 * model, "per_server": 2 * model * num_workers / num_servers,
            "ring_allreduce_per_worker": 2 * model * (num_workers - 1) / num_workers}


def scaling_model(compute_s, num_parameters, num_workers, bandwidth_gbit_s, num_servers=None,
                  latency_s=50e-6, overlap=0.0, method="ps"):
    """A model (not a measurement) of one synchronous step: seconds, examples/s factor and
    weak-scaling efficiency, for ``num_workers`` each computing ``compute_s`` per step.

    Communication time is the busiest link's bytes / bandwidth plus one latency per
    message round; ``overlap`` is the fraction of it hidden behind the backward pass
    (0: none, as in this chapter's loop; MXNet and Horovod overlap layer by layer).
    ``method``: "ps" (num_servers defaults to num_workers, as in MXNet's launcher) or "ring"."""
    if num_workers == 1:
        return {"step_s": compute_s, "comm_s": 0.0, "speedup": 1.0, "efficiency": 1.0}
    bandwidth = bandwidth_gbit_s * 1e9 / 8   # bytes per second
    traffic = bytes_per_step(num_parameters, num_workers, num_servers or num_workers)
    if method == "ring":
        comm = traffic["ring_allreduce_per_worker"] / bandwidth + 2 * (num_workers - 1) * latency_s
    else:
        busiest = max(traffic["per_worker"], traffic["per_server"])
        comm = busiest / bandwidth + 2 * latency_s
    step = compute_s + (1 - overlap) * comm
    speedup = num_workers * compute_s / step
    return {"step_s": step, "comm_s": comm, "speedup": speedup, "efficiency": speedup / num_workers}
